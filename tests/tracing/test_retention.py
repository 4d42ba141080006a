"""Retention driven by the clock, consent withdrawal, and subject access."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from tests.tracing.clihelp import cli
from tests.tracing.test_web import REF, _world, signed_in
from tracing.cases import get_case, require_search_allowed
from tracing.errors import RefusedByPolicy
from tracing.models import AuditEvent, Candidate, CandidateRecord, Case, Consent, Decision, SeedPerson


def test_rejected_candidates_are_purged_to_tombstones_after_the_period(session, monkeypatch) -> None:  # noqa: ANN001
    _world(session)
    assert cli("review", REF, "c3", "--reject", "--reason", "not them").code == 0
    monkeypatch.setenv("TRACING_RETENTION_REJECTED_DAYS", "30")
    soon = (datetime.now(UTC) + timedelta(days=29)).isoformat()
    assert cli("purge", "--now", soon).code == 0
    session.expire_all()
    assert session.get(Candidate, 3).display_name == "Paul Davies"
    later = (datetime.now(UTC) + timedelta(days=31)).isoformat()
    ran = cli("purge", "--now", later)
    assert ran.code == 0 and "purged 1 rejected" in ran.stdout
    session.expire_all()
    tomb = session.get(Candidate, 3)
    assert tomb.display_name == "" and tomb.evidence == [] and tomb.chain == [] and tomb.status == "rejected"
    assert session.exec(select(CandidateRecord).where(CandidateRecord.candidate_id == 3)).first() is None
    assert session.exec(select(Decision).where(Decision.candidate_id == 3)).one().decision == "rejected"
    assert session.get(Candidate, 1).display_name == "Christine Davies"  # pending: untouched
    assert "Paul Davies" not in cli("candidates", REF, "--format", "json").stdout
    assert cli("purge", "--now", "not-a-date").code == 2


def test_closed_cases_are_deleted_after_their_period(session, monkeypatch) -> None:  # noqa: ANN001
    _world(session)
    assert cli("cases", "close", REF).code == 0
    monkeypatch.setenv("TRACING_RETENTION_CLOSED_DAYS", "10")
    assert cli("purge", "--now", (datetime.now(UTC) + timedelta(days=5)).isoformat()).code == 0
    session.expire_all()
    assert session.exec(select(Case)).first() is not None
    assert cli("purge", "--now", (datetime.now(UTC) + timedelta(days=11)).isoformat()).code == 0
    session.expire_all()
    assert session.exec(select(Case)).first() is None and session.exec(select(Candidate)).first() is None
    assert session.exec(select(SeedPerson)).first() is None
    assert cli("audit", "verify").code == 0  # the log keeps the reference, chain intact


def test_withdrawing_consent_stops_searches_and_is_audited(session, monkeypatch) -> None:  # noqa: ANN001
    _world(session)
    stopped = []
    import types

    fake = types.ModuleType("tracing.schedules")
    fake.stop_for_case = lambda s, case_id, reason: stopped.append((case_id, reason))
    monkeypatch.setitem(__import__("sys").modules, "tracing.schedules", fake)
    assert cli("cases", "withdraw-consent", REF).code == 2  # --reason is required
    ran = cli("cases", "withdraw-consent", REF, "--reason", "child asked to stop")
    # The schedule gets a code, not the free text (which may name people).
    assert ran.code == 0 and stopped == [(1, "consent_withdrawn")]
    session.expire_all()
    assert session.exec(select(Consent)).one().withdrawn_on == date.today()
    try:
        require_search_allowed(session, get_case(session, REF))
        raise AssertionError("search allowed after withdrawal")
    except RefusedByPolicy as exc:
        assert "withdrawn" in str(exc)
    assert cli("search", REF).code == 3
    ev = session.exec(select(AuditEvent).where(AuditEvent.action == "consent_withdrawn")).one()
    assert "child asked" not in json.dumps(ev.detail)


def test_web_consent_withdrawal(session) -> None:  # noqa: ANN001
    _world(session)
    client = signed_in(session)
    csrf = client.cookies.get("tracing_csrf")
    assert client.post(f"/cases/{REF}/consent/withdraw", data={"csrf_token": csrf}).status_code == 400
    done = client.post(f"/cases/{REF}/consent/withdraw", data={"csrf_token": csrf, "reason": "asked"})
    assert done.status_code == 200 and "withdrawn" in done.text
    refused = client.post(f"/cases/{REF}/search", data={"csrf_token": csrf})
    assert refused.status_code == 403


def test_subject_access_exports_everything_about_a_person(session) -> None:  # noqa: ANN001
    _world(session)
    ran = cli("subject-access", "Chrissie Davies")
    data = json.loads(ran.stdout)
    assert [r["record_id"] for r in data["source_records"]] == ["DI1"]
    kelly = json.loads(cli("subject-access", "Kelly HUNTER", "--dob", "1973-04-19").stdout)
    assert kelly["seed_people"] and kelly["seed_people"][0]["id"] == "s1"
    assert json.loads(cli("subject-access", "Kelly HUNTER", "--dob", "1999-01-01").stdout)["seed_people"] == []
    christine = json.loads(cli("subject-access", "Christine Davies").stdout)
    assert christine["candidates"][0]["id"] == "c1"
    assert cli("subject-access", "  ").code == 2
