"""One settings object, read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Where state lives and which database holds it."""

    home: Path
    database_url: str
    user: str

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def get_settings() -> Settings:
    """Read `TRACING_HOME`, `TRACING_DATABASE_URL` and `TRACING_USER` afresh."""
    home = Path(os.environ.get("TRACING_HOME") or "./.tracing").resolve()
    url = os.environ.get("TRACING_DATABASE_URL") or f"sqlite:///{home / 'tracing.db'}"
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; SQLAlchemy defaults to psycopg2 otherwise.
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    user = os.environ.get("TRACING_USER") or "local-admin"
    return Settings(home=home, database_url=url, user=user)


def prefect_defaults() -> None:
    """Defaults for the Prefect this process runs flows through; set before Prefect is imported.

    With no `PREFECT_API_URL`, the first flow run starts a temporary Prefect server. Nothing
    about a search may leave the machine, so that server sends no usage telemetry; and it is
    given two minutes to start, since Prefect's own 20 s is not enough on a busy machine (it
    builds a fresh database first), and a search that cannot reach it fails.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
