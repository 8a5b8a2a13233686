"""Whom an isolated or weakly tied department should meet.

For every department with at most :data:`WEAK_DEPARTMENT_TIES` ties to other departments,
up to three departments it does not yet work with, ranked by

    score = number of shared fields of work + Adamic–Adar index of common partners,

where the Adamic–Adar index sums ``1 / log(degree)`` over the stakeholders both already work
with (a common partner who works with few others says more than a hub). The reasons are
returned as data (fields, common partners); the German sentence is built outside this pure
module (``explanations.format_introduction_reason``).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from .cohesion import department_degree
from .compact import CompactGraph, as_compact

WEAK_DEPARTMENT_TIES = 1  # departments tied to at most this many other departments
PER_DEPARTMENT = 3
COMMON_PARTNERS_SHOWN = 3


@dataclass
class Introduction:
    department: int
    partner: int
    score: float
    shared_fields: list[str]
    common_partners: list[int]  # the most telling ones (fewest other ties) first
    adamic_adar: float


def recommended_introductions(
    G: nx.Graph | CompactGraph,
    per_department: int = PER_DEPARTMENT,
    weak_ties: int = WEAK_DEPARTMENT_TIES,
) -> list[Introduction]:
    """Suggested meetings for isolated (no department tie) and weakly tied departments,
    isolated ones first, then by name; per department the best partners first.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_nodes_from([
    ...     (1, {"name": "Jugendamt", "kind": "department", "fields": ("bildung",)}),
    ...     (2, {"name": "Schulamt", "kind": "department", "fields": ("bildung",)}),
    ...     (3, {"name": "Sozialamt", "kind": "department", "fields": ("soziales",)}),
    ...     (4, {"name": "Verein", "kind": "group", "fields": ()})])
    >>> G.add_edges_from([(1, 4), (3, 4)])
    >>> [(i.department, i.partner, i.shared_fields, i.common_partners)
    ...  for i in recommended_introductions(G)][:2]
    [(1, 3, [], [4]), (1, 2, ['bildung'], [])]
    """
    cg = as_compact(G)
    dept = cg.is_department
    if dept.sum() < 2:
        return []
    dept_deg = department_degree(cg)
    targets = [int(i) for i in np.flatnonzero(dept & (dept_deg <= weak_ties))]
    targets.sort(key=lambda i: (dept_deg[i] > 0, cg.names[i], i))
    indptr, indices, _ = cg.csr
    degree = cg.degree
    inverse_log = np.zeros(cg.n)
    hubs = degree > 1
    inverse_log[hubs] = 1 / np.log(degree[hubs])
    dept_indptr, dept_indices = _department_neighbours(cg, dept_deg)
    by_field = _departments_by_field(cg)
    result = []
    for d in targets:
        own_fields = set(cg.fields[d])
        shared = np.zeros(cg.n)
        for f in own_fields:
            shared[by_field.get(f, [])] += 1
        nbrs = indices[indptr[d]:indptr[d + 1]]
        starts, stops = dept_indptr[nbrs], dept_indptr[nbrs + 1]
        counts = stops - starts
        positions = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(
            int(counts.sum())
        )
        adamic_adar = np.bincount(
            dept_indices[positions], weights=np.repeat(inverse_log[nbrs], counts),
            minlength=cg.n,
        )
        score = shared + adamic_adar
        excluded = np.zeros(cg.n, dtype=bool)
        excluded[nbrs] = True
        excluded[d] = True
        candidates = np.flatnonzero(dept & ~excluded & (score > 0))
        ranked = sorted(candidates.tolist(), key=lambda c: (-score[c], cg.names[c], c))
        for c in ranked[:per_department]:
            common = np.intersect1d(nbrs, indices[indptr[c]:indptr[c + 1]])
            common = sorted(common.tolist(), key=lambda w: (degree[w], cg.names[w], w))
            result.append(Introduction(
                department=cg.ids[d],
                partner=cg.ids[c],
                score=float(score[c]),
                shared_fields=sorted(own_fields & set(cg.fields[c])),
                common_partners=[cg.ids[w] for w in common[:COMMON_PARTNERS_SHOWN]],
                adamic_adar=float(adamic_adar[c]),
            ))
    return result


def _department_neighbours(
    cg: CompactGraph, dept_deg: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """CSR of every node's department neighbours only (``dept_deg``: how many each has).
    The offsets come from those counts, not from a running count over all entries (67 MB
    at L)."""
    indices = cg.csr[1]
    dept_indptr = np.zeros(cg.n + 1, dtype=np.int64)
    np.cumsum(dept_deg, out=dept_indptr[1:])
    return dept_indptr, indices[cg.is_department[indices]]


def _departments_by_field(cg: CompactGraph) -> dict[str, list[int]]:
    by_field: dict[str, list[int]] = {}
    for i in np.flatnonzero(cg.is_department).tolist():
        for f in cg.fields[i]:
            by_field.setdefault(f, []).append(i)
    return by_field
