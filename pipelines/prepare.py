"""Turn source records of every kind into one frame of person mentions with standard columns.

Each row is one person as a record mentions them: normalised names, a birth interval (days since
1970-01-01), the place, and the kind-specific facts the kinship chains follow (mother's maiden
surname, spouse's surname, death).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
from gender_guesser.detector import Detector

from matchers import dates, names, places

MENTION_COLUMNS = (
    "source", "kind", "record_id", "forenames", "first", "surname", "surname_key", "surname_history",
    "born_lo", "born_hi", "year", "quarter", "place", "postcode", "address", "town",
    "mmn", "mmn_key", "spouse", "spouse_key", "died_lo", "died_hi", "last_seen", "relationship_to_subject",
    "subject_name", "others", "sex",
)


def _int(value: object) -> int | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _iso_year(value: object) -> int | None:
    return int(str(value)[:4]) if value else None


def _birth_interval(kind: str, r: dict) -> dates.Interval | None:
    """What a record says about when its person was born."""
    if kind in ("birth_index", "death_index", "case_records") and r.get("date_of_birth"):
        return dates.interval_from_iso(r["date_of_birth"])
    if kind == "birth_index":
        year, month, quarter = _int(r.get("year")), _int(r.get("month")), _int(r.get("quarter"))
        if year and month:
            return dates.interval_from_year_month(year, month)
        if year and quarter:
            return dates.interval_from_registration_quarter(year, quarter)
        return dates.interval_from_year(year) if year else None
    if kind == "death_index":
        age, year = _int(r.get("age_at_death")), _int(r.get("year"))
        if age is not None and year:
            return dates.interval_from_age_at_death(age, year, _int(r.get("quarter")))
        return None
    if kind == "company_officers":
        year, month = _int(r.get("birth_year")), _int(r.get("birth_month"))
        if year and month:
            return dates.interval_from_year_month(year, month)
        return dates.interval_from_year(year) if year else None
    if kind == "directory" and r.get("age_band"):
        first = _int(r.get("first_seen_year")) or _int(r.get("last_seen_year"))
        last = _int(r.get("last_seen_year")) or first
        if not first:
            return None
        at_first = dates.interval_from_age_band(r["age_band"], first)
        at_last = dates.interval_from_age_band(r["age_band"], last)
        if at_first is None or at_last is None:
            return None
        # The band held at some time in the spell: the union of both ends is safe.
        return dates.Interval(min(at_first.lo, at_last.lo), max(at_first.hi, at_last.hi))
    if kind == "marriage_index" and _int(r.get("year")):
        year = int(r["year"])
        # Spouses are adults: 16 to 80 at marriage.
        return dates.Interval(dates.day_number(date(year - 80, 1, 1)), dates.day_number(date(year - 16, 12, 31)))
    return None


def _death_interval(kind: str, r: dict) -> dates.Interval | None:
    if kind == "death_index":
        year, quarter = _int(r.get("year")), _int(r.get("quarter"))
        if year and quarter:
            lo = dates.day_number(date(year, 3 * quarter - 2, 1))
            # Deaths are registered within days; allow the quarter before for late registration.
            return dates.Interval(lo - 92, dates.day_number(date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - 1)
        return dates.interval_from_year(year) if year else None
    if kind == "probate" and r.get("date_of_death"):
        return dates.interval_from_iso(r["date_of_death"])
    return None


def _names(kind: str, r: dict) -> tuple[str, str]:
    if kind == "directory":
        return names.split_full_name(r.get("full_name") or "")
    if kind == "company_officers":
        return names.split_full_name(r.get("name") or "")
    return names.normalise_forenames(r.get("forenames")), names.normalise_surname(r.get("surname"))


def _event_year(kind: str, r: dict) -> int | None:
    if kind in ("birth_index", "marriage_index", "death_index"):
        return _int(r.get("year"))
    if kind == "directory":
        return _int(r.get("last_seen_year")) or _int(r.get("first_seen_year"))
    if kind == "company_officers":
        return _iso_year(r.get("resigned_on")) or 2100 if r.get("appointed_on") else None
    if kind == "probate":
        return _iso_year(r.get("grant_date")) or _iso_year(r.get("date_of_death"))
    if kind == "case_records":
        return _iso_year(r.get("recorded_on"))
    return None


def mentions(records: Iterable[tuple[str, str, str, dict]]) -> pd.DataFrame:
    """A mentions frame from (source, kind, record_id, data) tuples."""
    rows = []
    for source, kind, record_id, r in records:
        forenames, surname = _names(kind, r)
        born = _birth_interval(kind, r)
        died = _death_interval(kind, r)
        place = r.get("district") or r.get("town") or ""
        rows.append(
            {
                "source": source, "kind": kind, "record_id": record_id,
                "forenames": forenames, "surname": surname,
                "born_lo": born.lo if born else None, "born_hi": born.hi if born else None,
                "year": _event_year(kind, r), "quarter": _int(r.get("quarter")),
                "place": place, "postcode": r.get("postcode") or "",
                "address": r.get("address") or "", "town": r.get("town") or "",
                "mmn": names.normalise_surname(r.get("mother_maiden_surname")),
                "spouse": names.normalise_surname(r.get("spouse_surname")),
                "died_lo": died.lo if died else None, "died_hi": died.hi if died else None,
                "last_seen": _int(r.get("last_seen_year")),
                "relationship_to_subject": (r.get("relationship_to_subject") or "").strip().lower(),
                "subject_name": r.get("subject_name") or "",
                "others": r.get("other_occupants") or "",
            }
        )
    frame = pd.DataFrame(rows, columns=[c for c in MENTION_COLUMNS if c not in _DERIVED])
    return add_derived_columns(frame)


_DERIVED = {"first", "surname_key", "surname_history", "mmn_key", "spouse_key", "sex"}


def add_derived_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Phonetic keys, first forename, sex guess and place columns, computed over unique values."""
    frame = frame.copy()
    for col in ("born_lo", "born_hi", "died_lo", "died_hi", "year", "quarter", "last_seen"):
        frame[col] = pd.array(frame[col], dtype="Int64")
    frame["first"] = frame["forenames"].str.split(" ", n=1).str[0].fillna("")
    frame["surname_key"] = names.phonetic_series(frame["surname"], "nysiis")
    frame["mmn_key"] = names.phonetic_series(frame["mmn"], "nysiis")
    frame["spouse_key"] = names.phonetic_series(frame["spouse"], "nysiis")
    frame["surname_history"] = frame["surname"]
    frame["sex"] = sex_series(frame["first"])
    located = places.place_columns(frame["place"])
    for col in ("lat", "lon", "county", "district"):
        frame[col] = located[col].to_numpy()
    frame["place"] = located["place"].to_numpy()
    frame["postcode_area"] = frame["postcode"].map(places.postcode_area)
    return frame[[*MENTION_COLUMNS, "lat", "lon", "county", "district", "postcode_area"]]


@lru_cache(maxsize=1)
def _detector() -> Detector:
    return Detector(case_sensitive=False)


@lru_cache(maxsize=100_000)
def guess_sex(forename: str) -> str | None:
    """'F', 'M' or None from a forename, via gender-guesser's British data and nickname groups."""
    for name in [forename, *sorted(names.forename_variants(forename) - {forename})]:
        if len(name) < 2:
            continue
        verdict = _detector().get_gender(name.capitalize(), "great_britain")
        if verdict in ("female", "mostly_female"):
            return "F"
        if verdict in ("male", "mostly_male"):
            return "M"
    return None


def sex_series(first_names: pd.Series) -> pd.Series:
    """Vectorised guess_sex over unique values."""
    uniques = first_names.dropna().unique()
    lookup = {u: guess_sex(u) for u in uniques}
    return first_names.map(lookup)
