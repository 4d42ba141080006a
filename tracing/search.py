"""What one search of a case does, step by step, without Prefect: the flow calls these."""

from __future__ import annotations

from sqlmodel import Session, select

from matchers import dates, names
from pipelines import enqueue, kin
from pipelines.policy import Restrictions, normalise_address
from tracing.cases import SeedCase, require_search_allowed
from tracing.models import Case, Child, Restriction, SearchRun, SeedPerson, SourceRecord, utcnow
from tracing.review import upsert_candidates

AGE_STALE = 0.15  # years a remembered age may be out of date (the person older now), per year of age

_SEX_OF_WORD = {"mother": "F", "grandmother": "F", "sister": "F", "aunt": "F",
                "father": "M", "grandfather": "M", "brother": "M", "uncle": "M"}


def _seed_facts(p: object, key: str, relationship: str) -> kin.SeedFacts:
    """Seed facts from a stored SeedPerson/Child or a validated seed-JSON person/child."""
    born = age = None
    if p.date_of_birth is not None:
        born = dates.interval_from_iso(p.date_of_birth.isoformat())
    elif getattr(p, "birth_year", None):
        born = dates.interval_from_year(p.birth_year)
    elif getattr(p, "approx_age", None) is not None:
        # "About 75": a remembered age is less sure the older the person (five years either side at
        # 75, two for a child), and may be the age when they were last seen: older, never younger.
        base = dates.interval_from_age(p.approx_age, utcnow().date())
        slack = max(2, round(kin.AGE_SLACK * p.approx_age)) * 365.25
        stale = round(AGE_STALE * p.approx_age) * 365.25
        born = dates.Interval(int(base.lo - slack - stale), int(base.hi + slack)) if base else None
        age = p.approx_age
    surnames = [*getattr(p, "former_surnames", []), p.surname or ""]
    place_names = [pl["name"] if isinstance(pl, dict) else pl.name for pl in getattr(p, "places", [])]
    if getattr(p, "birth_district", None):
        place_names.insert(0, p.birth_district)
    # The child's sex is stated; a relative's follows from the relationship word where it can.
    sex = getattr(p, "sex", None) or _SEX_OF_WORD.get(relationship.split("_")[-1])
    return kin.SeedFacts(
        key=key,
        relationship=relationship,
        forenames=names.normalise_forenames(p.forenames),
        surnames=tuple(s for s in (names.normalise_surname(x) for x in surnames) if s),
        born=born,
        places=tuple(x for x in place_names if x),
        sex=sex if sex in ("F", "M") else None,
        remembered_age=age,
    )


def _facts(reference: str, child: object, people: list[tuple[str, object]], dnc: set[str],
           places: list[str]) -> tuple[kin.CaseFacts, Restrictions]:
    seeds = tuple(_seed_facts(p, key, p.relationship) for key, p in people)
    by_key = {s.key: s for s in seeds}
    facts = kin.CaseFacts(
        reference=reference, child=_seed_facts(child, "child", "child"), people=seeds, do_not_contact=frozenset(dnc)
    )
    policy = Restrictions(
        do_not_contact={k: (by_key[k].relationship, by_key[k].forenames, by_key[k].surnames)
                        for k in sorted(dnc) if k in by_key},
        undisclosable=tuple(normalise_address(p) for p in places if p),
        described={k: (by_key[k].sex, *((by_key[k].born.lo, by_key[k].born.hi) if by_key[k].born else (None, None)))
                   for k in sorted(dnc) if k in by_key},
    )
    return facts, policy


def case_facts(session: Session, case: Case) -> tuple[kin.CaseFacts, Restrictions]:
    """The stored case as the pipelines see it, and its restrictions."""
    child = session.exec(select(Child).where(Child.case_id == case.id)).one()
    people = list(session.exec(select(SeedPerson).where(SeedPerson.case_id == case.id).order_by(SeedPerson.key)))
    restrictions = list(session.exec(select(Restriction).where(Restriction.case_id == case.id)))
    dnc = {r.person_key for r in restrictions if r.kind == "do_not_contact" and r.person_key}
    places = [r.place for r in restrictions if r.kind == "do_not_disclose_location" and r.place]
    return _facts(case.reference, child, [(p.key, p) for p in people], dnc, places)


def seed_case_facts(seed: SeedCase) -> tuple[kin.CaseFacts, Restrictions]:
    """A validated seed case (not stored) as the pipelines see it: for benchmarks and tests."""
    dnc = {r.person for r in seed.restrictions if r.kind == "do_not_contact" and r.person}
    places = [r.place for r in seed.restrictions if r.kind == "do_not_disclose_location" and r.place]
    return _facts(seed.reference, seed.child, [(p.id, p) for p in seed.people], dnc, places)


def load_records(session: Session) -> kin.RecordIndex:
    """What a search reads: every stored source record, as mentions indexed for blocking.

    The mentions come from the persisted index under $TRACING_HOME/index, rebuilt per loaded file only when
    that file's records change (content hash, count, last id); the blocking indexes over them are built
    once and kept while the records are unchanged, so later searches in this process start at once.
    """
    from sqlalchemy import func

    from pipelines import index
    from tracing.models import SourceFile
    from tracing.settings import get_settings

    held = session.exec(
        select(SourceFile.id, SourceFile.content_hash, func.count(SourceRecord.id), func.max(SourceRecord.id))
        .join(SourceRecord, SourceRecord.source_file_id == SourceFile.id)
        .group_by(SourceFile.id, SourceFile.content_hash)
    ).all()
    fingerprints = {fid: f"{digest}:{count}:{last}" for fid, digest, count, last in held}

    def read(file_id: int):  # noqa: ANN202
        return session.exec(
            select(SourceRecord.id, SourceRecord.source, SourceRecord.kind, SourceRecord.record_id, SourceRecord.data)
            .where(SourceRecord.source_file_id == file_id).order_by(SourceRecord.id))

    home = get_settings().home / "index"
    key = (str(home), tuple(sorted(fingerprints.items())))
    if _LAST_RECORDS.get("key") != key:
        _LAST_RECORDS.clear()  # let the old index go before the new one is built
        # Only the per-kind frames are kept: the loaded frame is dropped once they are built.
        _LAST_RECORDS.update(key=key, records=kin.RecordIndex(index.load_parts(home, fingerprints, read)))
    return _LAST_RECORDS["records"]


_LAST_RECORDS: dict[str, object] = {}


def start_run(session: Session, case: Case, flow_run_id: str | None = None) -> SearchRun:
    """Record that a search began (after the consent gate)."""
    require_search_allowed(session, case)
    run = SearchRun(case_id=case.id, flow_run_id=flow_run_id)
    session.add(run)
    session.flush()
    return run


def link_and_rank(session: Session, case: Case) -> list[enqueue.CandidateDraft]:
    """Trace the family over all stored records and rank candidates with restrictions applied."""
    facts, policy = case_facts(session, case)
    found = kin.trace_case(facts, load_records(session))
    return enqueue.drafts(found, policy)


def finish_run(session: Session, run: SearchRun, case: Case, drafts: list[enqueue.CandidateDraft]) -> int:
    """Store the ranked candidates and close the run."""
    count = upsert_candidates(session, case, run, drafts)
    run.state, run.finished_at, run.candidates_found = "completed", utcnow(), count
    session.add(run)
    return count
