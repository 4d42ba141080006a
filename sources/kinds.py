"""The standard record kinds of DESIGN.md contract 1: their columns and how each is typed."""

from __future__ import annotations

KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "birth_index": (
        "record_id", "surname", "forenames", "mother_maiden_surname", "district",
        "year", "quarter", "month", "date_of_birth",
    ),
    "marriage_index": ("record_id", "surname", "forenames", "spouse_surname", "district", "year", "quarter"),
    "death_index": (
        "record_id", "surname", "forenames", "date_of_birth", "age_at_death", "district", "year", "quarter",
    ),
    "directory": (
        "record_id", "full_name", "address", "town", "postcode", "first_seen_year", "last_seen_year",
        "age_band", "other_occupants",
    ),
    "company_officers": (
        "record_id", "name", "birth_month", "birth_year", "address", "town", "postcode",
        "appointed_on", "resigned_on", "occupation",
    ),
    "probate": ("record_id", "surname", "forenames", "date_of_death", "address", "town", "postcode", "grant_date"),
    "case_records": (
        "record_id", "surname", "forenames", "date_of_birth", "relationship_to_subject", "subject_name",
        "address", "town", "postcode", "recorded_on",
    ),
}
KINDS: tuple[str, ...] = tuple(KIND_COLUMNS)

DATE_COLUMNS = frozenset(
    {"date_of_birth", "date_of_death", "grant_date", "appointed_on", "resigned_on", "recorded_on"}
)
# Integer columns and their allowed ranges: a value outside is a typo we refuse, not guess.
INT_COLUMNS: dict[str, tuple[int, int]] = {
    "year": (1837, 2100),
    "quarter": (1, 4),
    "month": (1, 12),
    "birth_month": (1, 12),
    "birth_year": (1880, 2100),
    "first_seen_year": (1900, 2100),
    "last_seen_year": (1900, 2100),
    "age_at_death": (0, 125),
}
# Columns that carry an address: never sent out, never shown before verification.
ADDRESS_COLUMNS = frozenset({"address", "postcode"})
