"""The "what if X left" box of the ego view, from stored figures only.

The queue's job stores the what-if table of the scope's network with its figures
(:func:`what_if_figures`, kind ``what_if``); a page combines it with the stakeholder's own
ties, which the ego view reads anyway (:func:`what_if_ids`). No request loads or walks the
network for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..analysis.what_if import (
    MAX_NAMES,
    WhatIfSummary,
    WhatIfTable,
    what_if_from_table,
    what_if_table,
)
from ..data.figure_store import WHAT_IF, Figures, stored_payload
from ..data.scope import Scope
from ..data.stored_figures import ComputedScope


def what_if_figures(scope: Scope, computed: ComputedScope) -> dict:
    """The job's part: the what-if table of the graph the scope's metrics were computed on,
    JSON-ready."""
    return what_if_table(computed.graph, MAX_NAMES).to_dict()


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


@dataclass
class WhatIfIds:
    """The ids a :class:`WhatIfView` names, before their names are read."""

    summary: WhatIfSummary
    cut_off: list[int]
    newly_isolated: list[int]
    newly_isolated_departments: list[int]

    def ids(self) -> set[int]:
        return {*self.cut_off, *self.newly_isolated, *self.newly_isolated_departments}

    def view(self, name: str, names: Callable[[int], str | None]) -> WhatIfView:
        def named(ids: list[int]) -> list[str]:
            return [text for text in map(names, ids) if text is not None]

        info = self.summary
        return WhatIfView(
            name=name,
            cut_off_count=info.cut_off_count,
            cut_off_names=named(self.cut_off),
            parts=info.parts,
            components_before=info.components_before,
            components_after=info.components_after,
            ties_lost=info.ties_lost,
            activities_lost=info.activities_lost,
            newly_isolated_names=named(self.newly_isolated),
            newly_isolated_department_names=named(self.newly_isolated_departments),
        )


def stored_what_if(scope: Scope, figures: Figures) -> WhatIfTable | None:
    """The scope's stored what-if table; ``None`` while its figures are pending.
    ``figures``: what :func:`read_figures` returned."""
    data = None if figures.pending else stored_payload(WHAT_IF, scope)
    return None if data is None else WhatIfTable.from_dict(data)


def what_if_ids(
    table: WhatIfTable | None, node: int, ties: Mapping[int, int]
) -> WhatIfIds | None:
    """What the network would lose without ``node`` (its ``ties``: partner → joint
    activities); ``None`` without a ``table`` (:func:`stored_what_if`), or when the
    stakeholder is not part of the counted network."""
    if table is None:
        return None
    info = what_if_from_table(table, node, ties)
    if info is None:
        return None
    return WhatIfIds(info, info.cut_off[:MAX_NAMES], info.newly_isolated[:MAX_NAMES],
                     info.newly_isolated_departments[:MAX_NAMES])
