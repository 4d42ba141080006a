"""The search flow of one case: fetch -> link -> enqueue. Parameters are case ids only."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.runtime import flow_run

from tracing.db import session_scope
from tracing.models import Case, SearchRun, utcnow
from tracing.search import finish_run, link_and_rank, start_run


@task(persist_result=False)
def begin(case_id: int) -> int:
    """Consent gate and a SearchRun row; returns the run id."""
    with session_scope() as s:
        return start_run(s, s.get(Case, case_id), flow_run.get_id()).id


@task(persist_result=False)
def fetch_sources(case_id: int, run_id: int) -> int:
    """Refresh enabled live sources (each fails closed on its own), then count what the search will read.

    File sources are loaded beforehand by `tracing sources add-file`.
    """
    from sqlalchemy import func
    from sqlmodel import select

    from sources.live import fetch_for_case, summary
    from tracing.models import SourceRecord

    with session_scope() as s:
        results = fetch_for_case(s, case_id)
    if results:
        get_run_logger().info("live sources: %s", summary(results))
        with session_scope() as s:
            run = s.get(SearchRun, run_id)
            run.sources = {name: {k: r.get(k) for k in ("state", "records", "error")} for name, r in results.items()}
            s.add(run)
    with session_scope() as s:
        return int(s.exec(select(func.count()).select_from(SourceRecord)).one())


@task(persist_result=False)
def link_and_enqueue(case_id: int, run_id: int) -> int:
    """Trace, score, apply restrictions and upsert the ranked queue in one transaction."""
    with session_scope() as s:
        case = s.get(Case, case_id)
        drafts = link_and_rank(s, case)
        return finish_run(s, s.get(SearchRun, run_id), case, drafts)


def _mark_failed(run_id: int, error: BaseException) -> None:
    with session_scope() as s:
        run = s.get(SearchRun, run_id)
        run.state, run.finished_at = "failed", utcnow()
        run.error = type(error).__name__  # the class only: messages may quote personal data
        s.add(run)


@flow(name="trace-case", persist_result=False, log_prints=False)
def trace_case(case_id: int) -> dict[str, int]:
    """Search one case; returns counts only (never personal data)."""
    logger = get_run_logger()
    run_id = begin(case_id)
    try:
        records = fetch_sources(case_id, run_id)
        found = link_and_enqueue(case_id, run_id)
    except Exception as exc:
        _mark_failed(run_id, exc)
        raise
    logger.info("search run %s: %s records read, %s candidates queued", run_id, records, found)
    return {"run_id": run_id, "records": records, "candidates": found}
