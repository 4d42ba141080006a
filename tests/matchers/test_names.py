"""Name normalisation, nicknames and phonetic codes."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from matchers.names import (
    are_nicknames,
    forename_variants,
    normalise_forenames,
    normalise_forenames_series,
    normalise_name,
    normalise_surname,
    normalise_surname_series,
    phonetic,
    phonetic_series,
    split_full_name,
)


def test_apostrophe_joins_letters_in_obrien() -> None:
    assert normalise_name("Mrs O'Brien") == "OBRIEN"


def test_accents_are_stripped() -> None:
    assert normalise_name("Zoë  Renée") == "ZOE RENEE"


def test_missing_values_normalise_to_empty() -> None:
    assert normalise_name(None) == normalise_name(float("nan")) == normalise_name("  ") == ""


def test_mc_and_mac_surnames_unify() -> None:
    assert normalise_surname("McDonald") == normalise_surname("MacDonald") == "MACDONALD"


def test_double_barrelled_surname_keeps_both_parts() -> None:
    assert normalise_surname("Smith-Jones") == "SMITH JONES"


def test_title_alone_is_kept_rather_than_emptied() -> None:
    assert normalise_surname("Major") == "MAJOR"


def test_company_officer_style_name_splits_on_comma() -> None:
    assert split_full_name("BARKER, Donna Jane") == ("DONNA JANE", "BARKER")


def test_directory_style_name_takes_capitalised_surname() -> None:
    assert split_full_name("Donna J BARKER") == ("DONNA J", "BARKER")
    assert split_full_name("Mary Ann DE LA CRUZ") == ("MARY ANN", "DE LA CRUZ")


def test_plain_name_with_title_splits_on_last_word() -> None:
    assert split_full_name("Dr John Paul Smith") == ("JOHN PAUL", "SMITH")


def test_chrissie_and_christine_are_nicknames() -> None:
    assert are_nicknames("Chrissie", "Christine")


def test_peggy_bill_tel_are_nicknames_of_their_formal_names() -> None:
    assert are_nicknames("Peggy", "Margaret")
    assert are_nicknames("Bill", "William")
    assert are_nicknames("Tel", "Terence")
    assert are_nicknames("Gaz", "Gary")


def test_feminine_forms_are_not_nicknames() -> None:
    assert not are_nicknames("Louis", "Louise")
    assert not are_nicknames("Paul", "Paula")
    assert not are_nicknames("Jon", "Joan")


def test_variants_include_the_name_itself() -> None:
    assert "WILLIAM" in forename_variants("william")
    assert forename_variants("") == frozenset()


def test_phonetic_algorithms() -> None:
    assert phonetic("Smith", "metaphone") == phonetic("Smyth", "metaphone")
    assert phonetic("Stephen") == phonetic("Steven")
    assert phonetic("Smith", "soundex") == "S530"
    assert phonetic("", "metaphone") == ""
    assert phonetic("Catherine", "match_rating")


def test_series_helpers_map_values_and_nulls() -> None:
    s = pd.Series(["McDonald", None, "McDonald", "smith-jones"], index=[5, 6, 7, 8])
    out = normalise_surname_series(s)
    assert out.tolist() == ["MACDONALD", "", "MACDONALD", "SMITH JONES"]
    assert out.index.tolist() == [5, 6, 7, 8]
    assert normalise_forenames_series(pd.Series(["mary-jane"])).tolist() == ["MARY JANE"]
    assert phonetic_series(pd.Series(["Smith", None])).tolist() == [phonetic("Smith"), ""]


names = st.text(alphabet=st.sampled_from("abcXYZ éô'-. ,Mc"), max_size=20)


@given(names)
def test_normalisation_is_idempotent(s: str) -> None:
    for fn in (normalise_name, normalise_surname, normalise_forenames):
        once = fn(s)
        assert fn(once) == once


@given(st.sampled_from(["CHRISSIE", "BILL", "PEGGY", "JOHN", "ANN", "TEL"]),
       st.sampled_from(["CHRISTINE", "WILLIAM", "MARGARET", "JACK", "NAN", "TERRY", "JOAN"]))
def test_are_nicknames_is_symmetric(a: str, b: str) -> None:
    assert are_nicknames(a, b) == are_nicknames(b, a)


def test_a_name_cut_short_is_a_diminutive() -> None:
    for short, formal in (("Lin", "Linda"), ("Bren", "Brenda"), ("Col", "Colin"), ("Trev", "Trevor")):
        assert are_nicknames(short, formal)
    # Not a man's name inside a woman's, nor one letter short of another name.
    assert not are_nicknames("Paul", "Pauline")
    assert not are_nicknames("Jan", "Jane")
    assert not are_nicknames("Al", "Alice")


def test_col_before_a_surname_is_colin_not_a_colonel() -> None:
    assert split_full_name("Col PALMER") == ("COL", "PALMER")
    assert split_full_name("Dr SMITH") == ("", "SMITH")
    assert split_full_name("Col John SMITH") == ("JOHN", "SMITH")
