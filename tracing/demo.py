"""`tracing demo`: a synthetic world built, loaded, searched and reviewed end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlmodel import select

from sources.kinds import KINDS
from tracing import db
from tracing.settings import get_settings


def run_demo(families: int, seed: int, n_cases: int, console: Console, progress: Callable[[], Progress],
             live: bool = False) -> dict:
    """Build, load, search and summarise; returns the pooled figures.

    With `live`, only the authority's own case records are loaded from files; everything else is
    fetched during each search from local replicas of the live sources, through the registry.
    """
    import contextlib

    from flows.trace_case import trace_case
    from sources.files import load_file
    from sources.replicas import LIVE_KINDS, running_replicas
    from tracing.cases import add_case, get_case, load_seed_case, require_search_allowed
    from tracing.cli import queue_table
    from tracing.errors import RefusedByPolicy
    from tracing.evaluation import evaluate_case, pooled
    from tracing.models import Case
    from tracing.review import queue
    from tracing.synthetic import build_world, write_world

    settings = get_settings()
    out_dir = settings.home / "demo-world"
    console.print(f"[bold]Building a synthetic world[/] ({families} families, seed {seed}) — synthetic people only")
    world = build_world(families=families, seed=seed, cases=n_cases)
    paths = write_world(world, out_dir)
    truth = json.loads(Path(paths["truth"]).read_text())
    db.migrate()

    file_kinds = [k for k in KINDS if not (live and k in LIVE_KINDS)]
    with progress() as bar:
        task = bar.add_task("loading record files", total=len(file_kinds))
        for kind in file_kinds:
            with db.session_scope() as s:
                load_file(s, kind, kind, Path(paths[kind]))
            bar.advance(task)

    refs = []
    for case_file in sorted(Path(paths["cases_dir"]).glob("*.json")):
        seed_case = load_seed_case(case_file)
        with db.session_scope() as s:
            if not s.exec(select(Case).where(Case.reference == seed_case.reference)).first():
                add_case(s, seed_case)
        refs.append(seed_case.reference)

    searched, refused = [], []
    replicas = running_replicas(world.records) if live else contextlib.nullcontext()
    with replicas as reps, (reps.activated() if live else contextlib.nullcontext()), progress() as bar:
        task = bar.add_task("searching cases", total=len(refs))
        for ref in refs:
            with db.session_scope() as s:
                case = get_case(s, ref)
                try:
                    require_search_allowed(s, case)
                    case_id = case.id
                except RefusedByPolicy as exc:
                    refused.append(str(exc))
                    case_id = None
            if case_id is not None:
                # Live: a second run also asks about the relatives the first one found.
                for _ in range(2 if live else 1):
                    trace_case(case_id)
                searched.append(ref)
            bar.advance(task)

    figures, summary = [], Table(title="All cases", title_justify="left")
    for col in ("case", "candidates", "relatives (truth)", "contactable found / all", "blocked", "deceased"):
        summary.add_column(col)
    queues = {}
    for ref in searched:
        with db.session_scope() as s:
            items = queue(s, get_case(s, ref))
        queues[ref] = items
        f = evaluate_case(items, truth["cases"][ref])
        figures.append(f)
        summary.add_row(ref, str(len(items)), str(f["relatives"]), f"{f['contactable_found']} / {f['contactable']}",
                        str(sum(c["blocked"] for c in items)), str(sum(c["deceased"] for c in items)))
    if searched:
        console.print(queue_table(searched[0], queues[searched[0]], limit=25))
    console.print(summary)
    for message in refused:
        console.print(f"[yellow]not searched[/]: {message}")
    figures_all = pooled(figures)
    console.print(
        f"Top-50 recall of contactable relatives {figures_all['recall_contactable_top50']:.0%}, "
        f"precision {figures_all['precision_top50']:.0%}, parents found {figures_all['parents_found']:.0%}, "
        f"do-not-contact leaks {figures_all['dnc_leaks']}, dead relatives unflagged {figures_all['dead_unflagged']}"
    )
    if searched and not live:
        from flows.deployments import demo_schedule

        console.print(f"[bold]Scheduled re-search[/] of {searched[0]} every 6 months, acted out once with records "
                      "published since (alerts name candidates only):")
        console.print_json(data=demo_schedule(searched[0], settings.home / "demo-since"))
    console.print(f"State kept in {settings.home}. Try: tracing candidates {searched[0] if searched else 'REF'}")
    return figures_all
