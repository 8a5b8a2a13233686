"""The questionnaire catalogue (headings and Likert items), for admins. Retired items stay
with the answers already given; they are only no longer asked."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..access import roles
from ..auth.models import Role
from ..extensions import db
from ..rule_error import INVALID_FORM, RuleError, committed, show_rule_error
from . import operations
from .blueprint import bp
from .forms import HeadingForm, ItemForm
from .models import SurveyItem
from .results import headings


def _item_form(**kwargs) -> ItemForm:
    form = ItemForm(**kwargs)
    form.heading_id.choices = [(h.id, h.title) for h in headings()]
    return form


def _page(item_form: ItemForm | None = None, heading_form: HeadingForm | None = None,
          status: int = 200):
    return render_template(
        "surveys/catalogue.html", headings=headings(),
        item_form=item_form or _item_form(formdata=None),
        heading_form=heading_form or HeadingForm(formdata=None),
        edit_form=lambda item: _item_form(formdata=None, obj=item, prefix=f"item{item.id}"),
    ), status


@bp.route("/catalogue")
@roles(Role.ADMIN)
def catalogue():
    return _page()


@bp.route("/catalogue/items", methods=["POST"])
@roles(Role.ADMIN)
def add_item():
    form = _item_form()
    if form.validate_on_submit():
        try:
            with committed():
                operations.add_item(form.heading_id.data, form.text.data)
        except RuleError as error:
            show_rule_error(form, error)
        else:
            flash(_("Die Aussage wurde hinzugefügt."), "success")
            return redirect(url_for(".catalogue"))
    return _page(item_form=form, status=INVALID_FORM)


@bp.route("/catalogue/items/<int:item_id>", methods=["POST"])
@roles(Role.ADMIN)
def edit_item(item_id: int):
    item = db.session.get(SurveyItem, item_id) or abort(404)
    form = _item_form(prefix=f"item{item.id}")
    if form.validate_on_submit():
        try:
            operations.update_item(item, form.text.data, form.active.data)
        except RuleError as error:
            db.session.rollback()
            flash(error.message, "error")
            return _page(status=INVALID_FORM)
        db.session.commit()
        flash(_("Die Aussage wurde gespeichert."), "success")
        return redirect(url_for(".catalogue"))
    flash(_("Die Aussage wurde nicht gespeichert: Der Text fehlt oder ist zu lang."), "error")
    return _page(status=INVALID_FORM)


@bp.route("/catalogue/headings", methods=["POST"])
@roles(Role.ADMIN)
def add_heading():
    form = HeadingForm()
    if form.validate_on_submit():
        try:
            with committed():
                operations.add_heading(form.title.data)
        except RuleError as error:
            show_rule_error(form, error)
        else:
            flash(_("Die Überschrift wurde angelegt."), "success")
            return redirect(url_for(".catalogue"))
    return _page(heading_form=form, status=INVALID_FORM)
