"""What the map pages show, assembled from the analysis (graph arrays, isolated
departments), the stored positions and the map builder, and kept warm per scope and data
revision.

The cache is per process and keyed by the database and the data revision
(``service.current_revision``), so a new activity or stakeholder makes every worker rebuild
on its next request; it holds the map payload and the table rows, not the graph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from ...extensions import db
from ...register.models import FieldOfWork
from ..analysis.cohesion import isolated_departments
from ..analysis.compact import CompactGraph
from ..analysis.layout import Position, subgraph
from ..data.memo import LruMemo
from ..data.positions import positions_for, stored_positions
from ..data.scope import Scope
from ..data.stored_figures import current_revision, load_compact_cached
from .map_data import MapData, build_map
from .tables import INLINE_ROWS, NodeRow, TieRow, node_rows, tie_rows

CACHE_SIZE = 12
EGO_MIN_RADIUS = 220.0
EGO_SPACING = 90.0  # pixels of circumference per partner


@dataclass
class NetworkView:
    map: MapData
    nodes: list[NodeRow]
    top_ties: list[TieRow]
    tie_count: int
    isolated_names: list[str]


_views = LruMemo(CACHE_SIZE)


def network_view(scope: Scope) -> NetworkView:
    """The whole map of a scope with its table rows (cached per database, scope and
    data revision)."""
    key = (str(db.engine.url), scope.cache_key(), current_revision())
    cached = _views.get(key)
    if cached is not None:
        return cached
    graph = load_compact_cached(scope)
    isolated = isolated_departments(graph)
    # The unfiltered view already is the whole network: no second load for new positions.
    positions = positions_for(graph, (lambda: graph) if scope == Scope() else whole_network)
    view = NetworkView(
        map=build_map(graph, positions, isolated=isolated),
        nodes=node_rows(graph, isolated),
        top_ties=tie_rows(graph, INLINE_ROWS),
        tie_count=graph.m,
        isolated_names=_names(graph, isolated),
    )
    _views.put(key, view)
    return view


@dataclass
class EgoView:
    map: MapData
    nodes: list[NodeRow]
    ties: list[TieRow]
    tie_count: int
    partners: list[int]
    among_partners: int
    isolated_names: list[str]


def ego_view(scope: Scope, stakeholder_id: int) -> EgoView | None:
    """The stakeholder, its partners and the ties among them; ``None`` when the stakeholder
    is not part of the scope (inactive, or of a kind filtered out)."""
    graph = load_compact_cached(scope)
    centre = graph.index_of().get(stakeholder_id)
    if centre is None:
        return None
    partners = graph.neighbours(centre)
    ego = subgraph(graph, [centre, *partners.tolist()])
    members = set(ego.ids)
    isolated = [n for n in isolated_departments(graph) if n in members]
    return EgoView(
        map=build_map(ego, ego_positions(ego, stakeholder_id, stored_positions()),
                      isolated=isolated, focus=stakeholder_id, physics=False),
        nodes=node_rows(ego, isolated),
        ties=tie_rows(ego, INLINE_ROWS),
        tie_count=ego.m,
        partners=sorted(graph.ids[i] for i in partners.tolist()),
        among_partners=ego.m - len(partners),
        isolated_names=_names(ego, isolated),
    )


def ego_positions(
    ego: CompactGraph, focus: int, reference: dict[int, Position]
) -> dict[int, Position]:
    """The stakeholder in the middle, its partners on a circle around it, in the order in
    which they lie around it on the big map (``reference``: the stored positions), so that
    the ego view keeps the map's directions; deterministic, so stable between visits."""
    centre = reference.get(focus, (0.0, 0.0))
    partners = [node for node in ego.ids if node != focus]

    def bearing(node: int) -> tuple[float, int]:
        if node not in reference:
            return (math.tau, node)  # unknown ones after the rest, by id
        x, y = reference[node]
        return (math.atan2(y - centre[1], x - centre[0]) % math.tau, node)

    partners.sort(key=bearing)
    radius = max(EGO_MIN_RADIUS, EGO_SPACING * len(partners) / math.tau)
    positions = {focus: (0.0, 0.0)}
    for k, node in enumerate(partners):
        angle = math.tau * k / max(len(partners), 1)
        positions[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions


def whole_network() -> CompactGraph:
    """Every active stakeholder and tie of the whole log: what the stored positions are
    computed on, so that a filter never moves a node."""
    return load_compact_cached(Scope())


def _names(graph: CompactGraph, nodes) -> list[str]:
    wanted = set(nodes)
    return sorted((name for node, name in zip(graph.ids, graph.names, strict=True)
                   if node in wanted), key=str.casefold)


def scope_from_request() -> tuple[Scope, list[str], list[FieldOfWork]]:
    """The scope in the query string, its German errors, and the field-of-work catalogue
    (for the filter form)."""
    fields = list(db.session.scalars(select(FieldOfWork).order_by(FieldOfWork.position)))
    scope, errors = Scope.from_args(request.args, known_fields={f.key for f in fields})
    return scope, errors, fields


def map_texts() -> dict:
    """Texts network-map.js puts into tooltips ({placeholders} are filled in there)."""
    from ...register.models import STAKEHOLDER_KIND_LABELS

    return {
        "kinds": {kind.value: str(label) for kind, label in STAKEHOLDER_KIND_LABELS.items()},
        "partners": _("{count} Partner; Summe der Verbindungsstärken: {weighted}"),
        "isolated": _("⚠ isoliertes Ressort: keine gemeinsame Aktivität mit einem anderen "
                      "Ressort"),
        "tie": _("{a} – {b}"),
        "activities": _("{count} gemeinsame Aktivitäten"),
        "last": _("zuletzt am {date}"),
        "click": _("Klicken: Umfeld anzeigen"),
        "focus": _("Klicken: Seite des Akteurs öffnen"),
    }
