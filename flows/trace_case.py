"""The search flow of one case: fetch -> link -> enqueue -> alerts. Parameters are case ids only."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.runtime import deployment, flow_run

from tracing import alerts, schedules
from tracing.db import session_scope
from tracing.models import Case, SearchRun, utcnow
from tracing.search import finish_run, link_and_rank, start_run


@task(persist_result=False)
def schedule_guard(case_id: int) -> str | None:
    """A scheduled case past 25, closed or with consent withdrawn: stop its schedule and say why."""
    with session_scope() as s:
        return schedules.guard(s, case_id)


@task(persist_result=False)
def begin(case_id: int) -> int:
    """Consent gate and a SearchRun row (runs left 'running' by a killed worker are abandoned); returns the run id."""
    with session_scope() as s:
        case = s.get(Case, case_id)
        run = start_run(s, case, flow_run.get_id())
        alerts.abandon_stale_runs(s, case_id, keep=run.id)
        return run.id


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
    """Trace, score, apply restrictions, upsert the ranked queue and record alerts, in one transaction."""
    with session_scope() as s:
        case = s.get(Case, case_id)
        drafts = link_and_rank(s, case)
        run = s.get(SearchRun, run_id)
        count = finish_run(s, run, case, drafts)
        alerts.record_alerts(s, run)  # same transaction: snapshots and alerts commit with the queue
        return count


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
    # Only a scheduled run (from a deployment) is guarded; a manual search keeps the consent gate's refusal.
    stopped = schedule_guard(case_id) if deployment.id else None
    if stopped is not None:
        logger.info("case %s: schedule stopped (%s); nothing searched", case_id, stopped)
        return {"run_id": 0, "records": 0, "candidates": 0}
    run_id = begin(case_id)
    try:
        records = fetch_sources(case_id, run_id)
        found = link_and_enqueue(case_id, run_id)
    except Exception as exc:
        _mark_failed(run_id, exc)
        raise
    logger.info("search run %s: %s records read, %s candidates queued", run_id, records, found)
    return {"run_id": run_id, "records": records, "candidates": found}
