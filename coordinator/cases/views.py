"""Case pages: the case list, opening a case, the case page with its timeline, and changing,
closing, notes and goals. Parties and consents, referrals, conferences and the coordination
figures have modules of their own that add their routes to this blueprint.

Need to know: every view of a single case goes through :func:`case_or_404`, which answers 404
(not 403) to everyone who may not see the case.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import ALL_ROLES, CASE_WORKERS, require_case_access, roles
from ..activities.forms import local_today
from ..auth.models import Role
from ..database import MAX_ID
from ..extensions import db
from ..pagination import paginate
from . import audit
from .forms import (
    CaseFilterForm,
    CloseCaseForm,
    EditCaseForm,
    GoalForm,
    GoalStatusForm,
    NoteForm,
    OpenCaseForm,
    as_choices,
)
from .goal_operations import add_goal, add_note, set_goal_status
from .models import Case, CaseGoal, CaseStatus, GoalStatus
from .operations import CaseRuleError, close_case, commit, ensure_outcomes, open_case, update_case
from .queries import (
    case_referrals,
    department_choices,
    filtered_cases,
    need_choices,
    organisation_choices,
)
from .referral_models import ReferralStatus
from .timeline import case_timeline

bp = Blueprint("cases", __name__, url_prefix="/cases")


def acting_user():
    return current_user._get_current_object()


def case_or_404(case_id: int) -> Case:
    case = db.session.get(Case, case_id) if case_id <= MAX_ID else None
    require_case_access(acting_user(), case)
    return case


def rule_error(form, error: CaseRuleError) -> None:
    """Show a rule's message at its field, or at the top of the page."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        flash(error.message, "error")


def saved(form, write):
    """Run ``write()`` and commit. A broken rule is shown at its field and ``False`` is
    returned; otherwise what ``write`` returned (or ``True``)."""
    try:
        result = write()
        commit()
    except CaseRuleError as error:
        db.session.rollback()  # nothing half-done may ride along with a later commit
        rule_error(form, error)
        return False
    return True if result is None else result


def render_form(template: str, form, status_if_posted: int = 400, **context):
    status = status_if_posted if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


def to_case(case: Case, anchor: str = ""):
    return redirect(url_for("cases.detail", case_id=case.id) + (f"#{anchor}" if anchor else ""))


@bp.context_processor
def referral_helpers() -> dict:
    """``r_steps(referral)``: the steps the current user may take for it now."""
    from .referral_operations import may_act
    from .referral_states import next_steps

    def r_steps(referral) -> list[str]:
        user = acting_user()
        return [s for s in next_steps(referral.status.value)
                if may_act(user, referral, ReferralStatus(s))]

    return {"r_steps": r_steps}


@bp.route("/")
@roles(CASE_WORKERS)
def index():
    user = acting_user()
    form = CaseFilterForm(request.args)
    form.need.choices = as_choices(
        [("", _("alle"))] + [(str(i), label) for i, label in need_choices()])
    form.department.choices = as_choices(
        [("", _("alle"))] + [(str(i), name) for i, name in organisation_choices()])
    if not form.validate():
        return render_template("cases/index.html", form=form, page=None), 400
    page = paginate(filtered_cases(
        user, CaseStatus(form.status.data) if form.status.data else None,
        int(form.need.data) if form.need.data else None,
        int(form.department.data) if form.department.data else None,
        form.opened_from.data, form.opened_to.data))
    for case in page.items:
        audit.case_event("view", case, detail={"page": "list"})
    db.session.commit()
    return render_template("cases/index.html", form=form, page=page)


@bp.route("/new", methods=["GET", "POST"])
@roles(CASE_WORKERS)
def create():
    user = acting_user()
    defaults = {"opened_on": local_today(), "lead": user.department_id}
    form = OpenCaseForm(data=None if request.method == "POST" else defaults)
    choices = department_choices() if user.role is Role.COORDINATOR else [
        (user.department_id, user.department.name)]
    form.lead.choices = as_choices(choices)
    form.needs.choices = as_choices(need_choices())
    if form.validate_on_submit() and (case := saved(form, lambda: open_case(
            user, form.lead.data, form.opened_on.data, form.needs.data or []))):
        flash(_("Der Fall %(ref)s wurde eröffnet. Die Zuordnung zur Person bleibt in der "
                "Akte Ihres Ressorts.", ref=case.reference), "success")
        return to_case(case)
    return render_form("cases/open.html", form)


@bp.route("/<int:case_id>")
@roles(ALL_ROLES)
def detail(case_id: int):
    case = case_or_404(case_id)
    referrals = case_referrals(case)
    audit.viewed(case, {
        "referral": [r.id for r in referrals],
        "case_goal": [g.id for g in case.goals],
        "case_consent": [c.id for c in case.consents],
        "case_note": [n.id for n in case.notes],
    })
    db.session.commit()
    note_form = NoteForm()
    return render_template("cases/detail.html", case=case, referrals=referrals,
                           timeline=case_timeline(case, referrals), note_form=note_form,
                           GoalStatus=GoalStatus, today=local_today())


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@roles(ALL_ROLES)
def edit(case_id: int):
    case = case_or_404(case_id)
    form = EditCaseForm(data=None if request.method == "POST" else {
        "status": case.status.value, "needs": [f.id for f in case.needs]})
    form.needs.choices = as_choices(need_choices())
    if form.validate_on_submit() and saved(form, lambda: update_case(
            acting_user(), case, form.needs.data or [], CaseStatus(form.status.data))):
        flash(_("Die Änderungen am Fall wurden gespeichert."), "success")
        return to_case(case)
    return render_form("cases/form.html", form, case=case, title=_("Fall bearbeiten"))


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
@roles(ALL_ROLES)
def close(case_id: int):
    case = case_or_404(case_id)
    form = CloseCaseForm(data=None if request.method == "POST" else {"closed_on": local_today()})
    form.outcome.choices = as_choices([(o.id, o.label) for o in ensure_outcomes()])
    db.session.commit()  # the default outcomes, written once
    if form.validate_on_submit() and saved(form, lambda: close_case(
            acting_user(), case, form.closed_on.data, form.outcome.data)):
        flash(_("Der Fall wurde abgeschlossen."), "success")
        return to_case(case)
    return render_form("cases/form.html", form, case=case, title=_("Fall abschließen"))


@bp.route("/<int:case_id>/notes", methods=["POST"])
@roles(ALL_ROLES)
def add_note_view(case_id: int):
    case = case_or_404(case_id)
    form = NoteForm()
    if form.validate_on_submit() and saved(
            form, lambda: add_note(acting_user(), case, form.text.data)):
        flash(_("Die Notiz wurde gespeichert."), "success")
        return to_case(case, "notes")
    # Back to the form with the text kept, so it can be corrected.
    return render_form("cases/note.html", form, case=case)


def _party_choices(case: Case) -> list[tuple[int, str]]:
    return [(p.stakeholder_id, p.stakeholder.name) for p in case.parties]


@bp.route("/<int:case_id>/goals/new", methods=["GET", "POST"])
@roles(ALL_ROLES)
def add_goal_view(case_id: int):
    case = case_or_404(case_id)
    form = GoalForm()
    form.responsible.choices = as_choices(_party_choices(case))
    if form.validate_on_submit() and saved(form, lambda: add_goal(
            acting_user(), case, form.text.data, form.responsible.data, form.due_on.data)):
        flash(_("Das Ziel wurde gespeichert."), "success")
        return to_case(case, "goals")
    return render_form("cases/form.html", form, case=case, title=_("Ziel vereinbaren"))


@bp.route("/<int:case_id>/goals/<int:goal_id>/status", methods=["POST"])
@roles(ALL_ROLES)
def goal_status(case_id: int, goal_id: int):
    case = case_or_404(case_id)
    goal = db.session.get(CaseGoal, goal_id) if goal_id <= MAX_ID else None
    if goal is None or goal.case_id != case.id:
        abort(404)
    form = GoalStatusForm()
    if form.validate_on_submit():
        try:
            set_goal_status(acting_user(), case, goal, GoalStatus(form.status.data))
            commit()
        except CaseRuleError as error:
            flash(error.message, "error")
        else:
            flash(_("Der Status des Ziels wurde gespeichert."), "success")
    else:
        flash(_("Bitte wählen Sie einen gültigen Status."), "error")
    return to_case(case, "goals")


from . import (  # noqa: E402,F401  (they add their routes to ``bp``)
    conference_views,
    health_views,
    outcome_views,
    party_views,
    referral_views,
)
