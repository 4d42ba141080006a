"""Errors the doors (CLI, web) turn into exit statuses and messages."""

from __future__ import annotations


class TracingError(Exception):
    """Base class: a message fit to show a coordinator."""

    exit_code = 1


class BadInput(TracingError):
    """A file, line or field is wrong; nothing was written (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class RefusedByPolicy(TracingError):
    """Consent or a safeguarding restriction forbids this (exit 3)."""

    exit_code = 3


class NotFound(TracingError):
    """No such case, candidate or source (exit 2: the input named something absent)."""

    exit_code = 2
