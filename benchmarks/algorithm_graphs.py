"""The benchmark networks of sizes S, M and L as in-memory tie arrays (no database, no CSV):
the participants of :mod:`benchmarks.csv_network` (same shape, same seed), aggregated into
ties the way the tie store does (one tie per pair of co-participants, weight = joint
activities, ``last`` = the latest date).

Generating L takes about half a minute (one Python loop over a million activities), so the
arrays are kept in a cache directory (``--cache``) between runs.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np

from benchmarks.csv_network import FIELD_KEYS, SIZES, _kinds, _participants
from benchmarks.synthetic import LOG_DAYS
from coordinator.network.analysis.compact import CompactGraph, NodeRecord

END = date(2026, 1, 1)  # fixed, so that the arrays do not depend on the day of the run


def tie_arrays(n_stakeholders: int, n_activities: int, seed: int = 1) -> dict[str, np.ndarray]:
    """``kinds`` (per stakeholder index) and the ties ``a < b``, ``weight``, ``last``
    (date ordinals)."""
    rng = np.random.default_rng(seed)
    kinds = _kinds(n_stakeholders, rng)  # the draws of csv_network.write_network, in order
    departments = np.flatnonzero(np.array(kinds) == "department")
    n_isolated = min(len(departments), max(2, round(len(departments) * 0.02)))
    isolated = rng.choice(departments, size=n_isolated, replace=False)
    silent = set(isolated[: n_isolated // 2].tolist())
    civil_only = set(isolated[n_isolated // 2:].tolist())
    # The fields of work write_network draws next: drawn (and dropped) so that the
    # participants below are the very ones of the CSV benchmark.
    for count in rng.choice([1, 1, 2, 3], size=n_stakeholders).tolist():
        rng.choice(FIELD_KEYS, size=count, replace=False)
    participants = _participants(rng, n_activities, kinds, silent, civil_only)
    days = END.toordinal() - rng.integers(0, LOG_DAYS, size=n_activities)  # as the CSV's
    a, b, when = [], [], []
    for i, chosen in enumerate(participants):
        day = int(days[i])
        for x, y in combinations(sorted(chosen), 2):
            a.append(x)
            b.append(y)
            when.append(day)
    a = np.array(a, dtype=np.int64)
    b = np.array(b, dtype=np.int64)
    when = np.array(when, dtype=np.int64)
    codes = a * n_stakeholders + b
    unique, inverse = np.unique(codes, return_inverse=True)
    weight = np.bincount(inverse, minlength=len(unique)).astype(np.int64)
    last = np.full(len(unique), -1, dtype=np.int64)
    np.maximum.at(last, inverse, when)
    return {
        "kinds": np.array(kinds),
        "a": unique // n_stakeholders,
        "b": unique % n_stakeholders,
        "weight": weight,
        "last": last,
    }


def load_arrays(size: str, cache: Path | None, seed: int = 1) -> dict[str, np.ndarray]:
    """:func:`tie_arrays` of a named size, from ``cache`` when it is there."""
    path = cache / f"algorithm-graph-{size}-{seed}.npz" if cache else None
    if path and path.exists():
        with np.load(path) as data:
            return {key: data[key] for key in data.files}
    arrays = tie_arrays(*SIZES[size], seed=seed)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, **arrays)
    return arrays


def compact_graph(arrays: dict[str, np.ndarray]) -> CompactGraph:
    """The analysis graph of the arrays (stakeholder id = index + 1)."""
    nodes = [NodeRecord(i + 1, f"Akteur {i + 1:05d}", str(kind), ())
             for i, kind in enumerate(arrays["kinds"].tolist())]
    return CompactGraph.from_arrays(
        nodes, arrays["a"] + 1, arrays["b"] + 1, arrays["weight"], arrays["last"])
