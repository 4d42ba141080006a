"""The review queue: store ranked candidates idempotently, show them, and record decisions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, select

from pipelines.enqueue import CandidateDraft
from tracing.errors import BadInput, NotFound, RefusedByPolicy
from tracing.models import Candidate, CandidateRecord, Case, Decision, SearchRun, SourceRecord, utcnow


def upsert_candidates(session: Session, case: Case, run: SearchRun, drafts: Sequence[CandidateDraft]) -> int:
    """Store a search's candidates: same person, same row; decisions kept; the rest marked inactive."""
    existing = {c.identity: c for c in session.exec(select(Candidate).where(Candidate.case_id == case.id))}
    seen: set[str] = set()
    for d in drafts:
        seen.add(d.identity)
        cand = existing.get(d.identity)
        if cand is None:
            cand = Candidate(case_id=case.id, identity=d.identity, relationship=d.relationship, first_run_id=run.id)
        cand.rank, cand.score, cand.relationship = d.rank, d.score, d.relationship
        cand.side, cand.degree, cand.seed_person = d.side, d.degree, d.seed_person
        cand.display_name, cand.deceased = d.display_name, d.deceased
        cand.blocked, cand.block_reasons = d.blocked, list(d.block_reasons)
        cand.contact_source, cand.contact_record_id = d.contact if d.contact else (None, None)
        cand.evidence, cand.chain = list(d.evidence), list(d.chain)
        cand.active, cand.last_run_id = True, run.id
        session.add(cand)
        session.flush()
        session.execute(delete(CandidateRecord).where(CandidateRecord.candidate_id == cand.id))
        session.add_all(
            CandidateRecord(candidate_id=cand.id, source=s, record_id=r, weight=w) for s, r, w in d.records
        )
    for identity, cand in existing.items():
        if identity not in seen and cand.active:
            cand.active = False
            session.add(cand)
    session.flush()
    return len(drafts)


def candidate_label(candidate: Candidate) -> str:
    """The public id of a candidate, e.g. 'c12'."""
    return f"c{candidate.id}"


def get_candidate(session: Session, case: Case, label: str) -> Candidate:
    """A candidate of this case by its public id ('c12' or '12')."""
    raw = label[1:] if label.lower().startswith("c") else label
    if not raw.isdigit():
        raise BadInput(f"candidate id {label!r} is not like c12")
    cand = session.get(Candidate, int(raw))
    if cand is None or cand.case_id != case.id:
        raise NotFound(f"case {case.reference} has no candidate {label}")
    return cand


def decide(session: Session, case: Case, label: str, verify: bool, reason: str | None, user: str) -> Candidate:
    """Verify or reject a candidate; a blocked candidate can never be verified."""
    cand = get_candidate(session, case, label)
    if verify:
        if cand.blocked:
            raise RefusedByPolicy(
                f"candidate {label} is blocked ({'; '.join(cand.block_reasons)}); it cannot be verified for contact"
            )
        cand.status = "verified"
    else:
        if not reason or not reason.strip():
            raise BadInput("a rejection needs --reason")
        cand.status = "rejected"
    session.add(Decision(candidate_id=cand.id, decision=cand.status, reason=(reason or "").strip() or None,
                         decided_by=user, decided_at=utcnow()))
    session.add(cand)
    session.flush()
    return cand


def _contact_details(session: Session, cand: Candidate) -> dict[str, Any] | None:
    # Only a verified, unblocked candidate's address may be shown.
    if cand.status != "verified" or cand.blocked or not cand.contact_source:
        return None
    rec = session.exec(
        select(SourceRecord).where(SourceRecord.source == cand.contact_source,
                                   SourceRecord.record_id == cand.contact_record_id)
    ).first()
    if rec is None:
        return None
    # Defence in depth: never show an address the case says must not be disclosed, whatever the pipeline did.
    from pipelines.policy import Restrictions, normalise_address
    from tracing.models import Restriction

    places = [normalise_address(r.place) for r in session.exec(
        select(Restriction).where(Restriction.case_id == cand.case_id,
                                  Restriction.kind == "do_not_disclose_location")) if r.place]
    data = rec.data
    if places and Restrictions(do_not_contact={}, undisclosable=tuple(places)).place_is_undisclosable(
            str(data.get("address") or ""), str(data.get("town") or ""), str(data.get("postcode") or "")):
        return None
    return {k: rec.data.get(k) for k in ("address", "town", "postcode") if rec.data.get(k)}


def queue(session: Session, case: Case, include_inactive: bool = False) -> list[dict[str, Any]]:
    """The ranked candidates of a case as the contract's JSON objects."""
    query = select(Candidate).where(Candidate.case_id == case.id)
    if not include_inactive:
        query = query.where(Candidate.active == True)  # noqa: E712
    cands = list(session.exec(query.order_by(Candidate.rank, Candidate.id)))
    records: dict[int, list[dict[str, str]]] = {}
    if cands:
        rows = session.exec(
            select(CandidateRecord).where(CandidateRecord.candidate_id.in_([c.id for c in cands]))
            .order_by(CandidateRecord.candidate_id, CandidateRecord.source, CandidateRecord.record_id)
        )
        for r in rows:
            records.setdefault(r.candidate_id, []).append({"source": r.source, "record_id": r.record_id})
    out = []
    for c in cands:
        item: dict[str, Any] = {
            "id": candidate_label(c),
            "rank": c.rank,
            "score": round(c.score, 4),
            "relationship": c.relationship,
            "seed_person": c.seed_person,
            "status": c.status,
            "blocked": c.blocked,
            "block_reasons": list(c.block_reasons),
            "deceased": c.deceased,
            "records": records.get(c.id, []),
            "contact": (
                {"source": c.contact_source, "record_id": c.contact_record_id} if c.contact_source else None
            ),
            "evidence": list(c.evidence),
            "name": c.display_name,
            "side": c.side,
            "degree": c.degree,
        }
        details = _contact_details(session, c)
        if details is not None:
            item["contact_details"] = details
        out.append(item)
    return out


def decide_as(session: Session, user: Any, case: Case, label: str, verify: bool, reason: str | None) -> Candidate:
    """`decide` by a named user who may see the case, with an audit event (ids only)."""
    from tracing import audit
    from tracing.access import DECIDERS, can_see, require_role

    require_role(user, *DECIDERS)
    if not can_see(session, user, case):
        raise NotFound(f"no case with reference {case.reference!r}")
    cand = decide(session, case, label, verify, reason, user.username)
    audit.record(session, user.username, "decision", case.reference, candidate_label(cand), decision=cand.status)
    return cand
