"""Date intervals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from matchers.dates import (
    Interval,
    age_to_interval_series,
    day_month_swapped,
    day_number,
    from_day_number,
    interval_from_age,
    interval_from_age_at_death,
    interval_from_age_band,
    interval_from_iso,
    interval_from_registration_quarter,
    interval_from_year,
    intervals_gap,
    is_day_month_transposed,
    iso_to_interval_series,
    year_quarter_to_interval_series,
)


def test_day_number_epoch_and_round_trip() -> None:
    assert day_number(dt.date(1970, 1, 1)) == 0
    assert from_day_number(day_number(dt.date(1951, 7, 3))) == dt.date(1951, 7, 3)


def test_iso_parses_full_partial_and_bad() -> None:
    assert interval_from_iso("1980-03-07") == Interval(3718, 3718)
    assert interval_from_iso("1980-02").as_dates() == (dt.date(1980, 2, 1), dt.date(1980, 2, 29))
    assert interval_from_iso("1980") == interval_from_year(1980)
    assert interval_from_iso("1980-02-30") is None
    assert interval_from_iso("soon") is None


def test_registration_quarter_allows_42_days_before() -> None:
    iv = interval_from_registration_quarter(1980, 2)
    assert iv is not None
    assert iv.as_dates() == (dt.date(1980, 4, 1) - dt.timedelta(days=42), dt.date(1980, 6, 30))


def test_age_interval_boundaries() -> None:
    iv = interval_from_age(40, dt.date(2020, 6, 1))
    assert iv is not None
    assert iv.as_dates() == (dt.date(1979, 6, 2), dt.date(1980, 6, 1))


def test_age_band_and_age_at_death() -> None:
    band = interval_from_age_band("40-44", 2020)
    assert band is not None and band.as_dates() == (dt.date(1975, 1, 2), dt.date(1980, 12, 31))
    death = interval_from_age_at_death(80, 2001, 2)
    assert death is not None and death.overlaps(interval_from_year(1921))  # type: ignore[arg-type]


def test_transposed_day_month_detected() -> None:
    a, b = day_number(dt.date(1980, 3, 7)), day_number(dt.date(1980, 7, 3))
    assert is_day_month_transposed(a, b)[0]
    assert not is_day_month_transposed(a, a)[0]


def test_day_and_month_swapped() -> None:
    days = [day_number(dt.date(1945, 3, 7)), day_number(dt.date(2001, 11, 2)), day_number(dt.date(1990, 12, 25)),
            day_number(dt.date(1980, 5, 5)), np.nan]
    swapped = day_month_swapped(np.array(days, dtype=float))
    assert swapped[0] == day_number(dt.date(1945, 7, 3)) and swapped[1] == day_number(dt.date(2001, 2, 11))
    assert np.isnan(swapped[2:]).all()  # no month 25; the same date; unknown


def test_vectorised_intervals_match_scalar() -> None:
    lo, hi = iso_to_interval_series(pd.Series(["1980-03-07", "1980", None]))
    assert lo.dtype == "Int64" and lo.isna().tolist() == [False, False, True]
    assert hi[1] == interval_from_year(1980).hi  # type: ignore[union-attr]
    lo, hi = year_quarter_to_interval_series(pd.Series([1980, 1980]), pd.Series([2, None]),
                                             pd.Series([None, None]))
    q = interval_from_registration_quarter(1980, 2)
    assert (lo[0], hi[0]) == (q.lo, q.hi)  # type: ignore[union-attr]
    lo, hi = age_to_interval_series(pd.Series([40]), "2020-06-01")
    assert (lo[0], hi[0]) == (interval_from_age(40, dt.date(2020, 6, 1)).lo,  # type: ignore[union-attr]
                              interval_from_age(40, dt.date(2020, 6, 1)).hi)  # type: ignore[union-attr]


@given(st.integers(-30000, 30000), st.integers(0, 400), st.integers(-30000, 30000),
       st.integers(0, 400))
def test_gap_is_symmetric_and_zero_iff_overlap(a: int, la: int, b: int, lb: int) -> None:
    x, y = Interval(a, a + la), Interval(b, b + lb)
    assert x.gap(y) == y.gap(x)
    assert (x.gap(y) == 0) == x.overlaps(y)
    assert intervals_gap(np.array([a]), np.array([a + la]), np.array([b]),
                         np.array([b + lb]))[0] == x.gap(y)


def test_a_date_slip_is_one_digit_or_day_and_month_swapped() -> None:
    from matchers import dates

    def d(iso: str) -> int:
        return dates.day_number(dt.date.fromisoformat(iso))

    assert dates.is_date_slip(d("1961-03-12"), d("1961-03-13"))
    assert dates.is_date_slip(d("1961-03-07"), d("1961-07-03"))
    assert not dates.is_date_slip(d("1945-07-24"), d("1945-09-22"))
    assert not dates.is_date_slip(d("1916-03-12"), d("1961-03-12"))
