"""How connected the network is: density, components, isolation, cross-sector ties, and the
department × department and department × field-of-work matrices.

Pure functions; each accepts the networkx graph of the contract (node attributes ``name``,
``kind``, ``fields``; edge attributes ``weight``, ``last``) or its
:class:`~coordinator.network.analysis.compact.CompactGraph`, and returns stakeholder ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from .compact import CompactGraph, as_compact


def _density(n: int, m: int) -> float:
    # networkx's expression, so the floats agree to the last bit.
    if n <= 1:
        return 0
    return m / (n * (n - 1)) * 2


def density(G: nx.Graph | CompactGraph) -> float:
    """Share of all possible ties that exist: ``2m / (n (n - 1))``; 0 below 2 nodes.

    Examples
    --------
    >>> density(nx.path_graph(3))
    0.6666666666666666
    """
    cg = as_compact(G)
    return _density(cg.n, cg.m)


def department_density(G: nx.Graph | CompactGraph) -> float:
    """Density of the subgraph induced by the departments (ties among departments only).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([(1, {"kind": "department"}), (2, {"kind": "department"}),
    ...                   (3, {"kind": "group"})])
    >>> G.add_edges_from([(1, 3), (2, 3)])
    >>> department_density(G)
    0.0
    """
    cg = as_compact(G)
    dept = cg.is_department
    return _density(int(dept.sum()), int((dept[cg.u] & dept[cg.v]).sum()))


def component_labels(G: nx.Graph | CompactGraph) -> np.ndarray:
    """Component number (0..c-1, in order of first node) for every node index
    (:attr:`CompactGraph.component_labels`)."""
    return as_compact(G).component_labels


def component_count(G: nx.Graph | CompactGraph) -> int:
    """Number of connected components (an isolated stakeholder is a component of its own).

    Examples
    --------
    >>> component_count(nx.Graph([(1, 2), (3, 4)]))
    2
    """
    cg = as_compact(G)
    return int(component_labels(cg).max()) + 1 if cg.n else 0


def isolates(G: nx.Graph | CompactGraph) -> list[int]:
    """Stakeholders without any tie, in graph order.

    Examples
    --------
    >>> G = nx.Graph([(1, 2)]); G.add_node(3)
    >>> isolates(G)
    [3]
    """
    cg = as_compact(G)
    return [cg.ids[i] for i in np.flatnonzero(cg.degree == 0).tolist()]


def department_degree(cg: CompactGraph) -> np.ndarray:
    """For every node, the number of departments it is tied to."""
    dept = cg.is_department
    return np.bincount(cg.u[dept[cg.v]], minlength=cg.n) + np.bincount(
        cg.v[dept[cg.u]], minlength=cg.n
    )


def isolated_departments(G: nx.Graph | CompactGraph) -> list[int]:
    """Departments without a tie to any *other department* (they may still work with groups
    or individuals): the central warning sign for cross-departmental work.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([(1, {"kind": "department"}), (2, {"kind": "department"}),
    ...                   (3, {"kind": "department"}), (4, {"kind": "group"})])
    >>> G.add_edges_from([(1, 2), (3, 4)])
    >>> isolated_departments(G)
    [3]
    """
    cg = as_compact(G)
    alone = cg.is_department & (department_degree(cg) == 0)
    return [cg.ids[i] for i in np.flatnonzero(alone).tolist()]


def cross_sector_share(G: nx.Graph | CompactGraph) -> float | None:
    """Share of ties that link administration (departments) with civil society (groups or
    individuals); ``None`` when there are no ties.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([(1, {"kind": "department"}), (2, {"kind": "group"}),
    ...                   (3, {"kind": "individual"})])
    >>> G.add_edges_from([(1, 2), (2, 3)])
    >>> cross_sector_share(G)
    0.5
    """
    cg = as_compact(G)
    return _share_of_ties_between_different(cg, cg.is_department)


def cross_kind_share(G: nx.Graph | CompactGraph) -> float | None:
    """Share of ties between two different kinds (group ↔ individual counts too); ``None``
    without ties.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([(1, {"kind": "department"}), (2, {"kind": "group"}),
    ...                   (3, {"kind": "individual"})])
    >>> G.add_edges_from([(1, 2), (2, 3)])
    >>> cross_kind_share(G)
    1.0
    """
    cg = as_compact(G)
    return _share_of_ties_between_different(cg, cg.kind_codes)


def _share_of_ties_between_different(cg: CompactGraph, labels) -> float | None:
    """Share of ties whose two ends carry different ``labels`` (an array per node index)."""
    if not cg.m:
        return None
    return int((labels[cg.u] != labels[cg.v]).sum()) / cg.m


def department_matrix(G: nx.Graph | CompactGraph) -> list[tuple[int, int, int]]:
    """Joint activities per pair of departments, as sparse triples ``(a, b, activities)``
    in graph order (pairs without joint activities are left out).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([(1, {"kind": "department"}), (2, {"kind": "department"})])
    >>> G.add_edge(1, 2, weight=4)
    >>> department_matrix(G)
    [(1, 2, 4)]
    """
    cg = as_compact(G)
    dept = cg.is_department
    both = np.flatnonzero(dept[cg.u] & dept[cg.v])
    ids = cg.ids
    return [
        (ids[a], ids[b], w)
        for a, b, w in zip(cg.u[both].tolist(), cg.v[both].tolist(), cg.w[both].tolist(),
                           strict=True)
    ]


@dataclass
class CoverageRow:
    """One department's row: activities with other departments per field (aligned with
    :attr:`FieldCoverage.fields`), whether it works in the field, and the flagged fields."""

    department: int
    activities: list[int]
    registered: list[bool]
    flagged: list[str]


@dataclass
class FieldCoverage:
    fields: list[str]
    rows: list[CoverageRow]


def field_coverage(
    G: nx.Graph | CompactGraph,
    cross_department_fields: dict[int, dict[str, int]] | None = None,
) -> FieldCoverage:
    """Department × field-of-work coverage.

    A cell counts the activities tagged with the field in which the department took part
    together with at least one other department (``cross_department_fields``, by default
    the graph attribute of that name, which ``load_graph`` fills from SQL). A field the
    department works in (node attribute ``fields``) without any such activity is *flagged*:
    the department works there without a cross-departmental tie.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node(1, kind="department", fields=("wohnen", "arbeit"))
    >>> coverage = field_coverage(G, {1: {"arbeit": 2}})
    >>> coverage.fields, coverage.rows[0].activities, coverage.rows[0].flagged
    (['arbeit', 'wohnen'], [2, 0], ['wohnen'])
    """
    cg = as_compact(G)
    if cross_department_fields is None:
        cross_department_fields = cg.attrs.get("cross_department_fields", {})
    dept_nodes = np.flatnonzero(cg.is_department).tolist()
    keys: set[str] = set()
    for i in dept_nodes:
        keys.update(cg.fields[i])
        keys.update(cross_department_fields.get(cg.ids[i], {}))
    fields = sorted(keys)
    rows = []
    for i in dept_nodes:
        counts = cross_department_fields.get(cg.ids[i], {})
        own = set(cg.fields[i])
        activities = [int(counts.get(f, 0)) for f in fields]
        registered = [f in own for f in fields]
        flagged = [f for f, n, mine in zip(fields, activities, registered, strict=True)
                   if mine and n == 0]
        rows.append(CoverageRow(cg.ids[i], activities, registered, flagged))
    return FieldCoverage(fields, rows)
