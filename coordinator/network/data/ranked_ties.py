"""A scope's ranked tie list, stored by the queue's job page by page (``network_ranked_ties``):
the tie table reads one row per request instead of summing the scope's tie rows.

The job ranks the ties of the graph it computed the figures on (:func:`ranked_tie_pages`,
the order of :func:`..analysis.tie_ranking.rank_ties`) and stores the first
``NETWORK_RANKED_TIES`` of them (default 10,000 = 200 pages) with the scope's figures, in
the same transaction (``figure_store.store_figures``), so that the job's write stays the
same size at any network size. Rows hold ids only; names are read when a page is shown
(pseudonyms for viewers who may not see individuals' names).

The complete list (the downloads) is read from the tie store by :func:`stream_all_ties`
when the stored ranking is cut short.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
from flask import current_app
from sqlalchemy import delete, select

from ...extensions import db
from ...register.models import Stakeholder
from ..analysis.compact import CompactGraph
from ..analysis.tie_ranking import rank_ties
from .models import NetworkRankedTies
from .scope import Scope

DEFAULT_LIMIT = 10_000


@dataclass
class RankedTiePages:
    """What the job stores: the number of ties and the pages' payloads (JSON text)."""

    total: int
    stored: int
    pages: list[str]


@dataclass
class StoredTie:
    a: int
    b: int
    weight: int
    last: date | None


@dataclass
class RankedPage:
    """One stored page: its number, its ties, the scope's number of ties and how many of
    them are stored."""

    page: int
    ties: list[StoredTie]
    total: int
    stored: int

    @property
    def cut_short(self) -> bool:
        return self.stored < self.total


def ranked_limit() -> int:
    return int(current_app.config.get("NETWORK_RANKED_TIES", DEFAULT_LIMIT))


def ranked_tie_pages(graph: CompactGraph, limit: int, per_page: int) -> RankedTiePages:
    """The first ``limit`` ties of ``graph`` in the tie lists' order, ``per_page`` a page;
    at least one (empty) page, so that a reader learns that the scope has no ties."""
    if graph.m == 0:
        return RankedTiePages(0, 0, ["[]"])
    first, second, chosen = rank_ties(graph, limit)  # ends aligned with the chosen ties
    ids = np.asarray(graph.ids, dtype=np.int64)
    rows = np.column_stack((ids[first], ids[second], graph.w[chosen],
                            np.maximum(graph.last[chosen], 0))).tolist()
    pages = [json.dumps(rows[start:start + per_page], separators=(",", ":"))
             for start in range(0, len(rows), per_page)]
    return RankedTiePages(graph.m, len(rows), pages)


def store_ranked_ties(key: str, revision: int, ranked: RankedTiePages) -> None:
    """Replace the scope's pages in the caller's transaction."""
    table = NetworkRankedTies.__table__
    db.session.execute(delete(table).where(table.c.key == key))
    db.session.execute(table.insert(), [
        {"key": key, "page": number, "revision": revision, "total": ranked.total,
         "stored": ranked.stored, "payload": payload}
        for number, payload in enumerate(ranked.pages, start=1)
    ])


def read_ranked_page(key: str, page: int) -> RankedPage | None:
    """Page ``page`` of the scope's stored ranking, or its last stored page when ``page`` lies
    beyond it (one indexed row); ``None`` when nothing is stored."""
    t = NetworkRankedTies.__table__
    row = db.session.execute(
        select(t.c.page, t.c.total, t.c.stored, t.c.payload)
        .where(t.c.key == key, t.c.page <= max(page, 1)).order_by(t.c.page.desc()).limit(1)
    ).first()
    if row is None:
        return None
    return RankedPage(row.page, _ties(row.payload), row.total, row.stored)


def read_ranked_slice(key: str, offset: int, limit: int,
                      page_size: int) -> tuple[list[StoredTie], int] | None:
    """Ties ``offset`` to ``offset + limit`` of the scope's stored ranking (pages of
    ``page_size``, as the job stored them) and the scope's number of ties; ``None`` when
    nothing is stored or the slice reaches past a ranking that was cut short (the caller
    reads the tie store then)."""
    t = NetworkRankedTies.__table__
    first, last = offset // page_size + 1, (offset + max(limit, 1) - 1) // page_size + 1
    rows = db.session.execute(
        select(t.c.page, t.c.total, t.c.stored, t.c.payload)
        .where(t.c.key == key, t.c.page.between(first, last)).order_by(t.c.page)).all()
    if not rows:
        head = db.session.execute(select(t.c.total, t.c.stored).where(
            t.c.key == key).limit(1)).first()
        if head is None or head.stored < head.total:
            return None
        return [], head.total  # past the end of a complete ranking: an empty page
    total, stored = rows[0].total, rows[0].stored
    if offset + limit > stored and stored < total:
        return None
    ties = [tie for row in rows for tie in _ties(row.payload)]
    start = offset - (first - 1) * page_size
    return ties[start:start + limit], total


def all_stored_ties(key: str) -> Iterator[StoredTie]:
    """Every stored tie of the scope, in rank order."""
    t = NetworkRankedTies.__table__
    for (payload,) in db.session.execute(
            select(t.c.payload).where(t.c.key == key).order_by(t.c.page)):
        yield from _ties(payload)


def _ties(payload: str) -> list[StoredTie]:
    return [StoredTie(a, b, weight, date.fromordinal(last) if last > 0 else None)
            for a, b, weight, last in json.loads(payload)]


def delete_ranked_ties(connection, keys: list[str]) -> None:
    """Drop the pages of ``keys`` (scope eviction, purges), on ``connection``."""
    if keys:
        table = NetworkRankedTies.__table__
        connection.execute(delete(table).where(table.c.key.in_(keys)))


@dataclass
class Person:
    """A stakeholder as a streamed tie list names it."""

    name: str
    kind: str
    public: bool


def stream_all_ties(scope: Scope) -> tuple[dict[int, Person], Iterator[StoredTie]]:
    """Every tie of ``scope`` from the tie store (or the participations, for scopes without
    case activities) in the tie lists' order, row by row: one aggregate over indexed rows,
    no graph in memory; and the stakeholders it names. Which end comes first is left to the
    reader (it depends on the names it shows).

    The database sorts by weight and date; ties equal in both are put in the names' order
    here (the order of :func:`..analysis.tie_ranking.rank_ties`), one such run at a time —
    cheaper than joining and sorting by names in SQL. The query runs on a connection of its
    own, opened here: the rows can be read after the request's context is gone (a streamed
    download); the connection is closed when they are read or the iterator is dropped."""
    from .graph_loading import pair_totals

    s = Stakeholder.__table__
    people = {
        node: Person(name, _value(kind), bool(public))
        for node, name, kind, public in db.session.execute(
            select(s.c.id, s.c.name, s.c.kind, s.c.name_public).where(s.c.active.is_(True)))
    }
    alphabetical = sorted(people, key=lambda node: (people[node].name.casefold(), node))
    rank = {node: position for position, node in enumerate(alphabetical)}
    pairs = pair_totals(scope)
    stmt = (select(pairs.c.a_id, pairs.c.b_id, pairs.c.weight, pairs.c.last)
            .order_by(pairs.c.weight.desc(), pairs.c.last.desc()))
    return people, _ranked(db.engine.connect(), stmt, rank)


def _ranked(connection, stmt, rank: dict[int, int]) -> Iterator[StoredTie]:
    def by_names(tie: StoredTie) -> tuple[int, int]:
        a, b = rank[tie.a], rank[tie.b]
        return (a, b) if a <= b else (b, a)

    try:
        run: list[StoredTie] = []
        for a, b, weight, last in connection.execution_options(yield_per=5000).execute(stmt):
            tie = StoredTie(a, b, int(weight),
                            date.fromisoformat(last) if isinstance(last, str) else last)
            if run and (run[0].weight, run[0].last) != (tie.weight, tie.last):
                run.sort(key=by_names)
                yield from run
                run = []
            run.append(tie)
        run.sort(key=by_names)
        yield from run
    finally:
        connection.close()


def _value(kind) -> str:
    return getattr(kind, "value", kind)
