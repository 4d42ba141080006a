"""Case intake: validate seed case JSON (contract 2), store it, and gate searches on consent."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, select

from tracing.errors import BadInput, NotFound, RefusedByPolicy
from tracing.models import Case, Child, Consent, Restriction, SeedPerson
from tracing.vocabulary import RELATIONSHIPS, RESTRICTION_KINDS


class _Strict(BaseModel):
    # Extra keys are allowed (contracts extend by adding) but ignored here.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class PlaceIn(_Strict):
    name: str = Field(min_length=1)
    from_year: int | None = Field(default=None, ge=1900, le=2100)
    to_year: int | None = Field(default=None, ge=1900, le=2100)

    @model_validator(mode="after")
    def _years_in_order(self) -> PlaceIn:
        if self.from_year and self.to_year and self.from_year > self.to_year:
            raise ValueError("from_year is after to_year")
        return self


class ChildIn(_Strict):
    forenames: str | None = None
    surname: str | None = None
    date_of_birth: date | None = None
    birth_district: str | None = None
    sex: Literal["M", "F", "X"] | None = None


class ConsentIn(_Strict):
    child_agreed_on: date | None = None
    parental_responsibility_consent_on: date | None = None
    consent_given_by: str | None = None


class PersonIn(_Strict):
    id: str = Field(min_length=1, max_length=32)
    relationship: str
    forenames: str | None = None
    surname: str | None = None
    former_surnames: list[str] = Field(default_factory=list)
    date_of_birth: date | None = None
    birth_year: int | None = Field(default=None, ge=1880, le=2030)
    approx_age: int | None = Field(default=None, ge=0, le=120)
    places: list[PlaceIn] = Field(default_factory=list)

    @field_validator("relationship")
    @classmethod
    def _known_relationship(cls, value: str) -> str:
        if value not in RELATIONSHIPS:
            raise ValueError(f"unknown relationship {value!r}; use one of: {', '.join(RELATIONSHIPS)}")
        return value

    @model_validator(mode="after")
    def _one_birth_fact(self) -> PersonIn:
        given = [f for f in ("date_of_birth", "birth_year", "approx_age") if getattr(self, f) is not None]
        if len(given) > 1:
            raise ValueError(f"give only one of date_of_birth, birth_year, approx_age (got {', '.join(given)})")
        return self


class RestrictionIn(_Strict):
    kind: str
    person: str | None = None
    place: str | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _well_formed(self) -> RestrictionIn:
        if self.kind not in RESTRICTION_KINDS:
            raise ValueError(f"unknown restriction kind {self.kind!r}; use one of: {', '.join(RESTRICTION_KINDS)}")
        if self.kind == "do_not_contact" and not self.person:
            raise ValueError("a do_not_contact restriction names a person (a seed person id)")
        if self.kind == "do_not_disclose_location" and not self.place:
            raise ValueError("a do_not_disclose_location restriction names a place")
        return self


class SeedCase(_Strict):
    """A seed case as in DESIGN.md contract 2."""

    reference: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-/.]*$")
    child: ChildIn
    consent: ConsentIn = Field(default_factory=ConsentIn)
    people: list[PersonIn] = Field(default_factory=list)
    restrictions: list[RestrictionIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> SeedCase:
        ids = [p.id for p in self.people]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"people ids must be unique; repeated: {', '.join(dupes)}")
        for r in self.restrictions:
            if r.person and r.person not in ids:
                raise ValueError(f"restriction names person {r.person!r}, who is not in people")
        return self


def _json_path(loc: tuple) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def parse_seed_case(text: str, origin: str = "<input>") -> SeedCase:
    """Validate seed JSON; BadInput lists every error with its JSON path."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{origin}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    try:
        return SeedCase.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{_json_path(e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)]
        raise BadInput(f"{origin}: the seed case has {len(problems)} error(s)", problems) from exc


def load_seed_case(path: Path) -> SeedCase:
    """Read and validate a seed case file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 text") from exc
    return parse_seed_case(text, origin=str(path))


def add_case(session: Session, seed: SeedCase) -> Case:
    """Store a validated seed case; a reference already held is refused as bad input."""
    if session.exec(select(Case).where(Case.reference == seed.reference)).first():
        raise BadInput(f"case {seed.reference} already exists")
    case = Case(reference=seed.reference)
    session.add(case)
    session.flush()
    session.add(Child(case_id=case.id, **seed.child.model_dump()))
    session.add(Consent(case_id=case.id, **seed.consent.model_dump()))
    for p in seed.people:
        data = p.model_dump(exclude={"id", "places"})
        session.add(
            SeedPerson(case_id=case.id, key=p.id, places=[pl.model_dump() for pl in p.places], **data)
        )
    for r in seed.restrictions:
        session.add(
            Restriction(case_id=case.id, kind=r.kind, person_key=r.person, place=r.place, reason=r.reason)
        )
    session.flush()
    return case


def get_case(session: Session, reference: str) -> Case:
    """The case with this reference, or NotFound."""
    case = session.exec(select(Case).where(Case.reference == reference)).first()
    if case is None:
        raise NotFound(f"no case with reference {reference!r}")
    return case


def require_search_allowed(session: Session, case: Case) -> None:
    """Refuse (exit 3) unless the child agreed, PR consent is recorded and not withdrawn, and the case is open."""
    consent = session.exec(select(Consent).where(Consent.case_id == case.id)).first()
    if case.status != "open":
        raise RefusedByPolicy(f"case {case.reference} is closed; it cannot be searched")
    if consent is None or not consent.allows_search:
        missing = []
        if consent is None or consent.child_agreed_on is None:
            missing.append("the child's agreement")
        if consent is None or consent.parental_responsibility_consent_on is None:
            missing.append("parental-responsibility consent")
        if consent is not None and consent.withdrawn_on is not None:
            missing.append(f"consent was withdrawn on {consent.withdrawn_on}")
        raise RefusedByPolicy(
            f"case {case.reference} cannot be searched: missing {' and '.join(missing)}"
        )


def withdraw_consent(session: Session, case: Case, reason: str, actor: str, on: date | None = None) -> Consent:
    """Record that consent was withdrawn: searches are refused from now on, and scheduled ones stop at once.

    Schedules are stopped with the code "consent_withdrawn" (the coordinator's free-text reason may
    name people, so it is not copied into schedule records or the audit log).
    """
    from tracing import audit

    if not reason or not reason.strip():
        raise BadInput("withdrawing consent needs --reason")
    consent = session.exec(select(Consent).where(Consent.case_id == case.id)).first()
    if consent is None:
        consent = Consent(case_id=case.id)
    if consent.withdrawn_on is None:
        consent.withdrawn_on = on or date.today()
    session.add(consent)
    session.flush()
    stopped = stop_searches(session, case, "consent_withdrawn")
    audit.record(session, actor, "consent_withdrawn", case.reference, schedules_stopped=stopped)
    return consent


def stop_searches(session: Session, case: Case, reason: str) -> bool:
    """Stop the case's running and scheduled searches (tracing.schedules, when installed)."""
    try:
        from tracing.schedules import stop_for_case
    except ImportError:
        return False
    stop_for_case(session, case.id, reason)
    return True


def close_case(session: Session, case: Case) -> Case:
    """Close a case: no more searches; its data is purged after the retention period."""
    if case.status != "closed":
        case.status = "closed"
        case.closed_on = date.today()
        session.add(case)
        session.flush()
    return case
