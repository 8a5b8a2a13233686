"""The data behind a network map: vis-network nodes, edges and options, built with pyvis.

pyvis supplies the node/edge option objects and the vis-network options; its HTML page is
never used (it loads Bootstrap and vis-network from CDNs and writes headings and node ids into
the page unescaped). The result is plain data that the template serialises with ``|tojson``
into a ``<script type="application/json">`` element, where a stakeholder's name can only ever
be a JSON string; ``static/js/network-map.js`` turns it into a map and builds tooltips as DOM
text.

pyvis's ``Network.add_node``/``add_edge`` search every node/edge added so far (quadratic; about
9 s at 5,000 nodes in ``from_nx``), so the option dicts are made with pyvis's ``Node`` and
``Edge`` directly and appended to the network's lists.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from .layout import Position, ordered_edges

# Shape AND colour per kind (never colour alone); the colours are the app's kind colours
# (app.css), the shapes match the badges (square, diamond, circle).
KIND_SHAPES = {"department": "square", "group": "diamond", "individual": "dot"}
KIND_COLOURS = {"department": "#1d4e89", "group": "#9a4a12", "individual": "#2e6b30"}
ISOLATED_GROUP = "isolated_department"
ISOLATED_MARK = "⚠ "
WARNING_COLOUR = "#a4161a"
ISOLATED_MIN_VALUE = 4

# Above this many nodes the browser gets physics off: the server's positions are final.
PHYSICS_NODE_LIMIT = 150
# A map with more ties than this shows only the strongest (every node keeps its strongest
# tie); the table alternative and the exports list all of them.
MAP_EDGE_LIMIT = 4_000


@dataclass
class MapData:
    nodes: list[dict]
    edges: list[dict]
    options: dict
    total_edges: int
    physics: bool
    focus: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def hidden_edges(self) -> int:
        return self.total_edges - len(self.edges)

    def payload(self) -> dict:
        """What the page embeds as JSON (see network-map.js)."""
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "options": self.options,
            "physics": self.physics,
            "focus": self.focus,
            **self.extra,
        }


def build_map(
    graph: nx.Graph,
    positions: Mapping[int, Position],
    *,
    isolated: Collection[int] = (),
    focus: int | None = None,
    edge_limit: int = MAP_EDGE_LIMIT,
) -> MapData:
    """Nodes (shape and colour by kind, size by number of partners, isolated departments
    marked), edges (width by number of joint activities) and options for vis-network."""
    isolated = set(isolated)
    net = Network(directed=False)
    for node in sorted(graph.nodes):
        attrs = graph.nodes[node]
        kind = attrs.get("kind", "individual")
        x, y = positions[node]
        marked = node in isolated
        options = Node(
            node,
            KIND_SHAPES.get(kind, "dot"),
            label=(ISOLATED_MARK if marked else "") + str(attrs.get("name", "")),
            group=ISOLATED_GROUP if marked else kind,
            x=round(x),
            y=round(y),
            # Isolated departments are drawn large enough to be seen.
            value=max(graph.degree(node) + 1, ISOLATED_MIN_VALUE if marked else 1),
            kind=kind,
            degree=graph.degree(node),
            strength=int(graph.degree(node, weight="weight")),
        ).options
        if marked:
            options["isolated"] = True
            options["name"] = str(attrs.get("name", ""))  # the label carries the mark
        if node == focus:
            options["borderWidth"] = 4
        net.nodes.append(options)
        net.node_ids.append(node)
        net.node_map[node] = options

    chosen = strongest_edges(graph, edge_limit)
    for a, b, data in chosen:
        weight = int(data.get("weight", 1) or 1)
        last = data.get("last")
        net.edges.append(
            Edge(
                a, b,
                width=edge_width(weight),
                weight=weight,
                last=last.isoformat() if last else None,
            ).options
        )

    physics = graph.number_of_nodes() <= PHYSICS_NODE_LIMIT
    net.toggle_physics(physics)
    # Curved "dynamic" edges add a hidden physics node per edge: straight lines instead.
    net.options.edges.smooth.enabled = False
    net.options.edges.inherit_colors(False)
    return MapData(
        nodes=net.nodes,
        edges=net.edges,
        options=_vis_options(net, physics),
        total_edges=graph.number_of_edges(),
        physics=physics,
        focus=focus,
    )


def edge_width(weight: int) -> float:
    """1 px for a single joint activity, growing logarithmically up to 9 px."""
    return round(1 + min(8.0, 1.6 * math.log2(max(weight, 1))), 1)


def strongest_edges(graph: nx.Graph, limit: int) -> list[tuple[int, int, dict]]:
    """All edges when there are at most ``limit``; otherwise every node's strongest tie plus
    the strongest of the rest, up to ``limit`` (ties by weight, then most recent, then by
    ids). Ranked with numpy: a large network has a few hundred thousand ties."""
    edges = ordered_edges(graph)
    if len(edges) <= limit:
        return sorted(edges, key=lambda e: (e[0], e[1]))
    count = len(edges)
    low = np.fromiter((e[0] for e in edges), dtype=np.int64, count=count)
    high = np.fromiter((e[1] for e in edges), dtype=np.int64, count=count)
    strength = np.fromiter(
        (_strength(e[2]) for e in edges), dtype=np.int64, count=count
    )
    by_rank = np.lexsort((high, low, -strength))  # strongest first; a total order
    rank = np.empty(count, dtype=np.int64)
    rank[by_rank] = np.arange(count)
    # Every node's strongest tie: the smallest rank among the ties at either end.
    ends = np.concatenate([low, high])
    ranks = np.concatenate([rank, rank])
    grouped = np.lexsort((ranks, ends))
    first = np.ones(len(grouped), dtype=bool)
    first[1:] = ends[grouped][1:] != ends[grouped][:-1]
    keep = np.zeros(count, dtype=bool)
    keep[ranks[grouped][first]] = True  # indexed by rank
    room = max(limit - int(keep.sum()), 0)
    keep[np.flatnonzero(~keep)[:room]] = True
    chosen = by_rank[np.flatnonzero(keep)]
    chosen = chosen[np.lexsort((high[chosen], low[chosen]))]
    return [edges[i] for i in chosen.tolist()]


def _strength(data: dict) -> int:
    """Weight first, then the day of the last contact (a day number below 10**6)."""
    last = data.get("last")
    return (data.get("weight") or 1) * 1_000_000 + (last.toordinal() if last else 0)


def _vis_options(net: Network, physics: bool) -> dict:
    options = json.loads(net.options.to_json())
    options.pop("configure", None)
    options["groups"] = {
        kind: {"shape": KIND_SHAPES[kind], "color": _colour(colour)}
        for kind, colour in KIND_COLOURS.items()
    }
    options["groups"][ISOLATED_GROUP] = {
        "shape": KIND_SHAPES["department"],
        "color": _colour("#ffffff", border=WARNING_COLOUR),
        "borderWidth": 4,
        "shapeProperties": {"borderDashes": [6, 4]},
        "font": {"color": WARNING_COLOUR},
    }
    options["nodes"] = {
        "font": {"face": "system-ui, sans-serif", "color": "#1b1b1b", "size": 14},
        "scaling": {
            "min": 8, "max": 36,
            # Labels of small nodes appear only when zoomed in (large networks stay legible).
            "label": {"enabled": True, "min": 12, "max": 22, "drawThreshold": 9},
        },
    }
    options["edges"].update({"color": {"color": "#8a9099", "highlight": "#1b1b1b"}})
    options["interaction"].update(
        {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False}
    )
    if physics:
        options["physics"].update(
            {
                "solver": "barnesHut",
                "barnesHut": {"springLength": 110, "avoidOverlap": 0.3},
                "stabilization": {"enabled": True, "iterations": 150, "fit": True},
            }
        )
    else:
        options["physics"] = {"enabled": False}
    return options


def _colour(background: str, border: str | None = None) -> dict:
    border = border or background
    return {
        "background": background,
        "border": border,
        "highlight": {"background": background, "border": "#1b1b1b"},
        "hover": {"background": background, "border": "#1b1b1b"},
    }
