"""Local replicas of each live source over a synthetic world, on 127.0.0.1 at a free port.

Each replica reproduces its source's API or site (Companies House officer search and appointments,
The Gazette notice feed, a BMD index search site, a directory site) from `tracing.synthetic`
records, and has switches to misbehave: robots.txt 5xx / 404 / disallow, 429 with Retry-After,
5xx then success, slow answers and garbage. Every request received is logged, so tests can check
exactly what left the machine. Used by tests and by `tracing demo --live`. Synthetic people only.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from sources.registry import REGISTRY_ENV, Registry, SourceEntry, parse_registry, registry_toml

REPLICA_KEY_ENV = "TRACING_REPLICA_API_KEY"
CONTACT = "https://github.com/tracing-family-finding/tracing#contact"


@dataclass
class ReceivedRequest:
    """One request a replica received."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    at: float
    status: int = 0

    @property
    def url(self) -> str:
        """Path and query as sent."""
        return f"{self.path}?{self.query}" if self.query else self.path


@dataclass
class ReplicaControl:
    """Switches to make a replica misbehave; change them between requests."""

    robots: str = "allow"  # allow | disallow_all | disallow_people | 404 | 5xx
    fail_next: int = 0  # answer the next N requests with 503, then behave
    throttle_next: int = 0  # answer the next N requests with 429 and Retry-After
    retry_after: str = "1"
    slow_seconds: float = 0.0
    garbage: bool = False
    etags: bool = True
    requests: list[ReceivedRequest] = field(default_factory=list)

    def received(self, path_prefix: str = "") -> list[ReceivedRequest]:
        """Requests received (robots.txt included), optionally only under a path."""
        return [r for r in self.requests if r.path.startswith(path_prefix)]


def _robots(control: ReplicaControl) -> Response:
    if control.robots == "5xx":
        return PlainTextResponse("robots temporarily unavailable", status_code=503)
    if control.robots == "404":
        return PlainTextResponse("not found", status_code=404)
    body = {"allow": "User-agent: *\nAllow: /\n", "disallow_all": "User-agent: *\nDisallow: /\n",
            "disallow_people": "User-agent: *\nDisallow: /person/\n"}[control.robots]
    return PlainTextResponse(body)


def _app(control: ReplicaControl, garbage: Response) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def switches(request: Request, call_next: Any) -> Response:
        body = (await request.body()).decode("utf-8", "replace")
        rec = ReceivedRequest(request.method, request.url.path, request.url.query, dict(request.headers), body,
                              time.monotonic())
        control.requests.append(rec)
        if request.url.path == "/robots.txt":
            response = _robots(control)
        else:
            if control.slow_seconds:
                await asyncio.sleep(control.slow_seconds)
            if control.fail_next > 0:
                control.fail_next -= 1
                response = PlainTextResponse("upstream unavailable", status_code=503)
            elif control.throttle_next > 0:
                control.throttle_next -= 1
                response = PlainTextResponse("slow down", status_code=429,
                                             headers={"Retry-After": control.retry_after})
            elif control.garbage:
                response = garbage
            else:
                response = await call_next(request)
        rec.status = response.status_code
        return response

    return app


def _json(request: Request, control: ReplicaControl, payload: Any) -> Response:
    """JSON with an ETag; If-None-Match with the same tag gets 304."""
    response = JSONResponse(payload)
    if control.etags:
        tag = '"' + hashlib.sha256(response.body).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers={"ETag": tag})
        response.headers["ETag"] = tag
    return response


def _words(text: str | None) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in (text or "").casefold()).split() if w]


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _rows(frame: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in r.items()} for r in frame.to_dict("records")]


def _name_matches(forenames: str | None, surname: str | None, words: list[str]) -> bool:
    """Search semantics of the replicas: every query word is the surname or starts a forename."""
    names = _words(forenames)
    sn = _words(surname)
    return bool(words) and all(w in sn or any(n.startswith(w) for n in names) for w in words) \
        and any(w in sn for w in words)


# ---------------------------------------------------------------------------------------------
# Companies House
# ---------------------------------------------------------------------------------------------

def companies_house_app(officers: pd.DataFrame, control: ReplicaControl) -> FastAPI:
    """`/search/officers` and `/officers/{id}/appointments` over `company_officers` records."""
    app = _app(control, Response("{\"items\": [", media_type="application/json"))
    by_officer: dict[str, list[dict]] = {}
    for r in _rows(officers):
        key = f"{r['name']}|{r['birth_month']}|{r['birth_year']}"
        oid = hashlib.sha1(key.encode()).hexdigest()[:20]
        by_officer.setdefault(oid, []).append(r)

    def split(name: str) -> tuple[str, str]:
        surname, _, forenames = name.partition(",")
        return surname.strip(), forenames.strip()

    def address(r: dict) -> dict:
        return {k: v for k, v in (("address_line_1", r["address"]), ("locality", r["town"]),
                                  ("postal_code", r["postcode"]), ("country", "England")) if v}

    def authorised(request: Request) -> bool:
        return request.headers.get("authorization", "").startswith("Basic ")

    @app.get("/search/officers")
    def search(request: Request, q: str = "", items_per_page: int = 35, start_index: int = 0) -> Response:
        if not authorised(request):
            return JSONResponse({"error": "Invalid Authorization"}, status_code=401)
        words = _words(q)
        items = []
        for oid, rows in sorted(by_officer.items()):
            surname, forenames = split(rows[0]["name"])
            if not _name_matches(forenames, surname, words):
                continue
            latest = max(rows, key=lambda r: r["appointed_on"] or "")
            items.append({
                "kind": "searchresults#officer", "title": f"{forenames} {surname}",
                "date_of_birth": {"month": rows[0]["birth_month"], "year": rows[0]["birth_year"]},
                "address": address(latest), "address_snippet": ", ".join(address(latest).values()),
                "appointment_count": len(rows), "description": f"Total number of appointments {len(rows)}",
                "links": {"self": f"/officers/{oid}/appointments"},
            })
        page = items[start_index:start_index + items_per_page]
        return _json(request, control, {"kind": "search#officers", "items": page, "total_results": len(items),
                                        "items_per_page": items_per_page, "start_index": start_index})

    @app.get("/officers/{oid}/appointments")
    def appointments(request: Request, oid: str) -> Response:
        if not authorised(request):
            return JSONResponse({"error": "Invalid Authorization"}, status_code=401)
        rows = by_officer.get(oid)
        if not rows:
            return JSONResponse({"errors": [{"error": "not-found"}]}, status_code=404)
        surname, forenames = split(rows[0]["name"])
        items = []
        for n, r in enumerate(rows):
            number = f"{int(hashlib.sha1((oid + str(n)).encode()).hexdigest()[:7], 16) % 10**8:08d}"
            items.append({
                "name": r["name"], "officer_role": "director", "appointed_on": r["appointed_on"],
                "resigned_on": r["resigned_on"], "occupation": r["occupation"], "address": address(r),
                "name_elements": {"surname": surname, "forename": forenames.split()[0] if forenames else None,
                                  "other_forenames": " ".join(forenames.split()[1:]) or None},
                "appointed_to": {"company_number": number, "company_name": f"SYNTHETIC {number} LIMITED",
                                 "company_status": "active" if not r["resigned_on"] else "dissolved"},
                "links": {"company": f"/company/{number}"},
            })
        items = [{k: v for k, v in i.items() if v is not None} for i in items]
        return _json(request, control, {
            "kind": "personal-appointment", "name": f"{forenames} {surname}",
            "date_of_birth": {"month": rows[0]["birth_month"], "year": rows[0]["birth_year"]},
            "items": items, "total_results": len(items), "items_per_page": 35, "start_index": 0,
            "links": {"self": f"/officers/{oid}/appointments"},
        })

    return app


# ---------------------------------------------------------------------------------------------
# The Gazette
# ---------------------------------------------------------------------------------------------

def _long_date(iso: str | None) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def gazette_app(probate: pd.DataFrame, control: ReplicaControl) -> FastAPI:
    """`/all-notices/notice/data.json` deceased estates notices over `probate` records."""
    app = _app(control, Response("<<not json>>", media_type="application/json"))
    notices = _rows(probate)

    def entry(r: dict) -> dict:
        place = ", ".join(x for x in (r["address"], r["town"], r["postcode"]) if x)
        content = (f"<dl><dt>Surname</dt><dd>{html.escape(r['surname'] or '')}</dd>"
                   f"<dt>First names</dt><dd>{html.escape(r['forenames'] or '')}</dd>"
                   f"<dt>Address</dt><dd>{html.escape(place)}</dd>"
                   f"<dt>Date of death</dt><dd>{_long_date(r['date_of_death'])}</dd></dl>")
        return {"id": f"https://www.thegazette.co.uk/notice/{r['record_id']}",
                "title": f"{r['surname']}, {r['forenames']}", "f:notice-code": "2904",
                "published": f"{r['grant_date']}T00:00:00Z" if r["grant_date"] else None,
                "updated": f"{r['grant_date']}T00:00:00Z" if r["grant_date"] else None,
                "category": {"@term": "G205010000", "@label": "Deceased Estates"}, "content": content}

    @app.get("/all-notices/notice/data.json")
    def feed(request: Request, text: str = "", noticetype: str = "2904",
             results_page: int = 1, results_page_size: int = 10) -> Response:
        params = request.query_params
        page = int(params.get("results-page", results_page))
        size = int(params.get("results-page-size", results_page_size))
        words = _words(text)
        hits = [entry(r) for r in notices if noticetype == "2904" and _name_matches(r["forenames"], r["surname"],
                                                                                    words)]
        return _json(request, control, {"title": "Notices", "f:total": str(len(hits)), "f:page-number": str(page),
                                        "entry": hits[(page - 1) * size:page * size]})

    return app


# ---------------------------------------------------------------------------------------------
# BMD index search site
# ---------------------------------------------------------------------------------------------

_INDEX_KINDS = {"births": "birth_index", "marriages": "marriage_index", "deaths": "death_index"}
_INDEX_HEADERS = {
    "birth_index": [("surname", "Surname"), ("forenames", "Forenames"),
                    ("mother_maiden_surname", "Mother's maiden surname"), ("district", "District"),
                    ("year", "Year"), ("quarter", "Quarter"), ("month", "Month"), ("date_of_birth", "Date of birth")],
    "marriage_index": [("surname", "Surname"), ("forenames", "Forenames"), ("spouse_surname", "Spouse surname"),
                       ("district", "District"), ("year", "Year"), ("quarter", "Quarter")],
    "death_index": [("surname", "Surname"), ("forenames", "Forenames"), ("date_of_birth", "Date of birth"),
                    ("age_at_death", "Age at death"), ("district", "District"), ("year", "Year"),
                    ("quarter", "Quarter")],
}
_GARBAGE_HTML = HTMLResponse("<html><body><h1>Please wait</h1><p>Our service is busy.</p></body></html>")


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><html><head><title>{html.escape(title)}</title></head>"
                        f"<body>{body}</body></html>")


def _cell(v: Any) -> str:
    return "" if v is None else html.escape(str(v))


def index_site_app(records: dict[str, pd.DataFrame], control: ReplicaControl, page_size: int = 20) -> FastAPI:
    """`/search?type=births|marriages|deaths&surname=&forename=&from=&to=&page=` over BMD index records."""
    app = _app(control, _GARBAGE_HTML)
    data = {kind: _rows(records[kind]) for kind in _INDEX_KINDS.values() if kind in records}

    @app.get("/search")
    def search(request: Request, type: str = "births", surname: str = "", forename: str = "", page: int = 1
               ) -> Response:
        kind = _INDEX_KINDS.get(type)
        if kind is None or not surname:
            return _page("Search", "<form action='/search'><input name='surname'></form>")
        params = request.query_params
        lo, hi = int(params.get("from") or 0), int(params.get("to") or 9999)
        words = _words(f"{forename} {surname}")
        hits = [r for r in data.get(kind, []) if _name_matches(r["forenames"], r["surname"], words)
                and (r["surname"] or "").casefold() == surname.casefold() and lo <= int(r["year"] or 0) <= hi]
        hits.sort(key=lambda r: (r["year"] or 0, r["quarter"] or 0, r["record_id"]))
        shown = hits[(page - 1) * page_size:page * page_size]
        if not hits:
            return _page("Results", "<p class='no-results'>No entries found.</p>")
        head = "".join(f"<th>{label}</th>" for _, label in _INDEX_HEADERS[kind])
        rows = "".join(
            f"<tr data-entry='{_cell(r['record_id'])}'>" + "".join(f"<td>{_cell(r[c])}</td>"
                                                                    for c, _ in _INDEX_HEADERS[kind]) + "</tr>"
            for r in shown)
        nxt = ""
        if page * page_size < len(hits):
            q = request.url.include_query_params(page=page + 1).query
            nxt = f"<p class='pagination'><a rel='next' href='/search?{html.escape(q)}'>Next</a></p>"
        return _page("Results", f"<p>{len(hits)} entries</p><table class='results'><thead><tr>{head}</tr></thead>"
                                f"<tbody>{rows}</tbody></table>{nxt}")

    return app


# ---------------------------------------------------------------------------------------------
# Directory site
# ---------------------------------------------------------------------------------------------

def directory_app(directory: pd.DataFrame, control: ReplicaControl, page_size: int = 10) -> FastAPI:
    """`/people?surname=&forename=&page=` and `/person/{id}` over `directory` records."""
    app = _app(control, _GARBAGE_HTML)
    people: dict[str, list[dict]] = {}
    for r in _rows(directory):
        pid = "P" + hashlib.sha1((r["full_name"] or "").encode()).hexdigest()[:12]
        people.setdefault(pid, []).append(r)

    @app.get("/people")
    def search(request: Request, surname: str = "", forename: str = "", page: int = 1) -> Response:
        hits = []
        for pid, spells in sorted(people.items()):
            words = _words(spells[0]["full_name"])
            if not words or words[-1] != surname.casefold():
                continue
            if forename and not words[0].startswith(forename.casefold()):
                continue
            hits.append((pid, spells[0]["full_name"]))
        if not hits:
            return _page("People", "<p class='no-results'>Nobody found.</p>")
        shown = hits[(page - 1) * page_size:page * page_size]
        items = "".join(f"<li><a class='person' href='/person/{pid}'>{_cell(name)}</a></li>" for pid, name in shown)
        nxt = ""
        if page * page_size < len(hits):
            q = request.url.include_query_params(page=page + 1).query
            nxt = f"<a rel='next' href='/people?{html.escape(q)}'>More</a>"
        return _page("People", f"<ul class='people'>{items}</ul>{nxt}")

    @app.get("/person/{pid}")
    def person(pid: str) -> Response:
        spells = people.get(pid)
        if not spells:
            return _page("Not found", "<p>No such person</p>")
        rows = "".join(
            f"<tr data-record='{_cell(s['record_id'])}'><td>{_cell(s['address'])}</td><td>{_cell(s['town'])}</td>"
            f"<td>{_cell(s['postcode'])}</td><td>{_cell(s['first_seen_year'])}</td>"
            f"<td>{_cell(s['last_seen_year'])}</td><td>{_cell(s['age_band'])}</td>"
            f"<td>{_cell(s['other_occupants'])}</td></tr>" for s in spells)
        return _page(spells[0]["full_name"] or "", (
            f"<h1 class='full-name'>{_cell(spells[0]['full_name'])}</h1><table class='spells'><thead><tr>"
            "<th>Address</th><th>Town</th><th>Postcode</th><th>From</th><th>To</th><th>Age band</th>"
            f"<th>Others at address</th></tr></thead><tbody>{rows}</tbody></table>"))

    return app


# ---------------------------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------------------------

class Replica:
    """One replica server running in a background thread."""

    def __init__(self, app: FastAPI, control: ReplicaControl) -> None:
        self.control = control
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    def start(self) -> Replica:
        """Start serving; returns once the server accepts connections."""
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("replica server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.should_exit = True
        self._thread.join(timeout=5)
        self._sock.close()


def _entry(name: str, kind: str, type_: str, adapter: str, base_url: str, rate: float, may_send: list[str],
           api_key_env: str | None = None, timeout: float = 5.0) -> SourceEntry:
    return SourceEntry(
        name=name, kind=kind, type=type_, adapter=adapter, base_url=base_url,
        lawful_basis="synthetic replica for tests and demos", terms_reviewed_on=date(2026, 1, 15),
        rate_limit=rate, robots="obey" if type_ == "spider" else "not_applicable", may_send=tuple(may_send),
        api_key_env=api_key_env, enabled=True, timeout=timeout, max_results=50,
    )


@dataclass
class ReplicaSet:
    """The running replicas of a world and the registry entries pointing at them (named by kind)."""

    replicas: dict[str, Replica]
    entries: list[SourceEntry]

    def registry(self) -> Registry:
        """A registry of the replica sources (validated like a real one)."""
        return parse_registry(registry_toml(CONTACT, self.entries), Path("<replicas>"))

    def write_registry(self, path: Path) -> Path:
        """Write the replica registry TOML to `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(registry_toml(CONTACT, self.entries), encoding="utf-8")
        return path

    @contextlib.contextmanager
    def activated(self, path: Path | None = None) -> Iterator[Path]:
        """Point `TRACING_SOURCES_FILE` at a replica registry (and set the replica API key) for a while."""
        with tempfile.TemporaryDirectory(prefix="tracing-replicas-") as tmp:
            target = self.write_registry(path or Path(tmp) / "sources.toml")
            saved = {k: os.environ.get(k) for k in (REGISTRY_ENV, REPLICA_KEY_ENV)}
            os.environ[REGISTRY_ENV] = str(target)
            os.environ[REPLICA_KEY_ENV] = os.environ.get(REPLICA_KEY_ENV) or "synthetic-replica-key"
            try:
                yield target
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v

    def all_requests(self) -> list[ReceivedRequest]:
        """Every request any replica received."""
        return [r for rep in self.replicas.values() for r in rep.control.requests]

    def stop(self) -> None:
        """Stop every replica."""
        for rep in self.replicas.values():
            rep.stop()


# Kinds served live by the replicas; a live demo loads only the other kinds from files.
LIVE_KINDS = ("company_officers", "probate", "birth_index", "marriage_index", "death_index", "directory")


def start_replicas(records: dict[str, pd.DataFrame], rate_limit: float = 20.0, timeout: float = 5.0) -> ReplicaSet:
    """Start the four replica servers over `records` (e.g. `build_world(...).records`)."""
    ch_control = ReplicaControl()  # each app closes over its own control object
    replicas = {"companies_house": Replica(companies_house_app(records["company_officers"], ch_control), ch_control)}
    gz = ReplicaControl()
    replicas["gazette"] = Replica(gazette_app(records["probate"], gz), gz)
    ix = ReplicaControl()
    replicas["index_site"] = Replica(index_site_app(records, ix), ix)
    di = ReplicaControl()
    replicas["directory_site"] = Replica(directory_app(records["directory"], di), di)
    started: dict[str, Replica] = {}
    try:
        for name, rep in replicas.items():
            started[name] = rep.start()
    except Exception:
        for rep in started.values():
            rep.stop()
        raise
    url = {k: r.base_url for k, r in replicas.items()}
    entries = [
        _entry("company_officers", "company_officers", "api", "companies_house", url["companies_house"], rate_limit,
               ["surname", "forename"], REPLICA_KEY_ENV, timeout),
        _entry("probate", "probate", "api", "gazette", url["gazette"], rate_limit, ["surname", "forename"],
               timeout=timeout),
        _entry("birth_index", "birth_index", "spider", "index_search", url["index_site"], rate_limit,
               ["surname", "forename", "birth_year"], timeout=timeout),
        _entry("marriage_index", "marriage_index", "spider", "index_search", url["index_site"], rate_limit,
               ["surname", "forename", "birth_year"], timeout=timeout),
        _entry("death_index", "death_index", "spider", "index_search", url["index_site"], rate_limit,
               ["surname", "forename", "birth_year"], timeout=timeout),
        _entry("directory", "directory", "spider", "directory_site", url["directory_site"], rate_limit,
               ["surname", "forename"], timeout=timeout),
    ]
    return ReplicaSet(replicas=replicas, entries=entries)


@contextlib.contextmanager
def running_replicas(records: dict[str, pd.DataFrame], rate_limit: float = 20.0, timeout: float = 5.0
                     ) -> Iterator[ReplicaSet]:
    """`start_replicas` as a context manager that stops them afterwards."""
    reps = start_replicas(records, rate_limit, timeout)
    try:
        yield reps
    finally:
        reps.stop()
