"""Retention and data-subject rights: purge what is no longer needed; export what is held about a person.

- A rejected candidate's personal data (name, evidence, chain of inference, linked records, contact
  pointer, snapshots) is purged to a tombstone TRACING_RETENTION_REJECTED_DAYS (default 90) after the
  rejection; the candidate row (its identity, so a re-search does not offer them again) and the decision stay.
- A closed case is deleted with everything about it TRACING_RETENTION_CLOSED_DAYS (default 730) after it
  was closed; the audit log keeps its reference only.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, select

from tracing.errors import BadInput
from tracing.models import (
    Alert,
    Candidate,
    CandidateRecord,
    CandidateSnapshot,
    Case,
    CaseAssignment,
    CaseSchedule,
    Child,
    Consent,
    Decision,
    Restriction,
    SearchRun,
    SeedPerson,
    SourceRecord,
)

TOMBSTONE = ""
WITHHELD = "[withheld: safeguarding restriction]"


def _days(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise BadInput(f"{name} must be a whole number of days")
    return int(raw)


def rejected_days() -> int:
    return _days("TRACING_RETENTION_REJECTED_DAYS", 90)


def closed_days() -> int:
    return _days("TRACING_RETENTION_CLOSED_DAYS", 730)


def _naive(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def purge(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Purge what is past its retention period at `now`; returns counts (no personal data)."""
    now = _naive(now or datetime.now(UTC))
    cutoff = now - timedelta(days=rejected_days())
    purged = 0
    for cand in session.exec(select(Candidate).where(Candidate.status == "rejected")):
        last = session.exec(select(Decision).where(Decision.candidate_id == cand.id)
                            .order_by(Decision.id.desc())).first()
        if last is None or last.decision != "rejected" or _naive(last.decided_at) > cutoff:
            continue
        if cand.display_name == TOMBSTONE and not cand.evidence and not cand.chain and cand.contact_source is None:
            has_records = session.exec(select(CandidateRecord).where(CandidateRecord.candidate_id == cand.id)).first()
            if has_records is None:
                continue
        cand.display_name, cand.evidence, cand.chain = TOMBSTONE, [], []
        cand.contact_source = cand.contact_record_id = None
        session.add(cand)
        session.execute(delete(CandidateRecord).where(CandidateRecord.candidate_id == cand.id))
        session.execute(delete(CandidateSnapshot).where(CandidateSnapshot.candidate_id == cand.id))
        purged += 1
    closed_cutoff = now.date() - timedelta(days=closed_days())
    cases = list(session.exec(select(Case).where(Case.status == "closed", Case.closed_on.is_not(None),
                                                 Case.closed_on <= closed_cutoff)))
    for case in cases:
        delete_case(session, case)
    session.flush()
    return {"rejected_purged": purged, "cases_deleted": len(cases)}


def delete_case(session: Session, case: Case) -> None:
    """Delete a case and everything held about it (explicitly, not relying on ON DELETE CASCADE)."""
    cand_ids = list(session.exec(select(Candidate.id).where(Candidate.case_id == case.id)))
    if cand_ids:
        for table in (CandidateRecord, CandidateSnapshot, Decision):
            session.execute(delete(table).where(table.candidate_id.in_(cand_ids)))
    session.execute(delete(Alert).where(Alert.case_id == case.id))
    session.execute(delete(Candidate).where(Candidate.case_id == case.id))
    session.execute(delete(CandidateSnapshot).where(
        CandidateSnapshot.run_id.in_(select(SearchRun.id).where(SearchRun.case_id == case.id))))
    for table in (SearchRun, CaseSchedule, CaseAssignment, Restriction, SeedPerson, Consent, Child):
        session.execute(delete(table).where(table.case_id == case.id))
    session.execute(delete(Case).where(Case.id == case.id))
    session.expunge(case)


# ------------------------------------------------------------------------------------------------
# Subject access
# ------------------------------------------------------------------------------------------------


def _tokens(text: str | None) -> set[str]:
    return set(re.findall(r"[A-Z0-9']+", (text or "").upper()))


def _record_name(data: dict[str, Any]) -> str:
    if data.get("full_name"):
        return str(data["full_name"])
    if data.get("name"):
        return str(data["name"]).replace(",", " ")
    return f"{data.get('forenames') or ''} {data.get('surname') or ''}"


def _dob_matches(dob: date | None, *, date_of_birth: Any = None, year: Any = None) -> bool:
    if dob is None:
        return True
    if date_of_birth:
        return str(date_of_birth)[:10] == dob.isoformat()
    if year not in (None, ""):
        return str(year) == str(dob.year)
    return True  # unknown birth date: may be them, so it is included


def subject_access(session: Session, name: str, dob: date | None = None) -> dict[str, Any]:
    """Everything held about a named person: source records, candidates, seed people and children.

    Any place under a do-not-disclose restriction is withheld (it is another person's safety).
    """
    wanted = _tokens(name)
    if not wanted:
        raise BadInput("give the person's name")
    from pipelines.policy import normalise_address

    hidden = [normalise_address(r.place) for r in session.exec(
        select(Restriction).where(Restriction.kind == "do_not_disclose_location")) if r.place]
    hidden = [h for h in hidden if h]

    def withhold(value: Any) -> Any:
        if isinstance(value, str):
            norm = normalise_address(value)
            if norm and any(norm in h or h in norm for h in hidden) and len(norm) >= 4:
                return WITHHELD
            return value
        if isinstance(value, list):
            return [withhold(v) for v in value]
        if isinstance(value, dict):
            return {k: withhold(v) for k, v in value.items()}
        return value

    out: dict[str, Any] = {"name": name, "date_of_birth": dob.isoformat() if dob else None,
                           "source_records": [], "candidates": [], "seed_people": [], "children": []}
    for rec in session.exec(select(SourceRecord).order_by(SourceRecord.id)):
        if wanted <= _tokens(_record_name(rec.data)) and _dob_matches(
                dob, date_of_birth=rec.data.get("date_of_birth"), year=rec.data.get("birth_year")):
            out["source_records"].append({"source": rec.source, "kind": rec.kind, "record_id": rec.record_id,
                                          "data": withhold(dict(rec.data))})
    refs = {c.id: c.reference for c in session.exec(select(Case))}
    for cand in session.exec(select(Candidate).order_by(Candidate.id)):
        if cand.display_name and wanted <= _tokens(cand.display_name):
            out["candidates"].append({"case": refs.get(cand.case_id), "id": f"c{cand.id}",
                                      "name": cand.display_name, "relationship": cand.relationship,
                                      "status": cand.status, "blocked": cand.blocked,
                                      "evidence": cand.evidence, "chain": withhold(list(cand.chain))})
    for p in session.exec(select(SeedPerson).order_by(SeedPerson.id)):
        names = _tokens(f"{p.forenames or ''} {p.surname or ''} {' '.join(p.former_surnames or [])}")
        if wanted <= names and _dob_matches(dob, date_of_birth=p.date_of_birth, year=p.birth_year):
            out["seed_people"].append({"case": refs.get(p.case_id), "id": p.key, "relationship": p.relationship,
                                       "forenames": p.forenames, "surname": p.surname,
                                       "former_surnames": p.former_surnames,
                                       "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else None,
                                       "birth_year": p.birth_year, "approx_age": p.approx_age,
                                       "places": withhold(p.places)})
    for ch in session.exec(select(Child).order_by(Child.id)):
        if wanted <= _tokens(f"{ch.forenames or ''} {ch.surname or ''}") and _dob_matches(
                dob, date_of_birth=ch.date_of_birth):
            out["children"].append({"case": refs.get(ch.case_id), "forenames": ch.forenames, "surname": ch.surname,
                                    "date_of_birth": ch.date_of_birth.isoformat() if ch.date_of_birth else None,
                                    "birth_district": ch.birth_district, "sex": ch.sex})
    return out
