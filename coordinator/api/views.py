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
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..access import ALL_ROLES, public, roles
from ..activities.models import ActivityKind, JointActivity, activity_field, participation
from ..database import MAX_ID
from ..extensions import csrf, db, limiter
from ..network.data.figure_store import figure_key, read_figures
from ..network.data.graph_loading import count_ties, tie_page
from ..network.data.ranked_ties import read_ranked_slice
from ..network.data.scope import KINDS, Scope
from ..network.web.metrics_document import metrics_document, trend_document
from ..network.web.pseudonyms import sees_names
from ..network.web.tables import PER_PAGE
from ..register.models import FieldOfWork, Stakeholder, StakeholderKind, name_key
from . import params
from .errors import problem
from .names import hidden_among, labeller
from .openapi import KINDS_PATTERN, openapi_document
from .serialise import (
    activity_json,
    hidden_of_activities,
    hidden_of_stakeholders,
    stakeholder_json,
    stakeholder_ref,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # read-only, and bearer tokens are not sent by browsers on their own

ACTIVITY_KINDS = tuple(kind.value for kind in ActivityKind)
RETRY_AFTER_SECONDS = 5


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


@bp.before_request
def _known_arguments_only():
    """A misspelt argument (``per_pge``) must not silently mean "no filter": every query
    argument the description does not name is a 400."""
    if request.endpoint is None or request.url_rule is None:
        return None
    path = request.url_rule.rule.removeprefix(bp.url_prefix).replace("<int:", "{") \
        .replace(">", "}")
    item = openapi_document()["paths"].get(path)
    if item is None:
        return None  # the description itself
    known = {p["name"] for p in item["get"]["parameters"] if p["in"] == "query"}
    unknown = sorted(set(request.args) - known)
    if unknown:
        raise params.BadRequest([_("Unbekannter Parameter: %(name)s (erlaubt: %(known)s).",
                                   name=name[:40], known=", ".join(sorted(known)) or "–")
                                 for name in unknown[:3]])
    return None


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
        if not sees_names():  # searching must not confirm a withheld name
            condition &= or_(Stakeholder.kind != StakeholderKind.INDIVIDUAL,
                             Stakeholder.name_public.is_(True))
        query = query.where(condition)
    return _page_of(query.options(selectinload(Stakeholder.fields))
                    .order_by(Stakeholder.name_key, Stakeholder.id), paging,
                    stakeholder_json, hidden_of_stakeholders)


@bp.route("/stakeholders/<int:stakeholder_id>")
@roles(ALL_ROLES)
def stakeholder(stakeholder_id: int):
    return _one(Stakeholder, stakeholder_id, stakeholder_json, hidden_of_stakeholders)


@bp.route("/activities")
@roles(ALL_ROLES)
def activities():
    errors: list[str] = []
    paging = params.page_request(errors)
    since = params.iso_date("since", errors)
    until = params.iso_date("until", errors)
    kind = params.choice("kind", ACTIVITY_KINDS, errors)
    field = params.text("field", 40, errors)
    participant = params.integer("participant", None, 1, MAX_ID, errors)
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
        paging, activity_json, hidden_of_activities,
    )


@bp.route("/activities/<int:activity_id>")
@roles(ALL_ROLES)
def activity(activity_id: int):
    return _one(JointActivity, activity_id, activity_json, hidden_of_activities)


def _page_of(query, paging: params.PageRequest, serialise, hidden_of):
    """One page of an ordered query, each row as ``serialise(row, hidden)``."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(db.session.scalars(query.offset(paging.offset).limit(paging.per_page)))
    hidden = hidden_of(rows)
    return jsonify(params.page_body([serialise(row, hidden) for row in rows], total, paging))


def _one(model, key: int, serialise, hidden_of):
    found = db.session.get(model, key)
    if found is None:
        return problem(404)
    return jsonify(serialise(found, hidden_of([found])))


def _scope() -> Scope:
    errors: list[str] = []
    params.not_empty(("since", "until", "kinds", "cases"), errors)
    cases = request.args.getlist("cases")
    if len(cases) > 1 or (cases and cases[0] not in ("0", "1")):
        errors.append(_("cases: 1 oder 0 (einmal angegeben)."))
    kinds = request.args.getlist("kinds")
    if len(kinds) > 1 or (kinds and not re.fullmatch(KINDS_PATTERN, kinds[0])):
        errors.append(_("kinds: kommagetrennt department, group, individual (ohne "
                        "Leerzeichen, einmal angegeben)."))
    _raise_if(errors)
    fields = set(db.session.scalars(select(FieldOfWork.key)))
    scope, errors = Scope.from_args(request.args, known_fields=fields)
    _raise_if(errors)
    return scope


def _stored_figures(scope: Scope, *, view: bool = False):
    """The stored figures the dashboard reads (computed by the background worker, never in
    this request), or the answer while there are none yet: 202 while the scope's first
    computation runs, 429 when too many new scopes were asked for in a minute."""
    figures = read_figures(scope, view=view, user_id=current_user.id)
    if not figures.pending:
        return figures, None
    if figures.freshness.refused:
        response = problem(429, _("Zu viele neue Ausschnitte in kurzer Zeit; die Kennzahlen "
                                  "für diesen werden noch nicht berechnet. Bitte in einer "
                                  "Minute erneut abfragen."))
        response.headers["Retry-After"] = "60"
    else:
        response = problem(202, _("Die Kennzahlen für diesen Ausschnitt werden gerade "
                                  "berechnet. Bitte in einigen Sekunden erneut abfragen."),
                           title=_("Wird berechnet"))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return figures, response


@bp.route("/metrics")
@roles(ALL_ROLES)
def metrics():
    scope = _scope()
    figures, pending = _stored_figures(scope, view=True)
    if pending:
        return pending
    nodes = (figures.view or {}).get("nodes", [])
    degree = {row["id"]: row["degree"] for row in nodes}
    hidden = hidden_among(figures.metrics.kinds.items())
    return jsonify(metrics_document(scope, figures.metrics, degree, label=labeller(hidden),
                                    freshness=figures.freshness))


@bp.route("/trend")
@roles(ALL_ROLES)
def trend():
    scope = _scope()
    figures, pending = _stored_figures(scope)
    if pending:
        return pending
    return jsonify(trend_document(scope, figures.metrics, freshness=figures.freshness))


@bp.route("/ties")
@roles(ALL_ROLES)
def ties():
    """The scope's ties in the web tie table's order: from the ranking the queue's job
    stored (a few rows), from the tie store only past a ranking that was cut short."""
    errors: list[str] = []
    paging = params.page_request(errors)
    scope = _scope()
    _raise_if(errors)
    _figures, pending = _stored_figures(scope)
    if pending:
        return pending
    stored = read_ranked_slice(figure_key(scope), paging.offset, paging.per_page, PER_PAGE)
    if stored is None:
        rows, total = tie_page(scope, paging.offset, paging.per_page), count_ties(scope)
        ends = {row[0] for row in rows} | {row[2] for row in rows}
    else:
        ties, total = stored
        ends = {x for tie in ties for x in (tie.a, tie.b)}
    people = {node: (name, kind.value) for node, name, kind in db.session.execute(
        select(Stakeholder.id, Stakeholder.name, Stakeholder.kind)
        .where(Stakeholder.id.in_(ends)))}
    if stored is not None:
        # a tie to a stakeholder deleted since the ranking was stored is left out
        rows = [(tie.a, people[tie.a][0], tie.b, people[tie.b][0], tie.weight, tie.last)
                for tie in ties if tie.a in people and tie.b in people]
    kind_of = {node: kind for node, (_name, kind) in people.items()}
    hidden = hidden_among(kind_of.items())
    items = [
        {
            "a": stakeholder_ref(a, a_name, kind_of[a], hidden),
            "b": stakeholder_ref(b, b_name, kind_of[b], hidden),
            "activities": weight,
            "last": last.isoformat() if last else None,
        }
        for a, a_name, b, b_name, weight, last in rows
    ]
    return jsonify(params.page_body(items, total, paging))
