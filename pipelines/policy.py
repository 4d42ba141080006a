"""Safeguarding policy: do-not-contact people and places that must never be disclosed.

Blocking is deliberately conservative: a candidate who may be a do-not-contact person is blocked
(a coordinator can still see why); a wrong unblock could send danger to a child.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from matchers import names

UNIQUE_RELATIONSHIPS = frozenset(
    {"mother", "father", "maternal_grandmother", "maternal_grandfather", "paternal_grandmother",
     "paternal_grandfather"}
)


_ABBREVIATIONS = {"ST": "STREET", "RD": "ROAD", "AVE": "AVENUE", "AV": "AVENUE", "LN": "LANE", "CL": "CLOSE",
                  "CRES": "CRESCENT", "DR": "DRIVE", "GDNS": "GARDENS", "PL": "PLACE", "SQ": "SQUARE",
                  "TER": "TERRACE", "TERR": "TERRACE", "CT": "COURT", "GRN": "GREEN", "PK": "PARK"}
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b")


def normalise_address(text: str) -> str:
    """Upper-case words and digits, abbreviations expanded, single-spaced: for comparing, never showing."""
    words = re.findall(r"[A-Z0-9]+", (text or "").upper())
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def _postcode(text: str) -> str:
    found = _POSTCODE.search((text or "").upper())
    return found.group(1) + found.group(2) if found else ""


def _house(first_line: str) -> str:
    found = re.match(r"(?:FLAT \w+ )?(\d+\w?)", first_line)
    return found.group(1) if found else ""


@dataclass(frozen=True)
class Restrictions:
    """A case's restrictions in the form the pipelines need."""

    do_not_contact: Mapping[str, tuple[str, str, tuple[str, ...]]]  # seed key -> (relationship, forenames, surnames)
    undisclosable: tuple[str, ...]  # normalised addresses
    # seed key -> other (forenames, surnames) the do-not-contact person is known by: the names of the
    # traced people linked to them (a father remembered only as "Darren" is DARREN RYAN TAYLOR).
    also_known_as: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    # seed key -> (sex, born from, born to) as far as known (day numbers, None when not known): a person
    # remembered without forenames ("a TREGEAR, about 55") may be anyone of that surname, sex and age.
    described: Mapping[str, tuple[str | None, int | None, int | None]] = field(default_factory=dict)

    def knowing(self, names_of: Mapping[str, Iterable[tuple[str, Iterable[str]]]]) -> Restrictions:
        """These restrictions, with more names each do-not-contact person is known by."""
        aka = {key: tuple(dict.fromkeys([*self.also_known_as.get(key, ()),
                                         *((f, tuple(s)) for f, s in names_of.get(key, ()))]))
               for key in self.do_not_contact}
        return replace(self, also_known_as=aka)

    def _may_be(self, key: str, sex: str | None, born: tuple[int, int] | None) -> bool:
        """Whether a candidate of this sex and birth interval can be the described person (anything
        not known on either side allows it)."""
        their_sex, lo, hi = self.described.get(key, (None, None, None))
        if sex and their_sex and sex != their_sex:
            return False
        if born is None:
            return True
        return (lo is None or born[1] >= lo) and (hi is None or born[0] <= hi)

    def place_is_undisclosable(self, address: str, town: str = "", postcode: str = "") -> bool:
        """True when a record's address is a place that must never be disclosed.

        The same postcode and house number, or the same first line in the same town or postcode.
        """
        if not self.undisclosable or not (address or postcode):
            return False
        first_line = normalise_address(address)
        pc = _postcode(postcode) or _postcode(address)
        for place in self.undisclosable:
            place_pc = _postcode(place)
            if pc and place_pc and pc == place_pc:
                house = _house(first_line)
                if not house or house == _house(place) or first_line in place:
                    return True
            elif first_line and first_line in place and normalise_address(town) in place:
                return True
        return False

    def block_reasons(self, relationship: str, seed_person: str | None, forenames: str,
                      surnames: Iterable[str], sex: str | None = None,
                      born: tuple[int, int] | None = None) -> list[str]:
        """Why a candidate must be blocked (empty when contact is not forbidden). `sex` and `born` (day
        numbers from, to) are the candidate's where known."""
        reasons = []
        surnames = set(surnames)
        for key, (rel, dnc_forenames, dnc_surnames) in self.do_not_contact.items():
            if seed_person == key:
                reasons.append(f"do-not-contact restriction on seed person {key}")
                continue
            if rel == relationship and rel in UNIQUE_RELATIONSHIPS:
                reasons.append(f"may be do-not-contact person {key} (same relationship: {rel})")
                continue
            # By name: any forename they are known by with any surname they are known by (a remembered
            # first name with no surname takes the surnames of the person traced for them).
            known = [(dnc_forenames, tuple(dnc_surnames)), *self.also_known_as.get(key, ())]
            theirs = {t for f, _ in known if f for t in f.split(" ") if len(t) > 1}
            all_surnames = {x for _, ss in known for x in ss}
            # Any forename either is known by (people go by a middle name); no surname known at all:
            # the forename alone blocks.
            mine = {t for t in (forenames or "").split(" ") if len(t) > 1}
            same_surname = bool(surnames & all_surnames) or not all_surnames
            if same_surname and any(a == b or names.are_nicknames(a, b) for a in theirs for b in mine):
                reasons.append(f"may be do-not-contact person {key} (same name)")
            elif not dnc_forenames and surnames & all_surnames and self._may_be(key, sex, born):
                # Nobody remembers their forenames (those of the person traced for them are a guess):
                # whoever has their surname, sex and age may be them (a nameless father traced as an
                # uncle).
                reasons.append(f"may be do-not-contact person {key} (no forename known: same surname, "
                               "sex and age)")
        return reasons
