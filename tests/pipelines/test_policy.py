"""Restrictions: who is blocked, and which addresses may never be disclosed."""

from __future__ import annotations

from matchers import dates
from pipelines.policy import Restrictions, normalise_address

POLICY = Restrictions(
    do_not_contact={"s3": ("maternal_grandfather", "ROGER", ("DAVIES",))},
    undisclosable=(normalise_address("91 Brook Street, Stratford N16 8YF"),),
)


def test_do_not_contact_seed_person_is_blocked() -> None:
    assert POLICY.block_reasons("maternal_grandfather", "s3", "ROGER", ["DAVIES"])


def test_anyone_who_may_be_the_do_not_contact_person_is_blocked() -> None:
    # Not linked to the seed, but the same unique relationship: block rather than risk it.
    assert POLICY.block_reasons("maternal_grandfather", None, "RONALD", ["DAVIES"])
    # The same name under another label.
    assert POLICY.block_reasons("maternal_uncle", None, "ROGER JOHN", ["DAVIES"])


def test_a_do_not_contact_person_remembered_by_first_name_only_is_blocked_under_the_traced_surname() -> None:
    # "Darren", the father: the person traced for him is DARREN JAMES TAYLOR; another DARREN TAYLOR
    # (his real birth entry, read as an uncle) must be blocked too.
    policy = Restrictions(do_not_contact={"s2": ("father", "DARREN", ())}, undisclosable=())
    assert policy.block_reasons("paternal_uncle", None, "DARREN RYAN", ["TAYLOR"])  # no surname known: any
    traced = policy.knowing({"s2": [("DARREN JAMES", ["TAYLOR"])]})
    assert traced.block_reasons("paternal_uncle", None, "DARREN RYAN", ["TAYLOR"])
    assert traced.block_reasons("paternal_uncle", None, "PAUL", ["TAYLOR"]) == []
    assert traced.block_reasons("paternal_uncle", None, "DARREN", ["SMITH"]) == []


def test_a_do_not_contact_person_going_by_a_middle_name_is_blocked() -> None:
    policy = Restrictions(do_not_contact={"s2": ("father", "PAUL", ("WALSH",))}, undisclosable=())
    assert policy.block_reasons("paternal_uncle", None, "DAVID PAUL", ["WALSH"])
    assert policy.block_reasons("paternal_uncle", None, "DAVID", ["WALSH"]) == []


def test_other_relatives_are_not_blocked() -> None:
    assert POLICY.block_reasons("maternal_grandmother", "s2", "CHRISTINE", ["DAVIES"]) == []
    assert POLICY.block_reasons("maternal_uncle", None, "PAUL", ["DAVIES"]) == []


def test_undisclosable_address_is_recognised_in_record_layout() -> None:
    assert POLICY.place_is_undisclosable("91 Brook Street", "Stratford", "N16 8YF")
    assert POLICY.place_is_undisclosable("91 BROOK ST.", "", "n168yf")
    assert POLICY.place_is_undisclosable("91 Brook Street", "Stratford", "")
    assert not POLICY.place_is_undisclosable("12 Brook Street", "Stratford", "N16 8YF")
    assert not POLICY.place_is_undisclosable("91 Brook Street", "Leeds", "LS1 1AA")


def test_a_do_not_contact_person_remembered_without_forenames_blocks_who_may_be_them() -> None:
    # The father: "a TREGEAR, about 55", no forename known. His own birth entry, reached as a paternal
    # uncle KIERAN TREGEAR, must be blocked; a TREGEAR woman, or a man a generation younger, is not him.
    born = (dates.interval_from_year(1966).lo, dates.interval_from_year(1976).hi)
    policy = Restrictions(do_not_contact={"s2": ("father", "", ("TREGEAR",))}, undisclosable=(),
                          described={"s2": ("M", *born)})
    kieran = dates.interval_from_iso("1973-06-19")
    assert policy.block_reasons("paternal_uncle", None, "KIERAN", ["TREGEAR"], "M", (kieran.lo, kieran.hi))
    assert policy.block_reasons("paternal_uncle", None, "KIERAN", ["TREGEAR"])  # sex and age unknown: may be
    assert policy.block_reasons("paternal_aunt", None, "CAROL", ["TREGEAR"], "F", (kieran.lo, kieran.hi)) == []
    young = dates.interval_from_iso("2001-02-03")
    assert policy.block_reasons("brother", None, "KIERAN", ["TREGEAR"], "M", (young.lo, young.hi)) == []
    assert policy.block_reasons("paternal_uncle", None, "KIERAN", ["SMITH"], "M", (kieran.lo, kieran.hi)) == []
    # The man traced as the father (GARY TREGEAR) is a guess: it does not stand for the forename nobody
    # remembered.
    traced = policy.knowing({"s2": [("GARY THOMAS", ["TREGEAR"])]})
    assert traced.block_reasons("paternal_uncle", None, "KIERAN", ["TREGEAR"], "M", (kieran.lo, kieran.hi))
