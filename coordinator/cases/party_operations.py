"""Who takes part in a case, and consent: recording it, and what revoking it does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from . import audit
from .models import Case, CaseConsent, CaseParty, LegalBasis, PartyRole
from .operations import (
    CaseRuleError,
    check_text,
    consent_covers,
    organisation,
    require_basis,
    require_case_worker,
)
from .referral_models import DeclineReason, Referral, ReferralStatus

# --- parties and consent -----------------------------------------------------------------


def add_party(user: User, case: Case, stakeholder_id: int, role: PartyRole,
              legal_basis: LegalBasis | None, joined_on: date) -> CaseParty:
    require_case_worker(user, case)
    stakeholder = organisation(stakeholder_id, "stakeholder")
    if case.party_for(stakeholder.id):
        raise CaseRuleError(_("%(name)s ist bereits an diesem Fall beteiligt.",
                              name=stakeholder.name), "stakeholder")
    if role is PartyRole.LEAD:
        raise CaseRuleError(_("Die Federführung liegt bereits bei %(name)s.",
                              name=case.lead.name), "role")
    require_basis(case, stakeholder, legal_basis, "legal_basis")
    party = CaseParty(case=case, stakeholder=stakeholder, role=role, joined_on=joined_on,
                      legal_basis=legal_basis)
    db.session.add(party)
    db.session.flush()
    audit.case_event("create", case, "case_party", party.id, changes=audit.changes_between(
        {}, {"stakeholder_id": stakeholder.id, "role": role.value,
             "legal_basis": legal_basis.value if legal_basis else None}))
    return party


def record_consent(user: User, case: Case, given_on: date, purpose: str,
                   covered_ids: Sequence[int]) -> CaseConsent:
    require_case_worker(user, case)
    check_text(purpose, "purpose")
    if not purpose.strip():
        raise CaseRuleError(_("Bitte geben Sie den Zweck der Einwilligung an."), "purpose")
    covered = [organisation(i, "covers") for i in dict.fromkeys(covered_ids)]
    covered = [s for s in covered if s.id != case.lead_id]
    if not covered:
        raise CaseRuleError(_("Bitte wählen Sie die Ressorts oder Gruppen, die die Person "
                              "von der Schweigepflicht entbindet (eine pauschale "
                              "Einwilligung ist unwirksam)."), "covers")
    consent = CaseConsent(case=case, given_on=given_on, purpose=purpose,
                          recorded_by_id=user.id)
    consent.covers = covered
    db.session.add(consent)
    db.session.flush()
    audit.case_event("create", case, "case_consent", consent.id, changes=audit.changes_between(
        {}, {"given_on": given_on.isoformat(), "purpose": purpose,
             "covers": sorted(s.id for s in covered)}))
    return consent


def revoke_consent(user: User, case: Case, consent: CaseConsent, revoked_on: date) -> list[str]:
    """Revoke ``consent``: every department it covered that has no other basis leaves the
    case at once, and their referrals still waiting for an answer are declined. Returns the
    names of the departments that left."""
    require_case_worker(user, case)
    if consent.case_id != case.id or not consent.active:
        raise CaseRuleError(_("Diese Einwilligung ist bereits widerrufen."))
    if revoked_on < consent.given_on:
        raise CaseRuleError(_("Der Widerruf kann nicht vor der Einwilligung liegen."),
                            "revoked_on")
    consent.revoked_on = revoked_on
    consent.revoked_by_id = user.id
    db.session.flush()
    removed = [p for p in case.parties
               if p.role is not PartyRole.LEAD and p.legal_basis is None
               and not consent_covers(case, p.stakeholder_id)]
    names = [p.stakeholder.name for p in removed]
    for party in removed:
        case.parties.remove(party)
    declined = _decline_waiting_referrals(user, case)
    db.session.flush()
    audit.case_event("consent_revoke", case, "case_consent", consent.id,
                     changes={"revoked_on": [None, revoked_on.isoformat()]},
                     detail={"removed_parties": sorted(p.stakeholder_id for p in removed),
                             "declined_referrals": declined})
    return names


def _decline_waiting_referrals(user: User, case: Case) -> list[int]:
    from .referral_operations import add_step

    declined = []
    waiting = db.session.scalars(select(Referral).where(
        Referral.case_id == case.id, Referral.status == ReferralStatus.SENT,
        Referral.legal_basis.is_(None))).all()
    for referral in waiting:
        if not consent_covers(case, referral.to_id):
            referral.status = ReferralStatus.DECLINED
            referral.decline_reason = DeclineReason.CONSENT_REVOKED
            add_step(referral, ReferralStatus.DECLINED, user)
            declined.append(referral.id)
    return declined


