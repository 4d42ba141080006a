"""Crash safety: kill -9 a worker mid-search, search again: nothing lost, nothing doubled."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.flows.test_scheduled import kill_tree, prefect_server, runs, start_worker, tracing, wait_for, world
from tests.tracing.test_cases import SEED
from tracing import db
from tracing.models import Candidate, CandidateRecord, CaseSchedule

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("prefect-server")]
__all__ = ["prefect_server", "world"]  # fixtures used by name


def queue_state() -> tuple[dict[str, int], list[tuple[int, str, str]]]:
    """Candidate ids by identity, and every cited record."""
    with db.session_scope() as s:
        ids = {c.identity: c.id for c in s.exec(select(Candidate))}
        recs = sorted(s.exec(select(CandidateRecord.candidate_id, CandidateRecord.source, CandidateRecord.record_id)))
    return ids, [tuple(r) for r in recs]


def test_kill_minus_nine_mid_search_loses_and_doubles_nothing(world: dict[str, str], tmp_path: Path) -> None:
    ref = SEED["reference"]
    tracing(world, "search", ref)
    before = queue_state()
    assert before[0] and len(runs("completed")) == 1

    tracing(world, "schedule", ref, "--every", "1h")  # the worker creates the first due run at once
    log = tmp_path / "worker.log"
    worker = start_worker(world, log)
    try:
        running = wait_for(lambda: [r for r in runs("running") if r.id > 1], 60, "a scheduled search to start", log)
    finally:
        kill_tree(worker, signal.SIGKILL)
    killed = running[0].id
    assert [r.state for r in runs() if r.id == killed] == ["running"], "the search finished before the kill"
    assert queue_state() == before  # the killed search wrote nothing: enqueueing is one transaction

    tracing(world, "search", ref)
    after = queue_state()
    assert after == before  # same candidate ids, same records, no duplicates
    with db.session_scope() as s:
        per_candidate = s.exec(select(CandidateRecord.candidate_id, CandidateRecord.source, CandidateRecord.record_id,
                                      func.count()).group_by(CandidateRecord.candidate_id, CandidateRecord.source,
                                                             CandidateRecord.record_id)).all()
        assert all(row[3] == 1 for row in per_candidate)
    states = {r.id: (r.state, r.error) for r in runs()}
    assert states[killed] == ("failed", "abandoned")
    assert sorted(s for s, _ in states.values()) == ["completed", "completed", "failed"]
    assert tracing(world, "alerts", ref, "--format", "json").stdout.count('"kind"') == 0

    tracing(world, "unschedule", ref)
    with db.session_scope() as s:
        assert s.exec(select(CaseSchedule)).one().active is False
