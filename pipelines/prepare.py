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
    "subject_name", "others", "sex", "first_seen",
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
    if kind == "directory" and (_int(r.get("first_seen_year")) or _int(r.get("last_seen_year"))):
        # No age band: still an adult on the register when first seen (18 or over).
        first = _int(r.get("first_seen_year")) or _int(r.get("last_seen_year"))
        return dates.Interval(dates.day_number(date(first - 100, 1, 1)), dates.day_number(date(first - 18, 12, 31)))
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


# Which record fields each kind's derivations read: rows of one kind with equal values in these fields
# give equal results, so each derivation runs once per distinct combination, not once per row.
_BIRTH_FIELDS = {
    "birth_index": ("date_of_birth", "year", "month", "quarter"),
    "death_index": ("date_of_birth", "age_at_death", "year", "quarter"),
    "case_records": ("date_of_birth",),
    "company_officers": ("birth_year", "birth_month"),
    "directory": ("age_band", "first_seen_year", "last_seen_year"),
    "marriage_index": ("year",),
}
_DEATH_FIELDS = {"death_index": ("year", "quarter"), "probate": ("date_of_death",)}
_NAME_FIELDS = {"directory": ("full_name",), "company_officers": ("name",)}
_YEAR_FIELDS = {
    "birth_index": ("year",), "marriage_index": ("year",), "death_index": ("year",),
    "directory": ("last_seen_year", "first_seen_year"), "company_officers": ("resigned_on", "appointed_on"),
    "probate": ("grant_date", "date_of_death"), "case_records": ("recorded_on",),
}
_PLAIN_FIELDS = ("district", "town", "postcode", "address", "mother_maiden_surname", "spouse_surname",
                 "relationship_to_subject", "subject_name", "other_occupants", "quarter", "last_seen_year",
                 "first_seen_year")
_FIELDS = tuple(dict.fromkeys([
    *(f for table in (_BIRTH_FIELDS, _DEATH_FIELDS, _NAME_FIELDS, _YEAR_FIELDS) for fs in table.values() for f in fs),
    "forenames", "surname", *_PLAIN_FIELDS,
]))


def _by_kind(kinds: list[str], columns: dict[str, list], fields: dict[str, tuple[str, ...]],
             default_fields: tuple[str, ...] | None, fn: object, missing: object) -> list:
    """`fn(kind, record)` for every row, evaluated once per (kind, distinct values of the fields it reads)."""
    out = [missing] * len(kinds)
    rows_of: dict[str, list[int]] = {}
    for i, kind in enumerate(kinds):
        rows_of.setdefault(kind, []).append(i)
    for kind, rows in rows_of.items():
        used = fields.get(kind, default_fields)
        if used is None:
            continue
        cache: dict[tuple, object] = {}
        for i in rows:
            key = tuple(columns[f][i] for f in used)
            value = cache.get(key, cache)
            if value is cache:
                value = cache[key] = fn(kind, dict(zip(used, key, strict=True)))
            out[i] = value
    return out


def _mapped(values: list, fn: object) -> list:
    """`fn` over distinct values only."""
    lookup = {v: fn(v) for v in dict.fromkeys(values)}
    return [lookup[v] for v in values]


def mentions(records: Iterable[tuple[str, str, str, dict]]) -> pd.DataFrame:
    """A mentions frame from (source, kind, record_id, data) tuples.

    Derivations run once per distinct combination of the fields they read (see _BIRTH_FIELDS etc.),
    so the cost grows with the variety of the records rather than their number.
    """
    sources, kinds, record_ids, datas = [], [], [], []
    for source, kind, record_id, r in records:
        sources.append(source)
        kinds.append(kind)
        record_ids.append(record_id)
        datas.append(r)
    columns = {f: [r.get(f) for r in datas] for f in _FIELDS}
    n = len(kinds)

    names_ = _by_kind(kinds, columns, _NAME_FIELDS, ("forenames", "surname"), _names, ("", ""))
    born = _by_kind(kinds, columns, _BIRTH_FIELDS, None, _birth_interval, None)
    died = _by_kind(kinds, columns, _DEATH_FIELDS, None, _death_interval, None)
    years = _by_kind(kinds, columns, _YEAR_FIELDS, None, _event_year, None)
    district, town = columns["district"], columns["town"]
    data = {
        "source": sources, "kind": kinds, "record_id": record_ids,
        "forenames": [x[0] for x in names_], "surname": [x[1] for x in names_],
        "born_lo": [b.lo if b else None for b in born], "born_hi": [b.hi if b else None for b in born],
        "year": years, "quarter": _mapped(columns["quarter"], _int),
        "place": [d or t or "" for d, t in zip(district, town, strict=True)],
        "postcode": [v or "" for v in columns["postcode"]],
        "address": [v or "" for v in columns["address"]],
        "town": [v or "" for v in town],
        "mmn": _mapped(columns["mother_maiden_surname"], names.normalise_surname),
        "spouse": _mapped(columns["spouse_surname"], names.normalise_surname),
        "died_lo": [d.lo if d else None for d in died], "died_hi": [d.hi if d else None for d in died],
        "last_seen": _mapped(columns["last_seen_year"], _int),
        "first_seen": _mapped(columns["first_seen_year"], _int),
        "relationship_to_subject": _mapped(columns["relationship_to_subject"], lambda v: (v or "").strip().lower()),
        "subject_name": [v or "" for v in columns["subject_name"]],
        "others": [v or "" for v in columns["other_occupants"]],
    }
    columns_out = [c for c in MENTION_COLUMNS if c not in _DERIVED]
    frame = pd.DataFrame(data, columns=columns_out) if n else pd.DataFrame([], columns=columns_out)
    return add_derived_columns(frame)


_DERIVED = {"first", "surname_key", "surname_history", "mmn_key", "spouse_key", "sex"}


def add_derived_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Phonetic keys, first forename, sex guess and place columns, computed over unique values."""
    frame = frame.copy()
    for col in ("born_lo", "born_hi", "died_lo", "died_hi", "year", "quarter", "last_seen", "first_seen"):
        frame[col] = pd.array(frame[col], dtype="Int64")
    frame["first"] = frame["forenames"].str.split(" ", n=1).str[0].fillna("")
    frame["surname_key"] = names.phonetic_series(frame["surname"], "nysiis")
    frame["mmn_key"] = names.phonetic_series(frame["mmn"], "nysiis")
    frame["spouse_key"] = names.phonetic_series(frame["spouse"], "nysiis")
    frame["surname_history"] = frame["surname"]
    frame["sex"] = sex_series(frame["forenames"])
    located = places.place_columns(frame["place"])
    for col in ("lat", "lon", "county", "district"):
        frame[col] = located[col].to_numpy()
    frame["place"] = located["place"].to_numpy()
    frame["postcode_area"] = _map_unique(frame["postcode"], places.postcode_area)
    return frame[[*MENTION_COLUMNS, "lat", "lon", "county", "district", "postcode_area"]]


def _map_unique(series: pd.Series, fn: object) -> pd.Series:
    """`series.map(fn)` computed once per distinct value."""
    lookup = {u: fn(u) for u in dict.fromkeys(series.tolist())}
    return pd.Series([lookup[v] for v in series.tolist()], index=series.index, dtype=object)


@lru_cache(maxsize=1)
def _detector() -> Detector:
    return Detector(case_sensitive=False)


_VERDICT = {"male": 2, "mostly_male": 1, "female": -2, "mostly_female": -1}


@lru_cache(maxsize=100_000)
def _lean(name: str) -> int:
    """How a single forename leans: +2 male, +1 mostly male, -1 mostly female, -2 female, 0 neither.
    British usage first; the international list where the British one cannot say. Where the two lists
    lean opposite ways, neither is trusted (the British list has CAROL mostly male and SKYE male, the
    international one JEAN male): a wrong sex rules out the right record."""
    if len(name) < 2:
        return 0
    british = _VERDICT.get(_detector().get_gender(name.capitalize(), "great_britain"), 0)
    world = _VERDICT.get(_detector().get_gender(name.capitalize()), 0)
    return 0 if british * world < 0 else british or world


@lru_cache(maxsize=100_000)
def guess_sex(forenames: str) -> str | None:
    """'F', 'M' or None from forenames, via gender-guesser's data: every forename votes (KYLE WILLIAM
    is a man however the first name leans), then the first name's diminutives and formal forms."""
    tokens = [t for t in (forenames or "").split(" ") if t]
    vote = sum(_lean(t) for t in tokens)
    if vote == 0 and tokens:
        for name in sorted(names.forename_variants(tokens[0]) - {tokens[0]}):
            vote = _lean(name)
            if vote:
                break
    return "M" if vote > 0 else ("F" if vote < 0 else None)


def sex_series(forenames: pd.Series) -> pd.Series:
    """Vectorised guess_sex over unique values."""
    uniques = forenames.dropna().unique()
    lookup = {u: guess_sex(u) for u in uniques}
    return forenames.map(lookup)
