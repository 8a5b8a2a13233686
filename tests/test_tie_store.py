"""The tie store always equals a fresh aggregate of the activities, after any mix of writes
through the form operations and imports (seeded random sequences), and after a rebuild."""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import partial

import pytest
from sqlalchemy import delete, select

from conftest import make_stakeholder
from coordinator.activities.operations import (
    ActivityInput,
    create_activity,
    delete_activity,
    update_activity,
)
from coordinator.database import write_intent
from coordinator.extensions import db
from coordinator.imports.operations import run_import
from coordinator.imports.reading import open_table
from coordinator.models import (
    ActivityKind,
    FieldOfWork,
    JointActivity,
    NetworkTie,
    Role,
    StakeholderKind,
)
from coordinator.network.data.tie_store import fresh_ties, rebuild, stored_ties

KINDS = (StakeholderKind.DEPARTMENT, StakeholderKind.GROUP, StakeholderKind.INDIVIDUAL)


def _random_input(rng, people, fields) -> ActivityInput:
    day = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 700))
    return ActivityInput(
        date=day, title=f"Treffen {rng.randrange(10**6)}", kind=ActivityKind.MEETING,
        participant_ids=[p.id for p in rng.sample(people, rng.randint(2, min(5, len(people))))],
        field_ids=[f.id for f in rng.sample(fields, rng.randint(0, 2))],
    )


def _import_random(rng, people, fields) -> None:
    lines = ["date,title,kind,fields,participants,description"]
    for _ in range(rng.randint(1, 6)):
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 700))
        members = rng.sample(people, rng.randint(2, 4))
        tags = rng.sample(fields, rng.randint(0, 2))
        lines.append(",".join((
            day.isoformat(), f"Import {rng.randrange(10**6)}", "meeting",
            "|".join(f.key for f in tags),
            "|".join(p.name for p in members), "",
        )))
    data = ("\n".join(lines) + "\n").encode()
    with write_intent():
        report = run_import("activities", partial(open_table, data, "a.csv"))
    assert not report.errors, report.errors


@pytest.mark.parametrize("seed", range(6))
def test_stored_ties_equal_a_fresh_aggregate_after_random_writes(app, world, seed):
    rng = random.Random(seed)
    admin = world["users"][Role.ADMIN]
    people = [make_stakeholder(f"Akteur {seed}-{i}", rng.choice(KINDS)) for i in range(8)]
    people += [world["jugendamt"], world["jobcenter"], world["verein"]]
    fields = list(db.session.scalars(select(FieldOfWork)))
    for _step in range(25):
        action = rng.random()
        activities = list(db.session.scalars(select(JointActivity)))
        if action < 0.4 or not activities:
            create_activity(admin, _random_input(rng, people, fields))
        elif action < 0.65:
            target = rng.choice(activities)
            update_activity(admin, target, target.version, _random_input(rng, people, fields))
        elif action < 0.85:
            target = rng.choice(activities)
            delete_activity(target, target.version)
        else:
            _import_random(rng, people, fields)
        db.session.expire_all()
        assert stored_ties() == fresh_ties()
    assert stored_ties()  # the sequences do leave ties to compare


def test_rebuild_restores_a_damaged_store(app, world, runner):
    expected = fresh_ties()
    assert expected and stored_ties() == expected
    db.session.execute(delete(NetworkTie))
    db.session.commit()
    assert stored_ties() == set()
    result = runner.invoke(args=["rebuild-ties"])
    assert result.exit_code == 0, result.output
    assert "neu aufgebaut" in result.output
    db.session.expire_all()
    assert stored_ties() == expected
    with write_intent():
        assert rebuild() == len(expected)

