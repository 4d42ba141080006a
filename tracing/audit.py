"""Append-only, hash-chained audit log of searches, views, decisions, exports and logins.

Each event's hash is sha256(prev_hash + canonical JSON of the event, id included), so any edit,
deletion or reordering of rows breaks the chain at the first bad event, which `verify` reports.
Details hold ids, counts and action names only: never names, addresses or free text.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, text, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from tracing.models import AuditEvent, utcnow

ACTIONS = frozenset({
    "login", "login_failed", "logout", "password_change", "user_add", "case_add", "case_assign", "case_view",
    "case_close", "search", "search_refused", "view_queue", "view_candidate", "view_network", "view_summary",
    "explain", "decision", "decision_refused", "export", "consent_withdrawn", "purge", "subject_access",
    "schedule", "unschedule", "view_alerts",
})
_SAFE_DETAIL = (str, int, float, bool, type(None))


def _at(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def canonical(ev: AuditEvent) -> str:
    """The event as canonical JSON (sorted keys, no spaces), as hashed."""
    return json.dumps({"id": ev.id, "at": _at(ev.at), "actor": ev.actor, "action": ev.action,
                       "case_reference": ev.case_reference, "subject": ev.subject, "detail": ev.detail or {}},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def event_hash(prev_hash: str, ev: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + canonical(ev)).encode()).hexdigest()


def _check_detail(detail: dict[str, Any]) -> dict[str, Any]:
    for key, value in detail.items():
        if not isinstance(key, str) or not isinstance(value, _SAFE_DETAIL):
            raise ValueError(f"audit detail {key!r} must be a plain id, count or flag")
        if isinstance(value, str) and len(value) > 64:
            raise ValueError(f"audit detail {key!r} is too long to be an id")
    return detail


def record(session: Session, actor: str, action: str, case_reference: str | None = None,
           subject: str | None = None, **detail: Any) -> AuditEvent:
    """Append an event to the chain (inside the caller's transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7263001)"))  # one writer of the chain at a time
    ev = AuditEvent(at=utcnow(), actor=actor[:64], action=action,
                    case_reference=case_reference, subject=subject, detail=_check_detail(dict(detail)))
    session.add(ev)
    session.flush()  # SQLite: this insert takes the write lock, so no other event can slip in before ours
    prev = session.exec(select(AuditEvent.hash).where(AuditEvent.id < ev.id).order_by(AuditEvent.id.desc())
                        .limit(1)).first() or ""
    digest = event_hash(prev, ev)
    session.execute(update(AuditEvent).where(AuditEvent.id == ev.id).values(prev_hash=prev, hash=digest)
                    .execution_options(synchronize_session=False))
    set_committed_value(ev, "prev_hash", prev)  # not a change to flush: the row already holds them
    set_committed_value(ev, "hash", digest)
    session.info["audit_anchor"] = (ev.id, digest)  # written outside the database once this commits
    return ev


def anchor_path() -> Path:
    """Where the newest committed event's id and hash are kept, outside the database."""
    from tracing.settings import get_settings

    return get_settings().home / "audit.anchor"


def _write_anchor(session: Session) -> None:
    pending = session.info.pop("audit_anchor", None)
    if pending is None:
        return
    path = anchor_path()
    current = read_anchor()
    if current is not None and current[0] >= pending[0]:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"id": pending[0], "hash": pending[1]}))
    os.replace(tmp, path)


def read_anchor() -> tuple[int, str] | None:
    """The (id, hash) of the newest event this installation committed, if recorded."""
    try:
        data = json.loads(anchor_path().read_text())
        return int(data["id"]), str(data["hash"])
    except (OSError, ValueError, KeyError):
        return None


# Truncating the newest events leaves a valid chain; the anchor outside the database shows they are gone.
event.listen(Session, "after_commit", _write_anchor)
event.listen(Session, "after_rollback", lambda session: session.info.pop("audit_anchor", None))


@dataclass(frozen=True)
class Verdict:
    ok: bool
    events: int
    first_bad_id: int | None = None
    problem: str = ""


def verify(session: Session) -> Verdict:
    """Walk the chain from the first event; the first event whose link or hash is wrong is reported."""
    prev = ""
    count = 0
    last: AuditEvent | None = None
    for ev in session.exec(select(AuditEvent).order_by(AuditEvent.id)):
        count += 1
        if ev.prev_hash != prev:
            return Verdict(False, count, ev.id, "does not follow the event before it (an event was removed or moved)")
        if ev.hash != event_hash(prev, ev):
            return Verdict(False, count, ev.id, "has been altered")
        prev = ev.hash
        last = ev
    anchor = read_anchor()
    if anchor is not None:
        held = session.get(AuditEvent, anchor[0])
        if held is None:
            last_id = last.id if count else None
            return Verdict(False, count, last_id, f"events up to {anchor[0]} were committed but are gone "
                                                  "(the newest events were deleted)")
        if held.hash != anchor[1]:
            return Verdict(False, count, held.id, "does not match the anchor kept outside the database")
    return Verdict(True, count)


@event.listens_for(AuditEvent, "before_update")
def _no_update(_mapper, _connection, _target) -> None:  # noqa: ANN001
    raise PermissionError("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _no_delete(_mapper, _connection, _target) -> None:  # noqa: ANN001
    raise PermissionError("audit events are append-only")
