"""The stored figures every page reads: the latest of a scope, however old, and how fresh.

Pages call :func:`read_figures` and never compute. A scope seen for the first time gets a
job row (``network_job``) and is handed to the queue; a stale one is handed to the queue
unless a worker already holds it. The rows live in ``network_cache`` under
``metrics|<scope>`` and ``view|<scope>`` and are replaced only by newer ones, so the
previous figures stay visible while a recomputation runs or after it failed.

Bounds (hardening): one user may start ``NETWORK_NEW_SCOPES_PER_MINUTE`` new scopes per
minute, and at most ``NETWORK_MAX_SCOPES`` scopes are kept; beyond that the scope read least
recently is evicted with its figures (never the whole network).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...database import write_intent
from ...extensions import db
from ...timeutil import utcnow
from ..analysis.metrics import NetworkMetrics
from .export_store import delete_exports
from .memo import LatestMemo, LruMemo
from .models import NetworkCache, NetworkJob
from .ranked_ties import RankedTiePages, delete_ranked_ties, store_ranked_ties
from .revision import current_revision
from .scope import Scope

METRICS, VIEW, FADING, WHAT_IF = "metrics", "view", "fading", "what_if"
MEMBERS = "members"  # who the figures leave out: newcomers, stakeholders outside the field
MAP = "map"  # the map's JSON text as pages embed it (stored as text, never parsed to read)
KINDS = (METRICS, VIEW, FADING, WHAT_IF, MEMBERS, MAP)  # stored, replaced, evicted together
TEXT_KINDS = frozenset({MAP})  # their payloads are JSON text already
TOUCH_EVERY = timedelta(minutes=5)  # last_read_at is written at most this often per scope
_parsed = LatestMemo(16)  # parsed payloads per process: JSON parsing is the reader's only work
_nudged = LruMemo(64)  # (database, scope) → (data, stored) revisions last enqueued for


@dataclass
class Freshness:
    computed_at: datetime | None
    updating: bool  # a newer revision is waiting or being computed
    failed: bool = False  # the last attempt failed (the figures shown are older)
    refused: bool = False  # a new scope was not started (too many in a minute)

    @property
    def age_seconds(self) -> int | None:
        if self.computed_at is None:
            return None
        return max(0, int((utcnow() - self.computed_at).total_seconds()))


@dataclass
class Figures:
    """The scope's stored figures. ``metrics`` are parsed when first asked for (once per
    process and revision): the map page needs only the view, and the metrics of L are 5.4 MB
    of JSON, 0.4 s of the first map request after each recomputation."""

    stored_metrics: Callable[[], NetworkMetrics] | None  # parses them; None: pending
    view: dict | None
    freshness: Freshness

    @property
    def pending(self) -> bool:
        return self.stored_metrics is None

    @cached_property
    def metrics(self) -> NetworkMetrics | None:
        return None if self.stored_metrics is None else self.stored_metrics()


def figure_key(scope: Scope) -> str:
    return scope.cache_key()


def stored_row(kind: str, key: str) -> NetworkCache | None:
    return db.session.get(NetworkCache, f"{kind}|{key}")


def is_fresh(row: NetworkCache | None, revision: int, today: date, scope: Scope) -> bool:
    """Computed for this revision, and — when the period is open — today (the trend's last
    quarter depends on the date); ``row`` is the scope's metrics row. Figures stored before
    a kind was added (an upgrade) count as stale, so the job adds it."""
    if row is None or row.revision != revision:
        return False
    if scope.until is None and row.created_at.date() < today:
        return False
    key = row.key.split("|", 1)[1]
    wanted = [f"{kind}|{key}" for kind in KINDS if kind != METRICS]
    table = NetworkCache.__table__
    present = db.session.scalar(select(func.count()).select_from(table).where(
        table.c.key.in_(wanted)))
    return present == len(wanted)


def scope_from_job(job: NetworkJob) -> Scope:
    scope, _errors = Scope.from_args(json.loads(job.scope_args), known_fields=None)
    return scope


def store_figures(key: str, revision: int, payloads: dict[str, object],
                  ranked_ties: RankedTiePages | None = None) -> None:
    """Replace the scope's figures (one row per kind in ``KINDS``, and its ranked ties) in
    the caller's transaction (the job commits)."""
    now = utcnow()
    table = NetworkCache.__table__
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    for kind, payload in payloads.items():
        if kind not in KINDS:
            raise ValueError(f"unknown kind of figures: {kind}")
        if kind in TEXT_KINDS:
            if not isinstance(payload, str):
                raise TypeError(f"the {kind} figures are stored as JSON text")
            text = payload
        else:
            text = json.dumps(payload, separators=(",", ":"), default=str)
        statement = insert(table).values(key=f"{kind}|{key}", revision=revision, payload=text,
                                         created_at=now)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"revision": revision, "payload": text, "created_at": now},
        ))
    if ranked_ties is not None:
        store_ranked_ties(key, revision, ranked_ties)


def stored_payload(kind: str, scope: Scope):
    """The stored payload of one kind of the scope's figures (parsed once per process and
    revision), ``None`` before the first computation. Call :func:`read_figures` first in a
    request: it hands a stale scope to the queue."""
    return _parse(stored_row(kind, figure_key(scope)), lambda data: data)


def stored_text(kind: str, scope: Scope) -> str | None:
    """The stored JSON text of one kind of the scope's figures, unparsed (``None`` before
    the first computation)."""
    row = stored_row(kind, figure_key(scope))
    return None if row is None else row.payload


def read_figures(scope: Scope, *, view: bool = False, user_id: int | None = None) -> Figures:
    """The latest stored figures of ``scope`` (metrics, and the map view with ``view``)."""
    from ..jobs.queue import network_queue

    key = figure_key(scope)
    revision = current_revision()
    job = db.session.get(NetworkJob, key)
    refused = False
    if job is None:
        refused = not _start_scope(scope, key, user_id)
    else:
        _touch(job)
    row = stored_row(METRICS, key)
    fresh = is_fresh(row, revision, date.today(), scope)
    held = job is not None and job.lease_until is not None and job.lease_until > utcnow()
    queue = network_queue()
    stored_revision = row.revision if row is not None else None
    if not fresh and not refused and not held and _first_nudge(key, revision, stored_revision):
        queue.enqueue([key])
        if queue.mode == "immediate":
            db.session.rollback()  # see what the task just stored
            row = stored_row(METRICS, key)
            fresh = is_fresh(row, current_revision(), date.today(), scope)
            job = db.session.get(NetworkJob, key)
    view_data = _parse(stored_row(VIEW, key), lambda data: data) if view and row else None
    freshness = Freshness(
        computed_at=row.created_at if row else None,
        updating=not fresh and not refused,
        failed=bool(job and job.last_error),
        refused=refused,
    )
    return Figures(_parse_later(row, NetworkMetrics.from_dict), view_data, freshness)


def _first_nudge(key: str, revision: int, stored_revision: int | None) -> bool:
    """Whether this process has not yet handed ``key`` to the queue for the data at
    ``revision`` while its stored figures were those of ``stored_revision``. Under
    load every read of a stale scope would otherwise enqueue a task (20 a second), and the
    worker would spend its time claiming and releasing; the writer's own nudge after its
    commit and the periodic sweep make sure the scope is computed."""
    memo_key = (str(db.engine.url), key)
    if _nudged.get(memo_key) == (revision, stored_revision):
        return False
    _nudged.put(memo_key, (revision, stored_revision))
    return True


def _parse(row: NetworkCache | None, build):
    later = _parse_later(row, build)
    return None if later is None else later()


def _parse_later(row: NetworkCache | None, build) -> Callable[[], object] | None:
    """What parses ``row``'s payload when called (once per process and revision). The text
    (a deferred column) is loaded only then: most pages that read the figures' freshness never
    parse the metrics, whose text is 5.4 MB at L (28 ms of every ego view loaded it)."""
    if row is None:
        return None
    memo_key, version = (str(db.engine.url), row.key), (row.revision, row.created_at)
    value = _parsed.get(memo_key, version)
    if value is not None:
        return lambda: value

    def parse():
        parsed = _parsed.get(memo_key, version)
        if parsed is None:
            parsed = build(json.loads(row.payload))
            _parsed.put(memo_key, version, parsed)
        return parsed

    return parse


def _start_scope(scope: Scope, key: str, user_id: int | None) -> bool:
    """Create the scope's job row, within the per-user rate and the cap on stored scopes.
    Own short transaction: a page view must not hold the write lock."""
    config = current_app.config
    now = utcnow()
    table = NetworkJob.__table__
    with write_intent(), db.engine.begin() as connection:
        if user_id is not None and scope != Scope():
            recent = connection.scalar(select(func.count()).select_from(table).where(
                table.c.requested_by == user_id, table.c.requested_at > now - timedelta(minutes=1)
            ))
            if recent >= config.get("NETWORK_NEW_SCOPES_PER_MINUTE", 5):
                return False
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        connection.execute(insert(table).values(
            key=key, scope_args=json.dumps(scope.to_args()), requested_at=now,
            requested_by=user_id, last_read_at=now, attempts=0,
        ).on_conflict_do_nothing())
        _evict(connection, config.get("NETWORK_MAX_SCOPES", 40))
    return True


def _evict(connection, keep: int) -> None:
    """Drop the scopes read least recently beyond ``keep`` (never the whole network)."""
    table = NetworkJob.__table__
    whole = figure_key(Scope())
    surplus = connection.scalars(
        select(table.c.key).where(table.c.key != whole)
        .order_by(table.c.last_read_at.desc()).offset(max(keep - 1, 0))
    ).all()
    if not surplus:
        return
    cache = NetworkCache.__table__
    connection.execute(delete(table).where(table.c.key.in_(surplus)))
    connection.execute(delete(cache).where(cache.c.key.in_(
        [f"{kind}|{key}" for key in surplus for kind in KINDS])))
    delete_ranked_ties(connection, surplus)
    delete_exports(connection, surplus)


def _touch(job: NetworkJob) -> None:
    now = utcnow()
    if job.last_read_at and now - job.last_read_at < TOUCH_EVERY:
        return
    table = NetworkJob.__table__
    with write_intent(), db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.key == job.key).values(last_read_at=now))


def purge_figures_naming(name: str) -> None:
    """Delete every stored figure whose payload contains ``name`` (anonymisation, deletion),
    in the caller's transaction; the jobs recompute them without it."""
    needle = json.dumps(name)[1:-1]
    table = NetworkCache.__table__
    naming = table.c.payload.contains(needle, autoescape=True)
    keys = db.session.scalars(select(table.c.key).where(naming)).all()
    db.session.execute(delete(table).where(naming))
    # The ranked ties hold ids only, but go with their figures; the export files are
    # compressed (not searchable) and may name anybody: all of them go.
    scopes = sorted({scope for kind, _bar, scope in (key.partition("|") for key in keys)
                     if kind in (METRICS, VIEW)})
    connection = db.session.connection()
    delete_ranked_ties(connection, scopes)
    delete_exports(connection, None)
