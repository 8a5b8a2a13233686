"""Activity pages: the filtered list, one activity, and logging, changing and deleting.

Everybody logged in reads; who may change what is decided in :mod:`coordinator.access`
(``require_activity_edit``) and the rules of a save in :mod:`.operations`.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import ACTIVITY_LOGGERS, ALL_ROLES, require_activity_edit, roles
from ..auth.models import Role
from ..extensions import db
from ..logging_config import log_event
from ..pagination import paginate
from ..register.models import Stakeholder
from .forms import (
    EARLIEST_ACTIVITY_DATE,
    ActivityFilterForm,
    ActivityForm,
    DeleteActivityForm,
    EditActivityForm,
    latest_activity_date,
    local_today,
)
from .models import ActivityKind, JointActivity
from .operations import (
    ActivityInput,
    ActivityRuleError,
    create_activity,
    delete_activity,
    update_activity,
)
from .queries import (
    field_choices,
    field_filter_choices,
    filtered_activities,
    participant_choices,
    participant_filter_choices,
)

bp = Blueprint("activities", __name__, url_prefix="/activities")
log = logging.getLogger("coordinator")


# Ids beyond a 32-bit integer cannot exist, and PostgreSQL rejects them in a query (500).
MAX_ID = 2**31 - 1


def _activity_or_404(activity_id: int) -> JointActivity:
    if activity_id > MAX_ID:
        abort(404)
    return db.session.get(JointActivity, activity_id) or abort(404)


def _acting_user():
    return current_user._get_current_object()


def _own_department_ids(user) -> list[int]:
    return [user.department_id] if user.role is Role.STAFF and user.department_id else []


def _prepare(form: ActivityForm, keep_participant_ids: list[int]) -> None:
    """Choices and date bounds; they depend on the database and on today."""
    form.fields.choices = field_choices()
    form.participants.choices = participant_choices(keep_participant_ids)
    form.date.render_kw = {
        "min": EARLIEST_ACTIVITY_DATE.isoformat(),
        "max": latest_activity_date(local_today()).isoformat(),
    }


def _input(form: ActivityForm) -> ActivityInput:
    return ActivityInput(
        date=form.date.data,
        title=form.title.data,
        kind=ActivityKind(form.kind.data),
        participant_ids=form.participant_ids(),
        field_ids=form.field_ids(),
        description=form.description.data or "",
    )


def _initial_data(activity: JointActivity) -> dict:
    return {
        "date": activity.date,
        "title": activity.title,
        "kind": activity.kind.value,
        "participants": [p.id for p in activity.participants],
        "fields": [f.id for f in activity.fields],
        "description": activity.description,
        "version": activity.version,
    }


def _render_form(form: ActivityForm, activity: JointActivity | None):
    # A submitted form that comes back is bad input: 400, with the messages at the fields.
    status = 400 if form.is_submitted() else 200
    return render_template("activities/form.html", form=form, activity=activity), status


@bp.route("/")
@roles(ALL_ROLES)
def index():
    form = ActivityFilterForm(request.args)
    form.field.choices = field_filter_choices()
    form.participant.choices = participant_filter_choices()
    if not form.validate():
        return render_template("activities/index.html", form=form, page=None), 400
    page = paginate(filtered_activities(form))
    participant = db.session.get(Stakeholder, form.participant_id) if form.participant_id else None
    partner = db.session.get(Stakeholder, form.partner_id) if form.partner_id else None
    return render_template(
        "activities/index.html", form=form, page=page, participant=participant, partner=partner
    )


@bp.route("/<int:activity_id>")
@roles(ALL_ROLES)
def detail(activity_id: int):
    return render_template("activities/detail.html", activity=_activity_or_404(activity_id))


@bp.route("/new", methods=["GET", "POST"])
@roles(ACTIVITY_LOGGERS)
def create():
    user = _acting_user()
    own = _own_department_ids(user)
    # Staff log activities of their own department: it is ticked from the start.
    form = ActivityForm(data=None if request.method == "POST" else {"participants": own})
    _prepare(form, own)
    if form.validate_on_submit():
        try:
            activity = create_activity(user, _input(form))
        except ActivityRuleError as error:
            form[error.field].errors.append(error.message)
        else:
            log_event(log, "activity_created", activity=activity.id)
            flash(_("Die Aktivität „%(title)s“ wurde gespeichert.", title=activity.title),
                  "success")
            return redirect(url_for(".detail", activity_id=activity.id))
    return _render_form(form, None)


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@roles(ACTIVITY_LOGGERS)
def edit(activity_id: int):
    user = _acting_user()
    activity = _activity_or_404(activity_id)
    require_activity_edit(user, activity)
    form = EditActivityForm(data=None if request.method == "POST" else _initial_data(activity))
    _prepare(form, [p.id for p in activity.participants] + _own_department_ids(user))
    if form.validate_on_submit():
        try:
            update_activity(user, activity, form.version.data, _input(form))
        except ActivityRuleError as error:
            form[error.field].errors.append(error.message)
        else:
            log_event(log, "activity_changed", activity=activity.id)
            flash(_("Die Änderungen an „%(title)s“ wurden gespeichert.", title=activity.title),
                  "success")
            return redirect(url_for(".detail", activity_id=activity.id))
    elif form.is_submitted() and form.version.errors:
        abort(400)  # no usable version: a broken or tampered form, not a user mistake
    return _render_form(form, activity)


@bp.route("/<int:activity_id>/delete", methods=["GET", "POST"])
@roles(ACTIVITY_LOGGERS)
def delete(activity_id: int):
    """GET asks for confirmation; only the POST from that page deletes."""
    user = _acting_user()
    activity = _activity_or_404(activity_id)
    require_activity_edit(user, activity)
    form = DeleteActivityForm(
        data=None if request.method == "POST" else {"version": activity.version}
    )
    if form.validate_on_submit():
        title = activity.title
        delete_activity(activity, form.version.data)
        log_event(log, "activity_deleted", activity=activity_id)
        flash(_("Die Aktivität „%(title)s“ wurde gelöscht.", title=title), "success")
        return redirect(url_for(".index"))
    if form.is_submitted():
        abort(400)
    return render_template("activities/delete.html", activity=activity, form=form)
