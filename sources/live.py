"""Fetch a case's people from every enabled live source: fail closed, lose nothing.

For each registered, enabled API or spider source: build minimal queries (surname, first forename,
birth year) for the case's seed people who are not under a do-not-contact restriction and for
unblocked candidates already found, pass each through the outbound guard, fetch, and store the
records in one transaction per source. A source that is down, slow or answers garbage is marked
failed (no exception escapes); the others still land; nothing is half-written. A later run resumes:
failed sources are tried again and unchanged answers come from the HTTP cache and store as no-ops.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import Session, select

from sources.client import SourceClient, SourceFailed
from sources.crawl import run_crawl
from sources.outbound import (
    OutboundLog,
    OutboundRefused,
    PersonQuery,
    ProtectedSet,
    minimal_query,
    protected_set_for_case,
)
from sources.registry import Registry, SourceEntry, load_registry
from sources.store import store_records
from tracing.errors import TracingError
from tracing.models import Candidate, CandidateRecord, Case, Restriction, SeedPerson, SourceRecord
from tracing.settings import get_settings

MAX_QUERIES = 25


def _first(text: str | None) -> str | None:
    parts = (text or "").split()
    return parts[0] if parts else None


def _year_of(data: dict[str, Any]) -> int | None:
    for key in ("date_of_birth",):
        if data.get(key):
            try:
                return date.fromisoformat(str(data[key])).year
            except ValueError:
                pass
    if data.get("birth_year"):
        return int(data["birth_year"])
    return None


def person_queries(session: Session, case_id: int, today: date | None = None) -> list[PersonQuery]:
    """Minimal queries for seed people not under do-not-contact and for unblocked active candidates."""
    today = today or date.today()
    restricted = {r.person_key for r in session.exec(select(Restriction).where(
        Restriction.case_id == case_id, Restriction.kind == "do_not_contact")) if r.person_key}
    out: list[PersonQuery] = []
    for p in session.exec(select(SeedPerson).where(SeedPerson.case_id == case_id).order_by(SeedPerson.key)):
        if p.key in restricted:
            continue
        year = p.date_of_birth.year if p.date_of_birth else p.birth_year
        if year is None and p.approx_age is not None:
            year = today.year - p.approx_age
        for surname in [p.surname, *(p.former_surnames or [])]:
            if surname:
                out.append(PersonQuery(surname=surname, forename=_first(p.forenames), birth_year=year))
    candidates = session.exec(select(Candidate).where(
        Candidate.case_id == case_id, Candidate.blocked == False, Candidate.active == True,  # noqa: E712
        Candidate.status != "rejected").order_by(Candidate.rank))
    for c in candidates:
        if c.seed_person in restricted:
            continue
        words = (c.display_name or "").split()
        if len(words) < 2:
            continue
        year = None
        cited = session.exec(select(SourceRecord.kind, SourceRecord.data).join(
            CandidateRecord, (CandidateRecord.source == SourceRecord.source)
            & (CandidateRecord.record_id == SourceRecord.record_id)).where(CandidateRecord.candidate_id == c.id))
        for kind, data in cited:
            year = _year_of(data) or (int(data["year"]) if kind == "birth_index" and data.get("year") else None)
            if year:
                break
        out.append(PersonQuery(surname=words[-1].upper(), forename=words[0], birth_year=year))
    unique: dict[tuple, PersonQuery] = {}
    for q in out:
        unique.setdefault((str(q.surname).casefold(), str(q.forename).casefold(), q.birth_year), q)
    return list(unique.values())[:MAX_QUERIES]


def _adapter(entry: SourceEntry) -> Callable[..., list[dict]]:
    if entry.adapter == "companies_house":
        from sources import companies_house

        return companies_house.fetch
    from sources import gazette

    return gazette.fetch


def fetch_source(entry: SourceEntry, registry: Registry, persons: list[PersonQuery], protected: ProtectedSet,
                 log: OutboundLog, **client_options: Any) -> tuple[list[dict], int]:
    """Records of one source for `persons` (no database), and how many queries the guard refused."""
    guarded: list[tuple[dict[str, str], PersonQuery]] = []
    refused = 0
    seen: set[tuple] = set()
    for person in persons:
        try:
            query = minimal_query(entry, person, protected)
        except OutboundRefused:
            refused += 1
            continue
        key = tuple(sorted(query.items()))
        if key not in seen:
            seen.add(key)
            guarded.append((query, person))
    if entry.type == "spider":
        return run_crawl(entry, registry, [q for q, _ in guarded], protected, log), refused
    fetch = _adapter(entry)
    records: list[dict] = []
    with SourceClient(entry, registry, protected, log, **client_options) as client:
        for query, person in guarded:
            records.extend(fetch(query, client, birth_year=person.birth_year))
    return records, refused


def _error_text(exc: BaseException) -> str:
    # Our own errors are written to be shown; anything else gives its class only (it may quote data).
    return str(exc) if isinstance(exc, TracingError) else type(exc).__name__


def fetch_for_case(session: Session, case_id: int, *, registry: Registry | None = None,
                   log: OutboundLog | None = None, **client_options: Any) -> dict[str, dict[str, Any]]:
    """Fetch and store every enabled live source for one case; `{source: {state, records, error, ...}}`.

    Commits after each source that lands, so a later failure never takes earlier sources with it.
    Raises only if the case is missing or may not be searched (consent); source failures are reported.
    """
    from tracing.cases import require_search_allowed

    registry = registry or load_registry()
    sources = registry.live()
    if not sources:
        return {}
    case = session.get(Case, case_id)
    if case is None:
        from tracing.errors import NotFound

        raise NotFound(f"no case with id {case_id}")
    require_search_allowed(session, case)
    protected = protected_set_for_case(session, case_id)
    persons = person_queries(session, case_id)
    session.commit()  # end the read transaction before going out to the network
    log = log if log is not None else OutboundLog(get_settings().home / "outbound.log")
    results: dict[str, dict[str, Any]] = {}
    for entry in sources:
        sent_before = len(log.requests)
        try:
            records, refused = fetch_source(entry, registry, persons, protected, log, **client_options)
            stored = store_records(session, entry.name, entry.kind, records, origin=f"{entry.type}:{entry.base_url}")
            session.commit()
            results[entry.name] = {"state": "completed", "records": stored.rows, "error": None,
                                   "refused_queries": refused, "unchanged": stored.already_stored}
        except Exception as exc:  # noqa: BLE001 - fail closed per source; the others still run
            session.rollback()
            results[entry.name] = {"state": "failed", "records": 0, "error": _error_text(exc),
                                   "refused_queries": 0, "unchanged": False}
        results[entry.name]["requests"] = len(log.requests) - sent_before
    return results


def summary(results: dict[str, dict[str, Any]]) -> str:
    """One line per source for logs and the CLI (no personal data)."""
    return "; ".join(f"{name}: {r['state']} ({r['records']} records)" + (f" - {r['error']}" if r["error"] else "")
                     for name, r in sorted(results.items()))


__all__ = ["SourceFailed", "fetch_for_case", "fetch_source", "person_queries", "summary"]
