"""The C kernels (``analysis/_kernels.c``) against their Python references: identical results
on random graphs, bad arrays refused with an exception (never a crash), and the fallback to
the references where the extension was not built."""

from __future__ import annotations

import random
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

from coordinator.network.analysis import betweenness, compact, compiled, louvain
from coordinator.network.analysis.compact import CompactGraph

pytestmark = pytest.mark.skipif(not compiled.NATIVE, reason="C extension not built")


def random_graph(seed: int) -> CompactGraph:
    """A clustered random graph with integer weights 1–9 and a few isolates."""
    rng = random.Random(seed)
    G = nx.relaxed_caveman_graph(rng.randint(2, 8), rng.randint(3, 9), 0.3, seed=seed)
    G.add_nodes_from(range(len(G), len(G) + 3))
    for a, b in G.edges:
        G.edges[a, b]["weight"] = rng.randint(1, 9)
    return CompactGraph.from_nx(G)


def csr_pair(cg: CompactGraph, kernel):
    counts = np.bincount(cg.u, minlength=cg.n) + np.bincount(cg.v, minlength=cg.n)
    indptr = np.zeros(cg.n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = np.empty(2 * cg.m, dtype=np.int32)
    weights = np.empty(2 * cg.m, dtype=np.int32)
    kernel(cg.u, cg.v, cg.w, indptr, indices, weights)
    return indptr, indices, weights


@pytest.mark.parametrize("seed", range(12))
def test_fill_csr_equals_its_reference(seed):
    cg = random_graph(seed)
    native = csr_pair(cg, compiled.compiled(compact._fill_csr))
    reference = csr_pair(cg, compact._fill_csr)
    for ours, theirs in zip(native, reference, strict=True):
        assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("seed", range(12))
def test_move_nodes_equals_its_reference(seed):
    cg = random_graph(seed)
    indptr, indices, weights = cg.csr
    degrees = cg.strength.astype(np.int64)
    m = int(degrees.sum()) / 2
    order = np.array(random.Random(seed).sample(range(cg.n), cg.n), dtype=np.int64)
    results = []
    for kernel in (compiled.compiled(louvain._move_nodes), louvain._move_nodes):
        node2com = np.arange(cg.n, dtype=np.int64)
        kernel(indptr, indices, weights, degrees, m, 2 * m**2, order, node2com)
        results.append(node2com.tolist())
    assert results[0] == results[1]
    assert len(set(results[0])) < cg.n  # the level merged something: the test has teeth


@pytest.mark.parametrize("seed", range(12))
def test_brandes_equals_its_reference_and_networkx(seed):
    cg = random_graph(seed)
    indptr, indices, _ = cg.csr
    sources = np.arange(cg.n, dtype=np.int64)
    native = compiled.compiled(betweenness._brandes)(indptr, indices, sources, cg.n)
    reference = betweenness._brandes(indptr, indices, sources, cg.n)
    assert native.tolist() == reference.tolist()  # same operations in the same order
    G = nx.Graph()
    G.add_nodes_from(range(cg.n))
    G.add_edges_from(zip(cg.u.tolist(), cg.v.tolist(), strict=True))
    expected = nx.betweenness_centrality(G, normalized=False)
    # networkx halves the sums of an undirected graph; ours count each pair from both ends.
    assert (native / 2).tolist() == pytest.approx([expected[i] for i in range(cg.n)])


def test_brandes_on_a_path_counts_each_pair_from_both_ends():
    cg = CompactGraph.from_nx(nx.path_graph(4))
    indptr, indices, _ = cg.csr
    raw = compiled.compiled(betweenness._brandes)(indptr, indices, np.arange(4), 4)
    assert raw.tolist() == [0.0, 4.0, 4.0, 0.0]


def test_bad_arrays_raise_instead_of_crashing():
    cg = random_graph(1)
    indptr, indices, weights = cg.csr
    brandes = compiled.compiled(betweenness._brandes)
    with pytest.raises(ValueError, match="sources"):
        brandes(indptr, indices, np.array([cg.n + 5]), cg.n)
    broken = indices.copy()
    broken[0] = cg.n
    with pytest.raises(ValueError, match="indices"):
        brandes(indptr, broken, np.array([0]), cg.n)
    with pytest.raises(ValueError, match="indptr"):
        brandes(indptr[::-1].copy(), indices, np.array([0]), cg.n)
    with pytest.raises(TypeError, match="integer"):
        brandes(indptr, indices.astype(float), np.array([0]), cg.n)
    node2com = np.arange(cg.n, dtype=np.int32)  # written in place: a copy would lose it
    with pytest.raises(TypeError, match="int64"):
        compiled.compiled(louvain._move_nodes)(indptr, indices, weights, cg.strength, 1.0, 2.0,
                                               np.arange(cg.n), node2com)
    short = np.empty(2 * cg.m - 1, dtype=np.int32)
    with pytest.raises(ValueError, match="unequal"):
        compiled.compiled(compact._fill_csr)(cg.u, cg.v, cg.w, indptr, short, weights.copy())


def test_without_the_extension_the_references_run_and_agree():
    """A process where ``_kernels`` cannot be imported (an install without a C compiler)
    computes the same figures with the Python references."""
    script = (
        "import sys; sys.modules['coordinator.network.analysis._kernels'] = None\n"
        "import networkx as nx\n"
        "from coordinator.network.analysis import compiled\n"
        "import numpy as np\n"
        "from coordinator.network.analysis.betweenness import _run\n"
        "from coordinator.network.analysis.compact import CompactGraph\n"
        "from coordinator.network.analysis.louvain import louvain_communities\n"
        "cg = CompactGraph.from_nx(nx.relaxed_caveman_graph(6, 7, 0.3, seed=3))\n"
        "print(compiled.NATIVE)\n"
        "print(sorted(sorted(c) for c in louvain_communities(cg)))\n"
        "everyone = np.arange(cg.n)\n"
        "print(_run('compiled', cg, everyone, everyone).tolist())\n"
        "islands = CompactGraph.from_nx(nx.disjoint_union(nx.path_graph(3), nx.empty_graph(2)))\n"
        "print(islands.component_labels.tolist(), cg.strength.tolist())\n"
    )
    fallback = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True).stdout.splitlines()
    cg = CompactGraph.from_nx(nx.relaxed_caveman_graph(6, 7, 0.3, seed=3))
    assert fallback[0] == "False"
    assert fallback[1] == str(sorted(sorted(c) for c in louvain.louvain_communities(cg)))
    everyone = np.arange(cg.n)
    assert fallback[2] == str(betweenness._run("compiled", cg, everyone, everyone).tolist())
    assert fallback[3] == f"[0, 0, 0, 1, 2] {cg.strength.tolist()}"  # scipy's labels


@pytest.mark.parametrize("seed", range(8))
def test_component_labels_equal_the_reference_and_scipy(seed):
    rng = random.Random(seed)
    G = nx.disjoint_union_all([nx.gnm_random_graph(rng.randint(1, 30), rng.randint(0, 40),
                                                   seed=seed + k) for k in range(6)])
    cg = CompactGraph.from_nx(G)
    indptr, indices, _ = cg.csr
    reference = np.empty(cg.n, dtype=np.int64)
    count = compact._bfs_labels(indptr, indices, reference)
    assert cg.component_labels.tolist() == reference.tolist()
    assert count == nx.number_connected_components(G)
    expected = np.empty(cg.n, dtype=np.int64)  # networkx's sets, numbered by first node
    for number, members in enumerate(sorted(nx.connected_components(G), key=min)):
        expected[sorted(members)] = number
    assert reference.tolist() == expected.tolist()


@pytest.mark.parametrize("seed", range(8))
def test_layout_pull_equals_its_reference_to_the_last_bit(seed):
    from coordinator.network.analysis import layout

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 300)), int(rng.integers(0, 3000))
    pos = rng.uniform(-2000, 2000, size=(n, 2))
    pos[0] = pos[-1]  # two nodes on the same spot: the least distance applies
    src = rng.integers(0, n, m).astype(np.int32)
    dst = rng.integers(0, n, m).astype(np.int32)
    strength = rng.uniform(0.05, 3.0, m)
    step = int(rng.integers(1, 700))  # several steps, a short last one
    start = rng.uniform(-5, 5, size=(n, 2))
    reference, native = start.copy(), start.copy()
    layout._pull_into(pos, src, dst, strength, 110.0, step, reference)
    compiled.compiled(layout._pull_into)(pos, src, dst, strength, 110.0, step, native)
    assert np.array_equal(reference, native)


def test_layout_pull_refuses_bad_arrays():
    from coordinator.network.analysis import layout

    pull = compiled.compiled(layout._pull_into)
    pos, disp = np.zeros((3, 2)), np.zeros((3, 2))
    ends, strength = np.array([0, 1], dtype=np.int32), np.ones(2)
    with pytest.raises(ValueError, match="src"):
        pull(pos, np.array([0, 3], dtype=np.int32), ends, strength, 110.0, 8, disp)
    with pytest.raises(ValueError, match="unequal"):
        pull(pos, ends, ends, np.ones(3), 110.0, 8, disp)
    with pytest.raises(TypeError, match="float64"):
        pull(pos, ends, ends, strength, 110.0, 8, np.zeros((3, 2), dtype=np.float32))
    with pytest.raises(TypeError, match="integer"):
        pull(pos, ends.astype(float), ends, strength, 110.0, 8, disp)
