"""The source registry: the allowlist of sources we may search, how politely, and what may be sent out.

It lives in `$TRACING_HOME/sources.toml` (or the file named by `TRACING_SOURCES_FILE`) and is created
with conservative defaults on first use: every live source starts disabled until someone reviews its
terms and enables it. A source that is not registered (or not enabled) is refused, never guessed.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sources.kinds import ADDRESS_COLUMNS, KINDS
from tracing.errors import BadInput, RefusedByPolicy
from tracing.settings import get_settings

REGISTRY_ENV = "TRACING_SOURCES_FILE"
SOURCE_TYPES = ("file", "api", "spider")
ROBOTS_POLICIES = ("obey", "not_applicable")
# The only person fields a query may ever carry; addresses, places and full dates of birth never leave.
QUERY_FIELDS = ("surname", "forename", "birth_year")
API_ADAPTERS = ("companies_house", "gazette")
SPIDER_ADAPTERS = ("index_search", "directory_site")
MAX_RATE_LIMIT = 10.0
MAX_LOCAL_RATE_LIMIT = 100.0  # replicas on this machine may go faster
USER_AGENT_PRODUCT = "tracing-family-finding/0.1"

_REQUIRED = ("kind", "type", "lawful_basis", "terms_reviewed_on")
_OPTIONAL = (
    "adapter", "base_url", "rate_limit", "robots", "may_send", "api_key_env", "enabled", "timeout",
    "max_results", "notes",
)

DEFAULT_REGISTRY = """\
# tracing source registry: the allowlist of sources a search may use.
# Anything not listed here (or listed with enabled = false) is refused.
# Live sources start disabled: review the terms, set terms_reviewed_on, then enable.
# Fields: kind (contract-1 kind), type (file | api | spider), adapter (the module that talks to it),
# base_url, lawful_basis, terms_reviewed_on (date), rate_limit (requests per second),
# robots ("obey" = RFC 9309, or "not_applicable" for documented APIs), may_send (query fields that
# may leave this machine: surname, forename, birth_year), api_key_env (environment variable name).

[registry]
contact = "https://github.com/tracing-family-finding/tracing#contact"

[sources.companies_house]
kind = "company_officers"
type = "api"
adapter = "companies_house"
base_url = "https://api.company-information.service.gov.uk"
lawful_basis = "UK GDPR art. 6(1)(e) public task (Children Act 1989 s.22C, s.23ZA); public register"
terms_reviewed_on = 2026-01-15
rate_limit = 1.5  # the API allows 600 requests per 5 minutes; we stay well under
robots = "not_applicable"
may_send = ["surname", "forename"]
api_key_env = "COMPANIES_HOUSE_API_KEY"
enabled = false

[sources.gazette]
kind = "probate"
type = "api"
adapter = "gazette"
base_url = "https://www.thegazette.co.uk"
lawful_basis = "UK GDPR art. 6(1)(e) public task; deceased estates notices are published for the public"
terms_reviewed_on = 2026-01-15
rate_limit = 1.0
robots = "not_applicable"
may_send = ["surname", "forename"]
enabled = false

[sources.bmd_births]
kind = "birth_index"
type = "spider"
adapter = "index_search"
base_url = "https://bmd-index.example.invalid"
lawful_basis = "UK GDPR art. 6(1)(e) public task; public civil registration index"
terms_reviewed_on = 2026-01-15
rate_limit = 0.5
robots = "obey"
may_send = ["surname", "forename", "birth_year"]
enabled = false
notes = "placeholder: point base_url at a site whose terms permit automated search before enabling"

[sources.bmd_deaths]
kind = "death_index"
type = "spider"
adapter = "index_search"
base_url = "https://bmd-index.example.invalid"
lawful_basis = "UK GDPR art. 6(1)(e) public task; public civil registration index"
terms_reviewed_on = 2026-01-15
rate_limit = 0.5
robots = "obey"
may_send = ["surname", "forename", "birth_year"]
enabled = false

[sources.people_directory]
kind = "directory"
type = "spider"
adapter = "directory_site"
base_url = "https://directory.example.invalid"
lawful_basis = "UK GDPR art. 6(1)(e) public task; open electoral register extracts"
terms_reviewed_on = 2026-01-15
rate_limit = 0.5
robots = "obey"
may_send = ["surname", "forename"]
enabled = false
"""


@dataclass(frozen=True)
class SourceEntry:
    """One registered source and the rules for using it."""

    name: str
    kind: str
    type: str
    lawful_basis: str
    terms_reviewed_on: date
    adapter: str | None = None
    base_url: str | None = None
    rate_limit: float = 1.0
    robots: str = "obey"
    may_send: tuple[str, ...] = ()
    api_key_env: str | None = None
    enabled: bool = True
    timeout: float = 10.0
    max_results: int = 50
    notes: str | None = None

    @property
    def is_live(self) -> bool:
        """True for sources fetched over the network (APIs and spiders)."""
        return self.type in ("api", "spider")

    @property
    def min_interval(self) -> float:
        """Seconds between two requests at this source's rate limit."""
        return 1.0 / self.rate_limit


@dataclass(frozen=True)
class Registry:
    """The parsed registry: contact address for the User-Agent and the sources by name."""

    path: Path | None
    contact: str
    sources: dict[str, SourceEntry] = field(default_factory=dict)

    @property
    def user_agent(self) -> str:
        """The descriptive User-Agent every request carries."""
        return f"{USER_AGENT_PRODUCT} (+{self.contact})"

    def get(self, name: str, *, type: str | None = None) -> SourceEntry:
        """The registered, enabled source `name`; anything else is refused by policy."""
        entry = self.sources.get(name)
        where = self.path or "the source registry"
        if entry is None:
            raise RefusedByPolicy(f"source {name!r} is not registered in {where}; unregistered sources are refused")
        if not entry.enabled:
            raise RefusedByPolicy(f"source {name!r} is registered in {where} but not enabled")
        if type is not None and entry.type != type:
            raise RefusedByPolicy(f"source {name!r} is registered as type {entry.type}, not {type}")
        return entry

    def live(self) -> list[SourceEntry]:
        """The enabled API and spider sources, in name order."""
        return [e for _, e in sorted(self.sources.items()) if e.enabled and e.is_live]


def registry_path() -> Path:
    """`TRACING_SOURCES_FILE` if set, else `$TRACING_HOME/sources.toml`."""
    override = os.environ.get(REGISTRY_ENV)
    return Path(override).resolve() if override else get_settings().home / "sources.toml"


def ensure_registry(path: Path | None = None) -> Path:
    """Create the registry with the conservative defaults if it does not exist yet; return its path."""
    path = Path(path) if path else registry_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DEFAULT_REGISTRY, encoding="utf-8")
    return path


def _bad(path: Path, key: str, problem: str) -> BadInput:
    return BadInput(f"{path}: key {key}: {problem}")


def _entry(path: Path, name: str, raw: Any) -> SourceEntry:
    key = f"sources.{name}"
    if not isinstance(raw, dict):
        raise _bad(path, key, "must be a table")
    if not name.replace("_", "").replace("-", "").isalnum():
        raise _bad(path, key, "source names are letters, digits, '-' or '_'")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise _bad(path, f"{key}.{unknown[0]}", f"unknown key; allowed: {', '.join(_REQUIRED + _OPTIONAL)}")
    for req in _REQUIRED:
        if req not in raw:
            raise _bad(path, f"{key}.{req}", "missing")

    def text(k: str, required: bool = False) -> str | None:
        v = raw.get(k)
        if v is None and not required:
            return None
        if not isinstance(v, str) or not v.strip():
            raise _bad(path, f"{key}.{k}", "must be a non-empty string")
        return v.strip()

    kind, stype = text("kind", True), text("type", True)
    if kind not in KINDS:
        raise _bad(path, f"{key}.kind", f"{kind!r} is not a contract-1 kind ({', '.join(KINDS)})")
    if stype not in SOURCE_TYPES:
        raise _bad(path, f"{key}.type", f"{stype!r} must be one of {', '.join(SOURCE_TYPES)}")
    reviewed = raw["terms_reviewed_on"]
    if isinstance(reviewed, str):
        try:
            reviewed = date.fromisoformat(reviewed)
        except ValueError as exc:
            raise _bad(path, f"{key}.terms_reviewed_on", "must be a date (YYYY-MM-DD)") from exc
    if not isinstance(reviewed, date):
        raise _bad(path, f"{key}.terms_reviewed_on", "must be a date (YYYY-MM-DD)")
    rate = raw.get("rate_limit", 1.0)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= MAX_LOCAL_RATE_LIMIT:
        raise _bad(path, f"{key}.rate_limit", f"must be requests per second, above 0 and at most {MAX_RATE_LIMIT}")
    robots = text("robots") or ("not_applicable" if stype == "api" else "obey")
    if robots not in ROBOTS_POLICIES:
        raise _bad(path, f"{key}.robots", f"must be one of {', '.join(ROBOTS_POLICIES)}")
    if stype == "spider" and robots != "obey":
        raise _bad(path, f"{key}.robots", "spiders always obey robots.txt")
    may_send = raw.get("may_send", [])
    if not isinstance(may_send, list) or not all(isinstance(f, str) for f in may_send):
        raise _bad(path, f"{key}.may_send", "must be a list of field names")
    for f in may_send:
        if f in ADDRESS_COLUMNS or f not in QUERY_FIELDS:
            raise _bad(path, f"{key}.may_send", f"{f!r} may never be sent out; allowed: {', '.join(QUERY_FIELDS)}")
    adapter = text("adapter")
    base_url = text("base_url")
    if stype != "file":
        adapter = adapter or name
        allowed = API_ADAPTERS if stype == "api" else SPIDER_ADAPTERS
        if adapter not in allowed:
            raise _bad(path, f"{key}.adapter", f"{adapter!r} is not a known {stype} ({', '.join(allowed)})")
        if not base_url:
            raise _bad(path, f"{key}.base_url", "missing; live sources need one")
        if "surname" not in may_send:
            raise _bad(path, f"{key}.may_send", "a live source needs at least surname to search")
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise _bad(path, f"{key}.base_url", "must be an http(s) URL without a query")
        base_url = base_url.rstrip("/")
        if rate > MAX_RATE_LIMIT and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise _bad(path, f"{key}.rate_limit", f"at most {MAX_RATE_LIMIT} requests per second for a remote host")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _bad(path, f"{key}.enabled", "must be true or false")
    timeout = raw.get("timeout", 10.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise _bad(path, f"{key}.timeout", "must be seconds above 0")
    max_results = raw.get("max_results", 50)
    if isinstance(max_results, bool) or not isinstance(max_results, int) or max_results <= 0:
        raise _bad(path, f"{key}.max_results", "must be a whole number above 0")
    return SourceEntry(
        name=name, kind=kind, type=stype, lawful_basis=text("lawful_basis", True), terms_reviewed_on=reviewed,
        adapter=adapter, base_url=base_url, rate_limit=float(rate), robots=robots, may_send=tuple(may_send),
        api_key_env=text("api_key_env"), enabled=enabled, timeout=float(timeout), max_results=max_results,
        notes=text("notes"),
    )


def parse_registry(text: str, path: Path) -> Registry:
    """Validate registry TOML text; BadInput names the file and the key at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{path}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"registry", "sources"})
    if unknown:
        raise _bad(path, unknown[0], "unknown table; use [registry] and [sources.NAME]")
    meta = data.get("registry", {})
    if not isinstance(meta, dict):
        raise _bad(path, "registry", "must be a table")
    contact = meta.get("contact")
    if not isinstance(contact, str) or not contact.startswith(("http://", "https://", "mailto:")):
        raise _bad(path, "registry.contact", "must be a URL or mailto: address to put in the User-Agent")
    extra = sorted(set(meta) - {"contact"})
    if extra:
        raise _bad(path, f"registry.{extra[0]}", "unknown key")
    sources = data.get("sources", {})
    if not isinstance(sources, dict):
        raise _bad(path, "sources", "must be a table of [sources.NAME] tables")
    return Registry(path=path, contact=contact, sources={n: _entry(path, n, raw) for n, raw in sources.items()})


def load_registry(path: Path | None = None) -> Registry:
    """Read and validate the registry, creating the default one on first use."""
    path = ensure_registry(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 text") from exc
    return parse_registry(text, path)


def validate_registry(path: Path | None = None) -> list[str]:
    """Validate the registry file; returns the source names, or raises BadInput naming file and key."""
    return sorted(load_registry(path).sources)


def require_source(name: str, *, type: str | None = None, registry: Registry | None = None) -> SourceEntry:
    """The enabled registered source `name`, or RefusedByPolicy."""
    return (registry or load_registry()).get(name, type=type)


def list_registry(registry: Registry | None = None, loaded: list[dict[str, object]] | None = None) -> list[dict]:
    """Rows for `tracing sources list`: every registered source plus loaded file sources not registered.

    `loaded` is `sources.files.list_sources(session)`; its record counts are joined by source name.
    """
    registry = registry or load_registry()
    held = {str(r["source"]): r for r in loaded or []}
    rows = []
    for name, e in sorted(registry.sources.items()):
        rows.append({
            "source": name, "kind": e.kind, "type": e.type, "enabled": e.enabled,
            "base_url": e.base_url or "", "rate_limit": e.rate_limit, "robots": e.robots,
            "may_send": ", ".join(e.may_send), "terms_reviewed_on": e.terms_reviewed_on.isoformat(),
            "lawful_basis": e.lawful_basis, "records": int(held.get(name, {}).get("rows", 0) or 0),
        })
    for name, r in sorted(held.items()):
        if name not in registry.sources:
            rows.append({
                "source": name, "kind": str(r["kind"]), "type": "file (unregistered)", "enabled": True,
                "base_url": "", "rate_limit": None, "robots": "", "may_send": "", "terms_reviewed_on": "",
                "lawful_basis": "", "records": int(r.get("rows", 0) or 0),
            })
    return rows


def registry_toml(contact: str, entries: list[SourceEntry]) -> str:
    """Render entries as registry TOML (used to point a registry at local replicas)."""
    lines = ["[registry]", f"contact = {_toml(contact)}", ""]
    for e in entries:
        lines.append(f"[sources.{e.name}]")
        for k in ("kind", "type", "adapter", "base_url", "lawful_basis"):
            if getattr(e, k) is not None:
                lines.append(f"{k} = {_toml(getattr(e, k))}")
        lines.append(f"terms_reviewed_on = {e.terms_reviewed_on.isoformat()}")
        lines.append(f"rate_limit = {e.rate_limit!r}")
        lines.append(f"robots = {_toml(e.robots)}")
        lines.append("may_send = [" + ", ".join(_toml(f) for f in e.may_send) + "]")
        if e.api_key_env:
            lines.append(f"api_key_env = {_toml(e.api_key_env)}")
        lines.append(f"enabled = {'true' if e.enabled else 'false'}")
        lines.append(f"timeout = {e.timeout!r}")
        lines.append(f"max_results = {e.max_results}")
        lines.append("")
    return "\n".join(lines)


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
