"""The `tracing` command line (DESIGN.md contract 3). Exit 0 ok, 2 bad input, 3 refused by policy."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tracing.errors import BadInput, TracingError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
sources_app = typer.Typer(no_args_is_help=True, help="Record sources.")
cases_app = typer.Typer(no_args_is_help=True, help="Seed cases.")
app.add_typer(sources_app, name="sources")
users_app = typer.Typer(no_args_is_help=True, help="Users (administrators only).")
audit_app = typer.Typer(no_args_is_help=True, help="The audit log.")
app.add_typer(cases_app, name="cases")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
out = Console(width=None if sys.stdout.isatty() else 140)  # wide enough for the queue when piped
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False)


_USER: dict[str, str | None] = {"name": None}


@app.callback()
def _global_options(
    user: Annotated[str | None, typer.Option("--user", help="Act as this user (default: TRACING_USER, else the "
                                                            "local administrator of $TRACING_HOME)")] = None,
) -> None:
    """Family finding for children's social care. Every action is attributed to a named user."""
    _USER["name"] = user


def _db():  # noqa: ANN202
    from tracing import db

    if not db.is_initialised():
        db.migrate()
    return db


def _actor(s):  # noqa: ANN001, ANN202
    """The user this command acts as (the local administrator is created on first use)."""
    from tracing.auth import cli_user

    return cli_user(s, _USER["name"])


def _case(s, user, reference: str):  # noqa: ANN001, ANN202
    """A case the user may see (NotFound otherwise): the one access check every case command makes."""
    from tracing.access import require_case

    return require_case(s, user, reference)


@app.command()
def init() -> None:
    """Create or upgrade the database in $TRACING_HOME (or TRACING_DATABASE_URL)."""
    from tracing import db
    from tracing.settings import get_settings

    db.migrate()
    with db.session_scope() as s:
        _actor(s)
    settings = get_settings()
    where = settings.home if settings.is_sqlite else "the database at TRACING_DATABASE_URL"
    out.print(f"tracing initialised in {where}")


@sources_app.command("add-file")
def sources_add_file(
    name: Annotated[str, typer.Argument(help="Source name, e.g. birth_index or gro_births_2026")],
    path: Annotated[Path, typer.Argument(help="CSV file with a header row")],
    kind: Annotated[str, typer.Option("--kind", help="Record kind (contract 1)")],
    mapping: Annotated[Path | None, typer.Option("--mapping", help="TOML file renaming columns")] = None,
) -> None:
    """Load a record file; all-or-nothing, and a file already loaded is a no-op."""
    from sources.files import load_file

    db = _db()
    with _progress() as bar, db.session_scope() as s:
        task = bar.add_task(f"loading {path.name}", total=None)
        result = load_file(s, name, kind, path, mapping, progress=lambda n: bar.advance(task, n))
    if result.already_loaded:
        out.print(f"{path}: already loaded into {name} ({result.rows} records); nothing changed")
    else:
        out.print(f"loaded {result.rows} {kind} records into source {name}")


@sources_app.command("list")
def sources_list() -> None:
    """Show every registered source (and loaded files): kind, type, politeness, what may be sent out."""
    from sources.files import list_sources
    from sources.registry import list_registry

    db = _db()
    with db.session_scope() as s:
        rows = list_registry(loaded=list_sources(s))
    table = Table("source", "kind", "type", "enabled", "rate limit", "robots", "may send", "terms reviewed",
                  "records")
    for r in rows:
        table.add_row(str(r["source"]), str(r["kind"]), str(r["type"]), "yes" if r["enabled"] else "no",
                      "" if r["rate_limit"] is None else f"{r['rate_limit']}/s", str(r["robots"]),
                      str(r["may_send"]), str(r["terms_reviewed_on"]), str(r["records"]))
    out.print(table)


@cases_app.command("add")
def cases_add(path: Annotated[Path, typer.Argument(help="Seed case JSON (contract 2)")]) -> None:
    """Validate and store a seed case; prints its reference."""
    from tracing import audit
    from tracing.access import on_case_created
    from tracing.cases import add_case, load_seed_case

    seed = load_seed_case(path)
    db = _db()
    with db.session_scope() as s:
        user = _actor(s)
        case = add_case(s, seed)
        on_case_created(s, user, case)
        audit.record(s, user.username, "case_add", case.reference)
    print(seed.reference)


@app.command()
def search(
    reference: Annotated[str | None, typer.Argument(help="Case reference")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Search every case that may be searched")] = False,
) -> None:
    """Run the search flow for a case (or all cases)."""
    from tracing import audit
    from tracing.access import visible_cases
    from tracing.cases import require_search_allowed
    from tracing.errors import RefusedByPolicy

    if bool(reference) == all_:
        raise BadInput("give a case reference or --all (not both)")
    db = _db()
    with db.session_scope() as s:
        user = _actor(s)
        cases = visible_cases(s, user) if all_ else [_case(s, user, reference)]
        allowed, refused = [], []
        for case in cases:
            try:
                require_search_allowed(s, case)
                allowed.append((case.id, case.reference))
                audit.record(s, user.username, "search", case.reference)
            except RefusedByPolicy as exc:
                refused.append(str(exc))
                audit.record(s, user.username, "search_refused", case.reference)
    if not all_ and refused:
        raise RefusedByPolicy(refused[0])
    for message in refused:
        err.print(f"skipped: {message}")
    from flows.trace_case import trace_case

    with _progress() as bar:
        task = bar.add_task("searching", total=len(allowed))
        for case_id, ref in allowed:
            bar.update(task, description=f"searching {ref}")
            result = trace_case(case_id)
            out.print(f"{ref}: {result['candidates']} candidates from {result['records']} records")
            bar.advance(task)


@app.command()
def candidates(
    reference: Annotated[str, typer.Argument(help="Case reference")],
    format: Annotated[Format, typer.Option("--format", help="table, json or csv")] = Format.table,
) -> None:
    """Show the ranked review queue of a case."""
    from tracing import audit
    from tracing.review import queue

    db = _db()
    with db.session_scope() as s:
        user = _actor(s)
        case = _case(s, user, reference)
        items = queue(s, case)
        audit.record(s, user.username, "view_queue" if format is Format.table else "export", case.reference,
                     format=format.value, candidates=len(items))
    if format is Format.json:
        print(json.dumps({"case": reference, "candidates": items}, indent=2))
    elif format is Format.csv:
        sys.stdout.write(queue_csv(items))
    else:
        out.print(queue_table(reference, items))


def queue_csv(items: list[dict]) -> str:
    """The queue as CSV: one row a candidate, lists joined with ';'."""
    buffer = io.StringIO()
    fields = ["id", "rank", "score", "relationship", "name", "side", "seed_person", "status", "blocked",
              "block_reasons", "deceased", "records", "contact", "evidence", "contact_details"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for c in items:
        writer.writerow({
            **{k: c.get(k) for k in ("id", "rank", "score", "relationship", "name", "side", "seed_person", "status")},
            "blocked": str(c["blocked"]).lower(),
            "deceased": str(c["deceased"]).lower(),
            "block_reasons": ";".join(c["block_reasons"]),
            "records": ";".join(f"{r['source']}:{r['record_id']}" for r in c["records"]),
            "contact": f"{c['contact']['source']}:{c['contact']['record_id']}" if c["contact"] else "",
            "evidence": ";".join(f"{e['field']}={e['level']}:{e['weight']}" for e in c["evidence"]),
            "contact_details": ", ".join(c["contact_details"].values()) if c.get("contact_details") else "",
        })
    return buffer.getvalue()


def queue_table(reference: str, items: list[dict], limit: int | None = None) -> Table:
    """The queue as a terminal table."""
    table = Table(title=f"Review queue — {reference}", title_justify="left")
    for col in ("rank", "id", "score", "relationship", "name", "status", "flags", "records", "contact"):
        table.add_column(col, justify="right" if col in ("rank", "score") else "left")
    for c in items[:limit]:
        flags = " ".join(f for f, on in (("BLOCKED", c["blocked"]), ("deceased", c["deceased"])) if on)
        table.add_row(str(c["rank"]), c["id"], f"{c['score']:.2f}", c["relationship"], c.get("name") or "",
                      c["status"], flags, str(len(c["records"])),
                      c["contact"]["source"] if c["contact"] else "-")
    return table


@app.command()
def review(
    reference: Annotated[str, typer.Argument(help="Case reference")],
    candidate_id: Annotated[str, typer.Argument(help="Candidate id, e.g. c12")],
    verify: Annotated[bool, typer.Option("--verify", help="Verify: this is the relative")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="Reject: not the relative")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (required to reject)")] = None,
) -> None:
    """Verify or reject a candidate. Blocked candidates cannot be verified."""
    from tracing.review import decide_as

    if verify == reject:
        raise BadInput("give exactly one of --verify or --reject")
    db = _db()
    with db.session_scope() as s:
        user = _actor(s)
        cand = decide_as(s, user, _case(s, user, reference), candidate_id, verify, reason)
        status = cand.status
    out.print(f"{candidate_id}: {status}")


@app.command()
def explain(
    reference: Annotated[str, typer.Argument(help="Case reference")],
    candidate_id: Annotated[str, typer.Argument(help="Candidate id, e.g. c12")],
) -> None:
    """Why a candidate is in the queue: the evidence waterfall and the chain of inference."""
    from tracing import audit
    from tracing.review import candidate_label, get_candidate, queue

    db = _db()
    with db.session_scope() as s:
        user = _actor(s)
        case = _case(s, user, reference)
        cand = get_candidate(s, case, candidate_id)
        audit.record(s, user.username, "explain", case.reference, candidate_label(cand))
        item = next(i for i in queue(s, case, include_inactive=True) if i["id"] == candidate_label(cand))
        chain = list(cand.chain)
    out.print(f"[bold]{item['id']}[/] {item.get('name') or ''} — {item['relationship'].replace('_', ' ')}, "
              f"rank {item['rank']}, score {item['score']:.2f}"
              + (" [red]BLOCKED[/]" if item["blocked"] else "") + (" (deceased)" if item["deceased"] else ""))
    table = Table("field", "level", "weight", title="Evidence (match weights, log2 m/u)", title_justify="left")
    for e in item["evidence"]:
        table.add_row(str(e["field"]), str(e["level"]), f"{float(e['weight']):+.2f}")
    table.add_row("total", "", f"{sum(float(e['weight']) for e in item['evidence']):+.2f}")
    out.print(table)
    out.print("[bold]How they were found[/]")
    for i, step in enumerate(chain, start=1):
        out.print(f"  {i}. {step}", markup=False, highlight=False)
    out.print("Records: " + ", ".join(f"{r['source']} {r['record_id']}" for r in item["records"]))


@app.command()
def demo(
    families: Annotated[int, typer.Option(help="Families in the synthetic world")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed of the world")] = 7,
    cases: Annotated[int, typer.Option(help="Cases to run")] = 8,
    live: Annotated[bool, typer.Option("--live", help="Fetch through local replicas of the live sources")] = False,
) -> None:
    """Build a synthetic world, load it, run its cases end to end and print the results."""
    import os

    # The demo's own output tells the story; Prefect's per-task lines would bury it.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from tracing.demo import run_demo

    run_demo(families=families, seed=seed, n_cases=cases, console=out, progress=_progress, live=live)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
) -> None:
    """Web UI for coordinators."""
    import uvicorn

    from tracing.web import create_app

    _db()
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Username")],
    role: Annotated[str, typer.Option("--role", help="coordinator, supervisor or administrator")],
    team: Annotated[str | None, typer.Option("--team", help="Team (supervisors see their team's cases)")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin")] = False,
) -> None:
    """Add a user (administrators only). The password comes from stdin or TRACING_NEW_PASSWORD; the TOTP
    secret for their authenticator app is printed once."""
    import os

    from tracing import audit
    from tracing.access import require_role
    from tracing.auth import create_user, totp_uri

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else os.environ.get("TRACING_NEW_PASSWORD")
    if not password:
        raise BadInput("give the password on stdin with --password-stdin, or in TRACING_NEW_PASSWORD")
    db = _db()
    with db.session_scope() as s:
        actor = require_role(_actor(s), "administrator")
        user, secret = create_user(s, name, role, team, password)
        audit.record(s, actor.username, "user_add", subject=f"u{user.id}", role=role)
    print(f"user {name} added ({role}{', team ' + team if team else ''})")
    print(f"TOTP secret (shown once): {secret}")
    print(totp_uri(name, secret))


@cases_app.command("assign")
def cases_assign(
    reference: Annotated[str, typer.Argument(help="Case reference")],
    username: Annotated[str, typer.Argument(help="User to assign the case to")],
) -> None:
    """Assign a case to a user (administrators, or the supervisor of the case's team)."""
    from tracing import audit
    from tracing.access import assign
    from tracing.auth import get_user
    from tracing.errors import NotFound

    db = _db()
    with db.session_scope() as s:
        actor = _actor(s)
        case = _case(s, actor, reference)
        assignee = get_user(s, username)
        if assignee is None or not assignee.active:
            raise NotFound(f"no active user {username!r}")
        assign(s, actor, case, assignee)
        audit.record(s, actor.username, "case_assign", case.reference, f"u{assignee.id}")
    out.print(f"{reference} assigned to {username}")


@cases_app.command("withdraw-consent")
def cases_withdraw_consent(
    reference: Annotated[str, typer.Argument(help="Case reference")],
    reason: Annotated[str, typer.Option("--reason", help="Why consent was withdrawn")],
) -> None:
    """Record that consent was withdrawn: searches stop at once, scheduled ones too."""
    from tracing.cases import withdraw_consent

    db = _db()
    with db.session_scope() as s:
        user = _actor(s)
        consent = withdraw_consent(s, _case(s, user, reference), reason, user.username)
        on = consent.withdrawn_on
    out.print(f"{reference}: consent withdrawn on {on}; searches stopped")


@cases_app.command("close")
def cases_close(reference: Annotated[str, typer.Argument(help="Case reference")]) -> None:
    """Close a case: no more searches; purged after the retention period."""
    from tracing import audit
    from tracing.cases import close_case

    db = _db()
    with db.session_scope() as s:
        user = _actor(s)
        close_case(s, _case(s, user, reference))
        audit.record(s, user.username, "case_close", reference)
    out.print(f"{reference}: closed")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit chain: exit 0 if intact, 1 naming the first bad event otherwise."""
    from tracing import audit
    from tracing.access import require_role

    db = _db()
    with db.session_scope() as s:
        require_role(_actor(s), "administrator", "supervisor")
        verdict = audit.verify(s)
    if verdict.ok:
        out.print(f"audit log intact: {verdict.events} events")
        return
    err.print(f"audit log broken at event {verdict.first_bad_id}: it {verdict.problem}")
    raise typer.Exit(1)


@app.command()
def purge(
    now: Annotated[str | None, typer.Option("--now", help="The time to purge as of (ISO), default now")] = None,
) -> None:
    """Purge personal data past its retention period (administrators only)."""
    from datetime import UTC, datetime

    from tracing import audit
    from tracing.access import require_role
    from tracing.retention import purge as run_purge

    try:
        when = datetime.fromisoformat(now) if now else datetime.now(UTC)
    except ValueError as exc:
        raise BadInput(f"--now {now!r} is not an ISO date or time") from exc
    db = _db()
    with db.session_scope() as s:
        user = require_role(_actor(s), "administrator")
        counts = run_purge(s, when)
        audit.record(s, user.username, "purge", **counts)
    out.print(f"purged {counts['rejected_purged']} rejected candidates; deleted {counts['cases_deleted']} closed cases")


@app.command("subject-access")
def subject_access(
    name: Annotated[str, typer.Argument(help="The person's name")],
    dob: Annotated[str | None, typer.Option("--dob", help="Their date of birth (YYYY-MM-DD)")] = None,
) -> None:
    """Export (JSON) everything held about a named person (administrators only)."""
    from datetime import date

    from tracing import audit
    from tracing.access import require_role
    from tracing.retention import subject_access as export

    try:
        born = date.fromisoformat(dob) if dob else None
    except ValueError as exc:
        raise BadInput(f"--dob {dob!r} is not a date like 1970-01-31") from exc
    db = _db()
    with db.session_scope() as s:
        user = require_role(_actor(s), "administrator")
        result = export(s, name, born)
        audit.record(s, user.username, "subject_access", records=len(result["source_records"]),
                     candidates=len(result["candidates"]), seed_people=len(result["seed_people"]))
    print(json.dumps(result, indent=2, default=str))


def _register_command_groups() -> None:
    # Commands kept in their own modules, each adding itself to `app`.
    from tracing import cli_network, cli_schedule

    cli_network.register(app)
    cli_schedule.register(app)


_register_command_groups()


def main() -> None:
    """Console entry point: errors become messages and exit statuses, never tracebacks."""
    from tracing.settings import prefect_defaults

    prefect_defaults()
    try:
        code = app(standalone_mode=False)
    except TracingError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
