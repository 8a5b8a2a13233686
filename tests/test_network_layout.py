"""Map layout and map data, without a database: stable positions, incremental placement,
edge capping, and what the browser receives."""

from __future__ import annotations

import json
import math
from datetime import date

import networkx as nx
import numpy as np
import pytest

from coordinator.network.analysis import layout
from coordinator.network.analysis.compact import CompactGraph, NodeRecord, TieRecord, as_compact
from coordinator.network.analysis.layout import (
    IDEAL_DISTANCE,
    extend_layout,
    full_layout,
    subgraph,
)
from coordinator.network.analysis.tie_ranking import strongest_edges
from coordinator.network.web.map_data import (
    ISOLATED_GROUP,
    KIND_SHAPES,
    PHYSICS_NODE_LIMIT,
    build_map,
    edge_width,
)
from coordinator.network.web.tables import ListPage, node_rows, tie_rows
from coordinator.pagination import page_number


def _graph(n: int = 30, seed: int = 3) -> nx.Graph:
    graph = nx.connected_watts_strogatz_graph(n, 4, 0.2, seed=seed)
    kinds = ("department", "group", "individual")
    for node in graph:
        graph.nodes[node].update(name=f"Akteur {node}", kind=kinds[node % 3], fields=())
    for a, b in graph.edges:
        graph[a][b].update(weight=1 + (a + b) % 5, last=date(2026, 1, 1 + (a * b) % 28))
    return graph


def test_full_layout_is_deterministic_and_spread_out():
    graph = _graph()
    graph.add_node(99, name="allein", kind="group")
    first, second = full_layout(graph), full_layout(graph)
    assert first == second
    assert set(first) == set(graph)
    points = list(first.values())
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1:])
    assert closest > IDEAL_DISTANCE / 10


def test_extend_layout_never_moves_known_nodes_and_places_newcomers_near_partners():
    graph = _graph()
    known = full_layout(graph)
    graph.add_node(100, name="neu", kind="group")
    graph.add_edge(100, 0, weight=1)
    graph.add_edge(100, 1, weight=1)
    graph.add_node(101, name="ganz allein", kind="individual")
    graph.add_edge(102, 103, weight=2)  # a new pair without ties to the rest

    added = extend_layout(graph, known)

    assert set(added) == {100, 101, 102, 103}
    partners = (known[0], known[1])
    centre = ((partners[0][0] + partners[1][0]) / 2, (partners[0][1] + partners[1][1]) / 2)
    spread = max(math.dist(known[0], known[1]), IDEAL_DISTANCE) * 2
    assert math.dist(added[100], centre) < spread
    lowest_known = max(y for _x, y in known.values())
    assert all(added[n][1] > lowest_known for n in (101, 102, 103))  # set down below the map
    assert extend_layout(graph, {**known, **added}) == {}


def test_extend_layout_without_known_positions_is_a_full_layout():
    graph = _graph(12)
    assert extend_layout(graph, {}) == full_layout(graph)


def test_large_components_use_our_sampled_repulsion(monkeypatch):
    monkeypatch.setattr(layout, "IGRAPH_LAYOUT_LIMIT", 50)
    monkeypatch.setattr(layout, "EXACT_REPULSION_LIMIT", 50)
    monkeypatch.setattr(layout, "REPULSION_SAMPLE", 20)
    monkeypatch.setattr(layout, "_igraph_layout", None)  # must not be used
    graph = _graph(120)
    positions = full_layout(graph)
    assert positions == full_layout(graph)
    assert len({(round(x), round(y)) for x, y in positions.values()}) == 120


def test_newcomers_in_large_components_feel_sampled_repulsion(monkeypatch):
    monkeypatch.setattr(layout, "EXACT_REPULSION_LIMIT", 50)
    monkeypatch.setattr(layout, "REPULSION_SAMPLE", 20)
    graph = _graph(120)
    known = full_layout(graph)
    for newcomer in range(200, 205):
        graph.add_node(newcomer, name=f"neu {newcomer}", kind="group")
        graph.add_edge(newcomer, newcomer - 200, weight=1)
    added = extend_layout(graph, known)
    assert added == extend_layout(graph, known)
    positions = {**known, **added}
    assert len({(round(x), round(y)) for x, y in positions.values()}) == 125


def test_igraph_lays_out_a_component_reproducibly_with_neighbours_apart():
    graph = _graph(300, seed=5)
    first = full_layout(graph)
    assert first == full_layout(graph)
    ties = sorted(math.dist(first[a], first[b]) for a, b in graph.edges)
    assert IDEAL_DISTANCE / 2 < ties[len(ties) // 2] < IDEAL_DISTANCE * 4
    points = list(first.values())
    nearest = sorted(min(math.dist(p, q) for q in points if q is not p) for p in points)
    assert nearest[len(nearest) // 2] > IDEAL_DISTANCE / 4


def test_build_map_shapes_sizes_and_isolated_marks():
    graph = _graph(9)
    graph.add_node(50, name="Ordnungsamt", kind="department")
    positions = full_layout(graph)
    data = build_map(graph, positions, isolated=[50])
    nodes = {n["id"]: n for n in data.nodes}

    for node, attrs in graph.nodes(data=True):
        assert nodes[node]["shape"] == KIND_SHAPES[attrs["kind"]]
        assert (nodes[node]["x"], nodes[node]["y"]) == tuple(round(c) for c in positions[node])
    assert nodes[50]["group"] == ISOLATED_GROUP
    assert nodes[50]["isolated"] is True and nodes[50]["label"].startswith("⚠")
    assert nodes[50]["name"] == "Ordnungsamt"
    assert nodes[0]["group"] == "department" and "isolated" not in nodes[0]
    assert data.physics is True and data.options["physics"]["enabled"] is True
    assert ISOLATED_GROUP in data.options["groups"]
    assert "configure" not in data.options
    widths = {(e["from"], e["to"]): e["width"] for e in data.edges}
    assert len(widths) == graph.number_of_edges()
    assert all(e["last"] for e in data.edges)


def test_large_maps_have_physics_off():
    graph = nx.empty_graph(PHYSICS_NODE_LIMIT + 1)
    for node in graph:
        graph.nodes[node].update(name=str(node), kind="group")
    data = build_map(graph, dict.fromkeys(graph, (0.0, 0.0)))
    assert data.physics is False
    assert data.options["physics"] == {"enabled": False}


def test_hostile_names_stay_json_strings():
    graph = nx.Graph()
    hostile = '<img src=x onerror=alert(1)></script><script>alert(2)</script>'
    graph.add_node(1, name=hostile, kind="group")
    payload = build_map(graph, {1: (0.0, 0.0)}).payload()
    assert json.loads(json.dumps(payload))["nodes"][0]["label"] == hostile
    assert "title" not in payload["nodes"][0]  # tooltips are built as DOM text in the browser


def test_edge_width_grows_with_weight_and_is_capped():
    assert edge_width(1) == 1
    assert edge_width(1) < edge_width(4) < edge_width(64) <= edge_width(10_000) == 9


def test_strongest_edges_keep_each_nodes_best_tie():
    graph = nx.Graph()
    graph.add_edge(1, 2, weight=50, last=date(2026, 1, 1))
    graph.add_edge(2, 3, weight=40, last=date(2026, 1, 1))
    graph.add_edge(3, 1, weight=30, last=date(2026, 1, 1))
    graph.add_edge(4, 5, weight=1, last=date(2026, 1, 1))  # weak, but the only tie of 4 and 5
    cg = as_compact(graph)

    def pairs(indices):
        return {(cg.ids[cg.u[t]], cg.ids[cg.v[t]]) for t in indices}

    chosen = pairs(strongest_edges(cg, 2))
    assert (4, 5) in chosen
    assert (1, 2) in chosen
    assert len(chosen) <= 3
    assert len(strongest_edges(cg, 10)) == 4


def _strongest_edges_by_ranking_every_tie(cg, limit):
    """The definition, as it was computed before: rank all ties (weight, last contact,
    tie order), every node's best-ranked tie, then the best of the rest."""
    if cg.m <= limit:
        return np.arange(cg.m)
    strength = cg.w.astype(np.int64) * 1_000_000 + np.maximum(cg.last, 0)
    by_rank = np.lexsort((np.arange(cg.m), -strength))
    rank = np.empty(cg.m, dtype=np.int64)
    rank[by_rank] = np.arange(cg.m)
    best = np.full(cg.n, cg.m, dtype=np.int64)
    np.minimum.at(best, cg.u, rank)
    np.minimum.at(best, cg.v, rank)
    keep = np.zeros(cg.m, dtype=bool)
    keep[best[best < cg.m]] = True
    room = max(limit - int(keep.sum()), 0)
    keep[np.flatnonzero(~keep)[:room]] = True
    return np.sort(by_rank[keep])


@pytest.mark.parametrize("seed", range(6))
def test_strongest_edges_equal_a_ranking_of_every_tie(seed):
    rng = np.random.default_rng(seed)
    n = 60
    nodes = [NodeRecord(i, f"S{i}", "group") for i in range(n)]
    pairs = {(int(a), int(b)) for a, b in rng.integers(0, n, size=(400, 2)) if a < b}
    ties = [TieRecord(a, b, int(rng.integers(1, 4)), date(2026, 1, 1 + int(rng.integers(0, 2))))
            for a, b in sorted(pairs)]
    cg = CompactGraph.from_records(nodes, ties)
    for limit in (5, 40, 120, cg.m):
        assert strongest_edges(cg, limit).tolist() == \
            _strongest_edges_by_ranking_every_tie(cg, limit).tolist()


def test_component_labels_and_subgraphs():
    graph = nx.Graph([(1, 2), (2, 3), (10, 11)])
    graph.add_node(20)
    for node in graph:
        graph.nodes[node].update(name=f"A{node}", kind="group")
    cg = as_compact(graph)
    labels = cg.component_labels.tolist()
    by_id = dict(zip(cg.ids, labels, strict=True))
    assert by_id[1] == by_id[2] == by_id[3]
    assert by_id[10] == by_id[11] != by_id[1]
    assert len(set(labels)) == 3
    index = cg.index_of()
    part = subgraph(cg, [index[3], index[2], index[11]])
    assert part.ids == [2, 3, 11]
    assert [(part.ids[a], part.ids[b]) for a, b in zip(part.u, part.v, strict=True)] == [(2, 3)]


def test_table_rows_and_pages():
    graph = _graph(10)
    graph.add_node(77, name="Ordnungsamt", kind="department")
    rows = node_rows(graph, isolated=[77])
    assert rows[-1].id == 77 and rows[-1].warnings
    assert [r.degree for r in rows] == sorted((r.degree for r in rows), reverse=True)
    ties = tie_rows(graph)
    assert len(ties) == graph.number_of_edges()
    assert [t.weight for t in ties] == sorted((t.weight for t in ties), reverse=True)

    page = ListPage(list(range(120)), 3, per_page=50)
    assert (page.page, page.pages, page.items, page.has_next) == (3, 3, list(range(100, 120)),
                                                                  False)
    assert list(ListPage(list(range(1000)), 10, per_page=10).iter_pages()) == [
        1, 2, None, 8, 9, 10, 11, 12, 13, 14, None, 99, 100
    ]
    assert ListPage([], 5).page == 1


@pytest.mark.parametrize(("raw", "expected"), [(None, 1), ("3", 3), ("0", 1), ("x", 1)])
def test_page_number(raw, expected):
    assert page_number(raw) == expected


def test_component_labels_are_the_same_with_and_without_the_adjacency_arrays():
    """Component labels with and without the CSR built first number components 0..c-1 in
    order of first node."""
    graph = nx.disjoint_union_all([nx.path_graph(3), nx.empty_graph(2), nx.cycle_graph(4)])
    graph.add_edge(9, 0)
    plain, with_csr = as_compact(graph), as_compact(graph)
    with_csr.csr  # noqa: B018  (built first, as the metrics do)
    expected = [0, 0, 0, 1, 2, 3, 3, 3, 3, 0]
    assert plain.component_labels.tolist() == expected
    assert with_csr.component_labels.tolist() == expected


def test_strength_is_the_same_with_and_without_the_adjacency_arrays():
    graph = nx.Graph()
    graph.add_nodes_from(range(5))
    graph.add_weighted_edges_from([(0, 1, 3), (1, 2, 4), (0, 2, 1)])
    plain, with_csr = as_compact(graph), as_compact(graph)
    with_csr.csr  # noqa: B018
    assert plain.strength.tolist() == with_csr.strength.tolist() == [4, 7, 5, 0, 0]
    assert plain.strength.dtype == with_csr.strength.dtype == "int64"
    assert as_compact(nx.Graph()).strength.tolist() == []
