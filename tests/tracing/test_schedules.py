"""Schedules: parsing, the 25th birthday, and stopping on age, closure and consent withdrawal (no server needed)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlmodel import Session, select

from tests.tracing.test_cases import SEED
from tracing import schedules
from tracing.cases import add_case, parse_seed_case
from tracing.errors import BadInput, RefusedByPolicy
from tracing.models import Case, CaseSchedule, Consent

BORN = date(2007, 5, 7)
TWENTY_FIFTH = date(2032, 5, 7)


@pytest.fixture
def case(session: Session, monkeypatch: pytest.MonkeyPatch) -> Case:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    return add_case(session, parse_seed_case(json.dumps(SEED)))


def test_parse_every_and_cron() -> None:
    six = schedules.parse_every("6m")
    assert six.interval is None
    rule = six.rrule(datetime(2026, 11, 25, 3, 0), TWENTY_FIFTH)
    assert "FREQ=MONTHLY;INTERVAL=6" in rule and "UNTIL=20320507" in rule
    assert schedules.parse_every("90s").interval.total_seconds() == 90
    assert schedules.parse_every("2w").interval.days == 14
    assert schedules.parse_cron("0 3 1 */6 *") == "0 3 1 */6 *"
    for bad in ("", "6", "six months", "0m", "6x"):
        with pytest.raises(BadInput):
            schedules.parse_every(bad)
    with pytest.raises(BadInput):
        schedules.parse_cron("every day")


def test_twenty_fifth_birthday() -> None:
    assert schedules.birthday(BORN, 25) == TWENTY_FIFTH
    assert schedules.birthday(date(2008, 2, 29), 25) == date(2033, 3, 1)


def test_create_schedule_records_the_end(session: Session, case: Case) -> None:
    row = schedules.create_schedule(session, case, every="6m", today=date(2026, 11, 25))
    assert (row.every, row.cron, row.active, row.ends_on) == ("6m", None, True, TWENTY_FIFTH)
    assert row.deployment_id is None  # no Prefect API configured: database only
    with pytest.raises(BadInput):
        schedules.create_schedule(session, case, every="6m", cron="0 3 1 */6 *")
    again = schedules.create_schedule(session, case, cron="0 3 1 */6 *")
    assert again.id == row.id and again.cron == "0 3 1 */6 *" and again.every is None


def test_stops_on_the_25th_birthday(session: Session, case: Case) -> None:
    schedules.create_schedule(session, case, every="6m", today=date(2026, 11, 25))
    assert schedules.guard(session, case.id, today=date(2032, 5, 6)) is None
    assert schedules.stop_due(session, today=date(2032, 5, 6)) == []
    assert schedules.guard(session, case.id, today=TWENTY_FIFTH) == "25th_birthday"
    row = session.exec(select(CaseSchedule)).one()
    assert (row.active, row.stopped_reason) == (False, "25th_birthday")
    with pytest.raises(RefusedByPolicy):
        schedules.create_schedule(session, case, every="6m", today=TWENTY_FIFTH)


def test_stop_due_on_the_25th_birthday(session: Session, case: Case) -> None:
    schedules.create_schedule(session, case, every="6m", today=date(2026, 11, 25))
    assert schedules.stop_due(session, today=date(2040, 1, 1)) == [(SEED["reference"], "25th_birthday")]


def test_stops_on_closure(session: Session, case: Case) -> None:
    schedules.create_schedule(session, case, every="6m")
    case.status, case.closed_on = "closed", date.today()
    session.add(case)
    assert schedules.guard(session, case.id) == "case_closed"
    assert session.exec(select(CaseSchedule)).one().stopped_reason == "case_closed"


def test_stops_on_consent_withdrawal(session: Session, case: Case) -> None:
    schedules.create_schedule(session, case, every="6m")
    consent = session.exec(select(Consent).where(Consent.case_id == case.id)).one()
    consent.withdrawn_on = date.today()
    session.add(consent)
    # What the consent-withdrawal code calls: DB side, no server, no exception.
    assert schedules.stop_for_case(session, case.id, "consent_withdrawn") is True
    assert schedules.stop_for_case(session, case.id, "consent_withdrawn") is False
    row = session.exec(select(CaseSchedule)).one()
    assert (row.active, row.stopped_reason) == (False, "consent_withdrawn")
    assert schedules.guard(session, case.id) == "consent_withdrawn"


def test_stop_for_case_never_raises(session: Session, case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    assert schedules.stop_for_case(session, 99999, "case_closed") is False
    schedules.create_schedule(session, case, every="6m")
    session.exec(select(CaseSchedule)).one().deployment_id = "00000000-0000-0000-0000-000000000000"
    # A configured but unreachable Prefect API: the database still stops, nothing raises.
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert schedules.stop_for_case(session, case.id, "case_closed") is True
    assert session.exec(select(CaseSchedule)).one().active is False


def test_no_schedule_no_guard(session: Session, case: Case) -> None:
    case.status = "closed"
    session.add(case)
    assert schedules.guard(session, case.id) is None  # unscheduled searches keep their own consent gate
