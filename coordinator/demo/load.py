"""Write a demo plan (see ``generate.py``) with a handful of multi-row INSERTs.

Everything runs in the caller's transaction and nothing is committed here. Bulk
INSERT … RETURNING (SQLite ≥ 3.35 and PostgreSQL) skips the ORM's per-object bookkeeping,
which is what makes thousands of rows a matter of a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time

from sqlalchemy import insert, select

from ..activities.models import JointActivity, activity_field, participation
from ..auth.models import Role, User
from ..extensions import db
from ..network.data.tie_store import add_activities
from ..register.models import FieldOfWork, Stakeholder, name_key, stakeholder_field
from ..timeutil import utcnow
from .data import DEMO_USERS
from .generate import DemoPlan, PlannedActivity, PlannedStakeholder


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
                "parent_id": ids.get(s.parent),
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
    add_activities(new_ids)  # the tie store, in the same transaction


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
