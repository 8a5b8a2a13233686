"""The graph from the database (SQL aggregates), the data revision and the metrics cache."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import numpy as np
import pytest
from sqlalchemy import delete, func, insert, select

from conftest import make_activity, make_stakeholder, make_user
from coordinator.extensions import db
from coordinator.models import (
    JointActivity,
    NetworkCache,
    Role,
    Stakeholder,
    StakeholderKind,
    participation,
)
from coordinator.network.analysis.trend import quarter_of
from coordinator.network.data import stored_figures as service
from coordinator.network.data.fading_ties import load_pair_histories
from coordinator.network.data.graph_loading import (
    load_compact,
    load_graph,
    load_tie_arrays,
)
from coordinator.network.data.revision import bump_revision, current_revision
from coordinator.network.data.scope import Scope
from coordinator.network.data.scope_ties import load_scope_ties

GROUP = StakeholderKind.GROUP
PERSON = StakeholderKind.INDIVIDUAL


def ties_of(graph) -> dict[tuple[str, str], tuple[int, date]]:
    names = graph.nodes(data="name")
    return {
        tuple(sorted((names[a], names[b]))): (data["weight"], data["last"])
        for a, b, data in graph.edges(data=True)
    }


# --- the graph -------------------------------------------------------------------------------


def test_graph_of_the_world(world):
    graph = load_graph(Scope())
    assert sorted(graph.nodes[n]["name"] for n in graph) == sorted(
        ["Jugendamt", "Jobcenter", "Ausländerbehörde", "Interkultureller Verein Sonnenfeld",
         "A. Yilmaz"]
    )
    jugendamt = world["jugendamt"].id
    assert graph.nodes[jugendamt]["kind"] == "department"
    assert graph.nodes[jugendamt]["fields"] == ("bildung", "soziales")
    assert ties_of(graph) == {
        ("Interkultureller Verein Sonnenfeld", "Jugendamt"): (1, date(2026, 2, 3)),
        ("Ausländerbehörde", "Jobcenter"): (1, date(2026, 2, 10)),
    }
    assert graph.graph["activities"] == 2


def test_weight_counts_joint_activities_and_last_is_the_latest(app):
    a, b, c = (make_stakeholder(n, GROUP) for n in ("A", "B", "C"))
    make_activity([a, b], date(2025, 5, 1))
    make_activity([a, b, c], date(2026, 1, 9))
    make_activity([b, a], date(2025, 12, 24))
    assert ties_of(load_graph(Scope())) == {
        ("A", "B"): (3, date(2026, 1, 9)),
        ("A", "C"): (1, date(2026, 1, 9)),
        ("B", "C"): (1, date(2026, 1, 9)),
    }


def test_inactive_stakeholders_and_their_ties_are_left_out(app):
    a, b, c = (make_stakeholder(n, GROUP) for n in ("A", "B", "C"))
    make_activity([a, b, c])
    c.active = False
    db.session.commit()
    graph = load_graph(Scope())
    assert sorted(graph.nodes[n]["name"] for n in graph) == ["A", "B"]
    assert list(ties_of(graph)) == [("A", "B")]


def test_period_is_inclusive_and_field_keeps_only_tagged_activities(app):
    a, b, c = (make_stakeholder(n, GROUP) for n in ("A", "B", "C"))
    make_activity([a, b], date(2026, 1, 1), fields=("wohnen",))
    make_activity([a, c], date(2026, 1, 31), fields=("arbeit", "wohnen"))
    make_activity([b, c], date(2026, 2, 1), fields=("arbeit",))
    january = Scope(since=date(2026, 1, 1), until=date(2026, 1, 31))
    assert set(ties_of(load_graph(january))) == {("A", "B"), ("A", "C")}
    assert load_graph(january).graph["activities"] == 2
    arbeit = Scope(field="arbeit")
    assert set(ties_of(load_graph(arbeit))) == {("A", "C"), ("B", "C")}
    assert load_graph(arbeit).number_of_nodes() == 3  # the node set does not shrink


def test_kinds_limit_the_stakeholders_shown(world):
    graph = load_graph(Scope(kinds=frozenset({"department", "group"})))
    assert world["person"].id not in graph
    assert graph.number_of_edges() == 2
    departments_only = load_graph(Scope(kinds=frozenset({"department"})))
    assert list(ties_of(departments_only)) == [("Ausländerbehörde", "Jobcenter")]


def _random_log(seed: int = 7, people: int = 12, activities: int = 60):
    rng = random.Random(seed)
    kinds = [StakeholderKind.DEPARTMENT, GROUP, PERSON]
    stakeholders = [make_stakeholder(f"S{i}", rng.choice(kinds)) for i in range(people)]
    log = []
    for _ in range(activities):
        chosen = rng.sample(stakeholders, rng.choice((2, 2, 3, 4)))
        day = date(2024, 1, 1).fromordinal(date(2024, 1, 1).toordinal() + rng.randrange(900))
        fields = tuple(rng.sample(["arbeit", "wohnen", "sprache"], rng.choice((0, 1, 2))))
        make_activity(chosen, day, fields=fields)
        log.append((sorted(s.id for s in chosen), day, fields))
    return stakeholders, log


def _python_ties(log, keep=lambda day, fields: True):
    weights, last = Counter(), {}
    for ids, day, fields in log:
        if not keep(day, fields):
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                weights[a, b] += 1
                last[a, b] = max(last.get((a, b), day), day)
    return {pair: (weights[pair], last[pair]) for pair in weights}


@pytest.mark.parametrize("scope_args", [
    {}, {"since": date(2024, 6, 1), "until": date(2025, 3, 31)}, {"field": "wohnen"},
])
def test_sql_aggregate_equals_a_count_over_the_activities(app, scope_args):
    _, log = _random_log()
    scope = Scope(**scope_args)

    def keep(day, fields):
        return ((scope.since is None or day >= scope.since)
                and (scope.until is None or day <= scope.until)
                and (scope.field is None or scope.field in fields))

    a, b, weight, last = load_tie_arrays(scope)
    found = {
        (x, y): (w, date.fromordinal(t))
        for x, y, w, t in zip(a.tolist(), b.tolist(), weight.tolist(), last.tolist(),
                              strict=True)
    }
    assert found == _python_ties(log, keep)


def test_one_read_per_quarter_folds_into_the_same_ties(app):
    _, log = _random_log(seed=3)
    quarters = list(range(quarter_of(date(2024, 1, 1)), quarter_of(date(2026, 6, 30)) + 1))
    ties = load_scope_ties(Scope(), quarters)
    graph, per_quarter = ties.graph, list(ties.quarter_ties(quarters))
    plain = load_compact(Scope())
    for name in ("u", "v", "w", "last"):
        assert np.array_equal(getattr(graph, name), getattr(plain, name))
    for q in per_quarter:
        expected = _python_ties(log, lambda day, _f, q=q: quarter_of(day) == q.quarter)
        assert set(zip(q.a.tolist(), q.b.tolist(), strict=True)) == set(expected)
        assert q.activities == sum(1 for _, day, _f in log if quarter_of(day) == q.quarter)


@pytest.mark.parametrize("kinds", [None, frozenset({"department", "group"})])
def test_fading_pairs_from_the_scope_read_equal_their_own_read(app, kinds):
    """The job hands the whole network's read to the fading ties instead of reading the
    departments' and groups' pairs again: both must give the same payload."""
    _random_log(seed=5)
    today = date(2026, 6, 30)
    scope = Scope(kinds=kinds)
    quarters = list(range(quarter_of(date(2024, 1, 1)), quarter_of(today) + 1))
    ties = load_scope_ties(scope, quarters)
    reused = load_pair_histories(scope, today, ties)
    assert reused["pairs"], "the random log has regular pairs of departments and groups"
    assert reused == load_pair_histories(scope, today)


def test_cross_department_fields(app):
    amt1 = make_stakeholder("Amt 1", fields=("wohnen",))
    amt2 = make_stakeholder("Amt 2", fields=("wohnen",))
    verein = make_stakeholder("Verein", GROUP)
    make_activity([amt1, amt2, verein], fields=("wohnen", "arbeit"))
    make_activity([amt1, verein], fields=("sprache",))
    make_activity([amt1, amt2], fields=("wohnen",))
    fields = load_compact(Scope()).attrs["cross_department_fields"]
    assert fields == {amt1.id: {"wohnen": 2, "arbeit": 1}, amt2.id: {"wohnen": 2, "arbeit": 1}}


# --- the data revision -----------------------------------------------------------------------


def test_writes_through_the_session_change_the_revision(app):
    start = current_revision()
    a = make_stakeholder("A", GROUP)
    after_insert = current_revision()
    assert after_insert > start
    b = make_stakeholder("B", GROUP)
    activity = make_activity([a, b])
    assert current_revision() > after_insert
    before = current_revision()
    activity.participants = [a]
    db.session.commit()
    assert current_revision() > before
    before = current_revision()
    a.description = "neu"
    db.session.commit()
    assert current_revision() > before
    before = current_revision()
    db.session.delete(activity)
    db.session.commit()
    assert current_revision() > before


def test_statement_writes_change_the_revision_and_rollbacks_do_not(app):
    a, b = make_stakeholder("A", GROUP), make_stakeholder("B", GROUP)
    activity = make_activity([a])
    before = current_revision()
    db.session.execute(insert(participation).values(activity_id=activity.id,
                                                    stakeholder_id=b.id))
    db.session.commit()
    assert current_revision() == before + 1
    db.session.execute(delete(participation).where(participation.c.stakeholder_id == b.id))
    db.session.rollback()
    assert current_revision() == before + 1
    db.session.add(Stakeholder(name="Verworfen", kind=GROUP))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert current_revision() == before + 1


def test_unrelated_writes_keep_the_revision_and_explicit_bumps_count(app):
    before = current_revision()
    make_user("neu@example.org", Role.COORDINATOR)
    assert current_revision() == before
    bump_revision()
    db.session.commit()
    assert current_revision() == before + 1


def test_bump_recreates_a_missing_revision_row(app):
    from coordinator.network.data.models import NetworkRevision

    db.session.execute(delete(NetworkRevision))
    db.session.commit()
    assert current_revision() == 0
    bump_revision()
    db.session.commit()
    assert current_revision() > 0


# --- the cache -------------------------------------------------------------------------------


def _forget_process_memory():
    """As if another worker asked: no process memory, and a new transaction (SQLite keeps
    the snapshot a transaction started with)."""
    service._metrics_memo.items.clear()
    db.session.rollback()


def test_metrics_are_computed_once_per_revision_and_shared(world):
    first = service.metrics_dict(Scope())
    assert first["source"] == "computed"
    assert first["isolated_departments"] == ["Jugendamt"]
    assert service.metrics_dict(Scope())["source"] == "memory"
    _forget_process_memory()
    again = service.metrics_dict(Scope())
    assert again["source"] == "database"  # what another worker would see
    assert {k: v for k, v in again.items() if k != "source"} == {
        k: v for k, v in first.items() if k != "source"
    }


def test_a_change_makes_the_metrics_fresh_and_prunes_old_rows(world):
    service.get_metrics(Scope())
    service.get_metrics(Scope(field="sprache"))
    db.session.rollback()  # a new transaction sees what the cache writer committed
    assert db.session.scalar(select(func.count()).select_from(NetworkCache)) == 2
    make_activity([world["jugendamt"], world["jobcenter"]], date(2026, 3, 5))
    fresh = service.metrics_dict(Scope())
    assert fresh["source"] == "computed"
    assert fresh["isolated_departments"] == []
    db.session.rollback()
    rows = db.session.scalars(select(NetworkCache)).all()
    assert [row.revision for row in rows] == [current_revision()]


def test_cached_metrics_keep_the_trend_and_reasons(world):
    verein = world["verein"]
    schulamt = make_stakeholder("Schulamt", fields=("bildung",))
    make_activity([schulamt, verein], date(2026, 2, 20))
    data = service.metrics_dict(Scope(until=date(2026, 3, 31)))
    assert data["trend"][-1]["label"] == "2026-Q1"
    assert data["trend"][-1]["activities"] == 3
    reasons = {(i["department"], i["partner"]): i["reason"]
               for i in data["recommended_introductions"]}
    assert reasons[("Jugendamt", "Schulamt")] == (
        "beide arbeiten im Feld Bildung; gemeinsamer Partner: Interkultureller Verein "
        "Sonnenfeld"
    )


def test_what_if_a_stakeholder_left(world):
    """The stored what-if table of the scope's counted graph, with the node's own ties."""
    from coordinator.network.analysis.what_if import what_if_from_table, what_if_table

    graph = service.load_compact_cached(Scope())
    node = world["jugendamt"].id
    i = graph.index_of()[node]
    ties = {graph.ids[j]: 1 for j in graph.neighbours(i).tolist()}
    info = what_if_from_table(what_if_table(graph), node, ties)
    assert info.newly_isolated == [world["verein"].id]
    assert info.cut_off == [] and info.parts == 1  # the Verein alone is the largest piece
    assert info.ties_lost == 1 and info.components_after == info.components_before
    assert what_if_from_table(what_if_table(graph), 999_999, {}) is None


def test_activities_count_without_any_tie(app):
    lonely = make_stakeholder("Allein", GROUP)
    make_activity([lonely])
    metrics = service.get_metrics(Scope())
    assert metrics.activities == 1 and metrics.edges == 0 and metrics.isolates == [lonely.id]
    assert db.session.scalar(select(func.count()).select_from(JointActivity)) == 1


# --- the scope -------------------------------------------------------------------------------


def test_scope_from_arguments_and_back(app):
    scope, errors = Scope.from_args({"since": "2026-01-01", "until": "2026-03-31",
                                     "field": "wohnen", "kinds": "group,department"})
    assert errors == []
    assert scope == Scope(date(2026, 1, 1), date(2026, 3, 31), "wohnen",
                          frozenset({"group", "department"}))
    assert scope.to_args() == {"since": "2026-01-01", "until": "2026-03-31",
                               "field": "wohnen", "kinds": "department,group"}
    assert Scope.from_args(scope.to_args())[0] == scope
    assert scope.cache_key() != Scope().cache_key()
    assert Scope.from_args({"kinds": "department,group,individual"})[0] == Scope()


@pytest.mark.parametrize(("args", "message"), [
    ({"since": "01.02.2026"}, "kein gültiges Datum"),
    ({"until": "2026-02-30"}, "kein gültiges Datum"),
    ({"since": "2026-03-01", "until": "2026-02-01"}, "liegt nach seinem Ende"),
    ({"field": "mond"}, "Unbekanntes Handlungsfeld"),
    ({"kinds": "department,aliens"}, "Unbekannte Art"),
])
def test_bad_scope_arguments_give_german_messages(app, args, message):
    scope, errors = Scope.from_args(args)
    assert len(errors) == 1 and message in errors[0]
    assert scope.since is None or "since" not in args


def test_latest_memo_keeps_only_the_newest_version_of_each_key():
    from coordinator.network.data.memo import LatestMemo

    memo = LatestMemo(2)
    first, second = ["revision 1"], ["revision 2"]
    memo.put("scope", 1, first)
    assert memo.get("scope", 1) is first
    memo.put("scope", 2, second)
    assert memo.get("scope", 1) is None  # the old version is gone, not merely shadowed
    assert memo.get("scope", 2) is second
    assert len(memo.items.items) == 1
    memo.put("other", 1, first)
    memo.put("third", 1, first)  # beyond the size: the key used least recently goes
    assert memo.get("scope", 2) is None and memo.get("third", 1) is first
