"""Alerts on change only: first search none, unchanged re-search none, new/changed people named by id only."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pytest
from sqlmodel import Session, select

from tests.pipelines.test_kin import RECORDS, _birth
from tests.tracing.test_cases import SEED
from tracing.alerts import REVIEW_THRESHOLD, alerts_json, changes, record_alerts
from tracing.cases import add_case, parse_seed_case
from tracing.models import Alert, Candidate, CandidateSnapshot, Case, Decision, SourceFile, SourceRecord
from tracing.review import decide
from tracing.search import finish_run, link_and_rank, start_run

NEW_SISTER = _birth("B12", "HUNTER", "Lily", "DAVIES", "Newham", "2010-01-01")
AUNT_DIES = ("death_index", "death_index", "X2", {
    "surname": "BANKS", "forenames": "Lorraine", "date_of_birth": "1970-12-12", "age_at_death": 55,
    "district": "Leeds", "year": 2026, "quarter": 1})
MOTHER_MOVES = ("directory", "directory", "D3", {
    "full_name": "Kelly HUNTER", "address": "7 Oak Road", "town": "Stratford", "postcode": "E15 2BB",
    "first_seen_year": 2025, "last_seen_year": 2026, "age_band": "50-54", "other_occupants": ""})


def load(session: Session, records: Iterable[tuple[str, str, str, dict]], tag: str) -> None:
    """Store records as if loaded by `sources add-file`, one SourceFile per source."""
    records = list(records)
    for source in sorted({r[0] for r in records}):
        sf = SourceFile(source=source, kind=source, path=f"{tag}.csv", content_hash=f"{tag}-{source}")
        session.add(sf)
        session.flush()
        session.add_all(SourceRecord(source_file_id=sf.id, source=src, kind=kind, record_id=rid, data=data)
                        for src, kind, rid, data in records if src == source)
    session.flush()


def search(session: Session, case: Case) -> list[tuple[str, str, list[str]]]:
    """One search as the flow does it (begin, link, enqueue, alerts); returns (candidate, kind, what)."""
    run = start_run(session, case)
    finish_run(session, run, case, link_and_rank(session, case))
    return [(f"c{a.candidate_id}", a.kind, list(a.what)) for a in record_alerts(session, run)]


def label(session: Session, case: Case, relationship: str) -> str:
    cand = session.exec(select(Candidate).where(Candidate.case_id == case.id,
                                                Candidate.relationship == relationship)).one()
    return f"c{cand.id}"


@pytest.fixture
def case(session: Session) -> Case:
    load(session, RECORDS, "first")
    return add_case(session, parse_seed_case(json.dumps(SEED)))


def test_first_search_and_unchanged_research_raise_none(session: Session, case: Case) -> None:
    assert search(session, case) == []
    assert alerts_json(session, case) == {"case": SEED["reference"], "run": 1, "alerts": []}
    assert search(session, case) == []
    assert session.exec(select(Alert)).all() == []
    # Every active candidate of both runs was snapshotted with "source:record_id" records.
    snaps = session.exec(select(CandidateSnapshot).where(CandidateSnapshot.run_id == 2)).all()
    assert snaps and all(":" in r for s in snaps for r in s.records)


def test_new_person_is_new(session: Session, case: Case) -> None:
    search(session, case)
    load(session, [NEW_SISTER], "second")
    alerts = search(session, case)
    assert alerts == [(label(session, case, "sister"), "new", [])]


def test_new_record_and_address_is_changed(session: Session, case: Case) -> None:
    search(session, case)
    load(session, [MOTHER_MOVES], "second")
    assert search(session, case) == [(label(session, case, "mother"), "changed", ["new_record", "new_address"])]


def test_newly_deceased_is_changed(session: Session, case: Case) -> None:
    search(session, case)
    load(session, [AUNT_DIES], "second")
    assert search(session, case) == [(label(session, case, "maternal_aunt"), "changed", ["new_record", "deceased"])]


def test_decisions_are_kept_and_alerts_carry_ids_only(session: Session, case: Case) -> None:
    search(session, case)
    mother = label(session, case, "mother")
    decide(session, case, mother, True, None, "tester")
    load(session, [NEW_SISTER, AUNT_DIES, MOTHER_MOVES], "second")
    alerts = search(session, case)
    assert {(c, k) for c, k, _ in alerts} == {(mother, "changed"), (label(session, case, "maternal_aunt"), "changed"),
                                              (label(session, case, "sister"), "new")}
    assert session.get(Candidate, int(mother[1:])).status == "verified"
    assert len(session.exec(select(Decision)).all()) == 1
    text = json.dumps(alerts_json(session, case))
    for personal in ("Oak Road", "E15", "HUNTER", "Lily", "Lorraine", "Kelly", "D3"):
        assert personal not in text
    # A repeat search over the same data is quiet again.
    assert search(session, case) == []


def test_score_crossing_the_threshold_either_way() -> None:
    def snap(score: float) -> CandidateSnapshot:
        return CandidateSnapshot(run_id=1, candidate_id=1, score=score, records=["a:1"], contact=None)

    assert changes(snap(REVIEW_THRESHOLD - 0.1), snap(REVIEW_THRESHOLD + 0.1)) == ["score_crossed_threshold"]
    assert changes(snap(REVIEW_THRESHOLD + 0.1), snap(REVIEW_THRESHOLD - 0.1)) == ["score_crossed_threshold"]
    assert changes(snap(0.9), snap(0.95)) == []


@pytest.mark.slow
@pytest.mark.postgres
def test_alerts_on_postgresql(postgres_url: str, tracing_home, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from sqlalchemy import text

    from tracing import db

    monkeypatch.setenv("TRACING_DATABASE_URL", postgres_url)
    with db.get_engine().begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    db.migrate()
    with db.session_scope() as s:
        load(s, RECORDS, "first")
        case = add_case(s, parse_seed_case(json.dumps(SEED)))
        assert search(s, case) == []
    with db.session_scope() as s:
        case = s.get(Case, case.id)
        assert search(s, case) == []
        load(s, [NEW_SISTER, AUNT_DIES], "second")
    with db.session_scope() as s:
        case = s.get(Case, case.id)
        kinds = sorted(k for _, k, _ in search(s, case))
    assert kinds == ["changed", "new"]
    with db.session_scope() as s:
        assert [a["kind"] for a in alerts_json(s, s.get(Case, case.id))["alerts"]] == ["changed", "new"]
