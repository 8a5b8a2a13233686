"""Adding departments and groups to a case, recording and revoking consent."""

from __future__ import annotations

from flask import abort, flash, request
from flask_babel import gettext as _

from ..access import ALL_ROLES, roles
from ..activities.forms import local_today
from ..extensions import db
from .forms import ConsentForm, PartyForm, RevokeConsentForm, as_choices, chosen_basis
from .models import CaseConsent, PartyRole
from .party_operations import add_party, record_consent, revoke_consent
from .queries import organisation_choices
from .views import MAX_ID, acting_user, bp, case_or_404, render_form, saved, to_case


@bp.route("/<int:case_id>/parties/new", methods=["GET", "POST"])
@roles(ALL_ROLES)
def add_party_view(case_id: int):
    case = case_or_404(case_id)
    form = PartyForm(data=None if request.method == "POST" else {"joined_on": local_today()})
    taken = {p.stakeholder_id for p in case.parties}
    form.stakeholder.choices = as_choices(
        c for c in organisation_choices() if c[0] not in taken)
    if form.validate_on_submit() and saved(form, lambda: add_party(
            acting_user(), case, form.stakeholder.data, PartyRole(form.role.data),
            chosen_basis(form), form.joined_on.data)):
        flash(_("Die Beteiligung wurde gespeichert."), "success")
        return to_case(case, "parties")
    return render_form("cases/form.html", form, case=case,
                       title=_("Ressort oder Gruppe beteiligen"))


@bp.route("/<int:case_id>/consents/new", methods=["GET", "POST"])
@roles(ALL_ROLES)
def add_consent_view(case_id: int):
    case = case_or_404(case_id)
    form = ConsentForm(data=None if request.method == "POST" else {"given_on": local_today()})
    form.covers.choices = as_choices(
        c for c in organisation_choices() if c[0] != case.lead_id)
    if form.validate_on_submit() and saved(form, lambda: record_consent(
            acting_user(), case, form.given_on.data, form.purpose.data, form.covers.data or [])):
        flash(_("Die Einwilligung wurde gespeichert."), "success")
        return to_case(case, "consents")
    return render_form("cases/form.html", form, case=case, title=_("Einwilligung erfassen"))


@bp.route("/<int:case_id>/consents/<int:consent_id>/revoke", methods=["GET", "POST"])
@roles(ALL_ROLES)
def revoke_consent_view(case_id: int, consent_id: int):
    case = case_or_404(case_id)
    consent = db.session.get(CaseConsent, consent_id) if consent_id <= MAX_ID else None
    if consent is None or consent.case_id != case.id:
        abort(404)
    form = RevokeConsentForm(data=None if request.method == "POST"
                             else {"revoked_on": local_today()})
    removed: list[str] = []
    if form.validate_on_submit() and saved(form, lambda: removed.extend(revoke_consent(
            acting_user(), case, consent, form.revoked_on.data))):
        if removed:
            flash(_("Die Einwilligung wurde widerrufen. Nicht mehr am Fall beteiligt: "
                    "%(names)s.", names=", ".join(removed)), "success")
        else:
            flash(_("Die Einwilligung wurde widerrufen."), "success")
        return to_case(case, "consents")
    return render_form("cases/revoke.html", form, case=case, consent=consent)
