"""Activity pages: the filtered list, one activity, and logging, changing and deleting.

Everybody logged in reads; who may change what is decided in :mod:`coordinator.access`
(``require_activity_edit``) and the rules of a save in :mod:`.operations`.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..access import ACTIVITY_LOGGERS, ALL_ROLES, require_activity_edit, roles
from ..auth.models import Role
from ..decimal_input import whole_number
from ..extensions import db
from ..logging_config import log_event
from ..pagination import paginate
from ..register.models import Stakeholder, name_key
from ..tabular import TABLE_FORMATS, download
from .exports import activity_log_table
from .forms import (
    EARLIEST_ACTIVITY_DATE,
    MAX_ID,
    ORDER_LABELS,
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
from .participant_search import options_for, participant_label, recent_partner_ids, search
from .queries import field_choices, field_filter_choices, filtered_activities

bp = Blueprint("activities", __name__, url_prefix="/activities")
log = logging.getLogger("coordinator")



def _activity_or_404(activity_id: int) -> JointActivity:
    if activity_id > MAX_ID:
        abort(404)
    return db.session.get(JointActivity, activity_id) or abort(404)


def _acting_user():
    return current_user._get_current_object()


def _own_department_ids(user) -> list[int]:
    return [user.department_id] if user.role is Role.STAFF and user.department_id else []


def _prepare(form: ActivityForm, user, keep_participant_ids: list[int]) -> dict:
    """Choices and date bounds; they depend on the database and on today. Participants on
    offer are only the chosen ones, the user's recent partners and, after "Suchen" without
    JavaScript, one page of search results. Returns what the picker template needs."""
    form.fields.choices = field_choices()
    chosen = [i for i in (form.participants.data or []) if isinstance(i, int)]
    recent = recent_partner_ids(user)
    results, more = [], False
    text = (form.participant_search.data or "").strip()
    if text and "find" in request.form:
        results, more = search(text, include_inactive=False, exclude_ids=chosen)
    offered = options_for([*chosen, *recent, *(o.stakeholder.id for o in results)],
                          allowed_inactive=keep_participant_ids)
    form.participants.choices = [
        SelectChoice(str(o.stakeholder.id), participant_label(o.stakeholder)) for o in offered
    ]
    form.date.render_kw = {
        "min": EARLIEST_ACTIVITY_DATE.isoformat(),
        "max": latest_activity_date(local_today()).isoformat(),
    }
    by_id = {o.stakeholder.id: o for o in offered}
    return {
        "recent": [by_id[i] for i in recent if i in by_id and i not in chosen],
        "results": [by_id[o.stakeholder.id] for o in results if o.stakeholder.id in by_id],
        "more_results": more,
        "searched": bool(text and "find" in request.form),
        "stakeholders": {str(o.stakeholder.id): o.stakeholder for o in offered},
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


def _render_form(form: ActivityForm, activity: JointActivity | None, picker: dict):
    # A submitted form that comes back is bad input: 400, with the messages at the fields;
    # a search for participants (no JavaScript) is not.
    status = 400 if form.is_submitted() and not picker["searched"] else 200
    return render_template("activities/form.html", form=form, activity=activity,
                           picker=picker, today=local_today()), status


def _filtered(form: ActivityFilterForm):
    """The list query of a validated filter form, and the participant chosen by id (None when
    the name field asks for a search by name instead)."""
    participant = db.session.get(Stakeholder, form.participant_id) if form.participant_id else None
    typed = form.participant_name.data or ""
    if participant is not None and typed and name_key(typed) != participant.name_key:
        participant = None  # the name was changed after choosing: search by the new text
    if participant is not None:
        form.participant_name.data = participant.name
        typed = ""
    else:
        form.participant.data = ""
    return filtered_activities(form, participant_text=typed), participant


@bp.route("/")
@roles(ALL_ROLES)
def index():
    form = ActivityFilterForm(request.args)
    form.field.choices = field_filter_choices()
    if not form.validate():
        return render_template("activities/index.html", form=form, page=None), 400
    query, participant = _filtered(form)
    partner = db.session.get(Stakeholder, form.partner_id) if form.partner_id else None
    return render_template(
        "activities/index.html", form=form, page=paginate(query), participant=participant,
        partner=partner, today=local_today(), order_label=ORDER_LABELS[form.order],
    )


@bp.route("/export")
@roles(ALL_ROLES)
def export():
    """The filtered, sorted activity log (all pages) as CSV for Excel, CSV for machines or
    XLSX."""
    fmt = request.args.get("format", "csv")
    if fmt not in TABLE_FORMATS:
        abort(404)
    form = ActivityFilterForm(request.args)
    form.field.choices = field_filter_choices()
    if not form.validate():
        return render_template("activities/index.html", form=form, page=None), 400
    query, _participant = _filtered(form)
    table = activity_log_table(query, local_today(), machine=fmt == "csv-machine")
    return download(table, "aktivitaeten", fmt)


@bp.route("/<int:activity_id>")
@roles(ALL_ROLES)
def detail(activity_id: int):
    return render_template("activities/detail.html", activity=_activity_or_404(activity_id),
                           today=local_today())


@bp.route("/new", methods=["GET", "POST"])
@roles(ACTIVITY_LOGGERS)
def create():
    user = _acting_user()
    own = _own_department_ids(user)
    # Staff log activities of their own department: it is ticked from the start.
    form = ActivityForm(data=None if request.method == "POST"
                        else {"participants": own, "date": local_today()})
    picker = _prepare(form, user, own)
    if not picker["searched"] and form.validate_on_submit():
        try:
            activity = create_activity(user, _input(form))
        except ActivityRuleError as error:
            form[error.field].errors.append(error.message)
        else:
            log_event(log, "activity_created", activity=activity.id)
            flash(_("Die Aktivität „%(title)s“ wurde gespeichert.", title=activity.title),
                  "success")
            return redirect(url_for(".detail", activity_id=activity.id))
    return _render_form(form, None, picker)


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@roles(ACTIVITY_LOGGERS)
def edit(activity_id: int):
    user = _acting_user()
    activity = _activity_or_404(activity_id)
    require_activity_edit(user, activity)
    form = EditActivityForm(data=None if request.method == "POST" else _initial_data(activity))
    picker = _prepare(form, user, [p.id for p in activity.participants]
                      + _own_department_ids(user))
    if not picker["searched"] and form.validate_on_submit():
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
    return _render_form(form, activity, picker)


@bp.route("/participants.json")
@roles(ALL_ROLES)
def participant_options():
    """The type-ahead's answer: up to 20 stakeholders whose name contains ``q`` (recent
    partners first, then by kind); ``scope=all`` includes inactive ones (the list filter),
    ``exclude`` leaves out ids already chosen."""
    text = request.args.get("q", "")[:200]
    exclude = [number for x in request.args.getlist("exclude")[:200]
               if (number := whole_number(x)) is not None and number <= MAX_ID]
    user = _acting_user()
    recent = recent_partner_ids(user) if user.role in ACTIVITY_LOGGERS else []
    options, more = search(text, include_inactive=request.args.get("scope") == "all",
                           recent_ids=recent, exclude_ids=exclude)
    return jsonify(results=[o.as_json() for o in options], more=more)


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
