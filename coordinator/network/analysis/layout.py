"""Stable map positions: a force-directed layout computed once, then extended node by node.

Pure functions (numpy, igraph and the analysis' graph arrays, no Flask, no database);
persistence is in ``positions.py``. Every function takes the analysis' ``CompactGraph`` (or a
networkx graph, converted).

Each connected component is laid out on its own and the components are packed side by side,
so small groups do not drift off to the edge of the map. A component of up to
:data:`IGRAPH_LAYOUT_LIMIT` stakeholders is laid out by igraph's Fruchterman–Reingold (its
exact variant: every pair repels in every iteration, in C). Larger ones, and new stakeholders
placed into a kept map, use our variant, which computes the repulsion exactly for small
components and against a random sample of nodes for large ones (the sum over a sample, scaled
up, estimates the sum over all nodes; the cooling schedule damps the noise), and moves only
the new nodes when extending.

Why not igraph for everything (measured with ``benchmarks/algorithms.py``, 30 Nov 2026, 2
cores shared with other jobs, one thread; see ``benchmarks/README.md``). First layout, ours
vs igraph's exact variant: 303 vs 27 ms at S, 5.7 vs 1.4 s at M, 88 s vs a projected 144 s
at L (quadratic; components of 3,000/5,000/8,000 stakeholders: 23/53/95 s vs 7/19/52 s, so
igraph up to 10,000). igraph's grid variant is fast (8 ms / 0.2 s / 3.8 s) but repels only
nearby nodes and piles the map up: 91 %/100 %/100 % of the nodes lie within 11 px of another
(ours 0 %/24 %/58 %, igraph's exact 0 %/5 %). Placing 1 % new stakeholders into a kept map:
ours 11 ms / 94 ms / 0.7 s, igraph with the others held by bounds 16 ms / 146 ms / 2.9 s
(and it needs its own graph first). networkx's ``spring_layout`` (0.29 s / 69 s) and
rustworkx's (87 ms / 14 s) were slower than igraph at S and M and projected far slower at L.
Since 1 Dec 2026 the pull along the ties runs in C (:func:`_pull_into`, 11× faster at L):
the first layout of L's one component (19,399 stakeholders, 4.2 M ties) takes 11.6 s instead
of ~50 s, igraph's exact variant a projected 144 s.

Positions are in "pixels" of the map: neighbours end up about ``IDEAL_DISTANCE`` apart.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Iterable, Mapping

import igraph
import networkx as nx
import numpy as np

from .compact import INDEX, CompactGraph, as_compact
from .compiled import compiled

Position = tuple[float, float]

IDEAL_DISTANCE = 110.0
EXACT_REPULSION_LIMIT = 900  # nodes per component; above that, repulsion is sampled
REPULSION_SAMPLE = 300
FULL_ITERATIONS = 80
REFINE_ITERATIONS = 30
SEED = 42
SPARSE_DEGREE = 8.0
IGRAPH_LAYOUT_LIMIT = 10_000  # stakeholders per component laid out by igraph (see above)
STEP_TIES = 1 << 19  # ties per step of the pull (~30 MB of scratch)
STEP_NODES = 2048  # moving nodes per step of the repulsion
_IGRAPH_RANDOM = threading.Lock()


def full_layout(graph: nx.Graph | CompactGraph, *, seed: int = SEED) -> dict[int, Position]:
    """Positions for every node, from scratch (deterministic for a given seed)."""
    cg = as_compact(graph)
    if cg.n == 0:
        return {}
    ids = np.asarray(cg.ids, dtype=np.int64)
    labels = cg.component_labels
    node_groups = _groups(labels)
    tie_groups = _groups(labels.astype(INDEX)[cg.u])
    # Largest component first, then by smallest id: the packing order, stable across runs.
    order = sorted(node_groups, key=lambda label: (-len(node_groups[label]),
                                                   int(ids[node_groups[label]].min())))
    pieces = []
    for label in order:
        members = node_groups[label][np.argsort(ids[node_groups[label]], kind="stable")]
        if len(members) == 1:
            pieces.append({int(ids[members[0]]): (0.0, 0.0)})
            continue
        ties = tie_groups.get(label, np.zeros(0, dtype=np.int64))
        local = np.full(cg.n, -1, dtype=INDEX)  # per-tie copies below: int32
        local[members] = np.arange(len(members))
        engine = _igraph_layout if len(members) <= IGRAPH_LAYOUT_LIMIT else _force_directed
        pieces.append(engine(
            ids[members].tolist(), local[cg.u[ties]], local[cg.v[ties]], cg.w[ties],
            {}, seed, FULL_ITERATIONS,
        ))
    return _pack(pieces)


def _igraph_layout(
    ids: list[int],
    src: np.ndarray,
    dst: np.ndarray,
    weights: np.ndarray,
    start: Mapping[int, Position],
    seed: int,
    iterations: int,
) -> dict[int, Position]:
    """igraph's exact Fruchterman–Reingold on one component, from a random start drawn with
    ``seed`` (``start`` must be empty: everything moves). igraph's natural tie length is 1,
    so its positions are scaled by IDEAL_DISTANCE."""
    assert not start
    n = len(ids)
    radius = math.sqrt(n) / 2
    initial = np.random.default_rng(seed).uniform(-radius, radius, size=(n, 2))
    graph = igraph.Graph(n=n, edges=list(zip(src.tolist(), dst.tolist(), strict=True)))
    # igraph draws random numbers during the layout from one process-wide generator: a
    # seeded one for this call makes the map reproducible (the lock keeps another thread's
    # layout from drawing from it meanwhile).
    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))  # noqa: S311  (not security)
        try:
            coords = graph.layout_fruchterman_reingold(
                weights=_pull(weights, n, len(src)).tolist(), niter=iterations,
                seed=initial.tolist(), grid="nogrid",
            ).coords
        finally:
            igraph.set_random_number_generator(random)
    return {node: (x * IDEAL_DISTANCE, y * IDEAL_DISTANCE)
            for node, (x, y) in zip(ids, coords, strict=True)}


def _pull(weights: np.ndarray, n: int, ties: int) -> np.ndarray:
    """How hard each tie pulls. Strong ties pull harder, but only logarithmically, so that
    one very active pair does not collapse onto itself. In dense networks (hundreds of
    partners each) the sum of all pulls would crush the map into a ball; dividing by the
    mean number of partners (above a sparse network's) keeps neighbours apart at about the
    same distance."""
    mean_degree = 2 * ties / max(n, 1)
    return (1.0 + np.log1p(np.maximum(np.asarray(weights, dtype=float), 1.0)) / 2) / max(
        1.0, mean_degree / SPARSE_DEGREE)


def extend_layout(
    graph: nx.Graph | CompactGraph, known: Mapping[int, Position], *, seed: int = SEED
) -> dict[int, Position]:
    """Positions for the nodes that ``known`` lacks; known nodes never move.

    A new node starts at the centre of its already placed partners and is then nudged by a
    few force iterations in which only new nodes move. New nodes without any placed partner
    (directly or through other new nodes) are laid out on their own and set down below the
    existing map.
    """
    cg = as_compact(graph)
    ids = cg.ids
    placed = np.array([node in known for node in ids], dtype=bool)
    if placed.all():
        return {}
    if not placed.any():
        return full_layout(cg, seed=seed)

    indptr, neighbours, _weights = cg.csr
    start: dict[int, Position] = {ids[i]: known[ids[i]] for i in np.flatnonzero(placed)}
    missing = np.flatnonzero(~placed)
    # Breadth-first from the placed nodes: each new node at the centroid of its placed
    # partners (plus a small deterministic offset so that twins do not coincide).
    while True:
        frontier = [
            i for i in missing.tolist()
            if not placed[i] and placed[neighbours[indptr[i]:indptr[i + 1]]].any()
        ]
        if not frontier:
            break
        for i in frontier:
            anchors = [start[ids[j]] for j in neighbours[indptr[i]:indptr[i + 1]].tolist()
                       if placed[j]]
            dx, dy = _jitter(ids[i], seed, IDEAL_DISTANCE * 0.6)
            start[ids[i]] = (sum(x for x, _ in anchors) / len(anchors) + dx,
                             sum(y for _, y in anchors) / len(anchors) + dy)
        placed[frontier] = True

    new = [i for i in missing.tolist() if placed[i]]
    added: dict[int, Position] = {}
    if new:
        added = _refine(cg, start, new, seed)
    pending = np.flatnonzero(~placed)
    if len(pending):
        island = full_layout(subgraph(cg, pending), seed=seed)
        added.update(_beyond(island, {**known, **added}))
    return added


def _refine(cg: CompactGraph, start: dict[int, Position], new: list[int], seed: int):
    """A few force iterations over the placed nodes in which only the new ones move."""
    members = np.array(sorted((i for i, node in enumerate(cg.ids) if node in start),
                              key=lambda i: cg.ids[i]), dtype=np.int64)
    local = np.full(cg.n, -1, dtype=INDEX)  # per-tie copies below: int32
    local[members] = np.arange(len(members))
    moving = np.zeros(cg.n, dtype=bool)
    moving[new] = True
    # Only ties of moving nodes pull on anything that moves.
    ties = np.flatnonzero((local[cg.u] >= 0) & (local[cg.v] >= 0) & (moving[cg.u] | moving[cg.v]))
    ids = [cg.ids[i] for i in members.tolist()]
    return _force_directed(
        ids, local[cg.u[ties]], local[cg.v[ties]], cg.w[ties], start, seed, REFINE_ITERATIONS,
        movable={cg.ids[i] for i in new},
    )


def _force_directed(
    ids: list[int],
    src: np.ndarray,
    dst: np.ndarray,
    weights: np.ndarray,
    start: Mapping[int, Position],
    seed: int,
    iterations: int,
    movable: set[int] | None = None,
) -> dict[int, Position]:
    """Fruchterman–Reingold with linear cooling on the nodes ``ids`` (ascending) and ties
    ``src``–``dst`` (positions in ``ids``); ``start`` gives initial positions (random for
    nodes it lacks); only ``movable`` nodes move (all when ``None``). Returns the positions
    of the moving nodes."""
    n = len(ids)
    rng = np.random.default_rng(seed)
    k = IDEAL_DISTANCE
    radius = k * math.sqrt(n) / 2
    pos = rng.uniform(-radius, radius, size=(n, 2))
    for i, node in enumerate(ids):
        if node in start:
            pos[i] = start[node]
    moving = (
        np.arange(n) if movable is None
        else np.array([i for i, node in enumerate(ids) if node in movable], dtype=np.int64)
    )
    if moving.size == 0:
        return {}
    strength = _pull(weights, n, len(src))

    temperature = radius / 4 if movable is None else k
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        disp[moving] = _repulsion(pos, moving, rng, k)
        compiled(_pull_into)(pos, src, dst, strength, k, STEP_TIES, disp)
        step = disp[moving]
        length = np.maximum(np.hypot(step[:, 0], step[:, 1]), 0.01)
        pos[moving] += step * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return {ids[i]: (float(pos[i, 0]), float(pos[i, 1])) for i in moving.tolist()}


def _pull_into(pos, src, dst, strength, k, step, disp) -> None:
    """Add the pull along every tie ``src``–``dst`` to ``disp`` in place: each end moves
    towards the other by ``delta * dist * strength / k``, summed per node in steps of
    ``step`` ties (the first layout of L, 19 k stakeholders and 4.2 M ties in one component,
    held ~0.45 GB of per-tie arrays at once without steps).

    The Python reference of the C kernel (``compiled.py``), which is the same line for line
    and needs no per-tie arrays: the first layout of L took 61–66 s, 80 iterations of this
    pull over 4.2 M ties.

    Examples
    --------
    >>> import numpy as np
    >>> pos = np.array([[0.0, 0.0], [3.0, 4.0]])
    >>> disp = np.zeros((2, 2))
    >>> _pull_into(pos, np.array([0]), np.array([1]), np.array([1.0]), 5.0, 8, disp)
    >>> disp  # both ends pulled towards each other by dist²/k = 5 along the tie
    array([[ 3.,  4.],
           [-3., -4.]])
    """
    n = len(pos)
    for start in range(0, len(src), step):
        a, b = src[start:start + step], dst[start:start + step]
        delta = pos[a] - pos[b]
        dx, dy = delta[:, 0], delta[:, 1]
        # sqrt of the sum of squares, not hypot: its care for overflow made the C loop 3×
        # slower, and positions are thousands of pixels, not 1e154
        dist = np.maximum(np.sqrt(dx * dx + dy * dy), 0.01)
        pull = delta * (dist * strength[start:start + step] / k)[:, None]
        for axis in (0, 1):
            disp[:, axis] += np.bincount(b, pull[:, axis], minlength=n)
            disp[:, axis] -= np.bincount(a, pull[:, axis], minlength=n)


def _repulsion(pos: np.ndarray, moving: np.ndarray, rng: np.random.Generator, k: float):
    """Repulsive displacement k²/d for the moving nodes, from all nodes or from a sample,
    in steps of :data:`STEP_NODES` moving nodes (each step's pairs: ~10 MB)."""
    n = len(pos)
    if n <= EXACT_REPULSION_LIMIT:
        others, scale = pos, 1.0
    else:
        others = pos[rng.choice(n, REPULSION_SAMPLE, replace=False)]
        scale = n / REPULSION_SAMPLE
    result = np.empty((len(moving), 2))
    for start in range(0, len(moving), STEP_NODES):
        delta = pos[moving[start:start + STEP_NODES]][:, None, :] - others[None, :, :]
        dist2 = np.maximum(np.einsum("ijk,ijk->ij", delta, delta), 1.0)
        # A node meets itself (and nodes exactly on top of it) with delta 0: no force.
        result[start:start + STEP_NODES] = np.einsum("ijk,ij->ik", delta,
                                                     (k * k * scale) / dist2)
    return result


def subgraph(cg: CompactGraph, members: Iterable[int]) -> CompactGraph:
    """The graph induced by the node indices ``members`` (ids ascending, ties re-indexed)."""
    members = np.array(sorted(set(np.asarray(list(members), dtype=np.int64).tolist()),
                              key=lambda i: cg.ids[i]), dtype=np.int64)
    local = np.full(cg.n, -1, dtype=INDEX)  # per-tie copies below: int32
    local[members] = np.arange(len(members))
    ties = np.flatnonzero((local[cg.u] >= 0) & (local[cg.v] >= 0))
    u, v = local[cg.u[ties]], local[cg.v[ties]]
    low, high = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((high, low))
    picked = members.tolist()
    return CompactGraph(
        ids=[cg.ids[i] for i in picked],
        names=[cg.names[i] for i in picked],
        kinds=[cg.kinds[i] for i in picked],
        fields=[cg.fields[i] for i in picked],
        u=low[order], v=high[order], w=cg.w[ties][order], last=cg.last[ties][order],
        attrs=dict(cg.attrs),
    )


def _groups(labels: np.ndarray) -> dict[int, np.ndarray]:
    """The positions ``0..len(labels)-1`` grouped by ``labels``: one stable sort, and each
    group a slice of it (no copy per group: the ties of L's one large component are 4.2
    million)."""
    if len(labels) == 0:
        return {}
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    starts = np.flatnonzero(np.diff(sorted_labels)) + 1
    bounds = [0, *starts.tolist(), len(order)]
    firsts = sorted_labels[bounds[:-1]].tolist()
    del sorted_labels
    return {int(label): order[start:stop]
            for label, start, stop in zip(firsts, bounds[:-1], bounds[1:], strict=True)}


def _pack(pieces: list[dict[int, Position]]) -> dict[int, Position]:
    """Set components down in rows (largest first), each in its own box."""
    if not pieces:
        return {}
    gap = IDEAL_DISTANCE
    boxes = [_bounds(piece.values()) for piece in pieces]
    total_area = sum((b[2] - b[0] + gap) * (b[3] - b[1] + gap) for b in boxes)
    row_width = max(math.sqrt(total_area) * 1.2, boxes[0][2] - boxes[0][0] + gap)
    placed: dict[int, Position] = {}
    x = y = row_height = 0.0
    for piece, (x0, y0, x1, y1) in zip(pieces, boxes, strict=True):
        width, height = x1 - x0 + gap, y1 - y0 + gap
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in piece.items():
            placed[node] = (px - x0 + x, py - y0 + y)
        x += width
        row_height = max(row_height, height)
    return _centred(placed)


def _beyond(island: dict[int, Position], existing: Mapping[int, Position]):
    """Move a separately laid out group below the existing map (clear of every node)."""
    ex0, _ey0, ex1, ey1 = _bounds(existing.values())
    ix0, iy0, ix1, _iy1 = _bounds(island.values())
    shift_x = (ex0 + ex1) / 2 - (ix0 + ix1) / 2
    shift_y = ey1 + IDEAL_DISTANCE - iy0
    return {node: (x + shift_x, y + shift_y) for node, (x, y) in island.items()}


def _bounds(points: Iterable[Position]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _centred(positions: dict[int, Position]) -> dict[int, Position]:
    x0, y0, x1, y1 = _bounds(positions.values())
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return {node: (x - cx, y - cy) for node, (x, y) in positions.items()}


def _jitter(node: int, seed: int, spread: float) -> Position:
    """The same small offset for the same node every time (stable between visits)."""
    rnd = random.Random(seed * 1_000_003 + node)  # noqa: S311  (layout, not security)
    angle = rnd.uniform(0, 2 * math.pi)
    distance = spread * (0.5 + rnd.random() / 2)
    return distance * math.cos(angle), distance * math.sin(angle)
