"""Stored map positions, so that the network map looks the same on every visit."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class NodePosition(db.Model):
    """Where a stakeholder sits on the network map (see ``layout.py``).

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
