"""Referrals: sending, answering and following them, and the joint activity an accepted
referral becomes.

The allowed steps are those of :mod:`.referral_states`; each step is stored with its time and
the user who set it, and written to the audit trail.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..access import can_answer_referral, can_read_case, can_send_for
from ..activities.forms import local_today
from ..activities.models import ActivityKind, JointActivity
from ..activities.operations import (
    ActivityInput,
    ActivityRuleError,
    create_activity,
    update_activity,
)
from ..auth.models import User
from ..extensions import db
from ..register.models import FieldOfWork
from . import audit, referral_states
from .activity_link import linking_new_activity
from .models import Case, CaseParty, CaseStatus, LegalBasis, PartyRole
from .operations import CaseRuleError, organisation, require_basis, require_case_worker
from .referral_models import (
    CaseDerivedActivity,
    DeclineReason,
    Referral,
    ReferralStatus,
    ReferralStep,
)


def add_step(referral: Referral, status: ReferralStatus, user: User | None,
             note: str = "") -> ReferralStep:
    step = ReferralStep(status=status, user_id=user.id if user else None, note=note)
    referral.steps.append(step)
    return step


def send_referral(user: User, case: Case, from_id: int, to_id: int, field_id: int | None,
                  legal_basis: LegalBasis | None, sent_on: date) -> Referral:
    require_case_worker(user, case)
    if case.status is CaseStatus.CLOSED:
        raise CaseRuleError(_("Aus einem abgeschlossenen Fall wird nicht mehr vermittelt."))
    sender = organisation(from_id, "from_id")
    if not case.party_for(sender.id) or not can_send_for(user, sender.id):
        raise CaseRuleError(_("Vermitteln kann nur ein am Fall beteiligtes Ressort – als "
                              "Mitarbeitende Ihr eigenes."), "from_id")
    recipient = organisation(to_id, "to_id")
    if recipient.id == sender.id:
        raise CaseRuleError(_("Ein Ressort kann den Fall nicht an sich selbst vermitteln."),
                            "to_id")
    require_basis(case, recipient, legal_basis, "legal_basis")
    field = db.session.get(FieldOfWork, field_id) if field_id else None
    if field is None or field not in case.needs:
        raise CaseRuleError(_("Bitte wählen Sie einen Bedarf dieses Falls."), "field_id")
    if db.session.scalar(select(Referral.id).where(
            Referral.case_id == case.id, Referral.to_id == recipient.id,
            Referral.field_id == field.id, Referral.status == ReferralStatus.SENT)):
        raise CaseRuleError(_("Eine Vermittlung an %(name)s zu diesem Bedarf wartet bereits "
                              "auf Antwort.", name=recipient.name), "to_id")
    referral = Referral(case=case, sender=sender, recipient=recipient, field=field,
                        sent_on=sent_on, status=ReferralStatus.SENT, legal_basis=legal_basis)
    add_step(referral, ReferralStatus.SENT, user)
    db.session.add(referral)
    db.session.flush()
    audit.case_event("create", case, "referral", referral.id, changes=audit.changes_between(
        {}, {"from_id": sender.id, "to_id": recipient.id, "field_id": field.id,
             "status": ReferralStatus.SENT.value,
             "legal_basis": legal_basis.value if legal_basis else None}))
    return referral


def may_act(user: User, referral: Referral, target: ReferralStatus) -> bool:
    """Whether ``user`` may set ``target`` now (the right side, an allowed step)."""
    if referral.case is None or not referral_states.can_move(referral.status, target):
        return False
    if referral.case.status is CaseStatus.CLOSED:
        return False  # a closed case is history
    if referral_states.side_for(target) == "sender":
        return can_send_for(user, referral.from_id) and can_read_case(user, referral.case)
    return can_answer_referral(user, referral)


def move_referral(user: User, referral: Referral, target: ReferralStatus, *,
                  reason: DeclineReason | None = None, note: str = "",
                  on: date | None = None) -> None:
    """One step of the state machine, with the side effects of that step."""
    case = referral.case
    if case is None:
        raise CaseRuleError(_("Diese Vermittlung gehört zu keinem Fall mehr."))
    if not referral_states.can_move(referral.status, target):
        raise CaseRuleError(_("Von „%(current)s“ kann die Vermittlung nicht auf „%(target)s“ "
                              "gesetzt werden.", current=referral.status.label,
                              target=target.label))
    if not may_act(user, referral, target):
        raise CaseRuleError(_("Diesen Schritt setzt das %(side)s Ressort.",
                              side=_("empfangende") if referral_states.side_for(target)
                              == "recipient" else _("vermittelnde")))
    before = {"status": referral.status.value}
    if target is ReferralStatus.DECLINED:
        if reason is None:
            raise CaseRuleError(_("Bitte wählen Sie einen Grund für die Ablehnung."), "reason")
        referral.decline_reason = reason
    elif target is ReferralStatus.SENT:
        note = note.strip()
        if not note:
            raise CaseRuleError(_("Bitte schreiben Sie kurz, was sich seit der Ablehnung "
                                  "geändert hat."), "note")
        from .operations import check_text

        check_text(note, "note")
        require_basis(case, referral.recipient, referral.legal_basis, "note")
        referral.decline_reason = None
    elif target is ReferralStatus.ACCEPTED:
        require_basis(case, referral.recipient, referral.legal_basis, "reason")
        _join_case(case, referral, on or local_today())
    elif target is ReferralStatus.FIRST_CONTACT:
        if on is None:
            raise CaseRuleError(_("Bitte geben Sie das Datum des Erstkontakts an."), "on")
        if on < referral.sent_on:
            raise CaseRuleError(_("Der Erstkontakt kann nicht vor der Vermittlung liegen."),
                                "on")
        referral.first_contact_on = on
    referral.status = target
    add_step(referral, target, user, note if target is ReferralStatus.SENT else "")
    db.session.flush()
    changes = audit.changes_between(before, {"status": target.value})
    if reason:
        changes["decline_reason"] = [None, reason.value]
    if note:
        changes["note"] = [None, audit.text_digest(note)]
    audit.case_event("referral_status", case, "referral", referral.id, changes=changes)
    if target in (ReferralStatus.ACCEPTED, ReferralStatus.FIRST_CONTACT, ReferralStatus.DONE):
        # Last: the activity log's operation commits this step together with its activity.
        _keep_activity_in_step(user, referral, on or local_today())


def _join_case(case: Case, referral: Referral, on: date) -> None:
    """Accepting makes the recipient a party of the case (on the referral's basis)."""
    party = case.party_for(referral.to_id)
    if party is None:
        case.parties.append(CaseParty(stakeholder=referral.recipient, role=PartyRole.INVOLVED,
                                      joined_on=on, legal_basis=referral.legal_basis))
    elif party.role is PartyRole.CONSULTED:
        party.role = PartyRole.INVOLVED
    if case.status is CaseStatus.OPEN:
        case.status = CaseStatus.IN_PROGRESS


def referral_activity_input(referral: Referral, on: date) -> ActivityInput:
    """The joint activity of an accepted referral: the two departments, the field of need,
    the date of acceptance and the stage reached — never the case reference."""
    stage = {
        ReferralStatus.ACCEPTED: _("angenommen"),
        ReferralStatus.FIRST_CONTACT: _("Erstkontakt hergestellt"),
        ReferralStatus.DONE: _("abgeschlossen"),
    }[referral.status]
    return ActivityInput(
        date=on,
        title=_("Vermittlung %(sender)s → %(recipient)s", sender=referral.sender.name,
                recipient=referral.recipient.name)[:200],
        kind=ActivityKind.REFERRAL,
        participant_ids=[referral.from_id, referral.to_id],
        field_ids=[referral.field_id] if referral.field_id else [],
        description=_("Vermittlung im Rahmen der Fallkoordination; Stand: %(stage)s.",
                      stage=stage),
    )


def _keep_activity_in_step(user: User, referral: Referral, on: date) -> None:
    """Created once, on acceptance; later steps only update its stage. Both go through the
    activity log's operations, which commit the whole step."""

    def link(activity: JointActivity) -> None:
        referral.activity = activity
        db.session.add(CaseDerivedActivity(activity=activity, source="referral"))

    try:
        if referral.activity is None:
            with linking_new_activity(link):
                create_activity(user, referral_activity_input(referral, on))
        else:
            activity = referral.activity
            update_activity(user, activity, activity.version,
                            referral_activity_input(referral, activity.date))
    except ActivityRuleError as error:
        raise CaseRuleError(error.message) from None
