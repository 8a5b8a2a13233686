"""Generate the demo Landkreis as a plan in plain Python (``load.py`` writes it).

:func:`plan_demo` needs no database and is deterministic for a given seed, activity count and
day, so benchmarks can use it to build networks of any size (``copies`` repeats the whole
Landkreis side by side).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..activities.models import ActivityKind
from ..register.models import StakeholderKind
from .data import DEPARTMENTS, GROUPS, INDIVIDUALS, LOCALITIES, StakeholderSpec
from .scenarios import SCENARIOS, Scenario

DEFAULT_SEED = 2021
DEFAULT_ACTIVITIES = 800
PERIOD_DAYS = 730  # two years back from today
# Activity density grows linearly from 1 at the start of the period to this at its end.
GROWTH = 3.0


@dataclass(frozen=True)
class PlannedStakeholder:
    key: str
    kind: StakeholderKind
    name: str
    fields: tuple[str, ...]
    parent: str | None = None
    affiliation: str = ""
    description: str = ""
    consent_date: date | None = None


@dataclass(frozen=True)
class PlannedActivity:
    date: date
    title: str
    kind: ActivityKind
    participants: tuple[str, ...]  # stakeholder keys
    fields: tuple[str, ...]
    description: str = ""
    logged_after: timedelta = timedelta(0)  # from midnight of the day until it was recorded


@dataclass
class DemoPlan:
    start: date
    end: date
    stakeholders: list[PlannedStakeholder] = field(default_factory=list)
    activities: list[PlannedActivity] = field(default_factory=list)

    def count(self, kind: StakeholderKind) -> int:
        return sum(1 for s in self.stakeholders if s.kind is kind)


def plan_demo(
    seed: int = DEFAULT_SEED,
    activities: int = DEFAULT_ACTIVITIES,
    today: date | None = None,
    copies: int = 1,
) -> DemoPlan:
    """The demo Landkreis as plain data; the same arguments give the same plan."""
    if copies < 1:
        raise ValueError("copies must be at least 1")
    _check_scenarios()
    rng = random.Random(seed)
    end = today or date.today()
    plan = DemoPlan(start=end - timedelta(days=PERIOD_DAYS), end=end)
    for copy in range(copies):
        plan.stakeholders.extend(_plan_stakeholders(rng, plan.start, copy))
    weights = [s.weight for s in SCENARIOS]
    for _ in range(activities):
        scenario = rng.choices(SCENARIOS, weights)[0]
        plan.activities.append(_plan_activity(rng, scenario, plan, _suffix(rng.randrange(copies))))
    plan.activities.sort(key=lambda a: a.date)
    return plan


def _suffix(copy: int) -> str:
    return "" if copy == 0 else f"#{copy + 1}"


def _plan_stakeholders(rng: random.Random, start: date, copy: int) -> list[PlannedStakeholder]:
    suffix = _suffix(copy)
    name_suffix = "" if copy == 0 else f" ({copy + 1})"

    def planned(key: str, kind: StakeholderKind, spec: StakeholderSpec, consent=None):
        return PlannedStakeholder(
            key=key + suffix, kind=kind, name=spec.name + name_suffix, fields=spec.fields,
            parent=spec.parent + suffix if spec.parent else None,
            affiliation=spec.affiliation, description=spec.description, consent_date=consent,
        )

    rows = [planned(k, StakeholderKind.DEPARTMENT, s) for k, s in DEPARTMENTS.items()]
    rows += [planned(k, StakeholderKind.GROUP, s) for k, s in GROUPS.items()]
    rows += [
        # Consent is given before someone is first recorded.
        planned(k, StakeholderKind.INDIVIDUAL, s, start - timedelta(days=rng.randint(1, 365)))
        for k, s in INDIVIDUALS.items()
    ]
    return rows


def _check_scenarios() -> None:
    """Catch typos in scenarios.py early: unknown keys, impossible group sizes."""
    known = DEPARTMENTS.keys() | GROUPS.keys() | INDIVIDUALS.keys()
    for scenario in SCENARIOS:
        missing = set(scenario.leads + scenario.partners) - known
        if missing:
            raise ValueError(f"unknown stakeholder keys in scenarios: {sorted(missing)}")
        if not 2 <= scenario.size[0] <= scenario.size[1] <= 6:
            raise ValueError(f"bad size in scenario {scenario.titles[0]!r}")


def _plan_activity(
    rng: random.Random, scenario: Scenario, plan: DemoPlan, suffix: str
) -> PlannedActivity:
    lead = rng.choice(scenario.leads)
    pool = [k for k in (*scenario.leads, *scenario.partners) if k != lead]
    size = min(rng.randint(*scenario.size), len(pool) + 1)
    participants = (lead, *rng.sample(pool, size - 1))
    extra_fields = [f for f in scenario.fields[1:] if rng.random() < 0.5]
    fields = (scenario.fields[0], *extra_fields)
    title = rng.choice(scenario.titles).format(ort=rng.choice(LOCALITIES))
    return PlannedActivity(
        date=_activity_date(rng, scenario, plan),
        title=title,
        kind=scenario.kind,
        participants=tuple(k + suffix for k in participants),
        fields=fields,
        description=rng.choice(scenario.descriptions),
        # Recorded the same day or up to three days later, during office hours.
        logged_after=timedelta(days=rng.randint(0, 3), hours=rng.randint(8, 16)),
    )


def _activity_date(rng: random.Random, scenario: Scenario, plan: DemoPlan) -> date:
    """A day in [start of the pattern, today], denser towards today; office work on weekdays."""
    position = _growing(rng.random(), scenario.starts)
    day = plan.start + timedelta(days=round(position * PERIOD_DAYS))
    if scenario.kind is not ActivityKind.EVENT and day.weekday() >= 5:
        day -= timedelta(days=day.weekday() - 4)  # back to Friday
    return min(max(day, plan.start), plan.end)


def _growing(u: float, starts: float) -> float:
    """Inverse CDF of the density 1 + (GROWTH-1)·t on [starts, 1], evaluated at ``u``."""
    a = (GROWTH - 1) / 2  # the CDF (up to a constant) is t + a·t²

    def cdf(t: float) -> float:
        return t + a * t * t

    target = cdf(starts) + u * (cdf(1.0) - cdf(starts))
    return (-1 + math.sqrt(1 + 4 * a * target)) / (2 * a)
