"""`tracing schedule`, `tracing worker`, `tracing alerts`: scheduled re-searches for care leavers."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the scheduling commands to the `tracing` app."""
    del app  # commands are added as they are built; see tracing/schedules.py
