"""The collaboration graph as arrays, so that metrics scale to 20,000 stakeholders and
millions of ties (a networkx graph of that size needs gigabytes and minutes).

Nodes are numbered 0..n-1 in graph order; ties are kept in the order networkx's
``G.edges()`` would yield them, which is what order-dependent algorithms (Louvain) rely on to
give the same answer as networkx. Pure: numpy, networkx and the standard library (scipy
where the C extension is missing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import NamedTuple

import networkx as nx
import numpy as np

from .compiled import NATIVE, compiled

KIND_CODES = {"department": 0, "group": 1, "individual": 2}
DEPARTMENT_CODE = 0
NO_DATE = -1
# The dtype of node indices, weights and day numbers in the tie arrays: a municipality has
# far fewer than 2**31 stakeholders, joint activities per pair or days, and half the bytes
# of int64 are what lets the queue worker hold the 4.2 million ties of L in 500 MB.
# Products and sums over these arrays cast to int64 first (see ``tie_ranking.py``).
INDEX = np.int32


class NodeRecord(NamedTuple):
    """A stakeholder as the analysis sees it."""

    id: int
    name: str
    kind: str
    fields: tuple[str, ...] = ()


class TieRecord(NamedTuple):
    """Two stakeholders (``a < b``) who took part in ``weight`` joint activities, the last
    one on ``last``."""

    a: int
    b: int
    weight: int
    last: date | None = None


@dataclass(eq=False)
class CompactGraph:
    """Nodes (``ids``, ``names``, ``kinds``, ``fields``) and ties (``u``, ``v`` as node
    indices, ``w`` weights, ``last`` date ordinals or -1) plus the graph attributes."""

    ids: list[int]
    names: list[str]
    kinds: list[str]
    fields: list[tuple[str, ...]]
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    last: np.ndarray
    attrs: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # One dtype for the tie arrays however the graph was made (no copy when it is).
        self.u, self.v, self.w, self.last = (
            np.asarray(x, dtype=INDEX) for x in (self.u, self.v, self.w, self.last))

    # --- construction ------------------------------------------------------------------

    @classmethod
    def from_records(
        cls, nodes: Iterable[NodeRecord], ties: Iterable[TieRecord], **attrs
    ) -> CompactGraph:
        """Nodes sorted by id; ties between known nodes, sorted by endpoint (the order of
        ``G.edges()`` for a graph built in that order). Self-ties are dropped."""
        nodes = sorted(nodes, key=lambda n: n.id)
        index = {n.id: i for i, n in enumerate(nodes)}
        pairs = []
        for t in ties:
            a, b = index.get(t.a), index.get(t.b)
            if a is None or b is None or a == b:
                continue
            if a > b:
                a, b = b, a
            pairs.append((a, b, int(t.weight), t.last.toordinal() if t.last else NO_DATE))
        pairs.sort()
        arrays = np.array(pairs, dtype=np.int64).reshape(-1, 4)
        return cls(
            ids=[n.id for n in nodes],
            names=[n.name for n in nodes],
            kinds=[n.kind for n in nodes],
            fields=[tuple(n.fields) for n in nodes],
            u=arrays[:, 0].copy(), v=arrays[:, 1].copy(), w=arrays[:, 2].copy(),
            last=arrays[:, 3].copy(),
            attrs=dict(attrs),
        )

    @classmethod
    def from_arrays(
        cls, nodes: list[NodeRecord], a_ids: np.ndarray, b_ids: np.ndarray,
        weights: np.ndarray, last: np.ndarray, *, pairs_sorted: bool = False, **attrs,
    ) -> CompactGraph:
        """Like :meth:`from_records` for ties already in arrays (ids, not indices).
        ``pairs_sorted``: the caller's ties have ``a_ids < b_ids`` and ascend by
        ``(a, b)`` (a folded tie-store read), so they are in tie order already: no sort,
        and no copies when every end is known (4.2 million ties at L)."""
        nodes = sorted(nodes, key=lambda n: n.id)
        ids = np.array([n.id for n in nodes], dtype=np.int64)
        if not len(ids):
            a_idx = b_idx = np.zeros(0, dtype=INDEX)
            known = np.zeros(len(a_ids), dtype=bool)
        else:
            a_idx = index_in(ids, a_ids)
            b_idx = index_in(ids, b_ids)
            known = (ids[a_idx] == a_ids) & (ids[b_idx] == b_ids) & (a_idx != b_idx)
        everything = bool(known.all())
        weights, last = np.asarray(weights), np.asarray(last)
        if pairs_sorted and everything:
            u, v, w, t = a_idx, b_idx, weights, last
        else:
            lo = np.minimum(a_idx, b_idx)[known]
            hi = np.maximum(a_idx, b_idx)[known]
            order = np.lexsort((hi, lo))
            u, v, w, t = lo[order], hi[order], weights[known][order], last[known][order]
        return cls(
            ids=ids.tolist(),
            names=[n.name for n in nodes],
            kinds=[n.kind for n in nodes],
            fields=[tuple(n.fields) for n in nodes],
            u=u, v=v, w=w, last=t,
            attrs=dict(attrs),
        )

    @classmethod
    def from_nx(cls, G: nx.Graph) -> CompactGraph:
        """Arrays for a networkx graph, keeping node order and ``G.edges()`` order."""
        ids = list(G.nodes)
        index = {node: i for i, node in enumerate(ids)}
        edges = [(index[a], index[b], d) for a, b, d in G.edges(data=True) if a != b]
        last = [d.get("last") for _, _, d in edges]
        return cls(
            ids=ids,
            names=[str(G.nodes[x].get("name", x)) for x in ids],
            kinds=[G.nodes[x].get("kind", "") for x in ids],
            fields=[tuple(G.nodes[x].get("fields", ())) for x in ids],
            u=np.array([e[0] for e in edges], dtype=np.int64),
            v=np.array([e[1] for e in edges], dtype=np.int64),
            w=np.array([e[2].get("weight", 1) for e in edges], dtype=np.int64),
            last=np.array([x.toordinal() if x else NO_DATE for x in last], dtype=np.int64),
            attrs=dict(G.graph),
        )

    def to_nx(self) -> nx.Graph:
        """The networkx graph of the contract (node key = stakeholder id)."""
        G = nx.Graph(**self.attrs)
        G.add_nodes_from(
            (i, {"name": n, "kind": k, "fields": f})
            for i, n, k, f in zip(self.ids, self.names, self.kinds, self.fields, strict=True)
        )
        ids = self.ids
        G.add_edges_from(
            (ids[a], ids[b], {"weight": w, "last": date.fromordinal(t) if t > 0 else None})
            for a, b, w, t in zip(
                self.u.tolist(), self.v.tolist(), self.w.tolist(), self.last.tolist(),
                strict=True,
            )
        )
        return G

    # --- derived arrays ----------------------------------------------------------------

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.u)

    @cached_property
    def kind_codes(self) -> np.ndarray:
        return np.array([KIND_CODES.get(k, 3) for k in self.kinds], dtype=np.int8)

    @cached_property
    def is_department(self) -> np.ndarray:
        return self.kind_codes == DEPARTMENT_CODE

    @cached_property
    def degree(self) -> np.ndarray:
        """Number of partners: the CSR's row lengths when it is built, else counted over
        both ends of the ties (one end at a time: no joined copy of 2 × the ties)."""
        if "csr" in self.__dict__:
            return np.diff(self.csr[0])
        return (np.bincount(self.u, minlength=self.n)
                + np.bincount(self.v, minlength=self.n)).astype(np.int64)

    @cached_property
    def strength(self) -> np.ndarray:
        """Weighted degree: the sum of each node's tie weights (joint activities).

        Sums over the rows of the :attr:`csr` when it is built (``np.add.reduceat``, in the
        weights' own int32 while the total fits, so nothing is converted), else over both
        ends of the ties. At L the CSR's sums take 2.3 ms and
        0.4 MB, where scipy's on the CSR took 93 ms and 129 MB of copies (4.2 M ties,
        1 Dec 2026). Before: our ``np.bincount`` over both ends took 0.32/12.3/590 ms at
        S/M/L, scipy on the ties 0.88/10.7/183 ms and on the CSR 0.34/0.54/30 ms
        (benchmarks/algorithms.py, 30 Nov 2026, one thread, shared 2-core machine).
        """
        if "csr" in self.__dict__:
            indptr, _, weights = self.csr
            sums = np.zeros(self.n, dtype=np.int64)
            rows = np.flatnonzero(indptr[:-1] < indptr[1:])  # reduceat repeats empty rows
            if len(rows):
                narrow = int(weights.sum(dtype=np.int64)) < 2**31
                sums[rows] = np.add.reduceat(weights, indptr[rows],
                                             dtype=weights.dtype if narrow else np.int64)
            return sums
        # Without a CSR (a page's small graph): both ends counted; integer weights add up
        # exactly in float64.
        sums = (np.bincount(self.u, weights=self.w, minlength=self.n)
                + np.bincount(self.v, weights=self.w, minlength=self.n))
        return sums.astype(np.int64)

    @cached_property
    def component_labels(self) -> np.ndarray:
        """Component number (0..c-1, in order of first node) for every node index.

        A breadth-first search from each node not yet labelled, in node order, over the
        :attr:`csr` (:func:`_bfs_labels`, in C: :mod:`.compiled`); scipy's
        ``connected_components``, renumbered in order of first node, where the C extension
        is missing. The search needs no copy of the adjacency: scipy wanted float entries
        for it (67 MB at L, the metrics' largest allocation after Louvain's) and labels in
        its own order. Ours in C vs scipy on the CSR vs scipy on the ties vs igraph vs
        rustworkx vs networkx (benchmarks/algorithms.py, 1 Dec 2026, one thread, load
        0.5–0.8): 0.20 / 0.80 / 1.3 / 0.60 / 0.97 / 1.9 ms at S, 1.4 / 5.1 / 7.7 / 4.7 / 39 /
        61 ms at M, 20 / 166 / 108 / 81 / 841 / 1,634 ms at L (igraph and rustworkx without
        building their graphs: 2.2 s and 2.9 s at L). Before, scipy replaced our hooking and
        pointer jumping over the tie arrays (4.1 / 70 / 2,030 ms at S/M/L).
        """
        if not self.n:
            return np.zeros(0, dtype=np.int64)
        if NATIVE:
            indptr, indices, _ = self.csr
            labels = np.empty(self.n, dtype=np.int64)
            compiled(_bfs_labels)(indptr, indices, labels)
            return labels
        from scipy import sparse  # only here: ~30 MB in every process that imports it
        from scipy.sparse import csgraph

        if "csr" in self.__dict__:
            indptr, indices, _ = self.csr
            matrix = sparse.csr_array((np.ones(len(indices)), indices, indptr),
                                      shape=(self.n, self.n))
            _, labels = csgraph.connected_components(matrix, directed=True, connection="strong")
        else:
            matrix = sparse.coo_array((np.ones(self.m), (self.u, self.v)),
                                      shape=(self.n, self.n))
            _, labels = csgraph.connected_components(matrix, directed=True, connection="weak")
        _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
        rank = np.empty(len(first), dtype=np.int64)
        rank[np.argsort(first)] = np.arange(len(first))
        return rank[inverse]

    def gather(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Neighbours of ``nodes`` (concatenated in node order, from :attr:`csr`) and each
        node's neighbour count."""
        indptr, indices, _ = self.csr
        positions, counts = gather_positions(indptr, nodes)
        return indices[positions], counts

    @cached_property
    def csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(indptr, indices, weights)``; each node's neighbours in the order its ties
        appear in the tie list (networkx's adjacency order for a graph built from it).

        One compiled pass over the ties (:func:`_fill_csr`) into ``int32`` arrays: the
        stable argsort of both ends it replaced needed six arrays of twice the ties in
        ``int64`` at once, about 400 MB for the 4.2 million ties of L, where the result
        itself is 68 MB."""
        counts = np.bincount(self.u, minlength=self.n) + np.bincount(self.v, minlength=self.n)
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        indices = np.empty(2 * self.m, dtype=INDEX)
        weights = np.empty(2 * self.m, dtype=self.w.dtype)
        if self.m:
            compiled(_fill_csr)(self.u, self.v, self.w, indptr, indices, weights)
        return indptr, indices, weights

    def drop_csr(self) -> None:
        """Free the adjacency arrays (:attr:`csr`, 64 MB at L) when the metrics are done:
        what was computed from them (degrees, strengths, labels) stays, and the CSR is
        built again if something asks for it."""
        self.__dict__.pop("csr", None)

    def neighbours(self, i: int) -> np.ndarray:
        indptr, indices, _ = self.csr
        return indices[indptr[i]:indptr[i + 1]]

    def index_of(self) -> dict[int, int]:
        return {node: i for i, node in enumerate(self.ids)}


def index_in(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Position of each of ``values`` in the sorted, non-empty ``ids`` (clipped to the last:
    compare ``ids[position] == values`` to know whether a value is there)."""
    position = np.searchsorted(ids, values)
    np.minimum(position, len(ids) - 1, out=position)
    return position.astype(INDEX)


def _bfs_labels(indptr, indices, labels):
    """Each node's component, numbered in order of the component's first node: a
    breadth-first search from every node not yet reached, in node order (compiled; returns
    how many components there are)."""
    labels[:] = -1
    count = 0
    queue = np.empty(len(labels), dtype=np.int64)
    for start in range(len(labels)):
        if labels[start] >= 0:
            continue
        labels[start] = count
        queue[0] = start
        head, tail = 0, 1
        while head < tail:
            v = queue[head]
            head += 1
            for k in range(indptr[v], indptr[v + 1]):
                w = indices[k]
                if labels[w] < 0:
                    labels[w] = count
                    queue[tail] = w
                    tail += 1
        count += 1
    return count


def _fill_csr(u, v, w, indptr, indices, weights):
    """Both ends of every tie, in tie order, into their node's slice of the CSR (compiled)."""
    cursor = indptr[:-1].copy()
    for t in range(len(u)):
        a, b = u[t], v[t]
        k = cursor[a]
        indices[k] = b
        weights[k] = w[t]
        cursor[a] = k + 1
        k = cursor[b]
        indices[k] = a
        weights[k] = w[t]
        cursor[b] = k + 1


def gather_positions(indptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in a CSR ``indices`` array of all neighbours of ``nodes`` (concatenated in
    node order) and each node's neighbour count: the one neighbour gather of the package.

    Kept: gathering 10 % of the nodes took 0.61 / 0.94 / 9.7 ms at S/M/L, scipy's row
    indexing of the same CSR 0.83 / 1.14 / 4.8 ms (faster only at L; benchmarks/algorithms.py,
    30 Nov 2026, one thread, shared 2-core machine)."""
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return offsets + np.arange(int(counts.sum())), counts


def as_compact(G: nx.Graph | CompactGraph) -> CompactGraph:
    """Accept either form; every metric is computed on the arrays."""
    return G if isinstance(G, CompactGraph) else CompactGraph.from_nx(G)
