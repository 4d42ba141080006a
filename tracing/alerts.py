"""Alerts on change only: snapshot each search run's candidates and tell the next run what is new or changed.

After a search run completes, every active candidate it found is snapshotted (score, cited records as
"source:record_id", contact record, deceased). The run is then compared with the previous completed run
of the same case:

- a candidate absent from the previous run is ``new``;
- a candidate present in both is ``changed`` when it gained a record (``new_record``), its contact
  record changed (``new_address``), it is newly deceased (``deceased``) or its score crossed
  REVIEW_THRESHOLD either way (``score_crossed_threshold``).

The first search of a case raises no alerts and a re-search over unchanged data raises none. Alerts
name candidates by their public id only: never names, addresses or record contents.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from tracing.models import Alert, Candidate, CandidateRecord, CandidateSnapshot, Case, SearchRun, utcnow

REVIEW_THRESHOLD = 0.5
"""A candidate at or above this score is worth a coordinator's review."""

CHANGES = ("new_record", "new_address", "deceased", "score_crossed_threshold")


def snapshot_run(session: Session, run: SearchRun) -> list[CandidateSnapshot]:
    """Snapshot the active candidates this run found (idempotent: an existing snapshot set is returned)."""
    existing = list(session.exec(select(CandidateSnapshot).where(CandidateSnapshot.run_id == run.id)))
    if existing:
        return existing
    cands = list(session.exec(
        select(Candidate).where(Candidate.case_id == run.case_id, Candidate.active == True,  # noqa: E712
                                Candidate.last_run_id == run.id)
    ))
    records: dict[int, list[str]] = {}
    if cands:
        rows = session.exec(
            select(CandidateRecord.candidate_id, CandidateRecord.source, CandidateRecord.record_id)
            .where(CandidateRecord.candidate_id.in_([c.id for c in cands]))
        )
        for cid, source, rid in rows:
            records.setdefault(cid, []).append(f"{source}:{rid}")
    snaps = [
        CandidateSnapshot(
            run_id=run.id, candidate_id=c.id, score=float(c.score), records=sorted(records.get(c.id, [])),
            contact=f"{c.contact_source}:{c.contact_record_id}" if c.contact_source else None,
            deceased=bool(c.deceased),
        )
        for c in cands
    ]
    session.add_all(snaps)
    session.flush()
    return snaps


def previous_completed_run(session: Session, run: SearchRun) -> SearchRun | None:
    """The case's most recent completed run before this one, or None."""
    return session.exec(
        select(SearchRun).where(SearchRun.case_id == run.case_id, SearchRun.state == "completed",
                                SearchRun.id < run.id).order_by(SearchRun.id.desc())
    ).first()


def changes(before: CandidateSnapshot, after: CandidateSnapshot, threshold: float = REVIEW_THRESHOLD) -> list[str]:
    """What changed about one candidate between two snapshots, in CHANGES order."""
    what = []
    if set(after.records) - set(before.records):
        what.append("new_record")
    if after.contact and after.contact != before.contact:
        what.append("new_address")
    if after.deceased and not before.deceased:
        what.append("deceased")
    if (before.score >= threshold) != (after.score >= threshold):
        what.append("score_crossed_threshold")
    return what


def record_alerts(session: Session, run: SearchRun) -> list[Alert]:
    """Snapshot a completed run and store its alerts against the previous completed run (idempotent)."""
    current = snapshot_run(session, run)
    already = list(session.exec(select(Alert).where(Alert.run_id == run.id)))
    if already:
        return already
    previous = previous_completed_run(session, run)
    if previous is None:
        return []  # the first search of a case: everything is new, so nothing is news
    before = {s.candidate_id: s for s in session.exec(
        select(CandidateSnapshot).where(CandidateSnapshot.run_id == previous.id))}
    if not before and previous.candidates_found:
        return []  # the previous run predates snapshots: no baseline to compare with
    alerts = []
    for snap in sorted(current, key=lambda s: s.candidate_id):
        old = before.get(snap.candidate_id)
        if old is None:
            alerts.append(Alert(case_id=run.case_id, run_id=run.id, candidate_id=snap.candidate_id, kind="new",
                                what=[], created_at=utcnow()))
        elif what := changes(old, snap):
            alerts.append(Alert(case_id=run.case_id, run_id=run.id, candidate_id=snap.candidate_id,
                                kind="changed", what=what, created_at=utcnow()))
    session.add_all(alerts)
    session.flush()
    return alerts


def latest_completed_run(session: Session, case: Case) -> SearchRun | None:
    """The case's most recent completed search run."""
    return session.exec(
        select(SearchRun).where(SearchRun.case_id == case.id, SearchRun.state == "completed")
        .order_by(SearchRun.id.desc())
    ).first()


def alerts_json(session: Session, case: Case) -> dict[str, Any]:
    """The alerts of the case's most recent completed run: candidate ids and what changed, nothing personal."""
    run = latest_completed_run(session, case)
    rows: list[Alert] = []
    if run is not None:
        rows = list(session.exec(select(Alert).where(Alert.run_id == run.id).order_by(Alert.id)))
    return {
        "case": case.reference,
        "run": run.id if run is not None else None,
        "alerts": [
            {"candidate": f"c{a.candidate_id}" if a.candidate_id is not None else None, "kind": a.kind,
             "what": list(a.what)}
            for a in rows
        ],
    }


def abandon_stale_runs(session: Session, case_id: int, keep: int | None = None) -> int:
    """Mark the case's runs still 'running' (their worker died) as failed with error 'abandoned'.

    Called when a new search of the case begins; the killed run's candidates were never written
    (enqueueing is one transaction), so nothing is lost or doubled. Returns how many were marked.
    """
    query = select(SearchRun).where(SearchRun.case_id == case_id, SearchRun.state == "running")
    if keep is not None:
        query = query.where(SearchRun.id != keep)
    stale = list(session.exec(query))
    for run in stale:
        run.state, run.finished_at, run.error = "failed", utcnow(), "abandoned"
        session.add(run)
    session.flush()
    return len(stale)


def alert_count(session: Session, case: Case) -> int:
    """How many alerts the case has had in all (for summaries)."""
    return int(session.exec(select(func.count()).select_from(Alert).where(Alert.case_id == case.id)).one())
