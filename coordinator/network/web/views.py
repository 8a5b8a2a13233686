"""Network map, ego view, the table alternative and the export downloads.

Every page reads its scope (period, field of work, kinds) from the query string; a bad value
answers 400 with the German message next to the filter form, and nothing is drawn.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...access import ALL_ROLES, roles
from ...auth.models import Role
from ...errors import render_error
from ...extensions import db
from ...fragments import cached_fragment, page_with_fragment
from ...offers.map_layer import map_reach, reach_texts
from ...pagination import page_number
from ...register.models import FieldOfWork, Stakeholder
from ...templating import has_endpoint
from ..data.figure_store import figure_key, read_figures
from ..data.models import NetworkJob
from ..data.ranked_ties import StoredTie, read_ranked_page
from ..data.scope import Scope
from .ego import ego_view
from .export_files import export_response
from .pseudonyms import names_for_viewer, sees_names
from .tables import INLINE_ROWS, ListPage, TieRow, alphabetical
from .view_models import (
    map_texts,
    page_status,
    scope_from_request,
    stored_map_json,
    stored_network_view,
)

bp = Blueprint("network", __name__, url_prefix="/network")



@bp.route("/")
@roles(ALL_ROLES)
def map_view():
    scope, errors, fields = scope_from_request()
    if errors:
        return render_template("network/map.html", map=None, **_common(scope, errors, fields)), 400
    view, figures = stored_network_view(scope)
    if view is None:
        return render_template("network/map.html", map=None, status=page_status(figures),
                               **_common(scope, errors, fields))
    reach = map_reach(view.nodes, _field_id(scope, fields),
                      scope.until.year if scope.until else None)
    # The tables are the same for everyone who sees the same names.
    tables = cached_fragment((scope.cache_key(), sees_names()), figures.freshness.computed_at,
                             "network/_map_tables.html", lambda: {
        "nodes": view.nodes, "ties": view.top_ties, "inline_rows": INLINE_ROWS, "scope": scope})
    map_json = stored_map_json(scope, view, figures)
    if map_json is None:  # stored before the map's text was: being recomputed
        return render_template("network/map.html", map=None,
                               status=page_status(replace(figures, stored_metrics=None)),
                               **_common(scope, errors, fields))
    return page_with_fragment(
        "network/map.html", tables,
        status=page_status(figures),
        map=replace(view.map, reach=reach.payload() or None, json=map_json),
        reach=reach,
        isolated_names=view.isolated_names,
        **_map_links(scope),
        **_common(scope, errors, fields),
    )


@bp.route("/ego/<int:stakeholder_id>")
@roles(ALL_ROLES)
def ego(stakeholder_id: int):
    stakeholder = db.session.get(Stakeholder, stakeholder_id) or abort(404)
    scope, errors, fields = scope_from_request()
    context = {"stakeholder": stakeholder, **_common(scope, errors, fields)}
    if errors:
        return render_template("network/ego.html", map=None, **context), 400
    view = ego_view(scope, stakeholder, page_number(request.args.get("page")))
    if view is None:
        reason = (
            _("Dieser Akteur ist nicht aktiv und erscheint deshalb nicht im Netzwerk.")
            if not stakeholder.active
            else _("Dieser Akteur gehört nicht zum gewählten Ausschnitt (Art der Akteure oder "
                   "Handlungsfeld) oder ist neu registriert und hat noch keine gemeinsame "
                   "Aktivität.")
        )
        return render_template("network/ego.html", map=None, absent_reason=reason, **context)
    return render_template(
        "network/ego.html",
        map=view.map,
        view=view,
        status=view.status,
        isolated_names=view.isolated_names,
        what_if=view.what_if,
        **_map_links(scope),
        **context,
    )


@bp.route("/table")
@roles(ALL_ROLES)
def node_table():
    scope, errors, fields = scope_from_request()
    if errors:
        return render_template("network/node_table.html", page=None,
                               **_common(scope, errors, fields)), 400
    view, figures = stored_network_view(scope)
    if view is None:
        return render_template("network/node_table.html", page=None,
                               status=page_status(figures), **_common(scope, errors, fields))
    return render_template(
        "network/node_table.html",
        status=page_status(figures),
        page=ListPage(view.nodes, page_number(request.args.get("page"))),
        isolated_names=view.isolated_names,
        **_common(scope, errors, fields),
    )


@bp.route("/ties")
@roles(ALL_ROLES)
def tie_table():
    """One page of the scope's ranked ties as the queue's job stored them: one row read, and
    the names of the page's stakeholders."""
    scope, errors, fields = scope_from_request()
    if errors:
        return render_template("network/tie_table.html", page=None,
                               **_common(scope, errors, fields)), 400
    figures = read_figures(scope, user_id=current_user.id)
    stored = None if figures.pending else read_ranked_page(
        figure_key(scope), page_number(request.args.get("page")))
    if stored is None:  # figures stored before ranked ties were: being recomputed
        return render_template("network/tie_table.html", page=None,
                               status=page_status(replace(figures, stored_metrics=None)),
                               **_common(scope, errors, fields))
    page = ListPage(_tie_rows_for_viewer(stored.ties), stored.page, total=stored.stored)
    return render_template("network/tie_table.html", page=page, status=page_status(figures),
                           total=stored.total, cut_short=stored.cut_short,
                           last_stored_page=not page.has_next,
                           **_common(scope, errors, fields))


@bp.route("/export/<any('gexf', 'graphml', 'nodes.csv', 'ties.csv'):fmt>")
@roles(ALL_ROLES)
def export(fmt: str):
    scope, errors, _fields = scope_from_request()
    if errors:
        return render_error(400, " ".join(errors))
    return export_response(scope, fmt)


@bp.route("/status")
@roles(Role.ADMIN)
def queue_status_page():
    """Health of the figures' queue for admins (the same line as ``flask network-status``)."""
    from ..jobs.status import queue_status, status_line

    status = queue_status()
    jobs = db.session.scalars(
        select(NetworkJob).order_by(NetworkJob.last_read_at.desc()).limit(50)).all()
    return render_template("network/status.html", line=status_line(status), status=None,
                           jobs=jobs)


def _tie_rows_for_viewer(ties: list[StoredTie]) -> list[TieRow]:
    """Rows with the stakeholders' names (pseudonyms where the viewer may not see them);
    a tie to a stakeholder deleted since the ranking was stored is left out."""
    ends = {tie.a for tie in ties} | {tie.b for tie in ties}
    people = db.session.execute(select(Stakeholder.id, Stakeholder.name, Stakeholder.kind)
                                .where(Stakeholder.id.in_(ends))).all()
    names = {node: name for node, name, _kind in people}
    names.update(names_for_viewer((node, kind.value) for node, _name, kind in people))
    return [alphabetical(TieRow(tie.a, names[tie.a], tie.b, names[tie.b], tie.weight, tie.last))
            for tie in ties if tie.a in names and tie.b in names]


def _field_id(scope: Scope, fields: list[FieldOfWork]) -> int | None:
    """The id of the scope's field of work (its offers only), ``None`` for all."""
    return next((f.id for f in fields if f.key == scope.field), None)


def _common(scope: Scope, errors: list[str], fields: list[FieldOfWork]) -> dict:
    return {"scope": scope, "errors": errors, "fields": fields}


def _map_links(scope: Scope) -> dict:
    """Where a click on a node leads (network-map.js appends the node id)."""
    query = urlencode(scope.to_args())
    detail = ""
    if has_endpoint("register.stakeholder"):
        detail = url_for("register.stakeholder", stakeholder_id=0)[:-1]
    return {
        "texts": {**map_texts(), **reach_texts()},
        "ego_url": url_for("network.ego", stakeholder_id=0)[:-1],
        "ego_query": f"?{query}" if query else "",
        "detail_url": detail,
    }

