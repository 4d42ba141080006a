"""fetch_for_case against the replicas: records land, failures stay per source, nothing protected leaves."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlmodel import select

from sources.live import fetch_for_case, fetch_source, person_queries
from sources.outbound import OutboundLog, PersonQuery, protected_set_for_case, words
from tracing.models import Child, Restriction, SeedPerson, SourceFile, SourceRecord

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACING_REPLICA_API_KEY", "synthetic-key")


def _add_case(session, world) -> int:  # noqa: ANN001
    from tracing.cases import add_case, parse_seed_case

    seed = next(c for c in world.cases if c["consent"].get("parental_responsibility_consent_on")
                and any(r["kind"] == "do_not_contact" for r in c["restrictions"]))
    # Remembered people with full names, taken from the world's records so the sources have answers.
    officer = world.records["company_officers"].iloc[0]
    dead = world.records["probate"].iloc[0]
    surname, forenames = (x.strip() for x in officer["name"].split(",", 1))
    seed = {**seed, "people": [
        *seed["people"],
        {"id": "s8", "relationship": "other", "forenames": forenames, "surname": surname,
         "birth_year": int(officer["birth_year"])},
        {"id": "s9", "relationship": "other", "forenames": dead["forenames"], "surname": dead["surname"]},
    ]}
    case = add_case(session, parse_seed_case(json.dumps(seed)))
    session.commit()
    return case.id


def _counts(session) -> dict[str, int]:  # noqa: ANN001
    return dict(session.exec(select(SourceRecord.source, func.count()).group_by(SourceRecord.source)).all())


def _assert_nothing_protected_left(session, case_id: int, fresh) -> None:  # noqa: ANN001
    protected = protected_set_for_case(session, case_id)
    child = session.exec(select(Child).where(Child.case_id == case_id)).one()
    places = [r.place for r in session.exec(select(Restriction).where(Restriction.case_id == case_id)) if r.place]
    dnc = {r.person_key for r in session.exec(select(Restriction).where(Restriction.case_id == case_id))}
    dnc_people = [p for p in session.exec(select(SeedPerson).where(SeedPerson.case_id == case_id)) if p.key in dnc]
    received = fresh.all_requests()
    assert received
    for r in received:
        text = f"{r.url} {r.body}"
        assert protected.violations(text) == [], r.url
        ws = words(text)
        assert not (words(child.forenames)[0] in ws and words(child.surname)[0] in ws), r.url
        assert child.date_of_birth.isoformat() not in text
        for place in places:
            assert words(place.split(",")[0])[-1] not in ws or words(place.split(",")[0])[0] not in ws, r.url
        for p in dnc_people:
            if p.forenames and p.surname:
                assert not (words(p.forenames)[0] in ws and words(p.surname)[0] in ws), r.url


def test_sources_land_and_nothing_protected_is_ever_sent(session, world, fresh) -> None:  # noqa: ANN001
    case_id = _add_case(session, world)
    log = OutboundLog()
    results = fetch_for_case(session, case_id, registry=fresh.registry(), log=log)
    assert set(results) == {"birth_index", "company_officers", "death_index", "directory", "marriage_index",
                            "probate"}
    assert all(r["state"] == "completed" and r["error"] is None for r in results.values()), results
    held = _counts(session)
    assert sum(held.values()) > 0 and sum(r["records"] for r in results.values()) == sum(held.values())
    assert len(log.requests) >= len(results)
    _assert_nothing_protected_left(session, case_id, fresh)


def test_guard_is_the_last_line_when_the_search_step_slips(session, world, fresh) -> None:  # noqa: ANN001
    case_id = _add_case(session, world)
    child = session.exec(select(Child).where(Child.case_id == case_id)).one()
    dnc_key = session.exec(select(Restriction.person_key).where(Restriction.case_id == case_id,
                                                                 Restriction.kind == "do_not_contact")).first()
    dnc = session.exec(select(SeedPerson).where(SeedPerson.case_id == case_id, SeedPerson.key == dnc_key)).one()
    slipped = [PersonQuery(child.surname, child.forenames, child.date_of_birth.year)]
    if dnc.forenames:
        slipped.append(PersonQuery(dnc.surname or child.surname, dnc.forenames, None))
    persons = [*slipped, *person_queries(session, case_id)]
    protected = protected_set_for_case(session, case_id)
    registry = fresh.registry()
    for name in ("company_officers", "birth_index"):
        records, refused = fetch_source(registry.get(name), registry, persons, protected, OutboundLog())
        assert refused == len(slipped)
    _assert_nothing_protected_left(session, case_id, fresh)


def test_a_source_returning_garbage_fails_alone_and_writes_nothing(session, world, fresh) -> None:  # noqa: ANN001
    case_id = _add_case(session, world)
    fresh.replicas["gazette"].control.garbage = True
    fresh.replicas["directory_site"].control.robots = "5xx"
    registry = fresh.registry()
    results = fetch_for_case(session, case_id, registry=registry, log=OutboundLog())
    assert results["probate"]["state"] == "failed" and "not JSON" in results["probate"]["error"]
    assert results["directory"]["state"] == "failed" and "robots.txt" in results["directory"]["error"]
    assert results["company_officers"]["state"] == "completed"
    held = _counts(session)
    assert "probate" not in held and "directory" not in held
    assert not session.exec(select(SourceFile).where(SourceFile.source.in_(["probate", "directory"]))).all()

    # The sources come back: a later run resumes them and leaves the others unchanged.
    fresh.replicas["gazette"].control.garbage = False
    fresh.replicas["directory_site"].control.robots = "allow"
    again = fetch_for_case(session, case_id, registry=registry, log=OutboundLog())
    assert all(r["state"] == "completed" for r in again.values()), again
    assert again["company_officers"]["unchanged"] and not again["directory"]["unchanged"]


def test_store_is_all_or_nothing(session) -> None:  # noqa: ANN001
    from sources.store import store_records
    from tracing.errors import BadInput

    good = {"record_id": "X1", "surname": "SMITH", "forenames": "Ann", "date_of_death": "2020-01-02",
            "address": None, "town": None, "postcode": None, "grant_date": None}
    store_records(session, "probate_test", "probate", [good], origin="api:test")
    session.commit()
    bad = {**good, "record_id": "X2", "date_of_death": "not a date"}
    with pytest.raises(BadInput, match="not a date"):
        store_records(session, "probate_test", "probate", [{**good, "forenames": "Anne"}, bad], origin="api:test")
    session.rollback()
    rows = session.exec(select(SourceRecord).where(SourceRecord.source == "probate_test")).all()
    assert [(r.record_id, r.data["forenames"]) for r in rows] == [("X1", "Ann")]
    again = store_records(session, "probate_test", "probate", [good], origin="api:test")
    assert again.already_stored


def test_no_enabled_live_sources_means_no_network(session, world) -> None:  # noqa: ANN001
    case_id = _add_case(session, world)
    assert fetch_for_case(session, case_id) == {}  # the default registry has every live source disabled
