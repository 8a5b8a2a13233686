"""The queue worker's lean data path (L: 4.2 million ties in a few hundred MB): the CSR built
in one compiled pass, the tie rows grouped by pair, and the freed memory given back."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from coordinator.freed_memory import _glibc
from coordinator.network.analysis.compact import INDEX, CompactGraph, NodeRecord
from coordinator.network.data.scope_ties import PairRows, ScopeTies

ROOT = Path(__file__).resolve().parents[1]


def _csr_by_stable_sort(cg: CompactGraph):
    """The definition: both ends of every tie, in tie order, grouped by node."""
    src = np.empty(2 * cg.m, dtype=np.int64)
    dst = np.empty(2 * cg.m, dtype=np.int64)
    src[0::2], src[1::2] = cg.u, cg.v
    dst[0::2], dst[1::2] = cg.v, cg.u
    order = np.argsort(src, kind="stable")
    indptr = np.zeros(cg.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=cg.n), out=indptr[1:])
    return indptr, dst[order], np.repeat(cg.w, 2)[order]


@pytest.mark.parametrize("seed", range(4))
def test_csr_keeps_each_nodes_ties_in_tie_order(seed):
    G = nx.gnm_random_graph(40, 120, seed=seed)
    rng = np.random.default_rng(seed)
    for a, b in G.edges:
        G.edges[a, b]["weight"] = int(rng.integers(1, 9))
    for cg in (CompactGraph.from_nx(G),  # networkx's edge order, not sorted by ends
               CompactGraph.from_nx(nx.relabel_nodes(G, {x: 39 - x for x in G}))):
        indptr, indices, weights = cg.csr
        expected = _csr_by_stable_sort(cg)
        assert indptr.tolist() == expected[0].tolist()
        assert indices.tolist() == expected[1].tolist()
        assert weights.tolist() == expected[2].tolist()
        assert indices.dtype == INDEX and cg.u.dtype == INDEX and cg.w.dtype == INDEX


def _random_rows(rng, count: int, ids: int = 30):
    a = rng.integers(1, ids, size=count)
    b = a + rng.integers(1, 5, size=count)
    quarter = rng.integers(8090, 8100, size=count)
    rows = {}
    for q, x, y in zip(quarter.tolist(), a.tolist(), b.tolist(), strict=True):
        rows[(q, x, y)] = (int(rng.integers(1, 5)), int(rng.integers(739_000, 740_000)))
    keys = list(rows)
    rng.shuffle(keys)  # the database's order
    columns = [np.array([k[0] for k in keys], dtype=np.int32),
               np.array([k[1] for k in keys], dtype=np.int32),
               np.array([k[2] for k in keys], dtype=np.int32),
               np.array([rows[k][0] for k in keys], dtype=np.int32),
               np.array([rows[k][1] for k in keys], dtype=np.int32)]
    return rows, columns


@pytest.mark.parametrize("seed", range(4))
def test_pair_rows_fold_and_group_like_a_dictionary(seed):
    rng = np.random.default_rng(seed)
    rows, columns = _random_rows(rng, 400)
    pairs = PairRows.of(columns)
    assert columns == []  # taken over, so that each column can be freed
    totals = defaultdict(lambda: [0, 10**9, 0])
    per_pair = defaultdict(dict)
    for (q, a, b), (weight, last) in rows.items():
        total = totals[(a, b)]
        total[0] += weight
        total[1] = min(total[1], q)
        total[2] = max(total[2], last)
        per_pair[(a, b)][q] = weight
    assert list(zip(pairs.a.tolist(), pairs.b.tolist(), strict=True)) == sorted(totals)
    assert [[w, f, t] for w, f, t in zip(pairs.weight.tolist(), pairs.first_quarter.tolist(),
                                         pairs.last.tolist(), strict=True)] == \
        [totals[key] for key in sorted(totals)]
    assert np.all(np.diff(pairs.row_pair) >= 0)
    found = defaultdict(dict)
    for p, q, w in zip(pairs.row_pair.tolist(), pairs.row_quarter.tolist(),
                       pairs.row_weight.tolist(), strict=True):
        found[(int(pairs.a[p]), int(pairs.b[p]))][q] = w
    assert found == per_pair

    # A stakeholder missing from the nodes: its pairs and their rows go, the rest stay.
    gone = int(pairs.a[len(pairs.a) // 2])
    pairs.keep_known(np.array([x for x in range(1, 40) if x != gone], dtype=np.int64))
    assert gone not in pairs.a.tolist() and gone not in pairs.b.tolist()
    kept = {key: value for key, value in per_pair.items() if gone not in key}
    regrouped = defaultdict(dict)
    for p, q, w in zip(pairs.row_pair.tolist(), pairs.row_quarter.tolist(),
                       pairs.row_weight.tolist(), strict=True):
        regrouped[(int(pairs.a[p]), int(pairs.b[p]))][q] = w
    assert regrouped == kept


def test_quarter_counts_of_drawn_pairs():
    rng = np.random.default_rng(7)
    rows, columns = _random_rows(rng, 300)
    pairs = PairRows.of(columns)
    nodes = [NodeRecord(i, f"S{i}", "group") for i in range(1, 40)]
    graph = CompactGraph.from_arrays(nodes, pairs.a, pairs.b, pairs.weight, pairs.last,
                                     pairs_sorted=True)
    ties = ScopeTies(graph, pairs.row_pair, pairs.row_quarter, pairs.row_weight,
                     pairs.first_quarter, {})
    wanted = [8092, 8093, 8097]
    drawn = [*sorted({(a, b) for _q, a, b in rows})[::3], (1, 2_000)]
    counts = ties.quarter_counts(drawn, wanted)
    for a, b in drawn[:-1]:
        assert counts[(a, b)] == {q: weight for (q, x, y), (weight, _) in rows.items()
                                  if (x, y) == (a, b) and q in wanted}
    assert (1, 2_000) not in counts

    # Once the trend is done the job keeps only the drawn ties' rows: the same counts, and
    # no trend from the cut rows.
    trend_input = [(q.quarter, q.a.tolist(), q.b.tolist()) for q in ties.quarter_ties(wanted)]
    assert trend_input and sum(len(a) for _, a, _ in trend_input) > 0
    kept = drawn[:-1]
    ties.keep_rows_of(np.array([a for a, _ in kept]), np.array([b for _, b in kept]))
    assert len(ties.row_tie) < len(rows)
    assert ties.quarter_counts(kept, wanted) == {pair: counts[pair] for pair in kept}
    with pytest.raises(RuntimeError, match="trend"):
        next(ties.quarter_ties(wanted))


@pytest.mark.skipif(_glibc() is None, reason="glibc's malloc only")
def test_freed_arrays_go_back_to_the_system():
    """After the worker's setting, an array freed after a larger one is returned: by
    default glibc raises its threshold to the first (below 32 MB) and keeps the second in
    its heap (15 MB here)."""
    script = (
        "import numpy as np\n"
        "from coordinator.freed_memory import return_freed_arrays, trim_freed_memory\n"
        "def rss():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmRSS'):\n"
        "            return int(line.split()[1]) // 1024\n"
        "return_freed_arrays()\n"
        "base = rss()\n"
        "a = np.ones(3_000_000); del a\n"
        "b = np.ones(2_000_000); del b\n"
        "print(rss() - base)\n"
        "trim_freed_memory()\n"
    )
    grown = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                           text=True, check=True)
    assert int(grown.stdout) < 4


def test_pairs_left_out_by_the_graph_are_dropped_with_their_rows():
    """``load_scope_ties``: a stakeholder missing from the nodes (left between the two
    reads) drops its pairs from the graph, and ``keep_known`` keeps the rows in step."""
    rng = np.random.default_rng(3)
    _rows, columns = _random_rows(rng, 300)
    pairs = PairRows.of(columns)
    gone = int(pairs.a[0])
    nodes = [NodeRecord(i, f"S{i}", "group") for i in range(1, 40) if i != gone]
    graph = CompactGraph.from_arrays(nodes, pairs.a, pairs.b, pairs.weight, pairs.last,
                                     pairs_sorted=True)
    assert graph.m < len(pairs.a)
    pairs.keep_known(np.asarray(graph.ids, dtype=np.int64))
    ids = np.asarray(graph.ids)
    assert ids[graph.u].tolist() == pairs.a.tolist()
    assert ids[graph.v].tolist() == pairs.b.tolist()
    assert graph.w.tolist() == pairs.weight.tolist()
    assert int(pairs.row_pair.max()) == graph.m - 1


@pytest.mark.parametrize("seed", range(10))
def test_louvain_aggregation_equals_networkx_by_tables_and_by_sorting(seed):
    """Both ways of building Louvain's first aggregated graph give networkx's: the same
    neighbours, in the same order, with the same weights; also in steps of a few ties."""
    from networkx.algorithms.community.louvain import _gen_graph

    from coordinator.network.analysis import louvain

    rng = np.random.default_rng(seed)
    G = nx.gnm_random_graph(60, 300, seed=seed)
    for a, b in G.edges:
        G.edges[a, b]["weight"] = int(rng.integers(1, 9))
    cg = CompactGraph.from_nx(G)
    membership = rng.integers(0, 7, cg.n)
    membership = np.unique(membership, return_inverse=True)[1]
    count = int(membership.max()) + 1
    graph = nx.Graph()  # networkx's own input: the ties in our order
    graph.add_nodes_from(range(cg.n))
    graph.add_weighted_edges_from(zip(cg.u.tolist(), cg.v.tolist(), cg.w.tolist(),
                                      strict=True))
    partition = [set(np.flatnonzero(membership == c).tolist()) for c in range(count)]
    expected = [[(b, data["weight"]) for b, data in neighbours.items()]
                for _, neighbours in _gen_graph(graph, partition).adj.items()]

    def ordered(adj):
        return [list(neighbours.items()) for neighbours in adj]

    args = (cg.u, cg.v, cg.w, membership, count)
    assert ordered(louvain._aggregate_by_sorting(*args)) == expected
    assert ordered(louvain._aggregate_first_level(*args)) == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(louvain, "TIE_CHUNK", 7)
        assert ordered(louvain._aggregate_first_level(*args)) == expected
        chunked = louvain.internal_weights(*args)
    assert chunked.tolist() == [expected[c][[b for b, _ in expected[c]].index(c)][1]
                                if c in dict(expected[c]) else 0 for c in range(count)]


@pytest.mark.parametrize("seed", range(6))
def test_ties_of_finds_every_tie_and_nothing_else(seed):
    """The vectorised search for pairs' ties against a dictionary of the tie list, with
    pairs that are no tie and ids that are no stakeholder among them."""
    rng = np.random.default_rng(seed)
    drawn = nx.gnm_random_graph(50, 300, seed=seed)
    G = nx.Graph()  # ids are not indices; ties ascend by their ends, as the job reads them
    G.add_nodes_from(3 * node + 1 for node in sorted(drawn))
    G.add_edges_from(sorted((3 * min(e) + 1, 3 * max(e) + 1) for e in drawn.edges))
    cg = CompactGraph.from_nx(G)
    ties = ScopeTies(cg, np.zeros(0, dtype=INDEX), np.zeros(0, dtype=np.int16),
                     np.zeros(0, dtype=INDEX), np.zeros(cg.m, dtype=np.int16), {})
    index = {(cg.ids[u], cg.ids[v]): t
             for t, (u, v) in enumerate(zip(cg.u.tolist(), cg.v.tolist(), strict=True))}
    real = rng.choice(cg.m, 100, replace=False)  # ties, then random pairs
    ids = np.asarray(cg.ids)
    a = np.concatenate((ids[cg.u[real]], rng.integers(0, 160, 300)))
    b = np.concatenate((ids[cg.v[real]], rng.integers(0, 160, 300)))
    a, b = np.minimum(a, b), np.maximum(a, b)
    found = ties.ties_of(a, b)
    assert found.tolist() == [index.get((x, y), -1) for x, y in zip(a.tolist(), b.tolist(),
                                                                   strict=True)]
    assert (found >= 0).sum() >= 100
    assert ties.ties_of(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)).size == 0

