"""Storage: SQLite pragmas on every connection, migrations on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from tests.tracing.test_cases import SEED
from tracing import db
from tracing.cases import add_case, parse_seed_case
from tracing.models import Case, SeedPerson
from tracing.settings import get_settings

TABLES = {"case", "child", "consent", "seedperson", "restriction", "sourcefile", "sourcerecord", "user", "auditevent",
          "caseassignment", "caseschedule", "alert", "candidatesnapshot",
          "candidate", "candidaterecord", "decision", "searchrun", "alembic_version"}


def test_sqlite_database_lives_in_tracing_home(tracing_home: Path) -> None:
    db.migrate()
    assert (tracing_home / "tracing.db").is_file()
    assert set(inspect(db.get_engine()).get_table_names()) >= TABLES


def test_every_sqlite_connection_has_wal_busy_timeout_and_foreign_keys(tracing_home: Path) -> None:
    db.migrate()
    for _ in range(2):  # NullPool: each connect is a new connection
        with db.get_engine().connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_migrating_twice_is_harmless(tracing_home: Path) -> None:
    db.migrate()
    db.migrate()
    assert db.is_initialised()


def test_deleting_a_case_cascades_to_its_seed_people(session) -> None:
    case = add_case(session, parse_seed_case(json.dumps(SEED)))
    session.commit()
    session.delete(session.get(Case, case.id))
    session.commit()
    assert session.exec(select(SeedPerson)).all() == []


@pytest.mark.postgres
@pytest.mark.slow
def test_postgresql_by_url(postgres_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRACING_HOME", str(tmp_path))
    monkeypatch.setenv("TRACING_DATABASE_URL", postgres_url.replace("postgresql+psycopg://", "postgresql://"))
    settings = get_settings()
    assert settings.database_url.startswith("postgresql+psycopg://")
    db.migrate(settings)
    assert set(inspect(db.get_engine(settings)).get_table_names()) >= TABLES
    with db.session_scope(settings) as s:
        add_case(s, parse_seed_case(json.dumps(SEED)))
    with db.session_scope(settings) as s:
        people = s.exec(select(SeedPerson).order_by(SeedPerson.key)).all()
        assert [p.key for p in people] == ["s1", "s2", "s3"]
        assert people[0].former_surnames == ["DAVIES"]
    assert not (tmp_path / "tracing.db").exists()
