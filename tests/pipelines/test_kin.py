"""Kinship chains on a small hand-made family: each inference step is checked on its own."""

from __future__ import annotations

import pytest

from matchers import dates
from pipelines import enqueue, kin, prepare
from pipelines.policy import Restrictions, normalise_address

B = "birth_index"
M = "marriage_index"


def _birth(rid, surname, forenames, mmn, district, dob):  # noqa: ANN001, ANN202
    y, m = int(dob[:4]), int(dob[5:7])
    return (B, B, rid, {"surname": surname, "forenames": forenames, "mother_maiden_surname": mmn,
                        "district": district, "year": y, "quarter": (m - 1) // 3 + 1, "month": m,
                        "date_of_birth": dob})


def _marriage(rid, surname, forenames, spouse, district, year, quarter):  # noqa: ANN001, ANN202
    return (M, M, rid, {"surname": surname, "forenames": forenames, "spouse_surname": spouse,
                        "district": district, "year": year, "quarter": quarter})


RECORDS = [
    # The child, her full brother and a half-sister by the mother's second partner.
    _birth("B1", "HUNTER", "Mason Paul", "DAVIES", "Newham", "2007-05-07"),
    _birth("B2", "HUNTER", "Thomas", "DAVIES", "Newham", "2004-02-11"),
    _birth("B3", "OKAFOR", "Grace", "DAVIES", "Hackney", "2013-08-30"),
    # The parents' marriage, one row per spouse.
    _marriage("M1", "DAVIES", "Kelly Anne", "HUNTER", "Newham", 2002, 3),
    _marriage("M2", "HUNTER", "Darren", "DAVIES", "Newham", 2002, 3),
    _marriage("M9", "HUNTER", "Kelly A", "OKAFOR", "Hackney", 2012, 1),
    # The mother's and father's births.
    _birth("B4", "DAVIES", "Kelly Anne", "WARD", "Leeds", "1973-04-19"),
    _birth("B5", "HUNTER", "Darren", "MOSS", "Newham", "1970-10-02"),
    # Maternal grandparents: their marriage and births; an aunt, her marriage and her son.
    _marriage("M3", "DAVIES", "Roger", "WARD", "Leeds", 1968, 2),
    _marriage("M4", "WARD", "Christine", "DAVIES", "Leeds", 1968, 2),
    _birth("B6", "DAVIES", "Roger", "PRICE", "Leeds", "1944-01-15"),
    _birth("B7", "WARD", "Christine Mary", "HILL", "Bradford", "1946-06-02"),
    _birth("B8", "DAVIES", "Lorraine", "WARD", "Leeds", "1970-12-12"),
    _marriage("M5", "DAVIES", "Lorraine", "BANKS", "Leeds", 1992, 4),
    _marriage("M6", "BANKS", "Steven", "DAVIES", "Leeds", 1992, 4),
    _birth("B9", "BANKS", "Jordan", "DAVIES", "Leeds", "1995-03-03"),
    # Distractors: another DAVIES family with a different mother.
    _birth("B10", "DAVIES", "Karen", "LEE", "Cardiff", "1975-07-07"),
    _birth("B11", "HUNTER", "Jake", "SMITH", "Newham", "2006-01-01"),
    # Where people are now, and a death.
    ("directory", "directory", "D1", {"full_name": "Kelly HUNTER", "address": "4 Elm Road", "town": "Stratford",
                                      "postcode": "E15 1AA", "first_seen_year": 2015, "last_seen_year": 2025,
                                      "age_band": "50-54", "other_occupants": ""}),
    ("directory", "directory", "D2", {"full_name": "Chrissie DAVIES", "address": "91 Brook Street",
                                      "town": "Stratford", "postcode": "N16 8YF", "first_seen_year": 2019,
                                      "last_seen_year": 2026, "age_band": "75-79", "other_occupants": ""}),
    ("death_index", "death_index", "X1", {"surname": "DAVIES", "forenames": "Roger", "date_of_birth": "1944-01-15",
                                          "age_at_death": 79, "district": "Leeds", "year": 2023, "quarter": 3}),
]


@pytest.fixture(scope="module")
def mentions():  # noqa: ANN201
    return prepare.mentions(RECORDS)


def _case(**extra) -> kin.CaseFacts:  # noqa: ANN003
    child = kin.SeedFacts(key="child", relationship="child", forenames="MASON PAUL", surnames=("HUNTER",),
                          born=dates.interval_from_iso("2007-05-07"), places=("Newham",), sex="M")
    people = (
        kin.SeedFacts(key="s1", relationship="mother", forenames="KELLY", surnames=("DAVIES", "HUNTER"),
                      born=dates.interval_from_iso("1973-04-19"), sex="F"),
        kin.SeedFacts(key="s2", relationship="maternal_grandmother", forenames="CHRISSIE",
                      born=dates.interval_from_year(1946), sex="F"),
        kin.SeedFacts(key="s3", relationship="maternal_grandfather", forenames="ROGER", sex="M",
                      born=dates.Interval(dates.day_number(dates.from_day_number(0).replace(year=1940)),
                                          dates.day_number(dates.from_day_number(0).replace(year=1950)))),
    )
    return kin.CaseFacts(reference="T-1", child=child, people=people, **extra)


@pytest.fixture(scope="module")
def found(mentions):  # noqa: ANN001, ANN201
    return {p.relationship + ":" + p.identity: p for p in kin.trace_case(_case(), mentions)}


def _by(found, relationship):  # noqa: ANN001, ANN202
    return [p for p in found.values() if p.relationship == relationship]


def _records(person) -> set[str]:  # noqa: ANN001
    return {rid for _, rid in person.records}


def test_mother_is_found_through_the_childs_birth_entry(found) -> None:  # noqa: ANN001
    (mother,) = _by(found, "mother")
    assert {"B4", "M1", "D1"} <= _records(mother)
    assert mother.seed_person == "s1"
    assert "HUNTER" in mother.surnames and mother.birth_surname == "DAVIES"


def test_father_is_found_through_the_parents_marriage(found) -> None:  # noqa: ANN001
    (father,) = _by(found, "father")
    assert {"B5", "M2"} <= _records(father)


def test_full_and_half_siblings_are_told_apart(found) -> None:  # noqa: ANN001
    assert {"B2"} == {r for p in _by(found, "brother") for r in _records(p) if r.startswith("B")}
    half = _by(found, "half_sister")
    assert half and "B3" in _records(half[0])
    # Another mother's HUNTER child is not a full sibling; as the father's child by another mother it
    # is only a weak reading: less likely than not, and below every real sibling.
    b11 = [p for p in found.values() if "B11" in _records(p)]
    assert all(p.relationship not in ("brother", "sister") for p in b11)
    real = [enqueue.score_of(p) for p in [*_by(found, "brother"), *half]]
    assert all(enqueue.score_of(p) < min(0.5, *real) for p in b11)


def test_grandparents_aunt_and_cousin_come_from_the_mothers_birth_entry(found) -> None:  # noqa: ANN001
    (gm,) = _by(found, "maternal_grandmother")
    (gf,) = _by(found, "maternal_grandfather")
    assert {"B7", "M4", "D2"} <= _records(gm) and gm.seed_person == "s2"
    assert {"B6", "M3", "X1"} <= _records(gf) and gf.deceased
    (aunt,) = _by(found, "maternal_aunt")
    assert {"B8", "M5"} <= _records(aunt)
    (cousin,) = _by(found, "maternal_cousin")
    assert "B9" in _records(cousin)


def test_confidence_falls_with_each_step(found) -> None:  # noqa: ANN001
    (mother,) = _by(found, "mother")
    (aunt,) = _by(found, "maternal_aunt")
    (cousin,) = _by(found, "maternal_cousin")
    assert mother.prob > aunt.prob > cousin.prob


def test_every_record_belongs_to_at_most_one_person(found) -> None:  # noqa: ANN001
    seen: set[tuple[str, str]] = set()
    for person in found.values():
        assert not (set(person.records) & seen)
        seen |= set(person.records)


def test_restrictions_block_and_hide_undisclosable_addresses(mentions) -> None:  # noqa: ANN001
    policy = Restrictions(
        do_not_contact={"s3": ("maternal_grandfather", "ROGER", ())},
        undisclosable=(normalise_address("91 Brook Street, Stratford N16 8YF"),),
    )
    drafts = enqueue.drafts(kin.trace_case(_case(do_not_contact=frozenset({"s3"})), mentions), policy)
    gf = next(d for d in drafts if d.relationship == "maternal_grandfather")
    assert gf.blocked and gf.contact is None
    gm = next(d for d in drafts if d.relationship == "maternal_grandmother")
    assert not gm.blocked and gm.contact is None  # her only address is undisclosable
    mother = next(d for d in drafts if d.relationship == "mother")
    assert mother.contact == ("directory", "D1")
    assert [d.rank for d in drafts] == list(range(1, len(drafts) + 1))


def test_a_child_with_no_birth_entry_and_a_mother_remembered_without_a_surname_is_searched(mentions) -> None:  # noqa: ANN001
    # Nothing to look the mother up under: the search goes on with what the seeds give.
    child = kin.SeedFacts(key="child", relationship="child", forenames="NOBODY", surnames=("ZZYZX",),
                          born=dates.interval_from_iso("2007-05-07"), sex="M")
    mother = kin.SeedFacts(key="s1", relationship="mother", forenames="KELLY", sex="F")
    father = kin.SeedFacts(key="s2", relationship="father", forenames="JAMIE", surnames=("HUNTER",), sex="M")
    found = kin.trace_case(kin.CaseFacts(reference="T-2", child=child, people=(mother, father)), mentions)
    assert all(p.records for p in found)


def test_no_contact_is_offered_when_two_directory_spells_put_them_at_two_addresses_at_once() -> None:
    def person(*spells: tuple[int, str, int, float]) -> kin.Found:
        p = kin.Found(relationship="maternal_aunt", forenames="SARAH", surnames=["HUNTER"], prob=0.9)
        p.addresses = [kin.Address(last, "directory", rid, f"{i} High Street", "Leyton", f"E10 {i}AA", first, weight)
                       for i, (last, rid, first, weight) in enumerate(spells)]
        return p

    open_ = Restrictions(do_not_contact={}, undisclosable=())
    # Moved on, or moved in the year one spell ends and the next begins: the latest spell is theirs.
    assert enqueue.choose_contact(person((2015, "D1", 2010, 4.0), (2026, "D2", 2016, 4.0)), open_) == \
        (("directory", "D2"), None)
    assert enqueue.choose_contact(person((2025, "D1", 2010, 4.0), (2026, "D2", 2025, 4.0)), open_) == \
        (("directory", "D2"), None)
    # Two addresses over the same years, linked about as strongly: neither, and the coordinator is told.
    contact, why = enqueue.choose_contact(person((2026, "D1", 2019, 4.0), (2026, "D2", 2024, 5.0)), open_)
    assert contact is None and "D1" in why and "D2" in why and "2024-2026" in why
    # The latest far more strongly linked than the other: offered.
    assert enqueue.choose_contact(person((2026, "D1", 2019, 1.0), (2026, "D2", 2024, 9.0)), open_)[0] == \
        ("directory", "D2")
    # The same address listed twice is no conflict.
    same = person((2026, "D1", 2019, 4.0), (2026, "D2", 2024, 4.0))
    same.addresses[1] = same.addresses[0]._replace(record_id="D2")
    assert enqueue.choose_contact(same, open_)[0] == ("directory", "D2")


def test_a_half_brother_the_family_and_the_case_records_name_is_the_brother_traced_not_a_second_one() -> None:
    # Thomas's birth entry shares the child's surname and mother, so the chain reads him as a full
    # brother; the family remember him as a half-brother and so does the authority's record of him (with
    # his date of birth). One candidate, under the word of those who know, with the record attached.
    record = ("case_records", "case_records", "CR1", {
        "surname": "HUNTER", "forenames": "Thomas", "date_of_birth": "2004-02-11",
        "relationship_to_subject": "half brother", "subject_name": "Mason HUNTER", "address": "4 Elm Road",
        "town": "Stratford", "postcode": "E15 1AA", "recorded_on": "2021-03-01"})
    case = _case()
    half = kin.SeedFacts(key="s4", relationship="half_brother", forenames="THOMAS", surnames=("HUNTER",), sex="M")
    case = kin.CaseFacts(reference=case.reference, child=case.child, people=(*case.people, half))
    found = kin.trace_case(case, prepare.mentions([*RECORDS, record]))
    (thomas,) = [p for p in found if p.forenames.startswith("THOMAS")]
    assert thomas.relationship == "half_brother" and thomas.seed_person == "s4"
    assert {"B2", "CR1"} <= _records(thomas)


def test_an_aunt_the_case_records_misspell_is_the_aunt_traced_not_a_second_one() -> None:
    # The authority's record of the maternal aunt spells her LORRAIME: one slip from the LORRAINE whose
    # birth entry the chain reached, born the same day. One candidate, with the record attached.
    record = ("case_records", "case_records", "CR1", {
        "surname": "DAVIES", "forenames": "Lorraime", "date_of_birth": "1970-12-12",
        "relationship_to_subject": "maternal aunt", "subject_name": "Mason HUNTER", "address": "9 Ash Grove",
        "town": "Leeds", "postcode": "LS6 2AB", "recorded_on": "2020-06-01"})
    found = kin.trace_case(_case(), prepare.mentions([*RECORDS, record]))
    aunts = [p for p in found if p.relationship == "maternal_aunt"]
    assert len(aunts) == 1
    assert {"B8", "CR1"} <= _records(aunts[0])


@pytest.mark.parametrize("said", ["maternal_aunt", "aunt"])
def test_an_aunt_the_family_remembers_makes_her_children_surer_too(mentions, said: str) -> None:  # noqa: ANN001
    # The family remember "Auntie Lorraine" (on the mother's side, or just "an aunt"): she is matched before
    # her family is followed, so the belief in her son Jordan rises with hers, not only hers at the end.
    case = _case()
    lorraine = kin.SeedFacts(key="s4", relationship=said, forenames="LORRAINE", surnames=("DAVIES",), sex="F")
    remembered = kin.CaseFacts(reference=case.reference, child=case.child, people=(*case.people, lorraine))

    def aunt_and_cousin(facts: kin.CaseFacts) -> tuple[kin.Found, kin.Found]:
        traced = kin.trace_case(facts, mentions)
        (aunt,) = [p for p in traced if p.relationship == "maternal_aunt"]
        (cousin,) = [p for p in traced if "B9" in _records(p)]
        return aunt, cousin

    (aunt, cousin), (aunt0, cousin0) = aunt_and_cousin(remembered), aunt_and_cousin(case)
    assert aunt.seed_person == "s4" and aunt.prob > aunt0.prob
    assert cousin.relationship == "maternal_cousin"
    assert cousin.prob / cousin0.prob == pytest.approx(aunt.prob / aunt0.prob, rel=0.01)


@pytest.mark.parametrize(("recorded_on", "about_him"), [("2003-02-19", False), ("2006-11-01", True),
                                                         ("2009-06-01", True)])
def test_a_case_record_written_years_before_the_child_was_born_is_about_an_older_namesake(
        recorded_on: str, about_him: bool) -> None:
    # The authority's record names Scott HUNTER as the father of a Mason HUNTER. Written in 2003, four years
    # before this Mason was born, it is about another boy of that name: no seed. Written in the months
    # before his birth (a pre-birth assessment) or after it, it may be his.
    record = ("case_records", "case_records", "CR1", {
        "surname": "HUNTER", "forenames": "Scott", "date_of_birth": "1977-09-03",
        "relationship_to_subject": "father", "subject_name": "Mason HUNTER", "address": "55 Highfield Road",
        "town": "Leeds", "postcode": "LS9 5TB", "recorded_on": recorded_on})
    tracer = kin.Tracer(prepare.mentions([*RECORDS, record]))
    case = _case()
    tracer._child, tracer._full_siblings = case.child, []
    hints = tracer.case_record_seeds(case)
    assert [(h.relationship, h.forenames) for h in hints] == ([("father", "SCOTT")] if about_him else [])


def test_of_two_case_records_naming_a_father_the_one_naming_the_child_in_full_is_hers() -> None:
    # The authority holds records about two boys called Mason HUNTER. One, about "Mason HUNTER", names
    # Scott HUNTER as his father; another, about "Mason Paul HUNTER", names Gary HUNTER. The child is Mason
    # Paul: the record naming him in full is surely about him, the other may be about a namesake. A record
    # about "Mason Lee HUNTER" is about another boy.
    def record(rid: str, forenames: str, subject: str) -> tuple:
        return ("case_records", "case_records", rid, {
            "surname": "HUNTER", "forenames": forenames, "relationship_to_subject": "father",
            "subject_name": subject, "address": "55 Highfield Road", "town": "Leeds", "postcode": "LS9 5TB",
            "recorded_on": "2012-06-20"})

    tracer = kin.Tracer(prepare.mentions([*RECORDS, record("CR1", "Scott", "Mason HUNTER"),
                                          record("CR2", "Gary", "Mason Paul HUNTER"),
                                          record("CR3", "Dean", "Mason Lee HUNTER")]))
    case = _case()
    tracer._child, tracer._full_siblings = case.child, []
    hints = tracer.case_record_seeds(case)
    assert [h.forenames for h in hints] == ["GARY", "SCOTT"]
    seeds, _folded = tracer._merged_seeds(case, hints)
    assert seeds["father"].forenames == "GARY"


def test_of_two_case_records_naming_a_father_the_one_under_the_childs_own_surname_is_hers() -> None:
    # The child is Mason HUNTER. The authority's records name Lee HUNTR as the father of a "Mason HUNTR"
    # (a namesake a letter away: another boy) and Scott HUNTER as the father of "Mason HUNTER". Whichever
    # was written first, the record under the child's own surname is the one taken.
    def record(rid: str, forenames: str, surname: str) -> tuple:
        return ("case_records", "case_records", rid, {
            "surname": surname, "forenames": forenames, "relationship_to_subject": "birth father",
            "subject_name": f"Mason {surname}", "address": "55 Highfield Road", "town": "Leeds",
            "postcode": "LS9 5TB", "recorded_on": "2012-06-20"})

    for order in ((record("CR1", "Lee", "HUNTR"), record("CR2", "Scott", "HUNTER")),
                  (record("CR1", "Scott", "HUNTER"), record("CR2", "Lee", "HUNTR"))):
        tracer = kin.Tracer(prepare.mentions([*RECORDS, *order]))
        case = _case()
        tracer._child, tracer._full_siblings = case.child, []
        seeds, _folded = tracer._merged_seeds(case, tracer.case_record_seeds(case))
        assert (seeds["father"].forenames, seeds["father"].surnames) == ("SCOTT", ("HUNTER",))


def test_aunts_and_uncles_under_a_grandfather_nobody_names_are_the_grandmothers_children_too() -> None:
    # Karen ELLIOTT was registered under her mother Shirley's surname, and nobody names Shirley's partner.
    # Her brothers and sister were registered under his: PARKER, mother's maiden surname ELLIOTT, born
    # where Shirley lived. A PARKER with an ELLIOTT mother far off is another family's.
    records = [
        _birth("C1", "ELLIOTT", "Kieran James", "ELLIOTT", "Bedford", "2014-07-12"),
        _birth("K1", "ELLIOTT", "Karen Anne", "ELLIOTT", "Bedford", "1973-03-27"),
        _birth("G1", "ELLIOTT", "Shirley", "STEWART", "Bedford", "1947-02-10"),
        _birth("A1", "PARKER", "Stephen Alan", "ELLIOTT", "Bedford", "1966-08-01"),
        _birth("A2", "PARKER", "Claire Grace", "ELLIOTT", "Bedford", "1968-09-03"),
        _birth("A3", "PARKER", "Carl James", "ELLIOTT", "Bedford", "1971-01-20"),
        _birth("F1", "MOORE", "Dean", "ELLIOTT", "Carlisle", "1969-05-05"),
    ]
    child = kin.SeedFacts(key="child", relationship="child", forenames="KIERAN JAMES", surnames=("ELLIOTT",),
                          born=dates.interval_from_iso("2014-07-12"), places=("Bedford",), sex="M")
    people = (
        kin.SeedFacts(key="s1", relationship="mother", forenames="KAREN", surnames=("ELLIOTT",),
                      born=dates.interval_from_iso("1973-03-27"), sex="F"),
        kin.SeedFacts(key="s2", relationship="maternal_grandmother", forenames="SHIRLEY", surnames=("ELLIOTT",),
                      sex="F"),
    )
    found = kin.trace_case(kin.CaseFacts(reference="T-3", child=child, people=people), prepare.mentions(records))
    side = {rid: p.relationship for p in found for rid in _records(p)}
    assert side["G1"] == "maternal_grandmother"
    assert (side.get("A1"), side.get("A2"), side.get("A3")) == ("maternal_uncle", "maternal_aunt", "maternal_uncle")
    assert "F1" not in side


def test_a_father_the_full_siblings_surname_names_is_found_not_one_a_namesake_childs_record_gives() -> None:
    # Olivia JONES was registered under her mother Kelly's surname; the family remember her sister under
    # their father's, BLAKE, and the directory lists Lee BLAKE with Kelly when Olivia was born. A case
    # record about another Olivia JONES names her dad, Anthony ASHWORTH: a man keeps his surname, so he
    # is not the father of a BLAKE.
    records = [
        _birth("C1", "JONES", "Olivia Mary", "JONES", "St Albans", "2011-05-01"),
        _birth("K1", "JONES", "Kelly May", "BELL", "Cambridge", "1975-01-30"),
        _birth("L1", "BLAKE", "Lee", "COOPER", "St Albans", "1977-10-02"),
        _birth("A1", "ASHWORTH", "Anthony Lee", "WOOD", "Hackney", "1981-01-04"),
        ("directory", "directory", "D1", {"full_name": "Kelly JONES", "address": "143 London Road",
                                          "town": "St Albans", "postcode": "AL28 6GH", "first_seen_year": 2009,
                                          "last_seen_year": 2016, "age_band": "35-39",
                                          "other_occupants": "Lee Blake"}),
        ("case_records", "case_records", "CR1", {
            "surname": "ASHWORTH", "forenames": "Anthony", "date_of_birth": "1981-01-04",
            "relationship_to_subject": "dad", "subject_name": "Olivia JONES", "address": "50 Rosebery Avenue",
            "town": "Dalston", "postcode": "E8 5HP", "recorded_on": "2025-10-27"}),
    ]
    child = kin.SeedFacts(key="child", relationship="child", forenames="OLIVIA MARY", surnames=("JONES",),
                          born=dates.interval_from_iso("2011-05-01"), places=("St Albans",), sex="F")
    people = (
        kin.SeedFacts(key="s1", relationship="mother", forenames="KELLY", surnames=("JONES",),
                      born=dates.interval_from_iso("1975-01-30"), sex="F"),
        kin.SeedFacts(key="s5", relationship="sister", forenames="", surnames=("BLAKE",),
                      born=dates.interval_from_iso("2017-11-20"), sex="F"),
    )
    found = kin.trace_case(kin.CaseFacts(reference="T-4", child=child, people=people), prepare.mentions(records))
    (father,) = [p for p in found if p.relationship == "father"]
    assert "L1" in _records(father)
    assert not any({"A1", "CR1"} & _records(p) for p in found)
