"""Who counts in a scope: the field-of-work filter and newly registered stakeholders.

With a field of work, only stakeholders that work in that field count – by the register
(the field is one of theirs) or by activity (they took part in a joint activity of the
field). Without this, every department outside the field counted as an isolated department
and as a part of its own.

A stakeholder registered within the period (or lately) that has no joint activity yet is
*new*, not isolated: it is shown apart and left out of the figures, so that growth of the
register does not raise warnings or lower the density.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from .compact import CompactGraph
from .layout import subgraph


@dataclass
class Membership:
    """The graph the figures are computed on, and who was left out and why."""

    graph: CompactGraph
    newcomers: list[int] = field(default_factory=list)  # ids: registered lately, no tie yet
    outside_field: int = 0  # stakeholders left out because they do not work in the field


def scope_members(
    cg: CompactGraph, field_key: str | None = None, registered_lately: Collection[int] = ()
) -> Membership:
    """The part of ``cg`` that counts (see the module text).

    ``cg`` is the graph of the scope (its ties already limited to the field's activities);
    ``registered_lately`` are the ids of stakeholders registered within the period.

    Examples
    --------
    >>> from datetime import date
    >>> from .compact import NodeRecord, TieRecord
    >>> cg = CompactGraph.from_records(
    ...     [NodeRecord(1, "Jugendamt", "department", ("wohnen",)),
    ...      NodeRecord(2, "Bauamt", "department"), NodeRecord(3, "Verein", "group"),
    ...      NodeRecord(4, "Neu", "department", ("wohnen",))],
    ...     [TieRecord(2, 3, 1, date(2026, 1, 5))])
    >>> m = scope_members(cg, "wohnen", registered_lately=[4])
    >>> m.graph.ids, m.newcomers, m.outside_field
    ([1, 2, 3], [4], 0)
    >>> scope_members(cg, "bildung").outside_field
    2
    """
    degree = cg.degree
    keep = np.ones(cg.n, dtype=bool)
    outside = 0
    if field_key:
        in_field = np.array([field_key in fields for fields in cg.fields], dtype=bool)
        keep = in_field | (degree > 0)
        outside = int((~keep).sum())
    lately = set(registered_lately)
    newcomer = np.array([node in lately for node in cg.ids], dtype=bool) & (degree == 0) & keep
    keep &= ~newcomer
    if keep.all():
        return Membership(cg)
    return Membership(
        subgraph(cg, np.flatnonzero(keep).tolist()),
        newcomers=[cg.ids[i] for i in np.flatnonzero(newcomer).tolist()],
        outside_field=outside,
    )
