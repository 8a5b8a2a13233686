"""The few pieces of pyvis 0.3.2 the map used, without pyvis.

pyvis imports IPython, Jinja2 and jsonpickle as soon as it is imported, which pulled a
notebook stack into production for three small things: a node's option dict, an edge's option
dict, and vis-network's default options. Same names, same behaviour, same output
(``tests/test_vis_objects.py`` holds pyvis's output to compare). The vis-network script
itself is vendored in ``static/vendor/vis-network`` with its licence.
"""

from __future__ import annotations

import json


class Node:
    """A vis-network node: ``options`` holds the given options plus id, label and shape."""

    def __init__(self, n_id, shape, label, font_color=False, **opts):
        self.options = opts
        self.options["id"] = n_id
        self.options["label"] = label
        self.options["shape"] = shape
        if font_color:
            self.options["font"] = {"color": font_color}


class Edge:
    """A vis-network edge: ``options`` holds the given options plus from and to."""

    def __init__(self, source, dest, directed=False, **options):
        self.options = options
        self.options["from"] = source
        self.options["to"] = dest
        if directed and "arrows" not in self.options:
            self.options["arrows"] = "to"


class _Smooth:
    def __init__(self):
        self.enabled = True
        self.type = "dynamic"


class _EdgeOptions:
    def __init__(self):
        self.smooth = _Smooth()
        self.inherit = True

    def inherit_colors(self, status) -> None:
        self.inherit = status


class _Options:
    """vis-network's options as pyvis sets them by default."""

    def __init__(self):
        self.edges = _EdgeOptions()
        self.physics_enabled = True

    def to_json(self) -> str:
        return json.dumps({
            "configure": {"enabled": False},
            "edges": {
                "color": {"inherit": self.edges.inherit},
                "smooth": {"enabled": self.edges.smooth.enabled,
                           "type": self.edges.smooth.type},
            },
            "interaction": {"dragNodes": True, "hideEdgesOnDrag": False,
                            "hideNodesOnDrag": False},
            "physics": {
                "enabled": self.physics_enabled,
                "stabilization": {"enabled": True, "fit": True, "iterations": 1000,
                                  "onlyDynamicEdges": False, "updateInterval": 50},
            },
        }, indent=4)


class Network:
    """The node and edge lists and the options of one map."""

    def __init__(self, directed: bool = False):
        self.directed = directed
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.node_ids: list = []
        self.node_map: dict = {}
        self.options = _Options()

    def toggle_physics(self, status) -> None:
        self.options.physics_enabled = status
