"""Scheduled re-searches for care leavers: one Prefect deployment per case, stopped at 25 or on closure/withdrawal.

`create_schedule` records a CaseSchedule row (ends_on = the child's 25th birthday) and, when a Prefect
API is configured, registers a deployment "trace-case/<REF>" of the trace-case flow in the process work
pool WORK_POOL with only ``case_id`` as parameter. `tracing worker` runs that pool.

`stop_for_case` is the one door for stopping: it always updates the database and never raises; it
deletes the deployment only when a Prefect API is configured and reachable. Whatever it could not reach
is caught by the guard inside the flow (`guard`), which stops a schedule whose case is past 25, closed
or has consent withdrawn, and by `reconcile` when the worker starts.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from tracing.errors import BadInput
from tracing.models import Case, CaseSchedule, Child, Consent

log = logging.getLogger(__name__)

WORK_POOL = "tracing"
FLOW_NAME = "trace-case"
CARE_LEAVER_AGE = 25
REASONS = ("25th_birthday", "case_closed", "consent_withdrawn", "manual")

_EVERY = re.compile(r"^\s*(\d+)\s*(s|h|d|w|m|y)\s*$")
_CRON = re.compile(r"^\S+(\s+\S+){4}$")


@dataclass(frozen=True)
class Every:
    """A parsed --every: months/years become an RRULE, shorter units a fixed interval."""

    count: int
    unit: str  # s | h | d | w | m | y

    @property
    def interval(self) -> timedelta | None:
        """The fixed interval, or None for calendar units (months, years)."""
        seconds = {"s": 1, "h": 3600, "d": 86400, "w": 7 * 86400}.get(self.unit)
        return timedelta(seconds=self.count * seconds) if seconds else None

    def rrule(self, start: datetime, until: date | None) -> str:
        """An RFC 5545 rule for calendar units, e.g. every 6 months until the 25th birthday."""
        freq = "MONTHLY" if self.unit == "m" else "YEARLY"
        rule = f"DTSTART:{start.strftime('%Y%m%dT%H%M%S')}\nRRULE:FREQ={freq};INTERVAL={self.count}"
        if until is not None:
            rule += f";UNTIL={until.strftime('%Y%m%d')}T000000"
        return rule


def parse_every(text: str) -> Every:
    """'6m' = six months; also 'Ns', 'Nh', 'Nd', 'Nw', 'Ny'. Bad input raises BadInput (exit 2)."""
    match = _EVERY.match(text or "")
    if not match or int(match.group(1)) <= 0:
        raise BadInput(f"--every {text!r}: expected a number and a unit, e.g. 6m (months), 2w, 7d, 12h, 30s")
    return Every(int(match.group(1)), match.group(2))


def parse_cron(text: str) -> str:
    """A five-field cron string, checked by Prefect's own parser."""
    if not _CRON.match((text or "").strip()):
        raise BadInput(f"--cron {text!r}: expected five fields, e.g. '0 3 1 */6 *'")
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=text.strip(), timezone="UTC")
    except ValueError as exc:
        raise BadInput(f"--cron {text!r}: {exc.__class__.__name__}") from None
    return text.strip()


def birthday(born: date, age: int) -> date:
    """The date a person born on `born` turns `age` (29 February -> 1 March in other years)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


def ends_on(session: Session, case: Case) -> date | None:
    """The child's 25th birthday, or None when the date of birth is unknown."""
    child = session.exec(select(Child).where(Child.case_id == case.id)).first()
    if child is None or child.date_of_birth is None:
        return None
    return birthday(child.date_of_birth, CARE_LEAVER_AGE)


def stop_reason(session: Session, case: Case, today: date | None = None) -> str | None:
    """Why the case's re-searches must stop now, or None: closed, consent withdrawn, or 25 reached."""
    today = today or date.today()
    if case.status == "closed":
        return "case_closed"
    consent = session.exec(select(Consent).where(Consent.case_id == case.id)).first()
    if consent is not None and consent.withdrawn_on is not None:
        return "consent_withdrawn"
    end = ends_on(session, case)
    if end is not None and today >= end:
        return "25th_birthday"
    return None


def deployment_name(case: Case) -> str:
    """The deployment's name: the case reference (a reference, not personal data)."""
    return case.reference


def api_url() -> str | None:
    """The configured Prefect API URL, or None."""
    from prefect.settings import PREFECT_API_URL

    return os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value() or None


def prefect_configured() -> bool:
    """True when a Prefect API URL is set: without one, no client is created (it would start a server)."""
    return api_url() is not None


def prefect_reachable(timeout: float = 2.0) -> bool:
    """One quick health check, no retries: the Prefect client would retry for many seconds."""
    import httpx

    url = api_url()
    if not url:
        return False
    try:
        return httpx.get(f"{url.rstrip('/')}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def create_schedule(session: Session, case: Case, every: str | None = None, cron: str | None = None,
                    today: date | None = None) -> CaseSchedule:
    """Record re-searches of a case until the child's 25th birthday; replaces an earlier schedule.

    Database only: the door (CLI) registers the Prefect deployment with `flows.deployments.register`.
    """
    if bool(every) == bool(cron):
        raise BadInput("give exactly one of --every (e.g. 6m) or --cron")
    every = f"{parse_every(every).count}{parse_every(every).unit}" if every else None
    cron = parse_cron(cron) if cron else None
    from tracing.cases import require_search_allowed

    require_search_allowed(session, case)  # closed / no consent: refused (exit 3)
    reason = stop_reason(session, case, today)
    if reason is not None:
        from tracing.errors import RefusedByPolicy

        raise RefusedByPolicy(f"case {case.reference} cannot be scheduled: {reason.replace('_', ' ')}")
    row = session.exec(select(CaseSchedule).where(CaseSchedule.case_id == case.id)).first()
    if row is None:
        row = CaseSchedule(case_id=case.id)
    row.every, row.cron, row.active, row.stopped_reason = every, cron, True, None
    row.ends_on = ends_on(session, case)
    session.add(row)
    session.flush()
    return row


def _delete_deployment(name: str, deployment_id: str | None, timeout: float = 5.0) -> bool:
    """Delete the case's deployment if a Prefect API is configured and reachable; never raises."""
    if not prefect_reachable():
        if prefect_configured():
            log.warning("Prefect API unreachable: deployment %s/%s left for the flow guard", FLOW_NAME, name)
        return False
    try:
        from prefect.client.orchestration import get_client
        from prefect.exceptions import ObjectNotFound

        with get_client(sync_client=True, httpx_settings={"timeout": timeout}) as client:
            try:
                dep_id = deployment_id or str(client.read_deployment_by_name(f"{FLOW_NAME}/{name}").id)
                client.delete_deployment(dep_id)
            except ObjectNotFound:
                pass
        return True
    except Exception as exc:  # unreachable server etc.: the flow guard and reconcile catch up
        log.warning("could not delete deployment %s/%s: %s", FLOW_NAME, name, type(exc).__name__)
        return False


def stop_for_case(session: Session, case_id: int, reason: str) -> bool:
    """Stop a case's scheduled re-searches; True when an active schedule was stopped. Never raises.

    The database row is updated in the caller's session (flushed, committed by the caller); the Prefect
    deployment is deleted when reachable, otherwise the in-flow guard stops it at its next run.
    """
    try:
        row = session.exec(select(CaseSchedule).where(CaseSchedule.case_id == case_id)).first()
        if row is None or not row.active:
            return False
        row.active, row.stopped_reason = False, reason
        session.add(row)
        session.flush()
        case = session.get(Case, case_id)
        name = case.reference if case is not None else ""
    except Exception as exc:
        log.warning("could not stop the schedule of case %s: %s", case_id, type(exc).__name__)
        return False
    if name:
        _delete_deployment(name, row.deployment_id)
    return True


def guard(session: Session, case_id: int, today: date | None = None) -> str | None:
    """Inside a flow run: if the case has a schedule and must stop, stop it and return why; else None."""
    row = session.exec(select(CaseSchedule).where(CaseSchedule.case_id == case_id)).first()
    case = session.get(Case, case_id)
    if row is None or case is None:
        return None
    reason = stop_reason(session, case, today)
    if reason is None:
        return None
    if row.active:
        stop_for_case(session, case_id, reason)
    else:
        _delete_deployment(case.reference, row.deployment_id)
    return reason


def stop_due(session: Session, today: date | None = None) -> list[tuple[str, str]]:
    """Stop every active schedule that must stop today; returns (reference, reason) pairs."""
    stopped = []
    for row in list(session.exec(select(CaseSchedule).where(CaseSchedule.active == True))):  # noqa: E712
        case = session.get(Case, row.case_id)
        reason = stop_reason(session, case, today) if case else "case_closed"
        if reason and stop_for_case(session, row.case_id, reason):
            stopped.append((case.reference if case else str(row.case_id), reason))
    return stopped


def reconcile(session: Session, today: date | None = None) -> dict[str, int]:
    """Bring Prefect in line with the database: stop what is due and delete deployments of stopped schedules.

    Returns counts; `flows.deployments.reconcile` also registers active schedules that have no deployment.
    """
    stopped = stop_due(session, today)
    deleted = 0
    for row in session.exec(select(CaseSchedule)):
        case = session.get(Case, row.case_id)
        if case is None:
            continue
        if not row.active and row.deployment_id and _delete_deployment(case.reference, row.deployment_id):
            row.deployment_id = None
            session.add(row)
            deleted += 1
    session.flush()
    return {"stopped": len(stopped), "deleted": deleted}


def schedules_json(session: Session) -> list[dict[str, Any]]:
    """Every schedule: reference, cadence, end date, state (no personal data)."""
    out = []
    for row in session.exec(select(CaseSchedule).order_by(CaseSchedule.id)):
        case = session.get(Case, row.case_id)
        out.append({
            "case": case.reference if case else None, "every": row.every, "cron": row.cron,
            "ends_on": row.ends_on.isoformat() if row.ends_on else None, "active": row.active,
            "stopped_reason": row.stopped_reason, "deployment_id": row.deployment_id,
        })
    return out
