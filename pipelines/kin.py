"""Kinship tracing: from the child and the seed facts to a family network through record chains.

The chains (each link scored by pipelines.link, each inference a typed edge with evidence):
child's birth entry -> mother's maiden surname -> parents' marriage -> mother's and father's
birth entries -> their parents' marriage -> grandparents; births sharing a surname and mother's
maiden surname -> siblings, aunts and uncles; aunts' and uncles' marriages -> cousins. Each found
person then gathers their marriages (surname history), deaths, probate, directory spells,
company appointments and case records, every record going to at most one person.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from matchers import dates, names, places
from matchers.comparison import ocr_canonical, ocr_collapses, ocr_misreadings
from pipelines.link import TF_TYPICAL, BlockingIndex, LinkModel, default_model, explain, forename_frequencies, link_many
from pipelines.prepare import guess_sex

YEAR = 365.25
ATTACHED_KINDS = ("death_index", "probate", "directory", "company_officers", "case_records")
# Records that give an address; one fitting two traced people within this many bits goes to neither.
ADDRESS_KINDS = frozenset({"directory", "company_officers"})
AMBIGUOUS_BITS = 1.0
# P(a person has at least one record of this kind): part of the prior of each link.
HAS_RECORD = {
    "birth_index": 0.95,
    "marriage_index": 0.6,
    "death_index": 0.2,
    "probate": 0.08,
    "directory": 0.8,
    "company_officers": 0.1,
    "case_records": 0.3,
}
# Records a person who has any of a kind has on average (directory spells at successive addresses):
# a record in a block is theirs with P = has * count / block size.
RECORDS_EACH = {"directory": 3.0, "company_officers": 1.5, "case_records": 1.5}
# Name frequencies are shrunk toward TYPICAL_NAME_FREQ as if PRIOR_WEIGHT births had been seen.
PRIOR_WEIGHT = 1000.0
TYPICAL_NAME_FREQ = 1e-4
TYPICAL_SAME_NAME = 0.1  # share of births registered under the mother's own surname
OWN_NAME_SHARE = 0.3  # share of a couple's children registered under the mother's own surname
EXPECTED_CHILDREN = 2.5  # a couple's children in the window, for the sibling prior
MAX_CHILDREN = 8.0  # no sibship is read as holding more of one couple's children than this
# How many look-alikes' worth of weight the count expected from the names' frequencies keeps against
# the births of those names seen far from the family (the gamma prior of the look-alikes expected).
LOOKALIKE_PRIOR_SHAPE = 2.0
# Forename levels strong enough to follow a chain (marriages) or to attach a record.
STRONG_FORENAMES = frozenset({"exact", "first_name_exact", "nickname"})
ATTACH_FORENAMES = STRONG_FORENAMES | {"other_forename", "initials", "jaro_winkler>=0.92"}
# Records made at death register the full names a birth did: with the birth entry known, their first
# forename must agree with it (or be a slip of it).
REGISTERED_KINDS = frozenset({"death_index", "probate"})
REGISTERED_FORENAMES = STRONG_FORENAMES | {"jaro_winkler>=0.92"}
# Few men die under a surname other than the ones they are known by: a death found by forenames and
# date of birth alone under an unrelated surname (not a misspelling of theirs) is that much less likely
# a man's than a married woman's.
MAN_RENAMED_AT_DEATH = 0.1
# A marriage may be followed with a slip in either entry's first forename (KIRAN for KIERAN).
MARRIAGE_FORENAMES = STRONG_FORENAMES | {"jaro_winkler>=0.92"}
OTHER_FORENAME = frozenset({"other_forename"})
# A marriage entry is not taken for someone when namesakes born nearer where it was registered could
# claim more than three quarters of it (`Tracer._wed_share`): on the development worlds (1000 families)
# 60 of the 73 marriages taken below this share were a namesake's.
WED_SHARE_MIN = 0.25
# A woman's marriage under the surname an earlier marriage gave her against her daughter's of her name
# born under it: a second marriage is rarer than a first (`Tracer._wed_share`).
REMARRIED = 0.3
# A directory entry listing a traced person's partner (the other parent or grandparent) as living with
# them: about 16 times likelier theirs than a namesake's (SANDRA M HUGHES at ANTHONY HUGHES's address).
WITH_PARTNER_BITS = 4.0
PARTNER_ROLE = {"mother": "father", "father": "mother",
                "maternal_grandmother": "maternal_grandfather", "maternal_grandfather": "maternal_grandmother",
                "paternal_grandmother": "paternal_grandfather", "paternal_grandfather": "paternal_grandmother"}
UNIQUE_ROLES = frozenset({"mother", "father", "maternal_grandmother", "maternal_grandfather",
                          "paternal_grandmother", "paternal_grandfather"})
NONE_OF_THESE = 3.0  # weight of "none of these births is hers" against the near families
NAMED_ROUTES = frozenset({"couple", "married_name", "wife"})  # a couple the marriage index names
UNNAMED_ROUTES = frozenset({"unnamed_partner", "unnamed_father"})  # a partner no record names
FLOOR = 0.03  # below this belief a traced relative is not kept (nor claims records)
ATTACH_FLOOR = 0.08  # below this belief a traced person's other records are not looked for
ATTACH_MOST = 60  # nor beyond the likeliest this many (a queue shows 50)
FOLLOW_MOST = 6  # aunts and uncles whose own families are followed, likeliest first
ACCEPT = 0.5  # a record joins a person when the link probability reaches this
# A directory spell is looked at for where someone lived and with whom at a lower probability: a person
# with a common name has several spells that each fall short on their own.
LOOK_ACCEPT = 0.25
# How much of a chain's belief survives each further step of inference.
STEP_DECAY = 0.92
# Records whose birth dates are further apart than this (years) are not compared: only the lowest
# birth-date level (beyond 6 years) could come of it.
DATE_SLACK = 10
# A seed's date of birth known to within this many days finds a parent whose forenames nobody remembers.
DATED_DAYS = 31
MAX_LOG_ODDS = 30.0  # log2 odds of a link beyond which nothing more is told apart
# How much likelier a birth's place is for a family's child than for a look-alike's: born in a district
# where the family lived, within 15 km, within 80 km, further (siblings are mostly born in one district;
# look-alike families are spread over the country).
PLACE_LR = {"same_district": 8.0, "near": 1.5, "region": 0.7, "far": 0.15}
# The same for a couple's marriage against where their child was born (couples marry where the bride
# lived and may settle elsewhere).
# A marriage far from the child's birth, followed by births of these names where they married.
ELSEWHERE_LR = 0.25
# A namesake birth entry whose person's death was registered where the family remembers them living
# (in that district, or within 15 km): about half of those who die do so where they last lived, a
# namesake elsewhere in one district of fifty or more.
DIED_THERE_LR = {"same_district": 20.0, "near": 5.0}
# The same death entry giving the date of birth the family or the authority holds for them exactly (of
# about 90 days in the entry's quarter: 0.9 of true pairs against 1 in 90), or with day and month
# swapped (a case record's 1945-03-07 for 3 July: some 6% of such dates, against 1 in 90).
DIED_BORN_LR = {"same": 80.0, "swapped": 5.0}
# Records that say when they were made (a directory spell's first year), and the chance that a woman
# whose family knows her by her married surname is recorded under her birth surname after the marriage.
DATED_KINDS = frozenset({"directory", "company_officers", "case_records"})
MAIDEN_AFTER_MARRIAGE = 0.25
# A namesake birth entry whose person's death was registered under a later (married) surname of theirs,
# giving a date of birth in the entry's quarter: against the women born under that surname with her first
# forename then, the death's other possible owners.
DIED_MARRIED_LR = 8.0
# Of the dead, the share whose death was registered within DIED_SOON_YEARS of their last record giving
# an address, near that address (records stop when a life does).
DIED_SOON_YEARS, DIED_WHERE_LAST_SEEN = 3, 0.5
BORN_WHERE_LIVED_LR = {"same_district": 6.0, "near": 2.0, "region": 1.0, "far": 0.5}
MARRIAGE_PLACE_LR = {"same_district": 8.0, "near": 1.5, "region": 0.8, "far": 0.3}
# Share of index entries whose surname is mistyped or spelt as a variant (HUTNER, SMYTH for SMITH).
SPELLING_SLIP = 0.05
SLIP_FORMS = 10  # the forms a misspelling of one name mostly takes
# The family's memory as evidence for a birth entry: the mother's maiden surname the seed gives (at most
# FAMILY_LR_CAP, however rare the name), or former surnames none of which fit; a remembered parent's or
# brother's forename found in the family's other entries.
FAMILY_LR_CAP = 100.0
FAMILY_MISMATCH = 0.2
FAMILY_FORENAME_LR = 8.0
FORENAME_DISAGREES = 0.5
# A birth entry without the middle name a marriage registered for the person: names are seldom gained
# between the two (as a marriage is not taken for a birth entry that lacks one, `_names_as_born`).
NAME_GAINED = 0.1
# That brother's or sister's entry born when the family remember them born (a date known to about a year,
# a year more either way): a family's children are spread over twenty years or so, a namesake's seldom
# within those three.
SIBLING_BORN_LR = 4.0
# A remembered forename that cannot be a pet name of any of a bride's (no letters of theirs in common:
# KELLY for JOANNA) says she is another woman.
FORENAME_OTHER_NAME = 0.05
# A parent's age when their child was born (years, upper bounds) and how likely it is against the common
# ages: fathers mostly 20 to 40, mothers 18 to 38 (ONS births by age of parents), few beyond 50 or 45.
# A namesake entry that would make a father 63 at the birth is seldom his.
PARENT_AGE_LR = {
    "M": ((15.5, 0.01), (19.5, 0.4), (40.5, 1.0), (45.5, 0.5), (50.5, 0.2), (55.5, 0.08), (999.0, 0.03)),
    "F": ((14.5, 0.01), (17.5, 0.4), (38.5, 1.0), (42.5, 0.4), (45.5, 0.1), (999.0, 0.02)),
}
# Of births outside marriage, the share registered under the mother's surname rather than the father's.
UNMARRIED_OWN_NAME = 0.5
# Share of births within marriage by year of birth (England and Wales, rounded): parents of a child born
# then were married to each other about this often.
MARRIED_SHARE = ((1970, 0.92), (1980, 0.88), (1990, 0.72), (2000, 0.6), (2010, 0.53), (9999, 0.5))
# Deaths looked for by forenames and date of birth alone need a birth known to the quarter; a second
# forename agreeing as well is shared by chance this often.
SHARP_BIRTH_DAYS = 140
# A first forename given by this many birth entries is a name in use, not a slip of one.
COMMON_FORENAME = 5
MIDDLE_NAME_CHANCE = 0.05
# A child under the husband's surname born more than a year before the marriage: how much likelier for
# another couple of those names.
BEFORE_MARRIAGE_LR = 0.3
# A birth fits a couple and the child is listed living with the parent: the doubt that remains.
HOUSEHOLD_DOUBT = 0.25
# A birth weakly read as one of the family's children, listed in the directory at one address with a
# brother or sister (another proposed child of the same mother) more strongly read: this share of the
# stronger one's belief (a step-sibling or a lodger of the same mother's maiden surname is rare).
LISTED_WITH_SIBLING = 0.85
# A birth believed at least this much is weighed against others of the same mother too close to it (see
# Tracer._spaced).
SPACING_ANCHOR = 0.3
# Most children still live with their mother at eighteen, when the directory first lists them: a child
# of hers not among those listed with her that year (her entry for it known) is likelier another's.
NOT_HOME_AT_18_LR = 0.4


@dataclass(frozen=True)
class SeedFacts:
    """A seed person (or the child) as the pipelines see them: no database, no restrictions text."""

    key: str
    relationship: str
    forenames: str = ""
    surnames: tuple[str, ...] = ()
    born: dates.Interval | None = None
    places: tuple[str, ...] = ()
    sex: str | None = None
    # `born` came only from a remembered age ("about 53"): the age when they were last known, which
    # for someone who has died is their age at death, so they may be much older now.
    remembered_age: int | None = None


@dataclass(frozen=True)
class CaseFacts:
    """What tracing needs of a case: the child, the seed people and who must not be contacted."""

    reference: str
    child: SeedFacts
    people: tuple[SeedFacts, ...] = ()
    do_not_contact: frozenset[str] = frozenset()


class Address(NamedTuple):
    """A record linked to a person that gives an address."""

    year: int  # the last year it shows them there
    source: str
    record_id: str
    address: str
    town: str
    postcode: str
    since: int  # the first (a directory spell's first sighting, else `year`)
    weight: float  # how strongly the record was linked to them (log2 odds)


@dataclass
class Found:
    """A person traced from records: one future candidate."""

    relationship: str
    forenames: str
    surnames: list[str]
    prob: float
    born: dates.Interval | None = None
    sex: str | None = None
    mmn: str = ""
    birth_row: int | None = None
    seed_person: str | None = None
    records: dict[tuple[str, str], float] = field(default_factory=dict)
    rows: dict[str, list[int]] = field(default_factory=dict)
    evidence: list[dict[str, object]] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    blocked: bool = False
    block_reasons: list[str] = field(default_factory=list)
    # How the person was reached (a named couple, a partner the directory shows, a partner nobody named)
    # and the belief of that last step alone: features of the candidate scorer (pipelines.enqueue).
    route: str = "anchor"
    step: float = 1.0
    at_home: bool = False
    notes: dict[str, float] = field(default_factory=dict)  # how near, how rare, how large a sibship
    deceased: bool = False
    # Records linked to them that give an address.
    addresses: list[Address] = field(default_factory=list)

    @property
    def birth_surname(self) -> str:
        return self.surnames[0] if self.surnames else ""

    record_kinds: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def identity(self) -> str:
        """Stable across runs: the anchoring record (birth entry first)."""
        if not self.records:
            return f"seed:{self.seed_person}:{self.relationship}"
        best = min(self.records, key=lambda k: (KIND_ORDER.index(self.record_kinds[k]), k))
        return f"{best[0]}:{best[1]}"


@dataclass
class ChildProposal:
    """A birth entry proposed as someone's child, before it is given to its strongest reading."""

    belief: float
    row: int
    p: float
    relationship: str
    mother_maiden: str
    at_home: bool
    route: str
    notes: dict[str, float] = field(default_factory=dict)
    listed_with: str = ""  # the brother or sister the directory lists them with (see _listed_with_siblings)


# Indexes that give forenames as registered, in full (or with a middle initial).
REGISTERED_NAME_KINDS = ("birth_index", "marriage_index", "death_index", "probate")
KIND_ORDER = ("birth_index", "marriage_index", "death_index", "case_records", "company_officers",
              "directory", "probate")


def _interval(lo: object, hi: object) -> dates.Interval | None:
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return None
    return dates.Interval(int(lo), int(hi))


def _shift(interval: dates.Interval | None, years_lo: float, years_hi: float) -> dates.Interval | None:
    """The interval moved by a span of years (e.g. a mother is born 14-50 years before her child)."""
    if interval is None:
        return None
    return dates.Interval(int(interval.lo - years_hi * YEAR), int(interval.hi - years_lo * YEAR))


def _intersect(a: dates.Interval | None, b: dates.Interval | None) -> dates.Interval | None:
    if a is None:
        return b
    if b is None:
        return a
    lo, hi = max(a.lo, b.lo), min(a.hi, b.hi)
    return dates.Interval(lo, hi) if lo <= hi else a


def _as_registered(entry: dates.Interval | None, known: dates.Interval | None) -> dates.Interval | None:
    """When someone was born once their birth entry is found: a date known exactly within the entry's
    span, else the entry's span. A year or an age remembered does not narrow it: the family who remember
    DAVID JONES born in 1953 do not make his entry of the March quarter of 1954 a late-1953 birth (his
    death, giving 1954-03-25, would no longer fit)."""
    if entry is None:
        return known
    if known is not None and known.lo == known.hi and entry.lo <= known.lo <= entry.hi:
        return known
    return entry


AGE_SLACK = 0.07  # years of doubt in a remembered age, per year of age
# A remembered age that makes someone a parent only in the first years a parent can be (14 to 19 for
# a mother) is taken as stale: the age when they were last known, or at their death.
STALE_AGE_EDGE = 5


def _seed_born(seed: SeedFacts | None, generation: dates.Interval | None) -> dates.Interval | None:
    """When a seed person was born, from what the family says and what their place in the family allows
    (`generation`: e.g. 15 to 65 years before their child). A remembered age the generation rules out
    is an age when last known (at death, say: a grandfather "about 53" who died twenty years ago), and
    gives way to the generation; a stated birth date or year stands."""
    said = seed.born if seed else None
    if said is None or generation is None:
        return said or generation
    lo, hi = max(said.lo, generation.lo), min(said.hi, generation.hi)
    if seed.remembered_age is not None and lo > generation.hi - STALE_AGE_EDGE * YEAR:
        # Only the youngest a parent can be fits the age: they are older than remembered.
        return dates.Interval(generation.lo, max(min(said.hi, generation.hi), generation.lo))
    if lo <= hi:
        return dates.Interval(lo, hi)
    return said


def _year(day: int | None) -> int | None:
    return None if day is None else dates.from_day_number(int(day)).year


class RecordIndex:
    """What a search reads of the records, built once per mentions frame and shared by every search
    over it: frames per kind, blocking indexes, name frequencies (nothing here is changed by a search)."""

    _cache: dict[int, tuple[weakref.ref, RecordIndex]] = {}

    def __init__(self, mentions: pd.DataFrame | list[pd.DataFrame]) -> None:
        """From one mentions frame, or from parts (e.g. one per record file) so no second copy is made."""
        self.frames: dict[str, pd.DataFrame] = {}
        self.by_surname: dict[str, BlockingIndex] = {}
        parts = mentions if isinstance(mentions, list) else [mentions]
        by_kind: dict[str, list[pd.DataFrame]] = {}
        for part in parts:
            kinds = part["kind"].unique()
            if len(kinds) == 1:  # a record file holds one kind: use it as it is, no copy
                by_kind.setdefault(str(kinds[0]), []).append(part)
                continue
            for kind, frame in part.groupby("kind", sort=False):
                by_kind.setdefault(str(kind), []).append(frame)
        for kind, frames in by_kind.items():
            frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
            if not frame.index.equals(pd.RangeIndex(len(frame))):
                frame = frame.reset_index(drop=True)
            self.frames[kind] = frame
            self.by_surname[kind] = BlockingIndex(frame, "surname_key", "surname")
        births = self.frames.get("birth_index")
        self.by_mmn = BlockingIndex(births, "mmn_key", "mmn") if births is not None else None
        has_births = births is not None and len(births) > 0
        # Name frequencies shrunk toward a typical surname's (a few records say little about how common a
        # name is: four HUNTERs among twelve births do not make it England's commonest name).
        n = len(births) if has_births else 0
        self.unseen_freq = PRIOR_WEIGHT * TYPICAL_NAME_FREQ / (n + PRIOR_WEIGHT)
        self.one_record = 1.0 / (n + PRIOR_WEIGHT)  # what one entry adds to a name's frequency
        self.surname_freq = _shrunk(births["surname"], n) if has_births else {}
        self.mmn_freq = _shrunk(births["mmn"], n) if has_births else {}
        same = int((births["surname"] == births["mmn"]).sum()) if has_births else 0
        self.same_name_share = (same + PRIOR_WEIGHT * TYPICAL_SAME_NAME) / (n + PRIOR_WEIGHT)
        self.place_cache: dict[str, dict[str, object]] = {}
        # Birth intervals per kind as float arrays (NaN unknown), for the date prefilter of searches.
        self.born = {kind: (f["born_lo"].to_numpy(dtype=float), f["born_hi"].to_numpy(dtype=float))
                     for kind, f in self.frames.items()}
        self._columns: dict[tuple[str, str], np.ndarray] = {}
        self._common_firsts: dict[str, int] | None = None
        self._first_years: dict[str, float] = {}
        self._listing = self._occupant_listing(self.frames.get("directory"))

    def column(self, kind: str, name: str) -> np.ndarray:
        """One column of a kind's records as an array (numbers as floats, NaN unknown), built once: for
        filtering large blocks by position without slicing the whole frame."""
        key = (kind, name)
        if key not in self._columns:
            values = self.frames[kind][name]
            numeric = pd.api.types.is_numeric_dtype(values.dtype)
            self._columns[key] = (values.to_numpy(dtype=float, na_value=np.nan) if numeric
                                  else values.fillna("").to_numpy(dtype=object))
        return self._columns[key]

    def first_year(self, kind: str) -> float:
        """The earliest year a kind's records first see anyone (where its coverage begins; NaN when
        none say), built once."""
        if kind not in self._first_years:
            self._first_years[kind] = float(np.nanmin(self.column(kind, "first_seen").astype(float)))
        return self._first_years[kind]

    def common_firsts(self) -> dict[str, int]:
        """First forenames given by at least COMMON_FORENAME birth entries, with their counts (built once)."""
        if self._common_firsts is None:
            births = self.frames.get("birth_index")
            counts = births["first"].value_counts() if births is not None else pd.Series(dtype=int)
            self._common_firsts = {str(k): int(v) for k, v in counts[counts >= COMMON_FORENAME].items() if k}
        return self._common_firsts

    def listing(self, first: str, surname: str) -> np.ndarray:
        """Directory rows that list, among the other occupants, someone of this first forename whose
        surname sounds like this one."""
        return self._listing.get(f"{first}|{names.phonetic(surname, 'nysiis')}", np.zeros(0, dtype=int))

    @staticmethod
    def _occupant_listing(frame: pd.DataFrame | None) -> dict[str, np.ndarray]:
        """Directory rows by the first forename and surname sound of each other occupant they list
        (a plain loop: faster than pandas string methods on a million records)."""
        if frame is None or not len(frame):
            return {}
        rows, firsts, lasts = [], [], []
        for row, text in enumerate(frame["others"].fillna("").tolist()):
            if not text:
                continue
            for occupant in text.split(";"):
                words = occupant.split()
                if len(words) >= 2:
                    rows.append(row)
                    firsts.append(words[0])
                    lasts.append(words[-1])
        if not rows:
            return {}
        first_of = {x: names.normalise_forenames(x) for x in set(firsts)}
        key_of = {x: names.phonetic(names.normalise_surname(x), "nysiis") for x in set(lasts)}
        keys = [f"{first_of[f]}|{key_of[last]}" for f, last in zip(firsts, lasts, strict=True)]
        positions = np.asarray(rows, dtype=int)
        return {k: np.unique(positions[at]) for k, at in pd.Series(positions).groupby(keys).indices.items()}

    @classmethod
    def of(cls, mentions: pd.DataFrame) -> RecordIndex:
        """The shared index of this frame (built on first use; dropped with the frame)."""
        key = id(mentions)
        held = cls._cache.get(key)
        if held is not None and held[0]() is mentions:
            return held[1]
        shared = cls(mentions)
        cls._cache[key] = (weakref.ref(mentions), shared)
        weakref.finalize(mentions, cls._cache.pop, key, None)
        return shared


class Tracer:
    """Follows record chains over a mentions frame (see pipelines.prepare)."""

    def __init__(self, records: pd.DataFrame | RecordIndex, model: LinkModel | None = None, budget: int = 150) -> None:
        self.model = model or default_model()
        self.budget = budget
        shared = records if isinstance(records, RecordIndex) else RecordIndex.of(records)
        self.frames, self.by_surname, self.by_mmn = shared.frames, shared.by_surname, shared.by_mmn
        self._surname_freq, self._mmn_freq = shared.surname_freq, shared.mmn_freq
        self._same_name_share = shared.same_name_share
        self._unseen_freq = shared.unseen_freq
        self._one_record = shared.one_record
        self._place_cache = shared.place_cache
        self._born = shared.born
        self._column = shared.column
        self._common_firsts = shared.common_firsts
        self._first_year = shared.first_year
        self._listing = shared.listing
        self.claimed: dict[str, set[int]] = {k: set() for k in self.frames}
        self.found: list[Found] = []
        self._to_match: list[SeedFacts] = []  # the case's seed people and case-record relatives
        self._matched_seeds: set[str] = set()  # keys of those matched to a traced person
        self._seeds_by_key: dict[str, SeedFacts] = {}
        self._child: SeedFacts | None = None
        self._full_siblings: list[SeedFacts] = []
        self._siblings_surname: str | None = None  # the father's, by the full siblings remembered
        self._directory_looks: dict[tuple, list[int]] = {}
        self._unique_names: dict[tuple, bool] = {}
        self._corrections: dict[str, str | None] = {}
        self._couples: dict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = {}
        self._blocks: dict[tuple, np.ndarray] = {}  # (kind, surnames) -> positions (_block)
        self._notes: dict[int, dict[str, float]] = {}  # per birth row, from the last children_of* call
        self._under_later: dict[tuple, np.ndarray] = {}  # (kind, later surnames) -> positions (_died_married)
        self._deaths_near: dict[str, float] = {}  # town -> share of all deaths registered within 15 km
        self._death_dobs: tuple[np.ndarray, np.ndarray] | None = None  # exact dates of birth, sorted; rows

    # ---- small helpers -------------------------------------------------------------------------
    def _forenames_in(self, scored: pd.DataFrame, allowed: frozenset[str]) -> pd.Series:
        """Rows whose forenames level is one of `allowed` (by name, so level order may change)."""
        ok = np.array([name in allowed for name in self.model.comparisons[0].level_names()], dtype=bool)
        lv = scored["lv_forenames"].to_numpy(dtype=int)
        return pd.Series((lv >= 0) & ok[np.clip(lv, 0, None)], index=scored.index)

    def _wed_as(self, scored: pd.DataFrame, forenames: str) -> pd.Series:
        """Marriage entries whose forenames may be those of someone known as `forenames`: a strong
        level or a slip of the first forename, also when the middle names agreeing make the level
        "other forename" (MIHCELLE VICTORIA for MICHELLE VICTORIA)."""
        ok = self._forenames_in(scored, MARRIAGE_FORENAMES)
        other = self._forenames_in(scored, OTHER_FORENAME) & ~ok
        if other.any():
            first = forenames.split(" ")[0]
            registered = self._column("marriage_index", "forenames")
            slips = [_spelling_slip(first, registered[int(r)].split(" ")[0]) for r in scored.loc[other, "row"]]
            ok[other] = slips
        return ok

    def _place(self, name: str) -> dict[str, object]:
        if name not in self._place_cache:
            located = places.place_columns(pd.Series([name]))
            self._place_cache[name] = {c: located[c].iloc[0] for c in located.columns}
        return self._place_cache[name]

    def _corrected(self, surname: str) -> str | None:
        """The common surname a rare one is probably a slip of (PILLIPS, seen once, for PHILLIPS): searches
        look under both, so a person known only from a misspelt entry still finds their other records."""
        if surname in self._corrections:
            return self._corrections[surname]
        best = None
        births = self.frames.get("birth_index")
        seen_once = self._surname_freq.get(surname, self._unseen_freq) <= self._unseen_freq + 1.5 * self._one_record
        if births is not None and surname and seen_once:
            block = self._column("birth_index", "surname")[self._block("birth_index", [surname])]
            counts = pd.Series(block).value_counts()
            counts = counts[[x != surname and similar_surnames(x, surname) for x in counts.index]]
            if len(counts) and counts.iloc[0] >= 3:
                best = str(counts.index[0])
        self._corrections[surname] = best
        return best

    def _and_corrections(self, surnames: list[str]) -> list[str]:
        """The surnames, then the common name each rare one is probably a slip of (`_corrected`)."""
        return surnames + [c for c in (self._corrected(s) for s in surnames) if c and c not in surnames]

    def _one_surname(self, a: str, b: str) -> bool:
        """Two spellings of one surname: alike (by sound or one edit), or both slips of one common name
        (JOHBSON and JOHNAON, for JOHNSON)."""
        return any(similar_surnames(x, y) for x in {a, self._corrected(a)} - {None}
                   for y in {b, self._corrected(b)} - {None})

    def _query(self, forenames: str, surnames: Iterable[str], born: dates.Interval | None, place: str = "",
               surname: str | None = None, remembered: bool = False) -> dict[str, object]:
        """What a person is looked for by. `remembered`: the forenames are as a family or a directory gives
        them, not as registered (a missing middle name is not evidence)."""
        # A misspelt surname's likely spelling counts as a name they had.
        surnames = self._and_corrections([s for s in dict.fromkeys(surnames) if s])
        q: dict[str, object] = {
            "forenames": forenames or "",
            "forenames_remembered": remembered,
            "surname": surname if surname is not None else (surnames[0] if surnames else ""),
            "surname_history": "|".join(surnames),
            "born_lo": born.lo if born else None,
            "born_hi": born.hi if born else None,
            "postcode_area": "",
        }
        q.update({k: v for k, v in self._place(place).items() if k != "postcode_area"} if place else
                 {"place": "", "lat": None, "lon": None, "county": "", "district": ""})
        return q

    def _keys(self, surnames: Iterable[str]) -> list[str]:
        return [names.phonetic(s, "nysiis") for s in surnames if s]

    def _best(self, kind: str, query: dict[str, object], surnames: Iterable[str], exclude_claimed: bool = True,
              mask=None, prior_scale: float = 1.0) -> pd.DataFrame:  # noqa: ANN001
        """Scored records of a kind for a person we are looking for, best first."""
        return self._best_many(kind, [(query, surnames, mask)], exclude_claimed, prior_scale)[0]

    def _best_many(self, kind: str, looks: list[tuple[dict[str, object], Iterable[str], object]],
                   exclude_claimed: bool = True, prior_scale: float = 1.0) -> list[pd.DataFrame]:
        """`_best` for several people at once, (query, surnames, mask) each: one comparison pass."""
        frame = self.frames.get(kind)
        if frame is None:
            return [pd.DataFrame() for _ in looks]
        queries, blocks, priors, which = [], [], [], []
        for i, (query, surnames, mask) in enumerate(looks):
            positions, sizes = self._block_sized(kind, surnames)
            keep = np.ones(len(positions), dtype=bool)
            if exclude_claimed and self.claimed[kind]:
                keep &= ~np.isin(positions, list(self.claimed[kind]))
            if mask is not None and len(positions):
                keep &= mask(positions)
            positions, sizes = positions[keep], sizes[keep]
            # Each record shares the prior with the others under its own surname (a married woman's
            # records under a rare married name are not diluted by a common maiden name's block).
            sizes = np.minimum(sizes, len(positions))
            if len(positions) and query.get("born_lo") is not None and query.get("born_hi") is not None:
                # Records born more than DATE_SLACK years apart could only score the birth date's lowest
                # level: left uncompared (they do not change the prior of the others).
                lo, hi = self._born[kind][0][positions], self._born[kind][1][positions]
                slack = DATE_SLACK * YEAR
                far = (lo > float(query["born_hi"]) + slack) | (hi < float(query["born_lo"]) - slack)
                positions, sizes = positions[~far], sizes[~far]
            if len(positions) == 0:
                continue
            queries.append(query)
            blocks.append(positions)
            priors.append(self._priors(kind, query, sizes, prior_scale))
            which.append(i)
        out = [pd.DataFrame() for _ in looks]
        if not queries:
            return out
        scored = link_many(self.model, queries, frame, blocks, priors)
        for q, rows in scored.groupby("q", sort=False):
            out[which[int(q)]] = rows.drop(columns=["q"]).reset_index(drop=True)
        return out

    def _block(self, kind: str, surnames: Iterable[str]) -> np.ndarray:
        """Records of a kind whose surname sounds like, or is one edit from, any of these surnames, or
        reads as one of them once print's look-alikes are undone (SRNITH for SMITH, BAMES for BARNES:
        two edits and another sound, so neither the sound nor the one-edit block holds them)."""
        surnames = tuple(dict.fromkeys(s for s in surnames if s))
        memo = (kind, surnames)
        block = self._blocks.get(memo)
        if block is None:
            block = self.by_surname[kind].block(*self._keys(surnames), names=surnames)
            misread = [x for s in surnames for x in (*ocr_misreadings(s), *ocr_collapses(s))]
            if misread:
                more = self.by_surname[kind].block(*self._keys(misread))
                canonical = {ocr_canonical(s) for s in surnames}
                fits = pd.Series(self._column(kind, "surname")[more]).map(
                    lambda x: ocr_canonical(x) in canonical).to_numpy(dtype=bool)
                block = np.union1d(block, more[fits])
                block.flags.writeable = False  # shared between callers
            self._blocks[memo] = block
        return block

    def _block_sized(self, kind: str, surnames: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The block of these surnames, and for each record the size of the smallest one-surname block
        holding it (the number of records it shares a prior with)."""
        surnames = list(dict.fromkeys(s for s in surnames if s))
        if len(surnames) <= 1:
            positions = self._block(kind, surnames)
            return positions, np.full(len(positions), len(positions))
        parts = [np.asarray(self._block(kind, [surname]), dtype=int) for surname in surnames]
        rows = np.concatenate(parts)
        sizes = np.concatenate([np.full(len(part), len(part)) for part in parts])
        order = np.lexsort((sizes, rows))  # by row, smallest block first
        rows, sizes = rows[order], sizes[order]
        first = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.zeros(0, dtype=bool)
        return rows[first], sizes[first]

    @staticmethod
    def _priors(kind: str, query: dict[str, object], block_sizes: np.ndarray, scale: float = 1.0) -> np.ndarray:
        """P(a given record is this person's): P(they have such a record) shared by the records of its block."""
        has = death_prior(query.get("born_lo")) if kind in ("death_index", "probate") else HAS_RECORD[kind]
        return np.minimum(0.5, has * RECORDS_EACH.get(kind, 1.0) * scale / np.maximum(block_sizes, 1))

    def _claim(self, person: Found, kind: str, row: int, weight: float, evidence: list[dict] | None = None) -> None:
        frame = self.frames[kind]
        rec = frame.iloc[row]
        self.claimed[kind].add(row)
        person.records[(rec["source"], rec["record_id"])] = round(float(weight), 2)
        person.record_kinds[(rec["source"], rec["record_id"])] = kind
        person.rows.setdefault(kind, []).append(row)
        if evidence:
            person.evidence.extend(evidence)

    # ---- anchors -------------------------------------------------------------------------------
    def resolve_birth(self, person: Found, mask=None, place: str = "", prior_scale: float = 1.0,  # noqa: ANN001
                      birth_surnames: list[str] | None = None,
                      kin: tuple[SeedFacts, ...] = (), lived: Sequence[str] = (),
                      child: Found | None = None) -> float:
        """Find the person's birth entry; fill birth surname, mother's maiden surname and birth interval.

        `birth_surnames` narrows the surname at birth when it is known (a mother's maiden surname).
        `kin` are seed relatives of this person (their parents, brothers and sisters as the family
        remembers them) weigh each entry by how well its family fits: the look-alike born the same year
        whose mother had another maiden surname gives way. `lived` are places the family remembers them
        living: a namesake entry whose own death was registered there is likelier theirs. `child` is the
        person's child whose birth entry led to them: a parent's age at that birth, and where it was."""
        surnames = birth_surnames or person.surnames
        if not surnames:
            return 0.0  # remembered without any surname: nothing to look them up under
        remembered = self._remembered(person)
        query = self._query(person.forenames, person.surnames, person.born, place, surname=surnames[0],
                            remembered=remembered)
        # A rare surname that is a slip of a common one (HAMULTON in her child's entry, HAMILTON her own
        # name): her entry may carry a slip of its own (HAMILTOU), one edit from the name, two from the slip.
        scored = self._best("birth_index", query, self._and_corrections(surnames), mask=mask, prior_scale=prior_scale)
        if scored.empty:
            return 0.0
        top = scored.iloc[0]
        p = float(top["probability"])
        exact = person.born if person.born is not None and person.born.lo == person.born.hi else None
        # Forenames a marriage registered, middle name and all: a birth entry without it is a namesake's.
        registered = () if remembered else tuple(person.forenames.split(" "))
        if kin or lived or exact or child is not None or len(person.surnames) > len(surnames) or remembered \
                or len(registered) > 1:
            top, p = self._with_family(scored, kin, lived, person.surnames, exact, child, person.sex,
                                       share=remembered, registered=registered)
        if p < ACCEPT:
            return p
        row = int(top["row"])
        rec = self.frames["birth_index"].iloc[row]
        self._claim(person, "birth_index", row, top["weight"], explain(self.model, top))
        person.birth_row = row
        person.mmn = rec["mmn"]
        # The registered forenames are fuller than remembered ones ("Babs"); nickname levels bridge back.
        if rec["forenames"]:
            person.forenames = rec["forenames"]
        person.surnames = [rec["surname"], *[s for s in person.surnames if s != rec["surname"]]]
        person.born = _as_registered(_interval(rec["born_lo"], rec["born_hi"]), person.born)
        person.sex = person.sex or rec["sex"]
        person.chain.append(f"birth entry {rec['source']} {rec['record_id']} ({rec['surname']}, "
                            f"mother's maiden surname {rec['mmn'] or 'not given'})")
        return p

    @staticmethod
    def _remembered(person: Found) -> bool:
        """Whether the person's forenames are as remembered (a family, a directory, the authority's
        records), not as registered: no entry of theirs in an index gives them yet."""
        return person.birth_row is None and not any(person.rows.get(kind) for kind in REGISTERED_NAME_KINDS)

    def _with_family(self, scored: pd.DataFrame, kin: tuple[SeedFacts, ...], lived: Sequence[str] = (),
                     surnames: Sequence[str] = (), born: dates.Interval | None = None,
                     child: Found | None = None, sex: str | None = None,
                     share: bool = False, registered: Sequence[str] = ()) -> tuple[pd.Series, float]:
        """The best birth entry once the family's memory is weighed: each close entry's odds times how
        well its family fits the seed relatives (`_family_evidence`), shared among the entries as
        alternatives (the person has one birth entry, or none here).

        Close: look-alikes sharing the belief, or entries whose forenames agree but whose surname is
        spelt otherwise (ROBNSON remembered, ROBINSON registered). For a parent, `child` (their child's
        birth entry) weighs each entry by the parent's age at that birth and by where it was. `share`: the
        close entries share the belief even when nothing else weighs (a remembered first forename alone,
        which three STEPHEN WILKINSONs born a generation before the child fit alike). `registered`: the
        person's forenames as an index registered them (a marriage): an entry born without a middle name
        they give weighs NAME_GAINED (WILLIAM JAMES DAVIES married in 1963 was not born plain WILLIAM)."""
        agree = scored[self._forenames_in(scored, ATTACH_FORENAMES) & (scored["probability"] >= 0.002)]
        close = pd.concat([scored[scored["probability"] >= 0.15], agree]).drop_duplicates("row").head(4)
        if close.empty:
            return scored.iloc[0], float(scored.iloc[0]["probability"])
        entries = self.frames["birth_index"].iloc[close["row"].to_numpy(dtype=int)]
        recs = [rec for _, rec in entries.iterrows()]
        # Odds from the link weight (log2 odds), not a rounded probability: two near-certain entries (an
        # exact date of birth and a namesake's months away) keep what tells them apart.
        odds = np.exp2(close["weight"].clip(upper=MAX_LOG_ODDS).to_numpy(dtype=float))
        evidence = np.array([self._family_evidence(rec, kin) * self._own_death(rec, lived, surnames, born)
                             for rec in recs])
        # The query weighs the first place remembered; the others say where they may have been born. This
        # and a death under a married surname weigh only when they differ between the close entries (the
        # same for all, they say nothing between them).
        # A parent lived where their child was born (the mother surely, the father mostly): an entry born
        # there is likelier theirs, as one born where the family remember them living is.
        where = [*lived[1:], *([self._birth_place(child)] if child is not None else [])]
        born_near = self._place_ratio(entries, where, table=BORN_WHERE_LIVED_LR)
        married = np.array([self._died_married(rec, surnames) for rec in recs])
        age = self._age_at_birth(close["row"].to_numpy(dtype=int), child, sex)
        gained = np.array([NAME_GAINED if len(registered) > 1
                           and not _names_as_born(str(rec["forenames"] or "").split(" "), registered) else 1.0
                           for rec in recs])
        for factor in (born_near, married, age, gained):
            if not (factor == factor[0]).all():
                evidence = evidence * factor
        if not kin and (evidence == 1.0).all() and not share:
            return scored.iloc[0], float(scored.iloc[0]["probability"])  # nothing to weigh: the scorer's belief
        odds = odds * evidence
        best = int(np.argmax(odds))
        return close.iloc[best], float(odds[best] / (1.0 + odds.sum()))

    def _age_at_birth(self, rows: np.ndarray, child: Found | None, sex: str | None) -> np.ndarray:
        """For each birth entry (positions), how likely a parent born then was to have `child` when they
        did (PARENT_AGE_LR), from the middles of the two birth intervals."""
        table = PARENT_AGE_LR.get(sex or "")
        if child is None or child.born is None or table is None:
            return np.ones(len(rows))
        lo, hi = self._born["birth_index"][0][rows], self._born["birth_index"][1][rows]
        age = ((child.born.lo + child.born.hi) / 2 - (lo + hi) / 2) / YEAR
        out = np.ones(len(rows))
        for i, years in enumerate(age):
            if not np.isnan(years):
                out[i] = next(lr for top, lr in table if years < top)
        return out

    def _family_evidence(self, rec: pd.Series, kin: tuple[SeedFacts, ...]) -> float:
        """Likelihood ratio that a birth entry is the person's, from the family the seed remembers: the
        maiden surname their mother had (the entry's mother's maiden surname), their parents' forenames
        (in the parents' marriage) and their brothers' and sisters' (in births to the same couple)."""
        lr = 1.0
        mmn, surname = rec["mmn"], rec["surname"]
        for seed in kin:
            base = seed.relationship.removeprefix("maternal_").removeprefix("paternal_")
            first = seed.forenames.split(" ")[0] if seed.forenames else ""
            if base == "grandmother" and mmn:
                # Her names but the one she shares with her husband (unless the entry's mother had it too).
                own = similar_surnames(mmn, surname)
                maiden = [x for x in seed.surnames if own or not similar_surnames(x, surname)]
                if any(similar_surnames(mmn, x) for x in maiden):
                    f = max(self._mmn_freq.get(mmn, self._unseen_freq), self._unseen_freq)
                    lr *= min(FAMILY_LR_CAP, (1 - SPELLING_SLIP) / f)
                elif len(seed.surnames) > 1:
                    lr *= FAMILY_MISMATCH  # her former surnames are known and none is this entry's
                elif not maiden and first and self._born_under(first, mmn, seed.born):
                    # Her maiden surname is not known, but a girl of her forename and date of birth
                    # was born under the entry's mother's maiden surname.
                    lr *= FAMILY_FORENAME_LR
            if base in ("grandmother", "grandfather") and first and mmn:
                for bride, groom in self.couple(mmn, surname, (1837, 2100)):
                    spouse = bride if base == "grandmother" else groom
                    if spouse is not None and _same_first(spouse["first"], first):
                        lr *= FAMILY_FORENAME_LR
                        break
            elif base in ("aunt", "uncle") and first and mmn:
                at = self.by_mmn.block(names.phonetic(mmn, "nysiis"), names=(mmn,))
                at = at[at != rec.name]
                at = at[_similar_mask(pd.Series(self._column("birth_index", "surname")[at]), [surname])]
                firsts = self._column("birth_index", "first")[at]
                fits = {x: _same_first(x, first) for x in set(firsts)}
                at = at[np.array([fits[x] for x in firsts], dtype=bool)]
                if len(at):
                    lr *= FAMILY_FORENAME_LR
                    if _born_as_remembered(self._born["birth_index"], at, seed.born):
                        lr *= SIBLING_BORN_LR
        return lr

    def _own_death(self, rec: pd.Series, lived: Sequence[str], surnames: Sequence[str],
                   born: dates.Interval | None = None) -> float:
        """Evidence from the death entry of a birth entry's registered person (first forename and middle
        name agreeing, born on a date within the entry's quarter, under the entry's surname or another of
        the person's): DIED_THERE_LR (by how near) when it was registered where the family remembers
        them living (two NORMAN KENNEDYs born in 1950, and the one who died in Wolverhampton is the
        grandfather remembered there), times DIED_BORN_LR when it gives the exact date of birth known
        for them (`born`), as it is or with day and month swapped. Most people alive have no death
        entry: its absence says nothing."""
        deaths = self.frames.get("death_index")
        if not (lived or born) or deaths is None or deaths.empty or pd.isna(rec["born_lo"]):
            return 1.0
        swapped = dates.day_month_swapped(np.array([born.lo]))[0] if born is not None else np.nan
        if lived:
            at = self._block("death_index", [rec["surname"], *surnames])
        else:
            # Only a death giving that date (or its swap) can say anything: look those up by date.
            at = self._deaths_born_on([int(d) for d in (born.lo, swapped) if d == d])
            at = at[_similar_mask(pd.Series(self._column("death_index", "surname")[at]), [rec["surname"], *surnames])]
        lo, hi = self._born["death_index"][0][at], self._born["death_index"][1][at]
        at = at[(hi - lo <= SHARP_BIRTH_DAYS) & (lo <= rec["born_hi"]) & (hi >= rec["born_lo"])]
        at = np.array(self._named_alike("death_index", at, str(rec["forenames"] or ""), _same_first), dtype=int)
        if not len(at):
            return 1.0
        lr = 1.0
        if lived:
            ratio = float(self._place_ratio(deaths.iloc[at], lived).max())
            lr = DIED_THERE_LR["same_district"] if ratio >= PLACE_LR["same_district"] else \
                DIED_THERE_LR["near"] if ratio >= PLACE_LR["near"] else 1.0
        if born is not None:
            d_lo, d_hi = self._born["death_index"][0][at], self._born["death_index"][1][at]
            exact = d_lo[d_hi == d_lo]
            if (exact == born.lo).any():
                lr *= DIED_BORN_LR["same"]
            elif (exact == swapped).any():
                lr *= DIED_BORN_LR["swapped"]
        return lr

    def _died_married(self, rec: pd.Series, surnames: Sequence[str]) -> float:
        """DIED_MARRIED_LR, shared among the rivals, when a woman's birth entry has a death under a later
        surname of hers (first forename agreeing or a slip of it, middle names not differing, born
        within the entry's quarter): of two MARGARET MARY SMITHs born in Basildon, the one a MSRGARET
        MARY TAYYLOR's death was born with is the grandmother who married TAYLOR."""
        later = [s for s in surnames if not similar_surnames(s, rec["surname"])]
        if not later or rec["sex"] == "M" or pd.isna(rec["born_lo"]) or "death_index" not in self.frames:
            return 1.0
        lo, hi = float(rec["born_lo"]), float(rec["born_hi"])

        def agreeing(kind: str) -> int:
            key = (kind, tuple(later))
            if key not in self._under_later:
                # Once per person, not per entry: the block of a common married surname is large.
                at = self._block(kind, later)
                at = at[_similar_mask(pd.Series(self._column(kind, "surname")[at]), later)]
                if kind == "death_index":
                    at = at[self._born[kind][1][at] - self._born[kind][0][at] <= SHARP_BIRTH_DAYS]
                self._under_later[key] = at
            at = self._under_later[key]
            at = at[(self._born[kind][0][at] <= hi) & (self._born[kind][1][at] >= lo)]
            return len(self._named_alike(kind, at, str(rec["forenames"] or ""), _first_slip))

        if not agreeing("death_index"):
            return 1.0
        return DIED_MARRIED_LR / (1.0 + agreeing("birth_index"))

    def _named_alike(self, kind: str, rows: np.ndarray, forenames: str,
                     first_fits: Callable[[str, str], bool]) -> list[int]:
        """The records among `rows` (positions) whose first forename `first_fits` the first of
        `forenames` and whose middle names do not differ from its."""
        tokens = forenames.split(" ")
        firsts, theirs = self._column(kind, "first"), self._column(kind, "forenames")
        # Each distinct first forename tested once: a common surname's block is large.
        fits = {name: first_fits(name, tokens[0]) for name in set(firsts[rows].tolist())}
        return [r for r in rows.tolist() if fits[firsts[r]]
                and not _middles_differ(tokens, str(theirs[r] or "").split(" "))]

    def _deaths_born_on(self, days: list[int]) -> np.ndarray:
        """Positions of death entries giving one of these exact dates of birth."""
        if self._death_dobs is None:
            lo, hi = self._born["death_index"]
            exact = np.flatnonzero((lo == hi) & ~np.isnan(lo))
            order = np.argsort(lo[exact], kind="stable")
            self._death_dobs = (lo[exact][order], exact[order])
        dobs, rows = self._death_dobs
        return np.concatenate([rows[np.searchsorted(dobs, d, "left"):np.searchsorted(dobs, d, "right")]
                               for d in days] or [np.array([], dtype=int)]).astype(int)

    def _born_under(self, first: str, surname: str, born: dates.Interval | None) -> bool:
        """A birth entry under this surname (or a slip of it) with this first forename, within a year of
        a date of birth known to about a year."""
        at = self._births_about(surname, born)
        return at is not None and any(_same_first(x, first) for x in set(self._column("birth_index", "first")[at]))

    def _named_by_mothers_maiden(self, surname: str, sex: str, seed: SeedFacts | None,
                                 her_mother: SeedFacts | None) -> str:
        """Forenames of a parent the family remember by age but not by name, through the maiden surname
        they give the parent's mother (Christine DAVIES, formerly SMITH): the one birth entry of the
        parent's sex under the parent's surname in the years remembered (within a year more either way)
        whose mother's maiden surname is hers. Nothing when none is, or two are."""
        if seed is None or seed.forenames or her_mother is None or not surname:
            return ""
        maidens = [s for s in her_mother.surnames if not similar_surnames(s, surname)]
        at = self._births_about(surname, seed.born, sex) if maidens else None
        if at is None:
            return ""
        at = at[_similar_mask(pd.Series(self._column("birth_index", "mmn")[at]), maidens)]
        forenames = set(self._column("birth_index", "forenames")[at])
        return forenames.pop() if len(forenames) == 1 else ""

    def _could_be_born_as(self, bride: pd.Series, surname: str, born: dates.Interval | None) -> bool:
        """Whether a bride may be a woman dated to about a year (`born`, within a year more either way):
        a girl's birth entry under this surname (or a slip of it) in those years, one of whose forenames
        is one of the bride's or a diminutive of it. True when the years are not known that closely."""
        at = self._births_about(surname, born, "F") if surname else None
        if at is None:
            return True
        theirs = str(bride["forenames"]).split()
        return any(_same_first(x, y) for f in set(self._column("birth_index", "forenames")[at])
                   for x in str(f).split() for y in theirs)

    def _births_about(self, surname: str, born: dates.Interval | None, sex: str | None = None) -> np.ndarray | None:
        """Positions of the birth entries under this surname (or a slip of it) within a year of a date of
        birth known to about a year (none of the other sex, when `sex` is given); None when the date is
        not known that closely."""
        window = _about_a_year(born)
        if window is None:
            return None
        at = self._births_under(surname, *window)
        if sex in ("F", "M"):
            at = at[self._column("birth_index", "sex")[at] != ("M" if sex == "F" else "F")]
        return at

    def _births_under(self, surname: str, lo: float, hi: float) -> np.ndarray:
        """Positions of the birth entries under this surname (or a slip of it) that can be born
        between day numbers `lo` and `hi`."""
        at = self._block("birth_index", [surname])
        born_lo, born_hi = self._born["birth_index"][0][at], self._born["birth_index"][1][at]
        at = at[(born_lo <= hi) & (born_hi >= lo)]
        return at[_similar_mask(pd.Series(self._column("birth_index", "surname")[at]), [surname])]

    def marriages(self, person: Found, rounds: int = 3) -> list[pd.Series]:
        """The person's marriages in date order, each under the surname they had then.

        A woman marries under her birth surname or a former husband's; each marriage found
        opens the next surname. Forenames must agree (exact, first name or nickname).
        """
        return self.marriages_many([person], rounds)[0]

    def marriages_many(self, people: list[Found], rounds: int = 3) -> list[list[pd.Series]]:
        """`marriages` for several people, one comparison pass a round."""
        found: list[list[pd.Series]] = [[] for _ in people]
        frame = self.frames.get("marriage_index")
        if frame is None:
            return found
        active = [i for i, p in enumerate(people) if p.forenames and p.surnames]
        for _ in range(rounds):
            looks = []
            for i in active:
                person = people[i]
                born_year = _year(person.born.lo) if person.born else None
                # Marriages in date order: the next is after the last one found.
                since = max((int(y) for y in frame.iloc[person.rows.get("marriage_index", [])]["year"].dropna()),
                            default=None)

                def plausible(positions: np.ndarray, surnames: tuple[str, ...] = tuple(person.surnames),
                              born_year: int | None = born_year, since: int | None = since) -> np.ndarray:
                    # Under a surname they had, by sound or one slip (RBERTS registered, ROBERTS married).
                    ok = _similar_mask(pd.Series(self._column("marriage_index", "surname")[positions]), surnames)
                    year = np.nan_to_num(self._column("marriage_index", "year")[positions])
                    if born_year is not None:
                        ok &= (year >= born_year + 15) & (year <= born_year + 85)
                    if since is not None:
                        ok &= year >= since
                    return ok

                query = self._query(person.forenames, person.surnames, person.born, self._birth_place(person))
                looks.append((query, person.surnames, plausible))
            still = []
            for i, scored in zip(active, self._best_many("marriage_index", looks), strict=True):
                if scored.empty:
                    continue
                good = scored[(scored["probability"] >= ACCEPT) & self._wed_as(scored, people[i].forenames)]
                good = good[~good["row"].isin(list(self.claimed["marriage_index"]))]
                if people[i].sex in ("F", "M") and not good.empty:
                    # A man's marriage is not a woman's entry (MICHELLE MARY for MICHAEL A).
                    other = "F" if people[i].sex == "M" else "M"
                    good = good[self._column("marriage_index", "sex")[good["row"].to_numpy(dtype=int)] != other]
                registered = self._column("marriage_index", "forenames")
                for earlier in (str(registered[r]) for r in people[i].rows.get("marriage_index", [])):
                    # Each marriage registers the names the last did: PATRICK GEORGE DEAN, married in 1997,
                    # is not the PETER JOSEPH DEAN of 1967.
                    alike = self._named_alike("marriage_index", good["row"].to_numpy(dtype=int), earlier, _first_slip)
                    good = good[good["row"].isin(alike)]
                if people[i].birth_row is not None and not good.empty:
                    # Marriages register the names a birth did: LINDA JEAN is not LYNN MARGARET's, and
                    # GEMMA ANNE MARY not the bride born plain GEMMA.
                    tokens = people[i].forenames.split(" ")
                    good = good[[_names_as_born(tokens, registered[int(r)].split(" ")) and
                                 self._wed_share(people[i], int(r)) >= WED_SHARE_MIN for r in good["row"]]]
                if good.empty:
                    continue
                # One marriage per round, the earliest: it decides the surname the next is under.
                good = good.assign(year=frame.iloc[good["row"].to_numpy()]["year"].to_numpy()).sort_values("year")
                top = good.iloc[0]
                row = int(top["row"])
                rec = frame.iloc[row]
                person = people[i]
                self._claim(person, "marriage_index", row, top["weight"], explain(self.model, top))
                found[i].append(rec)
                # Registered forenames are fuller than remembered ones (PATRICK GEORGE for "Pat"); those
                # of a birth entry stay.
                if person.birth_row is None and \
                        len(rec["forenames"].split(" ")[0]) > len(person.forenames.split(" ")[0]):
                    person.forenames = rec["forenames"]
                person.chain.append(
                    f"marriage {rec['source']} {rec['record_id']}: {rec['forenames']} {rec['surname']} "
                    f"to a spouse surnamed {rec['spouse']} ({rec['place']}, {rec['year']})"
                )
                if person.sex == "F" and rec["spouse"] and rec["spouse"] not in person.surnames:
                    person.surnames.append(rec["spouse"])
                still.append(i)
            active = still
            if not active:
                break
        return found

    def _wed_again_after(self, mother: Found, child: Found) -> None:
        """Give back a mother's later marriages found from before the birth of her child by an earlier
        husband, under his surname: she was then still his wife, so they are a namesake's (Jean Elaine
        BRADLEY married HUGHES in 1963 and had Paul HUGHES in 1979; the JEAN ELAINE BRADLEY who married a
        LEWIS in 1965 was another, born the year before her)."""
        rows = mother.rows.get("marriage_index", [])
        born = _year(child.born.lo) if child.born is not None else None
        if len(rows) < 2 or born is None or not child.birth_surname:
            return
        frame = self.frames["marriage_index"]
        years = frame.iloc[rows]["year"].tolist()
        first = next((i for i, r in enumerate(rows) if similar_surnames(frame.iloc[r]["spouse"], child.birth_surname)),
                     None)
        if first is None:
            return
        for row, year in zip(rows[first + 1:], years[first + 1:], strict=True):
            if pd.notna(year) and year < born - 1:
                spouse = frame.iloc[row]["spouse"]
                self._unclaim(mother, "marriage_index", row)
                if spouse in mother.surnames[1:] and not any(
                        frame.iloc[r]["spouse"] == spouse for r in mother.rows.get("marriage_index", [])):
                    mother.surnames.remove(spouse)

    def _wed_share(self, person: Found, row: int) -> float:
        """How much of a marriage entry the person (birth entry known) can claim against the namesakes
        the birth index holds: others of their sex, under the entry's surname, with its first forename
        (or a slip of it) and no other middle name, old enough to marry then; each weighed by how near
        they were born to where the marriage was (most marry near where they grew up). KELLY THOMAS of
        Brent is not the bride of a Preston marriage that five KELLY THOMASes born near Preston could be."""
        rec = self.frames["marriage_index"].iloc[row]
        if pd.isna(rec["year"]) or not rec["forenames"]:
            return 1.0
        year = int(rec["year"])
        at = self._births_under(rec["surname"], dates.day_number(date(year - 70, 1, 1)),
                                dates.day_number(date(year - 16, 12, 31)))
        if person.sex in ("F", "M"):
            at = at[self._column("birth_index", "sex")[at] != ("F" if person.sex == "M" else "M")]
        # A namesake born with one forename is not the bride or groom of an entry giving two: a name is
        # not gained by marrying (as for the person themselves, `_names_as_born`).
        wed, born_as = str(rec["forenames"]).split(" "), self._column("birth_index", "forenames")
        others = [r for r in self._named_alike("birth_index", at, rec["forenames"], _first_slip)
                  if r != person.birth_row and _names_as_born(str(born_as[r] or "").split(" "), wed)]
        if not others:
            return 1.0
        weight = self._place_ratio(self.frames["birth_index"].iloc[[person.birth_row, *others]], [rec["place"]])
        mmn = self._column("birth_index", "mmn")
        if person.sex == "F" and not similar_surnames(rec["surname"], person.surnames[0]) and any(
                similar_surnames(mmn[r], person.surnames[0]) for r in others):
            # Under her married surname, with a daughter of her name born under it (Valerie HARRISON, born
            # THOMAS, and her Valerie): the daughter's first marriage, not the mother's second.
            weight[0] *= REMARRIED
        return float(weight[0] / weight.sum())

    def couple(self, surname: str, spouse: str, window: tuple[int, int]) -> list[tuple[pd.Series, pd.Series | None]]:
        """Marriages of a woman surnamed `surname` (her maiden or former surname) to a man surnamed
        `spouse` (by sound, to survive spelling variants), each paired with the other spouse's row of the
        same registration. A bride whose forenames are a man's is the groom of another couple (a WILLIAMS
        man marrying a TAYLOR woman is not a WILLIAMS woman marrying a TAYLOR)."""
        frame = self.frames.get("marriage_index")
        if frame is None or not surname or not spouse:
            return []
        cached = self._couples.get((surname, spouse, window))
        if cached is None:
            key, spouse_key = names.phonetic(surname, "nysiis"), names.phonetic(spouse, "nysiis")
            col = lambda name: self._column("marriage_index", name)  # noqa: E731
            at = self.by_surname["marriage_index"].block(key, names=(surname,))
            year = col("year")[at]
            at = at[(year >= window[0]) & (year <= window[1]) & (col("sex")[at] != "M")]
            at = at[_similar_mask(pd.Series(col("spouse")[at]), [spouse])]
            if similar_surnames(surname, spouse):
                # A JACKSON woman marrying a JACKSON man: both rows read alike, and only her forenames
                # say which is the bride's.
                at = at[col("sex")[at] == "F"]
            # The groom's row of the registration, whatever sex his forenames are guessed to be (LESLIE
            # is mostly a woman's name in the international list): another couple's bride of his surname
            # is set apart below by the registration's place and her guessed sex.
            them = self.by_surname["marriage_index"].block(spouse_key, names=(spouse,))
            them = them[_similar_mask(pd.Series(col("spouse")[them]), [surname])]
            cached = self._couples[(surname, spouse, window)] = (frame.iloc[at], frame.iloc[them])
        rows, partners = cached
        out = []
        for _, a in rows.iterrows():
            if int(a.name) in self.claimed["marriage_index"]:
                continue
            same = partners[(partners["year"] == a["year"])
                            & (partners["quarter"].fillna(0) == (a["quarter"] if pd.notna(a["quarter"]) else 0))]
            same = same[~same.index.isin([*self.claimed["marriage_index"], a.name])]
            if len(same) > 1:
                same = same[same["place"] == a["place"]]
            # A row whose forenames read as a woman's is the groom's only as the one row at her place.
            if len(same) > 1 or (len(same) == 1 and same.iloc[0]["place"] != a["place"]):
                same = same[same["sex"] != "F"]
            out.append((a, same.iloc[0] if len(same) else None))
        # Exact spellings first: a variant is the weaker reading.
        out.sort(key=lambda ab: (ab[0]["surname"] != surname) + (ab[0]["spouse"] != spouse))
        return out

    # ---- the family ----------------------------------------------------------------------------
    def add(self, person: Found) -> Found | None:
        if len(self.found) >= self.budget:
            return None
        self.found.append(person)
        return person

    def children_of(self, surnames: Iterable[str] | None, mmn: str, window: dates.Interval | None,
                    near: Iterable[str], exclude: set[int], married: int | None = None,
                    one_name: bool = False) -> list[tuple[int, float]]:
        """Birth entries of a couple: a surname and the mother's maiden surname, in her child-bearing
        years, scored by how unlikely the pair of names is by chance (term frequencies), by how the
        names are spelt (a common name one letter from hers is another family's; a slip is not) and by
        place (born in the district where the family lived).

        With `surnames` None, any surname: her children by a partner nobody has named. `one_name`: the
        father is known to have her maiden surname too (a JONES who married a JONES), so a child under
        it is no rarer than any couple's.
        """
        births = self.frames.get("birth_index")
        if births is None or not mmn or self.by_mmn is None:
            return []
        at = self.by_mmn.block(names.phonetic(mmn, "nysiis"), names=(mmn,))
        if surnames is not None:
            # By sound, one edit or a misreading: a mistyped maiden surname or a SMYTH for SMITH still names
            # the mother.
            at = at[np.isin(at, self._block("birth_index", surnames))]
        if window is not None:
            lo, hi = (np.nan_to_num(a[at]) for a in self._born["birth_index"])
            at = at[(hi >= window.lo) & (lo <= window.hi)]
        if len(at) == 0:
            return []
        rows = births.iloc[at]
        n_window = len(births) * (min(1.0, (window.hi - window.lo) / (60 * YEAR)) if window else 1.0)
        # Place likelihood ratio of each look-alike: born where the family lived, near it, or far away
        # (unknown place: neutral, but an unnamed partner's child must be near her).
        ratio = self._place_ratio(rows, near, unknown=1.0 if surnames is not None else 0.0)
        # Births far from everywhere the family lived, by place alone (before the checks below).
        far = pd.Series(ratio <= PLACE_LR["region"], index=rows.index) if (ratio != 1.0).any() else None
        # One mother cannot give birth twice within nine months (twins aside): a birth that close to a
        # known child of hers (`exclude`: the child, or the parent whose brothers and sisters we seek) is
        # another woman's.
        for anchor in (births.iloc[r] for r in exclude if r is not None):
            ratio[_too_close_many(rows, anchor)] = 0.0
        if married is not None:
            born_year = rows["year"].to_numpy(dtype=float, na_value=np.nan)
            ratio[born_year < married - 1] *= BEFORE_MARRIAGE_LR
        if surnames is None:
            return self._unnamed_partner_children(rows, ratio, exclude)
        # The surname each entry stands for (a slip, ROBNSON, stands for ROBINSON) and how much the
        # spellings of both names say: a slip as much as the name itself, another real name (COOK for
        # COOKE) little, and a rare query name that is itself a slip (ROBISNON) gives way to the common one.
        intended = [self._intended(x, surnames) for x in rows["surname"].tolist()]
        evidence = np.array([
            self._pair_evidence(sur, name, m, mmn)
            for sur, name, m in zip(rows["surname"].tolist(), intended, rows["mmn"].tolist(), strict=True)
        ])
        weight = dict(zip(rows.index, (ratio * evidence).tolist(), strict=True))
        group = pd.Series(intended, index=rows.index)
        shares = self._family_shares(rows, group, weight, mmn, n_window, exclude, far, one_name)
        sizes = group.value_counts().to_dict()
        self._notes = {}
        out = []
        for pos, name, lr, names_lr in zip(rows.index, intended, ratio.tolist(), evidence.tolist(), strict=True):
            row = int(pos)  # frames are reset_index'ed: labels are positions
            if row in exclude or row in self.claimed["birth_index"]:
                continue
            # Odds that the birth is the couple's: their expected children against the births in the
            # window that would show these names by chance (names_lr is 1 / that chance per birth).
            expected = _expected_children(name, mmn, one_name)
            chance = n_window / max(names_lr, 1e-12)
            odds = expected / max(chance, 1e-6) * lr
            # However rare the names, the couple has only so many children: share them among look-alikes.
            p = min(odds / (1.0 + odds), shares[pos], 0.97)
            out.append((row, p))
            near = math.log(max(lr, 1e-3))
            common = min(max(math.log10(max(chance, 1e-6)) + 3, 0.0), 3.0) / 3  # 0 if λ <= 0.001, 1 if >= 1
            self._notes[row] = {"near": near, "near_if_common": near * common,
                                "sibship": math.log1p(sizes[name]),
                                "rarity": min(6.0, -math.log10(max(chance, 1e-6))),
                                "own_name": float(name == mmn)}
        return self._spaced(out)

    def _spaced(self, children: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """One mother's births (positions, belief) are at least nine months apart, twins aside: of two
        births closer, both cannot be hers. The weaker is believed only as far as the stronger is not
        hers, p(1 - qf) / (1 - pqf) for the stronger's q, where f is the share of the weaker's possible
        dates surely too close (Noah EVANS, registered in Leicester late in 2002, months before a
        brother surely hers was born: her sister's son by another EVANS)."""
        out = list(children)
        lo, hi = (self._born["birth_index"][i][[row for row, _ in out]] for i in (0, 1))
        for k in sorted(range(len(out)), key=lambda i: -out[i][1]):
            q = out[k][1]
            if q < SPACING_ANCHOR or np.isnan(lo[k]) or np.isnan(hi[k]):
                continue
            f = _share_too_close(lo, hi, lo[k], hi[k])
            for j in np.flatnonzero(f > 0).tolist():
                row, p = out[j]
                if j != k and p <= q:
                    out[j] = (row, p * (1 - q * f[j]) / (1 - p * q * f[j]))
        return out

    def _unnamed_partner_children(self, rows: pd.DataFrame, ratio: np.ndarray, exclude: set[int]) -> list:
        """A mother's children by a partner nobody has named: each surname among the births near her is
        a family that may be hers; a sibship of several near her counts for more than a lone birth, and
        "none of them" keeps some belief."""
        claimed = self.claimed["birth_index"]
        lr = {pos: (0.0 if w < PLACE_LR["region"] or int(pos) in claimed or int(pos) in exclude else w)
              for pos, w in zip(rows.index, ratio.tolist(), strict=True)}
        group = rows["surname_key"]
        weight_of_group = pd.Series(lr, dtype=float).groupby(group).sum().to_dict()
        near_weight = sum(w for w in weight_of_group.values() if w > 0)
        sizes = group.value_counts().to_dict()
        self._notes = {}
        out = []
        for pos in rows.index:
            if lr[pos] <= 0:
                continue
            row = int(pos)
            out.append((row, min(0.9, weight_of_group[group[pos]] / (near_weight + NONE_OF_THESE))))
            self._notes[row] = {"near": math.log(lr[pos]), "sibship": math.log1p(sizes[group[pos]])}
        return out

    def _place_ratio(self, rows: pd.DataFrame, near: Iterable[str], unknown: float = 1.0,
                     table: dict[str, float] = PLACE_LR) -> np.ndarray:
        """How much likelier each record's place is for the family than for a look-alike elsewhere: in
        a registration district where the family lived, within 15 km, within 80 km, or further."""
        spots = [loc for loc in (self._place(p) for p in dict.fromkeys(near) if p)
                 if loc.get("lat") is not None and not pd.isna(loc["lat"])]
        ratio = np.full(len(rows), unknown)
        if not spots or rows.empty:
            return ratio
        lat, lon = rows["lat"].to_numpy(dtype=float), rows["lon"].to_numpy(dtype=float)
        km = np.min([places.distance_km(s["lat"], s["lon"], lat, lon) for s in spots], axis=0)
        known = ~np.isnan(km)
        ratio[known] = np.where(km[known] < 15, table["near"], np.where(km[known] < 80, table["region"], table["far"]))
        districts = {str(s.get("district") or s.get("place") or "") for s in spots} - {""}
        same = rows["district"].fillna("").isin(districts).to_numpy() | rows["place"].isin(districts).to_numpy()
        ratio[same & known] = table["same_district"]
        return ratio

    @staticmethod
    def _intended(surname: str, surnames: list[str]) -> str:
        """The surname of `surnames` a record's surname stands for (itself, a variant or a slip of it)."""
        if surname in surnames:
            return surname
        for candidate in surnames:
            if similar_surnames(surname, candidate):
                return candidate
        return surnames[0] if surnames else surname

    def _name_evidence(self, recorded: str, query: str, freq: dict[str, float]) -> float:
        """P(an entry of the person sought shows `recorded` | they are known as `query`) / P(a random
        entry shows `recorded`). Either spelling may be the slip: the query's true name is itself or the
        recorded one, in proportion to how common each is (SPELLING_SLIP of entries are misspelt, over
        about SLIP_FORMS forms each)."""
        unseen, one = self._unseen_freq, self._one_record
        # Both names are counted among the entries they came from: leave those entries out.
        f_recorded = max(freq.get(recorded, unseen) - one, unseen)
        if recorded == query:
            return (1 - SPELLING_SLIP) / f_recorded
        slip = SPELLING_SLIP / SLIP_FORMS
        f_query = max(freq.get(query, unseen) - one, unseen)
        query_true = (1 - SPELLING_SLIP) * f_query
        recorded_true = slip * f_recorded
        p_recorded_true = recorded_true / (query_true + recorded_true)
        shown = (1 - p_recorded_true) * slip + p_recorded_true * (1 - SPELLING_SLIP)
        return shown / f_recorded

    def _pair_evidence(self, surname: str, intended: str, mmn: str, mother_maiden: str) -> float:
        """Name evidence of a birth entry for a couple's child: its surname (standing for `intended`) and
        its mother's maiden surname, each as `_name_evidence`. A child under the mother's own surname is
        weighed by how often entries carry the mother's own surname at all."""
        mmn_lr = self._name_evidence(mmn, mother_maiden, self._mmn_freq)
        if intended == mother_maiden:
            own = surname == mmn or similar_surnames(surname, mmn)
            return mmn_lr * (1 - SPELLING_SLIP if own else SPELLING_SLIP / SLIP_FORMS) / self._same_name_share
        return mmn_lr * self._name_evidence(surname, intended, self._surname_freq)

    @staticmethod
    def _block_share(index: BlockingIndex, name: str, n: int) -> float:
        """Share of an index's `n` records that fall in this name's block (same sound or one edit): the
        rate at which look-alikes' records come up for it."""
        return len(index.block(names.phonetic(name, "nysiis"), names=(name,))) / max(n, 1)

    def _family_shares(self, rows: pd.DataFrame, group: pd.Series, weight: dict, mmn: str,
                       n_window: float, known: set[int], far: pd.Series | None, one_name: bool = False) -> dict:
        """How much of each birth the couple can claim: a sibship of n births where λ look-alikes are
        expected holds about n - λ of the couple's children (at most MAX_CHILDREN; when λ swamps n, the
        couple's expected share n·E/(E + λ)), given out in proportion to how well each birth fits (place
        and names; none above 0.97). λ counts look-alikes under every spelling the search accepts (COOK
        as well as COOKE), from the names' frequencies, and is then weighed against the births of each
        surname seen far from the family (`far`, None when no place of theirs is known; most look-alikes
        are far from any one family): names common apart are often rare together. Births already known
        to be theirs (`known`: the child) are not shared out. `group` is the surname each birth stands
        for."""
        shares = {}
        rows = rows[~rows.index.isin(list(known))]
        n_births = len(self.frames["birth_index"])
        f_mmn = self._block_share(self.by_mmn, mmn, n_births)
        for name, members in rows.groupby(group[rows.index], sort=False):
            f_surname = (self._same_name_share if name == mmn
                         else self._block_share(self.by_surname["birth_index"], name, n_births))
            chance, expected = n_window * f_surname * f_mmn, _expected_children(name, mmn, one_name)
            if far is not None:
                # Few births of these names far off say they are rarer together than their frequencies
                # make them, many say commoner: the posterior mean of a gamma prior (shape
                # LOOKALIKE_PRIOR_SHAPE, mean the frequencies' λ) given a Poisson count of those seen.
                seen = int(far[members.index].sum())
                chance = (LOOKALIKE_PRIOR_SHAPE + seen) / (LOOKALIKE_PRIOR_SHAPE / max(chance, 1e-9) + 1.0)
            n = len(members)
            family = min(max(n - chance, n * expected / (expected + chance)), MAX_CHILDREN)
            shares.update(_water_fill({pos: weight[pos] for pos in members.index}, family))
        return shares

    def family_of(self, father_surnames: list[str] | None, mother_maiden: str, mother_born: dates.Interval | None,
                  relationship_of_child: str, side: str, prob: float, exclude: set[int],
                  near: Iterable[str], housemates: Iterable[tuple[str, str]] = (), route: str = "couple",
                  pending: list[ChildProposal] | None = None, maiden_too: bool = True,
                  married: int | None = None, one_name: bool | None = None,
                  home_years: Sequence[tuple[int, int]] = ()) -> list[Found]:
        """The children of a couple: the father's surname(s) or the mother's, and her maiden surname
        (any surname at all when `father_surnames` is None). `housemates` are the adults the directory
        lists with a parent: a child among them is corroborated. `maiden_too` False: a married couple's
        children, registered under the father's surname only; `married` the year they married (a child
        under his surname born years before is more likely another couple's). `one_name`: whether the
        father has her maiden surname too (by default, whether one of `father_surnames` is it), so their
        children under it are no rarer than any couple's. `home_years`: the (first, last) years of the
        mother's own directory entries, whose housemates would list her children at eighteen."""
        if not mother_maiden:
            return []
        window = _shift(mother_born, -45, -14)
        surnames = None if father_surnames is None else [*father_surnames, *([mother_maiden] if maiden_too else [])]
        if one_name is None:
            one_name = any(similar_surnames(s, mother_maiden) for s in father_surnames or [])
        children = self.children_of(surnames, mother_maiden, window, near, exclude, married, one_name)
        route = "unnamed_partner" if father_surnames is None else route
        return self._children_found(children, relationship_of_child, side, prob, mother_maiden, housemates,
                                    route, pending, home_years)

    def _her_own_births(self, mother: Found) -> set[int]:
        """Birth entries that are likelier a mother's own than a daughter's, when her own was not found:
        under her maiden surname, born when she was, with her first and second forenames (or slips of
        them: SUSAN MAREI DAVISE for SUSAN MARIE DAVIES). Left out of her children."""
        tokens = mother.forenames.split(" ") if mother.forenames else []
        if mother.birth_row is not None or mother.born is None or len(tokens) < 2 or not mother.birth_surname:
            return set()
        forenames = self._column("birth_index", "forenames")
        return {r for r in self._births_under(mother.birth_surname, mother.born.lo, mother.born.hi).tolist()
                if len(theirs := forenames[r].split(" ")) > 1
                and _first_slip(tokens[0], theirs[0]) and _first_slip(tokens[1], theirs[1])}

    def children_of_father(self, surname: str, father_born: dates.Interval | None, near: Iterable[str],
                           wives: Iterable[str]) -> list[tuple[int, float]]:
        """A man's children by a partner nobody named: births under his surname, near where he lived,
        in his fathering years, grouped by the mother's maiden surname (each group a possible family)."""
        births = self.frames.get("birth_index")
        if births is None or not surname or father_born is None:
            return []
        window = _shift(father_born, -55, -16)
        rows = births.iloc[self.by_surname["birth_index"].block(names.phonetic(surname, "nysiis"), names=(surname,))]
        rows = rows[(rows["born_hi"].fillna(0) >= window.lo) & (rows["born_lo"].fillna(0) <= window.hi)]
        wife_keys = set(self._keys(wives))
        rows = rows[~rows["mmn_key"].isin(wife_keys) & (rows["mmn"] != "")]
        rows = rows[~rows.index.isin(list(self.claimed["birth_index"]))]
        if rows.empty:
            return []
        # Only births near where he lived (unknown places left out): far off, his surname says nothing.
        ratio = self._place_ratio(rows, near, unknown=0.0)
        close = ratio >= PLACE_LR["region"]
        weight = dict(zip((int(p) for p in rows.index[close]), ratio[close].tolist(), strict=True))
        if not weight:
            return []
        groups = rows.loc[list(weight), "mmn_key"]
        by_group = pd.Series(weight).groupby(groups.to_numpy()).sum().to_dict()
        total = sum(by_group.values())
        sizes = groups.value_counts().to_dict()
        self._notes = {row: {"near": math.log(weight[row]), "sibship": math.log1p(sizes[groups[row]])}
                       for row in weight}
        return [(row, min(0.9, by_group[groups[row]] / (total + NONE_OF_THESE))) for row in weight]

    def _children_found(self, children: list[tuple[int, float]], relationship_of_child: str, side: str,
                        prob: float, mother_maiden: str, housemates: Iterable[tuple[str, str]] = (),
                        route: str = "couple", pending: list[ChildProposal] | None = None,
                        home_years: Sequence[tuple[int, int]] = ()) -> list[Found]:
        """Traced persons for children's birth entries, strongest first, each claiming its entry.

        A child the directory lists living with the parent (same first name, same surname) is
        corroborated: the chance that a look-alike birth also lives with them is small. With `pending`,
        the proposals are added to it instead, to be given out later with everyone else's
        (`take_children`), so a weak early reading cannot take a birth a stronger later one explains.
        A child who turned eighteen while the mother's own directory entry (`home_years`) was current
        and is not listed with her is less likely hers (NOT_HOME_AT_18_LR)."""
        housemates = list(housemates)
        proposals = []
        if not children:
            return []
        births = self.frames["birth_index"]
        picked = births.iloc[[row for row, _ in children]]
        for (row, p), first, surname, sex, year in zip(children, picked["first"], picked["surname"],
                                                       picked["sex"], picked["year"], strict=True):
            at_home = any(_same_first(first, fn) and similar_surnames(surname, sn) for fn, sn in housemates)
            if at_home:
                p = 1 - (1 - p) * HOUSEHOLD_DOUBT
            elif pd.notna(year) and any(lo <= int(year) + 18 <= hi for lo, hi in home_years):
                p = p * NOT_HOME_AT_18_LR / (p * NOT_HOME_AT_18_LR + 1 - p)
            if prob * p < FLOOR:
                continue  # too weak to be worth a claim on the record
            proposals.append(ChildProposal(prob * p, row, p, _sibling_word(relationship_of_child, side, sex),
                                           mother_maiden, at_home, route, dict(self._notes.get(row, {}))))
        if pending is not None:
            pending.extend(proposals)
            return []
        return self.take_children(proposals)

    def _listed_with_siblings(self, proposals: list[ChildProposal]) -> None:
        """Raise the belief in a birth weakly read as a child of the family when the directory lists them
        at one address with a brother or sister more strongly read: another birth proposed as the same
        kind of relative (a cousin of the same side, a sibling), to a mother of the same maiden surname,
        born within 25 years, under another surname. A look-alike birth seldom shares a home with one
        of the family's children (an aunt's son by a partner nobody named, living with her son under her
        own surname). Two of one surname are one sibship, which the stronger reading already weighed:
        brothers and sisters of a look-alike family live together too."""
        if "directory" not in self.frames or not proposals:
            return
        firsts, surnames = self._column("birth_index", "first"), self._column("birth_index", "surname")
        mmns, years = self._column("birth_index", "mmn"), self._column("birth_index", "year")
        listed_first, listed_surname = self._column("directory", "first"), self._column("directory", "surname")
        by_key: dict[str, list[ChildProposal]] = {}
        for prop in proposals:
            by_key.setdefault(names.phonetic(surnames[prop.row], "nysiis"), []).append(prop)

        def kind(prop: ChildProposal) -> str:
            return prop.relationship if prop.relationship.endswith("cousin") else "sibling"

        def siblings(occupant: ChildProposal, main: ChildProposal, row: int) -> bool:
            """Whether directory `row`, listing `occupant` with someone, lists them with `main`'s birth."""
            a, b = occupant.row, main.row
            return a != b and kind(main) == kind(occupant) and bool(mmns[a]) \
                and similar_surnames(mmns[a], mmns[b]) and abs(years[a] - years[b]) <= 25 \
                and not similar_surnames(surnames[a], surnames[b]) \
                and _same_first(firsts[b], listed_first[row]) and similar_surnames(surnames[b], listed_surname[row])

        raised: dict[int, tuple[float, str]] = {}  # a weaker birth's row -> (belief, whom it lives with)
        for occupant in proposals:
            for r in self._listing(firsts[occupant.row], surnames[occupant.row]).tolist():
                for main in by_key.get(names.phonetic(listed_surname[r], "nysiis"), []):
                    if not siblings(occupant, main, r):
                        continue
                    weak, strong = sorted((occupant, main), key=lambda c: c.belief)
                    belief = strong.belief * LISTED_WITH_SIBLING
                    if belief > max(weak.belief, raised.get(weak.row, (0.0, ""))[0]):
                        other = strong.row
                        raised[weak.row] = (belief, f"{firsts[other]} {surnames[other]}")
        best: dict[int, float] = {}
        for prop in proposals:
            best[prop.row] = max(best.get(prop.row, 0.0), prop.belief)
        for prop in proposals:
            if prop.row in raised and raised[prop.row][0] > best[prop.row]:
                # Every reading of the birth by the same factor: the strongest stays the one it is given to.
                belief, prop.listed_with = raised[prop.row]
                parent = prop.belief / prop.p
                prop.p = min(0.97, prop.p * belief / best[prop.row])
                prop.belief = parent * prop.p

    def take_children(self, proposals: list[ChildProposal]) -> list[Found]:
        """Give each proposed birth entry to its strongest reading, strongest first."""
        found = []
        births = self.frames["birth_index"]
        self._listed_with_siblings(proposals)
        # A birth a named couple explains (an aunt's marriage to a JAMES) is not given to a partner
        # nobody named (the mother's, by a JAMES the records never show her with), however near.
        named = {prop.row for prop in proposals if prop.route in NAMED_ROUTES}
        for prop in sorted(proposals, key=lambda c: (-c.belief, c.row)):
            row, p = prop.row, prop.p
            if row in self.claimed["birth_index"] or (prop.route in UNNAMED_ROUTES and row in named):
                continue
            rec = births.iloc[row]
            person = Found(relationship=prop.relationship, forenames=rec["forenames"], surnames=[rec["surname"]],
                           prob=prop.belief, sex=rec["sex"], route=prop.route, step=p, notes=prop.notes)
            weight = round(math.log2(p / max(1 - p, 1e-9)), 2)
            person.chain.append(
                f"birth entry {rec['source']} {rec['record_id']}: {rec['forenames']} {rec['surname']}, "
                f"mother's maiden surname {rec['mmn']}"
            )
            mother_maiden = prop.mother_maiden
            level = "exact" if rec["mmn"] == mother_maiden else ("variant" if mother_maiden else "father_surname")
            self._claim(person, "birth_index", row, weight,
                        [{"field": "mother_maiden_surname" if mother_maiden else "surname", "level": level,
                          "weight": weight}])
            if prop.at_home:
                person.at_home = True
                person.chain.append("listed in the directory at the same address as their parent")
                person.evidence.append({"field": "household", "level": "lives_with_parent", "weight": None})
            if prop.listed_with:
                person.chain.append(f"listed in the directory at the same address as {prop.listed_with}, "
                                    "another child of the same mother")
                person.evidence.append({"field": "household", "level": "lives_with_sibling", "weight": None})
            person.birth_row = row
            person.mmn = rec["mmn"]
            person.born = _interval(rec["born_lo"], rec["born_hi"])
            if self.add(person) is None:
                break
            found.append(person)
        return found

    def places_of(self, person: Found, until: int | None = None) -> list[str]:
        """Where a person has been: birth district, marriage districts, directory towns (unclaimed look);
        with `until`, only directory spells last seen by that year (where they lived later says nothing
        of where their children were born)."""
        spots = [self._birth_place(person)]
        marriages = self.frames.get("marriage_index")
        if marriages is not None:
            spots += [marriages.iloc[r]["place"] for r in person.rows.get("marriage_index", [])]
        rows = self._own_directory(person)[:6]
        if rows:
            years, where = self._column("directory", "year"), self._column("directory", "place")
            spots += [where[r] for r in rows if until is None or np.isnan(years[r]) or years[r] <= until]
        return [s for s in dict.fromkeys([*spots, *self._remembered_places(person)]) if s]

    def _remembered_places(self, person: Found) -> list[str]:
        """Where the family, or the authority's records, remember a traced person living: the places of
        the seed person matched to them, or of a seed of their relationship, first forename and surname
        (an aunt's or uncle's seed is matched to them only at the end, but their children are sought
        before: an uncle remembered in Milton Keynes has his children registered there)."""
        out = []
        for seed in self._to_match:
            alike = _compatible(person.relationship, seed.relationship) and \
                _same_first(person.forenames, seed.forenames) and \
                any(similar_surnames(a, b) for a in seed.surnames for b in person.surnames)
            if seed.places and (seed.key == person.seed_person or alike):
                out += seed.places
        return out

    def _own_directory(self, person: Found) -> list[int]:
        """Directory rows that are probably this person's, best first (claimed or not: a look, no claim)."""
        if "directory" not in self.frames or not person.forenames or not person.surnames:
            return []
        self._look_up_directories([person])
        rows = self._directory_looks[(person.forenames, tuple(person.surnames), person.born)]
        listed = self._column("directory", "forenames")
        return [r for r in rows if _goes_by(person, listed[r])]

    def _look_up_directories(self, people: list[Found]) -> None:
        """Fill the directory looks of several people in one comparison pass."""
        todo = {}
        for person in people:
            key = (person.forenames, tuple(person.surnames), person.born)
            if person.forenames and person.surnames and key not in self._directory_looks:
                todo[key] = person
        if not todo or "directory" not in self.frames:
            return
        looks = [(self._query(p.forenames, p.surnames, p.born), p.surnames, None) for p in todo.values()]
        for key, scored in zip(todo, self._best_many("directory", looks, exclude_claimed=False), strict=True):
            if not scored.empty:
                scored = scored[(scored["probability"] >= LOOK_ACCEPT) & self._forenames_in(scored, ATTACH_FORENAMES)]
            self._directory_looks[key] = [] if scored.empty else [int(r) for r in scored["row"]]

    def housemates(self, person: Found) -> list[tuple[str, str]]:
        """(forenames, surname) of the other adults the directory lists at this person's addresses."""
        return [(fn, sn) for fn, sn, _row in self._housemate_spells(person)]

    def _housemate_spells(self, person: Found) -> list[tuple[str, str, int]]:
        """(forenames, surname, directory row) of each other adult listed at this person's addresses."""
        return [(fn, sn, row) for row in self._household_rows(person) for fn, sn in self._occupants(row)]

    def _household_rows(self, person: Found) -> list[int]:
        """The directory entries read for a person's household: their own likeliest eight."""
        return self._own_directory(person)[:8]

    def _together_since(self, person: Found, partner: str) -> int | None:
        """The first year the directory lists someone of the partner's surname at this person's address;
        None when that is the directory's own first year (they may have lived together before it began)."""
        if "directory" not in self.frames:
            return None
        rows = [row for _fn, sn, row in self._housemate_spells(person) if sn == partner]
        if not rows:
            return None
        since = float(np.nanmin(self._column("directory", "first_seen")[rows].astype(float)))
        return None if np.isnan(since) or since <= self._first_year("directory") else int(since)

    def _listed_with(self, person: Found) -> list[tuple[str, str, int]]:
        """(forenames, surname, row) of the people whose directory entries list this person living with
        them (a directory lists one occupant by name and the others with them: she may be only ever the
        other)."""
        if "directory" not in self.frames or not person.forenames:
            return []
        first = person.forenames.split(" ")[0]
        forenames, surnames = self._column("directory", "forenames"), self._column("directory", "surname")
        last_seen = self._column("directory", "year")
        # A woman is listed under a husband's surname only from their marriage: a DONNA GREEN listed
        # with a STEPHEN GREEN years before Donna EDWARDS married a GREEN is a namesake.
        wed = self._marriage_years(person) if person.sex == "F" else {}
        out = []
        for surname in dict.fromkeys(person.surnames):
            rows = self._listing(first, surname)
            since = next((year for spouse, year in wed.items() if similar_surnames(spouse, surname)), None)
            if since is not None and not similar_surnames(surname, person.birth_surname):
                rows = rows[~(last_seen[rows].astype(float) < since - 1)]  # undated entries kept
            out += [(forenames[r], surnames[r], r) for r in rows.tolist()
                    if any(similar_surnames(sn, surname) for fn, sn in self._occupants(r)
                           if fn.split(" ")[0] == first)]
        return out

    def _occupants(self, row: int) -> list[tuple[str, str]]:
        """(forenames, surname) of the other adults a directory entry lists at its address."""
        out = []
        for other in str(self._column("directory", "others")[row] or "").split(";"):
            fn, sn = names.split_full_name(other.strip())
            if fn and sn:
                out.append((fn, sn))
        return out

    def parents_of(self, child: Found, side: str, prob: float,
                   seeds: dict[str, SeedFacts]) -> tuple[Found | None, Found | None]:
        """Mother and father of someone whose birth entry is known: through the parents' marriage,
        the family's memory, the authority's case records and the mother's household."""
        mother_rel = "mother" if side == "child" else f"{side}_grandmother"
        father_rel = "father" if side == "child" else f"{side}_grandfather"
        seed_m, seed_f = seeds.get(mother_rel), seeds.get(father_rel)
        mmn, surname = child.mmn, child.birth_surname
        born_year = _year(child.born.lo) if child.born else None
        window = (born_year - 30, born_year + 1) if born_year else (1837, 2100)
        near = [self._birth_place(child), *(seed_m.places if seed_m else ()), *(seed_f.places if seed_f else ())]
        born_row = {child.birth_row} if child.birth_row is not None else set()
        marriage = self._parents_marriage(mmn, surname, window, seed_m, near, born_row)
        # A woman married before marries again under the surname she has then (SULLIVAN Nicola J to
        # THOMAS Mark), not her maiden one: the other surnames the family knows her by.
        for then in (seed_m.surnames if seed_m and marriage is None else ()):
            if not similar_surnames(then, mmn) and not similar_surnames(then, surname):
                # A child under the mother's maiden surname (RICHARDSON, mother's maiden surname RICHARDSON)
                # is still likelier an unmarried mother's than that of a man of her own maiden surname she
                # married under a former husband's (MILLS): the own-name prior holds.
                marriage = self._parents_marriage(then, surname, window, seed_m, near, born_row,
                                                  own_name=similar_surnames(mmn, surname))
                if marriage:
                    break
        if marriage and seed_m and not seed_m.forenames and not self._could_be_born_as(marriage[0], mmn, seed_m.born):
            # Nobody remembers her forenames but her age: a bride of none of the girls born then under
            # the maiden surname is another woman (a Shirley DAVIES who married an EVANS, for a mother
            # born in 1978 whose only DAVIES entry that year is Jacqueline Tracey's).
            marriage = None
        mother = father = None
        if marriage:
            # Only hers: a man the mother married need not be the child's father (a stepfather of the
            # child's surname), so a record naming another man as the father stands.
            seed_m = _unless_another(seed_m, marriage[0], seed_f, marriage[1])

        m_forenames = _fuller(marriage[0]["forenames"] if marriage else "", seed_m.forenames if seed_m else "")
        own_marriage = None
        if not m_forenames and seed_m and mmn:
            # Nobody remembers her forenames: her marriage from her maiden surname to the one the family uses.
            for later in (s for s in seed_m.surnames if not similar_surnames(s, mmn)):
                options = self.couple(mmn, later, (born_year - 40, 2100) if born_year else (1837, 2100))
                if options:
                    own_marriage = options[0][0]
                    m_forenames = own_marriage["forenames"]
                    break
        if not m_forenames and mmn:
            # Still nameless: a woman the directory shows living with her grown child, under her maiden
            # surname or the child's, whose birth entry (under the maiden surname) fits a mother's age.
            m_forenames = self._household_mother(child, mmn)
        if not m_forenames and mmn and side == "child":
            m_forenames = self._named_by_grandfather(child, "F", mmn, seeds.get("maternal_grandfather")) \
                or self._named_by_mothers_maiden(mmn, "F", seed_m, seeds.get("maternal_grandmother"))
        if mmn or seed_m:
            # Seed surnames run earliest first: former (maiden) surnames, then the current one.
            maiden = [s for s in dict.fromkeys([mmn, *(seed_m.surnames if seed_m else ())]) if s]
            mother = Found(relationship=mother_rel, forenames=m_forenames, surnames=maiden, prob=prob,
                           born=_seed_born(seed_m, _shift(child.born, 14, 50)), sex="F",
                           seed_person=_seed_key(seed_m))
            for rec, what in ((marriage[0] if marriage else None, "parents' marriage"), (own_marriage, "marriage")):
                if rec is None:
                    continue
                self._claim(mother, "marriage_index", int(rec.name), 6.0)
                # Married then, so born 16 to 80 years before: narrows her birth when no entry is found.
                mother.born = _intersect(mother.born, _interval(rec["born_lo"], rec["born_hi"]))
                mother.chain.append(f"{what} {rec['source']} {rec['record_id']} "
                                    f"({rec['surname']} to {rec['spouse']}, {rec['year']})")
                if rec["spouse"] not in mother.surnames:
                    mother.surnames.append(rec["spouse"])
            # Her birth entry is under the maiden surname her child's entry gives, when it gives one, or
            # under the family's spelling of it when the two are one slip apart (BRWN registered for the
            # child, BROWN remembered, BROWU at her own birth: two edits from the child's entry).
            born_as = [mmn, *(s for s in maiden[1:] if similar_surnames(s, mmn))] if mmn else None
            self._resolve_parent(mother, prob, seed_m, bool(marriage), birth_surnames=born_as,
                                 kin=self._side_kin(seeds, "maternal") if side == "child" else (),
                                 generation=_shift(child.born, 14, 50), child=child)
            self.add(mother)

        f_forenames = _fuller(marriage[1]["forenames"] if marriage and marriage[1] is not None else "",
                              seed_f.forenames if seed_f else "")  # "John Stephen" registered, "Jack" remembered
        # The child's surname is the father's, unless it is the mother's own (as the entry spells her maiden
        # surname, or one slip from it: JAMES, mother's maiden surname JAMSE) and she married no man of it.
        own = surname == mmn or _spelling_slip(surname or "", mmn or "")
        his = surname and (not own or (marriage is not None and marriage[1] is not None))
        f_surnames = [s for s in dict.fromkeys(
            ([surname] if his else []) + list(seed_f.surnames if seed_f else [])) if s]
        if not f_surnames and side == "child":
            f_surnames = _surname_from_his_parents(seeds) or \
                ([self._siblings_surname] if self._siblings_surname and own else [])
        if (not f_forenames or not f_surnames) and mother is not None and mother.forenames:
            f_forenames, f_surnames = self._household_father(mother, child, f_forenames, f_surnames)
        if not f_forenames and f_surnames and side == "child":
            f_forenames = self._named_by_grandfather(child, "M", f_surnames[0], seeds.get("paternal_grandfather")) \
                or self._named_by_mothers_maiden(f_surnames[0], "M", seed_f, seeds.get("paternal_grandmother"))
        if f_surnames and (f_forenames or _dated(seed_f)):
            father = Found(relationship=father_rel, forenames=f_forenames, surnames=f_surnames, prob=prob,
                           born=_seed_born(seed_f, _shift(child.born, 15, 65)), sex="M",
                           seed_person=_seed_key(seed_f))
            if marriage is not None and marriage[1] is not None:
                self._claim(father, "marriage_index", int(marriage[1].name), 6.0)
                father.born = _intersect(father.born, _interval(marriage[1]["born_lo"], marriage[1]["born_hi"]))
            self._resolve_parent(father, prob, seed_f, bool(marriage),
                                 kin=self._side_kin(seeds, "paternal") if side == "child" else (),
                                 generation=_shift(child.born, 15, 65), partner=mother, child=child)
            # Nameless and his birth entry not found: nothing to look for him by.
            if father.forenames:
                self.add(father)
            else:
                father = None
        return mother, father

    @staticmethod
    def _side_kin(seeds: dict[str, SeedFacts], side: str) -> tuple[SeedFacts, ...]:
        """Seed grandparents, aunts and uncles of one side: the parent's own parents and siblings."""
        return tuple(s for rel, s in seeds.items() if rel.startswith(side + "_") and not rel.endswith("cousin"))

    def _parents_marriage(self, mmn: str, surname: str, window: tuple[int, int], seed_m: SeedFacts | None,
                          near: Sequence[str] = (), exclude: Collection[int] = frozenset(),
                          own_name: bool = False) -> tuple[pd.Series, pd.Series | None] | None:
        """The marriage of a child's parents: the mother's maiden surname to the child's surname, when
        one is likelier theirs than not. Many couples never marry, and a common pair of names (a
        WILLIAMS woman and a TAYLOR man) marries by chance often enough: each marriage found is weighed
        by where it took place (near the child's birth) and by the mother's remembered forename,
        against the look-alike marriages expected in the window. `near` starts with the child's birth
        district; `exclude` holds the child's birth entry (not a birth to the couple who married). A child
        under the mother's own surname is weighed by how seldom such a child's parents married (also when
        `mmn` is a former married surname of hers: `own_name`, the child's entry giving her maiden one)."""
        if not mmn or not surname:
            return None
        options = self.couple(mmn, surname, window)
        if not options:
            return None
        brides = pd.DataFrame([bride for bride, _ in options])
        lr = self._place_ratio(brides, near, table=MARRIAGE_PLACE_LR)
        lr = lr * self._married_elsewhere(brides, mmn, surname, near[:1], exclude)
        lr = lr * self._sound_alike(brides["surname"], mmn) * self._sound_alike(brides["spouse"], surname)
        if seed_m and seed_m.forenames:
            # A remembered forename that agrees is strong; one that does not may be a pet name no table
            # knows ("Shell" for Michelle), so it weighs only a little against, unless it cannot be made
            # from any of hers (KELLY for JOANNA). Only a forename the family remember rules a bride out
            # so: one a case record adds may be a namesake's (matched to the child by first forename).
            first = seed_m.forenames.split()[0]
            own = self._seeds_by_key.get(seed_m.key)
            other_name = FORENAME_OTHER_NAME if own is not None and _same_first(own.forenames, first) \
                else FORENAME_DISAGREES
            lr = lr * np.array([FAMILY_FORENAME_LR if _same_first(f, first) else
                                FORENAME_DISAGREES if any(_may_be_called(first, x) for x in str(fs).split()) else
                                other_name
                                for f, fs in zip(brides["first"], brides["forenames"], strict=True)])
        married = next(share for year, share in MARRIED_SHARE if window[1] - 1 <= year)
        prior = married / (1 - married)
        if own_name or similar_surnames(mmn, surname):
            # A child under the mother's maiden surname is mostly an unmarried mother's, registered in
            # her own name; the parents married only when she married a man of her own surname (JACKSON
            # to JACKSON), as often as a man of hers is among the husbands.
            share = self._block_share(self.by_surname["marriage_index"], surname,
                                      len(self._column("marriage_index", "year")))
            prior = married * share / ((1 - married) * UNMARRIED_OWN_NAME)
        odds = prior * lr / max(self._chance_marriages(mmn, surname, window), 1e-3)
        belief = odds / (1.0 + odds.sum())
        best = int(np.argmax(belief))
        return options[best] if belief[best] >= ACCEPT else None

    def _sound_alike(self, recorded: pd.Series, sought: str) -> np.ndarray:
        """For each surname a marriage shows, how far it weighs against being `sought` when it only
        sounds like it (JONES for JAMES, two letters apart): chance marriages are counted over the whole
        block of the sought name's sound, as if each of its spellings were as likely the one sought. A
        spelling one slip away is; a common name that only sounds alike is mostly another family's, and
        is so by `_name_evidence` (its frequency against the slips of the sought name)."""
        births = self.by_surname.get("birth_index")
        out = np.ones(len(recorded))
        if births is None or not sought:
            return out
        block = self._block_share(births, sought, len(self._column("birth_index", "year")))
        for i, name in enumerate(recorded):
            if not isinstance(name, str) or name == sought or DamerauLevenshtein.distance(name, sought) <= 1 \
                    or ocr_canonical(name) == ocr_canonical(sought):
                continue
            out[i] = min(1.0, self._name_evidence(name, sought, self._surname_freq) * block)
        return out

    def _married_elsewhere(self, brides: pd.DataFrame, mmn: str, surname: str, born_at: Sequence[str],
                           exclude: Collection[int]) -> np.ndarray:
        """For each marriage far from where the child was born: ELSEWHERE_LR when births to a couple of
        these names (not the child's) followed it where they married, while the family was already
        living where the child was born. Those are that couple's children, and the child is likelier
        another couple's of the same names."""
        out = np.ones(len(brides))
        births = self.frames.get("birth_index")
        if births is None or self.by_mmn is None or not [p for p in born_at if p]:
            return out
        far = self._place_ratio(brides, born_at, table=MARRIAGE_PLACE_LR) <= MARRIAGE_PLACE_LR["far"]
        if not far.any():
            return out
        at = self.by_mmn.block(names.phonetic(mmn, "nysiis"), names=(mmn,))
        at = at[~np.isin(at, list(exclude))]
        at = at[_similar_mask(pd.Series(self._column("birth_index", "surname")[at]), [surname])
                & _similar_mask(pd.Series(self._column("birth_index", "mmn")[at]), [mmn])]
        years = self._column("birth_index", "year")[at]
        # When the family lived where the child was born: from the first birth of these names there.
        here = [*at[self._place_ratio(births.iloc[at], born_at) >= PLACE_LR["near"]], *exclude]
        settled = np.nanmin(self._born["birth_index"][0][here]) if here else np.nan
        for i in np.flatnonzero(far):
            bride = brides.iloc[i]
            if pd.isna(bride["year"]) or np.isnan(settled):
                continue
            after = at[(years >= bride["year"]) & (years <= bride["year"] + 20)]
            there = after[self._place_ratio(births.iloc[after], [str(bride["place"])]) >= PLACE_LR["near"]]
            # A family may marry in one place and move: births there before they settled where the
            # child was born are theirs. Births there after are another couple's.
            if len(there) and np.nanmax(self._born["birth_index"][1][there]) >= settled:
                out[i] = ELSEWHERE_LR
        return out

    def _chance_marriages(self, bride: str, groom: str, window: tuple[int, int]) -> float:
        """Marriages expected in the window between a woman and a man of these surnames by chance."""
        index = self.by_surname["marriage_index"]
        years = self._column("marriage_index", "year")
        couples = float(((years >= window[0]) & (years <= window[1])).sum()) / 2
        return couples * self._block_share(index, bride, len(years)) * self._block_share(index, groom, len(years))

    def _resolve_parent(self, parent: Found, prob: float, seed: SeedFacts | None, married: bool,
                        birth_surnames: list[str] | None = None, kin: tuple[SeedFacts, ...] = (),
                        generation: dates.Interval | None = None, partner: Found | None = None,
                        child: Found | None = None) -> None:
        """A parent's birth entry; belief in them rests on it, on the marriage and on the family's memory.

        `partner` is the child's other parent: a directory spell at an address they share gives this
        parent's age and fuller forenames when the birth entry is not found by what the family remembers."""
        if not parent.forenames and not _dated(seed):
            # Nameless and no date of birth to find them by: a surname and a year pick a look-alike.
            parent.prob = prob * 0.3
            return
        place = seed.places[0] if seed and seed.places else ""
        if not place and parent.rows.get("marriage_index"):
            # Nobody remembers where they lived: most marry near where they grew up.
            place = str(self.frames["marriage_index"].iloc[parent.rows["marriage_index"][0]]["place"])
        if parent.sex in ("F", "M"):
            # A father's birth entry is not a girl's (MICHELLE MARY for a remembered MICHAEL). Here, not
            # in resolve_birth: an entry's sex is guessed from its forenames, and for the child (whose
            # sex the case states) a wrong guess would lose the anchor of the whole search.
            sexes, other = self._column("birth_index", "sex"), "F" if parent.sex == "M" else "M"
            mask = lambda positions: sexes[positions] != other  # noqa: E731
        else:
            mask = None
        lived = seed.places if seed else ()

        def look(forenames: str, born: dates.Interval | None, where: str = place) -> float:
            """The birth entry by these forenames and dates; what was known before stands unless found."""
            before = parent.forenames, parent.born
            parent.forenames, parent.born = forenames, born
            found = self.resolve_birth(parent, mask=mask, place=where, birth_surnames=birth_surnames, kin=kin,
                                       lived=lived, child=child)
            if found < ACCEPT:
                parent.forenames, parent.born = before
            return found

        p = look(parent.forenames, parent.born)
        if p < ACCEPT and seed is not None and seed.remembered_age is not None and generation is not None \
                and parent.born is not None and generation.lo < parent.born.lo:
            # Not found at the age remembered: it may be their age when last known (at death), so
            # any earlier birth their place in the family allows.
            p = look(parent.forenames, dates.Interval(generation.lo, parent.born.hi))
        spell = self._spell_with(parent, partner) if p < ACCEPT and partner is not None else None
        if spell is not None:
            # Living with the other parent ("Stephen Anthony Wilkinson", 35-39, with Stacey L Bell): that
            # spell's forenames and age band, as a remembered name and age would be.
            rec = self.frames["directory"].iloc[spell]
            p = look(_fuller(str(rec["forenames"]), parent.forenames),
                     _intersect(_interval(rec["born_lo"], rec["born_hi"]), parent.born), place or str(rec["place"]))
        wed = self._column("marriage_index", "forenames")[parent.rows["marriage_index"][0]] \
            if p < ACCEPT and parent.rows.get("marriage_index") else ""
        said = parent.forenames.split(" ")[0]
        if wed and wed != parent.forenames and (_may_be_called(said, wed) or self._no_name(said)):
            # Not found by the name the family or a record gives, when the groom may be called by it or it
            # is no name at all (a case record's JCK): by the forenames the couple's marriage registered
            # (JOHN F). A groom of another name (STEPHEN DANIEL, for a father remembered as Jay, a JASON's
            # diminutive) may be the child's stepfather.
            p = look(wed, parent.born)
        if p >= ACCEPT:
            parent.prob = prob * (0.55 + 0.45 * p)
        else:
            parent.prob = prob * (0.5 if married or seed else 0.3)

    def _no_name(self, first: str) -> bool:
        """Whether a forename is none many births are registered with nor a diminutive or formal form of
        another name (JCK, a slip; not JAY, for JASON)."""
        return first not in self._common_firsts() and len(names.forename_variants(first)) < 2

    def _spell_with(self, person: Found, partner: Found) -> int | None:
        """The person's likeliest directory spell that lists the partner at the same address. A common
        name has dozens of spells, and one listing them as MARK T, with an age band wider than the
        name's look allows, may be none of the likeliest: the partner beside them tells."""
        if not partner.forenames or not partner.surnames:
            return None
        row = next((row for row in self._own_directory(person) if self._lives_with(row, partner, _first_slip)), None)
        if row is not None or not person.forenames or not person.surnames or "directory" not in self.frames:
            return row
        first = person.forenames.split(" ")[0]
        lo, hi = self._born["directory"]
        return next((r for fn, sn, r in self._listed_with(partner)
                     if _same_first(fn.split(" ")[0], first) and any(similar_surnames(sn, x) for x in person.surnames)
                     and (person.born is None or not (hi[r] < person.born.lo or lo[r] > person.born.hi))), None)

    def _household_mother(self, child: Found, mmn: str) -> str:
        """Forenames of the child's mother from the child's directory households (see parents_of)."""
        counts: dict[str, int] = {}
        for fn, sn in self.housemates(child):
            if guess_sex(fn) != "F":
                continue
            if similar_surnames(sn, mmn) or any(similar_surnames(sn, s) for s in child.surnames):
                counts[fn] = counts.get(fn, 0) + 1
        window = _shift(child.born, 14, 50)
        for fn, _n in sorted(counts.items(), key=lambda kv: -kv[1]):
            births = self._best("birth_index", self._query(fn, [mmn], window), [mmn])
            if not births.empty and float(births.iloc[0]["probability"]) >= ACCEPT:
                return fn
        return ""

    def _named_by_grandfather(self, child: Found, sex: str, surname: str, seed: SeedFacts | None) -> str:
        """Forenames of a parent nobody named, through their father as the family remembers him: his
        birth entry under the parent's surname, his marriage, and the one son (or daughter) of it born
        when the child's parent was, the child's birth entry left out. Nothing when any step is
        unsure or two of his children would do."""
        if seed is None or not seed.forenames or child.born is None or not surname:
            return ""
        if seed.surnames and not any(similar_surnames(s, surname) for s in seed.surnames):
            return ""
        place = seed.places[0] if seed.places else ""
        born = _seed_born(seed, _shift(child.born, 30, 100))
        surnames = list(dict.fromkeys([*seed.surnames, surname]))  # the family's spelling first
        births = self._best("birth_index", self._query(seed.forenames, surnames, born, place), surnames)
        if births.empty or born is None:
            return ""
        lo, hi = (self._born["birth_index"][i][births["row"].to_numpy(dtype=int)] for i in (0, 1))
        births = births[self._forenames_in(births, STRONG_FORENAMES).to_numpy() & (lo >= born.lo) & (hi <= born.hi)]
        if births.empty or float(births.iloc[0]["probability"]) < ACCEPT:
            return ""
        own = self.frames["birth_index"].iloc[int(births.iloc[0]["row"])]
        surname = own["surname"]
        his_born = _interval(own["born_lo"], own["born_hi"])
        weddings = self._best("marriage_index", self._query(own["forenames"], [surname], his_born, place), [surname])
        if weddings.empty:
            return ""
        weddings = weddings[(weddings["probability"] >= ACCEPT) & self._forenames_in(weddings, MARRIAGE_FORENAMES)]
        frame = self.frames["marriage_index"]
        near = [self._birth_place(child), own["place"], *seed.places]
        window = _shift(child.born, 15, 65) if sex == "M" else _shift(child.born, 14, 50)
        exclude = {child.birth_row} if child.birth_row is not None else set()
        fits = []
        for row in weddings["row"].head(3):
            wedding = frame.iloc[int(row)]
            wife = wedding["spouse"]
            for birth, p in self.children_of([surname, wife], wife, window, [*near, wedding["place"]], exclude):
                rec = self.frames["birth_index"].iloc[birth]
                if p >= ACCEPT and guess_sex(rec["forenames"]) == sex:
                    fits.append(rec["forenames"])
        return fits[0] if len(set(fits)) == 1 else ""

    def _household_father(self, mother: Found, child: Found, forenames: str,
                          surnames: list[str]) -> tuple[str, list[str]]:
        """The father named by the mother's household: a man living with her in the directory whose
        name fits what is known (the child's surname, the forenames the family remembers)."""
        want_first = forenames.split(" ")[0] if forenames else ""
        counts: dict[tuple[str, str], tuple[int, str, str]] = {}
        others = self._other_fathers(mother)
        if mother.sex == "F" and len(mother.surnames) > 1 and not mother.rows.get("marriage_index"):
            self.marriages(mother)  # when she took each surname (see _listed_with)
        household = [*self._housemate_spells(mother), *self._listed_with(mother)]
        then = self._together_then(child, household)
        for fn, sn, _row in household:
            key = names.phonetic(sn, "nysiis")
            if guess_sex(fn) == "F" or key in others:
                continue
            if surnames and not any(similar_surnames(sn, s) for s in surnames):
                continue
            first = fn.split(" ")[0]
            if want_first and first != want_first and not names.are_nicknames(first, want_first):
                continue
            if then is not None and not any(key == theirs and _one_first(fn, them) for them, theirs in then):
                continue  # with her only before the child was conceived, or only from later: not the father
            # One man listed as PAUL D BROWN and as PAUL BROWN: his spells count together, under his
            # fullest forenames.
            n, fuller, _sn = counts.get((first, key), (0, "", sn))
            counts[(first, key)] = (n + 1, fn if len(fn) > len(fuller) else fuller, sn)
        window = _shift(child.born, 15, 65)
        for _n, fn, sn in sorted(counts.values(), key=lambda c: -c[0]):
            # A son living with his mother shares the surname too: the father was born a generation
            # earlier. Someone of his name born then is enough (a common name's entries each fall short).
            births = self._best("birth_index", self._query(fn, [sn], window), [sn])
            if not births.empty and float(births["probability"].sum()) >= ACCEPT:
                return (forenames or fn), (surnames or [sn])
        return forenames, surnames

    def _together_then(self, child: Found, spells: list[tuple[str, str, int]]) -> list[tuple[str, str]] | None:
        """(forenames, phonetic key of the surname) of those the directory shows living with the mother
        within a year of the child's birth; None when the directory does not reach back to the birth (no
        timing to go by). A man listed with her only from later is likelier a stepfather, one listed
        only before the child was conceived a former partner."""
        born = _year(child.born.lo) if child.born is not None else None
        if born is None or "directory" not in self.frames or not born > self._first_year("directory"):
            return None
        first_seen, last_seen = (self._column("directory", c).astype(float) for c in ("first_seen", "year"))
        return [(fn, names.phonetic(sn, "nysiis")) for fn, sn, row in spells
                if first_seen[row] <= born + 1 and last_seen[row] >= born - 1]

    def _other_fathers(self, mother: Found) -> set[str]:
        """Phonetic keys of surnames that are another father's: those of the half-brothers and
        half-sisters the family remember whose birth entries give the mother's maiden surname (her
        children by another man; a man of that surname at her address is more likely his father)."""
        out: set[str] = set()
        if "birth_index" not in self.frames:
            return out
        window = _shift(mother.born, -45, -14) if mother.born is not None else None
        mmn, firsts = self._column("birth_index", "mmn"), self._column("birth_index", "first")
        for seed in self._seeds_by_key.values():
            if not seed.relationship.startswith("half_") or not seed.forenames:
                continue
            born = seed.born or window
            lo, hi = (born.lo, born.hi) if born is not None else (-np.inf, np.inf)
            for surname in seed.surnames:
                if any(similar_surnames(surname, s) for s in mother.surnames):
                    continue  # her own name, maiden or married: not another man's
                rows = self._births_under(surname, lo, hi)
                if any(similar_surnames(mmn[r], mother.birth_surname) and _same_first(firsts[r], seed.forenames)
                       for r in rows.tolist()):
                    out.add(names.phonetic(surname, "nysiis"))
        return out

    def trace(self, case: CaseFacts) -> list[Found]:
        """The child's family network, most certain first."""
        child = Found(relationship="child", forenames=case.child.forenames, surnames=list(case.child.surnames),
                      prob=1.0, born=case.child.born, sex=case.child.sex)
        p_child = self.resolve_birth(child, place=case.child.places[0] if case.child.places else "")
        p_child = p_child if p_child >= ACCEPT else 0.0
        self._child = case.child
        self._seeds_by_key = {s.key: s for s in case.people}
        self._full_siblings = [p for p in case.people if p.relationship in ("sister", "brother", "sibling")
                               and p.forenames and p.surnames]
        # A child registered under the mother's maiden surname: a brother or sister the family remember
        # under another has their father's, and so the child's. A case record naming a father of another
        # surname is about a namesake child (another Olivia JONES, whose father is an ASHWORTH).
        own = p_child and child.mmn and similar_surnames(child.birth_surname, child.mmn)
        self._siblings_surname = _fathers_surname_by_siblings(case, child.mmn) if own else None
        hints = [h for h in self.case_record_seeds(case) if not self._another_mans(h)]
        seeds, folded = self._merged_seeds(case, hints)
        # Who is matched to the traced at the end, or looked for: each seed person with what the case
        # records add to them, and each case-record relative not folded into one.
        merged = {s.key: s for s in seeds.values()}
        self._to_match = [*(merged.get(s.key, s) for s in case.people), *(h for h in hints if h.key not in folded)]
        if p_child:
            mother, father = self.parents_of(child, "child", 0.98 * (0.6 + 0.4 * p_child), seeds)
        else:
            mother, father = self._from_seeds_only(case, seeds)
        for parent in (p for p in (mother, father) if p is not None):
            self.marriages(parent)
        if mother is not None:
            self._wed_again_after(mother, child)
        place = case.child.places[0] if case.child.places else ""
        base = mother.prob if mother else 0.5
        # Births only a weak reading reaches (a partner nobody named) are given out at the end, with
        # the cousins: the same birth may be a half-sibling's or a cousin's, and the stronger reading wins.
        weak: list[ChildProposal] = []
        exclude = {child.birth_row} if child.birth_row is not None else set()
        father_surnames = [s for s in [child.birth_surname, *(father.surnames if father else [])] if s]
        father_keys = set(self._keys(father_surnames))
        if mother is not None and mother.birth_surname:
            near = [place, *self.places_of(mother)]
            home = self.housemates(mother)
            # The child's surname may be the mother's own: only a father of her surname makes it theirs.
            self.family_of(father_surnames, mother.birth_surname, mother.born, "sibling", "", base * STEP_DECAY,
                           exclude, near, home, one_name=father is not None
                           and similar_surnames(father.birth_surname, mother.birth_surname))
            # Half-siblings: the mother's children under another surname (another father): her married
            # names, men the directory shows living with her, or a partner nobody named.
            others = [s for s in mother.surnames if names.phonetic(s, "nysiis") not in father_keys]
            if others:
                self.family_of(others, mother.birth_surname, mother.born, "half_sibling", "",
                               base * STEP_DECAY * 0.9, exclude, near, home)
            for partner in self._partners(mother, home, father_keys):
                self.family_of([partner], mother.birth_surname, mother.born, "half_sibling", "",
                               base * STEP_DECAY * 0.85, exclude, near, home, "household_partner", weak,
                               married=self._together_since(mother, partner))
            self.family_of(None, mother.birth_surname, mother.born, "half_sibling", "",
                           base * STEP_DECAY * 0.8, exclude, near, home, pending=weak)
        if father is not None and father.birth_row is not None and father.born is not None:
            # The father's children by other mothers: his surname, another maiden surname, near him.
            near = [place, *self.places_of(father)]
            home = self.housemates(father)
            mothers = [*(mother.surnames if mother else []), *([child.mmn] if child.mmn else [])]
            for partner in self._partners(father, home, set(self._keys(mothers))):
                self.family_of([father.birth_surname], partner, father.born, "half_sibling", "",
                               father.prob * STEP_DECAY * 0.85, exclude, near, home, "household_partner", weak,
                               married=self._together_since(father, partner))
            by_others = self.children_of_father(father.birth_surname, father.born, near, mothers)
            self._children_found(by_others, "half_sibling", "", father.prob * STEP_DECAY * 0.6, "", home,
                                 "unnamed_father", weak)
        cousins = weak
        aunts_of: dict[str, list[Found]] = {}
        unnamed: list[tuple[str, Found, float, set[int], list[str]]] = []
        for side, parent in (("maternal", mother), ("paternal", father)):
            if parent is None or parent.birth_row is None:
                continue
            side_seeds = {k: v for k, v in seeds.items() if k.startswith(side)}
            gm, gf = self.parents_of(parent, side, parent.prob * STEP_DECAY, side_seeds)
            for gp in (gm, gf):
                if gp is not None:
                    self.marriages(gp)
            if gm is not None:
                self._wed_again_after(gm, parent)
            if gm is not None and gm.birth_surname:
                # Born where the parent was born, or where the grandparents married and lived.
                # Directory spells only from by the time the youngest aunt or uncle could be born.
                until = _year(gm.born.hi) + 45 if gm.born is not None else None
                near = [self._birth_place(parent),
                        *(x for g in (gm, gf) if g is not None for x in self.places_of(g, until))]
                prob = (gm.prob if gm.birth_row is not None else parent.prob) * STEP_DECAY
                exclude = {parent.birth_row, *self._her_own_births(gm)}
                aunts_of[side] = self.family_of([gf.birth_surname if gf else parent.birth_surname],
                                                gm.birth_surname, gm.born, "aunt", side, prob, exclude, near)
                if gf is None and similar_surnames(parent.birth_surname, gm.birth_surname):
                    unnamed.append((side, gm, prob * 0.8, exclude, near))
        # An aunt the family remembers, or the authority's records name, is surer than her entry alone
        # says, and so are her children: the seeds are matched to the aunts and uncles of both sides
        # (a remembered "aunt" may be either side's) before their families are followed.
        aunt_words = [f"{side}_{rel}" for side in aunts_of for rel in ("aunt", "uncle")]
        for seed in self._to_match:
            if any(_compatible(word, seed.relationship) for word in aunt_words):
                self._corroborate(seed)
        for side, aunts in aunts_of.items():
            self._follow_families(aunts, side, cousins)
        self.take_children(cousins)
        self._aunts_by_unnamed_grandfathers(unnamed)
        self._unfound_seeds()
        # Whereabouts and deaths for everyone but the weakest readings (kept, as candidates the scorer
        # judges, but not worth a search of every directory and death entry for their names).
        likely = sorted((p for p in self.found if p.relationship != "child" and p.prob >= ATTACH_FLOOR),
                        key=lambda p: -p.prob)[:ATTACH_MOST]
        self._attach_global(self._propose_attachments(likely))
        self._deaths_outlived(likely)
        self._deaths_under_other_names(likely)
        self._deaths_at_remembered_age(likely)
        self._deaths_by_middle_initial(likely)
        self._deaths_where_last_seen(likely)
        # A candidate is a person the records show: someone no record was linked to is not one.
        return [p for p in self.found if p.relationship != "child" and p.records]

    def _aunts_by_unnamed_grandfathers(self, unnamed: list[tuple[str, Found, float, set[int], list[str]]]) -> None:
        """A parent registered under their mother's own surname, with nobody naming their father: her other
        children may carry his, as a partner nobody named (a couple who never married register each
        child under either name). Read only once the stronger readings have taken their births (a
        cousin whose mother was registered under the grandmother's surname looks the same), then the
        families of those likelier than not hers followed as the other aunts' were (a look-alike's
        children would double the cost of a wrong one). `unnamed`: (side, grandmother, belief, births
        left out, places) for each side this applies to."""
        for side, gm, prob, exclude, near in unnamed:
            aunts = self.family_of(None, gm.birth_surname, gm.born, "aunt", side, prob, exclude, near)
            cousins: list[ChildProposal] = []
            self._follow_families([a for a in aunts if a.prob >= ACCEPT], side, cousins)
            self.take_children(cousins)

    def _follow_families(self, aunts: list[Found], side: str, pending: list[ChildProposal]) -> None:
        """The families of the likeliest few aunts and uncles (a couple has only so many children; look-alike
        sibships in a large index must not multiply the work): their marriages, homes and children, the
        children proposed to `pending`."""
        followed = sorted(aunts, key=lambda a: -a.prob)[:FOLLOW_MOST]
        self.marriages_many(followed)
        self._look_up_directories(followed)
        for aunt in followed:
            self._cousins(aunt, side, pending)

    def _cousins(self, parent: Found, side: str, pending: list[ChildProposal]) -> None:
        """Children of an aunt (under her married surnames, her own, or a partner's near where she lived)
        or of an uncle (his surname and his wife's or partner's maiden surname), proposed to `pending`."""
        marriages = self.frames.get("marriage_index")
        near = self.places_of(parent)
        home = self.housemates(parent)
        partners = self._partners(parent, home)
        if parent.sex == "F":
            home_years = self._home_years(parent)
            married = bool(parent.rows.get("marriage_index"))
            wed = self._marriage_years(parent)
            # A husband of her own surname (a JONES who married a JONES) gives her no new one, but their
            # children under it are the marriage's.
            same = [h for h in wed if similar_surnames(h, parent.birth_surname)]
            for husband in dict.fromkeys([*parent.surnames[1:], *same]):
                # Children of a marriage are registered under the husband's surname, mostly after it.
                self.family_of([husband], parent.birth_surname, parent.born, "cousin", side,
                               parent.prob * STEP_DECAY * (1.0 if married else 0.7), set(), near, home,
                               "married_name", pending, maiden_too=False, married=wed.get(husband),
                               home_years=home_years)
            self.family_of([], parent.birth_surname, parent.born, "cousin", side,
                           parent.prob * STEP_DECAY * 0.7, set(), near, home, "own_name", pending,
                           home_years=home_years)
            for partner in partners:
                self.family_of([partner], parent.birth_surname, parent.born, "cousin", side,
                               parent.prob * STEP_DECAY * 0.85, set(), near, home, "household_partner", pending,
                               married=self._together_since(parent, partner), home_years=home_years)
            self.family_of(None, parent.birth_surname, parent.born, "cousin", side,
                           parent.prob * STEP_DECAY * 0.8, set(), near, home, pending=pending, home_years=home_years)
        else:
            wives = []
            for row in parent.rows.get("marriage_index", []) if marriages is not None else []:
                wife_maiden = marriages.iloc[row]["spouse"]
                wives.append(wife_maiden)
                # His wife's birth is unknown: his own stands in for her generation.
                year = marriages.iloc[row]["year"]
                self.family_of(parent.surnames[:1], wife_maiden, parent.born, "cousin", side,
                               parent.prob * STEP_DECAY * 0.9, set(), [*near, marriages.iloc[row]["place"]], home,
                               "wife", pending, maiden_too=False, married=None if pd.isna(year) else int(year))
            wife_keys = set(self._keys(wives))
            for partner in dict.fromkeys(p for p in partners if names.phonetic(p, "nysiis") not in wife_keys):
                # A partner he never married: children under his surname or hers, her surname as maiden name,
                # mostly born once they lived together (hers from before are another father's).
                self.family_of(parent.surnames[:1], partner, parent.born, "cousin", side,
                               parent.prob * STEP_DECAY * 0.85, set(), near, home, "household_partner", pending,
                               married=self._together_since(parent, partner))
            unnamed = self.children_of_father(parent.birth_surname, parent.born, near, wives)
            self._children_found(unnamed, "cousin", side, parent.prob * STEP_DECAY * 0.6, "", home,
                                 "unnamed_father", pending)

    def _home_years(self, person: Found) -> list[tuple[int, int]]:
        """(first, last) years of the directory entries probably the person's own (as `housemates` reads)."""
        if "directory" not in self.frames:
            return []
        rows = self._household_rows(person)
        first, last = self._column("directory", "first_seen")[rows], self._column("directory", "year")[rows]
        return [(int(a), int(b)) for a, b in zip(first, last, strict=True) if pd.notna(a) and pd.notna(b)]

    def _marriage_years(self, person: Found) -> dict[str, int]:
        """The year of each of a person's marriages found, by the spouse's surname."""
        frame = self.frames.get("marriage_index")
        out = {}
        for row in person.rows.get("marriage_index", []) if frame is not None else []:
            rec = frame.iloc[row]
            if rec["spouse"] and pd.notna(rec["year"]):
                out.setdefault(rec["spouse"], int(rec["year"]))
        return out

    def _partners(self, person: Found, home: list[tuple[str, str]], known: set[str] = frozenset()) -> list[str]:
        """Surnames of partners the directory shows living with someone: adults of the other sex under
        a surname that is neither theirs nor one already known (`known`: phonetic keys)."""
        skip = set(self._keys(person.surnames)) | set(known)
        return list(dict.fromkeys(sn for fn, sn in home if names.phonetic(sn, "nysiis") not in skip
                                  and guess_sex(fn) != person.sex))

    def _birth_place(self, person: Found) -> str:
        if person.birth_row is None:
            return ""
        return str(self.frames["birth_index"].iloc[person.birth_row]["place"] or "")

    def _said(self, rec: pd.Series) -> str | None:
        """The relationship to the child being searched for that a case record states: its own words
        when its subject is the child; when its subject is a full brother or sister the family
        remembers, the relatives they share (parents, grandparents, aunts, uncles, cousins)."""
        said = normalise_relationship(rec["relationship_to_subject"])
        if said is None:
            return None
        forenames, surname = names.split_full_name(rec["subject_name"])
        first = forenames.split(" ")[0]
        shared = said in SHARED_WITH_SIBLINGS or said.endswith(
            ("_grandmother", "_grandfather", "_aunt", "_uncle", "_cousin"))
        for subject in (s for s in [self._child, *self._full_siblings] if s is not None and s.forenames):
            # A subject of another middle name (EMILY ROSE SMITH for EMILY GRACE) is another child.
            named = first == subject.forenames.split(" ")[0] and any(
                similar_surnames(surname, x) for x in subject.surnames) and not _before_born(rec, subject) \
                and not _middles_differ(subject.forenames.split(" "), forenames.split(" "))
            if named and (subject is self._child or (shared and self._only_one_born(first, surname, subject))):
                return said
        return None

    def _only_one_born(self, first: str, surname: str, sibling: SeedFacts) -> bool:
        """Is the remembered brother or sister the only child of that name born about then? Otherwise the
        authority's records about a child of that name may be about another family's (the child the
        search is for is the authority's own; a brother or sister need not be)."""
        key = (first, surname, sibling.born)
        if key not in self._unique_names:
            births = self.frames.get("birth_index")
            count = 0
            if births is not None:
                at = self._block("birth_index", [surname])
                firsts = pd.Series(self._column("birth_index", "first")[at])
                same = {x: isinstance(x, str) and _same_first(x, first) for x in firsts.unique()}
                at = at[firsts.map(same).fillna(False).to_numpy(dtype=bool)]
                around = sibling.born or (self._child.born if self._child else None)
                if around is not None:
                    slack = (3 if sibling.born else 15) * YEAR
                    lo, hi = (np.nan_to_num(a[at]) for a in self._born["birth_index"])
                    at = at[(hi >= around.lo - slack) & (lo <= around.hi + slack)]
                count = len(at)
            self._unique_names[key] = count <= 1
        return self._unique_names[key]

    def _fits_case_record(self, person: Found, rec: pd.Series) -> bool:
        """A case record that names someone's relationship to this child goes only to a person of that
        relationship (the authority's record of the grandfather is not a half-brother's)."""
        said = self._said(rec)
        return said is None or _compatible(person.relationship, said)

    def case_record_seeds(self, case: CaseFacts) -> list[SeedFacts]:
        """Relatives the authority's own case records name for this child, as extra seed facts."""
        frame = self.frames.get("case_records")
        if frame is None or not case.child.forenames or not case.child.surnames:
            return []
        firsts = {s.forenames.split(" ")[0] for s in [case.child, *self._full_siblings] if s.forenames}
        subjects = frame["subject_name"].fillna("")
        parts = {n: names.split_full_name(n) for n in subjects.unique()}  # names repeat: each once
        given = subjects.map({n: forenames.split(" ") for n, (forenames, _) in parts.items()})
        about = given.map(lambda g: g[0] in firsts).to_numpy(dtype=bool)
        out, seen = [], set()
        # Records naming the subject as fully as the child is named first: of two naming a mother, the one
        # about "Emily Grace SMITH" is surely about her, the one about "Emily SMITH" may be about another
        # child of that common name (`_merged_seeds` keeps the first of two people under one word).
        # Then those under the child's own surname: of two naming a father, the one about "Jessica BARBER"
        # comes before the one about "Jessica Victoria BARKER" (a namesake a letter away).
        child_names = case.child.forenames.split(" ")[:2]
        specific = given[about].map(lambda g: len(g) > 1 and g[:2] == child_names).to_numpy(dtype=bool)
        own = {s.upper() for s in case.child.surnames}
        exact = subjects[about].map({n: surname.upper() for n, (_, surname) in parts.items()}).isin(own) \
            .to_numpy(dtype=bool)
        order = np.lexsort((~exact, ~specific))
        for _, rec in frame[about].iloc[order].iterrows():
            relationship = self._said(rec)
            if relationship is None or not rec["forenames"]:
                continue
            # The same relative in several records of the authority: one hint.
            who = (relationship, rec["forenames"].split(" ")[0], rec["surname"])
            if who in seen:
                continue
            seen.add(who)
            out.append(SeedFacts(
                key=f"cr:{rec['record_id']}", relationship=relationship, forenames=rec["forenames"],
                surnames=(rec["surname"],) if rec["surname"] else (),
                born=_interval(rec["born_lo"], rec["born_hi"]), places=(rec["town"],) if rec["town"] else (),
                sex=_SEX_OF.get(relationship),
            ))
        return out

    def _another_mans(self, hint: SeedFacts) -> bool:
        """Whether a case record's father (or paternal grandfather) has a surname other than the one the
        child's full brothers and sisters carry (a man keeps his surname)."""
        return hint.relationship in ("father", "paternal_grandfather") and bool(self._siblings_surname) \
            and bool(hint.surnames) and not any(similar_surnames(s, self._siblings_surname) for s in hint.surnames)

    def _merged_seeds(self, case: CaseFacts, extra: list[SeedFacts]) -> tuple[dict[str, SeedFacts], set[str]]:
        """One seed per relationship: the family's seed, with gaps filled from case records; and the keys
        of the case-record relatives folded into a seed (the same person: not a second one to look for)."""
        seeds: dict[str, SeedFacts] = {s.relationship: s for s in case.people}
        folded: set[str] = set()
        for hint in extra:
            have = seeds.get(hint.relationship)
            if have is None:
                seeds[hint.relationship] = hint
                continue
            first_have = have.forenames.split(" ")[0] if have.forenames else ""
            first_hint = hint.forenames.split(" ")[0]
            if first_have and first_hint != first_have and not names.are_nicknames(first_have, first_hint):
                continue  # a different person under the same word (e.g. a step-parent): leave it
            if "M" in (have.sex, hint.sex) and have.surnames and hint.surnames and not any(
                    similar_surnames(a, b) for a in have.surnames for b in hint.surnames):
                # A man keeps his surname: Paul DAVIES named as the father of a namesake child (another
                # Lauren DAVIES) is not the Paul HALL the family remember.
                continue
            # The authority's date of birth narrows what the family remembers ("about 48", a year) when the
            # two agree; when they do not, the record may be a namesake child's relative and the family's
            # memory stands.
            born = _intersect(have.born, hint.born)
            folded.add(hint.key)
            seeds[hint.relationship] = SeedFacts(
                key=have.key, relationship=have.relationship,
                forenames=have.forenames if len(have.forenames) >= len(hint.forenames) else hint.forenames,
                surnames=tuple(dict.fromkeys([*have.surnames, *hint.surnames])),
                born=born, places=have.places or hint.places, sex=have.sex or hint.sex,
                remembered_age=have.remembered_age if born == have.born else None,
            )
        return seeds, folded

    def _from_seeds_only(self, case: CaseFacts, seeds: dict[str, SeedFacts]) -> tuple[Found | None, Found | None]:
        out = []
        for rel in ("mother", "father"):
            seed = seeds.get(rel)
            if seed is None:
                out.append(None)
                continue
            person = Found(relationship=rel, forenames=seed.forenames, surnames=list(seed.surnames), prob=0.4,
                           born=seed.born, sex="F" if rel == "mother" else "M", seed_person=_seed_key(seed))
            p = self.resolve_birth(person)
            person.prob = 0.4 + 0.3 * p
            self.add(person)
            out.append(person)
        return out[0], out[1]

    def _corroborate(self, seed: SeedFacts) -> bool:
        """Whether a seed person is (or now is) matched to a traced person, whom the match makes surer."""
        if seed.key in self._matched_seeds:
            return True
        match = self._seed_match(seed)
        if match is None:
            return False
        self._matched_seeds.add(seed.key)
        from_records = seed.key.startswith("cr:")
        if not from_records:
            match.seed_person = seed.key
        # The family's memory (or the authority's records) corroborates the chain.
        match.prob = 1 - (1 - match.prob) * (0.5 if not from_records else 0.7)
        if (match.sex or seed.sex) == "F" and any(self._one_surname(s, match.birth_surname) for s in seed.surnames):
            # A woman remembered by her maiden surname and a surname the records have not given her (Shaz
            # HILL, born THOMPSON; her marriage registered under a variant, THOMSEN): her married name,
            # which her children are registered under. A surname alone (an "aunt Gemma TURNER" in the
            # authority's records) may be another aunt's, of the other side.
            match.surnames += [s for s in dict.fromkeys(seed.surnames)
                               if s and not any(self._one_surname(s, x) for x in match.surnames)]
        if seed.relationship.startswith("half_") and match.relationship in ("sister", "brother"):
            # A brother whose birth entry shares the child's surname and mother may still have
            # another father: those who know say so (the reverse, "my sister", is how families
            # speak of half-sisters too).
            match.relationship = "half_" + match.relationship
        return True

    def _unfound_seeds(self) -> None:
        """Match seed people to traced persons; look for those no chain reached."""
        from tracing.vocabulary import FAMILY_RELATIONSHIPS

        for seed in self._to_match:
            if self._corroborate(seed):
                continue
            from_records = seed.key.startswith("cr:")
            relationship = seed.relationship
            if relationship in ("sibling", "half_sibling"):
                relationship = _sibling_word(relationship, "", seed.sex or guess_sex(seed.forenames))
            if relationship not in FAMILY_RELATIONSHIPS or not seed.forenames or not seed.surnames:
                continue
            if relationship in UNIQUE_ROLES and any(p.relationship == relationship for p in self.found):
                continue  # one mother: a name that does not fit her is a question for the coordinator
            person = Found(relationship=relationship, forenames=seed.forenames, surnames=list(seed.surnames),
                           prob=0.3, born=seed.born, sex=seed.sex, seed_person=None if from_records else seed.key)
            p = self.resolve_birth(person, place=seed.places[0] if seed.places else "")
            person.prob = 0.3 + 0.3 * p
            if self.add(person) is not None and p >= ACCEPT:
                # Their marriages give the surnames a woman's later records (a death) are under.
                self.marriages(person)

    def _seed_match(self, seed: SeedFacts) -> Found | None:
        best, best_score = None, 0.0
        for person in self.found:
            if person.seed_person not in (None, seed.key):
                continue
            if not _compatible(person.relationship, seed.relationship):
                continue
            score = 1.0
            if seed.forenames and person.forenames:
                a, b = seed.forenames.split()[0], person.forenames.split()[0]
                score += 2.0 if a == b or names.are_nicknames(a, b) else 1.0 if self._slip_of(a, b) else -2.0
            if seed.born and person.born:
                # A remembered age may be stale (the age at death): older than remembered still fits.
                older_ok = seed.remembered_age is not None
                close = (older_ok or seed.born.lo <= person.born.hi + 3 * YEAR) and \
                    person.born.lo <= seed.born.hi + 3 * YEAR
                score += 1.0 if close else -2.0
            if score > best_score:
                best, best_score = person, score
        return best if best_score >= 1.0 else None

    # ---- records that say where people are, and whether they died ------------------------------
    def _propose_attachments(self, people: list[Found]) -> list[tuple[float, int, str, int, float]]:
        """Each person's candidate deaths, probate, directory spells, appointments and case records as
        (-probability, index in self.found, kind, row, weight), scored for everyone at once per kind
        (one comparison pass, not one per person)."""
        position = {id(person): i for i, person in enumerate(self.found)}
        people = [p for p in people if p.forenames and p.surnames]
        partners = self._couples_of(people)
        married_as = {id(p): self._married_as(p, partners.get(id(p))) for p in people}
        proposals: list[tuple[float, int, str, int, float]] = []
        for kind in ATTACHED_KINDS:
            frame = self.frames.get(kind)
            if frame is None or not people:
                continue
            looks = [(self._query(p.forenames, p.surnames, p.born, self._birth_place(p), surname=p.surnames[-1]),
                      p.surnames, None) for p in people]
            for person, scored in zip(people, self._best_many(kind, looks, exclude_claimed=False), strict=True):
                if scored.empty:
                    continue
                partner = partners.get(id(person))
                if kind == "directory" and partner is not None:
                    # Only entries the bonus could lift to ACCEPT are worth reading.
                    liftable = scored["weight"].to_numpy(dtype=float) >= -WITH_PARTNER_BITS
                    with_partner = np.array([bool(up) and self._lives_with(int(r), partner)
                                             for r, up in zip(scored["row"], liftable, strict=True)], dtype=bool)
                    scored = _reweighted(scored, WITH_PARTNER_BITS * with_partner)
                if kind in DATED_KINDS and married_as[id(person)] is not None:
                    maiden = self._maiden_after_marriage(married_as[id(person)], kind,
                                                         scored["row"].to_numpy(dtype=int))
                    scored = _reweighted(scored, np.log2(MAIDEN_AFTER_MARRIAGE) * maiden)
                scored = scored[(scored["probability"] >= ACCEPT) & self._forenames_in(scored, ATTACH_FORENAMES)]
                if not scored.empty:
                    scored = scored[~self._other_sex(person, kind, scored["row"].to_numpy(dtype=int))]
                if kind in REGISTERED_KINDS and not scored.empty:
                    scored = scored[self._registered_fits(person, frame, scored)]
                elif not scored.empty:
                    listed = self._column(kind, "forenames")
                    scored = scored[[_goes_by(person, listed[int(r)]) for r in scored["row"]]]
                if kind == "probate" and not scored.empty:
                    scored = scored[[self._grant_fits(person, int(r)) for r in scored["row"]]]
                i = position[id(person)]
                for prob, row, weight in zip(scored["probability"].head(8), scored["row"].head(8),
                                             scored["weight"].head(8), strict=True):
                    proposals.append((-float(prob), i, kind, int(row), float(weight)))
        return proposals

    def _other_sex(self, person: Found, kind: str, rows: np.ndarray) -> np.ndarray:
        """Which records (positions) give a name at least as long as the person's first forename whose
        sex is the other one: JACQUELINE's case records and directory spells are not JACK's, though the
        name lists make JACK her diminutive. A shorter name is likely a pet name, and pet names are
        read either way (SAL, LOU and CHARLIE for SARAH, LOUISE and CHARLOTTE); a slip of their own
        name is theirs whatever its sex is guessed to be (MARK for a birth entry's MAK)."""
        if person.sex not in ("F", "M") or not person.forenames:
            return np.zeros(len(rows), dtype=bool)
        own = person.forenames.split(" ")[0]
        other = "F" if person.sex == "M" else "M"
        firsts, sexes = self._column(kind, "first")[rows], self._column(kind, "sex")[rows]
        return np.array([their == other and len(first) >= len(own) and not _spelling_slip(own, first)
                         for first, their in zip(firsts, sexes, strict=True)], dtype=bool)

    def _married_as(self, person: Found, partner: Found | None = None) -> tuple[str, str, int] | None:
        """A woman's birth surname, the other surname the family knows her by now, and the year she
        married into it (her marriage found); None when any is unknown. When the family remember her by
        her birth surname alone, the surname of the partner the chain has for her (`partner`: the father
        of her children) when her marriage to him is found: CAROLE TURNER, who married WRIGHT in 1973 and
        whose daughter is a WRIGHT, is not the CAROLE TURNER listed in Bedford since."""
        if person.sex != "F" or not person.birth_surname:
            return None
        seed = self._seeds_by_key.get(person.seed_person or "")
        maiden = person.birth_surname
        now = seed.surnames[-1] if seed is not None and seed.surnames else ""
        if (not now or similar_surnames(now, maiden)) and partner is not None and partner.birth_surname:
            now = partner.birth_surname
        if not now or similar_surnames(now, maiden):
            return None
        wed = [year for spouse, year in self._marriage_years(person).items() if similar_surnames(spouse, now)]
        return (maiden, now, min(wed)) if wed else None

    def _maiden_after_marriage(self, married_as: tuple[str, str, int], kind: str, rows: np.ndarray) -> np.ndarray:
        """Which of these records (positions) are under a woman's birth surname and dated after her
        marriage to the surname the family knows her by now (`_married_as`): PEGGY SMITH, a foster carer
        in 2022, is unlikely to be the PEGGY TAYLOR née SMITH who married TAYLOR in 1968."""
        maiden, now, wed = married_as
        since, year = (self._column(kind, c)[rows].astype(float) for c in ("first_seen", "year"))
        later = np.where(np.isnan(since), year, since) > wed + 1  # NaN compares False
        surnames = pd.Series(self._column(kind, "surname")[rows])
        return later & _similar_mask(surnames, [maiden]) & ~_similar_mask(surnames, [now])

    def _couples_of(self, people: list[Found]) -> dict[int, Found]:
        """Each traced parent or grandparent's partner as the chain has them (mother and father, a side's
        grandmother and grandfather), by id."""
        by_role = {p.relationship: p for p in self.found if p.relationship in UNIQUE_ROLES and p.forenames}
        out = {}
        for person in people:
            other = PARTNER_ROLE.get(person.relationship)
            if other in by_role:
                out[id(person)] = by_role[other]
        return out

    def _lives_with(self, row: int, partner: Found, first_fits: Callable[[str, str], bool] | None = None) -> bool:
        """The directory entry lists the partner as another occupant (first forename and a surname of
        theirs agreeing: SANDRA M HUGHES for SANDRA MARY BARBER, married HUGHES). `first_fits` says when
        two first forenames agree (by default `_same_first`: the same, or a diminutive)."""
        first_fits = first_fits or _same_first
        first = partner.forenames.split(" ")[0]
        return any(first_fits(fn.split(" ")[0], first) and any(similar_surnames(sn, x) for x in partner.surnames)
                   for fn, sn in self._occupants(row))

    def _registered_fits(self, person: Found, frame: pd.DataFrame, scored: pd.DataFrame) -> np.ndarray:
        """`_registered_fit` for each scored entry (its forenames level says whether the names agree)."""
        level_names = self.model.comparisons[0].level_names()
        return np.array([self._registered_fit(person, frame.iloc[int(row)], level_names[int(lv)])
                         for lv, row in zip(scored["lv_forenames"].tolist(), scored["row"].tolist(), strict=True)],
                        dtype=bool)

    def _registered_fit(self, person: Found, rec: pd.Series, level: str = "") -> bool:
        """Whether a death or probate entry's registered names and date can be this person's: a death
        registers the full names a birth did, so once the person's birth entry is known the first
        forename must agree (or be a slip of it), not merely share a middle name (SUSAN VICTORIA is not
        JACQUELINE VICTORIA); a middle name, where both have one, must agree at least in its initial;
        and two exact dates of birth must be one date (or a slip in writing it). A death giving a middle
        name the birth entry does not is not refused: when that entry is a namesake's (MALCOLM for
        MALCOLM ROY ROBERT), it is the person's own death that would be lost."""
        tokens = person.forenames.split(" ")
        theirs = str(rec["forenames"] or "").split(" ")
        known = person.birth_row is not None
        if known and level not in REGISTERED_FORENAMES and not _first_slip(tokens[0], theirs[0]):
            return False
        if _middles_differ(tokens, theirs):
            return False
        if known and person.born is not None and person.born.lo == person.born.hi and pd.notna(rec["born_lo"]) \
                and rec["born_lo"] == rec["born_hi"]:
            # Both dates of birth exact: the same date or a slip in writing it (two months apart is
            # someone else of the same name).
            return dates.is_date_slip(int(person.born.lo), int(rec["born_lo"]))
        return True

    def _grant_fits(self, person: Found, row: int) -> bool:
        """A grant of probate names no date of birth, but it follows a death: when the death entries
        it can follow (same surname and first forename, died that day) are all someone else's by their
        date of birth (against the person's birth entry), so is the grant."""
        deaths = self.frames.get("death_index")
        if deaths is None or deaths.empty or person.birth_row is None or person.born is None:
            return True  # without their birth entry, no date of birth to judge by
        grant = self.frames["probate"].iloc[row]
        if pd.isna(grant["died_lo"]):
            return True
        block = self._block("death_index", [grant["surname"]])
        d_lo, d_hi = self._column("death_index", "died_lo")[block], self._column("death_index", "died_hi")[block]
        block = block[(d_lo <= grant["died_hi"]) & (d_hi >= grant["died_lo"])]
        followed = [r for r in block.tolist() if _same_first(deaths.iloc[r]["first"], grant["first"])]
        if not followed:
            return True
        lo, hi = (a[followed] for a in self._born["death_index"])
        unknown = np.isnan(lo) | np.isnan(hi)
        return bool((unknown | ((lo <= person.born.hi) & (hi >= person.born.lo))).any())

    def _deaths_under_other_names(self, people: list[Found]) -> None:
        """Deaths registered under a surname the search does not know (a woman's later marriage, a badly
        misspelt entry), found by what does not change: the forenames and a date of birth known to the
        quarter. Taken when the person is likelier dead than a look-alike is to share both by chance,
        and never before the last record that shows them alive."""
        deaths = self.frames.get("death_index")
        if deaths is None or deaths.empty:
            return
        lo, hi = self._born["death_index"]
        sharp = (hi - lo) <= SHARP_BIRTH_DAYS
        tf = forename_frequencies(deaths)
        for person in people:
            if person.deceased or not person.forenames or person.born is None:
                continue
            if person.born.hi - person.born.lo > SHARP_BIRTH_DAYS:
                continue
            overlap = sharp & (lo <= person.born.hi) & (hi >= person.born.lo)
            tokens = person.forenames.split(" ")
            # The first forename as each record of theirs gives it: a slip in the birth entry (JEAU) and
            # another in the death entry (JRAN) are each one slip from the marriage entry's JEAN.
            forms = self._first_forms(person)
            born_then = np.flatnonzero(overlap)
            rec = self._sole_death(person, born_then,
                                   lambda first, forms=forms: any(_first_slip(t, first) for t in forms))
            if rec is None and len(tokens) > 1:
                # A slip in a first forename too short for `_spelling_slip` (JHN DENNIS for JOHN DENNIS):
                # one edit, when the middle names are the same.
                rec = self._sole_death(
                    person, born_then,
                    lambda first, forms=forms: any(DamerauLevenshtein.distance(t, first, score_cutoff=1) <= 1
                                                   for t in forms),
                    fits=lambda r, middles=tokens[1:]: r["forenames"].split(" ")[1:] == middles)
            if rec is None:
                continue  # none, or look-alikes the dates cannot tell apart
            # Look-alike deaths: those born then, times the chance their forenames agree as well (the
            # person's name, when the entry's is a slip of it: CATOL for CAROL).
            chance = int(overlap.sum()) * max(tf["first"].get(rec["first"], TF_TYPICAL),
                                              tf["first"].get(tokens[0], 0.0), 1e-4)
            theirs = rec["forenames"].split(" ")
            if _middles_differ(tokens, theirs):
                continue  # a different middle name: another person
            if len(tokens) > 1 and len(theirs) > 1:
                chance *= MIDDLE_NAME_CHANCE
            misspelt = any(DamerauLevenshtein.distance(rec["surname"], s, score_cutoff=2) <= 2 or
                           similar_surnames(rec["surname"], s) for s in person.surnames)
            dead = death_prior(person.born.lo) * (1.0 if person.sex == "F" or misspelt else MAN_RENAMED_AT_DEATH)
            self._take_death(person, rec, dead, chance, "forenames_and_birth_date",
                             "born when they were (registered under another surname)")

    def _slip_of(self, a: str, b: str) -> bool:
        """Two first forenames that are one name misspelt (JVLIE for JULIE), not two names one letter
        apart (MARK and MARY, both common)."""
        common = self._common_firsts()
        return _spelling_slip(a, b) and not (a in common and b in common)

    def _first_forms(self, person: Found) -> set[str]:
        """The person's first forename and the first forenames their marriage and directory entries give
        it as, when one slip or a diminutive away from it (a second spelling, not another name)."""
        first = person.forenames.split(" ")[0]
        forms = {first}
        common = self._common_firsts()
        if first not in common:
            # A rare form one slip from a common forename is a slip of it (MCHELLE for MICHELLE, whose
            # death entry has MICHLELE): the common one is the name the other records spell.
            near = [name for name, _d, _k in process.extract(first, list(common), scorer=DamerauLevenshtein.distance,
                                                             score_cutoff=1, limit=None) if _spelling_slip(first, name)]
            if near:
                forms.add(max(near, key=lambda name: (common[name], name)))
        for kind in ("marriage_index", "directory"):
            firsts = self._column(kind, "first") if kind in self.frames else None
            for row in person.rows.get(kind, []) if firsts is not None else []:
                other = str(firsts[row] or "")
                if other and _first_slip(first, other):
                    forms.add(other)
        return forms

    def _deaths_by_middle_initial(self, people: list[Found]) -> None:
        """Deaths of someone known by a first forename and a middle name or initial (ANTHONY G, from a
        marriage entry) but no birth entry, so only to within decades: a death entry under a surname of
        theirs, born within those years (or a year either side), whose first forename and middle
        initial both agree, after the last record showing them alive. Taken when it is the only such
        entry and likelier theirs than one of the deaths born then under the surname sharing both names
        by chance."""
        deaths = self.frames.get("death_index")
        if deaths is None or deaths.empty:
            return
        lo, hi = self._born["death_index"]
        tf = forename_frequencies(deaths)
        for person in people:
            tokens = person.forenames.split(" ") if person.forenames else []
            if person.deceased or person.birth_row is not None or person.born is None or len(tokens) < 2 \
                    or not tokens[1] or not person.surnames:
                continue
            block = self._block("death_index", person.surnames)
            # A year the family remembers may be a year out (1963 for August 1962).
            born_then = block[(lo[block] <= person.born.hi + YEAR) & (hi[block] >= person.born.lo - YEAR)]

            def same_middle_initial(rec: pd.Series, tokens: list[str] = tokens) -> bool:
                theirs = str(rec["forenames"] or "").split(" ")
                return len(theirs) > 1 and theirs[1][:1] == tokens[1][:1]

            rec = self._sole_death(person, born_then, lambda first, t=tokens[0]: _first_slip(t, first),
                                   same_middle_initial)
            if rec is None:
                continue  # none, or namesakes the names cannot tell apart
            chance = len(born_then) * max(tf["first"].get(rec["first"], TF_TYPICAL), 1e-4) * MIDDLE_NAME_CHANCE
            dead = death_prior((person.born.lo + person.born.hi) // 2)  # the middle of the years known
            self._take_death(person, rec, dead, chance, "forenames_and_middle_initial",
                             "first forename and middle initial agree, born within the years known")

    def _sole_death(self, person: Found, rows: np.ndarray, first_fits: Callable[[str], bool],
                    fits: Callable[[pd.Series], bool] | None = None,
                    alive: int | None | bool = True) -> pd.Series | None:
        """The one death entry among `rows` (positions) whose first forename `first_fits`, that `fits`
        the person otherwise, is nobody else's and is not before the last record showing them alive
        (`alive`: that year, or True to read it from their records); None when there is none, or
        several the search cannot tell apart."""
        deaths = self.frames["death_index"]
        alive = self._last_alive(person) if alive is True else alive
        firsts, years = self._column("death_index", "first")[rows], self._column("death_index", "year")[rows]
        fitting = {first: first_fits(first) for first in set(firsts.tolist())}  # names repeat: each once
        kept = [deaths.iloc[r] for r, first, year in zip(rows.tolist(), firsts.tolist(), years.tolist(), strict=True)
                if r not in self.claimed["death_index"] and fitting[first] and (alive is None or year >= alive)]
        if fits is not None:
            kept = [rec for rec in kept if fits(rec)]
        return kept[0] if len(kept) == 1 else None

    def _take_death(self, person: Found, rec: pd.Series, dead: float, chance: float, level: str,
                    why: str) -> None:
        """A death entry found by what does not change, taken when the person is likelier dead (`dead`)
        than a look-alike is to fit it by chance."""
        if dead / (dead + chance) < ACCEPT:
            return
        self._claim(person, "death_index", int(rec.name), round(math.log2(dead / max(chance, 1e-9)), 2),
                    [{"field": "death", "level": level, "weight": None}])
        person.deceased = True
        person.chain.append(f"death index {rec['source']} {rec['record_id']}: {rec['forenames']} "
                            f"{rec['surname']}, {why}")

    def _deaths_at_remembered_age(self, people: list[Found]) -> None:
        """A relative the family remembers as "about 60" may have died at about that age: the age when
        they were last known. A death entry under a surname of theirs, at about that age, forenames
        agreeing (a middle initial too, when both have one), after the last record that shows them
        alive, is taken when likelier theirs than a look-alike's (deaths at that age under the surname,
        times the chance of the forename)."""
        deaths = self.frames.get("death_index")
        if deaths is None or deaths.empty:
            return
        lo, hi = self._born["death_index"]
        years = self._column("death_index", "year")
        at_death = years - (1970 + (lo + hi) / 2 / YEAR)
        tf = forename_frequencies(deaths)
        for person in people:
            seed = self._seeds_by_key.get(person.seed_person or "")
            if person.deceased or seed is None or seed.remembered_age is None or not person.forenames \
                    or not person.surnames:
                continue
            slack = max(2, round(AGE_SLACK * seed.remembered_age)) + 1
            block = self._block("death_index", person.surnames)
            near_age = block[np.abs(at_death[block] - seed.remembered_age) <= slack]
            if person.born is not None:  # older than thought is possible, younger is not
                near_age = near_age[lo[near_age] <= person.born.hi + slack * YEAR]
            first = person.forenames.split(" ")[0]
            rec = self._sole_death(person, near_age, lambda x, first=first: _same_first(x, first),
                                   lambda rec, person=person: self._registered_fit(person, rec))
            if rec is None:
                continue  # none, or look-alikes the age cannot tell apart
            chance = len(near_age) * max(tf["first"].get(rec["first"], TF_TYPICAL), 1e-4)
            self._take_death(person, rec, death_prior(person.born.lo if person.born else None), chance,
                             "forenames_and_age_at_death", f"died at {int(round(at_death[int(rec.name)]))}, "
                             f"the age the family remembers ({seed.remembered_age})")

    def _deaths_where_last_seen(self, people: list[Found]) -> None:
        """A death entry under a surname of theirs, first forename agreeing (middle names not differing),
        registered within DIED_SOON_YEARS of the last record giving their address and where that record
        put them (the district, or within 15 km), born within a year of their birth interval: CAROL
        WHITE, last in the directory in Milton Keynes in 2009, died there that year. Found even when the
        birth entry taken for them is a namesake's a few months off. Taken when likelier theirs than a
        look-alike's: deaths under the surname then, of those born then, the share registered near
        there, times the chance of the forename."""
        deaths = self.frames.get("death_index")
        if deaths is None or deaths.empty:
            return
        lo, hi = self._born["death_index"]
        years = self._column("death_index", "year")
        tf = forename_frequencies(deaths)
        for person in people:
            tokens = person.forenames.split(" ") if person.forenames else []
            dated = [a for a in person.addresses if 0 < a.year < 2100 and a.town]
            if person.deceased or not tokens or not person.surnames or not dated:
                continue

            def fits(rec: pd.Series, tokens: list[str] = tokens) -> bool:
                return not _middles_differ(tokens, str(rec["forenames"] or "").split(" "))

            theirs = self._block("death_index", person.surnames)
            rec = None
            for year, town, alive in self._spells_to_search(dated):
                block = theirs[(years[theirs] >= year) & (years[theirs] <= year + DIED_SOON_YEARS)]
                if person.born is not None:
                    # After an earlier spell the later ones are a namesake's, and so may be the birth
                    # entry taken for them: born within two years.
                    slack = YEAR if alive is True else 2 * YEAR
                    block = block[(lo[block] <= person.born.hi + slack) & (hi[block] >= person.born.lo - slack)]
                if not len(block):
                    continue
                near = block[self._place_ratio(deaths.iloc[block], [town]) >= PLACE_LR["near"]]
                rec = self._sole_death(person, near, lambda first, t=tokens[0]: _first_slip(t, first), fits,
                                       alive=alive)
                if rec is not None:
                    break
            if rec is None:
                continue  # none, or look-alikes there the names cannot tell apart
            if town not in self._deaths_near:
                self._deaths_near[town] = float((self._place_ratio(deaths, [town]) >= PLACE_LR["near"]).mean())
            chance = len(block) * max(self._deaths_near[town], 1e-3) * max(tf["first"].get(rec["first"], TF_TYPICAL),
                                                                         tf["first"].get(tokens[0], 0.0), 1e-4)
            dead = death_prior(person.born.lo if person.born else None) * DIED_WHERE_LAST_SEEN
            self._take_death(person, rec, dead, chance, "forenames_where_last_seen",
                             f"died in {rec['place']}, {int(rec['year'])}: they were last recorded living in "
                             f"{town} in {year}")

    def _spells_to_search(self, dated: list[Address]) -> list[tuple[int, str, int | None | bool]]:
        """Where to look for a death: after the last address record (not before the last sign of life);
        then after an earlier directory spell when everything later is a directory spell far from it
        (over 80 km) and linked less strongly (DAVID G BAKER in Manchester in 2026, after DAVID BAKER
        of Leicester died there in 2014: the later spells are likelier a namesake's). An authority's
        record of them the year after an earlier spell is a sign of life, not a namesake's listing."""
        latest = max(dated, key=lambda a: (a.year, a.source, a.record_id))
        out: list[tuple[int, str, int | None | bool]] = [(latest.year, latest.town, True)]
        for spell in sorted((a for a in dated if a.source == "directory"), key=lambda a: a.year):
            # A directory may list someone a year after they died; an authority's record of them alive may not.
            later = [a for a in dated if a.year > spell.year + (1 if a.source == "directory" else 0)]
            if not later or any(a.source != "directory" or a.weight >= spell.weight for a in later):
                continue
            far = self._place_ratio(pd.DataFrame([self._place(a.town) for a in later]), [spell.town]) <= PLACE_LR["far"]
            if far.all():
                out.append((spell.year, spell.town, None))
        return out

    def _deaths_outlived(self, people: list[Found]) -> None:
        """Give back a death entry that records of theirs as strong outlive: listed in the directory first
        after it, or still listed two years on, or a company appointment dated after it (MARILYN GEORGE,
        died in Hull in 2023, while theirs is listed in Birmingham until 2026: a namesake's death)."""
        frame = self.frames.get("death_index")
        if frame is None:
            return
        for person in people:
            rows = person.rows.get("death_index", [])
            if len(rows) != 1 or person.rows.get("probate") or person.birth_row is None:
                continue
            row = rows[0]
            rec = frame.iloc[row]
            key = (rec["source"], rec["record_id"])
            if pd.isna(rec["year"]) or key not in person.records:
                continue
            died, weight = int(rec["year"]), person.records[key]
            later = [(kind, r) for kind in ("directory", "company_officers") if kind in self.frames
                     for r in person.rows.get(kind, []) if self._alive_after(person, kind, r, died, weight)]
            if not later:
                continue
            if self._namesake_lives_on(person, rec):
                for kind, r in later:
                    self._unclaim(person, kind, r)
                continue
            self._unclaim(person, "death_index", row)
            person.deceased = False

    def _namesake_lives_on(self, person: Found, death: pd.Series) -> bool:
        """Whether records that outlive a death may be a namesake's while the death is surely theirs: it
        gives a date of birth within their own birth entry's span, and another birth entry of their first
        forename (or a slip of it) and one of their surnames, within a year of them, is not of that date
        (Raymond GREEN, born in Crewe on 31 July 1953 and dead in 2009; a RAUMOND PHILIP GREEN born there
        that December is listed on from 2010, at an age that fits both)."""
        born = person.born
        lo, hi = death["born_lo"], death["born_hi"]
        if born is None or pd.isna(lo) or lo != hi or not born.lo <= lo <= born.hi or not person.forenames:
            return False
        first = person.forenames.split(" ")[0]
        firsts = self._column("birth_index", "first")
        entry_lo, entry_hi = self._born["birth_index"]
        for surname in dict.fromkeys(person.surnames):
            at = self._births_about(surname, born)
            at = at[at != person.birth_row] if at is not None else []
            if any(_first_slip(firsts[r], first) and not entry_lo[r] <= lo <= entry_hi[r] for r in at):
                return True
        return False

    def _unclaim(self, person: Found, kind: str, row: int) -> None:
        """Take a record (a position) back from a person, with the address it gave them and its lines in
        their chain."""
        rec = self.frames[kind].iloc[row]
        key = (rec["source"], rec["record_id"])
        self.claimed[kind].discard(row)
        person.rows[kind] = [r for r in person.rows.get(kind, []) if r != row]
        person.records.pop(key, None)
        person.record_kinds.pop(key, None)
        person.addresses = [a for a in person.addresses if (a.source, a.record_id) != key]
        person.chain = [c for c in person.chain if rec["record_id"] not in c]

    def _alive_after(self, person: Found, kind: str, row: int, died: int, weight: float) -> bool:
        """Whether a record of theirs (a directory spell, a company appointment; positions) linked at least
        as strongly as a death (`weight`) shows them alive after it: first seen after the year `died`, or
        still seen two years on (an appointment's year is its resignation's, or an open one's)."""
        year, first = (float(pd.to_numeric(self._column(kind, name)[row], errors="coerce"))
                       for name in ("year", "first_seen"))
        first = year if np.isnan(first) else first
        later = first > died or year > died + 1  # NaN compares False: an undated record says nothing
        key = (self._column(kind, "source")[row], self._column(kind, "record_id")[row])
        return bool(later) and person.records.get(key, -np.inf) >= weight

    def _last_alive(self, person: Found) -> int | None:
        """The latest year a record of theirs shows them alive (a marriage, directory spell, appointment,
        authority record)."""
        years = [y for kind, rows in person.rows.items() if kind not in ("birth_index", "death_index", "probate")
                 for y in self._column(kind, "year")[rows].tolist() if y == y and y < 2100]  # y == y: not NaN
        return int(max(years)) if years else None

    def _attach_global(self, proposals: list[tuple[float, int, str, int, float]]) -> None:
        """Give each record to the one person it fits best (best fits first); one death and one grant each.
        A directory spell or an appointment that fits two of them about equally (SHAUN OWEN, born in
        1973, and a namesake SHAUN ROBERT OWEN born the next year) goes to neither: an address given to
        the wrong one is worse than none."""
        best: dict[tuple[str, int], dict[int, float]] = {}
        for _neg_p, i, kind, row, w in proposals:
            if kind in ADDRESS_KINDS:
                fits = best.setdefault((kind, row), {})
                fits[i] = max(fits.get(i, -np.inf), w)
        ambiguous = {key for key, fits in best.items()
                     if len(fits) > 1 and np.subtract(*sorted(fits.values(), reverse=True)[:2]) < AMBIGUOUS_BITS}
        taken_single: set[tuple[int, str]] = set()
        for _neg_p, i, kind, row, w in sorted(proposals):
            person = self.found[i]
            if row in self.claimed[kind] or (kind, row) in ambiguous:
                continue
            if kind == "case_records" and not self._fits_case_record(person, self.frames[kind].iloc[row]):
                continue
            if kind in REGISTERED_KINDS:
                if (i, kind) in taken_single:
                    continue
                taken_single.add((i, kind))
                person.deceased = True
            rec = self.frames[kind].iloc[row]
            self._claim(person, kind, row, w)
            person.chain.append(f"{kind.replace('_', ' ')} {rec['source']} {rec['record_id']}")
            if kind == "case_records" and self._said(rec) is not None:
                # The authority's own record names them as this child's relative: a feature of the scorer.
                person.notes["named_in_case"] = 1.0
            if kind in ("directory", "company_officers", "probate", "case_records") and rec["address"]:
                year = int(rec["year"]) if pd.notna(rec["year"]) else 0
                since = int(rec["first_seen"]) if pd.notna(rec["first_seen"]) else year
                person.addresses.append(Address(year, rec["source"], rec["record_id"], rec["address"], rec["town"],
                                                rec["postcode"], since, float(w)))


_RELATIONSHIP_WORDS = {
    "mother": "mother", "mum": "mother", "mom": "mother", "birth mother": "mother",
    "father": "father", "dad": "father", "birth father": "father",
    "grandmother": "grandmother", "nan": "grandmother", "nana": "grandmother", "nanna": "grandmother",
    "gran": "grandmother", "granny": "grandmother", "grandfather": "grandfather", "grandad": "grandfather",
    "granddad": "grandfather", "grandpa": "grandfather", "aunt": "aunt", "auntie": "aunt", "aunty": "aunt",
    "uncle": "uncle", "sister": "sister", "brother": "brother", "sibling": "sibling",
    "half-sibling": "half_sibling", "half sibling": "half_sibling", "half sister": "half_sister",
    "half-sister": "half_sister", "half brother": "half_brother", "half-brother": "half_brother",
    "cousin": "cousin",
}
# What a full brother's or sister's case record says of their relatives holds for the child too.
SHARED_WITH_SIBLINGS = frozenset({"mother", "father", "grandmother", "grandfather", "aunt", "uncle", "cousin"})
_SEX_OF = {"mother": "F", "father": "M", "grandmother": "F", "grandfather": "M", "aunt": "F", "uncle": "M",
           "sister": "F", "brother": "M", "half_sister": "F", "half_brother": "M"}


def _expected_children(surname: str, mmn: str, one_name: bool = False) -> float:
    """A couple's children expected under this surname: fewer under the mother's own surname (children
    of a couple mostly take the father's), unless it is the father's too (`one_name`)."""
    return EXPECTED_CHILDREN * (OWN_NAME_SHARE if surname == mmn and not one_name else 1.0)


def _shrunk(values: pd.Series, n: int) -> dict[str, float]:
    """Each value's frequency, shrunk toward a typical name's by PRIOR_WEIGHT pseudo-observations."""
    counts = values.value_counts()
    return ((counts + PRIOR_WEIGHT * TYPICAL_NAME_FREQ) / (n + PRIOR_WEIGHT)).to_dict()


def _too_close_many(rows: pd.DataFrame, anchor: pd.Series) -> np.ndarray:
    """Births surely more than two days and less than 270 days from the anchor's (not twins, not one
    mother's); False where either date is unknown."""
    if pd.isna(anchor["born_lo"]) or pd.isna(anchor["born_hi"]):
        return np.zeros(len(rows), dtype=bool)
    lo, hi = rows["born_lo"].to_numpy(dtype=float), rows["born_hi"].to_numpy(dtype=float)
    return _share_too_close(lo, hi, float(anchor["born_lo"]), float(anchor["born_hi"])) >= 1


def _share_too_close(lo: np.ndarray, hi: np.ndarray, a_lo: float, a_hi: float) -> np.ndarray:
    """For births that may fall on any day from `lo` to `hi`, the share of those days surely more than two
    days and less than 270 from an anchor birth dated `a_lo` to `a_hi` (not twins, not one mother's); 0
    where a date is unknown."""
    span = hi - lo + 1
    before = np.clip(np.minimum(hi, a_lo - 3) - np.maximum(lo, a_hi - 269) + 1, 0, None)
    after = np.clip(np.minimum(hi, a_lo + 269) - np.maximum(lo, a_hi + 3) + 1, 0, None)
    return np.nan_to_num((before + after) / span)


def _water_fill(weights: dict, total: float, cap: float = 0.97) -> dict:
    """Shares proportional to the weights, none above `cap`, summing to `total` where the caps allow."""
    shares = dict.fromkeys(weights, 0.0)
    free = {k: w for k, w in weights.items() if w > 0}
    left = total
    while free and left > 1e-9:
        scale = left / sum(free.values())
        over = {k for k, w in free.items() if w * scale >= cap}
        if not over:
            for k, w in free.items():
                shares[k] = w * scale
            break
        for k in over:
            shares[k] = cap
            left -= cap
            del free[k]
    return shares


def death_prior(born_lo: object, today: date | None = None) -> float:
    """P(someone born then has died by now): rises steeply with age (rough England and Wales life table)."""
    if born_lo is None or pd.isna(born_lo):
        return HAS_RECORD["death_index"]
    age = ((today or date.today()) - dates.from_day_number(int(born_lo))).days / YEAR
    for limit, p in ((40, 0.02), (55, 0.05), (65, 0.1), (75, 0.22), (85, 0.45), (95, 0.75)):
        if age < limit:
            return p
    return 0.9


def _before_born(rec: pd.Series, subject: SeedFacts) -> bool:
    """Was the case record written more than a year before its subject was born? Then it is about an
    older namesake (a pre-birth assessment comes in the months before a birth, not years)."""
    recorded = rec.get("year")
    born = _year(subject.born.lo) if subject.born is not None else None
    return born is not None and recorded is not None and not pd.isna(recorded) and recorded < born - 1


def _unless_another(seed: SeedFacts | None, rec: pd.Series | None, spouse_seed: SeedFacts | None,
                    spouse_rec: pd.Series | None) -> SeedFacts | None:
    """The seed a mother is looked up by, unless it is a case record naming someone else than the
    parents' marriage entry does (its first forename neither the entry's, a diminutive nor a slip of
    it) while what is known of her husband bears the marriage out (his seed's forename is the other
    entry's). The family may remember a pet name no table knows, so their memory stands (see _fuller);
    an authority's record of another forename, against a marriage the other parent's name confirms,
    is another woman's (a namesake child's grandmother), and her name, age and surname would make
    the one the marriage names a mixture of the two. Only a husband remembered by another forename than
    the groom's leaves the record's name standing: then the marriage may be the look-alike."""
    def agree(one: SeedFacts | None, entry: pd.Series | None) -> bool:
        return bool(one and one.forenames and entry is not None and entry["forenames"]) and \
            _first_slip(entry["forenames"].split(" ")[0], one.forenames.split(" ")[0])

    if seed is None or rec is None or not seed.key.startswith("cr:") or not seed.forenames \
            or not rec["forenames"] or agree(seed, rec):
        return seed
    # Nothing is known of her husband's forenames: the marriage, taken against the record's forename, stands
    # alone (MARY KING who married WOOD, not the VALERUE WHITE a namesake Kyle SMITH's record names). A
    # husband remembered by another forename than the groom's puts the marriage in doubt.
    husband_known = spouse_seed is not None and bool(spouse_seed.forenames) and spouse_rec is not None \
        and bool(spouse_rec["forenames"])
    return seed if husband_known and not agree(spouse_seed, spouse_rec) else None


def _surname_from_his_parents(seeds: dict[str, SeedFacts]) -> list[str]:
    """The father's surname as his parents are remembered: his father's, or the one his mother took
    when she married (her latest, when she is remembered with a former one)."""
    grandfather, grandmother = seeds.get("paternal_grandfather"), seeds.get("paternal_grandmother")
    if grandfather is not None and grandfather.surnames:
        return [grandfather.surnames[-1]]
    if grandmother is not None and len(grandmother.surnames) > 1:
        return [grandmother.surnames[-1]]
    return []


def _fathers_surname_by_siblings(case: CaseFacts, mmn: str) -> str | None:
    """The surname the family remember the child's full brothers and sisters born by (their earliest),
    when it is neither the child's nor the mother's (the child registered under her maiden surname
    `mmn`, they under their father's); None when there is none, or two."""
    mother = [s for p in case.people if p.relationship == "mother" for s in p.surnames]
    theirs = {p.surnames[0] for p in case.people if p.relationship in ("sister", "brother", "sibling") and p.surnames}
    theirs = {s for s in theirs if not any(similar_surnames(s, x) for x in [*case.child.surnames, mmn, *mother])}
    return theirs.pop() if len(theirs) == 1 else None


def _dated(seed: SeedFacts | None) -> bool:
    """The seed's date of birth is known closely enough to find their birth entry without forenames."""
    return seed is not None and seed.born is not None and seed.born.hi - seed.born.lo <= DATED_DAYS


def _seed_key(seed: SeedFacts | None) -> str | None:
    """The contract's seed_person: a seed JSON id, never a case record standing in for one."""
    return None if seed is None or seed.key.startswith("cr:") else seed.key


def normalise_relationship(text: str) -> str | None:
    """Case-record wording ("nan", "birth father", "maternal aunt") as a contract word; None if not family."""
    words = " ".join((text or "").lower().replace("_", " ").split())
    side = ""
    for prefix in ("maternal ", "paternal "):
        if words.startswith(prefix):
            side, words = prefix.strip() + "_", words[len(prefix):]
    base = _RELATIONSHIP_WORDS.get(words)
    if base is None:
        return None
    if side and base in ("grandmother", "grandfather", "aunt", "uncle", "cousin"):
        return side + base
    return base


def _same_first(a: str, b: str) -> bool:
    """The first forenames are the same name or diminutives of each other."""
    x, y = (a or "").split(" ")[0], (b or "").split(" ")[0]
    return bool(x and y) and (x == y or names.are_nicknames(x, y))


def _may_be_called(remembered: str, registered: str) -> bool:
    """Whether someone registered with this forename may be remembered by that one: the same name, a
    diminutive the name lists know, or a pet name made from its letters (JO, SHELL for MICHELLE, RENE for
    IRENE: a shared start or three letters running in common); KELLY is not JOANNA."""
    a, b = remembered.upper(), registered.upper()
    if not a or not b or _same_first(a, b) or a[:2] == b[:2]:
        return True
    return any(a[i:i + 3] in b for i in range(len(a) - 2))


def _goes_by(person: Found, listed: object) -> bool:
    """Whether a record listing someone by these forenames can be this person's. Someone goes by one of
    their own forenames (JENNIFER for KELLY JENNIFER, MAY for JENNIFER MAY), so once their registered
    forenames are known (their birth entry), a record giving first a forename that is none of theirs,
    then one of theirs, is another's: KELLY JENNIFER HUDSON, her sister, is not JENNIFER MAY. A record
    with no forename of theirs after the first is left to the link's own levels (PAL, a slip of PAUL)."""
    listed_names = str(listed or "").split()
    if person.birth_row is None or len(listed_names) < 2 or not person.forenames:
        return True
    own = person.forenames.split(" ")

    def theirs(name: str) -> bool:
        if len(name) == 1:
            return any(n.startswith(name) for n in own)
        return any(_first_slip(name, n) or _one_first(name, n) or DamerauLevenshtein.distance(name, n) <= 1
                   for n in own)  # LSA for LISA: a slip too short for _spelling_slip

    return theirs(listed_names[0]) or not any(theirs(n) for n in listed_names[1:])


def _one_first(a: str, b: str) -> bool:
    """The first forenames can be one person's in a listing: the same name, a diminutive, or cut short
    (AL for ALAN: the directory's short forms are not all in the name lists)."""
    x, y = sorted(((a or "").split(" ")[0], (b or "").split(" ")[0]), key=len)
    return _same_first(x, y) or (len(x) >= 2 and y.startswith(x))


def _reweighted(scored: pd.DataFrame, bits: np.ndarray) -> pd.DataFrame:
    """Scored records with `bits` added to their link weights, probabilities and order to match."""
    if not bits.any():
        return scored
    weight = scored["weight"].to_numpy(dtype=float) + bits
    scored = scored.assign(weight=weight, probability=1.0 / (1.0 + np.exp2(-weight)))
    return scored.sort_values("probability", ascending=False, kind="stable")


def _fuller(registered: str, remembered: str) -> str:
    """The forenames to look someone up by: a registered name (a marriage entry) is fuller than a
    remembered one ("Jill" for Gillian) when the two agree; when its first forename is a slip of the
    remembered one (CAORLE PATRICIA for Carole), the remembered first forename and its middle names;
    otherwise the family's memory stands. A record giving fewer forenames than are known (a directory's
    PAUL for PAUL D) keeps the middle names known: its first forename with the others'."""
    if not registered or not remembered:
        return registered or remembered
    first, *middles = registered.split(" ")
    if _same_first(registered, remembered):
        known = remembered.split(" ")[1:]
        return " ".join([first, *known]) if len(known) > len(middles) else registered
    if _first_slip(first, remembered.split(" ")[0]):
        return " ".join([remembered.split(" ")[0], *middles])
    return remembered


def _born_as_remembered(born: tuple[np.ndarray, np.ndarray], rows: np.ndarray,
                         remembered: dates.Interval | None) -> bool:
    """Whether any of these entries (positions; `born`: the index's birth intervals) was born within a
    year of a date of birth remembered to about a year."""
    window = _about_a_year(remembered)
    if window is None or not len(rows):
        return False
    lo, hi = born[0][rows], born[1][rows]
    return bool(((hi >= window[0]) & (lo <= window[1])).any())


def _about_a_year(born: dates.Interval | None) -> tuple[float, float] | None:
    """The days someone born on a date known to about a year (two at most) may have been born: a year more
    either way. None when the date is not known that closely."""
    if born is None or born.hi - born.lo > 2 * YEAR:
        return None
    return born.lo - YEAR, born.hi + YEAR


def _middles_differ(tokens: Sequence[str], theirs: Sequence[str]) -> bool:
    """Whether two sets of forenames (split) have second forenames that cannot be one name: both given,
    not sharing an initial, neither among the other's forenames."""
    if len(tokens) < 2 or len(theirs) < 2 or not tokens[1] or not theirs[1]:
        return False
    return not (tokens[1][0] == theirs[1][0] or tokens[1] in theirs or theirs[1] in tokens)


def _names_as_born(born: Sequence[str], theirs: Sequence[str]) -> bool:
    """Whether a later record's forenames (split) can be those a birth entry registered: the middle
    names do not differ, and it gives none the birth did not (a name is not gained by marrying)."""
    return not _middles_differ(born, theirs) and not (len(born) == 1 and len(theirs) > 1)


def _first_slip(a: str, b: str) -> bool:
    """One first forename written twice: the same, a diminutive, or a slip (PARTICIA, MIHCAEL, OHVIA
    for OLIVIA read from print)."""
    return _same_first(a, b) or _spelling_slip(a, b)


def _spelling_slip(a: str, b: str) -> bool:
    """Two spellings of one name: one edit apart, or alike once misreadings of print are undone."""
    return bool(a and b) and min(len(a), len(b)) >= 4 and (
        DamerauLevenshtein.distance(a, b) <= 1 or ocr_canonical(a) == ocr_canonical(b))


def _similar_mask(values: pd.Series, targets: Iterable[str]) -> np.ndarray:
    """Which values are `similar_surnames` to any target (worked out once per distinct value)."""
    targets = [t for t in targets if t]
    verdict = {v: isinstance(v, str) and any(similar_surnames(v, t) for t in targets) for v in values.unique()}
    return values.map(verdict).fillna(False).to_numpy(dtype=bool)


def similar_surnames(a: str, b: str) -> bool:
    """Same surname allowing a spelling variant: same sound (NYSIIS), one edit apart, or the same once
    print's look-alikes are read alike (JARNES for JAMES: RN read for M)."""
    if not a or not b:
        return False
    return a == b or names.phonetic(a, "nysiis") == names.phonetic(b, "nysiis") or \
        DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1 or ocr_canonical(a) == ocr_canonical(b)


def _compatible(found_rel: str, seed_rel: str) -> bool:
    if found_rel == seed_rel:
        return True
    base = lambda r: r.removeprefix("maternal_").removeprefix("paternal_").removeprefix("half_")  # noqa: E731
    if seed_rel in ("aunt", "uncle", "cousin", "grandmother", "grandfather"):
        return found_rel.endswith("_" + seed_rel)
    if seed_rel in ("sister", "brother", "half_sister", "half_brother"):
        return base(found_rel) == base(seed_rel)
    if seed_rel in ("sibling", "half_sibling"):
        return base(found_rel) in ("sister", "brother")
    return False


def _sibling_word(kind: str, side: str, sex: str | None) -> str:
    if kind == "sibling":
        return {"F": "sister", "M": "brother"}.get(sex or "", "brother" if sex == "M" else "sister")
    if kind == "half_sibling":
        return "half_brother" if sex == "M" else "half_sister"
    if kind == "aunt":
        return f"{side}_uncle" if sex == "M" else f"{side}_aunt"
    return f"{side}_cousin"


def trace_case(case: CaseFacts, records: pd.DataFrame | RecordIndex, budget: int = 150) -> list[Found]:
    """The traced family of a case, before restrictions and ranking (over a mentions frame or its index)."""
    return Tracer(records, budget=budget).trace(case)
