"""The network of a scope, read from the database with aggregates — never by loading
activity objects.

Scopes whose period covers whole quarters (every scope the pages offer) read the tie store
(``network_tie``, :mod:`.tie_store`): indexed rows per pair and quarter, summed up here.
Other periods (``flask metrics --since 2026-02-05``) aggregate the participations as below.

The ties are ONE query over the participation table joined with itself (``p1.stakeholder_id
< p2.stakeholder_id`` on the same activity), grouped by pair with ``count(*)`` (the weight)
and ``max(date)`` (the last joint activity), filtered by period, field of work, active
stakeholders and kinds. The rows go straight into numpy arrays (:mod:`.bulk_fetch`). The
queue's job reads a scope once, per pair and quarter, in :mod:`.scope_ties`.
"""

from __future__ import annotations

from datetime import date

import networkx as nx
import numpy as np
from sqlalchemy import and_, exists, func, select

from ...activities.models import JointActivity, activity_field, participation
from ...cases.referral_models import CaseDerivedActivity
from ...extensions import db
from ...register.models import FieldOfWork, Stakeholder, stakeholder_field
from ..analysis.compact import CompactGraph, NodeRecord
from ..analysis.trend import quarter_bounds, quarter_of
from .bulk_fetch import day_number, fetch_columns
from .scope import Scope
from .tie_store import ALL_FIELDS, quarter_expression, tie_rows


def load_graph(scope: Scope) -> nx.Graph:
    """The networkx graph of the contract for ``scope`` (see :mod:`.analysis`)."""
    return load_compact(scope).to_nx()


def load_compact(scope: Scope) -> CompactGraph:
    """Nodes, ties and graph attributes (``activities``, ``cross_department_fields``)."""
    nodes = load_nodes(scope)
    a, b, weight, last = load_tie_arrays(scope)
    return CompactGraph.from_arrays(
        nodes, a, b, weight, last,
        activities=count_activities(scope),
        cross_department_fields=load_cross_department_fields(scope),
    )


def pair_totals(scope: Scope):
    if not covers_whole_quarters(scope):
        p1, p2, ja = _pair_tables()
        return (
            select(p1.c.stakeholder_id.label("a_id"), p2.c.stakeholder_id.label("b_id"),
                   func.count().label("weight"), func.max(ja.c.date).label("last"))
            .select_from(_pair_join(p1, p2, ja))
            .where(*_pair_filters(scope, p1, p2, ja))
            .group_by(p1.c.stakeholder_id, p2.c.stakeholder_id).subquery()
        )
    t = tie_rows()
    return (
        select(t.c.a_id, t.c.b_id, func.sum(t.c.weight).label("weight"),
               func.max(t.c.last).label("last"))
        .where(*stored_tie_filters(scope, t)).group_by(t.c.a_id, t.c.b_id).subquery()
    )


def count_ties(scope: Scope) -> int:
    """How many pairs worked together in ``scope`` (tie store; whole quarters)."""
    return db.session.scalar(select(func.count()).select_from(pair_totals(scope))) or 0


def tie_page(scope: Scope, offset: int, limit: int) -> list[tuple]:
    """``(a, a_name, b, b_name, weight, last)`` of one page of ties, strongest first, then the
    most recent, then by names — the order of the map's tie list, ranked by the database."""
    pairs = pair_totals(scope)
    sa, sb = Stakeholder.__table__.alias("sa"), Stakeholder.__table__.alias("sb")
    rows = db.session.execute(
        select(pairs.c.a_id, sa.c.name, pairs.c.b_id, sb.c.name, pairs.c.weight, pairs.c.last)
        .join(sa, sa.c.id == pairs.c.a_id).join(sb, sb.c.id == pairs.c.b_id)
        .order_by(pairs.c.weight.desc(), pairs.c.last.desc(), sa.c.name_key, sb.c.name_key)
        .offset(offset).limit(limit)
    )
    return [(a, a_name, b, b_name, int(weight),
             date.fromisoformat(last) if isinstance(last, str) else last)
            for a, a_name, b, b_name, weight, last in rows]


def _summed(rows) -> list[np.ndarray]:
    """Per pair: joint activities summed over the quarters, and the last date."""
    stmt = (
        select(rows.c.a_id, rows.c.b_id, func.sum(rows.c.weight),
               day_number(func.max(rows.c.last)))
        .group_by(rows.c.a_id, rows.c.b_id)
    )
    return fetch_columns(stmt, ["int4", "int4", "int8", "date"])


def load_nodes(scope: Scope, only: set[int] | None = None) -> list[NodeRecord]:
    """Active stakeholders of the kinds in scope (``only`` these ids when given), with their
    field-of-work keys."""
    s = Stakeholder.__table__
    condition = _shown(s, scope)
    if only is not None:
        condition = and_(condition, s.c.id.in_(sorted(only)))
    rows = db.session.execute(
        select(s.c.id, s.c.name, s.c.kind).where(condition).order_by(s.c.id)
    ).all()
    fields: dict[int, list[str]] = {}
    tagged = (
        select(stakeholder_field.c.stakeholder_id, FieldOfWork.key)
        .join(FieldOfWork, FieldOfWork.id == stakeholder_field.c.field_id)
        .order_by(stakeholder_field.c.stakeholder_id, FieldOfWork.position, FieldOfWork.key)
    )
    if only is not None:
        tagged = tagged.where(stakeholder_field.c.stakeholder_id.in_(sorted(only)))
    for sid, key in db.session.execute(tagged):
        fields.setdefault(sid, []).append(key)
    return [
        NodeRecord(sid, name, _kind_value(kind), tuple(fields.get(sid, ())))
        for sid, name, kind in rows
    ]


def load_tie_arrays(scope: Scope) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(a, b, weight, last)``: stakeholder ids (a < b), joint activities, and the date of
    the last one as a proleptic ordinal (``date.toordinal``)."""
    if covers_whole_quarters(scope):
        t = tie_rows()
        stmt = (
            select(t.c.a_id, t.c.b_id, func.sum(t.c.weight), day_number(func.max(t.c.last)))
            .where(*stored_tie_filters(scope, t)).group_by(t.c.a_id, t.c.b_id)
        )
        return fetch_columns(stmt, ["int4", "int4", "int8", "date"])
    p1, p2, ja = _pair_tables()
    stmt = (
        select(p1.c.stakeholder_id, p2.c.stakeholder_id, func.count(),
               day_number(func.max(ja.c.date)))
        .select_from(_pair_join(p1, p2, ja))
        .where(*_pair_filters(scope, p1, p2, ja))
        .group_by(p1.c.stakeholder_id, p2.c.stakeholder_id)
    )
    a, b, weight, last = fetch_columns(stmt, ["int4", "int4", "int8", "date"])
    return a, b, weight, last


def count_activities(scope: Scope) -> int:
    ja = JointActivity.__table__
    return db.session.scalar(
        select(func.count()).select_from(ja).where(*_activity_filters(scope, ja))
    ) or 0


def load_cross_department_fields(scope: Scope) -> dict[int, dict[str, int]]:
    """Per department and field: activities tagged with the field in which the department
    took part together with at least one other department (in scope)."""
    if not scope.shows("department"):
        return {}
    p1, p2, ja = _pair_tables()
    af = activity_field.alias("af")
    fw = FieldOfWork.__table__.alias("fw")
    departments = _stakeholders_in(Scope(kinds=frozenset({"department"})))
    stmt = (
        select(p1.c.stakeholder_id, fw.c.key, func.count(p1.c.activity_id.distinct()))
        .select_from(
            p1.join(p2, and_(p2.c.activity_id == p1.c.activity_id,
                             p2.c.stakeholder_id != p1.c.stakeholder_id))
            .join(ja, ja.c.id == p1.c.activity_id)
            .join(af, af.c.activity_id == p1.c.activity_id)
            .join(fw, fw.c.id == af.c.field_id)
        )
        .where(
            p1.c.stakeholder_id.in_(departments), _unindexed(p2.c.stakeholder_id).in_(departments),
            *_period_filters(scope, ja),
            *([fw.c.key == scope.field] if scope.field else []),
        )
        .group_by(p1.c.stakeholder_id, fw.c.key)
    )
    result: dict[int, dict[str, int]] = {}
    for sid, key, n in db.session.execute(stmt):
        result.setdefault(sid, {})[key] = n
    return result


def first_activity_date(scope: Scope) -> date | None:
    ja = JointActivity.__table__
    return db.session.scalar(select(func.min(ja.c.date)).where(*_activity_filters(scope, ja)))


def _activities_per_quarter(scope: Scope, quarters: list[int]) -> dict[int, int]:
    if not quarters:
        return {}
    ja = JointActivity.__table__
    quarter = _quarter_expression(ja.c.date)
    start, _ = quarter_bounds(quarters[0])
    _, end = quarter_bounds(quarters[-1])
    window = Scope(
        since=max(start, scope.since) if scope.since else start,
        until=min(end, scope.until) if scope.until else end,
        field=scope.field, kinds=scope.kinds, cases=scope.cases,
    )
    return dict(db.session.execute(
        select(quarter, func.count()).select_from(ja)
        .where(*_activity_filters(window, ja)).group_by(quarter)
    ).all())


# --- query parts -------------------------------------------------------------------------


def covers_whole_quarters(scope: Scope) -> bool:
    """Whether the tie store (kept per quarter, all activities) answers ``scope`` exactly:
    not when case activities are left out."""
    if not scope.cases:
        return False
    since_ok = scope.since is None or scope.since == quarter_bounds(quarter_of(scope.since))[0]
    until_ok = scope.until is None or scope.until == quarter_bounds(quarter_of(scope.until))[1]
    return since_ok and until_ok


def stored_tie_filters(scope: Scope, t) -> list:
    """Rows of the tie store in ``scope``: its field (0 = all), its quarters, both ends
    shown."""
    shown = _stakeholders_in(scope)
    return [*stored_period_filters(scope, t), t.c.a_id.in_(shown),
            _unindexed(t.c.b_id).in_(shown)]


def stored_period_filters(scope: Scope, t) -> list:
    """Rows of the tie store in the field (0 = all) and quarters of ``scope``, whoever their
    ends (for readers that name the ends themselves)."""
    if scope.field:
        field_id = select(FieldOfWork.id).where(FieldOfWork.key == scope.field).scalar_subquery()
    else:
        field_id = ALL_FIELDS
    filters = [t.c.field_id == field_id]
    if scope.since:
        filters.append(t.c.quarter >= quarter_of(scope.since))
    if scope.until:
        filters.append(t.c.quarter <= quarter_of(scope.until))
    return filters


def _pair_tables():
    return participation.alias("p1"), participation.alias("p2"), JointActivity.__table__


def _pair_join(p1, p2, ja):
    return (
        p1.join(p2, and_(p2.c.activity_id == p1.c.activity_id,
                         p1.c.stakeholder_id < p2.c.stakeholder_id))
        .join(ja, ja.c.id == p1.c.activity_id)
    )


def _pair_filters(scope: Scope, p1, p2, ja) -> list:
    """Stakeholders in scope as ``IN (subquery)``, not as joins: with two joined stakeholder
    tables SQLite's planner (which has no statistics) loops over all stakeholders for every
    participation row as soon as a period or field filter is added — minutes instead of
    seconds."""
    shown = _stakeholders_in(scope)
    filters = [
        p1.c.stakeholder_id.in_(shown), _unindexed(p2.c.stakeholder_id).in_(shown),
        *_period_filters(scope, ja),
    ]
    if scope.field:
        filters.append(_tagged(p1.c.activity_id, scope.field))
    return filters


def _unindexed(column):
    """``column + 0``: the same value, but SQLite no longer probes the index once per
    stakeholder in the ``IN`` list; it reads the activity's participants and checks them."""
    return column + 0


def _stakeholders_in(scope: Scope):
    s = Stakeholder.__table__
    return select(s.c.id).where(_shown(s, scope))


def _activity_filters(scope: Scope, ja) -> list:
    filters = _period_filters(scope, ja)
    if scope.field:
        filters.append(_tagged(ja.c.id, scope.field))
    return filters


def _period_filters(scope: Scope, ja) -> list:
    """Period and case scope: every query over activities passes through here. Planned
    activities (dated after today) count once they have taken place."""
    filters = [ja.c.date <= date.today()]
    if scope.since:
        filters.append(ja.c.date >= scope.since)
    if scope.until:
        filters.append(ja.c.date <= scope.until)
    if not scope.cases:
        filters.append(ja.c.id.not_in(select(CaseDerivedActivity.activity_id)))
    return filters


def _tagged(activity_id_column, field_key: str):
    af = activity_field.alias("tag")
    fw = FieldOfWork.__table__.alias("tag_field")
    return exists(
        select(af.c.activity_id)
        .join(fw, fw.c.id == af.c.field_id)
        .where(af.c.activity_id == activity_id_column, fw.c.key == field_key)
    )


def _shown(s, scope: Scope):
    condition = s.c.active.is_(True)
    if scope.kinds is not None:
        condition = and_(condition, s.c.kind.in_(sorted(scope.kinds)))
    return condition


def _quarter_expression(column):
    return quarter_expression(column, db.engine.dialect.name).label("quarter")


def _kind_value(kind) -> str:
    return getattr(kind, "value", kind)
