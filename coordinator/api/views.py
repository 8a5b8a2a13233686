"""The read-only JSON API, ``/api/v1/``: the register, the activity log and the network
figures of a scope, for scripts and reports.

Authentication is by personal access token only (``Authorization: Bearer …``, checked in
:mod:`coordinator.access` like every role); every role that reads the web pages reads the API,
with the same rule for individuals' names. Lists are paginated; every 200 carries an ETag
and answers ``If-None-Match`` with 304; requests are rate-limited per token and per address
(shared through Redis when configured). The description is ``/api/v1/openapi.json``.
"""

from __future__ import annotations

import hashlib
import re

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..access import ALL_ROLES, name_rule, public, roles, sees_individual_names
from ..activities.models import ActivityKind, JointActivity, activity_field, participation
from ..extensions import csrf, db, limiter
from ..network.data.scope import KINDS, Scope
from ..network.data.stored_figures import load_compact_cached
from ..network.web.metrics_document import metrics_document, trend_document
from ..network.web.tables import tie_rows
from ..register.models import FieldOfWork, Stakeholder, StakeholderKind, name_key
from . import params
from .errors import problem
from .openapi import KINDS_PATTERN, openapi_document
from .serialise import activity_json, stakeholder_json, stakeholder_ref

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # read-only, and bearer tokens are not sent by browsers on their own

ACTIVITY_KINDS = tuple(kind.value for kind in ActivityKind)


def _rate_key() -> str:
    """Per presented token (its hash, never the token), else per client address."""
    from .tokens import bearer_text

    text = bearer_text()
    if text:
        return "api-token:" + hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"api-address:{request.remote_addr}"


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_rate_key)(bp)
limiter.limit(lambda: current_app.config["API_ADDRESS_RATE_LIMIT"],
              key_func=lambda: f"api-all:{request.remote_addr}")(bp)


@bp.errorhandler(params.BadRequest)
def _bad_request(error: params.BadRequest):
    return problem(400, "; ".join(error.errors), error.errors)


@bp.after_request
def _conditional(response):
    """ETag from the body; a matching If-None-Match gets 304 without a body."""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
        response.make_conditional(request)
    response.vary.add("Authorization")
    return response


def _names_visible() -> bool:
    return sees_individual_names(current_user)


def _raise_if(errors: list[str]) -> None:
    if errors:
        raise params.BadRequest(errors)


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())


@bp.route("/stakeholders")
@roles(ALL_ROLES)
def stakeholders():
    errors: list[str] = []
    paging = params.page_request(errors)
    kind = params.choice("kind", KINDS, errors)
    active = params.choice("active", ("true", "false"), errors)
    field = params.text("field", 40, errors)
    search = params.text("q", 200, errors)
    _raise_if(errors)
    query = select(Stakeholder)
    if kind:
        query = query.where(Stakeholder.kind == StakeholderKind(kind))
    if active:
        query = query.where(Stakeholder.active.is_(active == "true"))
    if field:
        query = query.where(Stakeholder.fields.any(FieldOfWork.key == field))
    if search:
        pattern = "%" + name_key(search).replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        condition = Stakeholder.name_key.like(pattern, escape="\\")
        if not _names_visible():  # searching must not confirm a withheld name
            condition &= Stakeholder.kind != StakeholderKind.INDIVIDUAL
        query = query.where(condition)
    return _page_of(query.options(selectinload(Stakeholder.fields))
                    .order_by(Stakeholder.name_key, Stakeholder.id), paging, stakeholder_json)


@bp.route("/stakeholders/<int:stakeholder_id>")
@roles(ALL_ROLES)
def stakeholder(stakeholder_id: int):
    return _one(Stakeholder, stakeholder_id, stakeholder_json)


@bp.route("/activities")
@roles(ALL_ROLES)
def activities():
    errors: list[str] = []
    paging = params.page_request(errors)
    since = params.iso_date("since", errors)
    until = params.iso_date("until", errors)
    kind = params.choice("kind", ACTIVITY_KINDS, errors)
    field = params.text("field", 40, errors)
    participant = params.integer("participant", None, 1, 2**31 - 1, errors)
    _raise_if(errors)
    query = select(JointActivity)
    if since:
        query = query.where(JointActivity.date >= since)
    if until:
        query = query.where(JointActivity.date <= until)
    if kind:
        query = query.where(JointActivity.kind == ActivityKind(kind))
    if field:
        query = query.where(JointActivity.id.in_(
            select(activity_field.c.activity_id)
            .join(FieldOfWork, FieldOfWork.id == activity_field.c.field_id)
            .where(FieldOfWork.key == field)
        ))
    if participant:
        query = query.where(JointActivity.id.in_(
            select(participation.c.activity_id).where(
                participation.c.stakeholder_id == participant)
        ))
    return _page_of(
        query.options(selectinload(JointActivity.participants),
                      selectinload(JointActivity.fields))
        .order_by(JointActivity.date.desc(), JointActivity.id.desc()),
        paging, activity_json,
    )


@bp.route("/activities/<int:activity_id>")
@roles(ALL_ROLES)
def activity(activity_id: int):
    return _one(JointActivity, activity_id, activity_json)


def _page_of(query, paging: params.PageRequest, serialise):
    """One page of an ordered query, each row as ``serialise(row, names_visible)``."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.offset(paging.offset).limit(paging.per_page))
    visible = _names_visible()
    return jsonify(params.page_body([serialise(row, visible) for row in rows], total, paging))


def _one(model, key: int, serialise):
    found = db.session.get(model, key)
    if found is None:
        return problem(404)
    return jsonify(serialise(found, _names_visible()))


def _scope() -> Scope:
    errors: list[str] = []
    params.not_empty(("since", "until", "kinds"), errors)
    kinds = request.args.getlist("kinds")
    if len(kinds) > 1 or (kinds and not re.fullmatch(KINDS_PATTERN, kinds[0])):
        errors.append(_("kinds: kommagetrennt department, group, individual (ohne "
                        "Leerzeichen, einmal angegeben)."))
    _raise_if(errors)
    fields = set(db.session.scalars(select(FieldOfWork.key)))
    scope, errors = Scope.from_args(request.args, known_fields=fields)
    _raise_if(errors)
    return scope


@bp.route("/metrics")
@roles(ALL_ROLES)
def metrics():
    return jsonify(metrics_document(_scope(), names_visible=_names_visible()))


@bp.route("/trend")
@roles(ALL_ROLES)
def trend():
    return jsonify(trend_document(_scope()))


@bp.route("/ties")
@roles(ALL_ROLES)
def ties():
    errors: list[str] = []
    paging = params.page_request(errors)
    scope = _scope()
    _raise_if(errors)
    graph = load_compact_cached(scope)
    kind_of = dict(zip(graph.ids, graph.kinds, strict=True))
    label = name_rule(_names_visible())
    items = [
        {
            "a": stakeholder_ref(row.a, row.a_name, kind_of[row.a], label),
            "b": stakeholder_ref(row.b, row.b_name, kind_of[row.b], label),
            "activities": row.weight,
            "last": row.last.isoformat() if row.last else None,
        }
        for row in tie_rows(graph, paging.per_page, paging.offset)
    ]
    return jsonify(params.page_body(items, graph.m, paging))


__all__ = ["bp"]
