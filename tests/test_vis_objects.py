"""The stand-ins for pyvis's Node, Edge and Network give exactly what pyvis 0.3.2 gave (the
expected values below were printed by pyvis 0.3.2 for the same calls)."""

import json

from coordinator.network.web.vis_objects import Edge, Network, Node

PYVIS_DEFAULT_OPTIONS = {
    "configure": {"enabled": False},
    "edges": {"color": {"inherit": True}, "smooth": {"enabled": True, "type": "dynamic"}},
    "interaction": {"dragNodes": True, "hideEdgesOnDrag": False, "hideNodesOnDrag": False},
    "physics": {"enabled": True, "stabilization": {
        "enabled": True, "fit": True, "iterations": 1000, "onlyDynamicEdges": False,
        "updateInterval": 50}},
}


def test_node_and_edge_options_are_pyvis_dicts():
    assert Node(7, "square", label="Jugendamt", group="department", x=1, y=-2).options == {
        "group": "department", "x": 1, "y": -2, "id": 7, "label": "Jugendamt",
        "shape": "square"}
    assert Node(1, "dot", "A", font_color="#fff").options["font"] == {"color": "#fff"}
    assert Edge(1, 2, width=3.0, weight=4).options == {"width": 3.0, "weight": 4, "from": 1,
                                                       "to": 2}
    assert Edge(1, 2, directed=True).options["arrows"] == "to"


def test_network_options_as_pyvis_sets_them():
    net = Network(directed=False)
    assert json.loads(net.options.to_json()) == PYVIS_DEFAULT_OPTIONS
    net.toggle_physics(False)
    net.options.edges.smooth.enabled = False
    net.options.edges.inherit_colors(False)
    changed = json.loads(net.options.to_json())
    assert changed["physics"]["enabled"] is False
    assert changed["edges"] == {"color": {"inherit": False},
                                "smooth": {"enabled": False, "type": "dynamic"}}
    assert (net.nodes, net.edges, net.node_ids, net.node_map) == ([], [], [], {})
