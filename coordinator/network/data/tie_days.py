"""The days on which each pair of stakeholders worked together: what the GEXF export turns
into spells, so that Gephi's timeline shows a tie at the time of its joint activities."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from .bulk_fetch import day_number, fetch_columns
from .graph_loading import _pair_filters, _pair_join, _pair_tables
from .scope import Scope


def load_tie_days(scope: Scope) -> dict[tuple[int, int], list[date]]:
    """``{(a, b): [day, …]}`` with ``a < b`` and the distinct days of the pair's joint
    activities in ``scope``, oldest first (the same pairs as the tie aggregate)."""
    p1, p2, ja = _pair_tables()
    day = day_number(ja.c.date)
    stmt = (
        select(p1.c.stakeholder_id, p2.c.stakeholder_id, day)
        .select_from(_pair_join(p1, p2, ja))
        .where(*_pair_filters(scope, p1, p2, ja))
        .group_by(p1.c.stakeholder_id, p2.c.stakeholder_id, day)
        .order_by(p1.c.stakeholder_id, p2.c.stakeholder_id, day)
    )
    a, b, days = fetch_columns(stmt, ["int4", "int4", "date"])
    result: dict[tuple[int, int], list[date]] = defaultdict(list)
    for x, y, number in zip(a.tolist(), b.tolist(), days.tolist(), strict=True):
        result[(x, y)].append(date.fromordinal(number))
    return dict(result)
