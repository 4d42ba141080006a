"""The outbound query guard: the one door every request to a live source goes through.

A query is built from a minimal `PersonQuery` (surname, forename, birth year) cut down to the
fields the registry says the source may receive. Before anything leaves, the full URL and body are
scanned for canaries from the case's protected set: the child's name and date of birth, places
that must never be disclosed, and the names of do-not-contact people. A hit refuses the request.

Canaries are kept only as keyed hashes of normalised word sequences, so the guard can be handed to a
crawl subprocess without writing the protected values to disk. The audit log records the source,
the URL path, the query field names and a keyed digest of the values, never the values themselves.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from sources.registry import QUERY_FIELDS, SourceEntry
from tracing.errors import RefusedByPolicy

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_WORD = re.compile(r"[0-9a-z]+")
_POSTCODE = re.compile(r"\b([a-z]{1,2}[0-9][0-9a-z]?)\s*([0-9][a-z]{2})\b")


class OutboundRefused(RefusedByPolicy):
    """A request would have sent protected information; it was not sent."""


def words(text: str) -> list[str]:
    """Normalised words: URL-decoded twice, accents stripped, case-folded, split on non-alphanumerics."""
    text = unquote_plus(unquote_plus(text))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return _WORD.findall(text)


@dataclass(frozen=True)
class PersonQuery:
    """The most a search may say about a person: surname, first forename and year of birth."""

    surname: str | None = None
    forename: str | None = None
    birth_year: int | None = None

    def values(self) -> dict[str, str]:
        """The non-empty fields as strings (forename cut to its first word)."""
        out: dict[str, str] = {}
        if self.surname and self.surname.strip():
            out["surname"] = self.surname.strip()
        if self.forename and self.forename.strip():
            out["forename"] = self.forename.strip().split()[0]
        if self.birth_year:
            out["birth_year"] = str(int(self.birth_year))
        return out


def _date_forms(d: date) -> list[str]:
    """Ways a date of birth may be written in a URL or body."""
    return [
        d.isoformat(), f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}",
        f"{d.year}{d.month:02d}{d.day:02d}", f"{d.day:02d}{d.month:02d}{d.year}",
        f"{d.day} {_MONTHS[d.month - 1]} {d.year}", f"{_MONTHS[d.month - 1]} {d.day} {d.year}",
        f"{d.month:02d}/{d.day:02d}/{d.year}",
    ]


def _place_forms(place: str) -> list[str]:
    """An undisclosable place: the whole address, each address line with a number, the postcode."""
    forms = [place]
    low = place.casefold()
    for m in _POSTCODE.finditer(low):
        forms += [f"{m.group(1)} {m.group(2)}", f"{m.group(1)}{m.group(2)}"]
    for part in re.split(r",", place):
        if re.search(r"\d", part) and len(words(part)) >= 2 and not _POSTCODE.fullmatch(part.strip().casefold()):
            forms.append(_POSTCODE.sub("", part.casefold()))
    return forms


@dataclass
class ProtectedSet:
    """Keyed hashes of the case's canaries. A canary is a set of word sequences that must all appear."""

    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    canaries: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (reason, digests)
    lengths: set[int] = field(default_factory=set)

    def _digest(self, seq: Iterable[str]) -> str:
        return hmac.new(self.key, " ".join(seq).encode(), hashlib.sha256).hexdigest()

    def add(self, reason: str, *phrases: str) -> None:
        """Protect the conjunction of `phrases` (each normalised into words); empty phrases are ignored."""
        # A phrase with no words adds no condition: fewer conditions refuse more, never less.
        seqs = [s for s in (words(p) for p in phrases if p) if s]
        if not seqs:
            return
        self.canaries.append((reason, tuple(self._digest(s) for s in seqs)))
        self.lengths.update(len(s) for s in seqs)

    def add_person(self, reason: str, forenames: str | None, surnames: Iterable[str | None]) -> None:
        """A person's name: first forename with each surname, the full forenames with each surname.

        With no surname known the first forename alone is protected (fail closed).
        """
        fn = words(forenames or "")
        sns = [s for s in surnames if s and words(s)]
        if not fn:
            return
        for sn in sns or [None]:
            if sn is None:
                self.add(reason, fn[0])
                continue
            self.add(reason, fn[0], sn)
            if len(fn) > 1:
                self.add(reason, " ".join(fn), sn)

    def add_date(self, reason: str, d: date | None) -> None:
        """A full date in every common spelling."""
        if d is not None:
            for form in _date_forms(d):
                self.add(reason, form)

    def add_place(self, reason: str, place: str | None) -> None:
        """An undisclosable address and its postcode."""
        if place:
            for form in _place_forms(place):
                self.add(reason, form)

    def violations(self, text: str) -> list[str]:
        """The reasons (never the values) for which `text` may not be sent."""
        ws = words(text)
        present: set[str] = set()
        for n in self.lengths:
            for i in range(len(ws) - n + 1):
                present.add(self._digest(ws[i:i + n]))
        return sorted({reason for reason, digests in self.canaries if all(d in present for d in digests)})

    def check(self, text: str, source: str) -> None:
        """Raise OutboundRefused if `text` carries any canary."""
        found = self.violations(text)
        if found:
            raise OutboundRefused(
                f"outbound request to {source} refused: it would disclose {', '.join(found)}"
            )

    def to_json(self) -> dict[str, Any]:
        """Hashes only, for a crawl subprocess."""
        return {"key": self.key.hex(), "canaries": [[r, list(d)] for r, d in self.canaries],
                "lengths": sorted(self.lengths)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProtectedSet:
        """The inverse of `to_json`."""
        return cls(key=bytes.fromhex(data["key"]), canaries=[(r, tuple(d)) for r, d in data["canaries"]],
                   lengths=set(data["lengths"]))


def protected_set_for_case(session: Any, case_id: int) -> ProtectedSet:
    """The canaries of one stored case: child name and date of birth, undisclosable places, DNC people."""
    from sqlmodel import select

    from tracing.models import Child, Restriction, SeedPerson

    protected = ProtectedSet()
    child = session.exec(select(Child).where(Child.case_id == case_id)).first()
    if child is not None:
        protected.add_person("the child's name", child.forenames, [child.surname])
        protected.add_date("the child's date of birth", child.date_of_birth)
    restrictions = list(session.exec(select(Restriction).where(Restriction.case_id == case_id)))
    dnc = {r.person_key for r in restrictions if r.kind == "do_not_contact" and r.person_key}
    for r in restrictions:
        if r.kind == "do_not_disclose_location":
            protected.add_place("an undisclosable place", r.place)
    for p in session.exec(select(SeedPerson).where(SeedPerson.case_id == case_id)):
        if p.key in dnc:
            protected.add_person("a do-not-contact person's name", p.forenames,
                                 [p.surname, *(p.former_surnames or [])])
    return protected


def minimal_query(entry: SourceEntry, person: PersonQuery, protected: ProtectedSet) -> dict[str, str]:
    """The query a source may receive: `person` cut to the source's `may_send` fields, canaries refused."""
    values = {k: v for k, v in person.values().items() if k in entry.may_send and k in QUERY_FIELDS}
    if "surname" not in values:
        raise OutboundRefused(f"query for {entry.name} refused: a search needs a surname")
    protected.check(" ".join(values.values()), entry.name)
    return values


def _audit_key(home: Path) -> bytes:
    path = home / "outbound.key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
    return path.read_bytes()


@dataclass
class OutboundRequest:
    """One request as it left (kept in memory for the run; the audit file keeps no values)."""

    source: str
    method: str
    url: str
    body: str
    at: datetime
    status: int | None = None


class OutboundLog:
    """Every outbound request of a run: in memory, and as JSON lines in `$TRACING_HOME/outbound.log`."""

    def __init__(self, audit_path: Path | None = None, keep_values: bool = True) -> None:
        self.requests: list[OutboundRequest] = []
        self.audit_path = audit_path
        self.keep_values = keep_values
        self._lock = threading.Lock()
        self._key = _audit_key(audit_path.parent) if audit_path else b""

    def record(self, source: str, method: str, url: str, body: str = "", status: int | None = None,
               fields: Iterable[str] = ()) -> OutboundRequest:
        """Note one request; the audit line has the path, the field names and a keyed digest of the values."""
        req = OutboundRequest(source, method, url if self.keep_values else "", body if self.keep_values else "",
                              datetime.now(UTC), status)
        with self._lock:
            self.requests.append(req)
            if self.audit_path:
                parts = urlsplit(url)
                names = sorted(set(fields) or {k for k, _ in _pairs(parts.query)})
                digest = hmac.new(self._key, (parts.query + "\n" + body).encode(), hashlib.sha256).hexdigest()[:32]
                line = {"at": req.at.isoformat(), "source": source, "method": method, "path": parts.path,
                        "fields": names, "values_digest": digest, "status": status}
                with open(self.audit_path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(line) + "\n")
        return req


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)


def guard_request(protected: ProtectedSet, source: str, url: str, body: str | bytes = b"") -> None:
    """The last line of defence: refuse if the full URL or body carries a canary."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    protected.check(f"{url} {text}", source)
