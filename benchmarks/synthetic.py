"""Synthetic collaboration logs for benchmarks: ``generate(n_stakeholders, n_activities, seed)``.

Writes straight into the current app's database with Core inserts (no ORM objects), so that
the sizes of the issue (S 200/5,000, M 2,000/100,000, L 20,000/1,000,000) load in seconds to
minutes. The shape follows what municipal logs look like: about 10 % departments, the rest
groups and individuals; activity counts are heavy-tailed (a few hubs take part in much,
most stakeholders in little); most activities have two or three participants.

Usage inside an app context::

    from benchmarks.synthetic import generate
    generate(2_000, 100_000, seed=1)
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate, islice

from sqlalchemy import func, insert, select, text

from coordinator.activities.models import ActivityKind, JointActivity, activity_field, participation
from coordinator.extensions import db
from coordinator.network.data.stored_figures import bump_revision
from coordinator.network.data.tie_store import rebuild as rebuild_ties
from coordinator.register.models import FieldOfWork, Stakeholder, stakeholder_field
from coordinator.timeutil import utcnow

BATCH = 20_000
DEPARTMENT_SHARE = 0.10
GROUP_SHARE = 0.40
PARTICIPANT_COUNTS = (2, 2, 2, 2, 2, 3, 3, 3, 4, 5, 6, 8)  # drawn uniformly: mostly pairs
PARETO_ALPHA = 1.3  # activity propensity; smaller = heavier tail
LOG_DAYS = 3 * 365


def generate(
    n_stakeholders: int,
    n_activities: int,
    seed: int = 1,
    *,
    end: date | None = None,
) -> dict[str, int]:
    """Insert ``n_stakeholders`` stakeholders and ``n_activities`` activities; return counts.

    Ids continue after the current maximum, so it can run on a database that already has data.
    """
    rng = random.Random(seed)
    end = end or date.today()
    field_ids = list(db.session.scalars(select(FieldOfWork.id).order_by(FieldOfWork.id)))
    first_sid = (db.session.scalar(select(func.max(Stakeholder.id))) or 0) + 1
    first_aid = (db.session.scalar(select(func.max(JointActivity.id))) or 0) + 1
    now = utcnow()

    kinds = _kinds(n_stakeholders, rng)
    stakeholder_ids = list(range(first_sid, first_sid + n_stakeholders))
    _insert(Stakeholder.__table__, (
        {
            "id": sid, "name": f"Akteur {sid} ({kind})", "name_key": f"akteur {sid} ({kind})",
            "kind": kind, "description": "", "affiliation": "", "active": rng.random() > 0.03,
            "created_at": now, "updated_at": now, "version": 1,
        }
        for sid, kind in zip(stakeholder_ids, kinds, strict=True)
    ))
    _insert(stakeholder_field, (
        {"stakeholder_id": sid, "field_id": fid}
        for sid in stakeholder_ids
        for fid in rng.sample(field_ids, rng.choice((1, 1, 2, 3)))
    ))

    # Heavy-tailed propensity; departments are asked in on half of all activities.
    propensity = [rng.paretovariate(PARETO_ALPHA) for _ in stakeholder_ids]
    departments = [s for s, k in zip(stakeholder_ids, kinds, strict=True) if k == "department"]
    # Cumulative weights once: random.choices would otherwise re-sum them on every call.
    cum_all = list(accumulate(propensity))
    cum_dept = list(accumulate(propensity[s - first_sid] for s in departments))
    activity_ids = range(first_aid, first_aid + n_activities)
    participants = {}
    for aid in activity_ids:
        size = min(rng.choice(PARTICIPANT_COUNTS), n_stakeholders)
        chosen = set()
        if departments and rng.random() < 0.5:
            chosen.add(rng.choices(departments, cum_weights=cum_dept)[0])
        while len(chosen) < size:
            chosen.update(rng.choices(stakeholder_ids, cum_weights=cum_all, k=size - len(chosen)))
        participants[aid] = chosen
    kinds_of_activity = [k.value for k in ActivityKind]
    _insert(JointActivity.__table__, (
        {
            "id": aid, "date": end - timedelta(days=rng.randrange(LOG_DAYS)),
            "title": f"Aktivität {aid}", "kind": rng.choice(kinds_of_activity),
            "description": "", "created_at": now, "updated_at": now, "version": 1,
        }
        for aid in activity_ids
    ))
    _insert(participation, (
        {"activity_id": aid, "stakeholder_id": sid}
        for aid, chosen in participants.items()
        for sid in chosen
    ))
    _insert(activity_field, (
        {"activity_id": aid, "field_id": fid}
        for aid in activity_ids
        for fid in rng.sample(field_ids, rng.choice((0, 1, 1, 1, 2)))
    ))
    _fix_sequences()
    rebuild_ties()
    bump_revision()
    db.session.commit()
    return {
        "stakeholders": n_stakeholders,
        "activities": n_activities,
        "participations": sum(len(c) for c in participants.values()),
    }


def _kinds(n: int, rng: random.Random) -> list[str]:
    n_departments = max(1, round(n * DEPARTMENT_SHARE))
    n_groups = round(n * GROUP_SHARE)
    kinds = (
        ["department"] * n_departments
        + ["group"] * n_groups
        + ["individual"] * (n - n_departments - n_groups)
    )
    rng.shuffle(kinds)
    return kinds


def _insert(table, rows) -> None:
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        db.session.execute(insert(table), batch)


def _fix_sequences() -> None:
    """PostgreSQL keeps serial counters apart from the data; move them past explicit ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("stakeholder", "joint_activity"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  (fixed names)
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))
