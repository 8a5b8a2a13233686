"""The "what if X left" figures of every stakeholder at once, for storing with a scope's
figures, so that a page can show them without loading the network.

:func:`~.centrality.what_if_removed` answers for one stakeholder by walking the network
(the reference). :func:`what_if_table` answers for all of them from ONE depth-first search:
only articulation points cut anyone off, and for those the pieces are ranges of the
search's preorder. Everything else a stakeholder's absence changes follows from its own
ties, which a page reads anyway, and the stakeholders with one tie or none, which the table
keeps as well: :func:`what_if_from_table`.
Pure: numpy and the standard library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .centrality import DepthFirst, WhatIf, depth_first
from .cohesion import department_degree
from .compact import CompactGraph

MAX_NAMES = 30  # enough names to act on; the count is always exact


@dataclass
class WhatIfTable:
    """What the network of a scope would lose without each of its stakeholders, as far as
    it needs the whole network: the components, and for every articulation point the
    ``(parts, cut-off count, first max_names cut-off ids)``; per department, how many
    departments it is tied to; who has exactly one tie (``leaves``) and who has none
    (``isolates``)."""

    components: int
    key_persons: dict[int, tuple[int, int, list[int]]]
    department_degree: dict[int, int]
    leaves: set[int]
    isolates: set[int]
    max_names: int = MAX_NAMES

    def to_dict(self) -> dict:
        """JSON-ready (object keys are strings in JSON)."""
        return {
            "components": self.components,
            "max_names": self.max_names,
            "key_persons": {str(node): [parts, count, first]
                            for node, (parts, count, first) in self.key_persons.items()},
            "department_degree": {str(node): d for node, d in self.department_degree.items()},
            "leaves": sorted(self.leaves),
            "isolates": sorted(self.isolates),
        }

    def isolated_departments(self) -> set[int]:
        """The departments tied to no other department (as :func:`.isolated_departments`)."""
        return {node for node, degree in self.department_degree.items() if degree == 0}

    @classmethod
    def from_dict(cls, data: dict) -> WhatIfTable:
        return cls(
            components=data["components"],
            key_persons={int(node): (parts, count, first)
                         for node, (parts, count, first) in data["key_persons"].items()},
            department_degree={int(node): d for node, d in data["department_degree"].items()},
            leaves=set(data["leaves"]),
            isolates=set(data["isolates"]),
            max_names=data["max_names"],
        )


def what_if_table(cg: CompactGraph, max_names: int = MAX_NAMES) -> WhatIfTable:
    """The :class:`WhatIfTable` of ``cg``: one depth-first search plus, per articulation
    point, a numpy gather of the nodes it cuts off. Long chains of articulation points cost
    up to the square of their length in numpy copies (the worst case, a path of 20,000
    stakeholders, takes about 2 s on the benchmark machine); real networks have a few small
    pieces per point.

    Examples
    --------
    >>> import networkx as nx
    >>> from .compact import as_compact
    >>> table = what_if_table(as_compact(nx.Graph([(1, 2), (2, 3), (3, 4), (3, 5)])))
    >>> table.components, table.key_persons
    (1, {3: (3, 2, [4, 5]), 2: (2, 1, [1])})
    """
    search = depth_first(cg)
    key_persons = {}
    for v, sizes in search.piece_sizes().items():
        cut = _cut_off(search, v)
        count = search.component_size[v] - 1 - max(sizes)
        key_persons[cg.ids[v]] = (len(sizes), count, [cg.ids[i] for i in _first(cut, max_names)])
    departments = np.flatnonzero(cg.is_department)
    degree = department_degree(cg)[departments]
    ids = np.asarray(cg.ids, dtype=np.int64)
    return WhatIfTable(
        components=search.components,
        key_persons=key_persons,
        department_degree={cg.ids[i]: d for i, d in zip(departments.tolist(), degree.tolist(),
                                                        strict=True)},
        leaves=set(ids[cg.degree == 1].tolist()),
        isolates=set(ids[cg.degree == 0].tolist()),
        max_names=max_names,
    )


def _cut_off(search: DepthFirst, v: int) -> np.ndarray:
    """Node indices cut off without articulation point ``v``: every piece but the largest
    (of equal ones, the one with the smallest node index stays, as in
    :func:`~.centrality.what_if_removed`)."""
    order, disc, size = search.order, search.disc, search.size
    children = search.separated[v]
    start, total = search.component_start[v], search.component_size[v]
    rest = total - 1 - sum(size[w] for w in children)
    biggest = max(children, key=lambda w: (size[w], -search.smallest[w]))
    keep_rest = rest > size[biggest] or (
        rest == size[biggest] and _rest_smallest(search, v) < search.smallest[biggest])
    if keep_rest:
        return np.concatenate([order[disc[w]:disc[w] + size[w]] for w in children])
    lo, hi = int(disc[biggest]), int(disc[biggest]) + size[biggest]
    cut = np.concatenate((order[start:lo], order[hi:start + total]))
    return cut[cut != v]


def _rest_smallest(search: DepthFirst, v: int) -> int:
    """The smallest node index of the piece that keeps ``v``'s parent (rare: only needed
    when it is as large as the largest separated subtree)."""
    start, total = search.component_start[v], search.component_size[v]
    keep = np.ones(total, dtype=bool)
    keep[int(search.disc[v]) - start] = False
    for w in search.separated[v]:
        first = int(search.disc[w]) - start
        keep[first:first + search.size[w]] = False
    return int(search.order[start:start + total][keep].min())


def _first(nodes: np.ndarray, k: int) -> list[int]:
    if len(nodes) > k:
        nodes = np.partition(nodes, k - 1)[:k] if k > 0 else nodes[:0]
    return np.sort(nodes).tolist()


@dataclass
class WhatIfSummary:
    """:class:`~.centrality.WhatIf` as a page shows it: the cut-off stakeholders counted in
    full, named up to the table's ``max_names``."""

    node: int
    cut_off_count: int
    cut_off: list[int]  # the first ones, in node order
    parts: int
    components_before: int
    components_after: int
    ties_lost: int
    activities_lost: int
    newly_isolated: list[int]
    newly_isolated_departments: list[int]

    @classmethod
    def of(cls, info: WhatIf, max_names: int = MAX_NAMES) -> WhatIfSummary:
        return cls(
            node=info.node, cut_off_count=len(info.cut_off), cut_off=info.cut_off[:max_names],
            parts=info.parts, components_before=info.components_before,
            components_after=info.components_after, ties_lost=info.ties_lost,
            activities_lost=info.activities_lost, newly_isolated=info.newly_isolated,
            newly_isolated_departments=info.newly_isolated_departments,
        )


def what_if_from_table(
    table: WhatIfTable, node: int, ties: Mapping[int, int]
) -> WhatIfSummary | None:
    """What the network would lose without ``node``, from the stored ``table`` and the
    node's ``ties`` (partner id → joint activities); ``None`` when ``node`` is not part of
    the network (no ties, and not one of its isolates). Newly isolated stakeholders and
    departments are listed by id (the node order of graphs loaded from the database).

    Examples
    --------
    >>> table = WhatIfTable(components=1, key_persons={2: (2, 1, [3])},
    ...                     department_degree={}, leaves={1, 3}, isolates=set())
    >>> info = what_if_from_table(table, 2, {1: 4, 3: 1})
    >>> info.cut_off_count, info.parts, info.components_after, info.newly_isolated
    (1, 2, 2, [1, 3])
    """
    if not ties and node not in table.isolates:
        return None
    parts, count, first = table.key_persons.get(node, (1 if ties else 0, 0, []))
    departments = table.department_degree
    return WhatIfSummary(
        node=node,
        cut_off_count=count,
        cut_off=list(first),
        parts=parts,
        components_before=table.components,
        components_after=table.components - 1 + parts,
        ties_lost=len(ties),
        activities_lost=int(sum(ties.values())),
        newly_isolated=sorted(p for p in ties if p in table.leaves),
        newly_isolated_departments=(
            sorted(p for p in ties if departments.get(p) == 1) if node in departments else []),
    )
