"""The Prefect flow: case id in, counts out; idempotent; refuses without consent; nothing personal returned."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from flows.trace_case import trace_case
from sources.files import load_file
from tests.pipelines.test_kin import RECORDS
from tests.tracing.test_cases import SEED
from tracing import db
from tracing.cases import add_case, parse_seed_case
from tracing.errors import RefusedByPolicy
from tracing.models import Candidate, Decision, SearchRun
from tracing.review import decide

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("prefect")]


def _load(tmp_path, kind: str, rows: list[dict]) -> None:  # noqa: ANN001
    from sources.files import write_records_csv

    path = write_records_csv(tmp_path / f"{kind}.csv", kind, rows)
    with db.session_scope() as s:
        load_file(s, kind, kind, path)


@pytest.fixture
def loaded_case(tracing_home, tmp_path) -> int:  # noqa: ANN001
    db.migrate()
    by_kind: dict[str, list[dict]] = {}
    for _source, kind, rid, data in RECORDS:
        by_kind.setdefault(kind, []).append({"record_id": rid, **data})
    for kind, rows in by_kind.items():
        _load(tmp_path, kind, rows)
    with db.session_scope() as s:
        return add_case(s, parse_seed_case(json.dumps(SEED))).id


def test_flow_queues_candidates_and_returns_counts_only(prefect_harness, loaded_case: int) -> None:
    result = trace_case(loaded_case)
    assert set(result) == {"run_id", "records", "candidates"}
    assert all(isinstance(v, int) for v in result.values())
    with db.session_scope() as s:
        run = s.exec(select(SearchRun)).one()
        assert run.state == "completed" and run.flow_run_id
        cands = s.exec(select(Candidate)).all()
    assert result["candidates"] == len(cands) > 0
    assert {c.relationship for c in cands} >= {"mother", "maternal_grandmother"}


def test_rerunning_is_idempotent_and_keeps_decisions(prefect_harness, loaded_case: int) -> None:
    trace_case(loaded_case)
    with db.session_scope() as s:
        first = {c.identity: c.id for c in s.exec(select(Candidate))}
        case = s.exec(select(Candidate)).first()
        some = next(c for c in s.exec(select(Candidate)) if not c.blocked)
        from tracing.models import Case

        decide(s, s.get(Case, case.case_id), f"c{some.id}", False, "not him", "tester")
    trace_case(loaded_case)
    with db.session_scope() as s:
        again = {c.identity: c.id for c in s.exec(select(Candidate))}
        assert again == first
        assert s.get(Candidate, some.id).status == "rejected"
        assert len(s.exec(select(Decision)).all()) == 1
        assert len(s.exec(select(SearchRun)).all()) == 2


def test_flow_refuses_a_case_without_consent(prefect_harness, tracing_home) -> None:  # noqa: ANN001
    db.migrate()
    seed = json.loads(json.dumps(SEED))
    seed["consent"] = {"child_agreed_on": "2026-10-01"}
    with db.session_scope() as s:
        case_id = add_case(s, parse_seed_case(json.dumps(seed))).id
    with pytest.raises(RefusedByPolicy):
        trace_case(case_id)
    with db.session_scope() as s:
        assert s.exec(select(SearchRun)).all() == []
        assert s.exec(select(Candidate)).all() == []


def test_no_personal_data_in_prefect_parameters_results_or_logs(prefect_harness, loaded_case: int) -> None:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    result = trace_case(loaded_case)
    with db.session_scope() as s:
        run = s.get(SearchRun, result["run_id"])
        flow_run_id = run.flow_run_id

    async def fetch() -> tuple[dict, list[str]]:
        async with get_client() as client:
            fr = await client.read_flow_run(flow_run_id)
            logs = await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[fr.id])))
            return fr.parameters, [log.message for log in logs]

    import time

    deadline = time.time() + 30  # logs travel to the API in batches
    parameters, messages = asyncio.run(fetch())
    while not any("candidates queued" in m for m in messages) and time.time() < deadline:
        time.sleep(0.5)
        parameters, messages = asyncio.run(fetch())
    assert any("candidates queued" in m for m in messages), messages  # the logs were really read
    assert parameters == {"case_id": loaded_case}
    everything = json.dumps({"parameters": parameters, "result": result, "logs": messages})
    # Canaries from the seed case: the child, the do-not-contact grandfather, the undisclosable place,
    # and names and addresses from the records.
    for canary in ("HUNTER", "Mason", "Roger", "Brook Street", "N16 8YF", "DAVIES", "Elm Road", "Chrissie"):
        assert canary.lower() not in everything.lower(), canary
