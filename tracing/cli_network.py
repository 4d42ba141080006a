"""`tracing network`: the child's family network as GEDCOM and genogram files."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the network commands to the `tracing` app."""
    del app  # commands are added as they are built; see tracing/network.py
