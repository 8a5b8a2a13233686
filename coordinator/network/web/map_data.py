"""The data behind a network map: vis-network nodes, edges and options, built with the
pyvis-style objects of ``vis_objects.py`` (pyvis itself is no longer a dependency).

pyvis supplied the node/edge option objects and the vis-network options; its HTML page was
never used (it loads Bootstrap and vis-network from CDNs and writes headings and node ids into
the page unescaped). The result is plain data, written as JSON into a
``<script type="application/json">`` element (escaped as ``|tojson`` escapes, see
``map_text.embeddable_json``), where a stakeholder's name can only ever be a JSON string;
``static/js/network-map.js`` turns it into a map and builds tooltips as DOM text. The
whole-network map's JSON is written by the queue's job and stored as text
(:class:`StoredMap`, ``map_text.py``); the ego view's small map is written per request.

pyvis's ``Network.add_node``/``add_edge`` search every node/edge added so far (quadratic; about
9 s at 5,000 nodes in ``from_nx``), so the option dicts are made with pyvis's ``Node`` and
``Edge`` directly and appended to the network's lists. Input is the analysis' graph arrays
(``CompactGraph``): ranking a few hundred thousand ties for the map stays in numpy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

import networkx as nx
import numpy as np
from markupsafe import Markup

from ..analysis.compact import CompactGraph, as_compact
from ..analysis.layout import Position
from ..analysis.tie_ranking import strongest_edges
from .map_text import embeddable_json, json_text
from .vis_objects import Edge, Network, Node

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


@dataclass
class MapData:
    nodes: list[dict]
    edges: list[dict]
    options: dict
    total_edges: int
    physics: bool
    focus: int | None = None
    timeline: dict | None = None  # the period slider's quarters (map_extras)
    communities: int = 0  # how many groups the nodes' ``community`` numbers name
    reach: dict | None = None  # node id → offers' reach status (read per request, not stored)

    @property
    def node_count(self) -> int:
        return len(self.nodes)

    @property
    def edge_count(self) -> int:
        return len(self.edges)

    @property
    def hidden_edges(self) -> int:
        return self.total_edges - len(self.edges)

    def payload_json(self) -> Markup:
        """The payload as the template embeds it (see :func:`embeddable_json`)."""
        return embeddable_json(json_text(self.payload()))

    def summary(self) -> dict:
        """What a page says about the map besides drawing it (:class:`StoredMap`)."""
        return {"node_count": self.node_count, "edge_count": self.edge_count,
                "total_edges": self.total_edges, "timeline": self.timeline,
                "communities": self.communities}

    def payload(self) -> dict:
        """What the page embeds as JSON (see network-map.js)."""
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "options": self.options,
            "physics": self.physics,
            "focus": self.focus,
            "timeline": self.timeline,
            "communities": self.communities,
        }


@dataclass
class StoredMap:
    """The whole-network map of a scope as the queue's job stored it: what the page says
    about it (the counts, the slider's quarters, the groups) and its JSON, embedded as it is
    stored (``json``, set by the map page: :func:`.view_models.stored_map_json`)."""

    node_count: int
    edge_count: int
    total_edges: int
    timeline: dict | None
    communities: int
    json: Markup | None = None
    reach: dict | None = None

    @property
    def hidden_edges(self) -> int:
        return self.total_edges - self.edge_count

    def payload_json(self) -> Markup | None:
        return self.json


def build_map(
    graph: nx.Graph | CompactGraph,
    positions: Mapping[int, Position],
    *,
    isolated: Collection[int] = (),
    focus: int | None = None,
    drawn: np.ndarray | None = None,
    physics: bool | None = None,
) -> MapData:
    """Nodes (shape and colour by kind, size by number of partners, isolated departments
    marked), edges (width by number of joint activities) and options for vis-network.
    Physics (letting the browser settle the positions once) is on for small networks unless
    ``physics`` says otherwise. The ties drawn are ``drawn`` (tie indices) when the caller
    has them, else :func:`.strongest_edges` (at most ``DRAWN_TIES``; the table alternative
    and the exports list all of them)."""
    cg = as_compact(graph)
    isolated = set(isolated)
    degree = cg.degree.tolist()
    strength = cg.strength.tolist()
    # Isolated departments are drawn at least mid-sized, so that they are seen.
    isolated_value = max(ISOLATED_MIN_VALUE, (max(degree, default=0) + 1) // 3)
    net = Network(directed=False)
    for i, node in enumerate(cg.ids):
        kind = cg.kinds[i]
        x, y = positions[node]
        marked = node in isolated
        options = Node(
            node,
            KIND_SHAPES.get(kind, "dot"),
            label=(ISOLATED_MARK if marked else "") + cg.names[i],
            group=ISOLATED_GROUP if marked else kind,
            x=round(x),
            y=round(y),
            value=max(degree[i] + 1, isolated_value if marked else 1),
            kind=kind,
            degree=degree[i],
            strength=strength[i],
        ).options
        if marked:
            options["isolated"] = True
            options["name"] = cg.names[i]  # the label carries the mark
        if node == focus:
            options["borderWidth"] = 4
        net.nodes.append(options)
        net.node_ids.append(node)
        net.node_map[node] = options

    for t in (strongest_edges(cg) if drawn is None else drawn).tolist():
        weight, last = int(cg.w[t]), int(cg.last[t])
        net.edges.append(
            Edge(
                cg.ids[int(cg.u[t])], cg.ids[int(cg.v[t])],
                width=edge_width(weight),
                weight=weight,
                last=date.fromordinal(last).isoformat() if last > 0 else None,
            ).options
        )

    if physics is None:
        physics = cg.n <= PHYSICS_NODE_LIMIT
    net.toggle_physics(physics)
    # Curved "dynamic" edges add a hidden physics node per edge: straight lines instead.
    net.options.edges.smooth.enabled = False
    net.options.edges.inherit_colors(False)
    return MapData(
        nodes=net.nodes,
        edges=net.edges,
        options=_vis_options(net, physics),
        total_edges=cg.m,
        physics=physics,
        focus=focus,
    )


def edge_width(weight: int) -> float:
    """1 px for a single joint activity, growing logarithmically up to 9 px."""
    return round(1 + min(8.0, 1.6 * math.log2(max(weight, 1))), 1)


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
            # In large networks labels of small nodes appear only when zoomed in.
            # (the hubs' labels are large enough to show at the first, zoomed-out view).
            "label": {"enabled": True, "min": 12, "max": 22 if physics else 32,
                      "drawThreshold": 5 if physics else 9},
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
                "barnesHut": {"gravitationalConstant": -6000, "springLength": 140,
                              "centralGravity": 0.2, "avoidOverlap": 0.2},
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
