"""What the map's tools need beyond nodes and edges: the community of every node ("Silos
zeigen") and, per drawn tie, its joint activities in each quarter (the period slider).

Pure: it works on the map payload and on the drawn ties' counts per quarter; reading them
is the caller's part. The slider redraws the same nodes at the same positions, only the ties of the
chosen quarter are shown, so the payload carries counts per tie and quarter, not graphs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ..analysis.trend import quarter_label, quarter_of

MAX_COMMUNITY_COLOURS = 8  # more groups than this share one neutral colour
def quarter_title(label: str) -> str:
    """'2026-Q1' → 'Q1 2026' (how the pages write quarters).

    Examples
    --------
    >>> quarter_title("2026-Q1")
    'Q1 2026'
    """
    year, _sep, quarter = label.partition("-")
    return f"{quarter} {year}" if quarter else label


def attach_communities(nodes: list[dict], communities: Sequence[Sequence[int]]) -> int:
    """Number the communities by size (0 = largest; groups of one are left out) and put the
    number on each node dict as ``community``. Returns how many groups were numbered.

    Examples
    --------
    >>> nodes = [{"id": 1}, {"id": 2}, {"id": 3}]
    >>> attach_communities(nodes, [[3], [1, 2]]), nodes[0]["community"], "community" in nodes[2]
    (1, 0, False)
    """
    groups = sorted((g for g in communities if len(g) > 1), key=lambda g: (-len(g), min(g)))
    number = {node: k for k, group in enumerate(groups) for node in group}
    for node in nodes:
        if node["id"] in number:
            node["community"] = number[node["id"]]
    return len(groups)


def attach_quarters(
    edges: list[dict],
    quarters: Sequence[int],
    counts: Mapping[tuple[int, int], Mapping[int, int]],
    today: date,
) -> dict:
    """Put on each edge dict ``quarters``: ``{index: joint activities}`` for the quarters in
    which the pair worked together (index into ``quarters``); return the slider's
    description: the quarter titles and the index of the running, still incomplete quarter
    (or ``None``). ``counts``: per pair ``(low id, high id)``, joint activities per quarter.

    Examples
    --------
    >>> q1 = quarter_of(date(2026, 1, 5))
    >>> edges = [{"from": 2, "to": 1}, {"from": 1, "to": 3}]
    >>> attach_quarters(edges, [q1, q1 + 1], {(1, 2): {q1: 3}}, date(2026, 5, 1))
    {'labels': ['Q1 2026', 'Q2 2026'], 'incomplete': 1}
    >>> edges[0]["quarters"], edges[1]["quarters"]
    ({'0': 3}, {})
    """
    position = {quarter: index for index, quarter in enumerate(quarters)}
    for edge in edges:
        a, b = edge["from"], edge["to"]
        per_quarter = counts.get((a, b) if a < b else (b, a), {})
        edge["quarters"] = {str(position[q]): n for q, n in per_quarter.items()
                            if q in position}
    return {
        "labels": [quarter_title(quarter_label(q)) for q in quarters],
        "incomplete": position.get(quarter_of(today)),
    }
