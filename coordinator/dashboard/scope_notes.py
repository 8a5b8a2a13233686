"""What the dashboard says about who counts in the scope: the newly registered
stakeholders shown apart, and how many stakeholders a field-of-work filter leaves out."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..network.data.newcomers import registered_lately
from ..network.data.scope import Scope
from ..network.web.pseudonyms import names_for_viewer
from ..register.models import FieldOfWork, Stakeholder, stakeholder_field


@dataclass
class ScopeNotes:
    newcomers: list[tuple[int, str]] = field(default_factory=list)  # (id, name)
    counted: int = 0  # stakeholders the figures count
    left_out: int = 0  # active stakeholders of the kinds shown that do not work in the field


def scope_notes(scope: Scope, counted_ids: Collection[int],
                today: date | None = None) -> ScopeNotes:
    """Newcomers: registered within the period, active, of a kind shown, in the field (if
    any) by the register, and not part of the counted graph (so without a joint activity).
    ``counted_ids`` are the stakeholders the scope's stored figures count. Individuals appear
    under a pseudonym for roles that may not see their names."""
    s = Stakeholder.__table__
    shown = [s.c.active.is_(True)]
    if scope.kinds is not None:
        shown.append(s.c.kind.in_(sorted(scope.kinds)))
    in_graph = set(counted_ids)
    lately = set(registered_lately(scope, today))
    candidates = db.session.execute(
        select(s.c.id, s.c.name, s.c.kind).where(s.c.id.in_(lately), *shown).order_by(s.c.name)
    ).all() if lately else []
    if scope.field:
        in_field = set(db.session.scalars(
            select(stakeholder_field.c.stakeholder_id)
            .join(FieldOfWork, FieldOfWork.id == stakeholder_field.c.field_id)
            .where(FieldOfWork.key == scope.field)
        ))
        candidates = [row for row in candidates if row.id in in_field]
    candidates = [row for row in candidates if row.id not in in_graph]
    hidden = names_for_viewer((row.id, getattr(row.kind, "value", row.kind)) for row in candidates)
    newcomers = [(row.id, hidden.get(row.id, row.name)) for row in candidates]
    left_out = 0
    if scope.field:
        active = db.session.scalar(select(func.count()).select_from(s).where(*shown)) or 0
        left_out = max(active - len(in_graph) - len(newcomers), 0)
    return ScopeNotes(newcomers, len(in_graph), left_out)
