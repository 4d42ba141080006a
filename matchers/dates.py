"""Dates as closed intervals of day numbers (days since 1970-01-01).

British indexes rarely give an exact birth date: the GRO birth index gives a
registration quarter (to 1983) or month, the death index an age at death, the
census an age, directories nothing.  Every one of these becomes an ``Interval``
of possible birth days, and comparisons ask how far apart two intervals are.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "DEATH_REGISTRATION_SLACK_DAYS",
    "REGISTRATION_SLACK_DAYS",
    "Interval",
    "age_to_interval_series",
    "day_month_swapped",
    "day_number",
    "from_day_number",
    "gap_days",
    "interval_from_age",
    "interval_from_age_at_death",
    "interval_from_age_band",
    "interval_from_iso",
    "interval_from_registration_month",
    "interval_from_registration_quarter",
    "interval_from_year",
    "interval_from_year_month",
    "intervals_gap",
    "intervals_overlap",
    "is_date_slip",
    "is_day_month_transposed",
    "iso_to_interval_series",
    "year_quarter_to_interval_series",
]

_EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()

# Births must be registered within 42 days (Births and Deaths Registration Act 1953 s.2),
# so a birth registered in a period happened up to 42 days before that period began.
REGISTRATION_SLACK_DAYS = 42
# Deaths are registered within 5 days, but inquests delay some by weeks; 31 days is our allowance.
DEATH_REGISTRATION_SLACK_DAYS = 31


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01 (negative before)."""
    return d.toordinal() - _EPOCH_ORDINAL


def from_day_number(n: int) -> dt.date:
    """Inverse of day_number."""
    return dt.date.fromordinal(int(n) + _EPOCH_ORDINAL)


@dataclass(frozen=True)
class Interval:
    """Closed interval [lo, hi] of day numbers in which a date lies."""

    lo: int
    hi: int

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval {self.lo}>{self.hi}")

    @property
    def is_exact(self) -> bool:
        """A single known day."""
        return self.lo == self.hi

    def overlaps(self, other: Interval) -> bool:
        """True if the two intervals share at least one day."""
        return self.lo <= other.hi and other.lo <= self.hi

    def gap(self, other: Interval) -> int:
        """Days between the intervals; 0 if they overlap."""
        return max(0, max(self.lo, other.lo) - min(self.hi, other.hi))

    def as_dates(self) -> tuple[dt.date, dt.date]:
        """The bounds as dates."""
        return from_day_number(self.lo), from_day_number(self.hi)


def _is_missing(x: object) -> bool:
    if x is None or x is pd.NA:
        return True
    return isinstance(x, float) and math.isnan(x)


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _minus_years(d: dt.date, years: int) -> dt.date:
    """Same calendar day `years` earlier; 29 Feb falls back to 28 Feb."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _span(lo: dt.date, hi: dt.date) -> Interval:
    return Interval(day_number(lo), day_number(hi))


def interval_from_year(y: int | None) -> Interval | None:
    """The whole calendar year."""
    if _is_missing(y):
        return None
    y = int(y)  # type: ignore[arg-type]
    if not 1 <= y <= 9999:
        return None
    return _span(dt.date(y, 1, 1), dt.date(y, 12, 31))


def interval_from_year_month(y: int | None, m: int | None) -> Interval | None:
    """The whole calendar month (a year alone if the month is unknown)."""
    if _is_missing(m):
        return interval_from_year(y)
    if _is_missing(y):
        return None
    y, m = int(y), int(m)  # type: ignore[arg-type]
    if not (1 <= m <= 12 and 1 <= y <= 9999):
        return None
    return _span(dt.date(y, m, 1), _month_end(y, m))


def interval_from_iso(s: str | None) -> Interval | None:
    """Parse 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' into an Interval; None if unparseable."""
    if _is_missing(s):
        return None
    text = str(s).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if mo is None:
        return interval_from_year(int(y))
    if d is None:
        return interval_from_year_month(int(y), int(mo))
    try:
        n = day_number(dt.date(int(y), int(mo), int(d)))
    except ValueError:
        return None
    return Interval(n, n)


def interval_from_registration_quarter(y: int | None, q: int | None) -> Interval | None:
    """Birth interval for a birth registered in quarter q (1-4) of year y.

    Rule: from REGISTRATION_SLACK_DAYS (42) days before the quarter starts to the
    quarter's last day, because births must be registered within 42 days.
    """
    if _is_missing(y):
        return None
    if _is_missing(q):
        year = interval_from_year(y)
        return None if year is None else Interval(year.lo - REGISTRATION_SLACK_DAYS, year.hi)
    y, q = int(y), int(q)  # type: ignore[arg-type]
    if not 1 <= q <= 4:
        return None
    start = dt.date(y, 3 * q - 2, 1)
    return Interval(day_number(start) - REGISTRATION_SLACK_DAYS, day_number(_month_end(y, 3 * q)))


def interval_from_registration_month(y: int | None, m: int | None) -> Interval | None:
    """Birth interval for a birth registered in month m of year y (same 42-day rule)."""
    month = interval_from_year_month(y, m)
    return None if month is None else Interval(month.lo - REGISTRATION_SLACK_DAYS, month.hi)


def interval_from_age(age: int | None, at: dt.date) -> Interval | None:
    """Birth interval for someone aged `age` on date `at`.

    Born between at - (age+1) years + 1 day and at - age years, inclusive.
    """
    if _is_missing(age) or int(age) < 0:  # type: ignore[arg-type]
        return None
    a = int(age)  # type: ignore[arg-type]
    lo = _minus_years(at, a + 1) + dt.timedelta(days=1)
    return _span(lo, _minus_years(at, a))


def _parse_age_band(band: str) -> tuple[int, int] | None:
    text = str(band).strip().upper().replace("–", "-")
    if m := re.fullmatch(r"(\d+)\s*-\s*(\d+)", text):
        lo, hi = int(m.group(1)), int(m.group(2))
        return (lo, hi) if lo <= hi else None
    if m := re.fullmatch(r"(\d+)\s*(?:\+|AND OVER|OR OVER)", text):
        return int(m.group(1)), 110
    if m := re.fullmatch(r"(?:UNDER|<)\s*(\d+)", text):
        return 0, max(0, int(m.group(1)) - 1)
    if m := re.fullmatch(r"\d+", text):
        return int(text), int(text)
    return None


def interval_from_age_band(band: str | None, at_year: int) -> Interval | None:
    """Birth interval for an age band ('40-44', '85+', 'under 18', '37') at some date in at_year."""
    if _is_missing(band):
        return None
    parsed = _parse_age_band(str(band))
    if parsed is None:
        return None
    a_lo, a_hi = parsed
    # Aged a_hi on 1 Jan gives the earliest birth; aged a_lo on 31 Dec the latest.
    lo = interval_from_age(a_hi, dt.date(at_year, 1, 1))
    hi = interval_from_age(a_lo, dt.date(at_year, 12, 31))
    if lo is None or hi is None:
        return None
    return Interval(lo.lo, hi.hi)


def interval_from_age_at_death(
    age: int | None, death_year: int | None, death_quarter: int | None = None
) -> Interval | None:
    """Birth interval from the death index: age at death plus registration year (and quarter).

    The death happened in the registration quarter (or year), allowing
    DEATH_REGISTRATION_SLACK_DAYS before it; the birth is then age..age+1 years earlier.
    """
    if _is_missing(age) or _is_missing(death_year):
        return None
    if _is_missing(death_quarter):
        death = interval_from_year(death_year)
    else:
        q = int(death_quarter)  # type: ignore[arg-type]
        if not 1 <= q <= 4:
            return None
        y = int(death_year)  # type: ignore[arg-type]
        death = _span(dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q))
    if death is None:
        return None
    first_death = from_day_number(death.lo - DEATH_REGISTRATION_SLACK_DAYS)
    earliest = interval_from_age(age, first_death)
    latest = interval_from_age(age, from_day_number(death.hi))
    if earliest is None or latest is None:
        return None
    return Interval(earliest.lo, latest.hi)


def intervals_overlap(
    lo_l: np.ndarray, hi_l: np.ndarray, lo_r: np.ndarray, hi_r: np.ndarray
) -> np.ndarray:
    """Elementwise: do [lo_l, hi_l] and [lo_r, hi_r] share a day? (NaN -> False)."""
    with np.errstate(invalid="ignore"):
        return (np.asarray(lo_l) <= np.asarray(hi_r)) & (np.asarray(lo_r) <= np.asarray(hi_l))


def intervals_gap(
    lo_l: np.ndarray, hi_l: np.ndarray, lo_r: np.ndarray, hi_r: np.ndarray
) -> np.ndarray:
    """Elementwise gap in days between intervals, 0 when overlapping (float, NaN if unknown)."""
    lo = np.maximum(np.asarray(lo_l, dtype=float), np.asarray(lo_r, dtype=float))
    hi = np.minimum(np.asarray(hi_l, dtype=float), np.asarray(hi_r, dtype=float))
    return np.maximum(lo - hi, 0.0)


def gap_days(a: Interval | None, b: Interval | None) -> int | None:
    """Scalar gap between two intervals (None if either is unknown)."""
    if a is None or b is None:
        return None
    return a.gap(b)


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised day number -> (year, month, day) via numpy datetime64."""
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(int) + 1970
    m = d.astype("datetime64[M]").astype(int) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(int) + 1
    return y, m, day


def is_day_month_transposed(a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
    """Elementwise: exact dates a, b are the same year with day and month swapped (3/7 vs 7/3)."""
    return day_month_swapped(a) == np.atleast_1d(np.asarray(b, dtype=float))


def day_month_swapped(days: np.ndarray) -> np.ndarray:
    """Elementwise: each exact date with its day and month swapped (1945-03-07 -> 1945-07-03), NaN where
    no other date results (the day is over 12, or the day and month are equal)."""
    arr = np.atleast_1d(np.asarray(days, dtype=float))
    out = np.full(arr.shape, np.nan)
    ok = ~np.isnan(arr)
    if ok.any():
        y, m, d = _ymd(arr[ok].astype("int64"))
        can = (d <= 12) & (d != m)
        # The month becomes the day: never over 12, so always a date of the new month.
        months = (y - 1970) * 12 + (d - 1)
        swapped = months.astype("datetime64[M]").astype("datetime64[D]").astype("int64") + (m - 1)
        out[ok] = np.where(can, swapped, np.nan)
    return out


def is_date_slip(a: int, b: int) -> bool:
    """Exact dates a, b (day numbers) that could be one date written twice: equal, day and month
    swapped, or one digit apart as written (1961-03-12 for 1961-03-13, 1916 for 1961 is not)."""
    if a == b or bool(is_day_month_transposed(a, b)[0]):
        return True
    x, y = from_day_number(a).isoformat(), from_day_number(b).isoformat()
    return sum(c != d for c, d in zip(x, y, strict=True)) == 1


def _as_int64(values: np.ndarray, valid: np.ndarray) -> pd.Series:
    return pd.Series(pd.arrays.IntegerArray(np.where(valid, values, 0).astype("int64"), ~valid))


def iso_to_interval_series(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO dates ('YYYY-MM-DD', 'YYYY-MM', 'YYYY') -> (lo, hi) Int64 day-number Series."""
    codes, uniques = pd.factorize(s.astype("string"), use_na_sentinel=True)
    lo = np.zeros(len(uniques) + 1, dtype="int64")
    hi = np.zeros(len(uniques) + 1, dtype="int64")
    valid = np.zeros(len(uniques) + 1, dtype=bool)
    for i, u in enumerate(uniques):
        iv = interval_from_iso(u)
        if iv is not None:
            lo[i], hi[i], valid[i] = iv.lo, iv.hi, True
    lo_s = _as_int64(lo[codes], valid[codes])
    hi_s = _as_int64(hi[codes], valid[codes])
    lo_s.index = hi_s.index = s.index
    return lo_s, hi_s


def year_quarter_to_interval_series(
    year: pd.Series, quarter: pd.Series | None = None, month: pd.Series | None = None,
    *, registration: bool = True,
) -> tuple[pd.Series, pd.Series]:
    """Index year/quarter/month columns -> (lo, hi) Int64 Series of birth day numbers.

    Per row the most precise field wins: month, then quarter, then year.  With
    ``registration=True`` (GRO birth indexes) each period is widened by the
    42-day registration allowance; with False the period is the event date itself.
    """
    n = len(year)
    y = pd.to_numeric(year, errors="coerce").to_numpy(dtype=float)
    q = (np.full(n, np.nan) if quarter is None
         else pd.to_numeric(quarter, errors="coerce").to_numpy(dtype=float))
    m = (np.full(n, np.nan) if month is None
         else pd.to_numeric(month, errors="coerce").to_numpy(dtype=float))
    valid = ~np.isnan(y) & (y >= 1) & (y <= 9999)
    q_ok = valid & ~np.isnan(q) & (q >= 1) & (q <= 4)
    m_ok = valid & ~np.isnan(m) & (m >= 1) & (m <= 12)
    y_i = np.where(valid, y, 1970).astype("int64")
    first_month = np.where(m_ok, m, np.where(q_ok, 3 * q - 2, 1)).astype("int64")
    last_month = np.where(m_ok, m, np.where(q_ok, 3 * q, 12)).astype("int64")
    start = (
        (y_i - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (first_month - 1)
    ).astype("datetime64[D]")
    end = (
        (y_i - 1970).astype("datetime64[Y]").astype("datetime64[M]") + last_month
    ).astype("datetime64[D]") - np.timedelta64(1, "D")
    lo = start.astype("int64") - (REGISTRATION_SLACK_DAYS if registration else 0)
    hi = end.astype("int64")
    lo_s, hi_s = _as_int64(lo, valid), _as_int64(hi, valid)
    lo_s.index = hi_s.index = year.index
    return lo_s, hi_s


def age_to_interval_series(age: pd.Series, at_iso: pd.Series | str) -> tuple[pd.Series, pd.Series]:
    """Ages on known dates (ISO strings, or one date for all rows) -> (lo, hi) Int64 Series."""
    ages = pd.to_numeric(age, errors="coerce")
    ats = pd.Series(at_iso, index=age.index) if isinstance(at_iso, str) else at_iso
    keys = pd.Series(list(zip(ages.to_numpy(), ats.astype("string").to_numpy(), strict=True)),
                     index=age.index)
    codes, uniques = pd.factorize(keys)
    lo = np.zeros(len(uniques) + 1, dtype="int64")
    hi = np.zeros(len(uniques) + 1, dtype="int64")
    valid = np.zeros(len(uniques) + 1, dtype=bool)
    for i, (a, at) in enumerate(uniques):
        at_iv = interval_from_iso(at) if not _is_missing(at) else None
        if at_iv is None or _is_missing(a):
            continue
        # An age at a partial date (a census year) spans the whole period.
        first = interval_from_age(int(a), from_day_number(at_iv.lo))
        last = interval_from_age(int(a), from_day_number(at_iv.hi))
        if first is not None and last is not None:
            lo[i], hi[i], valid[i] = first.lo, last.hi, True
    lo_s, hi_s = _as_int64(lo[codes], valid[codes]), _as_int64(hi[codes], valid[codes])
    lo_s.index = hi_s.index = age.index
    return lo_s, hi_s
