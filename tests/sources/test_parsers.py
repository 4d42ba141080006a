"""Pure parse() functions of every live source, fed with saved pages and payloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sources import companies_house, gazette
from sources.client import SourceFailed
from sources.kinds import KIND_COLUMNS
from sources.spiders import directory_site, index_search
from sources.store import validate_records

FIXTURES = Path(__file__).with_name("fixtures")


def _json(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def _html(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_companies_house_search_keeps_people_born_near_the_year() -> None:
    payload = _json("ch_search_officers.json")
    assert companies_house.parse_search(payload, birth_year=1966) == [
        "/officers/AbCdEfGhIjKlMnOpQrStUvWxYz1/appointments", "/officers/CoRpOrAtEoFfIcEr00000000003/appointments"]
    assert len(companies_house.parse_search(payload)) == 3


def test_companies_house_appointments_become_company_officer_records() -> None:
    records = companies_house.parse(_json("ch_appointments.json"))
    assert [r["record_id"] for r in records] == [
        "AbCdEfGhIjKlMnOpQrStUvWxYz1:08769417:2010-10-28", "AbCdEfGhIjKlMnOpQrStUvWxYz1:07994869:2011-12-12"]
    first, second = records
    assert first["name"] == "PAYNE, Stephen Neil" and first["birth_month"] == 4 and first["birth_year"] == 1966
    assert first["address"] == "Unit 22 94 Brunswick Street" and first["town"] == "Dagenham"
    assert first["postcode"] == "RM10 3PN" and first["resigned_on"] is None
    assert second["resigned_on"] == "2017-07-22" and second["occupation"] == "Plumber"
    assert set(first) == set(KIND_COLUMNS["company_officers"])
    validate_records("ch", "company_officers", records)


def test_companies_house_garbage_is_refused() -> None:
    with pytest.raises(SourceFailed):
        companies_house.parse({"errors": [{"error": "invalid"}]})
    with pytest.raises(SourceFailed):
        companies_house.parse_search(["not", "an", "object"])


def test_gazette_json_feed_gives_probate_records_for_deceased_estates_only() -> None:
    records = gazette.parse(_json("gazette_deceased.json"))
    assert records == [{
        "record_id": "4417001", "surname": "GALLAGHER", "forenames": "Chloe Jean", "date_of_death": "2024-06-20",
        "address": "96 Rosebery Avenue", "town": "Margate", "postcode": "CT5 9WL", "grant_date": "2025-01-31"}]
    validate_records("gazette", "probate", records)


def test_gazette_atom_feed_is_read_too() -> None:
    records = gazette.parse((FIXTURES / "gazette_deceased.atom").read_bytes())
    assert records == [{
        "record_id": "4417003", "surname": "SMITH", "forenames": "David John", "date_of_death": "2004-03-07",
        "address": "59 North Street", "town": "Catford", "postcode": "SE6 6QY", "grant_date": "2004-07-14"}]


def test_gazette_garbage_is_refused() -> None:
    with pytest.raises(SourceFailed):
        gazette.parse("<<not xml")
    with pytest.raises(SourceFailed):
        gazette.parse({"entry": "nonsense"})


def test_index_results_page_gives_records_and_next_page() -> None:
    records, nxt = index_search.parse_results(_html("index_births_page1.html"), "http://h/search?x=1", "birth_index")
    assert [r["record_id"] for r in records] == ["BI0000208", "BI0000154"]
    assert records[0]["forenames"] == "Michelle Joanna" and records[0]["mother_maiden_surname"] == "FERGUSON"
    assert records[1]["month"] is None and records[1]["date_of_birth"] is None
    assert nxt == "http://h/search?type=births&surname=WOODWARD&forename=Michelle&page=2"
    validate_records("bmd", "birth_index", records)


def test_index_death_page_maps_age_at_death() -> None:
    records, nxt = index_search.parse_results(_html("index_deaths_page2.html"), "http://h/search", "death_index")
    assert records[0]["age_at_death"] == "68" and nxt is None
    assert validate_records("bmd", "death_index", records)[0]["age_at_death"] == 68


def test_index_no_results_is_empty_and_garbage_is_not_understood() -> None:
    assert index_search.parse_results(_html("index_no_results.html"), "http://h/", "birth_index") == ([], None)
    with pytest.raises(index_search.PageNotUnderstood):
        index_search.parse_results(_html("garbage.html"), "http://h/", "birth_index")


def test_index_search_url_sends_only_the_guarded_fields_and_a_year_range() -> None:
    from datetime import date

    url = index_search.search_url("http://h", "death_index", {"surname": "JACKSON", "forename": "Robert",
                                                             "birth_year": "1954"}, today=date(2026, 1, 1))
    assert url == "http://h/search?type=deaths&surname=JACKSON&forename=Robert&from=1954&to=2026"


def test_directory_search_and_person_pages() -> None:
    people, nxt = directory_site.parse_search(_html("directory_search.html"), "http://h/people?surname=GALLAGHER")
    assert people == ["http://h/person/P02044e9bcfbb", "http://h/person/P093ad5944271"]
    assert nxt == "http://h/people?surname=GALLAGHER&page=2"
    records = directory_site.parse_person(_html("directory_person.html"))
    assert [r["record_id"] for r in records] == ["DI0000002", "DI0000107"]
    assert records[0]["full_name"] == "Jessica GALLAGHER" and records[0]["first_seen_year"] == "2019"
    assert records[1]["other_occupants"] == "Janet Harrison;Paul GALLAGHER"
    validate_records("dir", "directory", records)
    with pytest.raises(index_search.PageNotUnderstood):
        directory_site.parse_person(_html("garbage.html"))
