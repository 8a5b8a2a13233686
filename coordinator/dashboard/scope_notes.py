"""What the dashboard says about who counts in the scope: the newly registered
stakeholders shown apart, and how many stakeholders a field-of-work filter leaves out.

Both come from the scope's stored figures (the job's :class:`Membership`), so a page only
looks up the names of the few newcomers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..network.data.figure_store import MEMBERS, stored_payload
from ..network.data.scope import Scope
from ..network.web.pseudonyms import names_for_viewer
from ..register.models import Stakeholder


@dataclass
class ScopeNotes:
    newcomers: list[tuple[int, str]] = field(default_factory=list)  # (id, name)
    counted: int = 0  # stakeholders the figures count
    left_out: int = 0  # active stakeholders of the kinds shown that do not work in the field


def scope_notes(scope: Scope, counted_ids: Collection[int]) -> ScopeNotes:
    """Newcomers (registered within the period, active, of a kind shown, in the field by the
    register, without a joint activity) by name, and the stakeholders the field leaves out,
    as the scope's stored figures counted them. ``counted_ids`` are the stakeholders those
    figures count. Individuals appear under a pseudonym for roles that may not see their
    names."""
    stored = stored_payload(MEMBERS, scope) or {}
    newcomer_ids = stored.get("newcomers", [])
    s = Stakeholder.__table__
    rows = db.session.execute(
        select(s.c.id, s.c.name, s.c.kind).where(s.c.id.in_(newcomer_ids)).order_by(s.c.name)
    ).all() if newcomer_ids else []
    hidden = names_for_viewer((row.id, getattr(row.kind, "value", row.kind)) for row in rows)
    newcomers = [(row.id, hidden.get(row.id, row.name)) for row in rows]
    return ScopeNotes(newcomers, len(counted_ids), stored.get("outside_field", 0))
