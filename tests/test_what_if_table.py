"""The stored what-if figures (one depth-first search for all stakeholders) give the same
answer as the reference :func:`what_if_removed`, for every stakeholder of random networks."""

from __future__ import annotations

import itertools
import json
import random
from datetime import date

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinator.network.analysis.centrality import what_if_removed
from coordinator.network.analysis.cohesion import isolated_departments
from coordinator.network.analysis.compact import CompactGraph, NodeRecord, TieRecord, as_compact
from coordinator.network.analysis.what_if import (
    WhatIfSummary,
    WhatIfTable,
    what_if_from_table,
    what_if_table,
)

KINDS = ("department", "group", "individual")


def compact(kinds: dict[int, str], edges) -> CompactGraph:
    nodes = [NodeRecord(i, f"S{i}", kind) for i, kind in kinds.items()]
    ties = [TieRecord(min(a, b), max(a, b), w, date(2026, 1, 1)) for a, b, w in edges]
    return CompactGraph.from_records(nodes, ties)


def assert_same_as_reference(cg: CompactGraph, max_names: int) -> None:
    """Every node: the table (stored as JSON and read back) and the node's own ties give
    what the reference computes on the whole graph."""
    table = WhatIfTable.from_dict(json.loads(json.dumps(what_if_table(cg, max_names).to_dict())))
    for i, node in enumerate(cg.ids):
        indptr, indices, weights = cg.csr
        ties = {cg.ids[j]: w for j, w in zip(indices[indptr[i]:indptr[i + 1]].tolist(),
                                             weights[indptr[i]:indptr[i + 1]].tolist(),
                                             strict=True)}
        expected = WhatIfSummary.of(what_if_removed(cg, node), max_names)
        assert what_if_from_table(table, node, ties) == expected, node
    assert what_if_from_table(table, -1, {}) is None
    assert table.isolated_departments() == set(isolated_departments(cg))  # the ego view's


@st.composite
def networks(draw, max_nodes: int = 30):
    n = draw(st.integers(0, max_nodes))
    kinds = {i: draw(st.sampled_from(KINDS)) for i in range(1, n + 1)}
    pairs = [(a, b) for a in kinds for b in kinds if a < b]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3 * n)
                  if pairs else st.just([]))
    edges = [(a, b, draw(st.integers(1, 5))) for a, b in chosen]
    return kinds, edges


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.integers(0, 6))
def test_stored_what_if_equals_the_reference_on_random_networks(network, max_names):
    kinds, edges = network
    assert_same_as_reference(compact(kinds, edges), max_names)


def _tree(rng: random.Random, nodes: list[int]) -> list[tuple[int, int, int]]:
    return [(nodes[k], rng.choice(nodes[:k]), rng.randint(1, 3)) for k in range(1, len(nodes))]


@pytest.mark.parametrize("seed", range(12))
def test_stored_what_if_on_seeded_shapes(seed):
    """Isolated stakeholders, pairs, stars, paths, trees and sparse random parts side by side
    in one network, with departments among them; ids shuffled against the shapes."""
    rng = random.Random(seed)
    ids = list(range(1, 201))
    rng.shuffle(ids)
    take = iter(ids)
    edges = []
    isolated = [next(take) for _ in range(3)]  # stakeholders without ties
    for _ in range(3):  # two-node components
        edges.append((next(take), next(take), rng.randint(1, 4)))
    hub = next(take)
    edges += [(hub, next(take), rng.randint(1, 4)) for _ in range(rng.randint(3, 25))]  # star
    chain = [next(take) for _ in range(rng.randint(3, 30))]
    edges += [(a, b, 1) for a, b in itertools.pairwise(chain)]  # path
    edges += _tree(rng, [next(take) for _ in range(rng.randint(5, 40))])  # tree
    blob = [next(take) for _ in range(rng.randint(5, 40))]  # a tree with a few shortcuts
    edges += _tree(rng, blob)
    edges += [(a, b, 2) for a, b in (rng.sample(blob, 2) for _ in range(rng.randint(0, 8)))]
    edges.append((hub, chain[-1], 1))  # joins the star and the path through an end
    used = {x for a, b, _w in edges for x in (a, b)} | set(isolated)
    kinds = {node: rng.choice(KINDS) for node in used}
    seen, unique = set(), []
    for a, b, w in edges:
        if a != b and frozenset((a, b)) not in seen:
            seen.add(frozenset((a, b)))
            unique.append((a, b, w))
    for max_names in (0, 3, 30):
        assert_same_as_reference(compact(kinds, unique), max_names)


def test_equal_pieces_keep_the_one_with_the_first_node():
    """Two triangles joined through one node: the half with node 0 stays (as in the
    reference), the other is cut off."""
    cg = as_compact(nx.barbell_graph(3, 1))
    table = what_if_table(cg)
    assert table.key_persons[3] == (2, 3, [4, 5, 6])
    assert table.key_persons[2] == (2, 2, [0, 1])
    path = as_compact(nx.path_graph(5))
    assert what_if_table(path).key_persons[2] == (2, 2, [3, 4])  # equal halves: 0, 1 stay


def test_a_long_path_is_answered_quickly():
    import time

    cg = as_compact(nx.path_graph(5_000))
    started = time.perf_counter()
    table = what_if_table(cg)
    assert time.perf_counter() - started < 5
    assert len(table.key_persons) == 4_998
    assert table.key_persons[1] == (2, 1, [0])
    assert table.key_persons[2_500] == (2, 2_499, list(range(2_501, 2_531)))
