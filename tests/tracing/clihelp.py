"""Run the CLI in-process with its exit statuses (as `tracing.cli.main` maps them)."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from tracing.cli import app
from tracing.errors import TracingError


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def cli(*args: str, input: str | None = None, env: dict | None = None) -> Ran:  # noqa: A002
    result = CliRunner().invoke(app, list(args), input=input, env=env)
    code = result.exit_code
    stderr = result.stderr if result.stderr_bytes is not None else ""
    if isinstance(result.exception, TracingError):
        code, stderr = result.exception.exit_code, stderr + str(result.exception)
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(code, result.stdout, stderr)
