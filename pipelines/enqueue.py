"""From traced persons to ranked candidate drafts: restrictions applied, contact chosen, ranked."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pipelines.kin import Found
from pipelines.policy import Restrictions

# Closer relatives first among equally likely people: a parent outranks a cousin.
DEGREE_BONUS = {1: 0.03, 2: 0.015, 3: 0.0}
DEFAULT_QUEUE = 50
MIN_SCORE = 0.3  # calibrated: below this a candidate is more likely a stranger than a relative by far

# Chain belief -> calibrated probability of being a relative: isotonic regression fitted on 1,260
# candidates from generated worlds seeds 1-4 (`python -m benchmarks.tracing --fit-calibration`), checked
# on seeds 7-9. Monotone, so it changes no ranking; it makes `score` mean what it says.
CALIBRATION_X = tuple(round(0.05 * i, 2) for i in range(21))
CALIBRATION_Y = (0.027, 0.027, 0.174, 0.174, 0.38, 0.399, 0.524, 0.69, 0.727, 0.816, 0.902, 0.902, 0.902,
                 0.954, 0.954, 0.967, 0.967, 0.978, 0.99, 0.99, 0.99)


def calibrate(belief: float) -> float:
    """The calibrated probability that a traced person is the stated kind of relative."""
    return float(np.interp(min(max(belief, 0.0), 1.0), CALIBRATION_X, CALIBRATION_Y))


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


def choose_contact(person: Found, restrictions: Restrictions) -> tuple[str, str] | None:
    """The record with the most recent address that may be disclosed; none for the dead."""
    if person.deceased:
        return None
    usable = [a for a in person.addresses
              if a[1:3] and not restrictions.place_is_undisclosable(a[3], a[4], a[5])]
    if not usable:
        return None
    year, source, record_id, *_ = max(usable, key=lambda a: (a[0], a[1], a[2]))
    del year
    return (source, record_id)


def drafts(found: list[Found], restrictions: Restrictions) -> list[CandidateDraft]:
    """Apply restrictions to each traced person and rank them, best first."""
    from tracing.vocabulary import degree_of, side_of

    out = []
    seen: set[str] = set()
    for person in found:
        score = calibrate(person.prob)
        if score < MIN_SCORE or person.identity in seen:
            continue
        seen.add(person.identity)
        reasons = restrictions.block_reasons(person.relationship, person.seed_person, person.forenames,
                                             person.surnames)
        blocked = bool(reasons)
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
                contact=None if blocked else choose_contact(person, restrictions),
                records=sorted((s, r, w) for (s, r), w in person.records.items()),
                evidence=person.evidence,
                chain=person.chain,
            )
        )
    out.sort(key=lambda d: (-(d.score + DEGREE_BONUS.get(d.degree, 0.0)), d.degree, d.identity))
    for i, d in enumerate(out, start=1):
        d.rank = i
    return out
