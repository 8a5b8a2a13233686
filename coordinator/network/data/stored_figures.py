"""Figures computed in the foreground: ``flask metrics`` and the jobs.

``get_metrics``/``metrics_dict`` answer ``flask metrics`` at once (cached per revision under
the scope key with the date), as the CLI's contract says; ``compute_for`` is what the queue's
job runs. Web pages never call these: they read ``figure_store.read_figures``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
from sqlalchemy import delete, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from ...database import expects_write, write_intent
from ...extensions import db
from ...timeutil import utcnow
from ..analysis.compact import CompactGraph
from ..analysis.metrics import NetworkMetrics, compute_metrics
from ..analysis.tie_ranking import strongest_edges
from ..analysis.trend import trend, trend_quarters
from .graph_loading import first_activity_date, load_compact
from .memo import LruMemo
from .models import NetworkCache
from .newcomers import counted
from .revision import bump_revision, current_revision
from .scope import Scope
from .scope_ties import ScopeTies, load_scope_ties

__all__ = [
    "bump_revision", "current_revision", "get_metrics", "load_compact_cached",
    "metrics_dict",
]

log = logging.getLogger("coordinator.network")
CACHE_RETENTION = timedelta(days=7)
MEMO_SIZE = 6
MEMO_MAX_TIES = 500_000  # larger graphs are not kept in process memory


_metrics_memo = LruMemo(MEMO_SIZE)
_graph_memo = LruMemo(2)


def cache_key(scope: Scope, today: date | None = None, exact: bool = False) -> str:
    """The scope's key; an open end of the period depends on today's date (the trend's
    quarters), so it is part of the key then."""
    key = scope.cache_key()
    if scope.until is None:
        key += f"|asof={(today or date.today()).isoformat()}"
    return key + "|exact" if exact else key


def get_metrics(
    scope: Scope, *, today: date | None = None, exact: bool = False
) -> NetworkMetrics:
    """All metrics of ``scope`` for the data as it is now (cached per revision). With
    ``exact`` betweenness is never sampled, however long it takes."""
    metrics, _ = _metrics_and_source(scope, today, exact)
    return metrics


def _metrics_and_source(
    scope: Scope, today: date | None, exact: bool = False
) -> tuple[NetworkMetrics, str]:
    today = today or date.today()
    revision = current_revision()
    key = cache_key(scope, today, exact)
    memo_key = (str(db.engine.url), key, revision)
    metrics = _metrics_memo.get(memo_key)
    if metrics is not None:
        return metrics, "memory"
    row = db.session.get(NetworkCache, key)
    if row is not None and row.revision == revision:
        metrics = NetworkMetrics.from_dict(json.loads(row.payload))
        _metrics_memo.put(memo_key, metrics)
        return metrics, "database"
    metrics = compute_for(scope, today, exact)
    _store(key, revision, metrics)
    _metrics_memo.put(memo_key, metrics)
    return metrics, "computed"


@dataclass
class ComputedScope:
    """What one computation of a scope yields: its metrics, the graph they were computed on
    (field members only, newcomers apart) and the tie rows per quarter it was read from."""

    metrics: NetworkMetrics
    graph: CompactGraph
    ties: ScopeTies
    first_activity: date | None
    newcomers: list[int] = field(default_factory=list)  # registered lately, no tie yet
    outside_field: int = 0  # stakeholders left out by the field-of-work filter
    drawn: np.ndarray | None = None  # the ties the map draws (strongest_edges of graph)

    def members_payload(self) -> dict:
        """Who the figures leave out and why, as the dashboard's notes show it."""
        return {"newcomers": self.newcomers, "outside_field": self.outside_field}


@dataclass
class ReadScope:
    """The job's one read of a scope (:func:`read_scope`)."""

    ties: ScopeTies
    quarters: list[int]
    first_activity: date | None


def read_scope(scope: Scope, today: date) -> ReadScope:
    first_activity = first_activity_date(scope)
    quarters = trend_quarters(today, scope.since, scope.until, first_activity)
    return ReadScope(load_scope_ties(scope, quarters), quarters, first_activity)


def compute_scope(
    scope: Scope, today: date, exact: bool = False, read: ReadScope | None = None
) -> ComputedScope:
    """Read the scope once (unless ``read`` is given) and compute its metrics, without any
    cache (the job's work)."""
    read = read or read_scope(scope, today)
    ties = read.ties
    members = counted(scope, ties.graph, today)  # field members only, newcomers apart
    graph = members.graph
    limits = {"exact_limit": graph.n} if exact else {}
    # The trend first, from every tie row; then only the rows of the ties the map draws
    # stay (its period slider), so the metrics' largest arrays do not meet the rows.
    quarter_figures = trend(graph, ties.quarter_ties(read.quarters), scope.since, scope.until)
    drawn = strongest_edges(graph)
    ids = np.asarray(graph.ids, dtype=np.int64)
    ties.keep_rows_of(ids[graph.u[drawn]], ids[graph.v[drawn]])
    metrics = replace(compute_metrics(graph, since=scope.since, until=scope.until, **limits),
                      trend=quarter_figures)
    return ComputedScope(metrics, graph, ties, read.first_activity, members.newcomers,
                         members.outside_field, drawn)


def compute_for(scope: Scope, today: date, exact: bool = False) -> NetworkMetrics:
    """The metrics of ``scope`` without any cache."""
    return compute_scope(scope, today, exact).metrics


def _store(key: str, revision: int, metrics: NetworkMetrics) -> None:
    """Best effort, in a transaction of its own: a failed cache write must never fail the
    request that computed the metrics."""
    if db.engine.dialect.name == "sqlite" and expects_write():
        return  # the session may hold SQLite's write lock; a second writer would wait on it
    payload = json.dumps(metrics.to_dict(names=False), separators=(",", ":"))
    table = NetworkCache.__table__
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    now = utcnow()
    statement = insert(table).values(key=key, revision=revision, payload=payload, created_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={"revision": revision, "payload": payload, "created_at": now},
    )
    try:
        with write_intent(), db.engine.begin() as connection:
            connection.execute(statement)
            # Only the CLI's own rows: the pages' figures (figure_store.py) stay visible
            # until their scope is recomputed.
            connection.execute(delete(table).where(table.c.key.like("v%"), or_(
                table.c.revision < revision, table.c.created_at < now - CACHE_RETENTION
            )))
    except DBAPIError as exc:
        log.warning("network metrics not cached: %s", exc.__class__.__name__)


def metrics_dict(scope: Scope, *, today: date | None = None, exact: bool = False) -> dict:
    """The JSON of ``flask metrics --json``: the metrics by name, the scope, and German
    reasons for the recommended introductions."""
    from ..web.explanations import field_labels, format_introduction_reason

    metrics, source = _metrics_and_source(scope, today, exact)
    data = metrics.to_dict(names=True)
    labels = field_labels()
    for item, introduction in zip(
        data["recommended_introductions"], metrics.recommended_introductions, strict=True
    ):
        item["reason"] = format_introduction_reason(introduction, metrics.names, labels)
    data["scope"] = scope.describe()
    data["revision"] = current_revision()
    data["source"] = source
    return data


def load_compact_cached(scope: Scope) -> CompactGraph:
    """The graph arrays of ``scope``, kept per process and revision when not too large.
    Do not modify the result."""
    key = (str(db.engine.url), scope.cache_key(), current_revision())
    graph = _graph_memo.get(key)
    if graph is None:
        graph = counted(scope, load_compact(scope)).graph
        if graph.m <= MEMO_MAX_TIES:
            _graph_memo.put(key, graph)
    return graph

