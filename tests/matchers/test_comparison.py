"""Comparison levels: one test per level, plus symmetry / identity / monotonicity properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchers.comparison import (
    Comparison,
    Level,
    birth_date_comparison,
    compare,
    forenames_comparison,
    place_comparison,
    surname_comparison,
)
from matchers.places import place_columns

FN = forenames_comparison()
SN = surname_comparison()
BD = birth_date_comparison()
PL = place_comparison()


def fn_level(a: str | None, b: str | None) -> str:
    return FN.level_labels(pd.DataFrame({"forenames_l": [a], "forenames_r": [b]})).iloc[0]


def sn_level(a: str, b: str, ha: str = "", hb: str = "") -> str:
    frame = pd.DataFrame({"surname_l": [a], "surname_r": [b], "surname_history_l": [ha],
                          "surname_history_r": [hb]})
    return SN.level_labels(frame).iloc[0]


def bd_level(lo_l: float, hi_l: float, lo_r: float, hi_r: float) -> str:
    frame = pd.DataFrame({"born_lo_l": [lo_l], "born_hi_l": [hi_l], "born_lo_r": [lo_r],
                          "born_hi_r": [hi_r]})
    return BD.level_labels(frame).iloc[0]


def place_pairs(left: list[str | None], right: list[str | None]) -> pd.DataFrame:
    out = {}
    for side, names in (("l", left), ("r", right)):
        cols = place_columns(pd.Series(names, dtype=object))
        for c in cols.columns:
            out[f"{c}_{side}"] = cols[c].to_numpy()
        out[f"postcode_area_{side}"] = [""] * len(names)
    return pd.DataFrame(out)


def test_level_names_end_with_else() -> None:
    assert FN.level_names() == ("exact", "first_name_exact", "nickname", "other_forename", "initials",
                                "first_name_middle_differs", "jaro_winkler>=0.92", "phonetic",
                                "jaro_winkler>=0.80", "else")
    assert SN.level_names() == ("exact", "history", "phonetic", "jaro_winkler>=0.92",
                                "double_barrel_part", "else")
    assert BD.level_names()[-1] == PL.level_names()[-1] == "else"


def test_comparison_without_else_is_rejected() -> None:
    with pytest.raises(ValueError):
        Comparison("x", ("x",), (Level("exact", lambda f: np.ones(len(f), dtype=bool)),))


def test_identical_forenames_are_exact() -> None:
    assert fn_level("JOHN PAUL", "John Paul") == "exact"


def test_dropped_middle_names_are_first_name_exact() -> None:
    assert fn_level("JOHN PAUL", "JOHN") == "first_name_exact"
    assert fn_level("JOHN P", "JOHN PAUL") == "first_name_exact"


def test_reordered_or_middle_name_used_is_other_forename() -> None:
    assert fn_level("MARY ANN", "ANN MARY") == "other_forename"
    assert fn_level("MARY ELIZABETH", "ELIZABETH") == "other_forename"
    # Jean is a variant of the middle name Jane, not of Doreen.
    assert fn_level("DOREEN JANE", "JEAN") == "other_forename"


def test_conflicting_middle_names_are_their_own_weak_level() -> None:
    assert fn_level("SHARON KAREN", "SHARON L") == "first_name_middle_differs"
    assert fn_level("SHARON KAREN", "SHARON KIM") == "first_name_middle_differs"
    assert fn_level("SHARON K", "SHARON KAREN") == "first_name_exact"
    assert fn_level("SARAH JEAN", "SARAH JAN") == "first_name_exact"  # a typo, not another name


def test_chrissie_matches_christine_as_nickname() -> None:
    assert fn_level("CHRISTINE", "CHRISSIE") == "nickname"


def test_peggy_matches_margaret_rose_as_nickname() -> None:
    assert fn_level("MARGARET ROSE", "PEGGY") == "nickname"


def test_a_remembered_name_cut_short_matches_as_nickname() -> None:
    assert fn_level("LINDA", "LIN") == "nickname"
    assert fn_level("BRENDA MARY", "BREN") == "nickname"


def test_initial_matches_full_forenames_as_initials() -> None:
    assert fn_level("J", "JOHN PAUL") == "initials"
    assert fn_level("J P", "JOHN PAUL") == "initials"
    assert fn_level("J K", "JOHN PAUL") != "initials"


def test_transposed_letters_count_as_typo() -> None:
    assert fn_level("DAVID", "DAIVD") == "jaro_winkler>=0.92"


def test_ocr_confusions_count_as_typo() -> None:
    assert fn_level("KEMAL", "KERNAL") == "jaro_winkler>=0.92"
    assert fn_level("KELLY", "KE1LY") == "jaro_winkler>=0.92"
    assert fn_level("OLIVIA", "OHVIA") == "jaro_winkler>=0.92"  # "li" read as "h"


def test_print_can_spread_one_letter_into_two() -> None:
    from matchers.comparison import ocr_canonical, ocr_misreadings

    assert ocr_misreadings("JAMES") == ["JARNES"]
    assert set(ocr_misreadings("HOWE")) == {"LIOWE", "HOVVE"}
    assert ocr_misreadings("EVANS") == []
    assert all(ocr_canonical(x) == ocr_canonical("HOWE") for x in ocr_misreadings("HOWE"))


def test_a_spelling_print_spread_is_undone_one_pair_at_a_time() -> None:
    from matchers.comparison import ocr_collapses, ocr_misreadings

    assert ocr_collapses("SRNITH") == ["SMITH"]
    assert ocr_collapses("BARNES") == ["BAMES"]  # BARNES misread from BAMES, or BAMES from BARNES
    assert set(ocr_collapses("VVILLIAMS")) == {"WILLIAMS", "VVILHAMS"}
    assert ocr_collapses("EVANS") == []
    assert all("HOWE" in ocr_collapses(x) for x in ocr_misreadings("HOWE"))


def test_sound_alike_forenames_are_phonetic() -> None:
    assert fn_level("SEAN", "SHAUN") == "phonetic"


def test_loosely_similar_forenames_are_jaro_winkler_080() -> None:
    assert fn_level("JANET", "JANICE") == "jaro_winkler>=0.80"
    assert fn_level("MARTIN", "MARTHA") == "jaro_winkler>=0.80"


def test_unrelated_forenames_are_else_and_missing_are_null() -> None:
    assert fn_level("JOHN", "SHEILA") == "else"
    assert fn_level("JOHN", "") == "null"
    assert fn_level(None, "JOHN") == "null"


def test_maiden_name_in_history_matches() -> None:
    assert sn_level("SMITH", "JONES", "", "SMITH|JONES") == "history"


def test_surname_levels() -> None:
    assert sn_level("McDonald", "MACDONALD") == "exact"
    assert sn_level("SMITH", "SMYTH") == "phonetic"
    assert sn_level("WILLIAMS", "WILLAIMS") in {"phonetic", "jaro_winkler>=0.92"}
    assert sn_level("SMITH-JONES", "JONES") == "double_barrel_part"
    assert sn_level("SMITH", "PATEL") == "else"
    assert sn_level("", "PATEL") == "null"


def test_birth_date_levels() -> None:
    d = 3718.0  # 1980-03-07
    transposed = d + 118  # 1980-07-03
    assert bd_level(d, d, d, d) == "exact"
    assert bd_level(d, d, transposed, transposed) == "transposed_day_month"
    assert bd_level(d, d, d - 50, d + 40) == "overlap"
    assert bd_level(d, d, d + 300, d + 300) == "within_1y"
    assert bd_level(d, d, d + 900, d + 900) == "within_3y"
    assert bd_level(d, d, d + 2000, d + 2000) == "within_6y"
    assert bd_level(d, d, d + 9000, d + 9000) == "else"
    assert bd_level(d, d, np.nan, np.nan) == "null"


def test_a_date_with_day_and_month_swapped_is_found_in_a_registration_quarter() -> None:
    d = 3718.0  # 1980-03-07; swapped, 1980-07-03 falls in July-September
    july_to_september = (3834.0, 3925.0)
    assert bd_level(d, d, *july_to_september) == "swapped_in_range"
    assert bd_level(*july_to_september, d, d) == "swapped_in_range"
    assert bd_level(d, d, d - 50, d + 40) == "overlap"  # the date itself in range: an overlap, not a swap
    late = 3736.0  # 1980-03-25: no month 25, nothing to swap
    assert bd_level(late, late, *july_to_september) == "within_1y"


def test_place_levels() -> None:
    pairs = place_pairs(["Stratford", "Stratford", "Leyton", "Salford", "Leeds", "Leeds", None],
                        ["STRATFORD", "Newham", "Stratford", "Manchester", "Truro", "Nowhere",
                         "Leeds"])
    got = PL.level_labels(pairs).tolist()
    assert got[:3] == ["same_place", "same_district", "within_10km"]
    assert got[3] in {"within_10km", "same_district"}
    assert got[4] == "same_county"
    assert got[5] == "else"
    assert got[6] == "null"


def test_postcode_area_level() -> None:
    pairs = place_pairs(["Leeds"], ["Truro"])
    pairs["postcode_area_l"] = ["LS"]
    pairs["postcode_area_r"] = ["LS"]
    assert PL.level_labels(pairs).iloc[0] == "same_postcode_area"


def test_compare_returns_one_int8_column_per_present_field() -> None:
    pairs = pd.DataFrame({"forenames_l": ["BILL"], "forenames_r": ["WILLIAM"],
                          "surname_l": ["X"], "surname_r": ["X"]}, index=[42])
    out = compare(pairs)
    assert list(out.columns) == ["forenames", "surname"] and out.index.tolist() == [42]
    assert out.dtypes.eq(np.int8).all()
    assert out.loc[42, "forenames"] == FN.level_index("nickname")


def test_levels_for_dedupes_without_changing_answers() -> None:
    a = ["CHRISTINE", "JOHN", "J", "SEAN", "KEMAL", ""]
    b = ["CHRISSIE", "JOHN PAUL", "JOHN", "SHAUN", "KERNAL", "X"]
    one = FN.levels_for(pd.DataFrame({"forenames_l": a, "forenames_r": b}))
    many = FN.levels_for(pd.DataFrame({"forenames_l": a * 50, "forenames_r": b * 50}))
    assert (many == np.tile(one, 50)).all()


FORENAME_POOL = ["JOHN", "JON", "JOAN", "JACK", "J", "CHRISTINE", "CHRISSIE", "CHRISTINA",
                 "MARY ANN", "ANN MARY", "ANN", "NAN", "SEAN", "SHAUN", "KEMAL", "KERNAL", "BILL",
                 "WILLIAM HENRY", "W H", "TOM", "TIM", "DAVID", "DAIVD", "", "PEGGY", "MARGARET"]
forename_lists = st.lists(st.tuples(st.sampled_from(FORENAME_POOL),
                                    st.sampled_from(FORENAME_POOL)), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(forename_lists)
def test_forenames_comparison_is_symmetric(pairs: list[tuple[str, str]]) -> None:
    left, right = zip(*pairs, strict=True)
    ab = FN.levels_for(pd.DataFrame({"forenames_l": left, "forenames_r": right}))
    ba = FN.levels_for(pd.DataFrame({"forenames_l": right, "forenames_r": left}))
    assert (ab == ba).all()


SURNAME_POOL = ["SMITH", "SMYTH", "SMITH-JONES", "JONES", "MCDONALD", "MACDONALD", "HARRIS",
                "HARRISON", "PATEL", ""]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SURNAME_POOL), st.sampled_from(SURNAME_POOL),
                          st.sampled_from(["", "SMITH|JONES", "PATEL"]),
                          st.sampled_from(["", "HARRIS", "JONES|PATEL"])),
                min_size=1, max_size=20))
def test_surname_comparison_is_symmetric(rows: list[tuple[str, str, str, str]]) -> None:
    a, b, ha, hb = (list(x) for x in zip(*rows, strict=True))
    ab = SN.levels_for(pd.DataFrame({"surname_l": a, "surname_r": b, "surname_history_l": ha,
                                     "surname_history_r": hb}))
    ba = SN.levels_for(pd.DataFrame({"surname_l": b, "surname_r": a, "surname_history_l": hb,
                                     "surname_history_r": ha}))
    assert (ab == ba).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([n for n in FORENAME_POOL if n]), min_size=1, max_size=20))
def test_forename_against_itself_is_exact_and_satisfies_weaker_tests(names: list[str]) -> None:
    frame = pd.DataFrame({"forenames_l": names, "forenames_r": names})
    assert (FN.levels_for(frame) == 0).all()
    # Monotone: an exact pair also passes every weaker name-similarity test.
    for name in ("first_name_exact", "jaro_winkler>=0.92", "jaro_winkler>=0.80"):
        assert FN.levels[FN.level_index(name)].test(frame).all()
    # Nickname compares whole names only; initials-only forenames ("W H") never reach it.
    whole = frame["forenames_l"].str.len().gt(1) & ~frame["forenames_l"].str.contains(r"^\w(?: |$)")
    assert FN.levels[FN.level_index("nickname")].test(frame)[whole.to_numpy()].all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([s for s in SURNAME_POOL if s]), min_size=1, max_size=20))
def test_surname_against_itself_is_exact_and_satisfies_weaker_tests(names: list[str]) -> None:
    frame = pd.DataFrame({"surname_l": names, "surname_r": names, "surname_history_l": "",
                          "surname_history_r": ""})
    assert (SN.levels_for(frame) == 0).all()
    for name in ("history", "phonetic", "jaro_winkler>=0.92", "double_barrel_part"):
        assert SN.levels[SN.level_index(name)].test(frame).all()


intervals = st.tuples(st.integers(-20000, 20000), st.integers(0, 800))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(intervals, intervals), min_size=1, max_size=30))
def test_birth_date_symmetric_and_monotone(rows: list[tuple[tuple[int, int], tuple[int, int]]]
                                           ) -> None:
    lo_l = [a for (a, _), _ in rows]
    hi_l = [a + w for (a, w), _ in rows]
    lo_r = [b for _, (b, _) in rows]
    hi_r = [b + w for _, (b, w) in rows]
    ab = BD.levels_for(pd.DataFrame({"born_lo_l": lo_l, "born_hi_l": hi_l, "born_lo_r": lo_r,
                                     "born_hi_r": hi_r}))
    ba_frame = pd.DataFrame({"born_lo_l": lo_r, "born_hi_l": hi_r, "born_lo_r": lo_l,
                             "born_hi_r": hi_l})
    assert (ab == BD.levels_for(ba_frame)).all()
    # Monotone: overlap implies within 1y implies 3y implies 6y.
    tests = [BD.levels[BD.level_index(n)].test(ba_frame)
             for n in ("overlap", "within_1y", "within_3y", "within_6y")]
    for stronger, weaker in zip(tests, tests[1:], strict=False):
        assert (~stronger | weaker).all()
    ident = pd.DataFrame({"born_lo_l": lo_l, "born_hi_l": hi_l, "born_lo_r": lo_l,
                          "born_hi_r": hi_l})
    top = BD.levels_for(ident)
    exact_rows = np.array(lo_l) == np.array(hi_l)
    assert (top[exact_rows] == 0).all() and (top[~exact_rows] == BD.level_index("overlap")).all()
