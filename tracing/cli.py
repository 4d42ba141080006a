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
app.add_typer(cases_app, name="cases")
out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False)


def _db():  # noqa: ANN202
    from tracing import db

    if not db.is_initialised():
        db.migrate()
    return db


@app.command()
def init() -> None:
    """Create or upgrade the database in $TRACING_HOME (or TRACING_DATABASE_URL)."""
    from tracing import db
    from tracing.settings import get_settings

    db.migrate()
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
    from tracing.cases import add_case, load_seed_case

    seed = load_seed_case(path)
    db = _db()
    with db.session_scope() as s:
        add_case(s, seed)
    print(seed.reference)


@app.command()
def search(
    reference: Annotated[str | None, typer.Argument(help="Case reference")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Search every case that may be searched")] = False,
) -> None:
    """Run the search flow for a case (or all cases)."""
    from sqlmodel import select

    from tracing.cases import get_case, require_search_allowed
    from tracing.errors import RefusedByPolicy
    from tracing.models import Case

    if bool(reference) == all_:
        raise BadInput("give a case reference or --all (not both)")
    db = _db()
    with db.session_scope() as s:
        if all_:
            cases = list(s.exec(select(Case).order_by(Case.reference)))
        else:
            cases = [get_case(s, reference)]
        allowed, refused = [], []
        for case in cases:
            try:
                require_search_allowed(s, case)
                allowed.append((case.id, case.reference))
            except RefusedByPolicy as exc:
                refused.append(str(exc))
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
    from tracing.cases import get_case
    from tracing.review import queue

    db = _db()
    with db.session_scope() as s:
        case = get_case(s, reference)
        items = queue(s, case)
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
    from tracing.cases import get_case
    from tracing.review import decide
    from tracing.settings import get_settings

    if verify == reject:
        raise BadInput("give exactly one of --verify or --reject")
    db = _db()
    with db.session_scope() as s:
        case = get_case(s, reference)
        cand = decide(s, case, candidate_id, verify, reason, get_settings().user)
        status = cand.status
    out.print(f"{candidate_id}: {status}")


@app.command()
def explain(
    reference: Annotated[str, typer.Argument(help="Case reference")],
    candidate_id: Annotated[str, typer.Argument(help="Candidate id, e.g. c12")],
) -> None:
    """Why a candidate is in the queue: the evidence waterfall and the chain of inference."""
    from tracing.cases import get_case
    from tracing.review import candidate_label, get_candidate, queue

    db = _db()
    with db.session_scope() as s:
        case = get_case(s, reference)
        cand = get_candidate(s, case, candidate_id)
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


def _register_command_groups() -> None:
    # Commands kept in their own modules, each adding itself to `app`.
    from tracing import cli_network, cli_schedule

    cli_network.register(app)
    cli_schedule.register(app)


_register_command_groups()


def main() -> None:
    """Console entry point: errors become messages and exit statuses, never tracebacks."""
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
