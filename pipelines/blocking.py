"""Blocking as a union of rules: which record pairs are worth comparing at all.

A ``Rule`` names columns; two records fall in the same block when they have equal, non-blank
values in every one of them (e.g. phonetic surname + birth year). Candidate pairs are the union
of the rules' pairs, deduplicated. Before a rule is materialised its pair count is computed from
value counts alone (sum of n_i * m_i over blocks, or n_i * (n_i - 1) / 2 when deduplicating), so a
rule on a common value (a state, a sex) is refused and reported instead of exploding on 1M records.

Two modes, as in recordlinkage and Splink: link two frames (pairs are left row x right row) and
dedupe one frame (pairs are i < j). Positions are row positions (0..n-1), not index labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "BlockingReport",
    "CandidatePairs",
    "Rule",
    "candidate_pairs",
    "estimate_rule_pairs",
    "pair_completeness",
    "reduction_ratio",
    "total_pairs",
]

DEFAULT_MAX_PAIRS = 20_000_000


@dataclass(frozen=True)
class Rule:
    """Records sharing (non-blank) values in all of `columns` form a block."""

    columns: tuple[str, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a blocking rule needs at least one column")

    @property
    def label(self) -> str:
        """A readable name: the given one or the columns joined by '+'."""
        return self.name or "+".join(self.columns)


@dataclass(frozen=True)
class RuleReport:
    """What one rule contributed: its estimated pairs, whether it ran, and the new pairs it added."""

    rule: str
    estimated_pairs: int
    refused: bool
    new_pairs: int = 0


@dataclass(frozen=True)
class BlockingReport:
    """Per-rule reports and the guard's budget."""

    rules: tuple[RuleReport, ...]
    max_pairs: int

    @property
    def refused(self) -> tuple[str, ...]:
        """Labels of the rules refused by the pair budget."""
        return tuple(r.rule for r in self.rules if r.refused)


@dataclass(frozen=True)
class CandidatePairs:
    """Candidate pairs as two aligned arrays of row positions (left, right), sorted and unique."""

    left: np.ndarray
    right: np.ndarray
    report: BlockingReport
    n_left: int
    n_right: int | None = None  # None: dedupe of one frame (left < right always)
    rule_of_pair: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int16))

    def __len__(self) -> int:
        return int(self.left.size)

    @property
    def dedupe(self) -> bool:
        """True when the pairs are within one frame."""
        return self.n_right is None

    def total_pairs(self) -> int:
        """Every possible pair in this mode (the denominator of the reduction ratio)."""
        return total_pairs(self.n_left, self.n_right)

    def reduction_ratio(self) -> float:
        """1 - candidates / all possible pairs."""
        return reduction_ratio(len(self), self.n_left, self.n_right)


def total_pairs(n_left: int, n_right: int | None = None) -> int:
    """n_left * n_right pairs when linking, n (n - 1) / 2 when deduplicating one frame."""
    return n_left * n_right if n_right is not None else n_left * (n_left - 1) // 2


def _blank(values: pd.Series) -> np.ndarray:
    """Null or whitespace-only; checked once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    blank = np.fromiter((isinstance(u, str) and not u.strip() for u in uniques), dtype=bool, count=len(uniques))
    return np.append(blank, True)[codes]


def _rule_codes(rule: Rule, frames: Sequence[pd.DataFrame]) -> list[np.ndarray]:
    """One int64 block code per row of each frame (shared across frames); -1 = excluded (a blank key)."""
    sizes = [len(f) for f in frames]
    code = np.zeros(sum(sizes), dtype=np.int64)
    excluded = np.zeros(sum(sizes), dtype=bool)
    for col in rule.columns:
        for f in frames:
            if col not in f:
                raise KeyError(f"blocking column {col!r} is missing from a frame")
        values = pd.concat([f[col] for f in frames], ignore_index=True)
        excluded |= _blank(values)
        codes, uniques = pd.factorize(values.astype(str), use_na_sentinel=True)
        # Re-factorise the running code so it never overflows however many columns a rule has.
        code = pd.factorize(code * (len(uniques) + 1) + (codes + 1))[0].astype(np.int64)
    code[excluded] = -1
    return list(np.split(code, np.cumsum(sizes)[:-1]))


def _counts(codes: np.ndarray, n_blocks: int) -> np.ndarray:
    return np.bincount(codes[codes >= 0], minlength=n_blocks).astype(np.int64)


def estimate_rule_pairs(rule: Rule, left: pd.DataFrame, right: pd.DataFrame | None = None) -> int:
    """Pairs the rule would produce, from value counts only (nothing materialised)."""
    frames = [left] if right is None else [left, right]
    codes = _rule_codes(rule, frames)
    return _estimate_from_codes(codes)


def _estimate_from_codes(codes: list[np.ndarray]) -> int:
    n_blocks = int(max((c.max() for c in codes if c.size), default=-1)) + 1
    if n_blocks == 0:
        return 0
    if len(codes) == 1:
        n = _counts(codes[0], n_blocks)
        return int((n * (n - 1) // 2).sum())
    return int((_counts(codes[0], n_blocks) * _counts(codes[1], n_blocks)).sum())


def _ragged_arange(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, s + l) for each (s, l), without a Python loop."""
    lengths = lengths.astype(np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    offsets = np.repeat(ends - lengths, lengths)
    return np.repeat(starts.astype(np.int64), lengths) + (np.arange(total, dtype=np.int64) - offsets)


def _link_pairs(code_l: np.ndarray, code_r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (left, right) pair with equal non-negative codes."""
    n_blocks = int(max(code_l.max(initial=-1), code_r.max(initial=-1))) + 1
    if n_blocks == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    order_r = np.argsort(code_r, kind="stable")
    count_r = _counts(code_r, n_blocks)
    # Rows with code -1 sort first; block b's right rows start after them and earlier blocks.
    start_r = np.cumsum(count_r) - count_r + int((code_r < 0).sum())
    rows_l = np.flatnonzero(code_l >= 0)
    blocks = code_l[rows_l]
    lengths = count_r[blocks]
    left = np.repeat(rows_l, lengths)
    right = order_r[_ragged_arange(start_r[blocks], lengths)]
    return left.astype(np.int64), right.astype(np.int64)


def _dedupe_pairs(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j), i < j, with equal non-negative codes."""
    rows = np.flatnonzero(code >= 0)
    if rows.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    order = rows[np.argsort(code[rows], kind="stable")]
    sorted_codes = code[order]
    n = order.size
    block_end = np.searchsorted(sorted_codes, sorted_codes, side="right")
    # Each sorted position pairs with the positions after it in its block.
    lengths = block_end - np.arange(n) - 1
    first = np.repeat(np.arange(n), lengths)
    second = _ragged_arange(np.arange(n) + 1, lengths)
    a, b = order[first], order[second]
    return np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based unique is far slower on large int64 pair keys)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if values.size else values


def _sorted_isin(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """values in sorted_set, by binary search."""
    if sorted_set.size == 0:
        return np.zeros(values.size, dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_set, values), sorted_set.size - 1)
    return sorted_set[pos] == values


def candidate_pairs(
    rules: Sequence[Rule],
    left: pd.DataFrame,
    right: pd.DataFrame | None = None,
    *,
    max_pairs: int = DEFAULT_MAX_PAIRS,
) -> CandidatePairs:
    """Union of the pairs of every rule whose estimated pair count is within `max_pairs`.

    `right=None` deduplicates `left`. A rule over budget is refused (reported, not run); the
    budget also caps the running total, so later rules are refused once it would be exceeded.
    `rule_of_pair` gives, per pair, the index of the first rule that found it.
    """
    frames = [left] if right is None else [left, right]
    n_right = None if right is None else len(right)
    width = np.int64(len(right) if right is not None else len(left))
    keys: list[np.ndarray] = []
    rule_ids: list[np.ndarray] = []
    reports: list[RuleReport] = []
    seen = np.empty(0, dtype=np.int64)  # sorted keys found so far
    for i, rule in enumerate(rules):
        codes = _rule_codes(rule, frames)
        estimate = _estimate_from_codes(codes)
        if estimate > max_pairs or seen.size + estimate > max_pairs:
            reports.append(RuleReport(rule.label, estimate, refused=True))
            continue
        a, b = _dedupe_pairs(codes[0]) if right is None else _link_pairs(codes[0], codes[1])
        # One rule yields each pair once; only pairs seen under earlier rules need dropping.
        key = np.sort(a * width + b)
        new = key[~_sorted_isin(key, seen)]
        seen = np.sort(np.concatenate([seen, new]))
        keys.append(new)
        rule_ids.append(np.full(new.size, i, dtype=np.int16))
        reports.append(RuleReport(rule.label, estimate, refused=False, new_pairs=int(new.size)))
    all_keys = np.concatenate(keys) if keys else np.empty(0, dtype=np.int64)
    all_rules = np.concatenate(rule_ids) if rule_ids else np.empty(0, dtype=np.int16)
    order = np.argsort(all_keys)
    all_keys, all_rules = all_keys[order], all_rules[order]
    return CandidatePairs(
        left=all_keys // width,
        right=all_keys % width,
        report=BlockingReport(tuple(reports), max_pairs),
        n_left=len(left),
        n_right=n_right,
        rule_of_pair=all_rules,
    )


def pair_completeness(
    found_left: np.ndarray,
    found_right: np.ndarray,
    true_left: np.ndarray,
    true_right: np.ndarray,
    *,
    dedupe: bool = False,
) -> float:
    """Share of the true pairs among the candidates (blocking recall); order-free when deduplicating."""
    true_left, true_right = np.asarray(true_left, dtype=np.int64), np.asarray(true_right, dtype=np.int64)
    found_left, found_right = np.asarray(found_left, dtype=np.int64), np.asarray(found_right, dtype=np.int64)
    if true_left.size == 0:
        return float("nan")
    if dedupe:
        true_left, true_right = np.minimum(true_left, true_right), np.maximum(true_left, true_right)
        found_left, found_right = np.minimum(found_left, found_right), np.maximum(found_left, found_right)
    width = int(max(true_right.max(initial=0), found_right.max(initial=0))) + 1
    true_keys = _sorted_unique(true_left * width + true_right)
    found_keys = _sorted_unique(found_left * width + found_right)
    return float(_sorted_isin(true_keys, found_keys).sum() / true_keys.size)


def reduction_ratio(n_candidates: int, n_left: int, n_right: int | None = None) -> float:
    """1 - candidates / all possible pairs (n_right=None: dedupe of n_left records)."""
    total = total_pairs(n_left, n_right)
    return 1.0 - n_candidates / total if total else float("nan")
