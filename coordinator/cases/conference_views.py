"""Recording a case conference (Fallkonferenz)."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _

from ..access import ALL_ROLES, roles
from ..activities.forms import local_today
from ..auth.models import Role
from .conference_operations import NewGoal, hold_conference
from .forms import ConferenceForm, as_choices
from .views import acting_user, bp, case_or_404, render_form, saved, to_case


def _new_goals(form: ConferenceForm) -> list[NewGoal]:
    goals = []
    for n in (1, 2):
        text = form[f"goal{n}_text"].data
        if text:
            goals.append(NewGoal(text, form[f"goal{n}_responsible"].data,
                                 form[f"goal{n}_due"].data))
    return goals


@bp.route("/<int:case_id>/conferences/new", methods=["GET", "POST"])
@roles(ALL_ROLES)
def new_conference(case_id: int):
    case = case_or_404(case_id)
    user = acting_user()
    own = [user.department_id] if user.role is Role.STAFF else []
    form = ConferenceForm(data=None if request.method == "POST" else {
        "held_on": local_today(), "participants": own})
    parties = [(p.stakeholder_id, p.stakeholder.name) for p in case.parties]
    form.participants.choices = as_choices(parties)
    form.goal1_responsible.choices = as_choices(parties)
    form.goal2_responsible.choices = as_choices(parties)
    form.reviewed.choices = as_choices([(g.id, g.text) for g in case.goals])
    if form.validate_on_submit() and saved(form, lambda: hold_conference(
            user, case, form.held_on.data, form.participants.data or [],
            form.minutes.data or "", form.reviewed.data or [], _new_goals(form))):
        flash(_("Die Fallkonferenz wurde gespeichert."), "success")
        return to_case(case, "conferences")
    return render_form("cases/conference.html", form, case=case)
