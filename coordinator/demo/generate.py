"""Generate the demo Landkreis: first a plan in plain Python, then bulk inserts.

:func:`plan_demo` needs no database and is deterministic for a given seed, activity count and
day, so benchmarks can use it to build networks of any size (``copies`` repeats the whole
Landkreis side by side). :func:`insert_plan` writes a plan with a handful of multi-row INSERTs
inside the caller's transaction; it does not commit.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from ..activities.models import ActivityKind, JointActivity, activity_field, participation
from ..auth.models import Role, User
from ..extensions import db
from ..register.models import (
    FieldOfWork,
    Stakeholder,
    StakeholderKind,
    name_key,
    stakeholder_field,
)
from ..timeutil import utcnow
from .data import DEMO_USERS, DEPARTMENTS, GROUPS, INDIVIDUALS, LOCALITIES, StakeholderSpec
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
    rng = random.Random(seed)
    end = today or date.today()
    plan = DemoPlan(start=end - timedelta(days=PERIOD_DAYS), end=end)
    for copy in range(copies):
        plan.stakeholders.extend(_plan_stakeholders(rng, plan.start, copy))
    known = {s.key for s in plan.stakeholders}
    _check_scenarios(known, copies)
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


def _check_scenarios(known: set[str], copies: int) -> None:
    used = {key for s in SCENARIOS for key in (*s.leads, *s.partners)}
    missing = used - known
    if missing:
        raise ValueError(f"unknown stakeholder keys in scenarios: {sorted(missing)}")
    for scenario in SCENARIOS:
        if scenario.size[0] < 2 or scenario.size[0] > scenario.size[1]:
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


# --- writing ------------------------------------------------------------------------------


def insert_plan(
    plan: DemoPlan, author_for: Callable[[PlannedActivity], int | None] | None = None
) -> dict[str, int]:
    """Insert stakeholders and activities; returns the stakeholder ids by key."""
    ids = insert_stakeholders(plan)
    insert_activities(plan, ids, author_for)
    return ids


def insert_stakeholders(plan: DemoPlan) -> dict[str, int]:
    """Insert the stakeholders with their fields of work; returns their ids by key.

    Fields of work are matched by key; a field an admin removed is simply left out.
    """
    field_ids = _field_ids()
    ids = _insert_stakeholders(plan.stakeholders)
    _insert_many(stakeholder_field, (
        {"stakeholder_id": ids[s.key], "field_id": field_ids[f]}
        for s in plan.stakeholders for f in s.fields if f in field_ids
    ))
    return ids


def insert_activities(
    plan: DemoPlan,
    ids: dict[str, int],
    author_for: Callable[[PlannedActivity], int | None] | None = None,
) -> None:
    """Insert the activities with participants and fields; ``author_for`` gives the id of the
    user who recorded an activity."""
    _insert_activities(plan.activities, ids, _field_ids(), author_for or (lambda _a: None))


def _field_ids() -> dict[str, int]:
    return dict(db.session.execute(select(FieldOfWork.key, FieldOfWork.id)).all())


def _insert_stakeholders(planned: list[PlannedStakeholder]) -> dict[str, int]:
    """Parents before children, one multi-row INSERT per level of the hierarchy."""
    ids: dict[str, int] = {}
    pending = list(planned)
    while pending:
        ready = [s for s in pending if s.parent is None or s.parent in ids]
        if not ready:
            raise ValueError("stakeholder hierarchy has a cycle or an unknown parent")
        rows = [
            {
                "name": s.name, "name_key": name_key(s.name), "kind": s.kind,
                "parent_id": ids.get(s.parent) if s.parent else None,
                "description": s.description, "affiliation": s.affiliation,
                "consent_date": s.consent_date, "active": True,
            }
            for s in ready
        ]
        new_ids = db.session.scalars(
            insert(Stakeholder).returning(Stakeholder.id, sort_by_parameter_order=True), rows
        ).all()
        ids.update(zip((s.key for s in ready), new_ids, strict=True))
        pending = [s for s in pending if s.key not in ids]
    return ids


def _insert_activities(
    planned: list[PlannedActivity],
    ids: dict[str, int],
    field_ids: dict[str, int],
    author_for: Callable[[PlannedActivity], int | None],
) -> None:
    if not planned:
        return
    now = utcnow()
    rows = []
    for activity in planned:
        logged = min(datetime.combine(activity.date, time()) + activity.logged_after, now)
        rows.append({
            "date": activity.date, "title": activity.title, "kind": activity.kind,
            "description": activity.description, "created_by_id": author_for(activity),
            "created_at": logged, "updated_at": logged,
        })
    new_ids = db.session.scalars(
        insert(JointActivity).returning(JointActivity.id, sort_by_parameter_order=True), rows
    ).all()
    pairs = list(zip(new_ids, planned, strict=True))
    _insert_many(participation, (
        {"activity_id": activity_id, "stakeholder_id": ids[key]}
        for activity_id, activity in pairs for key in activity.participants
    ))
    _insert_many(activity_field, (
        {"activity_id": activity_id, "field_id": field_ids[f]}
        for activity_id, activity in pairs for f in activity.fields if f in field_ids
    ))


def _insert_many(table, rows: Iterable[dict]) -> None:
    rows = list(rows)
    if rows:  # an empty parameter list would insert one row of defaults
        db.session.execute(insert(table), rows)


def insert_demo_users(ids: dict[str, int]) -> list[User]:
    """One account per role (see ``data.DEMO_USERS``); flushed, not committed."""
    users = []
    for spec in DEMO_USERS:
        user = User(
            email=spec.email, role=spec.role, active=True,
            department_id=ids[spec.department] if spec.department else None,
        )
        user.set_password(spec.password)
        users.append(user)
    db.session.add_all(users)
    db.session.flush()
    return users


def demo_authors(users: list[User], ids: dict[str, int]) -> Callable[[PlannedActivity], int]:
    """Who recorded what: a staff account the activities of its own department, the
    coordinator everything else."""
    coordinator = next(u for u in users if u.role is Role.COORDINATOR)
    staff_by_key = {
        key: user for user in users if user.role is Role.STAFF
        for key, stakeholder_id in ids.items() if stakeholder_id == user.department_id
    }

    def author_for(activity: PlannedActivity) -> int:
        for key in activity.participants:
            if key in staff_by_key:
                return staff_by_key[key].id
        return coordinator.id

    return author_for
