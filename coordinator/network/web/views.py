"""Network map, ego view, the table alternative and the export downloads.

Every page reads its scope (period, field of work, kinds) from the query string; a bad value
answers 400 with the German message next to the filter form, and nothing is drawn.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ...access import ALL_ROLES, roles
from ...auth.models import Role
from ...errors import render_error
from ...extensions import db
from ...offers.map_layer import map_reach, reach_texts
from ...pagination import page_number
from ...register.models import FieldOfWork, Stakeholder
from ...templating import has_endpoint
from ..data.graph_loading import count_ties, tie_page
from ..data.models import NetworkJob
from ..data.scope import Scope
from ..data.stored_figures import load_compact_cached
from . import exports
from .ego import ego_view
from .gexf_extras import gexf_extras
from .pseudonyms import graph_for_viewer, names_for_viewer
from .tables import INLINE_ROWS, ListPage, TieRow
from .view_models import (
    map_texts,
    page_status,
    scope_from_request,
    stored_network_view,
)

bp = Blueprint("network", __name__, url_prefix="/network")

# format in the URL → (function of the graph, media type, file name without the date)
EXPORTS = {
    "gexf": (exports.to_gexf, "application/gexf+xml", "netzwerk.gexf"),
    "graphml": (exports.to_graphml, "application/graphml+xml", "netzwerk.graphml"),
    "nodes.csv": (exports.nodes_csv, "text/csv", "netzwerk-akteure.csv"),
    "ties.csv": (exports.ties_csv, "text/csv", "netzwerk-verbindungen.csv"),
}


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
    return render_template(
        "network/map.html",
        status=page_status(figures),
        map=replace(view.map, reach=reach.payload() or None),
        reach=reach,
        nodes=view.nodes,
        ties=view.top_ties,
        tie_count=view.tie_count,
        isolated_names=view.isolated_names,
        inline_rows=INLINE_ROWS,
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
    scope, errors, fields = scope_from_request()
    if errors:
        return render_template("network/tie_table.html", page=None,
                               **_common(scope, errors, fields)), 400
    page = ListPage.of_total(
        count_ties(scope), page_number(request.args.get("page")),
        lambda offset, limit: _tie_rows_for_viewer(tie_page(scope, offset, limit)),
    )
    return render_template("network/tie_table.html", page=page, **_common(scope, errors, fields))


@bp.route("/export/<any('gexf', 'graphml', 'nodes.csv', 'ties.csv'):fmt>")
@roles(ALL_ROLES)
def export(fmt: str):
    scope, errors, _fields = scope_from_request()
    if errors:
        return render_error(400, " ".join(errors))
    build, media_type, name = EXPORTS[fmt]
    # The graph arrays are shared with the map pages (kept per revision); names of individuals
    # are replaced for roles that may not see them.
    graph = graph_for_viewer(load_compact_cached(scope))
    content = (exports.to_gexf(graph, gexf_extras(scope, graph)) if fmt == "gexf"
               else build(graph))
    stem, extension = name.split(".", 1)
    filename = f"{stem}-{date.today().isoformat()}.{extension}"
    return Response(
        content,
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


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


def _tie_rows_for_viewer(rows: list[tuple]) -> list[TieRow]:
    ties = [TieRow(*row) for row in rows]
    ends = {tie.a for tie in ties} | {tie.b for tie in ties}
    kinds = db.session.execute(select(Stakeholder.id, Stakeholder.kind)
                               .where(Stakeholder.id.in_(ends))).all()
    names = names_for_viewer((node, kind.value) for node, kind in kinds)
    return [_alphabetical(replace(tie, a_name=names.get(tie.a, tie.a_name),
                                  b_name=names.get(tie.b, tie.b_name))) for tie in ties]


def _alphabetical(row: TieRow) -> TieRow:
    """The name first in the alphabet on the left, as in the map's tie list."""
    if (row.b_name.casefold(), row.b) < (row.a_name.casefold(), row.a):
        return TieRow(row.b, row.b_name, row.a, row.a_name, row.weight, row.last)
    return row


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

