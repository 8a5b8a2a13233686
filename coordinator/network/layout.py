"""Stable map positions: a force-directed layout computed once, then extended node by node.

Pure functions (networkx + numpy, no Flask, no database); persistence is in ``positions.py``.

Why not ``networkx.spring_layout``: it needs SciPy above 500 nodes and takes about 35 s at
5,000 nodes, because it computes every pair of nodes in every iteration. This
Fruchterman–Reingold variant computes repulsion exactly for small components and against a
random sample of nodes for large ones (the sum over a sample, scaled up, estimates the sum over
all nodes; the cooling schedule damps the noise), which keeps 5,000 nodes around a second.
Each connected component is laid out on its own and the components are packed side by side,
so small groups do not drift off to the edge of the map.

Positions are in "pixels" of the map: neighbours end up about ``IDEAL_DISTANCE`` apart.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np

Position = tuple[float, float]

IDEAL_DISTANCE = 110.0
EXACT_REPULSION_LIMIT = 900  # nodes per component; above that, repulsion is sampled
REPULSION_SAMPLE = 300
FULL_ITERATIONS = 80
REFINE_ITERATIONS = 30
SEED = 42


def ordered_edges(graph: nx.Graph) -> list[tuple[int, int, dict]]:
    """Every edge once as ``(a, b, data)`` with ``a < b``. Reads the adjacency dicts
    directly: twice as fast as ``graph.edges(data=True)``, which matters at 300,000 ties."""
    return [(a, b, data) for a, partners in graph.adjacency() for b, data in partners.items()
            if a < b]


def full_layout(graph: nx.Graph, *, seed: int = SEED) -> dict[int, Position]:
    """Positions for every node of ``graph``, from scratch (deterministic for a given seed)."""
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    component_of = {node: i for i, nodes in enumerate(components) for node in nodes}
    edges_of: list[list] = [[] for _ in components]
    for a, b, data in ordered_edges(graph):
        edges_of[component_of[a]].append((a, b, data.get("weight") or 1))
    pieces = []
    for component, edges in zip(components, edges_of, strict=True):
        nodes = sorted(component)
        if len(nodes) == 1:
            pieces.append({nodes[0]: (0.0, 0.0)})
        else:
            pieces.append(_force_directed(nodes, edges, {}, seed, FULL_ITERATIONS))
    return _pack(pieces)


def extend_layout(
    graph: nx.Graph, known: Mapping[int, Position], *, seed: int = SEED
) -> dict[int, Position]:
    """Positions for the nodes of ``graph`` that ``known`` lacks; known nodes never move.

    A new node starts at the centre of its already placed partners and is then nudged by a
    few force iterations in which only new nodes move. New nodes without any placed partner
    (directly or through other new nodes) are laid out on their own and set down beyond the
    outer edge of the existing map.
    """
    known = {node: known[node] for node in graph if node in known}
    missing = sorted(node for node in graph if node not in known)
    if not missing:
        return {}
    if not known:
        return full_layout(graph, seed=seed)

    start: dict[int, Position] = dict(known)
    pending = set(missing)
    # Breadth-first from the placed nodes: each new node at the centroid of its placed
    # partners (plus a small deterministic offset so that twins do not coincide).
    frontier = sorted(n for n in pending if any(p in start for p in graph[n]))
    while frontier:
        for node in frontier:
            anchors = [start[p] for p in graph[node] if p in start]
            cx = sum(x for x, _ in anchors) / len(anchors)
            cy = sum(y for _, y in anchors) / len(anchors)
            dx, dy = _jitter(node, seed, IDEAL_DISTANCE * 0.6)
            start[node] = (cx + dx, cy + dy)
            pending.discard(node)
        frontier = sorted(n for n in pending if any(p in start for p in graph[n]))

    placed = {node: start[node] for node in missing if node in start}
    if placed:
        # Only ties of moving nodes pull on anything that moves.
        edges = [e for e in graph.edges(placed, data="weight", default=1)
                 if e[0] in start and e[1] in start]
        placed = _force_directed(
            sorted(start), edges, start, seed, REFINE_ITERATIONS, movable=set(placed)
        )
    if pending:
        island = full_layout(graph.subgraph(pending), seed=seed)
        placed.update(_beyond(island, {**known, **placed}))
    return placed


def _force_directed(
    nodes: list[int],
    edges: list[tuple[int, int, int]],
    start: Mapping[int, Position],
    seed: int,
    iterations: int,
    movable: set[int] | None = None,
) -> dict[int, Position]:
    """Fruchterman–Reingold with linear cooling on ``nodes`` (sorted) and weighted ``edges``
    among them; ``start`` gives initial positions (random for nodes it lacks); only
    ``movable`` nodes move (all when ``None``). Returns the positions of the moving nodes.

    Takes plain lists rather than a networkx subgraph: iterating a subgraph view filters
    every adjacency on the fly and costs more than the whole force computation."""
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    k = IDEAL_DISTANCE
    radius = k * math.sqrt(n) / 2
    pos = rng.uniform(-radius, radius, size=(n, 2))
    for node, (x, y) in start.items():
        if node in index:
            pos[index[node]] = (x, y)
    moving = (
        np.arange(n)
        if movable is None
        else np.array(sorted(index[m] for m in movable if m in index), dtype=int)
    )
    if moving.size == 0:
        return {}

    src = np.array([index[a] for a, _b, _w in edges], dtype=int)
    dst = np.array([index[b] for _a, b, _w in edges], dtype=int)
    # Strong ties pull harder, but only logarithmically, so that one very active pair does
    # not collapse onto itself.
    strength = 1.0 + np.log1p(np.array([max(w or 1, 1) for _a, _b, w in edges], dtype=float)) / 2

    temperature = radius / 4 if movable is None else k
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        disp[moving] = _repulsion(pos, moving, rng, k)
        if edges:
            delta = pos[src] - pos[dst]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 0.01)
            pull = delta * (dist * strength / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(dst, pull[:, axis], minlength=n)
                disp[:, axis] -= np.bincount(src, pull[:, axis], minlength=n)
        step = disp[moving]
        length = np.maximum(np.hypot(step[:, 0], step[:, 1]), 0.01)
        pos[moving] += step * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return {nodes[i]: (float(pos[i, 0]), float(pos[i, 1])) for i in moving}


def _repulsion(pos: np.ndarray, moving: np.ndarray, rng: np.random.Generator, k: float):
    """Repulsive displacement k²/d for the moving nodes, from all nodes or from a sample."""
    n = len(pos)
    if n <= EXACT_REPULSION_LIMIT:
        others, scale = pos, 1.0
    else:
        others = pos[rng.choice(n, REPULSION_SAMPLE, replace=False)]
        scale = n / REPULSION_SAMPLE
    delta = pos[moving][:, None, :] - others[None, :, :]
    dist2 = np.maximum(np.einsum("ijk,ijk->ij", delta, delta), 1.0)
    # A node meets itself (and nodes exactly on top of it) with delta 0: no force, as wanted.
    return np.einsum("ijk,ij->ik", delta, (k * k * scale) / dist2)


def _pack(pieces: list[dict[int, Position]]) -> dict[int, Position]:
    """Set components down in rows (largest first), each centred in its own box."""
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
