"""Unsupervised Fellegi-Sunter: u from random pairs, m and lambda by EM, term-frequency adjustment.

The model, as in Splink: each comparison field has levels (matchers.comparison); a pair's match
weight is log2(lambda / (1 - lambda)) plus, per field, log2(m / u) of the level it falls in
(null levels add nothing). Parameters are estimated without labels:

- u (level frequencies among non-matches) by comparing random record pairs (`estimate_u`): almost
  all random pairs are non-matches, so their level frequencies are u.
- m and lambda by EM over the candidate pairs (`fit`). Lambda is the probability that two random
  records match, so the EM treats every pair blocking did not propose as a known non-match: the
  M-step is lambda = sum(posterior) / all possible pairs, m = posterior-weighted level frequencies.
  Alternatively (`estimate_u=True`) u is also re-estimated and lambda is the share of matches among
  the candidates: the classic two-class mixture (what recordlinkage's ECM does with binary levels).
- term frequencies (`tf_adjustments`): agreeing on a rare value is stronger evidence than agreeing
  on a common one. For pairs at the exact level of a column, u is replaced by the value's share of
  records (Splink's adjustment: weight += log2(u_exact / max(freq, tf_min_u))).

`score` returns per-field partial weights (the waterfall: they sum with the prior to the total),
the total weight and the calibrated match probability; `waterfall` explains one pair and
`link_model_mu` gives the {field: {level: (m, u)}} mapping that pipelines.link.LinkModel reads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from matchers.comparison import Comparison
from pipelines import link

__all__ = [
    "FieldParameters",
    "FSModel",
    "default_m",
    "estimate_u",
    "fit",
    "level_matrix",
    "link_model_mu",
    "pairs_frame",
    "random_pairs",
    "score",
    "term_frequencies",
    "tf_adjustments",
    "waterfall",
    "with_prior",
]

_EPS = 1e-9  # floor for probabilities so log weights stay finite


@dataclass(frozen=True)
class FieldParameters:
    """m and u per level of one comparison field (the last level is "else")."""

    field: str
    level_names: tuple[str, ...]
    m: np.ndarray
    u: np.ndarray

    def weights(self) -> np.ndarray:
        """log2(m / u) per level."""
        return np.log2(np.maximum(self.m, _EPS) / np.maximum(self.u, _EPS))


@dataclass(frozen=True)
class FSModel:
    """Fellegi-Sunter parameters plus how the EM went."""

    fields: tuple[FieldParameters, ...]
    prior: float  # lambda: P(match) for a random pair of the space the model was fitted on
    iterations: int = 0
    converged: bool = False
    log_likelihood: float = float("nan")
    history: tuple[float, ...] = ()

    def field(self, name: str) -> FieldParameters:
        """Parameters of one field by name."""
        for f in self.fields:
            if f.field == name:
                return f
        raise KeyError(name)

    @property
    def prior_weight(self) -> float:
        """log2(lambda / (1 - lambda)): the waterfall's starting point."""
        return math.log2(self.prior / (1.0 - self.prior))


# ---------------------------------------------------------------- pairs and levels


def pairs_frame(
    left: pd.DataFrame,
    right: pd.DataFrame | None,
    left_pos: np.ndarray,
    right_pos: np.ndarray,
    columns: Sequence[str],
) -> pd.DataFrame:
    """The `{c}_l` / `{c}_r` frame matchers.comparison compares, for pairs given by row positions."""
    right = left if right is None else right
    data: dict[str, np.ndarray] = {}
    for c in columns:
        data[f"{c}_l"] = left[c].to_numpy()[left_pos]
        data[f"{c}_r"] = right[c].to_numpy()[right_pos]
    return pd.DataFrame(data, copy=False)


def level_matrix(comparisons: Sequence[Comparison], pairs: pd.DataFrame) -> pd.DataFrame:
    """One int8 column of level indices per comparison (-1 = null), indexed like `pairs`."""
    return pd.DataFrame({c.field: c.levels_for(pairs) for c in comparisons}, index=pairs.index)


def _columns_of(comparisons: Sequence[Comparison]) -> list[str]:
    return list(dict.fromkeys(c for comp in comparisons for c in comp.columns))


def random_pairs(
    n_left: int, n_right: int | None, n_pairs: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random record pairs (with replacement); dedupe mode (n_right=None) never pairs a row with itself."""
    if n_right is None:
        a = rng.integers(0, n_left, n_pairs)
        # Shift by 1..n-1 so the second record always differs from the first.
        b = (a + rng.integers(1, max(n_left, 2), n_pairs)) % n_left
        return a, b
    return rng.integers(0, n_left, n_pairs), rng.integers(0, n_right, n_pairs)


def estimate_u(
    comparisons: Sequence[Comparison],
    left: pd.DataFrame,
    right: pd.DataFrame | None = None,
    *,
    n_pairs: int = 200_000,
    seed: int = 0,
    smoothing: float = 0.5,
) -> dict[str, np.ndarray]:
    """u per level from random record pairs: the level frequencies of (nearly all) non-matches.

    Counts get `smoothing` pseudo-counts per level so a level never seen at random (an exact match
    on a unique identifier) has a small, not zero, u.
    """
    rng = np.random.default_rng(seed)
    n_right = None if right is None else len(right)
    if len(left) < 2 and right is None:
        raise ValueError("need at least two records to sample random pairs")
    a, b = random_pairs(len(left), n_right, n_pairs, rng)
    pairs = pairs_frame(left, right, a, b, _columns_of(comparisons))
    levels = level_matrix(comparisons, pairs)
    out: dict[str, np.ndarray] = {}
    for comp in comparisons:
        lv = levels[comp.field].to_numpy()
        counts = np.bincount(lv[lv >= 0], minlength=len(comp.levels)).astype(float) + smoothing
        out[comp.field] = counts / counts.sum()
    return out


# ---------------------------------------------------------------- term frequencies


def term_frequencies(*columns: pd.Series) -> pd.Series:
    """Share of records holding each (non-blank) value, over all the given columns together."""
    values = pd.concat([c.astype(object) for c in columns], ignore_index=True)
    values = values[values.notna() & (values.astype(str).str.strip() != "")]
    return values.value_counts(normalize=True)


def tf_adjustments(
    levels: np.ndarray,
    values: np.ndarray | pd.Series,
    frequencies: pd.Series,
    u_exact: float,
    *,
    exact_level: int = 0,
    tf_min_u: float = 1e-6,
) -> np.ndarray:
    """Per-pair weight added at the exact level: log2(u_exact / freq(value)); 0 elsewhere.

    `values` is the agreed value per pair (e.g. the left side's); a value missing from
    `frequencies` counts as the rarest possible (tf_min_u).
    """
    levels = np.asarray(levels)
    out = np.zeros(levels.shape[0], dtype=float)
    hit = levels == exact_level
    if hit.any():
        freq = pd.Series(np.asarray(values, dtype=object)[hit]).map(frequencies).to_numpy(dtype=float)
        freq = np.where(np.isnan(freq), tf_min_u, np.maximum(freq, tf_min_u))
        out[hit] = np.log2(u_exact / freq)
    return out


# ---------------------------------------------------------------- EM


def default_m(comparison: Comparison) -> np.ndarray:
    """Starting m per level: link.DEFAULT_MU where it knows the level, else halving from the top, 'else' 5%."""
    names = comparison.level_names()
    known = link.DEFAULT_MU.get(comparison.field, {})
    if all(n in known for n in names):
        m = np.array([known[n][0] for n in names], dtype=float)
    else:
        m = 0.5 ** np.arange(len(names), dtype=float)
        m[-1] = 0.0
        m = 0.95 * m / m.sum()
        m[-1] = 0.05
    return m / m.sum()


def _log_tables(params: Sequence[np.ndarray]) -> list[np.ndarray]:
    """log2 tables with an extra trailing 0 so level -1 (null) indexes a zero contribution."""
    return [np.append(np.log2(np.maximum(p, _EPS)), 0.0) for p in params]


def _sum_logs(levels: np.ndarray, tables: Sequence[np.ndarray]) -> np.ndarray:
    total = np.zeros(levels.shape[0], dtype=float)
    for j, table in enumerate(tables):
        total += table[levels[:, j]]
    return total


def _level_counts(levels: np.ndarray, weights: np.ndarray, sizes: Sequence[int]) -> list[np.ndarray]:
    out = []
    for j, k in enumerate(sizes):
        lv = levels[:, j]
        ok = lv >= 0
        out.append(np.bincount(lv[ok], weights=weights[ok], minlength=k).astype(float))
    return out


def fit(
    levels: pd.DataFrame,
    comparisons: Sequence[Comparison],
    u: Mapping[str, np.ndarray],
    *,
    n_total_pairs: int | None = None,
    tf: Mapping[str, np.ndarray] | None = None,
    m_init: Mapping[str, np.ndarray] | None = None,
    prior_init: float | None = None,
    estimate_u: bool = False,
    tol: float = 1e-5,
    max_iter: int = 200,
    smoothing: float = 1e-3,
) -> FSModel:
    """Estimate m (and lambda, and with `estimate_u` also u) by EM over the candidate pairs' levels.

    `n_total_pairs` is every possible pair (blocking kept only some): pairs not proposed are known
    non-matches, so lambda comes out as P(two random records match); this holds when blocking only
    drops pairs the model would score as non-matches anyway (rules on strong evidence). Without it (or with
    `estimate_u`), lambda is P(match) among the candidates. `tf` holds per-pair term-frequency
    adjustments (log2) per field, fixed during EM. Stops when no m, u or lambda moves by more than
    `tol`, or after `max_iter` iterations.
    """
    fields = [c.field for c in comparisons]
    sizes = [len(c.levels) for c in comparisons]
    lv = np.ascontiguousarray(levels[fields].to_numpy(dtype=np.int64))
    n = lv.shape[0]
    if n == 0:
        raise ValueError("no candidate pairs to fit")
    total = n if (n_total_pairs is None or estimate_u) else max(int(n_total_pairs), n)
    m = [np.asarray((m_init or {}).get(c.field, default_m(c)), dtype=float) for c in comparisons]
    uu = [np.asarray(u[c.field], dtype=float) for c in comparisons]
    for c, a, b in zip(comparisons, m, uu, strict=True):
        if a.size != len(c.levels) or b.size != len(c.levels):
            raise ValueError(f"{c.field}: m/u need one entry per level ({len(c.levels)})")
    offset = np.zeros(n)
    for arr in (tf or {}).values():
        offset += np.asarray(arr, dtype=float)
    lam = prior_init if prior_init is not None else min(0.5, 0.1 * n / total)
    # Pairs never proposed are non-matches: they add (total - n) * log(1 - lambda) to the likelihood.
    outside = total - n
    history: list[float] = []
    converged = False
    iterations = 0
    for _ in range(max_iter):
        iterations += 1
        # E-step, in log2 odds to stay finite for very strong or very weak pairs.
        log_m, log_u = _sum_logs(lv, _log_tables(m)), _sum_logs(lv, _log_tables(uu)) - offset
        a = math.log2(lam) + log_m
        b = math.log2(1.0 - lam) + log_u
        top = np.maximum(a, b)
        log_mix = top + np.log2(np.exp2(a - top) + np.exp2(b - top))
        post = np.exp2(a - log_mix)
        ll = float(np.sum(log_mix) * math.log(2.0)) + outside * math.log(1.0 - lam)
        history.append(ll)
        # M-step.
        new_lam = float(np.clip(post.sum() / total, 1e-12, 1 - 1e-9))
        new_m = [(cnt + smoothing) / (cnt + smoothing).sum() for cnt in _level_counts(lv, post, sizes)]
        # Lambda can be ~1e-5 over all pairs: its change counts relative to its size.
        change = max(abs(new_lam - lam) / lam, *(np.abs(x - y).max() for x, y in zip(new_m, m, strict=True)))
        m, lam = new_m, new_lam
        if estimate_u:
            new_u = [(cnt + smoothing) / (cnt + smoothing).sum() for cnt in _level_counts(lv, 1.0 - post, sizes)]
            change = max(change, *(np.abs(x - y).max() for x, y in zip(new_u, uu, strict=True)))
            uu = new_u
        if change < tol:
            converged = True
            break
    params = tuple(
        FieldParameters(c.field, c.level_names(), mm, u_) for c, mm, u_ in zip(comparisons, m, uu, strict=True)
    )
    return FSModel(params, prior=lam, iterations=iterations, converged=converged,
                   log_likelihood=history[-1], history=tuple(history))


# ---------------------------------------------------------------- scoring and explanations


def score(model: FSModel, levels: pd.DataFrame, tf: Mapping[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Per-field partial weights `w_{field}`, the total `weight` (log2 odds, prior included) and `probability`."""
    out: dict[str, np.ndarray] = {}
    total = np.full(len(levels), model.prior_weight)
    for f in model.fields:
        lv = levels[f.field].to_numpy(dtype=np.int64)
        table = np.append(f.weights(), 0.0)  # index -1 (null) -> 0
        w = table[lv]
        if tf and f.field in tf:
            w = w + np.asarray(tf[f.field], dtype=float)
        out[f"w_{f.field}"] = w
        total = total + w
    out["weight"] = total
    out["probability"] = 1.0 / (1.0 + np.exp2(-np.clip(total, -1000, 1000)))
    return pd.DataFrame(out, index=levels.index)


def waterfall(
    model: FSModel, levels: Mapping[str, int], tf: Mapping[str, float] | None = None
) -> list[dict[str, object]]:
    """One pair's evidence: the prior, then field / level / weight (with any tf part); sums to its weight."""
    rows: list[dict[str, object]] = [{"field": "prior", "level": "lambda", "weight": model.prior_weight}]
    for f in model.fields:
        lv = int(levels[f.field])
        if lv < 0:
            rows.append({"field": f.field, "level": "null", "weight": 0.0})
            continue
        adj = float((tf or {}).get(f.field, 0.0))
        row: dict[str, object] = {"field": f.field, "level": f.level_names[lv], "weight": float(f.weights()[lv]) + adj}
        if adj:
            row["tf_adjustment"] = adj
        rows.append(row)
    return rows


def link_model_mu(model: FSModel) -> dict[str, dict[str, tuple[float, float]]]:
    """{field: {level_name: (m, u)}} in the shape of pipelines.link.DEFAULT_MU (for LinkModel(mu=...))."""
    return {
        f.field: {name: (float(m), float(u)) for name, m, u in zip(f.level_names, f.m, f.u, strict=True)}
        for f in model.fields
    }


def with_prior(model: FSModel, prior: float) -> FSModel:
    """The same m/u with another lambda (e.g. for a differently sized search space)."""
    return replace(model, prior=prior)
