"""The tie store always equals a fresh aggregate of the activities, after any mix of writes
through the form operations and imports (seeded random sequences), and after a rebuild."""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import partial

import pytest
from sqlalchemy import delete, func, select

from conftest import make_activity, make_stakeholder
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
from coordinator.network.data.ego_ties import load_partners
from coordinator.network.data.graph_loading import load_tie_arrays
from coordinator.network.data.scope import Scope
from coordinator.network.data.stored_figures import compute_for
from coordinator.network.data.tie_store import fresh_ties, rebuild, stored_ties, tie_rows
from coordinator.register.queries import partners_of

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



def _weights(a, b, weight) -> dict[tuple[int, int], int]:
    return {(int(x), int(y)): int(w) for x, y, w in zip(a, b, weight, strict=True)}


def test_readers_leave_planned_activities_out_until_their_day(app, world):
    """The store keeps planned activities (dated after today); every reader of it sees them
    only once they have taken place — ties, ego view, partner list and metrics."""
    today = date.today()
    jobcenter, verein = world["jobcenter"], world["verein"]
    before = _weights(*load_tie_arrays(Scope())[:3])
    metrics_before = compute_for(Scope(), today)
    make_activity([jobcenter, verein], today, title="Heute")  # taken place: counts
    make_activity([jobcenter, verein], today + timedelta(days=1), title="Morgen")
    make_activity([jobcenter, verein], today + timedelta(days=200), title="Nächstes Jahr")
    pair = (min(jobcenter.id, verein.id), max(jobcenter.id, verein.id))
    assert pair in {row[:2] for row in stored_ties()}  # the store keeps everything

    after = _weights(*load_tie_arrays(Scope())[:3])
    assert after == {**before, pair: before.get(pair, 0) + 1}
    ego = load_partners(Scope(), verein.id)
    ego_weights = dict(zip(ego.ids.tolist(), ego.weight.tolist(), strict=True))
    assert ego_weights[jobcenter.id] == before.get(pair, 0) + 1
    partners = {p.stakeholder.id: p.count for p in partners_of(verein.id).items}
    assert partners[jobcenter.id] == before.get(pair, 0) + 1
    metrics = compute_for(Scope(), today)
    assert metrics.activities == metrics_before.activities + 1

    # The day after tomorrow the first planned one has taken place.
    rows = tie_rows(today=today + timedelta(days=2))
    total = db.session.scalar(
        select(func.sum(rows.c.weight)).where(rows.c.a_id == pair[0], rows.c.b_id == pair[1],
                                              rows.c.field_id == 0))
    assert total == before.get(pair, 0) + 2
