"""Offer pages: list with reach flags (filter by field of work and provider, summaries per
field and per provider), one offer with its participation and reach, population shares."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..access import ALL_ROLES, EDITORS, has_role, roles
from ..decimal_input import parse_decimal
from ..extensions import db
from ..register.models import FieldOfWork, Stakeholder
from ..rule_error import INVALID_FORM, RuleError, committed, show_rule_error
from . import operations
from .forms import NO_CHOICE, OfferFilterForm, OfferForm, ParticipationForm, PopulationForm
from .models import Offer, offer_provider
from .presentation import (
    counts_by_period,
    group_label,
    load_offers,
    offer_reach,
    percent,
    population_shares,
    reach_chart,
    summaries_by,
)
from .reach import LONG_TIME, NEWCOMERS

bp = Blueprint("offers", __name__, url_prefix="/offers")


@bp.app_context_processor
def offer_helpers() -> dict:
    return {"percent": percent, "group_label": group_label}


def _fields():
    return list(db.session.scalars(select(FieldOfWork).order_by(FieldOfWork.position)))


def _providers(only_used: bool = False):
    query = select(Stakeholder).where(Stakeholder.active).order_by(Stakeholder.name)
    if only_used:
        query = query.where(Stakeholder.id.in_(select(offer_provider.c.stakeholder_id)))
    return list(db.session.scalars(query))


@bp.route("/")
@roles(ALL_ROLES)
def index():
    form = OfferFilterForm(request.args)
    form.field.choices = [(NO_CHOICE, _("alle"))] + [(f.id, f.label) for f in _fields()]
    form.provider.choices = [(NO_CHOICE, _("alle"))] + [(s.id, s.name)
                                                       for s in _providers(True)]
    valid = form.validate()
    field_id = form.field.data if valid else None
    provider_id = form.provider.data if valid else None
    shares = population_shares()
    reaches = [offer_reach(o, shares) for o in load_offers(field_id, provider_id)]
    return render_template(
        "offers/index.html", form=form, reaches=reaches,
        by_field=summaries_by(reaches, lambda o: [o.field.label] if o.field else []),
        by_provider=summaries_by(reaches, lambda o: [p.name for p in o.providers]),
    ), 200 if valid else 400


@bp.route("/<int:offer_id>")
@roles(ALL_ROLES)
def detail(offer_id: int):
    offer = db.session.get(Offer, offer_id) or abort(404)
    return _detail_page(offer, ParticipationForm() if has_role(EDITORS) else None)


def _detail_page(offer: Offer, form: ParticipationForm | None, status: int = 200):
    item = offer_reach(offer, population_shares())
    return render_template("offers/detail.html", offer=offer, item=item,
                           chart=reach_chart(item), periods=counts_by_period(offer),
                           form=form), status


@bp.route("/<int:offer_id>/participation", methods=["POST"])
@roles(EDITORS)
def add_participation(offer_id: int):
    offer = db.session.get(Offer, offer_id) or abort(404)
    form = ParticipationForm()
    if form.validate_on_submit():
        counts = {g: getattr(form, g).data for g in (NEWCOMERS, LONG_TIME, "unknown")
                  if getattr(form, g).data is not None}
        try:
            with committed():
                period = operations.check_period(form.period.data, "period")
                if not counts:
                    raise RuleError(_("Bitte geben Sie mindestens eine Anzahl ein."), "newcomers")
                operations.set_participation(offer, period, counts)
        except RuleError as error:
            show_rule_error(form, error)
        else:
            flash(_("Die Teilnahmezahlen für %(period)s wurden gespeichert.", period=period),
                  "success")
            return redirect(url_for(".detail", offer_id=offer.id))
    return _detail_page(offer, form, INVALID_FORM)


@bp.route("/new", methods=["GET", "POST"])
@roles(EDITORS)
def create():
    return _edit(None)


@bp.route("/<int:offer_id>/edit", methods=["GET", "POST"])
@roles(EDITORS)
def edit(offer_id: int):
    return _edit(db.session.get(Offer, offer_id) or abort(404))


def _edit(offer: Offer | None):
    initial = None
    if request.method == "GET" and offer is not None:
        initial = {
            "title": offer.title, "provider_ids": [p.id for p in offer.providers],
            "field_id": offer.field_id or NO_CHOICE, "target_group": offer.target_group,
            "target_name": offer.target_name, "period_from": offer.period_from or "",
            "period_until": offer.period_until or "", "capacity": offer.capacity,
        }
    form = OfferForm(data=initial)
    form.set_choices(_fields(), _providers())
    if form.validate_on_submit():
        try:
            with committed():
                saved = operations.save_offer(
                    offer, title=form.title.data, provider_ids=form.provider_ids.data or [],
                    field_id=form.field_id.data or None, target_group=form.target_group.data,
                    target_name=form.target_name.data or "", period_from=form.period_from.data,
                    period_until=form.period_until.data, capacity=form.capacity.data,
                )
        except RuleError as error:
            show_rule_error(form, error)
        else:
            flash(_("Das Angebot „%(title)s“ wurde gespeichert.", title=saved.title), "success")
            return redirect(url_for(".detail", offer_id=saved.id))
    status = INVALID_FORM if request.method == "POST" else 200
    return render_template("offers/form.html", form=form, offer=offer), status


@bp.route("/<int:offer_id>/delete", methods=["POST"])
@roles(EDITORS)
def delete(offer_id: int):
    title = operations.delete_offer(offer_id)
    if title is None:
        abort(404)
    db.session.commit()
    flash(_("Das Angebot „%(title)s“ wurde gelöscht.", title=title), "success")
    return redirect(url_for(".index"))


@bp.route("/population", methods=["GET", "POST"])
@roles(EDITORS)
def population():
    form = PopulationForm()
    status = 200
    if form.validate_on_submit():
        shares = {g: parse_decimal(getattr(form, g).data) for g in (NEWCOMERS, LONG_TIME)}
        try:
            with committed():
                period = operations.check_period(form.period.data, "period")
                for group, value in shares.items():
                    if value is None:
                        raise RuleError(_("Bitte geben Sie eine Zahl ein, z. B. 12,5."), group)
                operations.set_population_shares(period, {g: v / 100 for g, v in shares.items()})
        except RuleError as error:
            show_rule_error(form, error)
        else:
            flash(_("Die Bevölkerungsanteile für %(period)s wurden gespeichert.",
                    period=period), "success")
            return redirect(url_for(".population"))
    if request.method == "POST":
        status = INVALID_FORM
    return render_template("offers/population.html", form=form,
                           shares=population_shares()), status
