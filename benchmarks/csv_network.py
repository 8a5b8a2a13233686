"""Synthetic municipal networks as import files: ``stakeholders.csv`` and ``activities.csv``
in the import contract (``flask import-csv``), so that a benchmark measures the real import.

The shape is the one of :mod:`benchmarks.synthetic` (about 10 % departments, 40 % groups, the
rest individuals; heavy-tailed activity counts from a Pareto propensity; mostly two or three
participants; a department asked in on half of all activities), plus a few isolated
departments: half of them never take part in anything, the other half work only with groups
and individuals. The random draws are numpy arrays, so a million activities take seconds.
"""

from __future__ import annotations

import csv
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from benchmarks.synthetic import (
    DEPARTMENT_SHARE,
    GROUP_SHARE,
    LOG_DAYS,
    PARETO_ALPHA,
    PARTICIPANT_COUNTS,
)
from coordinator.activities.models import ActivityKind
from coordinator.register.operations import DEFAULT_FIELDS_OF_WORK

# name: (stakeholders, activities) — the sizes of the issue.
SIZES = {"S": (200, 5_000), "M": (2_000, 100_000), "L": (20_000, 1_000_000)}
ISOLATED_DEPARTMENT_SHARE = 0.02  # of all departments, at least two
CANDIDATES = 12  # weighted draws per activity, more than the largest participant count
KIND_LABELS = {"department": "Ressort", "group": "Gruppe", "individual": "Einzelperson"}
FIELD_KEYS = [key for key, _label in DEFAULT_FIELDS_OF_WORK]
CONSENT_DAY = "2024-01-15"  # individuals need the date of their consent (DSGVO)


@dataclass
class GeneratedNetwork:
    stakeholders_csv: Path
    activities_csv: Path
    stakeholders: int
    departments: int
    silent_departments: int  # no activity at all
    civil_only_departments: int  # activities only with groups and individuals
    activities: int
    participations: int
    bytes: int
    seconds: float

    def summary(self) -> dict:
        data = asdict(self)
        data["stakeholders_csv"] = str(self.stakeholders_csv)
        data["activities_csv"] = str(self.activities_csv)
        return data


def write_network(
    directory: Path, n_stakeholders: int, n_activities: int, *, seed: int = 1,
    end: date | None = None,
) -> GeneratedNetwork:
    """Write both files into ``directory``; deterministic for a given seed and end date."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    end = end or date.today()
    kinds = _kinds(n_stakeholders, rng)
    names = [f"{KIND_LABELS[kind]} {i + 1:05d}" for i, kind in enumerate(kinds)]
    departments = np.flatnonzero(np.array(kinds) == "department")
    n_isolated = min(len(departments), max(2, round(len(departments) * ISOLATED_DEPARTMENT_SHARE)))
    isolated = rng.choice(departments, size=n_isolated, replace=False)
    silent = set(isolated[: n_isolated // 2].tolist())
    civil_only = set(isolated[n_isolated // 2:].tolist())

    stakeholders_csv = directory / "stakeholders.csv"
    with stakeholders_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "kind", "fields", "description", "consent_date"])
        counts = rng.choice([1, 1, 2, 3], size=n_stakeholders)
        for name, kind, count in zip(names, kinds, counts.tolist(), strict=True):
            fields = rng.choice(FIELD_KEYS, size=count, replace=False)
            consent = CONSENT_DAY if kind == "individual" else ""
            writer.writerow([name, kind, "|".join(fields), "", consent])

    participants = _participants(rng, n_activities, kinds, silent, civil_only)
    activities_csv = directory / "activities.csv"
    activity_kinds = [k.value for k in ActivityKind]
    days = rng.integers(0, LOG_DAYS, size=n_activities).tolist()
    kind_picks = rng.integers(0, len(activity_kinds), size=n_activities).tolist()
    field_counts = rng.choice([0, 1, 1, 1, 2], size=n_activities).tolist()
    field_picks = rng.integers(0, len(FIELD_KEYS), size=(n_activities, 2)).tolist()
    with activities_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "title", "kind", "fields", "participants"])
        for i, chosen in enumerate(participants):
            fields = dict.fromkeys(FIELD_KEYS[k] for k in field_picks[i][: field_counts[i]])
            writer.writerow([
                (end - timedelta(days=days[i])).isoformat(),
                f"Aktivität {i + 1}",
                activity_kinds[kind_picks[i]],
                "|".join(fields),
                "|".join(names[p] for p in chosen),
            ])
    return GeneratedNetwork(
        stakeholders_csv=stakeholders_csv,
        activities_csv=activities_csv,
        stakeholders=n_stakeholders,
        departments=len(departments),
        silent_departments=len(silent),
        civil_only_departments=len(civil_only),
        activities=n_activities,
        participations=sum(len(c) for c in participants),
        bytes=stakeholders_csv.stat().st_size + activities_csv.stat().st_size,
        seconds=time.perf_counter() - started,
    )


def _kinds(n: int, rng: np.random.Generator) -> list[str]:
    n_departments = max(2, round(n * DEPARTMENT_SHARE))
    n_groups = round(n * GROUP_SHARE)
    kinds = np.array(
        ["department"] * n_departments + ["group"] * n_groups
        + ["individual"] * (n - n_departments - n_groups)
    )
    rng.shuffle(kinds)
    return kinds.tolist()


def _participants(
    rng: np.random.Generator, n_activities: int, kinds: list[str], silent: set[int],
    civil_only: set[int],
) -> list[list[int]]:
    """Participant indices per activity, drawn by a heavy-tailed propensity."""
    n = len(kinds)
    is_department = np.array([k == "department" for k in kinds])
    propensity = rng.pareto(PARETO_ALPHA, size=n) + 1.0  # classical Pareto, minimum 1
    pool = np.array([i for i in range(n) if i not in silent])
    department_pool = np.array(
        [i for i in np.flatnonzero(is_department).tolist() if i not in silent | civil_only]
    )
    civil_pool = np.flatnonzero(~is_department)
    draws = _weighted(rng, pool, propensity, (n_activities, CANDIDATES)).tolist()
    department_draws = _weighted(rng, department_pool, propensity, n_activities).tolist()
    with_department = (rng.random(n_activities) < 0.5).tolist()
    sizes = np.minimum(rng.choice(PARTICIPANT_COUNTS, size=n_activities), len(pool)).tolist()
    civil_spare = rng.choice(civil_pool, size=n_activities).tolist()
    departments = set(np.flatnonzero(is_department).tolist())
    result = []
    for i in range(n_activities):
        first = [department_draws[i]] if with_department[i] else []
        chosen = list(dict.fromkeys(first + draws[i]))[: sizes[i]]
        if not civil_only.isdisjoint(chosen):
            # Keep one civil-only department, drop every other department.
            keep = next(p for p in chosen if p in civil_only)
            chosen = [p for p in chosen if p == keep or p not in departments]
        while len(chosen) < 2:  # rare: every draw was the same hub
            extra = civil_spare[i] if civil_spare[i] not in chosen else int(rng.choice(civil_pool))
            if extra not in chosen:
                chosen.append(extra)
        result.append(chosen)
    return result


def _weighted(rng: np.random.Generator, pool: np.ndarray, weights: np.ndarray, shape):
    cumulative = np.cumsum(weights[pool])
    picks = np.searchsorted(cumulative, rng.random(shape) * cumulative[-1], side="right")
    return pool[np.minimum(picks, len(pool) - 1)]
