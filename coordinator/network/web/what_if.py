"""The "what if X left" view: :func:`service.what_if` with names instead of ids."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...register.models import Stakeholder
from ..data.scope import Scope
from ..data.stored_figures import what_if

# Enough names to act on; the count is always shown in full.
MAX_NAMES = 30


@dataclass
class WhatIfView:
    name: str
    cut_off_count: int
    cut_off_names: list[str]
    parts: int
    components_before: int
    components_after: int
    ties_lost: int
    activities_lost: int
    newly_isolated_names: list[str]
    newly_isolated_department_names: list[str]


def _names(ids: list[int]) -> list[str]:
    """Names in the order of ``ids`` (at most MAX_NAMES)."""
    wanted = ids[:MAX_NAMES]
    if not wanted:
        return []
    by_id = dict(db.session.execute(
        select(Stakeholder.id, Stakeholder.name).where(Stakeholder.id.in_(wanted))
    ).all())
    return [by_id[i] for i in wanted if i in by_id]


def what_if_view(scope: Scope, stakeholder: Stakeholder) -> WhatIfView | None:
    info = what_if(scope, stakeholder.id)
    if info is None:
        return None
    return WhatIfView(
        name=stakeholder.name,
        cut_off_count=len(info.cut_off),
        cut_off_names=_names(info.cut_off),
        parts=info.parts,
        components_before=info.components_before,
        components_after=info.components_after,
        ties_lost=info.ties_lost,
        activities_lost=info.activities_lost,
        newly_isolated_names=_names(info.newly_isolated),
        newly_isolated_department_names=_names(info.newly_isolated_departments),
    )
