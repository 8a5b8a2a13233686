"""Stakeholders registered within a scope's period, and the part of a loaded graph that
counts for the scope (see :mod:`..analysis.membership`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...register.models import Stakeholder
from ..analysis.compact import CompactGraph
from ..analysis.membership import Membership, scope_members
from .scope import Scope


def registered_lately(scope: Scope, today: date | None = None) -> list[int]:
    """Ids of stakeholders registered within ``NEWCOMER_DAYS`` before the end of the
    scope's period (or today), or after it; none when the setting is 0."""
    days = int(current_app.config.get("NEWCOMER_DAYS", 0))
    if days <= 0:
        return []
    end = scope.until or today or date.today()
    s = Stakeholder.__table__
    return list(db.session.scalars(
        select(s.c.id).where(s.c.created_at >= datetime.combine(end - timedelta(days=days),
                                                                time.min))
    ))


def counted(scope: Scope, graph: CompactGraph, today: date | None = None) -> Membership:
    """The part of ``graph`` (the scope's graph) that the figures and maps count."""
    return scope_members(graph, scope.field, registered_lately(scope, today))
