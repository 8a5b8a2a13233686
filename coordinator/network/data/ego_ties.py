"""The rows an ego view shows, read by index: the centre's ties to all of its partners
(one row per partner, strongest first), and the ties among the few partners it draws.

Nothing here reads a scope's whole network. Scopes of whole quarters (every period the
pages offer) read the tie store; a scope without case activities (``cases=0``, offered by the
pages' filter form) aggregates the participations of the centre — or of the drawn partners
— only, through the index on ``participation.stakeholder_id``: bounded by their activities,
but slower (at M on SQLite the 80 strongest partners of the hub share 120,000 participations:
about 1 s, against 0.1 s from the tie store, which keeps no totals without case activities).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import and_, case, func, select, union_all

from ...extensions import db
from ...register.models import Stakeholder, StakeholderKind
from .bulk_fetch import day_number, fetch_columns
from .graph_loading import (
    _pair_join,
    _pair_tables,
    _period_filters,
    _shown,
    _summed,
    _tagged,
    _unindexed,
    covers_whole_quarters,
    stored_period_filters,
)
from .scope import Scope
from .tie_store import tie_rows


@dataclass
class PartnerTies:
    """The centre's partners, strongest first: most joint activities, then the most recent
    contact, then by name."""

    ids: np.ndarray
    weight: np.ndarray  # joint activities with the centre
    last: np.ndarray  # the last one, as a date ordinal
    individual: np.ndarray  # bool: the partner is an individual (pseudonyms)

    def __len__(self) -> int:
        return len(self.ids)


def is_shown(scope: Scope, stakeholder_id: int) -> bool:
    """Whether the stakeholder is part of ``scope`` (active, of a kind shown)."""
    s = Stakeholder.__table__
    return db.session.scalar(
        select(s.c.id).where(s.c.id == stakeholder_id, _shown(s, scope))) is not None


def load_partners(scope: Scope, centre: int) -> PartnerTies:
    """Every partner of ``centre`` in ``scope`` with the joint activities and the last one."""
    totals = (_stored_partner_totals if covers_whole_quarters(scope)
              else _counted_partner_totals)(scope, centre)
    s = Stakeholder.__table__
    individual = case((s.c.kind == StakeholderKind.INDIVIDUAL, 1), else_=0)
    stmt = (
        select(totals.c.partner, totals.c.weight, day_number(totals.c.last), individual)
        .select_from(totals).join(s, s.c.id == totals.c.partner).where(_shown(s, scope))
        .order_by(totals.c.weight.desc(), totals.c.last.desc(), s.c.name_key, s.c.id)
    )
    ids, weight, last, flag = fetch_columns(stmt, ["int4", "int8", "date", "int4"])
    return PartnerTies(ids, weight, last, flag.astype(bool))


def _stored_partner_totals(scope: Scope, centre: int):
    """From the tie store: the centre's rows by two index searches (an OR would scan the
    scope's rows), summed over the quarters. Whether a partner is shown is checked once per
    partner by the caller's join (``IN (shown stakeholders)`` per row cost SQLite ten times
    the search itself)."""
    t = tie_rows()  # planned activities count once they have taken place
    filters = stored_period_filters(scope, t)
    own = union_all(
        select(t.c.b_id.label("partner"), t.c.weight, t.c.last)
        .where(*filters, t.c.a_id == centre),
        select(t.c.a_id.label("partner"), t.c.weight, t.c.last)
        .where(*filters, t.c.b_id == centre),
    ).subquery()
    return (
        select(own.c.partner, func.sum(own.c.weight).label("weight"),
               func.max(own.c.last).label("last"))
        .group_by(own.c.partner).subquery()
    )


def _counted_partner_totals(scope: Scope, centre: int):
    """From the participations of the centre's activities (scopes the tie store cannot
    answer)."""
    p1, p2, ja = _pair_tables()
    pairs = (
        p1.join(p2, and_(p2.c.activity_id == p1.c.activity_id,
                         p2.c.stakeholder_id != p1.c.stakeholder_id))
        .join(ja, ja.c.id == p1.c.activity_id)
    )
    filters = [p1.c.stakeholder_id == centre, *_period_filters(scope, ja)]
    if scope.field:
        filters.append(_tagged(p1.c.activity_id, scope.field))
    return (
        select(p2.c.stakeholder_id.label("partner"), func.count().label("weight"),
               func.max(ja.c.date).label("last"))
        .select_from(pairs).where(*filters).group_by(p2.c.stakeholder_id).subquery()
    )


def load_ties_among(
    scope: Scope, ids: Sequence[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(a, b, weight, last)`` of the ties among ``ids``, stakeholders shown in ``scope``
    (the partners :func:`load_partners` returned: not checked again)."""
    ids = sorted(ids)
    if len(ids) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy(), empty.copy()
    if covers_whole_quarters(scope):
        t = tie_rows()
        among = (
            select(t.c.a_id, t.c.b_id, t.c.weight, t.c.last)
            .where(*stored_period_filters(scope, t), t.c.a_id.in_(ids), t.c.b_id.in_(ids))
        ).subquery()
        return tuple(_summed(among))
    p1, p2, ja = _pair_tables()
    filters = [p1.c.stakeholder_id.in_(ids), _unindexed(p2.c.stakeholder_id).in_(ids),
               *_period_filters(scope, ja)]
    if scope.field:
        filters.append(_tagged(p1.c.activity_id, scope.field))
    stmt = (
        select(p1.c.stakeholder_id, p2.c.stakeholder_id, func.count(),
               day_number(func.max(ja.c.date)))
        .select_from(_pair_join(p1, p2, ja)).where(*filters)
        .group_by(p1.c.stakeholder_id, p2.c.stakeholder_id)
    )
    return tuple(fetch_columns(stmt, ["int4", "int4", "int8", "date"]))
