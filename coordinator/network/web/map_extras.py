"""What the map's tools need beyond nodes and edges: the community of every node ("Silos
zeigen") and, per drawn tie, its joint activities in each quarter (the period slider).

Pure: it works on the map payload and on the per-quarter tie arrays; loading them is the
caller's part. The slider redraws the same nodes at the same positions, only the ties of the
chosen quarter are shown, so the payload carries counts per tie and quarter, not graphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from ..analysis.trend import quarter_label, quarter_of

MAX_COMMUNITY_COLOURS = 8  # more groups than this share one neutral colour
KEY_BASE = 1 << 31  # stakeholder ids are INTEGER: (low, high) packs into one int64


def _pair_key(a: int, b: int) -> int:
    return min(a, b) * KEY_BASE + max(a, b)


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
    pair_counts: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    today: date,
) -> dict:
    """Put on each edge dict ``quarters``: ``{index: joint activities}`` for the quarters in
    which the pair worked together (index into ``quarters``); return the slider's
    description: the quarter titles and the index of the running, still incomplete quarter
    (or ``None``). ``pair_counts`` are ``(quarter, a, b, count)`` arrays.

    Examples
    --------
    >>> q1 = quarter_of(date(2026, 1, 5))
    >>> counts = tuple(np.array(x) for x in ([q1], [1], [2], [3]))
    >>> edges = [{"from": 2, "to": 1}, {"from": 1, "to": 3}]
    >>> attach_quarters(edges, [q1, q1 + 1], counts, date(2026, 5, 1))
    {'labels': ['Q1 2026', 'Q2 2026'], 'incomplete': 1}
    >>> edges[0]["quarters"], edges[1]["quarters"]
    ({'0': 3}, {})
    """
    position = {quarter: index for index, quarter in enumerate(quarters)}
    quarter, a, b, n = (np.asarray(column, dtype=np.int64) for column in pair_counts)
    # Only the rows of drawn ties become Python objects (the map draws a few thousand of
    # the scope's hundreds of thousands of pairs).
    low, high = np.minimum(a, b), np.maximum(a, b)
    drawn = np.array(sorted({_pair_key(e["from"], e["to"]) for e in edges}), dtype=np.int64)
    wanted = np.isin(low * KEY_BASE + high, drawn) & np.isin(quarter, list(position))
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for q, x, y, count in zip(quarter[wanted].tolist(), low[wanted].tolist(),
                              high[wanted].tolist(), n[wanted].tolist(), strict=True):
        counts.setdefault((x, y), {})[str(position[q])] = count
    for edge in edges:
        a, b = edge["from"], edge["to"]
        edge["quarters"] = counts.get((a, b) if a < b else (b, a), {})
    return {
        "labels": [quarter_title(quarter_label(q)) for q in quarters],
        "incomplete": position.get(quarter_of(today)),
    }
