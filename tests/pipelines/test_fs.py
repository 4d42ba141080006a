"""Fellegi-Sunter with EM: parameter recovery, u from random pairs, term frequencies, explanations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matchers.comparison import ELSE, Comparison, Level, surname_comparison
from pipelines import fs, link


def _exact(column: str) -> Level:
    return Level("exact", lambda f: f[f"{column}_l"].to_numpy() == f[f"{column}_r"].to_numpy())


def _toy_comparison(name: str, n_levels: int) -> Comparison:
    """A comparison whose level tests are never run (levels are simulated directly)."""
    levels = tuple(Level(f"level{i}", lambda f: np.zeros(len(f), dtype=bool)) for i in range(n_levels - 1))
    return Comparison(field=name, columns=(name,), levels=(*levels, ELSE))


TRUE_M = {"a": [0.8, 0.15, 0.05], "b": [0.7, 0.2, 0.1], "c": [0.9, 0.1]}
TRUE_U = {"a": [0.05, 0.15, 0.8], "b": [0.1, 0.2, 0.7], "c": [0.2, 0.8]}


def _simulate(n_match: int, n_non: int, seed: int = 0) -> pd.DataFrame:
    """Level matrix of a two-class mixture with the known m and u above (5% nulls in field b)."""
    rng = np.random.default_rng(seed)
    cols = {}
    for f in TRUE_M:
        k = len(TRUE_M[f])
        cols[f] = np.r_[rng.choice(k, n_match, p=TRUE_M[f]), rng.choice(k, n_non, p=TRUE_U[f])].astype(np.int8)
    cols["b"][rng.random(n_match + n_non) < 0.05] = -1
    return pd.DataFrame(cols)


COMPARISONS = (_toy_comparison("a", 3), _toy_comparison("b", 3), _toy_comparison("c", 2))


def test_em_recovers_m_u_and_prior_of_a_two_class_mixture() -> None:
    levels = _simulate(4_000, 16_000)
    flat_u = {c.field: np.full(len(c.levels), 1.0 / len(c.levels)) for c in COMPARISONS}
    model = fs.fit(levels, COMPARISONS, flat_u, estimate_u=True, prior_init=0.5)
    assert model.converged and 1 < model.iterations < 200
    assert model.prior == pytest.approx(0.2, abs=0.02)
    for f in model.fields:
        np.testing.assert_allclose(f.m, TRUE_M[f.field], atol=0.03)
        np.testing.assert_allclose(f.u, TRUE_U[f.field], atol=0.03)


def test_em_log_likelihood_never_decreases() -> None:
    model = fs.fit(_simulate(2_000, 8_000, seed=3), COMPARISONS,
                   {c.field: np.full(len(c.levels), 0.5 if len(c.levels) == 2 else 1 / 3) for c in COMPARISONS},
                   estimate_u=True)
    steps = np.diff(model.history)
    assert (steps >= -1e-6 * np.abs(model.history[:-1])).all()
    assert model.log_likelihood == model.history[-1]


STRONG_M = [0.9, 0.06, 0.04]
STRONG_U = [0.01, 0.04, 0.95]


def test_em_with_u_from_random_pairs_estimates_prior_over_all_possible_pairs() -> None:
    # 1,000 matches among 200,000 possible pairs; blocking keeps pairs agreeing exactly on field a or b.
    rng = np.random.default_rng(1)
    n_match, n_non = 1_000, 199_000
    fields = ("a", "b", "c", "d")
    full = pd.DataFrame({f: np.r_[rng.choice(3, n_match, p=STRONG_M), rng.choice(3, n_non, p=STRONG_U)]
                         for f in fields}).astype(np.int8)
    blocked = full[(full["a"] == 0) | (full["b"] == 0)]
    comparisons = tuple(_toy_comparison(f, 3) for f in fields)
    u = {f: np.asarray(STRONG_U) for f in fields}
    model = fs.fit(blocked, comparisons, u, n_total_pairs=len(full))
    assert model.converged
    assert model.prior == pytest.approx(n_match / len(full), rel=0.05)
    for f in model.fields:
        np.testing.assert_allclose(f.m, STRONG_M, atol=0.03)
        np.testing.assert_allclose(f.u, STRONG_U)  # u stays as given


def test_em_stops_at_max_iterations_and_says_it_did_not_converge() -> None:
    flat_u = {c.field: np.full(len(c.levels), 1.0 / len(c.levels)) for c in COMPARISONS}
    model = fs.fit(_simulate(500, 500), COMPARISONS, flat_u, estimate_u=True, max_iter=2)
    assert model.iterations == 2 and not model.converged


def test_u_from_random_pairs_is_the_chance_of_agreeing() -> None:
    left = pd.DataFrame({"v": ["A"] * 900 + ["B"] * 100})
    right = pd.DataFrame({"v": ["A"] * 200 + ["B"] * 800})
    comp = Comparison(field="v", columns=("v",), levels=(_exact("v"), ELSE))
    u = fs.estimate_u([comp], left, right, n_pairs=50_000, seed=2)["v"]
    assert u[0] == pytest.approx(0.9 * 0.2 + 0.1 * 0.8, abs=0.01)
    assert u.sum() == pytest.approx(1.0)


def test_random_pairs_never_pair_a_record_with_itself_when_deduplicating() -> None:
    a, b = fs.random_pairs(5, None, 10_000, np.random.default_rng(0))
    assert (a != b).all() and a.max() == 4 and b.max() == 4


def _surname_model() -> tuple[Comparison, fs.FSModel]:
    comp = surname_comparison()
    k = len(comp.levels)
    m = np.full(k, 0.02)
    m[0] = 1 - 0.02 * (k - 1)
    u = np.full(k, 0.01)
    u[-1] = 1 - 0.01 * (k - 1)
    return comp, fs.FSModel((fs.FieldParameters("surname", comp.level_names(), m, u),), prior=1e-4)


def test_rare_surname_agreement_scores_higher_than_common_one() -> None:
    comp, model = _surname_model()
    people = pd.DataFrame({"surname": ["SMITH"] * 500 + ["VASILIEV"] + ["JONES"] * 499})
    freq = fs.term_frequencies(people["surname"])
    pairs = pd.DataFrame({"surname_l": ["SMITH", "VASILIEV"], "surname_r": ["SMITH", "VASILIEV"]})
    levels = fs.level_matrix([comp], pairs)
    assert (levels["surname"] == 0).all()
    u_exact = float(model.field("surname").u[0])
    tf = {"surname": fs.tf_adjustments(levels["surname"].to_numpy(), pairs["surname_l"].to_numpy(), freq, u_exact)}
    scored = fs.score(model, levels, tf)
    smith, vasiliev = scored["weight"].to_numpy()
    assert vasiliev > smith + 8  # 1/1000 against 1/2 of records: about 9 bits apart
    assert scored["probability"].between(0, 1).all()


def test_term_frequency_adjustment_only_touches_exact_agreements() -> None:
    freq = pd.Series({"SMITH": 0.5})
    adj = fs.tf_adjustments(np.array([0, 1, -1, 0]), np.array(["SMITH", "SMITH", "SMITH", "ZZ"], dtype=object),
                            freq, u_exact=0.01, tf_min_u=1e-4)
    assert adj[1] == 0 and adj[2] == 0
    assert adj[0] == pytest.approx(np.log2(0.01 / 0.5))
    assert adj[3] == pytest.approx(np.log2(0.01 / 1e-4))  # unseen value counts as rarest


def test_waterfall_sums_with_the_prior_to_the_pair_weight() -> None:
    comp, model = _surname_model()
    pairs = pd.DataFrame({"surname_l": ["HALL", "HALL", ""], "surname_r": ["HALL", "HILL", "HALL"]})
    levels = fs.level_matrix([comp], pairs)
    tf = {"surname": np.array([1.5, 0.0, 0.0])}
    scored = fs.score(model, levels, tf)
    for i in range(len(pairs)):
        rows = fs.waterfall(model, levels.iloc[i].to_dict(), {"surname": tf["surname"][i]})
        assert rows[0]["field"] == "prior"
        assert sum(float(r["weight"]) for r in rows) == pytest.approx(scored["weight"].iloc[i])
    null_row = fs.waterfall(model, levels.iloc[2].to_dict())
    assert null_row[1]["level"] == "null" and null_row[1]["weight"] == 0.0


def test_estimated_parameters_plug_into_link_model() -> None:
    comp, model = _surname_model()
    mu = fs.link_model_mu(model)
    assert set(mu["surname"]) == set(comp.level_names())
    link_model = link.LinkModel(comparisons=(comp,), mu=mu)
    np.testing.assert_allclose(link_model.weight_table(comp), model.field("surname").weights())


def test_default_m_starts_from_link_priors_where_they_exist() -> None:
    comp = surname_comparison()
    m = fs.default_m(comp)
    assert m.sum() == pytest.approx(1.0)
    assert m[0] == max(m)
    toy = fs.default_m(_toy_comparison("x", 4))
    assert toy.sum() == pytest.approx(1.0) and toy[0] > toy[1] > toy[2]


def test_pairs_frame_takes_rows_by_position() -> None:
    left = pd.DataFrame({"n": ["a", "b"]}, index=[10, 20])
    right = pd.DataFrame({"n": ["x", "y", "z"]})
    pairs = fs.pairs_frame(left, right, np.array([1, 0]), np.array([2, 2]), ["n"])
    assert pairs.to_dict("list") == {"n_l": ["b", "a"], "n_r": ["z", "z"]}
