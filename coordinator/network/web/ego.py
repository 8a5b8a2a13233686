"""The ego view of one stakeholder: its strongest partners drawn around it, all partners in
a paginated table, and what the network would lose without it.

Read per request, bounded for hubs: the centre's own ties (one row per partner), the ties
among the ``NETWORK_EGO_PARTNERS`` strongest partners that are drawn, the names of what the
page shows, and the scope's stored figures. A hub with 10,000 partners costs the same
drawing as one with 80; nothing here loads the scope's whole network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...register.models import Stakeholder, StakeholderKind
from ..analysis.compact import CompactGraph
from ..analysis.layout import Position
from ..data.ego_ties import PartnerTies, is_shown, load_partners, load_ties_among
from ..data.figure_store import read_figures
from ..data.graph_loading import load_nodes
from ..data.positions import stored_positions
from ..data.scope import Scope
from .map_data import MapData, build_map
from .pseudonyms import names_for_viewer
from .tables import INLINE_ROWS, WARNING_ISOLATED, ListPage, TieRow, tie_rows
from .view_models import FigureStatus, page_status, user_id
from .what_if import WhatIfView, stored_what_if, what_if_ids

EGO_PARTNERS = 80  # partners drawn at most (config NETWORK_EGO_PARTNERS); the table has all
EGO_MIN_RADIUS = 220.0
EGO_SPACING = 90.0  # pixels of circumference per partner
INDIVIDUAL = StakeholderKind.INDIVIDUAL.value


@dataclass
class PartnerRow:
    id: int
    name: str
    kind: str
    weight: int  # joint activities with the centre
    last: date | None
    warnings: list


@dataclass
class EgoView:
    map: MapData
    partner_count: int
    drawn: int  # partners on the map: the strongest ones
    partners: ListPage  # of PartnerRow, strongest first
    ties: list[TieRow]  # among the drawn partners, strongest first (at most INLINE_ROWS)
    tie_count: int  # ties among the drawn partners
    isolated_names: list[str]
    what_if: WhatIfView | None
    status: FigureStatus


def ego_view(scope: Scope, stakeholder: Stakeholder, page: int) -> EgoView | None:
    """The ego view, or ``None`` when the stakeholder is not part of the scope (inactive,
    or of a kind filtered out)."""
    centre = stakeholder.id
    if not is_shown(scope, centre):
        return None
    partners = load_partners(scope, centre)
    figures = read_figures(scope, user_id=user_id())
    # The what-if table knows the isolated departments too: the stored metrics (19 k
    # stakeholders' figures at L, 0.3 s to parse) are not needed here.
    table = stored_what_if(scope, figures)
    known_isolated = table.isolated_departments() if table else set()
    isolated = sorted(known_isolated.intersection([centre, *partners.ids.tolist()]))
    what_if = what_if_ids(table, centre, dict(zip(partners.ids.tolist(),
                                                  partners.weight.tolist(), strict=True)))
    positions = ListPage.of_total(len(partners), page, lambda offset, limit: list(
        range(offset, min(offset + limit, len(partners)))))
    on_page = [int(partners.ids[k]) for k in positions.items]
    people = _stakeholders({*on_page, *isolated, *(what_if.ids() if what_if else ())})
    pseudonyms = names_for_viewer([
        (centre, stakeholder.kind.value),
        *((node, INDIVIDUAL) for node in partners.ids[partners.individual].tolist()),
        *((node, kind) for node, (_name, kind) in people.items()),
    ])

    def name(node: int) -> str | None:
        return pseudonyms.get(node) or (people[node][0] if node in people else None)

    cap = int(current_app.config.get("NETWORK_EGO_PARTNERS", EGO_PARTNERS))
    graph = _drawn_graph(scope, centre, partners, cap)
    graph = replace(graph, names=[pseudonyms.get(node, text)
                                  for node, text in zip(graph.ids, graph.names, strict=True)])
    drawn_ids = set(graph.ids)
    map_data = build_map(graph, ego_positions(graph, centre, stored_positions(drawn_ids)),
                         isolated=[node for node in isolated if node in drawn_ids],
                         focus=centre, physics=False)
    _show_all_partners(map_data, centre, partners)
    rows = [_partner_row(partners, k, people, name, known_isolated) for k in positions.items]
    among = _without_centre(graph, centre)
    return EgoView(
        map=map_data,
        partner_count=len(partners),
        drawn=graph.n - 1,
        partners=ListPage([row for row in rows if row], positions.page,
                          positions.per_page, positions.total),
        ties=tie_rows(among, INLINE_ROWS),
        tie_count=among.m,
        isolated_names=sorted((name(node) or "" for node in isolated), key=str.casefold),
        what_if=what_if.view(stakeholder.name, name) if what_if else None,
        status=page_status(figures),
    )


def _stakeholders(ids: set[int]) -> dict[int, tuple[str, str]]:
    """``{id: (name, kind)}`` of the stakeholders the page names outside its drawing."""
    if not ids:
        return {}
    s = Stakeholder.__table__
    rows = db.session.execute(select(s.c.id, s.c.name, s.c.kind).where(s.c.id.in_(sorted(ids))))
    return {node: (text, getattr(kind, "value", kind)) for node, text, kind in rows}


def _partner_row(partners: PartnerTies, k: int, people, name, isolated) -> PartnerRow | None:
    node = int(partners.ids[k])
    if node not in people:
        return None  # deleted since the ties were read
    last = int(partners.last[k])
    return PartnerRow(node, name(node), people[node][1], int(partners.weight[k]),
                      date.fromordinal(last) if last > 0 else None,
                      [WARNING_ISOLATED] if node in isolated else [])


def _drawn_graph(scope: Scope, centre: int, partners: PartnerTies, cap: int) -> CompactGraph:
    """The centre, its ``cap`` strongest partners, its ties to them and the ties among
    them (read for these partners only)."""
    drawn = partners.ids[:cap]
    a, b, weight, last = load_ties_among(scope, drawn.tolist())
    return CompactGraph.from_arrays(
        load_nodes(scope, only={centre, *drawn.tolist()}),
        np.concatenate((np.full(len(drawn), centre, dtype=np.int64), a)),
        np.concatenate((drawn, b)),
        np.concatenate((partners.weight[:cap], weight)),
        np.concatenate((partners.last[:cap], last)),
    )


def _without_centre(graph: CompactGraph, centre: int) -> CompactGraph:
    """The ties among the drawn partners (the centre's own are the partner table)."""
    c = graph.ids.index(centre)
    keep = (graph.u != c) & (graph.v != c)
    return replace(graph, u=graph.u[keep], v=graph.v[keep], w=graph.w[keep],
                   last=graph.last[keep])


def _show_all_partners(map_data: MapData, centre: int, partners: PartnerTies) -> None:
    """The centre's tooltip counts all of its partners, not only the drawn ones."""
    for node in map_data.nodes:
        if node["id"] == centre:
            node["degree"] = len(partners)
            node["strength"] = int(partners.weight.sum())


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
