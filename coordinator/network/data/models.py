"""Tables of the network analysis: the data revision, the metrics cache and map positions.

The revision is one counter row that every write to the network's data increases (see
``revision.py``); cached metrics are valid for exactly one revision. Keeping both in the
database (not in process memory) makes the cache shared by all gunicorn workers and CLI runs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Integer, String, Text
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
    payload: Mapped[str] = mapped_column(Text)
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
