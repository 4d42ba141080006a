"""The audit log is hash-chained: `tracing audit verify` finds any edit, deletion or reordering."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.tracing.clihelp import cli
from tests.tracing.test_web import REF, _world
from tracing import audit, auth
from tracing.models import AuditEvent


@pytest.fixture
def logged(session):  # noqa: ANN001, ANN201
    _world(session)
    auth.ensure_local_admin(session)
    session.commit()
    assert cli("candidates", REF).code == 0
    assert cli("candidates", REF, "--format", "csv").code == 0
    assert cli("explain", REF, "c1").code == 0
    assert cli("review", REF, "c3", "--reject", "--reason", "not them").code == 0
    assert cli("review", REF, "c1", "--verify").code == 0
    return session


def _ids(session) -> list[int]:  # noqa: ANN001
    session.expire_all()
    return list(session.exec(select(AuditEvent.id).order_by(AuditEvent.id)))


def test_views_exports_and_decisions_are_logged_without_personal_data(logged) -> None:  # noqa: ANN001
    events = list(logged.exec(select(AuditEvent).order_by(AuditEvent.id)))
    assert [e.action for e in events] == ["view_queue", "export", "explain", "decision", "decision"]
    assert all(e.actor == auth.LOCAL_ADMIN and e.case_reference == REF for e in events)
    dump = " ".join(audit.canonical(e) for e in events)
    for word in ("HUNTER", "Davies", "Elm", "not them"):
        assert word not in dump
    ran = cli("audit", "verify")
    assert ran.code == 0 and "intact: 5 events" in ran.output
    with pytest.raises(ValueError):
        audit.record(logged, "x", "decision", detail_text="a long free text " * 10)
    with pytest.raises(ValueError):
        audit.record(logged, "x", "made_up_action")


def test_orm_cannot_update_or_delete_events(logged) -> None:  # noqa: ANN001
    ev = logged.exec(select(AuditEvent)).first()
    ev.actor = "someone else"
    with pytest.raises(PermissionError):
        logged.flush()
    logged.rollback()
    with pytest.raises(PermissionError):
        logged.delete(logged.exec(select(AuditEvent)).first())
        logged.flush()
    logged.rollback()


@pytest.mark.parametrize("tamper", ["edit", "delete", "reorder", "edit_hash"])
def test_tampering_in_sql_is_detected(logged, tamper: str) -> None:  # noqa: ANN001
    ids = _ids(logged)
    conn = logged.connection()
    if tamper == "edit":
        conn.execute(text("UPDATE auditevent SET actor = 'mallory' WHERE id = :i"), {"i": ids[2]})
        bad = ids[2]
    elif tamper == "edit_hash":
        conn.execute(text("UPDATE auditevent SET action = 'view_queue', hash = 'x' WHERE id = :i"), {"i": ids[3]})
        bad = ids[3]
    elif tamper == "delete":
        conn.execute(text("DELETE FROM auditevent WHERE id = :i"), {"i": ids[1]})
        bad = ids[2]
    else:
        a, b = ids[1], ids[2]
        conn.execute(text("UPDATE auditevent SET id = -1 WHERE id = :a"), {"a": a})
        conn.execute(text("UPDATE auditevent SET id = :a WHERE id = :b"), {"a": a, "b": b})
        conn.execute(text("UPDATE auditevent SET id = :b WHERE id = -1"), {"b": b})
        bad = a
    logged.commit()
    verdict = audit.verify(logged)
    assert not verdict.ok and verdict.first_bad_id == bad
    ran = cli("audit", "verify")
    assert ran.code == 1 and f"event {bad}" in ran.output


def test_deleting_the_newest_events_is_detected_by_the_anchor(logged) -> None:  # noqa: ANN001
    ids = _ids(logged)
    assert audit.read_anchor() == (ids[-1], logged.get(AuditEvent, ids[-1]).hash)
    logged.connection().execute(text("DELETE FROM auditevent WHERE id >= :i"), {"i": ids[-2]})
    logged.commit()
    verdict = audit.verify(logged)
    assert not verdict.ok and "newest events were deleted" in verdict.problem
    assert cli("audit", "verify").code == 1


def test_a_rolled_back_event_does_not_move_the_anchor(logged) -> None:  # noqa: ANN001
    before = audit.read_anchor()
    audit.record(logged, "local-admin", "view_queue", REF)
    logged.rollback()
    assert audit.read_anchor() == before
    assert audit.verify(logged).ok
