"""Fading ties (see :mod:`..analysis.fading`) as stored figures.

The queue's job reads the pair histories of departments and groups once per computation
(:func:`load_pair_histories`: the tie store's rows per pair and quarter, up to the end of
the scope's period) and stores them with the scope's figures; pages filter the stored list
by their threshold and stakeholder (:func:`stored_fading`) — a page never aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...register.models import Stakeholder
from ..analysis.fading import (
    MIN_ACTIVITIES,
    FadingTie,
    PairHistory,
    months_before,
    quiet_pairs,
    watched_pairs,
)
from .bulk_fetch import fetch_columns
from .figure_store import FADING, stored_payload
from .graph_loading import _kind_value
from .scope import Scope
from .scope_ties import COLUMN_KINDS, ScopeTies, fold_quarters, rows_statement

MAX_QUIET_MONTHS = 60
WATCHED_KINDS = frozenset({"department", "group"})
FADING_SHOWN = 20  # fading ties a page lists (dashboard, stakeholder page); downloads: all


@dataclass
class FadingList:
    ties: list[FadingTie]  # the ones listed: the first ``shown`` (a page) or all (download)
    names: dict[int, str]  # of their ends
    quiet_months: int
    reference: date  # "today" of the list: the end of the period or today
    total: int  # how many ties are fading


def quiet_months_from(raw: str | None) -> int:
    """The threshold from the query string; the setting ``FADING_TIE_MONTHS`` when missing
    or not a whole number from 1 to 60."""
    default = int(current_app.config.get("FADING_TIE_MONTHS", 6))
    try:
        months = int(raw) if raw else default
    except ValueError:
        return default
    return months if 1 <= months <= MAX_QUIET_MONTHS else default


def reference_day(scope: Scope, today: date) -> date:
    return min(scope.until or today, today)


def load_pair_histories(scope: Scope, today: date, ties: ScopeTies | None = None) -> dict:
    """The job's part: pairs of departments and groups in the scope's field with at least
    ``MIN_ACTIVITIES`` joint activities up to the end of the period (all of its past, not
    only the period), as a JSON-ready payload.

    ``ties``, the scope's own read, answers without a second read when the scope has the
    whole past and shows departments and groups (the whole network: 0.37 s less at M)."""
    # Up to today the tie store answers as is (planned activities wait for their day), so
    # an open or future end reads whole quarters.
    until = scope.until if scope.until and scope.until < today else None
    window = Scope(until=until, field=scope.field, kinds=WATCHED_KINDS, cases=scope.cases)
    whole_past = scope.since is None and scope.until is None
    if ties is not None and whole_past and (scope.kinds or WATCHED_KINDS) >= WATCHED_KINDS:
        a, b, weight, first_quarter, last = ties.watched_pairs(WATCHED_KINDS)
    else:
        a, b, weight, first_quarter, last = fold_quarters(
            *fetch_columns(rows_statement(window), COLUMN_KINDS))
    regular = weight >= MIN_ACTIVITIES
    a, b, weight, first_quarter, last = (x[regular].tolist() for x in
                                         (a, b, weight, first_quarter, last))
    ends = set(a) | set(b)
    s = Stakeholder.__table__
    kinds = {sid: _kind_value(kind) for sid, kind in db.session.execute(
        select(s.c.id, s.c.kind).where(s.c.id.in_(ends)))} if ends else {}
    histories = (PairHistory(*row[:4], date.fromordinal(row[4]))
                 for row in zip(a, b, weight, first_quarter, last, strict=True))
    return {"pairs": [[p.a, p.b, p.activities, p.first_quarter, p.last.toordinal()]
                      for p in watched_pairs(histories, kinds)]}


def stored_fading(
    scope: Scope, quiet_months: int, stakeholder_id: int | None = None,
    today: date | None = None, shown: int | None = None,
) -> FadingList | None:
    """The scope's fading ties from its stored figures (``None`` while they are computed
    for the first time); only those of ``stakeholder_id`` when given. Names are read for
    the first ``shown`` ties only (all when ``None``)."""
    data = stored_payload(FADING, scope)
    if data is None:
        return None
    reference = reference_day(scope, today or date.today())
    cutoff = months_before(reference, quiet_months).toordinal()
    # Stored in the list's order and department first (watched_pairs): only dates compared,
    # and objects made only for the ties a page lists (a dashboard at M has thousands).
    rows = [row for row in data["pairs"]
            if row[4] <= cutoff and (stakeholder_id is None or stakeholder_id in row[:2])]
    listed = rows if shown is None else rows[:shown]
    ties = quiet_pairs((PairHistory(a, b, n, first, date.fromordinal(last))
                        for a, b, n, first, last in listed), reference, quiet_months)
    ids = {x for tie in ties for x in (tie.a, tie.b)}
    s = Stakeholder.__table__
    names = dict(db.session.execute(select(s.c.id, s.c.name).where(s.c.id.in_(ids))).all()) \
        if ids else {}
    return FadingList(ties, names, quiet_months, reference, len(rows))
