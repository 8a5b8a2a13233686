"""Pages of the stakeholder register: list, detail, create, edit, delete. Everyone logged in
reads; admins and coordinators change. The field-of-work catalogue is in field_views.py, on
the same blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..access import ALL_ROLES, EDITORS, roles, security_log
from ..extensions import db
from ..logging_config import log_event
from ..pagination import page_number, paginate
from ..tabular import TABLE_FORMATS, download
from . import (
    field_views,  # noqa: F401  (registers the catalogue's routes on bp)
    operations,
    privacy,
    subject_access,  # noqa: F401  (registers the Art. 15 export on bp)
)
from .blueprint import INVALID_FORM, bp, show_rule_error
from .exports import register_table
from .forms import (
    NO_PARENT,
    EditStakeholderForm,
    StakeholderFilterForm,
    StakeholderForm,
    field_choices,
    parent_choices,
)
from .models import Stakeholder, StakeholderKind
from .queries import (
    NameOrder,
    StakeholderFilter,
    StatusFilter,
    activity_count_of,
    all_fields,
    departments,
    descendant_ids,
    list_figures,
    partners_of,
    recent_activities_of,
    stakeholder_list_query,
)

__all__ = ["bp"]



@bp.route("/stakeholders/")
@roles(ALL_ROLES)
def stakeholders():
    form = StakeholderFilterForm(all_fields(), formdata=request.args)
    valid = form.validate()
    criteria = _criteria(form)
    page = paginate(stakeholder_list_query(criteria))
    status = 200 if valid else 400
    figures = list_figures([s.id for s in page.items])
    sort_labels = {choice.value: choice.label for choice in form.sort.choices}
    return render_template(
        "register/stakeholders.html", form=form, page=page, figures=figures,
        sort_label=sort_labels[criteria.order.value],
    ), status


@bp.route("/stakeholders/export")
@roles(ALL_ROLES)
def export_stakeholders():
    """The filtered, sorted list (all pages) as CSV for Excel, CSV for machines or XLSX."""
    fmt = request.args.get("format", "csv")
    if fmt not in TABLE_FORMATS:
        abort(404)
    form = StakeholderFilterForm(all_fields(), formdata=request.args)
    form.validate()
    table = register_table(_criteria(form), machine=fmt == "csv-machine")
    return download(table, "akteure", fmt)


@bp.route("/stakeholders/<int:stakeholder_id>")
@roles(ALL_ROLES)
def stakeholder(stakeholder_id: int):
    return _render_stakeholder(_get_or_404(stakeholder_id))


@bp.route("/stakeholders/new", methods=["GET", "POST"])
@roles(EDITORS)
def create_stakeholder():
    form = StakeholderForm()
    _set_choices(form, None)
    if form.validate_on_submit():
        try:
            stakeholder = operations.create_stakeholder(_data_from(form))
        except operations.RegisterRuleError as error:
            show_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Der Akteur „%(name)s“ wurde angelegt.", name=stakeholder.name), "success")
            return redirect(url_for(".stakeholder", stakeholder_id=stakeholder.id))
    return _render_form(form, None)


@bp.route("/stakeholders/<int:stakeholder_id>/edit", methods=["GET", "POST"])
@roles(EDITORS)
def edit_stakeholder(stakeholder_id: int):
    stakeholder = _get_or_404(stakeholder_id)
    # Pre-filled only on GET: a POST is read from the submitted data alone, so an empty or
    # partial POST cannot pass validation with the stored values (or the stored version).
    form = EditStakeholderForm(data=_initial_data(stakeholder) if request.method == "GET" else None)
    _set_choices(form, stakeholder)
    if form.validate_on_submit():
        try:
            operations.update_stakeholder(stakeholder, _data_from(form), form.version.data)
        except operations.RegisterRuleError as error:
            show_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Der Akteur „%(name)s“ wurde gespeichert.", name=stakeholder.name),
                  "success")
            return redirect(url_for(".stakeholder", stakeholder_id=stakeholder.id))
    return _render_form(form, stakeholder)


@bp.route("/stakeholders/<int:stakeholder_id>/delete", methods=["POST"])
@roles(EDITORS)
def delete_stakeholder(stakeholder_id: int):
    try:
        name = operations.delete_stakeholder(stakeholder_id)
    except operations.RegisterRuleError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_stakeholder(_get_or_404(stakeholder_id), status=409)
    if name is None:
        abort(404)
    db.session.commit()
    flash(_("Der Akteur „%(name)s“ wurde gelöscht.", name=name), "success")
    return redirect(url_for(".stakeholders"))


@bp.route("/stakeholders/<int:stakeholder_id>/anonymise", methods=["POST"])
@roles(EDITORS)
def anonymise_stakeholder(stakeholder_id: int):
    try:
        changed = privacy.anonymise_individual(stakeholder_id)
    except operations.RegisterRuleError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render_stakeholder(_get_or_404(stakeholder_id), status=409)
    if changed is None:
        abort(404)
    db.session.commit()
    if changed:
        # Content-free record: who erased which id and when, never the erased data.
        log_event(security_log, "stakeholder_anonymised", stakeholder=stakeholder_id)
        flash(_("Die personenbezogenen Angaben wurden entfernt. Die gemeinsamen Aktivitäten "
                "bleiben unter neutraler Bezeichnung erhalten. Bitte prüfen Sie auch Titel und "
                "Beschreibungen dieser Aktivitäten auf Namen."), "success")
    else:
        flash(_("Dieser Eintrag war bereits anonymisiert."), "success")
    return redirect(url_for(".stakeholder", stakeholder_id=stakeholder_id))


# --- helpers ---------------------------------------------------------------------------------


def _get_or_404(stakeholder_id: int) -> Stakeholder:
    return db.session.get(Stakeholder, stakeholder_id) or abort(404)


def _render_stakeholder(stakeholder: Stakeholder, status: int = 200):
    activity_count = activity_count_of(stakeholder.id)
    return render_template(
        "register/stakeholder.html",
        stakeholder=stakeholder,
        children=sorted(stakeholder.children, key=lambda child: child.name_key),
        partners=partners_of(stakeholder.id, page_number(request.args.get("page"))),
        activities=recent_activities_of(stakeholder.id, activity_count=activity_count),
        activity_count=activity_count,
        is_anonymised=privacy.is_anonymised(stakeholder),
        fading=_fading_ties_of(stakeholder),
    ), status


def _fading_ties_of(stakeholder: Stakeholder):
    """The stakeholder's fading ties (departments and groups only; see the dashboard)."""
    from ..network.data.fading_ties import FADING_SHOWN, quiet_months_from, stored_fading
    from ..network.data.scope import Scope

    if stakeholder.kind == StakeholderKind.INDIVIDUAL or not stakeholder.active:
        return None
    # The whole network's stored figures, as they are: every write hands them to the queue
    # (and this page is also rendered inside a POST's write transaction, where starting a
    # scope would wait on SQLite's lock). None before the very first computation.
    # The first FADING_SHOWN on the page (a hub at L has thousands), all in the download.
    return stored_fading(Scope(), quiet_months_from(request.args.get("quiet_months")),
                         stakeholder_id=stakeholder.id, shown=FADING_SHOWN)


def _render_form(form: StakeholderForm, stakeholder: Stakeholder | None):
    status = INVALID_FORM if request.method == "POST" else 200
    return render_template(
        "register/stakeholder_form.html", form=form, stakeholder=stakeholder
    ), status


def _criteria(form: StakeholderFilterForm) -> StakeholderFilter:
    """Filter criteria from the filter form; a value with an error is left out (and the page
    says so) instead of failing the whole list."""

    def usable(field) -> bool:
        return bool(field.data) and not field.errors

    return StakeholderFilter(
        search=form.q.data if usable(form.q) else "",
        kind=StakeholderKind(form.kind.data) if usable(form.kind) else None,
        field_key=form.field.data if usable(form.field) else None,
        status=StatusFilter(form.status.data) if usable(form.status) else StatusFilter.ACTIVE,
        order=NameOrder(form.sort.data) if usable(form.sort) else NameOrder.ASCENDING,
    )


def _set_choices(form: StakeholderForm, stakeholder: Stakeholder | None) -> None:
    """Parents on offer: departments, except the stakeholder itself and units below it."""
    excluded = set()
    if stakeholder is not None:
        excluded = {stakeholder.id} | descendant_ids(stakeholder.id)
    form.parent_id.choices = parent_choices(departments(exclude=excluded))
    form.field_ids.choices = field_choices(all_fields())


def _initial_data(stakeholder: Stakeholder) -> dict:
    return {
        "name": stakeholder.name,
        "kind": stakeholder.kind.value,
        "parent_id": stakeholder.parent_id or NO_PARENT,
        "field_ids": [f.id for f in stakeholder.fields],
        "description": stakeholder.description,
        "affiliation": stakeholder.affiliation,
        "consent_date": stakeholder.consent_date,
        "active": stakeholder.active,
        "name_public": stakeholder.name_public,
        "version": stakeholder.version,
    }


def _data_from(form: StakeholderForm) -> operations.StakeholderData:
    return operations.StakeholderData(
        name=form.name.data,
        kind=StakeholderKind(form.kind.data),
        parent_id=form.parent_id.data or None,
        field_ids=list(form.field_ids.data or []),
        description=form.description.data or "",
        affiliation=form.affiliation.data or "",
        consent_date=form.consent_date.data,
        active=form.active.data,
        name_public=bool(form.name_public.data),
    )
