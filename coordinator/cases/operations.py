"""Writes to cases and the rules they keep: who may work on a case, which basis a
department needs to be involved, what revoking a consent does, and the audit entries.

The forms check most of this for a friendly message next to a field; the rules are checked
here again because every write passes through here (a form can be bypassed, this cannot).
Each function leaves its changes in the session; the views commit through :func:`commit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..access import can_read_case
from ..auth.models import Role, User
from ..extensions import db
from ..register.models import FieldOfWork, Stakeholder, StakeholderKind
from ..timeutil import utcnow
from . import audit
from .models import (
    Case,
    CaseOutcome,
    CaseParty,
    CaseStatus,
    LegalBasis,
    PartyRole,
)
from .text_rules import personal_data_message

DEFAULT_OUTCOMES = (
    "Ziele erreicht",
    "Ziele teilweise erreicht",
    "an anderes Angebot übergeben",
    "Kontakt abgebrochen",
    "Wegzug aus dem Kreisgebiet",
)


class CaseRuleError(ValueError):
    """A rule of case work is broken; ``message`` is German and belongs next to ``field``."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise CaseRuleError(_("Die Angaben haben sich inzwischen geändert. Bitte laden Sie "
                              "die Seite neu und versuchen Sie es erneut.")) from None


def require_case_worker(user: User, case: Case) -> None:
    """Only coordinators and staff of a department involved in the case change it."""
    if user.role not in (Role.COORDINATOR, Role.STAFF) or not can_read_case(user, case):
        raise CaseRuleError(_("Sie können diesen Fall nicht bearbeiten."))


def check_text(text: str, field: str) -> None:
    message = personal_data_message(text)
    if message:
        raise CaseRuleError(message, field)


# --- the basis for sharing a case ----------------------------------------------------------


def consent_covers(case: Case, stakeholder_id: int) -> bool:
    return any(c.active and any(s.id == stakeholder_id for s in c.covers)
               for c in case.consents)


def has_basis(case: Case, stakeholder_id: int, legal_basis: LegalBasis | None) -> bool:
    """A department may see the case if it leads it, a statutory basis is chosen for it, or
    an unrevoked consent of the resident covers it."""
    return (stakeholder_id == case.lead_id or legal_basis is not None
            or consent_covers(case, stakeholder_id))


def require_basis(case: Case, stakeholder: Stakeholder, legal_basis: LegalBasis | None,
                  field: str) -> None:
    if not has_basis(case, stakeholder.id, legal_basis):
        raise CaseRuleError(
            _("Für %(name)s gibt es keine Grundlage, den Fall zu teilen: Erfassen Sie zuerst "
              "eine Einwilligung (Schweigepflichtentbindung), die %(name)s umfasst, oder "
              "wählen Sie eine gesetzliche Grundlage.", name=stakeholder.name),
            field,
        )


def organisation(stakeholder_id: int | None, field: str) -> Stakeholder:
    """An active department or group (individuals are never parties of a case)."""
    stakeholder = db.session.get(Stakeholder, stakeholder_id) if stakeholder_id else None
    if (stakeholder is None or not stakeholder.active
            or stakeholder.kind is StakeholderKind.INDIVIDUAL):
        raise CaseRuleError(_("Bitte wählen Sie ein aktives Ressort oder eine Gruppe aus."),
                            field)
    return stakeholder


def _fields(field_ids: Sequence[int]) -> list[FieldOfWork]:
    ids = list(dict.fromkeys(field_ids))
    found = db.session.scalars(select(FieldOfWork).where(FieldOfWork.id.in_(ids))).all()
    if len(found) != len(ids):
        raise CaseRuleError(_("Die Auswahl der Handlungsfelder ist nicht (mehr) gültig. "
                              "Bitte laden Sie die Seite neu."), "needs")
    return list(found)


# --- cases -------------------------------------------------------------------------------


def next_reference(year: int) -> str:
    """``K-<year>-<number>``: consecutive per year; says nothing about the resident."""
    prefix = f"K-{year}-"
    last = db.session.scalar(
        select(func.max(Case.reference)).where(Case.reference.like(f"{prefix}%"))
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def open_case(user: User, lead_id: int, opened_on: date, need_ids: Sequence[int]) -> Case:
    lead = organisation(lead_id, "lead")
    if user.role is Role.STAFF and user.department_id != lead.id:
        raise CaseRuleError(_("Sie können nur Fälle eröffnen, die Ihr eigenes Ressort "
                              "federführend betreut."), "lead")
    needs = _fields(need_ids)
    if not needs:
        raise CaseRuleError(_("Bitte wählen Sie mindestens ein Handlungsfeld."), "needs")
    case = Case(reference=next_reference(opened_on.year), opened_on=opened_on, lead=lead,
                created_by_id=user.id, status=CaseStatus.OPEN)
    case.needs = needs
    case.parties = [CaseParty(stakeholder=lead, role=PartyRole.LEAD, joined_on=opened_on)]
    db.session.add(case)
    db.session.flush()
    audit.case_event("create", case, changes=audit.changes_between(
        {}, audit.snapshot(case, ("opened_on", "lead_id", "status", "needs"))))
    return case


CASE_FIELDS = ("status", "needs", "closed_on", "outcome_id")


def update_case(user: User, case: Case, need_ids: Sequence[int], status: CaseStatus) -> None:
    require_case_worker(user, case)
    if case.status is CaseStatus.CLOSED:
        raise CaseRuleError(_("Ein abgeschlossener Fall kann nicht mehr geändert werden."))
    if status is CaseStatus.CLOSED:
        raise CaseRuleError(_("Bitte schließen Sie den Fall über „Fall abschließen“."),
                            "status")
    needs = _fields(need_ids)
    if not needs:
        raise CaseRuleError(_("Bitte wählen Sie mindestens ein Handlungsfeld."), "needs")
    before = audit.snapshot(case, CASE_FIELDS)
    case.needs = needs
    case.status = status
    case.updated_at = utcnow()
    _log_update(case, before)


def close_case(user: User, case: Case, closed_on: date, outcome_id: int | None) -> None:
    require_case_worker(user, case)
    if case.status is CaseStatus.CLOSED:
        raise CaseRuleError(_("Der Fall ist bereits abgeschlossen."))
    outcome = db.session.get(CaseOutcome, outcome_id) if outcome_id else None
    if outcome is None or not outcome.active:
        raise CaseRuleError(_("Bitte wählen Sie ein Ergebnis aus der Liste."), "outcome")
    if closed_on < case.opened_on:
        raise CaseRuleError(_("Der Fall kann nicht vor seiner Eröffnung abgeschlossen "
                              "werden."), "closed_on")
    before = audit.snapshot(case, CASE_FIELDS)
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.outcome = outcome
    _log_update(case, before)


def _log_update(case: Case, before: dict) -> None:
    db.session.flush()
    changes = audit.changes_between(before, audit.snapshot(case, CASE_FIELDS))
    if changes:
        audit.case_event("update", case, changes=changes)


def ensure_outcomes() -> list[CaseOutcome]:
    """The active outcomes; the default list is written the first time it is needed."""
    if not db.session.scalar(select(func.count()).select_from(CaseOutcome)):
        db.session.add_all(CaseOutcome(label=label, position=i)
                           for i, label in enumerate(DEFAULT_OUTCOMES))
        db.session.flush()
    return list(db.session.scalars(
        select(CaseOutcome).where(CaseOutcome.active).order_by(CaseOutcome.position)))
