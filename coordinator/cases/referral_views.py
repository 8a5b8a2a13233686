"""The referral inbox, sending a referral and each step of its answer."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..access import ALL_ROLES, CASE_WORKERS, can_read_case, roles
from ..activities.forms import local_today
from ..auth.models import Role
from ..extensions import db
from . import audit, referral_states
from .forms import ReferralForm, ReferralStepForm, as_choices, chosen_basis
from .queries import department_choices, inbox, organisation_choices
from .referral_models import DeclineReason, Referral, ReferralStatus
from .referral_operations import may_act, move_referral, send_referral
from .views import MAX_ID, acting_user, bp, case_or_404, render_form, saved, to_case

STEP_TITLES = {
    ReferralStatus.ACCEPTED: _l("Vermittlung annehmen"),
    ReferralStatus.DECLINED: _l("Vermittlung ablehnen"),
    ReferralStatus.FIRST_CONTACT: _l("Erstkontakt erfassen"),
    ReferralStatus.DONE: _l("Vermittlung als erledigt markieren"),
    ReferralStatus.SENT: _l("Vermittlung erneut senden"),
}


@bp.route("/inbox")
@roles(CASE_WORKERS)
def inbox_view():
    user = acting_user()
    department_id = None
    if user.role is Role.COORDINATOR:
        department_id = request.args.get("department", type=int)
    referrals = inbox(user, department_id)
    for referral in referrals:
        audit.case_event("view", referral.case, "referral", referral.id,
                         detail={"page": "inbox"})
    db.session.commit()
    return render_template("cases/inbox.html", referrals=referrals,
                           departments=department_choices(), department_id=department_id,
                           may_act=lambda r, s: may_act(user, r, s), ReferralStatus=ReferralStatus)


@bp.route("/<int:case_id>/referrals/new", methods=["GET", "POST"])
@roles(ALL_ROLES)
def new_referral(case_id: int):
    case = case_or_404(case_id)
    user = acting_user()
    form = ReferralForm(data=None if request.method == "POST" else {
        "sent_on": local_today(), "from_id": user.department_id})
    senders = [(p.stakeholder_id, p.stakeholder.name) for p in case.parties]
    if user.role is Role.STAFF:
        senders = [s for s in senders if s[0] == user.department_id]
    form.from_id.choices = as_choices(senders)
    form.to_id.choices = as_choices(organisation_choices())
    form.field_id.choices = as_choices([(f.id, f.label) for f in case.needs])
    if form.validate_on_submit() and saved(form, lambda: send_referral(
            user, case, form.from_id.data, form.to_id.data, form.field_id.data,
            chosen_basis(form), form.sent_on.data)):
        flash(_("Die Vermittlung wurde gesendet."), "success")
        return to_case(case, "referrals")
    return render_form("cases/form.html", form, case=case, title=_("Fall vermitteln"))


def _referral_or_404(referral_id: int) -> Referral:
    """The referral if the user may see it: as a party of its case or as its recipient."""
    referral = db.session.get(Referral, referral_id) if referral_id <= MAX_ID else None
    user = acting_user()
    if referral is None or referral.case is None or not (
            can_read_case(user, referral.case)
            or (user.role is Role.STAFF and user.department_id == referral.to_id)):
        abort(404)
    return referral


@bp.route("/referrals/<int:referral_id>/<any(accepted,declined,first_contact,done,sent):step>",
          methods=["GET", "POST"])
@roles(ALL_ROLES)
def referral_step(referral_id: int, step: str):
    referral = _referral_or_404(referral_id)
    user = acting_user()
    target = ReferralStatus(step)
    if not may_act(user, referral, target):
        flash(_("Dieser Schritt ist für diese Vermittlung jetzt nicht möglich."), "error")
        return _back(referral)
    form = ReferralStepForm(data=None if request.method == "POST" else {"on": local_today()})
    if form.validate_on_submit() and saved(form, lambda: move_referral(
            user, referral, target,
            reason=DeclineReason(form.reason.data) if form.reason.data else None,
            note=form.note.data or "", on=form.on.data)):
        flash(_("Die Vermittlung steht jetzt auf „%(status)s“.", status=target.label),
              "success")
        return _back(referral)
    audit.case_event("view", referral.case, "referral", referral.id, detail={"page": "step"})
    db.session.commit()
    return render_form("cases/referral_step.html", form, referral=referral, step=target,
                       title=STEP_TITLES[target], states=referral_states)


def _back(referral: Referral):
    if can_read_case(acting_user(), referral.case):
        return to_case(referral.case, "referrals")
    return redirect(url_for("cases.inbox_view"))
