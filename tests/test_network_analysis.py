"""The pure analysis on tiny, well-known graphs with known answers (no database)."""

from __future__ import annotations

from datetime import date

import networkx as nx
import numpy as np
import pytest

from coordinator.network.analysis import metrics as analysis
from coordinator.network.analysis.betweenness import betweenness
from coordinator.network.analysis.compact import CompactGraph
from coordinator.network.analysis.metrics import (
    NetworkMetrics,
    NodeRecord,
    TieRecord,
    build_graph,
    compute_metrics,
)
from coordinator.network.analysis.trend import (
    QuarterTies,
    quarter_bounds,
    quarter_of,
    trend_quarters,
)

D, G_, I_ = "department", "group", "individual"


def graph(kinds: dict[int, str], edges, fields: dict[int, tuple] | None = None) -> nx.Graph:
    """A contract graph from ``{id: kind}`` and ``(a, b[, weight])`` ties; names "N<id>"."""
    fields = fields or {}
    nodes = [NodeRecord(i, f"N{i}", k, fields.get(i, ())) for i, k in kinds.items()]
    ties = [TieRecord(e[0], e[1], e[2] if len(e) > 2 else 1, date(2026, 1, 1)) for e in edges]
    return build_graph(nodes, ties)


def path(n: int, kind: str = G_) -> nx.Graph:
    return graph(dict.fromkeys(range(n), kind), [(i, i + 1) for i in range(n - 1)])


# --- building the graph ---------------------------------------------------------------------


def test_build_graph_keeps_attributes_and_drops_unknown_or_self_ties():
    G = build_graph(
        [NodeRecord(5, "Jobcenter", D, ("arbeit",)), NodeRecord(2, "Verein", G_)],
        [TieRecord(2, 5, 3, date(2026, 2, 1)), TieRecord(2, 9, 1, date(2026, 2, 1)),
         TieRecord(5, 5, 1, date(2026, 2, 1))],
    )
    assert list(G.nodes) == [2, 5]
    assert G.nodes[5] == {"name": "Jobcenter", "kind": D, "fields": ("arbeit",)}
    assert list(G.edges(data=True)) == [(2, 5, {"weight": 3, "last": date(2026, 2, 1)})]


def test_compact_round_trip_keeps_order_and_attributes():
    G = graph({3: D, 1: G_, 2: I_}, [(1, 3, 2), (2, 3, 1)], fields={3: ("wohnen",)})
    again = CompactGraph.from_nx(G).to_nx()
    assert list(again.nodes(data=True)) == list(G.nodes(data=True))
    assert list(again.edges(data=True)) == list(G.edges(data=True))


# --- cohesion --------------------------------------------------------------------------------


def test_density_of_path_complete_and_tiny_graphs():
    assert analysis.density(path(4)) == pytest.approx(0.5)
    assert analysis.density(nx.complete_graph(5)) == 1.0
    assert analysis.density(path(1)) == 0
    assert analysis.density(nx.Graph()) == 0


def test_department_density_counts_only_ties_among_departments():
    # Three departments: 1–2 tied directly, 3 only through a group.
    G = graph({1: D, 2: D, 3: D, 4: G_}, [(1, 2), (3, 4), (1, 4)])
    assert analysis.department_density(G) == pytest.approx(1 / 3)


def test_components_and_isolates():
    G = graph({1: G_, 2: G_, 3: G_, 4: G_, 5: I_}, [(1, 2), (3, 4)])
    assert analysis.component_count(G) == 3
    assert analysis.isolates(G) == [5]


def test_isolated_departments_may_still_work_with_civil_society():
    G = graph({1: D, 2: D, 3: D, 4: G_, 5: I_}, [(1, 2), (3, 4), (3, 5), (2, 4)])
    assert analysis.isolated_departments(G) == [3]


def test_cross_sector_and_cross_kind_shares():
    G = graph({1: D, 2: G_, 3: I_, 4: D}, [(1, 2), (2, 3), (1, 4), (3, 4)])
    assert analysis.cross_sector_share(G) == pytest.approx(2 / 4)  # 1–2 and 3–4
    assert analysis.cross_kind_share(G) == pytest.approx(3 / 4)  # also group–individual
    assert analysis.cross_sector_share(graph({1: D}, [])) is None


def test_department_matrix_lists_joint_activities_per_department_pair():
    G = graph({1: D, 2: D, 3: D, 4: G_}, [(1, 2, 5), (2, 3, 1), (1, 4, 7)])
    assert analysis.department_matrix(G) == [(1, 2, 5), (2, 3, 1)]


def test_field_coverage_flags_fields_without_cross_departmental_activity():
    G = graph({1: D, 2: D, 3: G_}, [(1, 2)],
              fields={1: ("wohnen", "arbeit"), 2: ("arbeit",), 3: ("sprache",)})
    coverage = analysis.field_coverage(G, {1: {"arbeit": 2}, 2: {"arbeit": 2}})
    assert coverage.fields == ["arbeit", "wohnen"]
    rows = {row.department: row for row in coverage.rows}
    assert rows[1].activities == [2, 0]
    assert rows[1].registered == [True, True]
    assert rows[1].flagged == ["wohnen"]
    assert rows[2].flagged == []


# --- brokers and key persons -----------------------------------------------------------------


def test_betweenness_of_a_path_and_a_star():
    result = betweenness(CompactGraph.from_nx(path(4)))
    assert result.values.tolist() == pytest.approx([0, 2 / 3, 2 / 3, 0])
    assert not result.approximate
    star = analysis.brokers(graph({0: D, 1: G_, 2: G_, 3: G_}, [(0, 1), (0, 2), (0, 3)]))
    assert star[0] == (0, 1.0)
    assert [value for _, value in star[1:]] == [0.0, 0.0, 0.0]


def test_isolates_do_not_change_the_normalisation_of_networkx():
    G = path(4)
    G.add_node(99, name="Allein", kind=I_, fields=())
    values = betweenness(CompactGraph.from_nx(G)).values
    expected = nx.betweenness_centrality(G)
    assert values.tolist() == pytest.approx([expected[n] for n in G])


@pytest.mark.parametrize("engine", ["dense", "compiled"])
def test_fast_engines_equal_networkx_on_the_karate_club(engine):
    from coordinator.network.analysis import betweenness as module

    G = nx.karate_club_graph()
    cg = CompactGraph.from_nx(G)
    active = np.flatnonzero(cg.degree > 0)
    raw = module._run(engine, cg, active, active)
    expected = nx.betweenness_centrality(G)
    assert (raw / ((34 - 1) * (34 - 2))).tolist() == pytest.approx([expected[n] for n in G])


def test_compiled_dense_and_igraph_agree_on_sampled_sources():
    """igraph's subset betweenness (each unordered pair once, hence doubled) is the library
    the compiled engine replaced: the same sums."""
    import igraph

    from coordinator.network.analysis import betweenness as module

    cg = CompactGraph.from_nx(nx.karate_club_graph())
    active = np.flatnonzero(cg.degree > 0)
    sources = np.array([0, 5, 12, 33])
    graph = igraph.Graph(n=cg.n, edges=list(zip(cg.u.tolist(), cg.v.tolist(), strict=True)))
    library = 2 * np.array(graph.betweenness(directed=False, sources=sources.tolist()))
    compiled = module._run("compiled", cg, active, sources)
    assert compiled.tolist() == pytest.approx(library.tolist())
    assert module._run("dense", cg, active, sources).tolist() == pytest.approx(library.tolist())


def test_long_thin_networks_go_to_the_compiled_engine():
    """Many BFS levels with few ties each: a compiled loop, not a numpy call per level."""
    G = nx.connected_watts_strogatz_graph(800, 4, 0.01, seed=1)
    cg = CompactGraph.from_nx(G)
    exact = betweenness(cg)  # networkx itself takes ~10 s here
    assert exact.engine == "compiled" and not exact.approximate
    expected = nx.betweenness_centrality(G)
    assert exact.values.tolist() == pytest.approx([expected[n] for n in G])
    sampled = betweenness(cg, exact_limit=0, sample_k=10, seed=7)
    assert sampled.engine == "compiled" and sampled.approximate
    expected = nx.betweenness_centrality(G, k=10, seed=7)
    assert sampled.values.tolist() == pytest.approx([expected[n] for n in G])


def test_sampled_betweenness_is_marked_and_matches_networkx_sampling():
    G = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=3)
    result = betweenness(CompactGraph.from_nx(G), exact_limit=0, sample_k=20, seed=7)
    assert result.approximate and result.sources == 20
    expected = nx.betweenness_centrality(G, k=20, seed=7)
    assert result.values.tolist() == pytest.approx([expected[n] for n in G])


def test_key_persons_count_who_is_cut_off():
    # 1–2–3 with 3 also tied to 4 and 5: without 3, 4 and 5 are cut off from {1, 2}.
    G = graph(dict.fromkeys(range(1, 6), G_), [(1, 2), (2, 3), (3, 4), (3, 5)])
    people = analysis.key_persons(G)
    assert [(k.node, k.cut_off, k.parts) for k in people] == [(3, 2, 3), (2, 1, 2)]
    assert {k.node for k in people} == set(nx.articulation_points(G))


def test_a_cycle_has_no_key_person():
    assert analysis.key_persons(nx.cycle_graph(5)) == []


def test_what_if_a_bridge_left():
    G = nx.barbell_graph(3, 1)  # two triangles joined through node 3
    info = analysis.what_if_removed(G, 3)
    assert info.parts == 2
    assert info.cut_off == [4, 5, 6]  # equal halves: the one with the first node stays
    assert info.components_before == 1 and info.components_after == 2
    assert info.ties_lost == 2 and info.activities_lost == 2
    quiet = analysis.what_if_removed(G, 0)
    assert quiet.parts == 1 and quiet.cut_off == [] and quiet.components_after == 1


def test_what_if_a_department_leaves_names_newly_isolated_departments():
    G = graph({1: D, 2: D, 3: D, 4: G_}, [(1, 2), (2, 3), (1, 4), (3, 4)])
    info = analysis.what_if_removed(G, 2)
    assert info.newly_isolated_departments == [1, 3]
    assert info.cut_off == []  # still connected through the group


def test_what_if_unknown_stakeholder():
    with pytest.raises(KeyError):
        analysis.what_if_removed(path(3), 42)


# --- silos -----------------------------------------------------------------------------------


def test_communities_of_two_cliques_and_their_modularity():
    G = nx.barbell_graph(4, 0)
    groups = analysis.communities(G)
    assert groups == [[0, 1, 2, 3], [4, 5, 6, 7]]
    expected = nx.community.modularity(G, groups)
    assert analysis.modularity(G, groups) == pytest.approx(expected)


def test_communities_equal_networkx_louvain_on_the_karate_club():
    G = nx.karate_club_graph()
    mine = analysis.communities(G, seed=42)
    theirs = nx.community.louvain_communities(G, weight="weight", seed=42)
    assert sorted(map(sorted, mine)) == sorted(map(sorted, theirs))
    assert [len(c) for c in mine] == sorted((len(c) for c in theirs), reverse=True)
    assert analysis.modularity(G, mine) == pytest.approx(
        nx.community.modularity(G, theirs, weight="weight")
    )


def test_modularity_without_ties_is_undefined():
    assert analysis.modularity(graph({1: D, 2: D}, []), [[1], [2]]) is None


# --- recommended introductions ---------------------------------------------------------------


def test_introductions_for_an_isolated_department():
    G = graph(
        {1: D, 2: D, 3: D, 4: D, 5: G_},
        [(2, 3), (3, 4), (1, 5), (2, 5)],
        fields={1: ("wohnen", "bildung"), 3: ("wohnen",), 4: ("bildung", "wohnen"),
                2: ("arbeit",)},
    )
    suggestions = analysis.recommended_introductions(G)
    mine = [s for s in suggestions if s.department == 1]
    # 4 shares two fields; 2 shares the partner 5 (degree 2: 1/ln 2 ≈ 1.44); 3 one field.
    assert [s.partner for s in mine] == [4, 2, 3]
    assert mine[0].shared_fields == ["bildung", "wohnen"]
    assert mine[1].common_partners == [5]
    assert mine[1].adamic_adar == pytest.approx(1 / np.log(2))
    assert mine[1].score == pytest.approx(
        next(iter(nx.adamic_adar_index(G, [(1, 2)])))[2]
    )


def test_introductions_skip_partners_already_tied_and_well_connected_departments():
    G = graph({1: D, 2: D, 3: D, 4: D},
              [(1, 2), (1, 3), (2, 3)], fields=dict.fromkeys(range(1, 5), ("arbeit",)))
    suggestions = analysis.recommended_introductions(G)
    assert {s.department for s in suggestions} == {4}  # 1, 2, 3 have two department ties
    assert sorted(s.partner for s in suggestions) == [1, 2, 3]
    assert len(analysis.recommended_introductions(G, per_department=2)) == 2


def test_no_introduction_without_any_reason():
    G = graph({1: D, 2: D}, [], fields={1: ("arbeit",), 2: ("wohnen",)})
    assert analysis.recommended_introductions(G) == []


# --- trend -----------------------------------------------------------------------------------


def test_quarter_helpers():
    assert quarter_of(date(2026, 1, 1)) == quarter_of(date(2026, 3, 31))
    assert quarter_of(date(2026, 4, 1)) == quarter_of(date(2026, 3, 31)) + 1
    assert quarter_bounds(quarter_of(date(2024, 11, 5))) == (date(2024, 10, 1),
                                                             date(2024, 12, 31))
    quarters = trend_quarters(date(2026, 5, 1))
    assert len(quarters) == 8 and quarters[-1] == quarter_of(date(2026, 5, 1))
    assert trend_quarters(date(2026, 5, 1), since=date(2026, 2, 2)) == [
        quarter_of(date(2026, 2, 2)), quarter_of(date(2026, 5, 1))
    ]


def test_trend_figures_per_quarter():
    cg = CompactGraph.from_nx(graph({1: D, 2: D, 3: G_}, []))
    q1, q2 = quarter_of(date(2026, 1, 1)), quarter_of(date(2026, 4, 1))
    figures = analysis.trend(cg, [
        QuarterTies(q1, np.array([1, 1]), np.array([2, 3]), 4),
        QuarterTies(q2, np.array([2]), np.array([3]), 1),
    ], since=date(2026, 2, 1))
    assert [f.label for f in figures] == ["2026-Q1", "2026-Q2"]
    assert figures[0].start == date(2026, 2, 1)
    assert (figures[0].ties, figures[0].activities, figures[0].components) == (2, 4, 1)
    assert figures[0].density == pytest.approx(2 / 3)
    assert figures[0].department_density == 1.0
    assert figures[1].isolated_departments == 2
    assert figures[1].components == 2


# --- all at once -----------------------------------------------------------------------------


def test_compute_metrics_on_the_karate_club_equals_networkx():
    G = nx.karate_club_graph()
    for node in G:
        G.nodes[node].update(name=f"Mitglied {node}", kind=G_)
    metrics = compute_metrics(G)
    assert metrics.density == nx.density(G)
    assert metrics.components == 1
    assert metrics.isolates == []
    expected = nx.betweenness_centrality(G)
    assert metrics.betweenness == pytest.approx(expected)
    top = sorted(expected.values(), reverse=True)[:10]
    assert [value for _, value in metrics.brokers] == pytest.approx(top)
    assert not metrics.betweenness_approximate
    assert {k.node for k in metrics.key_persons} == set(nx.articulation_points(G))
    louvain = nx.community.louvain_communities(G, weight="weight", seed=42)
    assert metrics.modularity == pytest.approx(nx.community.modularity(G, louvain))


def test_metrics_dict_uses_names_and_survives_the_cache_round_trip():
    G = graph({1: D, 2: D, 3: G_, 4: I_}, [(1, 3, 2), (2, 3), (3, 4)],
              fields={1: ("wohnen",), 2: ("wohnen",)})
    G.graph["activities"] = 4
    metrics = compute_metrics(G)
    named = metrics.to_dict()
    assert named["isolated_departments"] == ["N1", "N2"]
    assert named["brokers"][0] == {"name": "N3", "betweenness": 1.0}
    assert named["key_persons"][0]["name"] == "N3"
    assert named["recommended_introductions"][0]["department"] == "N1"
    assert named["recommended_introductions"][0]["partner"] == "N2"
    assert named["activities"] == 4
    again = NetworkMetrics.from_dict(metrics.to_dict(names=False))
    assert again.to_dict() == named


def test_empty_network():
    metrics = compute_metrics(nx.Graph()).to_dict()
    assert metrics["nodes"] == 0 and metrics["components"] == 0
    assert metrics["brokers"] == [] and metrics["modularity"] is None


@pytest.mark.parametrize("module", [
    "analysis.metrics", "analysis.cohesion", "analysis.centrality", "analysis.betweenness",
    "analysis.louvain", "analysis.silos", "analysis.introductions", "analysis.trend", "web.exports",
])
def test_docstring_examples_hold(module):
    import doctest
    import importlib

    imported = importlib.import_module(f"coordinator.network.{module}")
    failures, tried = doctest.testmod(imported, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_analysis_core_has_no_flask_or_database_imports():
    """The pure core stays importable and testable without the web app or a database."""
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parents[1] / "coordinator" / "network" / "analysis"
    forbidden = ("flask", "flask_babel", "sqlalchemy", "coordinator")
    for path in core.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [] if node.level else [node.module or ""]
                if node.level > 1:
                    names = ["coordinator (outside analysis)"]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"
