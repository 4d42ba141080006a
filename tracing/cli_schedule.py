"""`tracing schedule`, `tracing unschedule`, `tracing schedules`, `tracing worker`, `tracing alerts`.

Scheduled re-searches for care leavers: one Prefect deployment per case (case id only), run by a
process work pool; alerts report only what is new or changed since the previous completed search.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

out = Console()


class AlertFormat(StrEnum):
    table = "table"
    json = "json"


def _db():  # noqa: ANN202
    from tracing.cli import _db as db

    return db()


def _visible(s, reference: str, action: str):  # noqa: ANN001, ANN202
    """The case if the acting user may see it (the CLI's one access check), with the action audited."""
    from tracing import audit
    from tracing.cli import _actor, _case

    user = _actor(s)
    case = _case(s, user, reference)
    audit.record(s, user.username, action, case.reference)
    return case


def schedule(
    reference: Annotated[str, typer.Argument(help="Case reference")],
    every: Annotated[str | None, typer.Option("--every", help="Interval: 6m = six months; also Nw, Nd, Nh, Ns")] = None,
    cron: Annotated[str | None, typer.Option("--cron", help="Cron string, e.g. '0 3 1 */6 *'")] = None,
) -> None:
    """Re-search a care leaver's case on a schedule until their 25th birthday."""
    from flows.deployments import schedule_case

    db = _db()
    with db.session_scope() as s:
        case = _visible(s, reference, "schedule")
        row = schedule_case(s, case, every=every, cron=cron)
        ends, registered = row.ends_on, bool(row.deployment_id)
    cadence = f"every {every}" if every else f"cron '{cron}'"
    where = "deployment trace-case/" + reference if registered else "no Prefect API configured: run `tracing worker`"
    out.print(f"{reference}: re-search {cadence} until {ends or 'stopped by hand'} ({where})", markup=False)


def unschedule(reference: Annotated[str, typer.Argument(help="Case reference")]) -> None:
    """Stop a case's scheduled re-searches."""
    from tracing.schedules import stop_for_case

    db = _db()
    with db.session_scope() as s:
        stopped = stop_for_case(s, _visible(s, reference, "unschedule").id, "manual")
    out.print(f"{reference}: {'schedule stopped' if stopped else 'no active schedule'}", markup=False)


def schedules_list() -> None:
    """List scheduled re-searches as JSON (references and cadence only)."""
    from tracing.access import visible_cases
    from tracing.cli import _actor
    from tracing.schedules import schedules_json

    db = _db()
    with db.session_scope() as s:
        seen = {c.reference for c in visible_cases(s, _actor(s))}
        rows = [r for r in schedules_json(s) if r["case"] in seen]
    print(json.dumps(rows, indent=2))


def worker(
    limit: Annotated[int | None, typer.Option("--limit", help="Most flow runs at once")] = None,
) -> None:
    """Run scheduled re-searches: reconcile schedules with Prefect, then run the process work pool."""
    from flows.deployments import reconcile, run_worker
    from tracing.errors import BadInput
    from tracing.schedules import prefect_configured

    if not prefect_configured():
        raise BadInput("PREFECT_API_URL is not set: start `prefect server start` and set PREFECT_API_URL")
    db = _db()
    with db.session_scope() as s:
        counts = reconcile(s)
    out.print(f"schedules: {counts['registered']} registered, {counts['stopped']} stopped, "
              f"{counts['deleted']} deployments removed; starting worker")
    raise typer.Exit(run_worker(limit=limit))


def alerts(
    reference: Annotated[str, typer.Argument(help="Case reference")],
    format: Annotated[AlertFormat, typer.Option("--format", help="table or json")] = AlertFormat.table,
) -> None:
    """What the most recent search found new or changed (candidate ids only)."""
    from tracing.alerts import alerts_json

    db = _db()
    with db.session_scope() as s:
        data = alerts_json(s, _visible(s, reference, "view_alerts"))
    if format is AlertFormat.json:
        print(json.dumps(data, indent=2))
        return
    if not data["alerts"]:
        out.print(f"{reference}: no new or changed candidates", markup=False)
    for a in data["alerts"]:
        out.print(f"{a['candidate']}: {a['kind']}{' (' + ', '.join(a['what']) + ')' if a['what'] else ''}",
                  markup=False)


def register(app: typer.Typer) -> None:
    """Add the scheduling commands to the `tracing` app."""
    app.command("schedule")(schedule)
    app.command("unschedule")(unschedule)
    app.command("schedules")(schedules_list)
    app.command("worker")(worker)
    app.command("alerts")(alerts)
