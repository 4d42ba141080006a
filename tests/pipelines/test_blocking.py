"""Blocking as a union of rules: exact pair sets, the pair-budget guard, completeness and reduction."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines import blocking as bl

SURNAME_YEAR = bl.Rule(("surname", "year"))
DISTRICT = bl.Rule(("district",))


def _brute_force(rules: list[bl.Rule], left: pd.DataFrame, right: pd.DataFrame | None) -> set[tuple[int, int]]:
    other = left if right is None else right
    found = set()
    for i, j in itertools.product(range(len(left)), range(len(other))):
        if right is None and i >= j:
            continue
        for rule in rules:
            a = [left[c].iloc[i] for c in rule.columns]
            b = [other[c].iloc[j] for c in rule.columns]
            if all(x not in ("", None) for x in a) and a == b:
                found.add((i, j))
    return found


def _pairs(cand: bl.CandidatePairs) -> set[tuple[int, int]]:
    return set(zip(cand.left.tolist(), cand.right.tolist(), strict=True))


LEFT = pd.DataFrame({"surname": ["HALL", "HALL", "COX", "", "HALL"],
                     "year": ["1970", "1970", "1980", "1970", "1971"],
                     "district": ["Leeds", "York", "Leeds", "York", ""]})
RIGHT = pd.DataFrame({"surname": ["HALL", "COX", "HALL"], "year": ["1970", "1980", "1971"],
                      "district": ["York", "Hull", "Leeds"]})


def test_linking_pairs_every_left_with_every_right_record_sharing_a_block() -> None:
    cand = bl.candidate_pairs([SURNAME_YEAR, DISTRICT], LEFT, RIGHT)
    assert _pairs(cand) == _brute_force([SURNAME_YEAR, DISTRICT], LEFT, RIGHT)
    assert not cand.dedupe and cand.total_pairs() == 15


def test_deduplicating_yields_each_unordered_pair_once_across_rules() -> None:
    cand = bl.candidate_pairs([SURNAME_YEAR, DISTRICT, SURNAME_YEAR], LEFT)
    assert _pairs(cand) == _brute_force([SURNAME_YEAR, DISTRICT], LEFT, None)
    assert (cand.left < cand.right).all()
    assert len(_pairs(cand)) == len(cand)
    assert [r.new_pairs for r in cand.report.rules][-1] == 0  # the repeated rule adds nothing new


def test_blank_values_never_block_together() -> None:
    frame = pd.DataFrame({"district": ["", "", None, " ", "Leeds"]})
    assert len(bl.candidate_pairs([DISTRICT], frame)) == 0


def test_rule_of_pair_names_the_first_rule_that_found_it() -> None:
    cand = bl.candidate_pairs([SURNAME_YEAR, DISTRICT], LEFT, RIGHT)
    by_pair = {(a, b): r for a, b, r in zip(cand.left.tolist(), cand.right.tolist(), cand.rule_of_pair.tolist(),
                                            strict=True)}
    assert by_pair[(0, 0)] == 0  # HALL 1970 on both sides
    assert by_pair[(1, 0)] == 0  # HALL 1970, and York too: the first rule claims it
    assert by_pair[(2, 2)] == 1  # COX / HALL share only Leeds


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["A", "B", ""]), st.sampled_from(["1", "2"])), min_size=0, max_size=12),
    st.lists(st.tuples(st.sampled_from(["A", "B", ""]), st.sampled_from(["1", "2"])), min_size=0, max_size=12),
)
def test_candidate_pairs_equal_brute_force(left_rows: list[tuple[str, str]], right_rows: list[tuple[str, str]]) -> None:
    left = pd.DataFrame(left_rows, columns=["x", "y"], dtype=object)
    right = pd.DataFrame(right_rows, columns=["x", "y"], dtype=object)
    rules = [bl.Rule(("x",)), bl.Rule(("x", "y")), bl.Rule(("y",))]
    for r in (None, right):
        assert _pairs(bl.candidate_pairs(rules[:2], left, r)) == _brute_force(rules[:2], left, r)
        assert _pairs(bl.candidate_pairs(rules[2:], left, r)) == _brute_force(rules[2:], left, r)


def test_quadratic_rule_is_refused_from_value_counts_on_a_million_records(monkeypatch) -> None:  # noqa: ANN001
    n = 1_000_000
    rng = np.random.default_rng(0)
    people = pd.DataFrame({
        "state": np.where(rng.random(n) < 0.5, "nsw", "vic"),  # two huge blocks
        "dob": pd.Series(rng.integers(0, 40_000, n)).astype(str),
    })
    # Pairs are made only for the rules run: the refused one is judged from its value counts alone.
    made: list[int] = []
    make = bl._dedupe_pairs

    def counted(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = make(code)
        made.append(len(a))
        return a, b

    monkeypatch.setattr(bl, "_dedupe_pairs", counted)
    cand = bl.candidate_pairs([bl.Rule(("state",)), bl.Rule(("dob",))], people, max_pairs=50_000_000)
    state, dob = cand.report.rules
    assert made == [dob.new_pairs]
    assert state.refused and state.estimated_pairs > 2 * 10**11
    assert not dob.refused and dob.new_pairs == len(cand)
    assert cand.report.refused == ("state",)


def test_estimated_pairs_are_sum_of_block_products() -> None:
    assert bl.estimate_rule_pairs(DISTRICT, LEFT, RIGHT) == 1 * 2 + 2 * 1 + 0  # Leeds 2x1, York 2x1
    assert bl.estimate_rule_pairs(DISTRICT, LEFT) == 1 + 1  # Leeds pair, York pair


def test_rules_that_would_exceed_the_running_budget_are_refused() -> None:
    cand = bl.candidate_pairs([SURNAME_YEAR, DISTRICT], LEFT, RIGHT, max_pairs=4)
    assert [r.refused for r in cand.report.rules] == [False, True]


def test_pair_completeness_counts_true_pairs_found() -> None:
    found_l, found_r = np.array([0, 1, 2]), np.array([5, 6, 7])
    assert bl.pair_completeness(found_l, found_r, np.array([0, 1, 3, 4]), np.array([5, 6, 8, 9])) == 0.5
    # Deduplicating: (6, 1) is the same pair as (1, 6).
    assert bl.pair_completeness(found_l, found_r, np.array([6]), np.array([1]), dedupe=True) == 1.0


def test_reduction_ratio_is_share_of_all_pairs_not_compared() -> None:
    assert bl.reduction_ratio(10, 10, 10) == 0.9
    assert bl.reduction_ratio(9, 10) == 0.8  # 45 pairs in a dedupe of 10
    cand = bl.candidate_pairs([SURNAME_YEAR], LEFT, RIGHT)
    assert cand.reduction_ratio() == 1 - len(cand) / 15
