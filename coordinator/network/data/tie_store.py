"""The tie store: pair aggregates kept as data, maintained in the writer's transaction.

One row per pair of stakeholders (``a_id < b_id``), quarter and field of work (``field_id``
0 = all activities): how many activities the two shared and the date of the last one. Every
activity write calls one of the functions below before its COMMIT:

* :func:`add_activities` for new activities (form and import): adds their counts;
* :func:`refresh_pairs` for edits and deletions: recomputes the rows among the
  stakeholders involved, in the quarters involved, from the participations (a deletion can
  lower ``last``, which no delta can do).

:func:`rebuild` recomputes everything (``flask --app coordinator rebuild-ties``). The one
aggregate all three use is :func:`_aggregate`, so stored and fresh ties cannot drift apart
by construction; ``tests/test_tie_store.py`` checks it after random writes.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import Integer, and_, cast, delete, extract, func, literal, or_, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ...activities.models import JointActivity, activity_field, participation
from ...extensions import db
from ..analysis.trend import quarter_bounds, quarter_of
from .models import NetworkTie

ALL_FIELDS = 0
COLUMNS = ("a_id", "b_id", "field_id", "quarter", "weight", "last")


def quarter_expression(column, dialect: str):
    """``year * 4 + (month - 1) // 3`` in SQL. SQLite stores dates as ``YYYY-MM-DD`` text;
    cutting the digits out is much cheaper there than ``strftime``."""
    if dialect == "sqlite":
        year = cast(func.substr(column, 1, 4), Integer)
        month = cast(func.substr(column, 6, 2), Integer)
    else:
        year = cast(extract("year", column), Integer)
        month = cast(extract("month", column), Integer)
    return year * 4 + (month - 1) // 3


def _aggregate(session: Session, where=lambda p1, p2, ja: ()):
    """The fresh pair aggregate (totals and per field) as one ``SELECT`` with the columns of
    ``network_tie``, restricted by ``where(p1, p2, ja)`` (participations of the two ends and
    the activity)."""
    dialect = session.get_bind().dialect.name
    p1, p2 = participation.alias("p1"), participation.alias("p2")
    ja = JointActivity.__table__
    conditions = list(where(p1, p2, ja))
    tag = activity_field.alias("tag")
    quarter = quarter_expression(ja.c.date, dialect)
    pairs = (
        p1.join(p2, and_(p2.c.activity_id == p1.c.activity_id,
                         p1.c.stakeholder_id < p2.c.stakeholder_id))
        .join(ja, ja.c.id == p1.c.activity_id)
    )
    total = (
        select(p1.c.stakeholder_id, p2.c.stakeholder_id, literal(ALL_FIELDS), quarter,
               func.count(), func.max(ja.c.date))
        .select_from(pairs).where(*conditions)
        .group_by(p1.c.stakeholder_id, p2.c.stakeholder_id, quarter)
    )
    per_field = (
        select(p1.c.stakeholder_id, p2.c.stakeholder_id, tag.c.field_id, quarter,
               func.count(), func.max(ja.c.date))
        .select_from(pairs.join(tag, tag.c.activity_id == ja.c.id)).where(*conditions)
        .group_by(p1.c.stakeholder_id, p2.c.stakeholder_id, tag.c.field_id, quarter)
    )
    return union_all(total, per_field)


def tie_rows(session: Session | None = None, today: date | None = None):
    """The tie store as its readers must see it (a subquery with the columns of
    ``network_tie``): planned activities, dated after ``today``, count once they have taken
    place, as everywhere in the metrics.

    The stored rows keep every activity, whatever its date (a planned one must not be lost
    from the store when its day comes). While no activity is dated after today they are
    exact; otherwise the stored rows answer the quarters before today's, and today's quarter
    is aggregated fresh up to today (one quarter's activities, found by the date index).
    """
    session = session or db.session
    today = today or date.today()
    table = NetworkTie.__table__
    ja = JointActivity.__table__
    planned = session.scalar(select(ja.c.id).where(ja.c.date > today).limit(1))
    if planned is None:
        return table
    current = quarter_of(today)
    start, _end = quarter_bounds(current)
    stored = select(*(table.c[name] for name in COLUMNS)).where(table.c.quarter < current)
    fresh = _aggregate(session, lambda _p1, _p2, ja: [ja.c.date >= start, ja.c.date <= today])
    fresh = fresh.subquery()
    # count() is a bigint on PostgreSQL: as an integer, like the stored weight, the union
    # keeps the table's types (the readers' binary COPY expects them). No CAST of the date:
    # SQLite would turn it into a number.
    fresh_rows = select(*((cast(column, Integer) if name == "weight" else column).label(name)
                          for column, name in zip(fresh.c, COLUMNS, strict=True)))
    return union_all(stored, fresh_rows).subquery("network_tie_until_today")


def _in_quarters(column, quarters: Collection[int]):
    return or_(*(column.between(*quarter_bounds(q)) for q in sorted(quarters)))


def rebuild(session: Session | None = None) -> int:
    """Replace every stored tie by the fresh aggregate; returns the number of rows."""
    session = session or db.session
    table = NetworkTie.__table__
    session.execute(delete(table))
    session.execute(table.insert().from_select(COLUMNS, _aggregate(session)))
    return session.scalar(select(func.count()).select_from(table)) or 0


def add_activities(activity_ids: Collection[int], session: Session | None = None) -> None:
    """Add the ties of activities that were just inserted (flushed, not committed)."""
    if not activity_ids:
        return
    session = session or db.session
    table = NetworkTie.__table__
    wanted = sorted(set(activity_ids))
    fresh = _aggregate(session, lambda p1, _p2, _ja: [p1.c.activity_id.in_(wanted)]).subquery()
    # SQLite parses INSERT … SELECT … ON CONFLICT only when the SELECT has a WHERE clause.
    rows = select(*fresh.c).where(fresh.c[0].is_not(None))
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).from_select(COLUMNS, rows)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["a_id", "b_id", "field_id", "quarter"],
        set_={"weight": table.c.weight + excluded.weight,
              "last": func.max(table.c.last, excluded.last)
              if session.get_bind().dialect.name == "sqlite"
              else func.greatest(table.c.last, excluded.last)},
    )
    session.execute(statement)


def refresh_pairs(
    stakeholder_ids: Collection[int], days: Collection[date], session: Session | None = None
) -> None:
    """Recompute the stored ties among ``stakeholder_ids`` in the quarters of ``days`` (the
    old and new participants and dates of an edited or deleted activity), after the change
    was flushed."""
    if len(stakeholder_ids) < 2 or not days:
        return
    session = session or db.session
    table = NetworkTie.__table__
    members = sorted(set(stakeholder_ids))
    quarters = {quarter_of(day) for day in days}
    session.execute(delete(table).where(
        table.c.a_id.in_(members), table.c.b_id.in_(members), table.c.quarter.in_(quarters)
    ))
    fresh = _aggregate(session, lambda p1, p2, ja: [
        p1.c.stakeholder_id.in_(members), p2.c.stakeholder_id.in_(members),
        _in_quarters(ja.c.date, quarters),
    ])
    session.execute(table.insert().from_select(COLUMNS, fresh))


def fresh_ties(session: Session | None = None) -> set[tuple]:
    """Every tie as the aggregate computes it now (for checks and tests)."""
    session = session or db.session
    return {tuple(_normalised(row)) for row in session.execute(_aggregate(session))}


def stored_ties(session: Session | None = None) -> set[tuple]:
    session = session or db.session
    table = NetworkTie.__table__
    rows = session.execute(select(*(table.c[name] for name in COLUMNS)))
    return {tuple(_normalised(row)) for row in rows}


def _normalised(row) -> tuple:
    a, b, field_id, quarter, weight, last = row
    if isinstance(last, str):
        last = date.fromisoformat(last)
    return int(a), int(b), int(field_id), int(quarter), int(weight), last
