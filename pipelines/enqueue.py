"""From traced persons to ranked candidate drafts: restrictions applied, contact chosen, ranked."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pipelines.kin import Address, Found
from pipelines.policy import Restrictions

# Closer relatives first among equally likely people: a parent outranks a cousin.
DEGREE_BONUS = {1: 0.03, 2: 0.015, 3: 0.0}
DEFAULT_QUEUE = 50
# The queue keeps candidates scoring this or more: on held-out worlds (seeds 180-199) it keeps precision
# in the top 50 at about 0.87 (300 families) and 0.83 (1000); 0.2 gave 0.85 and 0.80 with recall
# 0.006-0.009 higher (docs/kinship.md).
MIN_SCORE = 0.25

# The candidate scorer: P(a traced person is a real relative of the child) from what the chain says
# about them. Logistic regression over `features` fitted on generated worlds seeds 1-6 of 300, 600 and
# 1000 families (`python -m benchmarks.tracing --fit-scorer --families 300 600 1000 --seeds 1 2 3 4 5 6`),
# measured on other seeds (docs/kinship.md).
# The chain's own belief is the main feature; the others say how far that belief can be trusted for
# this kind of relative reached this way (a cousin through a named couple is surer than the
# same belief through a partner nobody named).
SCORER_FIT_SEEDS = (1, 2, 3, 4, 5, 6)
SCORER_INTERCEPT = -0.473
SCORER_WEIGHTS: dict[str, float] = {
    "at_home": 0.586,
    "belief": 0.793,
    "belief:aunt_uncle": 0.387,
    "belief:cousin": 0.492,
    "belief:grandparent": 0.014,
    "belief:half_sibling": 0.222,
    "belief:parent": -0.156,
    "belief:sibling": -0.167,
    "group:aunt_uncle": -0.556,
    "group:cousin": 0.395,
    "group:grandparent": 1.006,
    "group:half_sibling": -0.702,
    "group:parent": 0.092,
    "group:sibling": -0.556,
    "has:case_records": 0.101,
    "has:company_officers": 0.447,
    "has:death_index": 0.245,
    "has:directory": 0.134,
    "has:marriage_index": 0.255,
    "has:probate": 0.514,
    "note:named_in_case": 3.648,
    "note:near": 0.894,
    "note:near_if_common": 0.197,
    "note:own_name": -0.077,
    "note:rarity": 0.656,
    "note:sibship": -0.417,
    "route:anchor": 2.1,
    "route:couple": 0.759,
    "route:household_partner": -0.162,
    "route:married_name": -0.288,
    "route:own_name": -0.889,
    "route:unnamed_father": -0.911,
    "route:unnamed_partner": -0.889,
    "route:wife": -0.041,
    "seed": 1.073,
    "step": -0.203,
}

GROUPS = {"mother": "parent", "father": "parent", "grandmother": "grandparent", "grandfather": "grandparent",
          "sister": "sibling", "brother": "sibling", "half_sister": "half_sibling", "half_brother": "half_sibling",
          "aunt": "aunt_uncle", "uncle": "aunt_uncle", "cousin": "cousin"}


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def features(person: Found) -> dict[str, float]:
    """What the scorer reads of a traced person (named features, missing ones are 0)."""
    group = GROUPS.get(person.relationship.removeprefix("maternal_").removeprefix("paternal_"), "other")
    belief = _logit(person.prob)
    return {
        "belief": belief,
        f"belief:{group}": belief,
        f"group:{group}": 1.0,
        "step": _logit(person.step),
        f"route:{person.route}": 1.0,
        "at_home": float(person.at_home),
        "seed": float(person.seed_person is not None),
    } | {f"note:{k}": v for k, v in person.notes.items()} | {
        # Which other kinds of record the person was found in (a look-alike birth rarely has a life
        # in the directory, the marriage index and the authority's records as well).
        f"has:{kind}": 1.0 for kind in set(person.record_kinds.values()) - {"birth_index"}}


def score_of(person: Found) -> float:
    """The probability that a traced person is a real relative of the child."""
    z = SCORER_INTERCEPT + sum(SCORER_WEIGHTS.get(k, 0.0) * v for k, v in features(person).items())
    return 1.0 / (1.0 + math.exp(-z))


@dataclass
class CandidateDraft:
    """A candidate as the review queue stores it, before it has a database id."""

    identity: str
    relationship: str
    side: str | None
    degree: int
    seed_person: str | None
    display_name: str
    score: float
    deceased: bool
    blocked: bool
    block_reasons: list[str]
    contact: tuple[str, str] | None
    records: list[tuple[str, str, float]]
    evidence: list[dict[str, object]]
    chain: list[str] = field(default_factory=list)
    rank: int = 0


# A directory spell competing with the latest (another address over the same years) must be outweighed
# by this many bits (8 times likelier) for the latest to be offered as the contact.
CONTACT_MARGIN_BITS = 3.0
# How the chain note of a withheld contact begins (the candidate page shows what follows).
WITHHELD = "no contact offered: "


def choose_contact(person: Found, restrictions: Restrictions) -> tuple[tuple[str, str] | None, str | None]:
    """The record with the most recent address that may be disclosed (none for the dead), and why none
    is offered when the records disagree.

    One person lives at one address at a time. When another directory spell puts them elsewhere over
    the same years as the latest one (`_at_once`), one of the two is likely a namesake's: the latest is
    offered only when it was linked far more strongly (CONTACT_MARGIN_BITS), otherwise neither is, and
    the coordinator is told why. An address given for the wrong person is worse than none (on the
    development worlds this halves the true relatives offered a namesake's address, 14% to 8%, and
    withholds 7% of right ones)."""
    if person.deceased:
        return None, None
    usable = [a for a in person.addresses
              if a.source and a.record_id and not restrictions.place_is_undisclosable(a.address, a.town, a.postcode)]
    if not usable:
        return None, None
    latest = max(usable, key=lambda a: (a.year, a.source, a.record_id))
    if latest.source == "directory":
        rivals = [a for a in usable if a.source == "directory" and a.record_id != latest.record_id
                  and _elsewhere(a, latest) and _at_once(a, latest)]
        if rivals and latest.weight < max(a.weight for a in rivals) + CONTACT_MARGIN_BITS:
            rival = max(rivals, key=lambda a: a.weight)
            return None, (f"{WITHHELD}{latest.source} {latest.record_id} and {rival.source} {rival.record_id} "
                          f"put them at two addresses at once ({max(rival.since, latest.since)}-"
                          f"{min(rival.year, latest.year)}); one is likely a namesake's, so check which is theirs")
    return (latest.source, latest.record_id), None


def _at_once(a: Address, b: Address) -> bool:
    """Two directory spells over the same years: sharing two or more, or both current (last seen the
    same year). Sharing only the year of a move is a move."""
    shared = min(a.year, b.year) - max(a.since, b.since)
    return shared >= 1 or (shared == 0 and a.year == b.year)


def _elsewhere(a: Address, b: Address) -> bool:
    """Two address records at different addresses (by postcode when both give one)."""
    if a.postcode and b.postcode:
        return a.postcode.replace(" ", "").upper() != b.postcode.replace(" ", "").upper()
    return (a.address.strip().upper(), a.town.strip().upper()) != (b.address.strip().upper(), b.town.strip().upper())


def drafts(found: list[Found], restrictions: Restrictions) -> list[CandidateDraft]:
    """Apply restrictions to each traced person and rank them, best first."""
    from tracing.vocabulary import degree_of, side_of

    out = []
    seen: set[str] = set()
    # A do-not-contact person is also known by the names of whoever was traced for them.
    restrictions = restrictions.knowing({
        key: [(p.forenames, p.surnames) for p in found if p.seed_person == key]
        for key in restrictions.do_not_contact})
    for person in found:
        score = score_of(person)
        if score < MIN_SCORE or person.identity in seen:
            continue
        seen.add(person.identity)
        reasons = restrictions.block_reasons(person.relationship, person.seed_person, person.forenames,
                                             person.surnames, person.sex,
                                             (person.born.lo, person.born.hi) if person.born else None)
        blocked = bool(reasons)
        contact, withheld = (None, None) if blocked else choose_contact(person, restrictions)
        out.append(
            CandidateDraft(
                identity=person.identity,
                relationship=person.relationship,
                side=side_of(person.relationship),
                degree=degree_of(person.relationship),
                seed_person=person.seed_person,
                display_name=f"{person.forenames.title()} {person.surnames[-1] if person.surnames else ''}".strip(),
                score=round(score, 4),
                deceased=person.deceased,
                blocked=blocked,
                block_reasons=reasons,
                contact=contact,
                records=sorted((s, r, w) for (s, r), w in person.records.items()),
                evidence=person.evidence,
                chain=[*person.chain, withheld] if withheld else person.chain,
            )
        )
    out.sort(key=lambda d: (-(d.score + DEGREE_BONUS.get(d.degree, 0.0)), d.degree, d.identity))
    for i, d in enumerate(out, start=1):
        d.rank = i
    return out
