"""Prefect deployments of the trace-case flow, one per scheduled case, run by a process work pool.

`register` creates or replaces "trace-case/<REF>" in work pool `tracing.schedules.WORK_POOL` with only
``case_id`` as parameter; the flow is referenced by module path (``flows.trace_case.trace_case``), so
a worker started anywhere the package is installed can run it.

`run_worker` reconciles the database with Prefect, starts ``prefect worker start --pool tracing`` as a
child process and, while it runs, creates the due flow runs of each scheduled case itself
(`create_due_runs`). Prefect 3.8.8's server-side scheduler service fails under SQLAlchemy 2.1
("Can't evaluate bulk DML statement" in its bulk insert of scheduled runs), so the worker does the
scheduling with one API call per run, using the same idempotency key as Prefect's scheduler
("scheduled <deployment> <schedule> <date>"): where the server scheduler works, both create the same
run once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from tracing import schedules
from tracing.models import Case, CaseSchedule

log = logging.getLogger(__name__)
HORIZON = timedelta(seconds=10)  # create runs due this far ahead, so the worker's prefetch picks them up


def ensure_work_pool(name: str = schedules.WORK_POOL) -> None:
    """Create the process work pool if it does not exist."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
        except ObjectNotFound:
            with contextlib.suppress(ObjectAlreadyExists):
                client.create_work_pool(WorkPoolCreate(name=name, type="process"))


def schedule_kwargs(row: CaseSchedule, now: datetime | None = None) -> dict[str, Any]:
    """`to_deployment` schedule arguments for a CaseSchedule: cron, interval, or an RRULE ending at 25."""
    if row.cron:
        return {"cron": row.cron}
    every = schedules.parse_every(row.every or "")
    if every.interval is not None:
        return {"interval": every.interval}
    return {"rrule": every.rrule(now or datetime.now(UTC), row.ends_on)}


def register(case: Case, row: CaseSchedule, now: datetime | None = None) -> str:
    """Create or replace the case's deployment on the Prefect API; returns its id."""
    from prefect.deployments.runner import EntrypointType

    from flows.trace_case import trace_case

    ensure_work_pool()
    deployment = trace_case.to_deployment(
        name=schedules.deployment_name(case), parameters={"case_id": case.id},
        work_pool_name=schedules.WORK_POOL, entrypoint_type=EntrypointType.MODULE_PATH,
        tags=["tracing", "care-leaver"], description="Scheduled re-search of a care leaver's case (case id only).",
        **schedule_kwargs(row, now),
    )
    return str(deployment.apply())


def schedule_case(session: Session, case: Case, every: str | None = None, cron: str | None = None) -> CaseSchedule:
    """Record the schedule and, when a Prefect API is configured, register its deployment."""
    row = schedules.create_schedule(session, case, every=every, cron=cron)
    if schedules.prefect_configured():
        row.deployment_id = register(case, row)
        session.add(row)
        session.flush()
    return row


def reconcile(session: Session) -> dict[str, int]:
    """Stop what is due, delete stopped deployments, register active schedules that have no deployment."""
    counts = schedules.reconcile(session)
    registered = 0
    if schedules.prefect_configured():
        for row in session.exec(select(CaseSchedule).where(CaseSchedule.active == True)):  # noqa: E712
            if not row.deployment_id:
                row.deployment_id = register(session.get(Case, row.case_id), row)
                session.add(row)
                registered += 1
        session.flush()
    return {**counts, "registered": registered}


def worker_command(pool: str = schedules.WORK_POOL, limit: int | None = None) -> list[str]:
    """The `prefect worker start` command line for our work pool."""
    cmd = [sys.executable, "-m", "prefect", "worker", "start", "--pool", pool, "--type", "process"]
    if limit:
        cmd += ["--limit", str(limit)]
    return cmd


def due_dates(schedule: object, created: datetime, now: datetime) -> list[datetime]:
    """The latest date due at or before `now` (a run missed while no worker ran) and those within HORIZON."""
    from prefect.server.schemas import schedules as server_schedules

    kind = type(schedule).__name__
    server_cls = getattr(server_schedules, kind)
    sched = server_cls.model_validate(schedule.model_dump(mode="json"))
    interval = getattr(schedule, "interval", None)
    lookback = 2 * interval if isinstance(interval, timedelta) else timedelta(days=400)
    # The schedule's anchor is set just before the deployment is created: allow a minute of slack.
    start = max(created - timedelta(minutes=1), now - lookback)
    past = asyncio.run(sched.get_dates(n=1000, start=start, end=now))
    ahead = asyncio.run(sched.get_dates(n=100, start=now + timedelta(microseconds=1), end=now + HORIZON))
    return [*past[-1:], *ahead]


def create_due_runs(session: Session, now: datetime | None = None) -> int:
    """Create, idempotently, the due flow runs of every active scheduled case; returns how many were due."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Scheduled

    now = now or datetime.now(UTC)
    created = 0
    rows = list(session.exec(select(CaseSchedule).where(CaseSchedule.active == True)))  # noqa: E712
    with get_client(sync_client=True) as client:
        for row in rows:
            if not row.deployment_id:
                continue
            try:
                deployment = client.read_deployment(row.deployment_id)
            except ObjectNotFound:
                continue
            if deployment.paused:
                continue
            for ds in deployment.schedules:
                if not ds.active:
                    continue
                for when in due_dates(ds.schedule, deployment.created or now, now):
                    key = f"scheduled {deployment.id} {ds.id} {when}"
                    client.create_flow_run_from_deployment(
                        deployment.id, state=Scheduled(scheduled_time=when), idempotency_key=key,
                        tags=["auto-scheduled"],
                    )
                    created += 1
    return created


def run_worker(pool: str = schedules.WORK_POOL, limit: int | None = None, tick: float = 2.0) -> int:
    """Run the process worker as a child and create due runs every `tick` seconds until stopped."""
    from tracing.db import session_scope

    ensure_work_pool(pool)
    child = subprocess.Popen(worker_command(pool, limit))
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        while not stopping and child.poll() is None:
            try:
                with session_scope() as s:
                    schedules.stop_due(s)
                    create_due_runs(s)
            except Exception as exc:  # a server hiccup must not end the worker
                log.warning("scheduling pass failed: %s", type(exc).__name__)
            time.sleep(tick)
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
    return child.returncode or 0


def demo_schedule(reference: str, out_dir: Path, mother_surname: str | None = None) -> dict[str, Any]:
    """For `make demo`: schedule a searched case every 6 months, then act out its next scheduled run.

    Records the schedule (database only: no server needed), writes two synthetic record files "published
    since" (a younger sibling's birth and, for the top unblocked candidate, a new directory entry),
    loads them, runs the flow as its schedule would and returns `alerts_json`: typically a "changed"
    alert (new_record, new_address) for the top candidate, and a "new" one when the sibling links.
    `mother_surname` is the mother's birth surname from the seed case, if the caller knows it.
    """
    from datetime import date

    from flows.trace_case import trace_case
    from sources.files import load_file, write_records_csv
    from tracing.alerts import alerts_json
    from tracing.cases import get_case
    from tracing.db import session_scope
    from tracing.models import Candidate, Child, SeedPerson

    with session_scope() as s:
        case = get_case(s, reference)
        schedules.create_schedule(s, case, every="6m")
        child = s.exec(select(Child).where(Child.case_id == case.id)).one()
        mother = s.exec(select(SeedPerson).where(SeedPerson.case_id == case.id,
                                                 SeedPerson.relationship == "mother")).first()
        top = s.exec(select(Candidate).where(Candidate.case_id == case.id, Candidate.active == True,  # noqa: E712
                                             Candidate.blocked == False, Candidate.deceased == False)  # noqa: E712
                     .order_by(Candidate.rank)).first()
        case_id = case.id
        mmn = mother_surname or (mother.former_surnames[0] if mother and mother.former_surnames
                                 else (mother.surname if mother else "")) or ""
        born = child.date_of_birth or date(2010, 1, 1)
        sibling_born = min(date(born.year + 3, 3, 14), date.today())
        top_name = top.display_name if top else None
    out_dir.mkdir(parents=True, exist_ok=True)
    tag = f"{reference}-{date.today():%Y%m%d}"
    files = {
        "birth_index": [{"record_id": f"BIDEMO-{tag}", "surname": (child.surname or "").upper(),
                         "forenames": "Robin Demo", "mother_maiden_surname": mmn.upper(),
                         "district": child.birth_district or "", "year": sibling_born.year,
                         "quarter": (sibling_born.month - 1) // 3 + 1, "month": sibling_born.month,
                         "date_of_birth": sibling_born.isoformat()}],
    }
    if top_name:
        files["directory"] = [{"record_id": f"DIDEMO-{tag}", "full_name": top_name, "address": "1 Demo Row",
                               "town": "Newtown", "postcode": "ZZ1 1ZZ", "first_seen_year": date.today().year,
                               "last_seen_year": date.today().year, "age_band": "", "other_occupants": ""}]
    for kind, rows in files.items():
        path = write_records_csv(out_dir / f"{kind}-since-{tag}.csv", kind, rows)
        with session_scope() as s:
            load_file(s, kind, kind, path)
    trace_case(case_id)  # what the schedule runs six months on
    with session_scope() as s:
        return alerts_json(s, get_case(s, reference))
