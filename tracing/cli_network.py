"""`tracing network`: the child's family network — growth figures and a GEDCOM 5.5.1 export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the network command to the `tracing` app."""

    @app.command()
    def network(
        reference: Annotated[str, typer.Argument(help="Case reference")],
        gedcom: Annotated[Path | None, typer.Option("--gedcom", help="Write the network as GEDCOM 5.5.1")] = None,
    ) -> None:
        """Network growth (known at intake → found → verified) and an optional GEDCOM file."""
        from sqlmodel import select

        from tracing import audit
        from tracing.cli import _actor, _case, _db
        from tracing.models import Child
        from tracing.network import gedcom as to_gedcom
        from tracing.network import growth
        from tracing.review import queue

        db = _db()
        with db.session_scope() as s:
            user = _actor(s)
            case = _case(s, user, reference)
            audit.record(s, user.username, "export" if gedcom else "view_network", case.reference,
                         **({"format": "gedcom"} if gedcom else {}))
            figures = growth(s, case)
            child = s.exec(select(Child).where(Child.case_id == case.id)).first()
            text = to_gedcom(reference, child, queue(s, case)) if gedcom else None
        typer.echo(f"{reference}: known at intake {figures['known_at_intake']} → found {figures['found']} "
                   f"→ verified {figures['verified']}")
        if gedcom and text is not None:
            gedcom.write_text(text, encoding="utf-8")
            typer.echo(f"GEDCOM written to {gedcom}")
