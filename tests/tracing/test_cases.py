"""Case intake: validation with JSON paths, storage, and the consent gate."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from tracing.cases import add_case, get_case, parse_seed_case, require_search_allowed
from tracing.errors import BadInput, RefusedByPolicy
from tracing.models import Restriction, SeedPerson

SEED = {
    "reference": "LL-2026-0007",
    "child": {"forenames": "Mason Paul", "surname": "HUNTER", "date_of_birth": "2007-05-07",
              "birth_district": "Newham", "sex": "M"},
    "consent": {"child_agreed_on": "2026-10-01", "parental_responsibility_consent_on": "2026-10-02",
                "consent_given_by": "local authority (care order)"},
    "people": [
        {"id": "s1", "relationship": "mother", "forenames": "Kelly", "surname": "HUNTER",
         "former_surnames": ["DAVIES"], "date_of_birth": "1973-04-19",
         "places": [{"name": "Stratford", "from_year": 2005, "to_year": 2012}]},
        {"id": "s2", "relationship": "maternal_grandmother", "forenames": "Chrissie", "birth_year": 1945},
        {"id": "s3", "relationship": "maternal_grandfather", "forenames": "Roger", "approx_age": 75},
    ],
    "restrictions": [
        {"kind": "do_not_contact", "person": "s3", "reason": "risk to child"},
        {"kind": "do_not_disclose_location", "place": "91 Brook Street, Stratford N16 8YF"},
    ],
}


def test_contract_example_is_accepted_and_stored(session) -> None:
    case = add_case(session, parse_seed_case(json.dumps(SEED)))
    people = session.exec(select(SeedPerson).where(SeedPerson.case_id == case.id)).all()
    assert {p.key for p in people} == {"s1", "s2", "s3"}
    mother = next(p for p in people if p.key == "s1")
    assert mother.former_surnames == ["DAVIES"] and mother.places[0]["name"] == "Stratford"
    kinds = {r.kind for r in session.exec(select(Restriction)).all()}
    assert kinds == {"do_not_contact", "do_not_disclose_location"}


def test_every_error_is_reported_with_its_json_path() -> None:
    bad = json.loads(json.dumps(SEED))
    bad["child"]["date_of_birth"] = "2007-13-45"
    bad["people"][1]["relationship"] = "grandma"
    bad["people"][2]["birth_year"] = 1950  # approx_age is also given
    bad["restrictions"][0]["person"] = "s9"
    with pytest.raises(BadInput) as info:
        parse_seed_case(json.dumps(bad), "case.json")
    text = str(info.value)
    assert "case.json" in text
    assert "$.child.date_of_birth" in text
    assert "$.people[1].relationship" in text
    assert "$.people[2]" in text


def test_restriction_naming_an_unknown_person_is_refused() -> None:
    bad = json.loads(json.dumps(SEED))
    bad["restrictions"][0]["person"] = "s9"
    with pytest.raises(BadInput, match="s9"):
        parse_seed_case(json.dumps(bad))


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(BadInput, match="line 1, column"):
        parse_seed_case("{not json", "x.json")


def test_duplicate_reference_is_refused(session) -> None:
    add_case(session, parse_seed_case(json.dumps(SEED)))
    with pytest.raises(BadInput, match="already exists"):
        add_case(session, parse_seed_case(json.dumps(SEED)))


def test_case_without_both_consents_cannot_be_searched(session) -> None:
    seed = json.loads(json.dumps(SEED))
    del seed["consent"]["parental_responsibility_consent_on"]
    case = add_case(session, parse_seed_case(json.dumps(seed)))
    with pytest.raises(RefusedByPolicy, match="parental-responsibility consent") as info:
        require_search_allowed(session, case)
    assert info.value.exit_code == 3


def test_case_with_consent_may_be_searched(session) -> None:
    add_case(session, parse_seed_case(json.dumps(SEED)))
    require_search_allowed(session, get_case(session, "LL-2026-0007"))
