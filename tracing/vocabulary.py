"""The typed words of the contract: relationships and restriction kinds."""

from __future__ import annotations

FAMILY_RELATIONSHIPS: tuple[str, ...] = (
    "mother",
    "father",
    "maternal_grandmother",
    "maternal_grandfather",
    "paternal_grandmother",
    "paternal_grandfather",
    "sister",
    "brother",
    "half_sister",
    "half_brother",
    "aunt",
    "uncle",
    "cousin",
    "maternal_aunt",
    "maternal_uncle",
    "paternal_aunt",
    "paternal_uncle",
    "maternal_cousin",
    "paternal_cousin",
)
NON_FAMILY_RELATIONSHIPS: tuple[str, ...] = (
    "former_foster_carer",
    "teacher",
    "family_friend",
    "other",
)
RELATIONSHIPS: tuple[str, ...] = FAMILY_RELATIONSHIPS + NON_FAMILY_RELATIONSHIPS
RESTRICTION_KINDS: tuple[str, ...] = ("do_not_contact", "do_not_disclose_location")


def side_of(relationship: str) -> str | None:
    """'maternal', 'paternal', or None for the child's own generation and parents."""
    if relationship.startswith("maternal_") or relationship == "mother":
        return "maternal"
    if relationship.startswith("paternal_") or relationship == "father":
        return "paternal"
    return None


def degree_of(relationship: str) -> int:
    """Degree of kinship to the child: parents and siblings 1, grandparents/aunts/uncles 2, cousins 3."""
    base = relationship.removeprefix("maternal_").removeprefix("paternal_")
    if base in {"mother", "father", "sister", "brother", "half_sister", "half_brother"}:
        return 1
    if base in {"grandmother", "grandfather", "aunt", "uncle"}:
        return 2
    if base == "cousin":
        return 3
    return 0
