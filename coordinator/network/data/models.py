"""Tables of the network analysis: the data revision, the stored figures (``network_cache``),
the jobs that keep them fresh, the tie store and map positions.

The revision is one counter row that every write to the network's data increases (see
``revision.py``); cached metrics are valid for exactly one revision. Keeping both in the
database (not in process memory) makes the cache shared by all gunicorn workers and CLI runs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import db
from ...timeutil import utcnow

REVISION_ROW_ID = 1


class NetworkRevision(db.Model):
    """A single row (id 1): the data revision of stakeholders, activities and fields."""

    __tablename__ = "network_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class NetworkCache(db.Model):
    """Computed metrics of one scope, valid for one data revision (JSON payload)."""

    __tablename__ = "network_cache"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, index=True)
    # Deferred: readers check key, revision and date on every request, and load the payload
    # (up to megabytes at M) only when their process has not parsed that revision yet.
    payload: Mapped[str] = mapped_column(Text, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class NodePosition(db.Model):
    """Where a stakeholder sits on the network map (see ``analysis/layout.py``).

    A cache, not a record: rows are created when a map first needs them and never changed
    afterwards (a new stakeholder is placed around the existing ones instead of reshuffling
    the map); deleting every row makes the next map visit lay the network out afresh.
    """

    __tablename__ = "node_position"

    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True
    )
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)

    def __repr__(self) -> str:
        return f"<NodePosition {self.stakeholder_id} ({self.x:.0f}, {self.y:.0f})>"


class NetworkJob(db.Model):
    """One scope whose figures the queue keeps up to date, and the state of its computation.

    The row is the lock: a worker computes a scope only after it set ``lease_until`` in an
    ``UPDATE … WHERE lease_until IS NULL OR lease_until < now`` that hit the row, so at most
    one computation per scope runs across all processes and hosts. A killed worker's lease
    runs out and the periodic sweep hands the scope to the next worker.
    """

    __tablename__ = "network_job"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    scope_args: Mapped[str] = mapped_column(Text)  # JSON of Scope.to_args()
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    requested_by: Mapped[int | None] = mapped_column(Integer, index=True)
    last_read_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    computed_revision: Mapped[int | None] = mapped_column(BigInteger)


class NetworkTie(db.Model):
    """The tie store: how often two stakeholders worked together in one quarter, in total
    (``field_id`` 0) and per field of work, and when last.

    Maintained in the same transaction as every activity write (``data/tie_store.py``), so a
    scope's graph is a read of indexed rows instead of a join over all participations.
    ``quarter`` is ``year * 4 + quarter - 1``; ``a_id < b_id``.
    """

    __tablename__ = "network_tie"
    __table_args__ = (
        Index("ix_network_tie_scope", "field_id", "quarter"),
        # One stakeholder's rows from either end (ego view, partner list), answered from
        # the index alone: it holds every column those pages read (at L the hub's 74,568
        # rows came from 11,414 table pages: 0.3 s). The primary key starts with a_id too,
        # but SQLite's planner, without statistics, prefers the scope index for
        # "a_id = ? AND field_id = ?" unless both columns are indexed together.
        Index("ix_network_tie_a", "a_id", "field_id", "b_id", "quarter", "weight", "last"),
        Index("ix_network_tie_b", "b_id", "field_id", "a_id", "quarter", "weight", "last"),
    )

    a_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True
    )
    b_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True
    )
    field_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[int] = mapped_column(Integer, primary_key=True)
    weight: Mapped[int] = mapped_column(Integer)
    last: Mapped[date] = mapped_column(Date)


class NetworkRankedTies(db.Model):
    """One page of a scope's ranked tie list (``PER_PAGE`` ties), as the queue's job ranked
    it (``data/ranked_ties.py``): the tie table reads one row per request.

    Only the first ``NETWORK_RANKED_TIES`` ties are stored, so that the job's write stays
    the same size however large the network; ``total`` is the scope's number of ties and
    ``stored`` how many of them the rows hold. ``payload`` is compact JSON: one
    ``[a, b, weight, last]`` per tie (stakeholder ids, the name first in the alphabet first;
    ``last`` a date ordinal, 0 for none). Replaced in the transaction that stores the
    scope's figures (``key`` is their scope key).
    """

    __tablename__ = "network_ranked_ties"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    page: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(Integer)
    stored: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)


class NetworkExport(db.Model):
    """A network export file (GEXF, GraphML, CSV) made by the queue for one scope, format,
    viewer class (``names`` or ``pseudonyms:<language>``) and data revision, gzip-compressed.

    ``status`` is ``pending`` (queued), ``running`` (a worker claimed it at ``started_at``),
    ``ready`` or ``failed`` (``error``). Kept for ``NETWORK_EXPORT_RETENTION_HOURS``; a
    newer file of the same kind replaces the older ones once it is ready.
    """

    __tablename__ = "network_export"

    scope_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fmt: Mapped[str] = mapped_column(String(20), primary_key=True)
    viewer: Mapped[str] = mapped_column(String(20), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    scope_args: Mapped[str] = mapped_column(Text)  # JSON of Scope.to_args()
    status: Mapped[str] = mapped_column(String(10))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    size: Mapped[int | None] = mapped_column(BigInteger)  # bytes before compression
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
