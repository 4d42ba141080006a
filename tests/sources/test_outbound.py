"""The outbound guard: only may_send fields leave, and no canary of the protected set ever does."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.outbound import (
    OutboundLog,
    OutboundRefused,
    PersonQuery,
    ProtectedSet,
    guard_request,
    minimal_query,
    protected_set_for_case,
)
from sources.registry import SourceEntry

ENTRY = SourceEntry(name="ch", kind="company_officers", type="api", adapter="companies_house",
                    base_url="http://127.0.0.1:1", lawful_basis="test", terms_reviewed_on=date(2026, 1, 1),
                    may_send=("surname", "forename"))


def _protected() -> ProtectedSet:
    p = ProtectedSet()
    p.add_person("the child's name", "Mason Paul", ["HUNTER"])
    p.add_date("the child's date of birth", date(2007, 5, 7))
    p.add_place("an undisclosable place", "91 Brook Street, Stratford N16 8YF")
    p.add_person("a do-not-contact person's name", "Roger", [None])
    p.add_person("a do-not-contact person's name", "Gary Thomas", ["PALMER", "DAVIES"])
    return p


def test_query_keeps_only_the_fields_the_source_may_receive() -> None:
    q = minimal_query(ENTRY, PersonQuery("HUNTER", "Kelly Anne", 1973), _protected())
    assert q == {"surname": "HUNTER", "forename": "Kelly"}


def test_mother_sharing_the_childs_surname_may_be_searched() -> None:
    guard_request(_protected(), "ch", "http://h/search/officers?q=Kelly+HUNTER")


@pytest.mark.parametrize("url", [
    "http://h/search/officers?q=Mason+HUNTER",
    "http://h/search/officers?q=hunter%2C%20mason",
    "http://h/search?surname=Hunter&forename=MASON&from=2006",
    "http://h/search?q=M%C3%A1son+Hunter",
    "http://h/search?surname=SMITH&dob=2007-05-07",
    "http://h/search?surname=SMITH&dob=07%2F05%2F2007",
    "http://h/search?surname=SMITH&born=7+May+2007",
    "http://h/search?surname=SMITH&postcode=N168YF",
    "http://h/search?surname=SMITH&postcode=n16+8yf",
    "http://h/search?address=91+Brook+Street",
    "http://h/search?surname=SMITH&forename=Roger",
    "http://h/search?q=Gary+DAVIES",
    "http://h/search?q=Gary+Thomas+PALMER",
])
def test_canaries_are_refused_however_they_are_written(url: str) -> None:
    with pytest.raises(OutboundRefused):
        guard_request(_protected(), "ch", url)


def test_refusal_message_names_the_reason_not_the_value() -> None:
    with pytest.raises(OutboundRefused) as exc:
        minimal_query(ENTRY, PersonQuery("HUNTER", "Mason", 2007), _protected())
    assert "child's name" in str(exc.value) and "Mason" not in str(exc.value)


def test_protected_set_travels_as_hashes_only() -> None:
    data = json.dumps(_protected().to_json())
    for value in ("mason", "hunter", "n16", "brook", "roger"):  # hex digests hold no such letters
        assert value not in data.casefold()
    again = ProtectedSet.from_json(json.loads(data))
    assert again.violations("q=Mason+Hunter") == ["the child's name"]


def test_audit_log_keeps_field_names_and_a_digest_but_no_values(tmp_path: Path) -> None:
    log = OutboundLog(tmp_path / "outbound.log")
    log.record("ch", "GET", "http://h/search/officers?q=Kelly+HUNTER&items_per_page=50", status=200,
               fields=("forename", "surname"))
    text = (tmp_path / "outbound.log").read_text()
    line = json.loads(text)
    assert line["path"] == "/search/officers" and line["fields"] == ["forename", "surname"]
    assert "kelly" not in text.casefold() and "hunter" not in text.casefold()
    assert (tmp_path / "outbound.key").stat().st_mode & 0o077 == 0


_name = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10)


@settings(max_examples=150, deadline=None)
@given(forename=_name, surname=_name, other=_name, dob=st.dates(date(1990, 1, 1), date(2025, 12, 31)),
       house=st.integers(1, 400), style=st.sampled_from(["plain", "upper", "title", "quoted", "qs", "comma"]))
def test_canary_values_never_pass_the_guard(forename: str, surname: str, other: str, dob: date, house: int,
                                            style: str) -> None:
    p = ProtectedSet()
    p.add_person("the child's name", forename, [surname])
    p.add_date("the child's date of birth", dob)
    place = f"{house} {other} Road, Sometown ZZ9 9ZZ"
    p.add_place("an undisclosable place", place)

    def render(*parts: str) -> str:
        text = " ".join(parts)
        return {"plain": text, "upper": text.upper(), "title": text.title(), "quoted": quote(text),
                "qs": urlencode({"q": text}), "comma": ", ".join(reversed(parts))}[style]

    for leak in (render(forename, surname), render(dob.isoformat()), render(dob.strftime("%d/%m/%Y")),
                 render(f"{house} {other} road"), render("zz9 9zz")):
        assert p.violations(f"http://h/search?{leak}"), leak
    if forename != surname and other not in (forename, surname):
        assert not p.violations(f"http://h/search?q={other}+{surname}")


def test_protected_set_of_a_stored_case(session) -> None:  # noqa: ANN001
    from tracing.cases import add_case, parse_seed_case

    seed = {
        "reference": "LL-2026-0007",
        "child": {"forenames": "Mason Paul", "surname": "HUNTER", "date_of_birth": "2007-05-07"},
        "consent": {"child_agreed_on": "2026-10-01", "parental_responsibility_consent_on": "2026-10-02"},
        "people": [{"id": "s1", "relationship": "mother", "forenames": "Kelly", "surname": "HUNTER"},
                   {"id": "s3", "relationship": "maternal_grandfather", "forenames": "Roger", "approx_age": 75}],
        "restrictions": [{"kind": "do_not_contact", "person": "s3", "reason": "risk"},
                         {"kind": "do_not_disclose_location", "place": "91 Brook Street, Stratford N16 8YF"}],
    }
    case = add_case(session, parse_seed_case(json.dumps(seed)))
    p = protected_set_for_case(session, case.id)
    assert not p.violations("q=Kelly+HUNTER")
    assert p.violations("q=Mason+HUNTER") == ["the child's name"]
    assert p.violations("q=Roger+SMITH") == ["a do-not-contact person's name"]
    assert p.violations("pc=N16+8YF") == ["an undisclosable place"]
    assert p.violations("d=2007-05-07") == ["the child's date of birth"]
