"""Joint activities per pair and quarter, for the map's period slider: one aggregate over
the participation table grouped by quarter and pair, limited to the quarters shown."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from sqlalchemy import func, select

from ..analysis.trend import quarter_bounds
from .bulk_fetch import fetch_columns
from .graph_loading import _pair_filters, _pair_join, _pair_tables, _quarter_expression
from .scope import Scope


def load_quarter_pair_counts(
    scope: Scope, quarters: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(quarter, a, b, count)`` arrays: pairs (a < b) of ``scope`` with their joint
    activities in each of ``quarters`` (consecutive quarter numbers)."""
    if not quarters:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    start, _ = quarter_bounds(quarters[0])
    _, end = quarter_bounds(quarters[-1])
    window = replace(scope, since=max(start, scope.since) if scope.since else start,
                     until=min(end, scope.until) if scope.until else end)
    p1, p2, ja = _pair_tables()
    quarter = _quarter_expression(ja.c.date)
    stmt = (
        select(quarter, p1.c.stakeholder_id, p2.c.stakeholder_id, func.count())
        .select_from(_pair_join(p1, p2, ja))
        .where(*_pair_filters(window, p1, p2, ja))
        .group_by(quarter, p1.c.stakeholder_id, p2.c.stakeholder_id)
    )
    q, a, b, count = fetch_columns(stmt, ["int4", "int4", "int4", "int8"])
    return q, a, b, count
