"""Network analysis of the collaboration log — the pure core (no Flask, no database).

Every active stakeholder is a node (attributes ``name``, ``kind``, ``fields``); two are tied
when they took part in at least one joint activity in scope; a tie's ``weight`` is the
number of such activities and ``last`` the date of the latest. :func:`compute_metrics`
returns all figures at once; the single metrics live in small modules re-exported here:
``cohesion`` (density, components, isolation, matrices), ``centrality`` (brokers, key
persons, what-if), ``silos`` (communities, modularity), ``introductions`` and ``trend``.

Everything runs on :class:`~coordinator.network.analysis.compact.CompactGraph` arrays, and every
function also accepts the networkx graph of :func:`build_graph`. The figures equal those of
networkx (density, components, betweenness, articulation points, Louvain with the same seed,
modularity); ``tests/test_network_property.py`` compares them on random logs.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date

import networkx as nx

from .betweenness import betweenness
from .centrality import KeyPerson, WhatIf, brokers, key_persons, what_if_removed
from .cohesion import (
    CoverageRow,
    FieldCoverage,
    component_count,
    cross_kind_share,
    cross_sector_share,
    density,
    department_density,
    department_matrix,
    field_coverage,
    isolated_departments,
    isolates,
)
from .compact import CompactGraph, NodeRecord, TieRecord, as_compact
from .introductions import Introduction, recommended_introductions
from .silos import communities, modularity
from .trend import QuarterFigures, QuarterTies, trend

__all__ = [
    "CompactGraph",
    "CoverageRow",
    "FieldCoverage",
    "Introduction",
    "KeyPerson",
    "NetworkMetrics",
    "NodeRecord",
    "QuarterFigures",
    "QuarterTies",
    "TieRecord",
    "WhatIf",
    "betweenness",
    "brokers",
    "build_graph",
    "communities",
    "component_count",
    "compute_metrics",
    "cross_kind_share",
    "cross_sector_share",
    "density",
    "department_density",
    "department_matrix",
    "field_coverage",
    "isolated_departments",
    "isolates",
    "key_persons",
    "modularity",
    "recommended_introductions",
    "trend",
    "what_if_removed",
]


def build_graph(
    nodes: Iterable[NodeRecord], ties: Iterable[TieRecord], **graph_attrs
) -> nx.Graph:
    """The undirected weighted graph: nodes sorted by id, ties sorted by endpoints.

    Examples
    --------
    >>> G = build_graph([NodeRecord(2, "Jobcenter", "department", ("arbeit",)),
    ...                  NodeRecord(1, "Jugendamt", "department")],
    ...                 [TieRecord(1, 2, 3, date(2026, 2, 1))])
    >>> list(G.nodes(data="name")), G.edges[1, 2]["weight"]
    ([(1, 'Jugendamt'), (2, 'Jobcenter')], 3)
    """
    return CompactGraph.from_records(nodes, ties, **graph_attrs).to_nx()


@dataclass
class NetworkMetrics:
    """All figures of one scope. Stakeholders are ids here; :meth:`to_dict` with
    ``names=True`` gives the JSON contract of ``flask metrics --json``."""

    nodes: int
    edges: int
    activities: int | None
    density: float
    department_density: float
    components: int
    isolates: list[int]
    isolated_departments: list[int]
    betweenness: dict[int, float]
    brokers: list[tuple[int, float]]
    betweenness_approximate: bool
    betweenness_sources: int | None
    key_persons: list[KeyPerson]
    communities: list[list[int]]
    modularity: float | None
    cross_sector_share: float | None
    cross_kind_share: float | None
    department_pairs: list[tuple[int, int, int]]
    field_coverage: FieldCoverage
    recommended_introductions: list[Introduction]
    trend: list[QuarterFigures] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)

    def to_dict(self, names: bool = True) -> dict:
        """JSON-ready dict; with ``names`` every stakeholder appears by name (the contract),
        otherwise by id (the cache payload, see :meth:`from_dict`)."""
        who = self.names.__getitem__ if names else int

        def listed(nodes: list[int]) -> list:
            # Names alphabetically for people; ids in graph order for the cache.
            return sorted(map(who, nodes), key=str.casefold) if names else list(nodes)

        data = {
            "nodes": self.nodes,
            "edges": self.edges,
            "activities": self.activities,
            "density": self.density,
            "department_density": self.department_density,
            "components": self.components,
            "isolates": listed(self.isolates),
            "isolate_count": len(self.isolates),
            "isolated_departments": listed(self.isolated_departments),
            "brokers": [{"name": who(x), "betweenness": v} for x, v in self.brokers],
            "betweenness_approximate": self.betweenness_approximate,
            "betweenness_sources": self.betweenness_sources,
            "key_persons": [
                {"name": who(k.node), "cut_off": k.cut_off, "parts": k.parts}
                for k in self.key_persons
            ],
            "communities": [[who(x) for x in group] for group in self.communities],
            "modularity": self.modularity,
            "cross_sector_share": self.cross_sector_share,
            "cross_kind_share": self.cross_kind_share,
            "department_matrix": [
                {"a": who(a), "b": who(b), "activities": n} for a, b, n in self.department_pairs
            ],
            "field_coverage": {
                "fields": self.field_coverage.fields,
                "rows": [
                    {"department": who(r.department), "activities": r.activities,
                     "registered": r.registered, "flagged": r.flagged}
                    for r in self.field_coverage.rows
                ],
            },
            "recommended_introductions": [
                {"department": who(i.department), "partner": who(i.partner), "score": i.score,
                 "shared_fields": i.shared_fields,
                 "common_partners": [who(x) for x in i.common_partners],
                 "adamic_adar": i.adamic_adar}
                for i in self.recommended_introductions
            ],
            "trend": [
                {**asdict(q), "start": q.start.isoformat(), "end": q.end.isoformat()}
                for q in self.trend
            ],
        }
        if names:
            data["betweenness"] = {self.names[x]: v for x, v in self.betweenness.items()}
        else:
            data["betweenness"] = [[x, v] for x, v in self.betweenness.items()]
            data["names"] = [[x, n] for x, n in self.names.items()]
            data["kinds"] = [[x, k] for x, k in self.kinds.items()]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> NetworkMetrics:
        """Inverse of ``to_dict(names=False)``."""
        return cls(
            nodes=data["nodes"], edges=data["edges"], activities=data["activities"],
            density=data["density"], department_density=data["department_density"],
            components=data["components"], isolates=data["isolates"],
            isolated_departments=data["isolated_departments"],
            betweenness=dict(data["betweenness"]),
            brokers=[(b["name"], b["betweenness"]) for b in data["brokers"]],
            betweenness_approximate=data["betweenness_approximate"],
            betweenness_sources=data["betweenness_sources"],
            key_persons=[KeyPerson(k["name"], k["cut_off"], k["parts"])
                         for k in data["key_persons"]],
            communities=data["communities"], modularity=data["modularity"],
            cross_sector_share=data["cross_sector_share"],
            cross_kind_share=data["cross_kind_share"],
            department_pairs=[(p["a"], p["b"], p["activities"])
                              for p in data["department_matrix"]],
            field_coverage=FieldCoverage(
                data["field_coverage"]["fields"],
                [CoverageRow(r["department"], r["activities"], r["registered"], r["flagged"])
                 for r in data["field_coverage"]["rows"]],
            ),
            recommended_introductions=[
                Introduction(i["department"], i["partner"], i["score"], i["shared_fields"],
                             i["common_partners"], i["adamic_adar"])
                for i in data["recommended_introductions"]
            ],
            trend=[
                QuarterFigures(**{**q, "start": date.fromisoformat(q["start"]),
                                  "end": date.fromisoformat(q["end"])})
                for q in data["trend"]
            ],
            names=dict(data["names"]),
            kinds=dict(data["kinds"]),
        )


def compute_metrics(
    G: nx.Graph | CompactGraph,
    *,
    exact_limit: int | None = None,
    sample_k: int | None = None,
    seed: int = 42,
    quarters: Iterable[QuarterTies] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> NetworkMetrics:
    """All metrics of the graph. Betweenness is exact up to ``exact_limit`` stakeholders
    with ties (and beyond while cheap), else sampled (see :mod:`.betweenness`); the trend
    is computed only when ``quarters`` are given.

    Examples
    --------
    >>> G = build_graph([NodeRecord(1, "Jugendamt", "department"),
    ...                  NodeRecord(2, "Jobcenter", "department"),
    ...                  NodeRecord(3, "Sprachcafé", "group")],
    ...                 [TieRecord(1, 3, 2, date(2026, 2, 1))])
    >>> m = compute_metrics(G).to_dict()
    >>> m["density"], m["isolated_departments"], m["cross_sector_share"]
    (0.3333333333333333, ['Jobcenter', 'Jugendamt'], 1.0)
    """
    cg = as_compact(G)
    cg.csr  # noqa: B018  (built once here, before two threads read it)
    # Betweenness spends its time in numpy/BLAS, which releases the GIL, and Louvain in
    # Python: on two cores they overlap.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(betweenness, cg, exact_limit=exact_limit, sample_k=sample_k,
                              seed=seed)
        groups = communities(cg, seed=seed)
        bc = pending.result()
    return NetworkMetrics(
        nodes=cg.n,
        edges=cg.m,
        activities=cg.attrs.get("activities"),
        density=density(cg),
        department_density=department_density(cg),
        components=component_count(cg),
        isolates=isolates(cg),
        isolated_departments=isolated_departments(cg),
        betweenness={x: float(v) for x, v in zip(cg.ids, bc.values.tolist(), strict=True)},
        brokers=brokers(cg, result=bc),
        betweenness_approximate=bc.approximate,
        betweenness_sources=bc.sources,
        key_persons=key_persons(cg),
        communities=groups,
        modularity=modularity(cg, groups),
        cross_sector_share=cross_sector_share(cg),
        cross_kind_share=cross_kind_share(cg),
        department_pairs=department_matrix(cg),
        field_coverage=field_coverage(cg),
        recommended_introductions=recommended_introductions(cg),
        trend=trend(cg, quarters, since, until) if quarters is not None else [],
        names=dict(zip(cg.ids, cg.names, strict=True)),
        kinds=dict(zip(cg.ids, cg.kinds, strict=True)),
    )
