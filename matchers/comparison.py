"""Splink-style comparisons: each field is a list of named levels, most exact first.

A ``Comparison`` turns a pairs frame (columns ``f"{c}_l"`` and ``f"{c}_r"``) into
one small integer per pair: the index of the first level whose test holds, or -1
when the field is missing on either side (the "null" level, which carries no
weight).  The model learns a weight per level; a reviewer reads the level names as
a sentence ("forenames: nickname; surname: history; born: overlap").

Speed: ``levels_for`` compares each distinct (left, right) value combination once
and only tests rows that no earlier level has claimed, so repeated names cost
almost nothing and each test sees a shrinking frame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from matchers.dates import day_month_swapped, intervals_gap, intervals_overlap, is_day_month_transposed
from matchers.names import (
    _variants_cached,
    normalise_forenames,
    normalise_surname,
    phonetic,
    truncation_pairs,
)
from matchers.places import distance_km, normalise_place

__all__ = [
    "Comparison",
    "Level",
    "birth_date_comparison",
    "compare",
    "forenames_comparison",
    "ocr_canonical",
    "ocr_collapses",
    "place_comparison",
    "standard_comparisons",
    "surname_comparison",
]

PairTest = Callable[[pd.DataFrame], np.ndarray]


@dataclass(frozen=True)
class Level:
    """One comparison level: a readable name and a vectorised test over a pairs frame."""

    name: str
    test: PairTest
    description: str = ""


def _is_blank(values: pd.Series) -> np.ndarray:
    """Null, NaN or empty/whitespace string (checked once per distinct value)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    blank = np.fromiter((isinstance(u, str) and not u.strip() for u in uniques),
                        dtype=bool, count=len(uniques))
    return np.append(blank, True)[codes]


@dataclass(frozen=True)
class Comparison:
    """A field compared by ordered levels; the last level is always "else"."""

    field: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]
    # Columns whose absence on either side makes the pair "null" (default: the first column).
    null_columns: tuple[str, ...] = field(default=())
    # Optional: adds derived columns once per deduplicated frame so level tests can share work.
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None

    def __post_init__(self) -> None:
        if not self.levels or self.levels[-1].name != "else":
            raise ValueError("the last level of a comparison must be named 'else'")
        if len(self.levels) > 127:
            raise ValueError("too many levels for int8")

    def level_names(self) -> tuple[str, ...]:
        """Level names, most exact first, ending with "else"."""
        return tuple(lv.name for lv in self.levels)

    def level_index(self, name: str) -> int:
        """Index of the level with this name."""
        return self.level_names().index(name)

    def input_columns(self, pairs: pd.DataFrame) -> list[str]:
        """The f"{c}_l"/f"{c}_r" columns of this comparison present in the frame."""
        return [f"{c}_{s}" for c in self.columns for s in ("l", "r") if f"{c}_{s}" in pairs]

    def null_mask(self, pairs: pd.DataFrame) -> np.ndarray:
        """True where the comparison has no evidence (key column missing on either side)."""
        mask = np.zeros(len(pairs), dtype=bool)
        for c in self.null_columns or self.columns[:1]:
            for side in ("l", "r"):
                col = f"{c}_{side}"
                if col not in pairs:
                    return np.ones(len(pairs), dtype=bool)
                mask |= _is_blank(pairs[col])
        return mask

    def levels_for(self, pairs: pd.DataFrame) -> np.ndarray:
        """int8 level index per pair: the first level whose test holds; -1 for null pairs."""
        n = len(pairs)
        out = np.full(n, -1, dtype=np.int8)
        if n == 0:
            return out
        cols = self.input_columns(pairs)
        # Compare each distinct combination of input values once.
        key = np.zeros(n, dtype=np.int64)
        for c in cols:
            codes, uniques = pd.factorize(pairs[c], use_na_sentinel=True)
            key = pd.factorize(key * (len(uniques) + 1) + (codes + 1))[0].astype(np.int64)
        n_unique = int(key.max()) + 1
        first = np.empty(n_unique, dtype=np.int64)
        first[key[::-1]] = np.arange(n - 1, -1, -1)
        unique_frame = pairs.iloc[first][cols].reset_index(drop=True)
        out[:] = self._levels_unique(unique_frame)[key]
        return out

    def _levels_unique(self, frame: pd.DataFrame) -> np.ndarray:
        """Level index per row of an already-deduplicated frame."""
        result = np.full(len(frame), -1, dtype=np.int8)
        todo = np.flatnonzero(~self.null_mask(frame))
        if self.prepare is not None and todo.size:
            frame = self.prepare(frame)
        last = len(self.levels) - 1
        for i, level in enumerate(self.levels):
            if todo.size == 0:
                break
            if i == last:
                result[todo] = i
                break
            if todo.size * 2 > len(frame):
                # Mostly unclaimed: testing every row is cheaper than copying a sub-frame.
                hit = np.asarray(level.test(frame), dtype=bool)[todo]
            else:
                hit = np.asarray(level.test(frame.take(todo)), dtype=bool)
            result[todo[hit]] = i
            todo = todo[~hit]
        return result

    def level_labels(self, pairs: pd.DataFrame) -> pd.Series:
        """Level names per pair ("null" for -1), for evidence and debugging."""
        names = np.array([*self.level_names(), "null"], dtype=object)
        return pd.Series(names[self.levels_for(pairs)], index=pairs.index, name=self.field)


# ---------------------------------------------------------------- shared helpers


def _side(frame: pd.DataFrame, column: str, side: str) -> pd.Series:
    name = f"{column}_{side}"
    if name in frame:
        return frame[name]
    return pd.Series([""] * len(frame), index=frame.index, dtype=object)


def _mapped(values: pd.Series, fn: Callable[[str], object]) -> np.ndarray:
    """fn applied once per distinct value; nulls become fn('')."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    for i, u in enumerate(uniques):
        table[i] = fn(u if isinstance(u, str) else str(u))
    table[-1] = fn("")
    return table[codes]


def _norm_forenames(frame: pd.DataFrame, side: str) -> np.ndarray:
    return _mapped(_side(frame, "forenames", side), normalise_forenames)


def _norm_surname(frame: pd.DataFrame, side: str) -> np.ndarray:
    return _mapped(_side(frame, "surname", side), normalise_surname)


# Character confusions from OCR of typed/printed indexes and from hand-copied registers.
_OCR_PAIRS: tuple[tuple[str, str], ...] = (
    ("LI", "H"), ("RN", "M"), ("VV", "W"), ("1", "L"), ("I", "L"), ("0", "O"), ("5", "S"), ("8", "B"),
    ("|", "L"),
)


def ocr_canonical(s: str) -> str:
    """Collapse OCR look-alikes (li->h, rn->m, 1/I->l, 0->O...) so 'KERNAL' and 'KEMAL', 'OLIVIA' and
    'OHVIA' compare equal."""
    for a, b in _OCR_PAIRS:
        s = s.replace(a, b)
    return s


def ocr_misreadings(s: str) -> list[str]:
    """The spellings print's look-alikes could make of `s` by spreading one letter into two (JAMES read
    as JARNES, SMITH as SMITLI, HOWE as HOVVE): more than one edit away, so no edit-distance block finds
    them. One letter at a time; the one-letter confusions (I for L) are one edit already."""
    spread = [(b, a) for a, b in _OCR_PAIRS if len(a) == 2 and len(b) == 1]
    return [s[:i] + a + s[i + 1:] for b, a in spread for i, c in enumerate(s) if c == b]


def ocr_collapses(s: str) -> list[str]:
    """The spellings `s` could have been misread from by print's look-alikes spreading one letter into
    two (SRNITH from SMITH, BARNES from BAMES): `ocr_misreadings` the other way, one pair at a time."""
    spread = [(a, b) for a, b in _OCR_PAIRS if len(a) == 2 and len(b) == 1]
    return [s[:i] + b + s[i + 2:] for a, b in spread for i in range(len(s) - 1) if s[i:i + 2] == a]


def _typo_or_jw(
    a: np.ndarray, b: np.ndarray, threshold: float,
    lengths: tuple[np.ndarray, np.ndarray] | None = None,
    ocr: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """JW >= threshold, or one edit (len>=4) / one transposition, or equal after OCR collapse.

    `lengths` and `ocr` (OCR-canonical strings and their lengths) may be passed
    precomputed; otherwise they are derived here.
    """
    a_list, b_list = list(a), list(b)
    if lengths is None:
        lengths = (np.fromiter(map(len, a_list), dtype=np.int64, count=len(a_list)),
                   np.fromiter(map(len, b_list), dtype=np.int64, count=len(b_list)))
    min_len = np.minimum(lengths[0], lengths[1])
    jw = process.cpdist(a_list, b_list, scorer=JaroWinkler.normalized_similarity, workers=-1)
    hit = jw >= threshold
    rest = np.flatnonzero(~hit)
    if rest.size:
        dl = process.cpdist([a_list[i] for i in rest], [b_list[i] for i in rest],
                            scorer=DamerauLevenshtein.distance, workers=-1)
        hit[rest] = (dl <= 1) & (min_len[rest] >= 4)
    rest = np.flatnonzero(~hit)
    if rest.size:
        if ocr is None:
            oa_all = np.array([ocr_canonical(x) for x in a_list], dtype=object)
            ob_all = np.array([ocr_canonical(x) for x in b_list], dtype=object)
            ocr = (oa_all, ob_all, np.fromiter(map(len, oa_all), dtype=np.int64),
                   np.fromiter(map(len, ob_all), dtype=np.int64))
        oa, ob, la, lb = ocr
        ocr_dl = process.cpdist(list(oa[rest]), list(ob[rest]),
                                scorer=DamerauLevenshtein.distance, workers=-1)
        ocr_len = np.minimum(la[rest], lb[rest])
        hit[rest] = (ocr_dl == 0) | ((ocr_dl <= 1) & (ocr_len >= 4))
    return hit & (min_len > 0)


def _jw_at_least(a: np.ndarray, b: np.ndarray, threshold: float) -> np.ndarray:
    jw = process.cpdist(list(a), list(b), scorer=JaroWinkler.normalized_similarity, workers=-1)
    return jw >= threshold


def _phonetic_equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """NYSIIS or Metaphone codes equal (both non-empty)."""
    out = np.zeros(len(a), dtype=bool)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x and y:
            out[i] = (phonetic(x, "nysiis") == phonetic(y, "nysiis")
                      or phonetic(x, "metaphone") == phonetic(y, "metaphone"))
    return out


# ---------------------------------------------------------------- forenames


_MAX_TOKENS = 4  # forenames beyond the fourth add nothing to matching


def _forename_features(f: pd.DataFrame) -> pd.DataFrame:
    """Vectorised forename features, computed per distinct name and token, then broadcast.

    Adds bool columns for the token-level levels (exact, first-name, nickname,
    initials, phonetic) and first-forename strings/lengths for the edit-distance
    levels.  Returns the frame unchanged if already prepared.
    """
    if "_fn_exact" in f:
        return f
    n = len(f)
    both = pd.concat([_side(f, "forenames", "l"), _side(f, "forenames", "r")], ignore_index=True)
    codes, uniques = pd.factorize(both, use_na_sentinel=True)
    norm = [normalise_forenames(u if isinstance(u, str) else str(u)) for u in uniques] + [""]
    norm_codes_u, norm_uniques = pd.factorize(pd.Series(norm, dtype=object))
    norm_codes = norm_codes_u[codes]
    nl, nr = norm_codes[:n], norm_codes[n:]
    vocab: dict[str, int] = {}
    tokens_u = np.full((len(norm_uniques) + 1, _MAX_TOKENS), -1, dtype=np.int64)
    for i, text in enumerate(norm_uniques):
        for k, tok in enumerate(text.split()[:_MAX_TOKENS]):
            tokens_u[i, k] = vocab.setdefault(tok, len(vocab))
    words = list(vocab)
    # Per-word attribute tables; the extra last entry is what token -1 (absent) indexes.
    wlen = np.array([len(w) for w in words] + [0], dtype=np.int64)
    letter = np.array([ord(w[0]) for w in words] + [-1], dtype=np.int64)
    words_ext = np.array([*words, ""], dtype=object)
    ocr = [ocr_canonical(w) for w in words]
    ocr_ext = np.array([*ocr, ""], dtype=object)
    ocr_len = np.array([len(w) for w in ocr] + [0], dtype=np.int64)
    codes_by_alg: dict[str, np.ndarray] = {}
    for alg in ("nysiis", "metaphone"):
        ids: dict[str, int] = {}
        codes_by_alg[alg] = np.array(
            [ids.setdefault(c, len(ids)) if (c := phonetic(w, alg)) else -2 - j
             for j, w in enumerate(words)] + [-1], dtype=np.int64)
    size = len(words) + 1
    keys: list[int] = []
    for i, w in enumerate(words):
        if len(w) < 2:
            continue
        for v in _variants_cached(w):
            j = vocab.get(v)
            if j is not None and j != i:
                keys.extend((i * size + j, j * size + i))
    keys.extend(i * size + j for i, j in truncation_pairs(words))
    nick_keys = np.unique(np.array(keys, dtype=np.int64))

    tl, tr = tokens_u[nl], tokens_u[nr]
    long_l, long_r = wlen[tl] > 1, wlen[tr] > 1
    first_l, first_r = tl[:, 0], tr[:, 0]

    def contained(a: np.ndarray, along: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Every long token of a appears in b (and a has one)."""
        present = np.zeros(along.shape, dtype=bool)
        for j in range(_MAX_TOKENS):
            present |= (a == b[:, [j]]) & (a >= 0)
        return (~along | present).all(axis=1) & along.any(axis=1)

    same_first = (first_l == first_r) & (first_l >= 0)
    # Second forenames agree when either is absent, they are equal, or one is the other's initial.
    second_l, second_r = tl[:, 1], tr[:, 1]
    second_ok = ((second_l < 0) | (second_r < 0) | (second_l == second_r)
                 | (((wlen[second_l] == 1) | (wlen[second_r] == 1)) & (letter[second_l] == letter[second_r])))
    # A typo in a middle name (JAN for JEAN) is not a different middle name (only where first names agree).
    differ = np.flatnonzero(same_first & ~second_ok & (second_l >= 0) & (second_r >= 0))
    if len(differ):
        keys = second_l[differ].astype(np.int64) * size + second_r[differ]
        close = np.array([k for k in np.unique(keys).tolist()
                          if DamerauLevenshtein.distance(words[k // size], words[k % size], score_cutoff=1) <= 1],
                         dtype=np.int64)
        if len(close):
            second_ok[differ] = np.isin(keys, close)
    first_name = same_first & second_ok
    first_conflict = same_first & ~second_ok

    def nickname_pair(i: int, j: int) -> np.ndarray:
        a, b = tl[:, i], tr[:, j]
        valid = long_l[:, i] & long_r[:, j]
        if not valid.any() or not len(nick_keys):
            return valid & (a == b)
        key = a * size + b
        pos = np.minimum(np.searchsorted(nick_keys, key), len(nick_keys) - 1)
        # A name is trivially its own variant: keeps the levels monotone.
        return valid & ((nick_keys[pos] == key) | (a == b))

    nick = nickname_pair(0, 0) & ~first_conflict
    # Known by another of their forenames (a middle name used as the first, or its diminutive).
    other = contained(tl, long_l, tr) | contained(tr, long_r, tl)
    for i in range(_MAX_TOKENS):
        for j in range(_MAX_TOKENS):
            if i or j:
                other |= nickname_pair(i, j)
    other &= ~first_conflict  # "Sharon L" is not "Sharon Karen" going by another name

    def initials(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """a gives initials only in its first forename and they agree with b's in order."""
        ok = (wlen[a[:, 0]] == 1) & (b[:, 0] >= 0)
        for k in range(_MAX_TOKENS):
            has = a[:, k] >= 0
            ok &= ~has | ((b[:, k] >= 0) & (letter[a[:, k]] == letter[b[:, k]]))
        return ok

    ny, mp = codes_by_alg["nysiis"], codes_by_alg["metaphone"]
    sounds = (first_l >= 0) & (first_r >= 0) & (
        ((ny[first_l] == ny[first_r]) & (ny[first_l] >= 0))
        | ((mp[first_l] == mp[first_r]) & (mp[first_l] >= 0)))
    cols: dict[str, np.ndarray] = {c: f[c].to_numpy() for c in f.columns}
    cols.update({"_fn_exact": nl == nr, "_fn_first": first_name, "_fn_first_conflict": first_conflict,
                 "_fn_nick": nick, "_fn_other": other,
                 "_fn_init": initials(tl, tr) | initials(tr, tl), "_fn_phon": sounds})
    for side, first in (("l", first_l), ("r", first_r)):
        cols[f"_fn_w0_{side}"] = words_ext[first]
        cols[f"_fn_len0_{side}"] = wlen[first]
        cols[f"_fn_o0_{side}"] = ocr_ext[first]
        cols[f"_fn_olen0_{side}"] = ocr_len[first]
    # Built from arrays in one go: adding columns one by one re-consolidates blocks each time.
    return pd.DataFrame(cols, copy=False)


def _fn_flag(column: str) -> PairTest:
    def test(f: pd.DataFrame) -> np.ndarray:
        return _forename_features(f)[column].to_numpy(dtype=bool)

    return test


def _fn_first_words(f: pd.DataFrame) -> dict[str, np.ndarray]:
    g = _forename_features(f)
    return {c: g[f"_fn_{c}"].to_numpy() for c in
            ("w0_l", "w0_r", "len0_l", "len0_r", "o0_l", "o0_r", "olen0_l", "olen0_r")}


def _fn_typo(f: pd.DataFrame) -> np.ndarray:
    w = _fn_first_words(f)
    return _typo_or_jw(w["w0_l"], w["w0_r"], 0.92,
                       lengths=(w["len0_l"], w["len0_r"]),
                       ocr=(w["o0_l"], w["o0_r"], w["olen0_l"], w["olen0_r"]))


def _fn_jw80(f: pd.DataFrame) -> np.ndarray:
    w = _fn_first_words(f)
    return _jw_at_least(w["w0_l"], w["w0_r"], 0.80)


def _else(f: pd.DataFrame) -> np.ndarray:
    return np.ones(len(f), dtype=bool)


ELSE = Level("else", _else, "nothing better")


def forenames_comparison() -> Comparison:
    """Forenames (normalised, space-separated) compared from exact down to Jaro-Winkler 0.80."""
    return Comparison(
        field="forenames",
        columns=("forenames",),
        prepare=_forename_features,
        levels=(
            Level("exact", _fn_flag("_fn_exact"), "all forenames identical"),
            Level("first_name_exact", _fn_flag("_fn_first"),
                  "same first forename, middle names dropped or agreeing (initials count)"),
            Level("nickname", _fn_flag("_fn_nick"),
                  "the first forename is a diminutive of the other's (Peggy/Margaret)"),
            Level("other_forename", _fn_flag("_fn_other"),
                  "known by another of their forenames (a middle name, or its diminutive)"),
            Level("initials", _fn_flag("_fn_init"), "one side gives initials that agree"),
            Level("first_name_middle_differs", _fn_flag("_fn_first_conflict"),
                  "same first forename but different middle names"),
            Level("jaro_winkler>=0.92", _fn_typo,
                  "typo in first forename: Jaro-Winkler>=0.92, one edit/transposition or OCR slip"),
            Level("phonetic", _fn_flag("_fn_phon"),
                  "first forenames sound alike (NYSIIS or Metaphone)"),
            Level("jaro_winkler>=0.80", _fn_jw80, "first forenames similar (Jaro-Winkler>=0.80)"),
            ELSE,
        ),
    )


# ---------------------------------------------------------------- surname


def _surname_sets(f: pd.DataFrame, side: str) -> np.ndarray:
    """Each person's current surname plus every surname in their history."""
    current = _norm_surname(f, side)

    def parse(h: str) -> frozenset[str]:
        return frozenset(p for p in (normalise_surname(x) for x in h.split("|")) if p)

    history = _mapped(_side(f, "surname_history", side), parse)
    return np.array([h | {c} if c else h for c, h in zip(current, history, strict=True)],
                    dtype=object)


def _sn_exact(f: pd.DataFrame) -> np.ndarray:
    return _norm_surname(f, "l") == _norm_surname(f, "r")


def _sn_history(f: pd.DataFrame) -> np.ndarray:
    left, right = _surname_sets(f, "l"), _surname_sets(f, "r")
    return np.fromiter((bool(a & b) for a, b in zip(left, right, strict=True)),
                       dtype=bool, count=len(f))


def _sn_phonetic(f: pd.DataFrame) -> np.ndarray:
    return _phonetic_equal(_norm_surname(f, "l"), _norm_surname(f, "r"))


def _sn_typo(f: pd.DataFrame) -> np.ndarray:
    return _typo_or_jw(_norm_surname(f, "l"), _norm_surname(f, "r"), 0.92)


def _sn_double_barrel(f: pd.DataFrame) -> np.ndarray:
    """The surnames share a word: 'SMITH JONES' ~ 'JONES'."""
    left, right = _norm_surname(f, "l"), _norm_surname(f, "r")
    return np.fromiter(
        (bool(a) and bool(b) and bool(set(a.split(" ")) & set(b.split(" ")))
         for a, b in zip(left, right, strict=True)),
        dtype=bool, count=len(f),
    )


def surname_comparison() -> Comparison:
    """Surname with history (maiden/married/former names, '|'-separated in surname_history)."""
    return Comparison(
        field="surname",
        columns=("surname", "surname_history"),
        levels=(
            Level("exact", _sn_exact, "surnames identical"),
            Level("history", _sn_history, "a former/maiden/married surname matches"),
            Level("phonetic", _sn_phonetic, "surnames sound alike (NYSIIS or Metaphone)"),
            Level("jaro_winkler>=0.92", _sn_typo,
                  "typo: Jaro-Winkler>=0.92, one edit/transposition or OCR slip"),
            Level("double_barrel_part", _sn_double_barrel, "one part of a double-barrelled name"),
            ELSE,
        ),
    )


# ---------------------------------------------------------------- birth date


def _intervals(f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    def col(name: str) -> np.ndarray:
        return pd.to_numeric(f[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

    return col("born_lo_l"), col("born_hi_l"), col("born_lo_r"), col("born_hi_r")


def _bd_exact(f: pd.DataFrame) -> np.ndarray:
    lo_l, hi_l, lo_r, hi_r = _intervals(f)
    return (lo_l == hi_l) & (lo_r == hi_r) & (lo_l == lo_r)


def _bd_transposed(f: pd.DataFrame) -> np.ndarray:
    lo_l, hi_l, lo_r, hi_r = _intervals(f)
    exact = (lo_l == hi_l) & (lo_r == hi_r)
    return exact & is_day_month_transposed(lo_l, lo_r)


def _bd_overlap(f: pd.DataFrame) -> np.ndarray:
    return intervals_overlap(*_intervals(f))


def _bd_swapped_in_range(f: pd.DataFrame) -> np.ndarray:
    """One side an exact date, the other a range (a registration quarter) that holds the date with its
    day and month swapped but not the date itself: a case record's 1945-03-07 for a birth registered
    in the third quarter of 1945 by someone born on 3 July."""
    lo_l, hi_l, lo_r, hi_r = _intervals(f)
    out = np.zeros(len(lo_l), dtype=bool)
    with np.errstate(invalid="ignore"):
        for lo_a, hi_a, lo_b, hi_b in ((lo_l, hi_l, lo_r, hi_r), (lo_r, hi_r, lo_l, hi_l)):
            exact = (lo_a == hi_a) & (lo_b < hi_b)
            if not exact.any():
                continue
            swapped = np.full(len(lo_a), np.nan)
            swapped[exact] = day_month_swapped(lo_a[exact])
            out |= exact & (swapped >= lo_b) & (swapped <= hi_b) & ~((lo_a >= lo_b) & (lo_a <= hi_b))
    return out


def _bd_within(days: float) -> PairTest:
    def test(f: pd.DataFrame) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return intervals_gap(*_intervals(f)) <= days

    return test


def birth_date_comparison() -> Comparison:
    """Birth-date intervals (born_lo/born_hi day numbers): exact down to within six years."""
    return Comparison(
        field="birth_date",
        columns=("born_lo", "born_hi"),
        null_columns=("born_lo", "born_hi"),
        levels=(
            Level("exact", _bd_exact, "same known birth date"),
            Level("transposed_day_month", _bd_transposed, "day and month swapped (03/07 vs 07/03)"),
            Level("overlap", _bd_overlap, "the possible birth dates overlap"),
            Level("swapped_in_range", _bd_swapped_in_range,
                  "a date with day and month swapped falls in the other's range (03/07 in July-September)"),
            Level("within_1y", _bd_within(366), "possible birth dates within a year"),
            Level("within_3y", _bd_within(3 * 365 + 1), "within three years"),
            Level("within_6y", _bd_within(6 * 365 + 2), "within six years"),
            ELSE,
        ),
    )


# ---------------------------------------------------------------- place


def _str_equal_nonblank(f: pd.DataFrame, column: str, norm: Callable[[str], str]) -> np.ndarray:
    left = _mapped(_side(f, column, "l"), norm)
    right = _mapped(_side(f, column, "r"), norm)
    return (left == right) & (left != "")


def _pl_same_place(f: pd.DataFrame) -> np.ndarray:
    return _str_equal_nonblank(f, "place", normalise_place)


def _pl_same(column: str) -> PairTest:
    def test(f: pd.DataFrame) -> np.ndarray:
        return _str_equal_nonblank(f, column, lambda s: s.strip().upper())

    return test


def _pl_within(km: float) -> PairTest:
    def test(f: pd.DataFrame) -> np.ndarray:
        if not all(f"{c}_{s}" in f for c in ("lat", "lon") for s in ("l", "r")):
            return np.zeros(len(f), dtype=bool)

        def col(name: str) -> np.ndarray:
            return pd.to_numeric(f[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

        d = distance_km(col("lat_l"), col("lon_l"), col("lat_r"), col("lon_r"))
        with np.errstate(invalid="ignore"):
            return d <= km

    return test


def place_comparison() -> Comparison:
    """Places (columns as made by matchers.places.place_columns): same place down to same nation."""
    return Comparison(
        field="place",
        columns=("place", "lat", "lon", "county", "district", "postcode_area"),
        levels=(
            Level("same_place", _pl_same_place, "same town or neighbourhood"),
            Level("same_district", _pl_same("district"), "same registration district"),
            Level("same_postcode_area", _pl_same("postcode_area"), "same postcode area"),
            Level("within_10km", _pl_within(10.0), "places within 10 km"),
            Level("within_50km", _pl_within(50.0), "places within 50 km"),
            Level("same_county", _pl_same("county"), "same county/nation"),
            ELSE,
        ),
    )


# ---------------------------------------------------------------- all together


def standard_comparisons() -> tuple[Comparison, ...]:
    """Forenames, surname, birth date and place comparisons, in that order."""
    return (forenames_comparison(), surname_comparison(), birth_date_comparison(),
            place_comparison())


def compare(pairs: pd.DataFrame, comparisons: Iterable[Comparison] | None = None) -> pd.DataFrame:
    """One int8 column of level indices per comparison field, indexed like `pairs`.

    Comparisons whose first column is absent from the frame are skipped.
    """
    out: dict[str, np.ndarray] = {}
    for comp in comparisons if comparisons is not None else standard_comparisons():
        if f"{comp.columns[0]}_l" in pairs and f"{comp.columns[0]}_r" in pairs:
            out[comp.field] = comp.levels_for(pairs)
    return pd.DataFrame(out, index=pairs.index)
