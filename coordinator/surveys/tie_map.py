"""Geometry of the perceived-ties drawing: departments where the network map has them (or on a
circle when the map has not placed them yet), perceived ties as lines whose width grows with
the level, logged-only ties dashed. Pure: positions and ties in, drawing coordinates out."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 640, 420, 60


@dataclass(frozen=True)
class Dot:
    id: int
    x: float
    y: float


@dataclass(frozen=True)
class Line:
    a: Dot
    b: Dot
    level: float | None  # perceived level (mean of both ratings); None: only logged
    logged: int


def place(ids: Sequence[int], positions: Mapping[int, tuple[float, float]]) -> dict[int, Dot]:
    """Drawing coordinates for ``ids``: the map's positions scaled into the frame when every
    department has one, else evenly on a circle (a partial layout would mislead).

    Examples
    --------
    >>> dots = place([1, 2], {1: (0.0, 0.0), 2: (10.0, 5.0)})
    >>> (dots[1].x, dots[1].y), (dots[2].x, dots[2].y)
    ((60.0, 60.0), (580.0, 360.0))
    """
    if ids and all(i in positions for i in ids):
        xs = [positions[i][0] for i in ids]
        ys = [positions[i][1] for i in ids]
        span_x = (max(xs) - min(xs)) or 1.0
        span_y = (max(ys) - min(ys)) or 1.0
        return {i: Dot(i, round(MARGIN + (positions[i][0] - min(xs)) / span_x
                                * (WIDTH - 2 * MARGIN), 1),
                       round(MARGIN + (positions[i][1] - min(ys)) / span_y
                             * (HEIGHT - 2 * MARGIN), 1)) for i in ids}
    radius = min(WIDTH, HEIGHT) / 2 - MARGIN
    return {i: Dot(i, round(WIDTH / 2 + radius * math.cos(2 * math.pi * k / len(ids)), 1),
                   round(HEIGHT / 2 + radius * math.sin(2 * math.pi * k / len(ids)), 1))
            for k, i in enumerate(ids)}


def lines(dots: Mapping[int, Dot], levels: Mapping[frozenset, float],
          logged: Mapping[frozenset, int]) -> list[Line]:
    """Perceived ties of level ≥ 1 and logged ties nobody perceived, between placed dots."""
    drawn = []
    for pair in sorted(set(levels) | set(logged), key=sorted):
        if len(pair) != 2 or not all(d in dots for d in pair):
            continue
        level = levels.get(pair)
        if level is not None and level < 1:
            level = None
        if level is None and not logged.get(pair):
            continue
        a, b = sorted(pair)
        drawn.append(Line(dots[a], dots[b], level, logged.get(pair, 0)))
    return drawn
