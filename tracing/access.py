"""Object-level access to cases, in one place: every web route and CLI command that touches a case asks here.

A coordinator sees the cases assigned to them; a supervisor their team's (Case.team == user.team) and
the cases assigned to them; an administrator every case. A case the user may not see is reported as
not found, so its existence (and its reference) is not confirmed.
"""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from tracing.errors import NotFound, RefusedByPolicy
from tracing.models import Case, CaseAssignment, User

DECIDERS = ("coordinator", "supervisor", "administrator")


def _assigned(user: User):  # noqa: ANN202
    return select(CaseAssignment.case_id).where(CaseAssignment.user_id == user.id)


def visible_cases(session: Session, user: User) -> list[Case]:
    """Every case the user may see, by reference."""
    query = select(Case)
    if user.role == "administrator":
        pass
    elif user.role == "supervisor" and user.team:
        query = query.where(or_(Case.team == user.team, Case.id.in_(_assigned(user))))
    else:
        query = query.where(Case.id.in_(_assigned(user)))
    return list(session.exec(query.order_by(Case.reference)))


def can_see(session: Session, user: User | None, case: Case) -> bool:
    """True when the user may see this case (and everything about it)."""
    if user is None or not user.active:
        return False
    if user.role == "administrator":
        return True
    if user.role == "supervisor" and user.team and case.team == user.team:
        return True
    return session.exec(select(CaseAssignment).where(CaseAssignment.case_id == case.id,
                                                     CaseAssignment.user_id == user.id)).first() is not None


def require_case(session: Session, user: User | None, reference: str) -> Case:
    """The case with this reference if the user may see it; NotFound otherwise (whether or not it exists)."""
    case = session.exec(select(Case).where(Case.reference == reference)).first()
    if case is None or not can_see(session, user, case):
        raise NotFound(f"no case with reference {reference!r}")
    return case


def require_role(user: User | None, *roles: str) -> User:
    """Refuse unless the user has one of these roles."""
    if user is None or not user.active or user.role not in roles:
        raise RefusedByPolicy(f"this needs the role {' or '.join(roles)}")
    return user


def can_assign(session: Session, user: User, case: Case) -> bool:
    """Administrators assign any case; supervisors their team's."""
    if user.role == "administrator":
        return True
    return user.role == "supervisor" and bool(user.team) and case.team == user.team


def assign(session: Session, actor: User, case: Case, assignee: User) -> CaseAssignment:
    """Assign a case to a user (idempotent); a coordinator's first case sets the case's team if unset."""
    if not can_assign(session, actor, case):
        raise RefusedByPolicy(f"{actor.username} may not assign case {case.reference}")
    found = session.exec(select(CaseAssignment).where(CaseAssignment.case_id == case.id,
                                                      CaseAssignment.user_id == assignee.id)).first()
    if found:
        return found
    row = CaseAssignment(case_id=case.id, user_id=assignee.id)
    session.add(row)
    if case.team is None and assignee.team:
        case.team = assignee.team
        session.add(case)
    session.flush()
    return row


def on_case_created(session: Session, creator: User, case: Case) -> None:
    """A new case belongs to its creator's team and is assigned to a coordinator who created it."""
    if creator.team and case.team is None:
        case.team = creator.team
        session.add(case)
    if creator.role != "administrator":
        session.add(CaseAssignment(case_id=case.id, user_id=creator.id))
    session.flush()
