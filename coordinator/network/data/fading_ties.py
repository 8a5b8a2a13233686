"""Pair histories for the fading ties (see :mod:`..analysis.fading`): one aggregate over
the participation table with count, first and last date per pair of departments and
groups, up to the end of the period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from ...extensions import db
from ...register.models import Stakeholder
from ..analysis.fading import MIN_ACTIVITIES, FadingTie, PairHistory, fading_ties
from .graph_loading import _kind_value, _pair_filters, _pair_join, _pair_tables
from .scope import Scope

MAX_QUIET_MONTHS = 60


@dataclass
class FadingList:
    ties: list[FadingTie]
    names: dict[int, str]
    quiet_months: int
    reference: date  # "today" of the list: the end of the period or today


def quiet_months_from(raw: str | None) -> int:
    """The threshold from the query string; the setting ``FADING_TIE_MONTHS`` when missing
    or not a whole number from 1 to 60."""
    default = int(current_app.config.get("FADING_TIE_MONTHS", 6))
    try:
        months = int(raw) if raw else default
    except ValueError:
        return default
    return months if 1 <= months <= MAX_QUIET_MONTHS else default


def load_fading_ties(
    scope: Scope, quiet_months: int, stakeholder_id: int | None = None,
    today: date | None = None,
) -> FadingList:
    """Fading ties of departments and groups in the scope's field, as of the end of its
    period (or today); only those of ``stakeholder_id`` when given."""
    reference = min(scope.until or today or date.today(), today or date.today())
    window = Scope(until=reference, field=scope.field,
                   kinds=frozenset({"department", "group"}))
    p1, p2, ja = _pair_tables()
    count = func.count()
    stmt = (
        select(p1.c.stakeholder_id, p2.c.stakeholder_id, count, func.min(ja.c.date),
               func.max(ja.c.date))
        .select_from(_pair_join(p1, p2, ja))
        .where(*_pair_filters(window, p1, p2, ja))
        .group_by(p1.c.stakeholder_id, p2.c.stakeholder_id)
        .having(count >= MIN_ACTIVITIES)
    )
    if stakeholder_id is not None:
        stmt = stmt.where((p1.c.stakeholder_id == stakeholder_id)
                          | (p2.c.stakeholder_id == stakeholder_id))
    pairs = [PairHistory(a, b, n, _day(first), _day(last))
             for a, b, n, first, last in db.session.execute(stmt)]
    ids = {x for pair in pairs for x in (pair.a, pair.b)}
    s = Stakeholder.__table__
    rows = db.session.execute(select(s.c.id, s.c.name, s.c.kind).where(s.c.id.in_(ids))).all()
    kinds = {sid: _kind_value(kind) for sid, _name, kind in rows}
    ties = fading_ties(pairs, kinds, reference, quiet_months)
    return FadingList(ties, {sid: name for sid, name, _kind in rows}, quiet_months, reference)


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
