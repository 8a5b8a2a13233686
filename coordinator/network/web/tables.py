"""The table alternative of every map (BITV): the same nodes, ties and warnings as rows.

Rows are plain data built from the graph; the templates render them (escaped by Jinja).
``ListPage`` pages through a list the way ``db.paginate`` pages through a query, so the
shared pagination macro works for both.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import networkx as nx
from flask_babel import lazy_gettext as _l

from ..analysis.compact import CompactGraph, as_compact
from ..analysis.tie_ranking import rank_ties
from ..data.ranked_ties import RankedTiePages, ranked_limit, ranked_tie_pages

INLINE_ROWS = 100  # rows shown under a map; the full tables are paginated pages
PER_PAGE = 50

WARNING_ISOLATED = _l("isoliertes Ressort: keine gemeinsame Aktivität mit einem anderen Ressort")
WARNING_NO_TIES = _l("keine gemeinsame Aktivität im gewählten Ausschnitt")


@dataclass
class NodeRow:
    id: int
    name: str
    kind: str
    degree: int
    strength: int
    warnings: list = field(default_factory=list)


@dataclass
class TieRow:
    a: int
    a_name: str
    b: int
    b_name: str
    weight: int
    last: date | None


def node_rows(graph: nx.Graph | CompactGraph, isolated: Collection[int] = ()) -> list[NodeRow]:
    """Every node, most connected first (then by name)."""
    cg = as_compact(graph)
    isolated = set(isolated)
    degree = cg.degree.tolist()
    strength = cg.strength.tolist()
    rows = []
    for i, node in enumerate(cg.ids):
        warnings = []
        if node in isolated:
            warnings.append(WARNING_ISOLATED)
        elif degree[i] == 0:
            warnings.append(WARNING_NO_TIES)
        rows.append(NodeRow(node, cg.names[i], cg.kinds[i], degree[i], strength[i], warnings))
    rows.sort(key=lambda r: (-r.degree, -r.strength, r.name.casefold(), r.id))
    return rows


def tie_rows(
    graph: nx.Graph | CompactGraph, limit: int | None = None, offset: int = 0
) -> list[TieRow]:
    """Ties, strongest first (then the most recent, then by names): rows ``offset`` to
    ``offset + limit`` (all when ``limit`` is None). Ranked in numpy; rows are made only
    for what is returned (a map page shows a hundred ties of a few hundred thousand)."""
    cg = as_compact(graph)
    if cg.m == 0:
        return []
    ranking = rank_ties(cg, None if limit is None else offset + limit)
    rows = []
    for t, a, b in zip(ranking.order[offset:].tolist(), ranking.first[offset:].tolist(),
                       ranking.second[offset:].tolist(), strict=True):
        last = int(cg.last[t])
        rows.append(TieRow(cg.ids[a], cg.names[a], cg.ids[b], cg.names[b], int(cg.w[t]),
                           date.fromordinal(last) if last > 0 else None))
    return rows


def alphabetical(row: TieRow) -> TieRow:
    """The name first in the alphabet on the left, as in the map's tie list."""
    if (row.b_name.casefold(), row.b) < (row.a_name.casefold(), row.a):
        return TieRow(row.b, row.b_name, row.a, row.a_name, row.weight, row.last)
    return row


def ranked_ties_for_table(graph: CompactGraph) -> RankedTiePages:
    """The pages of the tie table the queue's job stores with the scope's figures."""
    return ranked_tie_pages(graph, ranked_limit(), PER_PAGE)


class ListPage:
    """One page of a list, with the attributes the ``pagination`` macro uses."""

    def __init__(self, items: Sequence, page: int, per_page: int = PER_PAGE,
                 total: int | None = None):
        """``items``: the whole list, or only this page's items when ``total`` is given."""
        self.total = len(items) if total is None else total
        self.per_page = per_page
        self.pages = max(1, math.ceil(self.total / per_page))
        self.page = min(max(page, 1), self.pages)
        start = (self.page - 1) * per_page
        self.items = list(items[start:start + per_page] if total is None else items)

    @classmethod
    def of_total(cls, total: int, page: int, fetch, per_page: int = PER_PAGE) -> ListPage:
        """A page of ``total`` items of which only this page is made:
        ``fetch(offset, limit)`` returns them."""
        number = min(max(page, 1), max(1, math.ceil(total / per_page)))
        return cls(fetch((number - 1) * per_page, per_page), number, per_page, total)

    @classmethod
    def of_counted(cls, page: int, fetch, per_page: int = PER_PAGE) -> ListPage:
        """A page whose query counts all items itself (``count(*) OVER ()``), which spares
        a second pass over an aggregate: ``fetch(offset, limit)`` returns ``(items,
        total)``, ``total`` 0 when the page is empty. A page past the end is asked again as
        the last page."""
        number = max(page, 1)
        items, total = fetch((number - 1) * per_page, per_page)
        if not items and number > 1:
            _items, total = fetch(0, 1)
            number = max(1, math.ceil(total / per_page))
            items, total = fetch((number - 1) * per_page, per_page)
        return cls(items, number, per_page, total)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def iter_pages(
        self, *, left_edge: int = 2, left_current: int = 2, right_current: int = 4,
        right_edge: int = 2,
    ) -> Iterator[int | None]:
        """Page numbers with ``None`` for gaps (the same contract as Flask-SQLAlchemy's)."""
        pages_end = self.pages + 1
        if pages_end == 1:
            return
        left_end = min(1 + left_edge, pages_end)
        yield from range(1, left_end)
        if left_end == pages_end:
            return
        mid_start = max(left_end, self.page - left_current)
        mid_end = min(self.page + right_current + 1, pages_end)
        if mid_start - left_end > 0:
            yield None
        yield from range(mid_start, mid_end)
        if mid_end == pages_end:
            return
        right_start = max(mid_end, pages_end - right_edge)
        if right_start - mid_end > 0:
            yield None
        yield from range(right_start, pages_end)


