"""Probabilistic linkage in three verbs: block -> compare -> score (Fellegi-Sunter).

`block` picks which records to look at for a person we are looking for, `compare` gives each pair
the first comparison level that holds per field (matchers/), and `score` turns levels into match
weights (log2 m/u) and a match probability. The m and u probabilities here are informed priors
for British vital and directory records; they are the parameters EM re-estimates.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from matchers import comparison as cmp

COMPARED_COLUMNS = (
    "forenames", "surname", "surname_history", "born_lo", "born_hi",
    "place", "lat", "lon", "county", "district", "postcode_area",
    # A query's forenames as remembered (a family, a directory), not registered: see `_forename_tf_weights`.
    "forenames_remembered",
)

# (m, u) per level: m = P(level | same person), u = P(level | different people in the block).
DEFAULT_MU: dict[str, dict[str, tuple[float, float]]] = {
    "forenames": {
        "exact": (0.78, 0.004),
        "first_name_exact": (0.09, 0.012),
        "nickname": (0.05, 0.004),
        "other_forename": (0.02, 0.006),
        "first_name_middle_differs": (0.004, 0.01),
        "initials": (0.015, 0.03),
        "typo": (0.03, 0.004),
        "jaro_winkler>=0.92": (0.02, 0.006),
        "phonetic": (0.008, 0.01),
        "jaro_winkler>=0.80": (0.005, 0.04),
        "else": (0.002, 0.89),
    },
    "surname": {
        "exact": (0.86, 0.12),
        "history": (0.08, 0.01),
        "phonetic": (0.02, 0.08),
        "typo": (0.02, 0.03),
        "jaro_winkler>=0.92": (0.03, 0.02),  # a keying slip (EVAS for EVANS): about as common as by chance
        "double_barrel_part": (0.005, 0.005),
        "else": (0.005, 0.56),
    },
    "birth_date": {
        "exact": (0.6, 0.0004),
        "transposed_day_month": (0.01, 0.0002),
        "overlap": (0.33, 0.05),
        # Case records and family memory swap day and month in a few percent of dates written with a
        # day of 12 or less; u by the range's width, as for an overlap.
        "swapped_in_range": (0.015, 0.01),
        "within_1y": (0.04, 0.07),
        "within_3y": (0.012, 0.14),
        "within_6y": (0.005, 0.2),
        "else": (0.003, 0.54),
    },
    "place": {
        "same_place": (0.45, 0.06),
        "same_district": (0.1, 0.03),
        "same_postcode_area": (0.05, 0.03),
        "within_10km": (0.1, 0.05),
        "within_50km": (0.12, 0.15),
        "same_county": (0.05, 0.1),
        "else": (0.13, 0.58),
    },
}
# Ordered fallbacks for a level name we have no prior for: weight by its position in the list.
_FALLBACK_TOP, _FALLBACK_BOTTOM = 4.0, -4.0


@dataclass(frozen=True)
class LinkModel:
    """The comparisons and their m/u parameters."""

    comparisons: tuple[cmp.Comparison, ...]
    mu: Mapping[str, Mapping[str, tuple[float, float]]] = field(default_factory=lambda: DEFAULT_MU)

    def weight_table(self, comparison: cmp.Comparison) -> np.ndarray:
        """log2(m/u) per level index of a comparison (falls back by position if unknown)."""
        names = comparison.level_names()
        table = self.mu.get(comparison.field, {})
        weights = []
        for i, name in enumerate(names):
            if name in table:
                m, u = table[name]
                weights.append(math.log2(m / u))
            else:
                frac = i / max(len(names) - 1, 1)
                weights.append(_FALLBACK_TOP + (_FALLBACK_BOTTOM - _FALLBACK_TOP) * frac)
        return np.asarray(weights, dtype=float)


def default_model() -> LinkModel:
    """Forenames, surname (with history), birth date interval and place."""
    from matchers import comparison as c

    return LinkModel(
        comparisons=(
            c.forenames_comparison(),
            c.surname_comparison(),
            c.birth_date_comparison(),
            c.place_comparison(),
        )
    )


BLOCK_MEMO = 2048  # blocks kept per index (a common surname's block of a million records is ~100 kB)


def deletion_keys(name: str) -> set[str]:
    """The name and every string one deletion away: two names one edit apart share one of these."""
    if len(name) < 3:
        return {name} if name else set()
    return {name} | {name[:i] + name[i + 1 :] for i in range(len(name))}


class BlockingIndex:
    """Rows of a frame grouped by a key column (e.g. a phonetic surname code) and, optionally, by
    the one-deletion neighbourhood of a name column, so a typo (HLL for HALL) still blocks together."""

    def __init__(self, frame: pd.DataFrame, key: str, name: str | None = None) -> None:
        self._memo: dict[tuple, np.ndarray] = {}
        self._groups = self._group(frame[key].fillna("").to_numpy())
        self._fuzzy: dict[str, np.ndarray] = {}
        if name is not None:
            by_name = self._group(frame[name].fillna("").to_numpy())
            fuzzy: dict[str, list[np.ndarray]] = {}
            for value, rows in by_name.items():
                for k in deletion_keys(value):
                    fuzzy.setdefault(k, []).append(rows)
            self._fuzzy = {k: np.concatenate(v) for k, v in fuzzy.items()}

    @staticmethod
    def _group(keys: np.ndarray) -> dict[str, np.ndarray]:
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        uniques, starts = np.unique(sorted_keys, return_index=True)
        ends = np.append(starts[1:], len(sorted_keys))
        return {k: order[s:e] for k, s, e in zip(uniques.tolist(), starts, ends, strict=True) if k}

    def block(self, *keys: str, names: tuple[str, ...] = ()) -> np.ndarray:
        """Rows whose key is any of `keys`, or whose name is within one edit of any of `names` (sorted;
        the same block is asked for by many searches over one index, so recent answers are kept)."""
        memo = (keys, names)
        hit = self._memo.get(memo)
        if hit is not None:
            return hit
        found = [self._groups[k] for k in dict.fromkeys(keys) if k and k in self._groups]
        if self._fuzzy:
            variants = set().union(*(deletion_keys(n) for n in names if n)) if names else set()
            found += [self._fuzzy[v] for v in variants if v in self._fuzzy]
        out = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=int)
        out.flags.writeable = False  # shared between callers
        if len(self._memo) >= BLOCK_MEMO:
            self._memo.clear()
        self._memo[memo] = out
        return out


def pairs_for(query: Mapping[str, object], frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """Pairs of the query (left) with the records at `positions` (right), columns `{c}_l`, `{c}_r`."""
    positions = np.asarray(positions, dtype=int)
    return _pairs([query], np.zeros(len(positions), dtype=int), frame, positions)


def _pairs(queries: Sequence[Mapping[str, object]], q: np.ndarray, frame: pd.DataFrame,
           rows: np.ndarray) -> pd.DataFrame:
    """Pairs of query `q[i]` (left) with record `rows[i]` (right), columns `{c}_l`, `{c}_r` and `row`."""
    right = frame.iloc[rows]
    pairs = pd.DataFrame({f"{c}_r": right[c].to_numpy() for c in COMPARED_COLUMNS if c in right})
    for c in COMPARED_COLUMNS:
        values = np.empty(len(queries), dtype=object)
        values[:] = [query.get(c) for query in queries]
        pairs[f"{c}_l"] = values[q]
    pairs["row"] = rows
    return pairs


def compare(model: LinkModel, pairs: pd.DataFrame) -> pd.DataFrame:
    """The level index per comparison field for each pair (-1 = a side is unknown)."""
    return pd.DataFrame(
        {cmp_.field: cmp_.levels_for(pairs) for cmp_ in model.comparisons}, index=pairs.index
    )


# Births of unrelated people in a block spread over about this many days: the denominator of the
# chance that a random birth falls inside an interval.
BIRTH_SPREAD_DAYS = 40 * 365.25


def interval_overlap_weights(pairs: pd.DataFrame, m: float) -> np.ndarray:
    """Weight of a birth-interval overlap by its width: agreeing on a quarter says more than on a decade.

    u is the chance a random birth lands in the wider of the two intervals (a term-frequency-like
    adjustment for partial dates)."""
    lo_l = pd.to_numeric(pairs["born_lo_l"], errors="coerce").to_numpy(dtype=float)
    hi_l = pd.to_numeric(pairs["born_hi_l"], errors="coerce").to_numpy(dtype=float)
    lo_r = pd.to_numeric(pairs["born_lo_r"], errors="coerce").to_numpy(dtype=float)
    hi_r = pd.to_numeric(pairs["born_hi_r"], errors="coerce").to_numpy(dtype=float)
    width = np.fmax(hi_l - lo_l, hi_r - lo_r) + 1.0
    u = np.clip(width / BIRTH_SPREAD_DAYS, 1e-4, 0.5)
    return np.log2(m / u)


# "first_name_exact" holds pairs whose middle names agree and pairs where one side gives none, and its
# m/u are those of the second kind (remembered names and directory entries seldom carry a middle name).
# Both giving one that agrees (PATRICIA L and PATRICIA LOUISE) is far likelier for the same person than
# for two who share a first name: with about 40% of records giving one, and a middle name or initial
# shared by chance about one time in ten, 0.4 of true pairs against 0.4 * 0.1 / 0.64 of look-alikes.
# (Taking "one side gives none" as evidence against, as the same arithmetic suggests, lost relatives on
# the development worlds: true pairs give none far more often than records at large.)
MIDDLE_AGREES_BITS = math.log2(0.4 / (0.4 * 0.1 / 0.64))
# The chance a family naming someone by their first forename alone leaves out a middle name they have:
# most do (the seed cases of two development worlds give a second forename for 8 of the 118 people
# named). A plain entry is that much likelier theirs than one with a middle name, other things equal.
MIDDLE_UNSAID = 0.85
# Forename term frequencies are shrunk toward this share as if this many records had been seen.
TF_TYPICAL, TF_PRIOR = 0.004, 200.0
_TF_CACHE: dict[int, tuple[weakref.ref, dict[str, dict[str, float]]]] = {}


def forename_frequencies(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Share of a frame's records with each full forenames string ("full") and first forename
    ("first"), shrunk toward TF_TYPICAL; built once per frame."""
    key = id(frame)
    held = _TF_CACHE.get(key)
    if held is not None and held[0]() is frame:
        return held[1]
    n = len(frame)
    out = {}
    for name, column in (("full", "forenames"), ("first", "first")):
        counts = frame[column].fillna("").value_counts() if column in frame else pd.Series(dtype=float)
        out[name] = ((counts + TF_PRIOR * TF_TYPICAL) / (n + TF_PRIOR)).to_dict()
    _TF_CACHE[key] = (weakref.ref(frame), out)
    weakref.finalize(frame, _TF_CACHE.pop, key, None)
    return out


def _gives_middle(forenames: np.ndarray) -> np.ndarray:
    """Which forenames strings give more than one forename."""
    return pd.Series(forenames, dtype=object).str.strip().str.contains(" ", regex=False).to_numpy(dtype=bool)


def _forename_tf_weights(pairs: pd.DataFrame, w: np.ndarray, lv: np.ndarray, names: Sequence[str],
                         mu: Mapping[str, tuple[float, float]], tf: dict[str, dict[str, float]]) -> np.ndarray:
    """Exact forename agreement weighed by how common the name is (Splink's term-frequency adjustment):
    two SARAHs agree by chance far more often than two ZENOBIAs."""
    right = pairs["forenames_r"].fillna("").astype(str).to_numpy()
    left = pairs["forenames_l"].fillna("").astype(str).to_numpy()
    # A first forename alone, as a family remembers it: a record giving a middle name as well is nearly as
    # likely theirs (ANDREW remembered, ANDREW ROBERT registered, against a plain ANDREW born a year
    # later). Both levels weigh the first forename's agreement, m of either and u the share of records
    # with that first forename; a middle name the family did not give, times MIDDLE_UNSAID.
    remembered = np.zeros(len(pairs), dtype=bool)
    if "forenames_remembered_l" in pairs and {"exact", "first_name_exact"} <= set(names):
        remembered = pairs["forenames_remembered_l"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        remembered[remembered] = ~_gives_middle(left[remembered])
    m_first = sum(mu.get(level, DEFAULT_MU["forenames"][level])[0] for level in ("exact", "first_name_exact"))
    for level, table, pick, unsaid in (("exact", tf["full"], lambda x: x, 1.0),
                                       ("first_name_exact", tf["first"], lambda x: x.split(" ")[0], MIDDLE_UNSAID)):
        if level not in names:
            continue
        at = lv == names.index(level)
        if not at.any():
            continue
        w = w.copy()
        registered, recalled = at & ~remembered, at & remembered
        m = mu.get(level, (0.5, 0.01))[0]
        u = np.array([table.get(pick(x), TF_TYPICAL) for x in right[registered]], dtype=float)
        w[registered] = np.log2(m / np.clip(u, 1e-4, 0.5))
        if level == "first_name_exact":
            # Both sides giving a middle name (or initial) that agrees: see MIDDLE_AGREES_BITS.
            both = _gives_middle(left[registered]) & _gives_middle(right[registered])
            w[registered] += np.where(both, MIDDLE_AGREES_BITS, 0.0)
        u = np.array([tf["first"].get(x.split(" ")[0], TF_TYPICAL) for x in right[recalled]], dtype=float)
        w[recalled] = np.log2(m_first * unsaid / np.clip(u, 1e-4, 0.5))
    return w


def score(model: LinkModel, levels: pd.DataFrame, prior: float | np.ndarray,
          pairs: pd.DataFrame | None = None, tf: dict[str, dict[str, float]] | None = None) -> pd.DataFrame:
    """Per-field weights, their sum and the match probability given a prior P(match) (one, or one a pair).

    With the pairs at hand, a birth-interval overlap is weighted by the intervals' width; with forename
    frequencies (`tf`), an exact forename agreement by how common the name is."""
    out = pd.DataFrame(index=levels.index)
    prior = np.broadcast_to(np.asarray(prior, dtype=float), (len(levels),))
    total = np.log2(prior / (1 - prior))
    for comparison in model.comparisons:
        lv = levels[comparison.field].to_numpy()
        table = model.weight_table(comparison)
        w = np.where(lv >= 0, table[np.clip(lv, 0, None)], 0.0)
        names = comparison.level_names()
        if pairs is not None and comparison.field == "birth_date":
            for level in ("overlap", "swapped_in_range"):
                at = lv == names.index(level) if level in names else np.zeros(len(lv), dtype=bool)
                if at.any():
                    m = model.mu.get("birth_date", {}).get(level, DEFAULT_MU["birth_date"][level])[0]
                    w = np.where(at, interval_overlap_weights(pairs, m), w)
        if pairs is not None and tf is not None and comparison.field == "forenames":
            w = _forename_tf_weights(pairs, w, lv, names, model.mu.get("forenames", {}), tf)
        out[f"w_{comparison.field}"] = w
        total = total + w
    out["weight"] = total
    out["probability"] = 1.0 / (1.0 + np.power(2.0, -total))
    return out


def explain(model: LinkModel, row: Mapping[str, object]) -> list[dict[str, object]]:
    """Evidence for one scored pair (a row of `link`): field, level name and weight."""
    evidence = []
    for comparison in model.comparisons:
        lv = int(row[f"lv_{comparison.field}"])
        if lv < 0:
            continue
        evidence.append(
            {
                "field": comparison.field,
                "level": comparison.level_names()[lv],
                "weight": round(float(row[f"w_{comparison.field}"]), 2),
            }
        )
    return evidence


def link_many(
    model: LinkModel,
    queries: Sequence[Mapping[str, object]],
    frame: pd.DataFrame,
    positions: Sequence[np.ndarray],
    priors: Sequence[float | np.ndarray],
) -> pd.DataFrame:
    """block -> compare -> score for many people at once (one compare per call, not per person).

    Each query's prior is one number, or one per position (a record's prior can depend on which
    surname's block it came from). The result has a column `q`: the index of the query each pair
    belongs to; best first within each."""
    sizes = [len(p) for p in positions]
    if not sum(sizes):
        return pd.DataFrame(columns=["q", "row", "weight", "probability"])
    rows = np.concatenate([np.asarray(p, dtype=int) for p in positions])
    q = np.repeat(np.arange(len(queries)), sizes)
    pairs = _pairs(queries, q, frame, rows)
    levels = compare(model, pairs)
    pair_priors = np.concatenate([np.broadcast_to(np.asarray(pr, dtype=float), (n,))
                                  for pr, n in zip(priors, sizes, strict=True)])
    scored = score(model, levels, pair_priors, pairs, forename_frequencies(frame))
    result = pd.concat([pd.DataFrame({"q": q}), pairs[["row"]], levels.add_prefix("lv_"), scored], axis=1)
    return result.sort_values(["q", "weight"], ascending=[True, False], kind="stable").reset_index(drop=True)


def link(
    model: LinkModel,
    query: Mapping[str, object],
    frame: pd.DataFrame,
    positions: Sequence[int] | np.ndarray,
    prior: float | np.ndarray,
) -> pd.DataFrame:
    """block -> compare -> score for one person we are looking for; best first."""
    positions = np.asarray(positions, dtype=int)
    if len(positions) == 0:
        return pd.DataFrame(columns=["row", "weight", "probability"])
    return link_many(model, [query], frame, [positions], [prior]).drop(columns=["q"])
