"""Network health: the collaboration graph, its metrics, the map and exports."""
