"""Reading cases: who sees which, the filtered case list, the referral inbox, the choices
of the case forms."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select

from ..auth.models import Role, User
from ..extensions import db
from ..register.models import FieldOfWork, Stakeholder, StakeholderKind
from .models import Case, CaseParty, CaseStatus, case_need
from .referral_models import Referral, ReferralStatus


def visible_cases(user: User) -> Select:
    """Coordinators see every case, staff the cases of their own department, others none."""
    query = select(Case)
    if user.role is Role.COORDINATOR:
        return query
    if user.role is Role.STAFF and user.department_id is not None:
        return query.where(Case.id.in_(
            select(CaseParty.case_id).where(CaseParty.stakeholder_id == user.department_id)))
    return query.where(False)


def filtered_cases(user: User, status: CaseStatus | None = None, need_id: int | None = None,
                   department_id: int | None = None, opened_from: date | None = None,
                   opened_to: date | None = None) -> Select:
    query = visible_cases(user)
    if status:
        query = query.where(Case.status == status)
    if need_id:
        query = query.where(Case.id.in_(
            select(case_need.c.case_id).where(case_need.c.field_id == need_id)))
    if department_id:
        query = query.where(Case.id.in_(
            select(CaseParty.case_id).where(CaseParty.stakeholder_id == department_id)))
    if opened_from:
        query = query.where(Case.opened_on >= opened_from)
    if opened_to:
        query = query.where(Case.opened_on <= opened_to)
    return query.order_by(Case.opened_on.desc(), Case.id.desc())


def inbox(user: User, department_id: int | None) -> list[Referral]:
    """Referrals waiting for an answer, and accepted ones waiting for first contact, for one
    department (staff: always their own)."""
    if user.role is Role.STAFF:
        department_id = user.department_id
    query = (select(Referral)
             .where(Referral.case_id.is_not(None),
                    Referral.status.in_([ReferralStatus.SENT, ReferralStatus.ACCEPTED,
                                         ReferralStatus.FIRST_CONTACT]))
             .order_by(Referral.sent_on, Referral.id))
    if department_id:
        query = query.where(Referral.to_id == department_id)
    return list(db.session.scalars(query))


def organisations(include_ids: tuple[int, ...] = ()) -> list[Stakeholder]:
    """Departments and groups that can take part in a case (active, or already chosen)."""
    return list(db.session.scalars(
        select(Stakeholder)
        .where(Stakeholder.kind.in_([StakeholderKind.DEPARTMENT, StakeholderKind.GROUP]),
               Stakeholder.active | Stakeholder.id.in_(include_ids or (-1,)))
        .order_by(Stakeholder.kind, Stakeholder.name)))


def organisation_choices(include_ids: tuple[int, ...] = ()) -> list[tuple[int, str]]:
    return [(s.id, s.name) for s in organisations(include_ids)]


def department_choices() -> list[tuple[int, str]]:
    return [(s.id, s.name) for s in db.session.scalars(
        select(Stakeholder).where(Stakeholder.kind == StakeholderKind.DEPARTMENT)
        .order_by(Stakeholder.name))]


def need_choices() -> list[tuple[int, str]]:
    return [(f.id, f.label) for f in db.session.scalars(
        select(FieldOfWork).order_by(FieldOfWork.position))]


def case_referrals(case: Case) -> list[Referral]:
    return list(db.session.scalars(
        select(Referral).where(Referral.case_id == case.id).order_by(Referral.sent_on,
                                                                    Referral.id)))
