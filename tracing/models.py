"""SQLModel tables: cases and their seed facts, source records, candidates and decisions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Case(SQLModel, table=True):
    """A child's family-finding case, known by its reference."""

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(index=True, unique=True, max_length=64)
    status: str = Field(default="open", max_length=16)  # open | closed
    created_at: datetime = Field(default_factory=utcnow)
    closed_on: date | None = None
    team: str | None = Field(default=None, max_length=64)


class Child(SQLModel, table=True):
    """The child (or care leaver) the case is about."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, unique=True, ondelete="CASCADE")
    forenames: str | None = None
    surname: str | None = None
    date_of_birth: date | None = None
    birth_district: str | None = None
    sex: str | None = Field(default=None, max_length=1)


class Consent(SQLModel, table=True):
    """The child's agreement and the consent of whoever holds parental responsibility."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, unique=True, ondelete="CASCADE")
    child_agreed_on: date | None = None
    parental_responsibility_consent_on: date | None = None
    consent_given_by: str | None = None
    withdrawn_on: date | None = None

    @property
    def allows_search(self) -> bool:
        return (
            self.child_agreed_on is not None
            and self.parental_responsibility_consent_on is not None
            and self.withdrawn_on is None
        )


class SeedPerson(SQLModel, table=True):
    """A person the family or the child remembers, as entered at intake."""

    __table_args__ = (UniqueConstraint("case_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=32)  # the seed JSON's "id", e.g. "s1"
    relationship: str = Field(max_length=40)
    forenames: str | None = None
    surname: str | None = None
    former_surnames: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    date_of_birth: date | None = None
    birth_year: int | None = None
    approx_age: int | None = None
    places: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))


class Restriction(SQLModel, table=True):
    """A safeguarding restriction: a person not to contact, or a place never to disclose."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)  # do_not_contact | do_not_disclose_location
    person_key: str | None = Field(default=None, max_length=32)
    place: str | None = None
    reason: str | None = None


class SourceFile(SQLModel, table=True):
    """One loaded record file; its content hash makes re-adding a no-op."""

    __table_args__ = (UniqueConstraint("source", "content_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True, max_length=64)
    kind: str = Field(max_length=32)
    path: str
    content_hash: str = Field(max_length=64)
    rows: int = 0
    loaded_at: datetime = Field(default_factory=utcnow)


class SourceRecord(SQLModel, table=True):
    """One record of a source, its contract columns kept as JSON."""

    __table_args__ = (
        UniqueConstraint("source", "record_id"),
        Index("ix_sourcerecord_kind", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_file_id: int = Field(foreign_key="sourcefile.id", index=True, ondelete="CASCADE")
    source: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    record_id: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class SearchRun(SQLModel, table=True):
    """One run of the search flow for a case."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    state: str = Field(default="running", max_length=16)  # running | completed | failed
    flow_run_id: str | None = Field(default=None, max_length=64)
    candidates_found: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))
    # Per live source: state, record count, error class — never personal data.
    sources: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class Candidate(SQLModel, table=True):
    """One real person the system believes is a relative, with cited records."""

    __table_args__ = (UniqueConstraint("case_id", "identity"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    identity: str = Field(max_length=200)  # stable across runs: the anchoring record
    rank: int = 0
    score: float = 0.0
    relationship: str = Field(max_length=40)
    side: str | None = Field(default=None, max_length=16)
    degree: int = 1
    seed_person: str | None = Field(default=None, max_length=32)
    display_name: str = ""
    status: str = Field(default="pending", max_length=16)  # pending | verified | rejected
    blocked: bool = False
    block_reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    deceased: bool = False
    contact_source: str | None = Field(default=None, max_length=64)
    contact_record_id: str | None = Field(default=None, max_length=64)
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    chain: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    active: bool = True  # false when the latest search no longer found this person
    first_run_id: int | None = Field(default=None, foreign_key="searchrun.id")
    last_run_id: int | None = Field(default=None, foreign_key="searchrun.id")


class CandidateRecord(SQLModel, table=True):
    """A record cited as belonging to a candidate, with the weight of its link."""

    __table_args__ = (UniqueConstraint("candidate_id", "source", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    source: str = Field(max_length=64)
    record_id: str = Field(max_length=64)
    weight: float = 0.0


class Decision(SQLModel, table=True):
    """A coordinator's verification or rejection of a candidate."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    decision: str = Field(max_length=16)  # verified | rejected
    reason: str | None = None
    decided_by: str = Field(max_length=64)
    decided_at: datetime = Field(default_factory=utcnow)


class CandidateSnapshot(SQLModel, table=True):
    """What a search run found about a candidate, to tell the next run what is new or changed."""

    __table_args__ = (UniqueConstraint("run_id", "candidate_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="searchrun.id", index=True, ondelete="CASCADE")
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    score: float = 0.0
    records: list[str] = Field(default_factory=list, sa_column=Column(JSON))  # "source:record_id"
    contact: str | None = None  # "source:record_id" of the contact record
    deceased: bool = False


class User(SQLModel, table=True):
    """A person who uses tracing: coordinator, supervisor or administrator."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=64)
    display_name: str = ""
    role: str = Field(default="coordinator", max_length=16)  # coordinator | supervisor | administrator
    team: str | None = Field(default=None, max_length=64)
    password_hash: str | None = None  # argon2id
    totp_secret: str | None = None
    session_version: int = 0  # bumped on logout-everywhere and password change
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class CaseAssignment(SQLModel, table=True):
    """Which coordinator a case is assigned to (supervisors see their team's)."""

    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    assigned_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained log of searches, views, decisions, exports and logins."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=32)
    case_reference: str | None = Field(default=None, max_length=64)
    subject: str | None = Field(default=None, max_length=64)  # e.g. a candidate id, never personal data
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


class CaseSchedule(SQLModel, table=True):
    """A care leaver's scheduled re-search (a Prefect deployment schedule)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, unique=True, ondelete="CASCADE")
    every: str | None = Field(default=None, max_length=32)  # e.g. "6m"
    cron: str | None = Field(default=None, max_length=64)
    deployment_id: str | None = Field(default=None, max_length=64)
    active: bool = True
    ends_on: date | None = None  # the 25th birthday
    stopped_reason: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Alert(SQLModel, table=True):
    """What a re-search found new or changed about a candidate."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, ondelete="CASCADE")
    run_id: int = Field(foreign_key="searchrun.id", index=True, ondelete="CASCADE")
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id", ondelete="SET NULL")
    kind: str = Field(max_length=16)  # new | changed
    what: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
