"""``flask demo``: the fictional Landkreis Lindenau, and the structure the analysis must find."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import networkx as nx
import pytest
from sqlalchemy import func, select

from conftest import make_stakeholder
from coordinator.auth.passwords import password_problems
from coordinator.cases.referral_models import CaseDerivedActivity
from coordinator.database import write_intent
from coordinator.demo.data import DEMO_USERS
from coordinator.demo.generate import plan_demo
from coordinator.demo.load import insert_plan
from coordinator.extensions import db
from coordinator.models import JointActivity, Stakeholder, StakeholderKind, User, participation

LOGIN_HEADER = "Anmelden unter http://127.0.0.1:5000 mit:"


def run_demo(runner):
    return runner.invoke(args=["demo"])


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def collaboration_graph() -> tuple[nx.Graph, dict[int, Stakeholder]]:
    """Stakeholders as nodes, an edge wherever two took part in the same activity of the
    activity log proper (case work, which links e.g. the Ausländerbehörde to the Jobcenter,
    is left out as with the network's "without cases" scope)."""
    stakeholders = {s.id: s for s in db.session.scalars(select(Stakeholder))}
    graph = nx.Graph()
    graph.add_nodes_from(stakeholders)
    rows = db.session.execute(
        select(participation.c.activity_id, participation.c.stakeholder_id)
        .where(participation.c.activity_id.not_in(select(CaseDerivedActivity.activity_id)))
        .order_by(participation.c.activity_id, participation.c.stakeholder_id)
    )
    for _activity, members in itertools.groupby(rows, key=lambda row: row.activity_id):
        ids = [row.stakeholder_id for row in members]
        for a, b in itertools.combinations(ids, 2):
            weight = graph.get_edge_data(a, b, {"weight": 0})["weight"]
            graph.add_edge(a, b, weight=weight + 1)
    return graph, stakeholders


def test_demo_fills_an_empty_database(runner):
    result = run_demo(runner)

    assert result.exit_code == 0, result.output
    assert 18 <= count(Stakeholder, Stakeholder.kind == StakeholderKind.DEPARTMENT) <= 30
    assert 30 <= count(Stakeholder, Stakeholder.kind == StakeholderKind.GROUP) <= 50
    assert 25 <= count(Stakeholder, Stakeholder.kind == StakeholderKind.INDIVIDUAL) <= 40
    # the activity log proper; case work adds referrals and conferences (test_cases_demo.py)
    case_derived = select(CaseDerivedActivity.activity_id)
    assert 700 <= count(JointActivity, JointActivity.id.not_in(case_derived)) <= 900
    assert count(User) == len(DEMO_USERS)
    assert LOGIN_HEADER in result.output
    for user in DEMO_USERS:
        assert user.email in result.output
        assert user.password in result.output


def test_demo_data_is_plausible(runner):
    assert run_demo(runner).exit_code == 0
    today = date.today()

    sizes = db.session.scalars(
        select(func.count()).select_from(participation).group_by(participation.c.activity_id)
    ).all()
    assert min(sizes) >= 2
    assert max(sizes) <= 6
    first, last = db.session.execute(
        select(func.min(JointActivity.date), func.max(JointActivity.date))
    ).one()
    assert today - timedelta(days=731) <= first
    assert last <= today
    individuals = db.session.scalars(
        select(Stakeholder).where(Stakeholder.kind == StakeholderKind.INDIVIDUAL)
    ).all()
    assert all(person.consent_date is not None for person in individuals)
    assert all(person.affiliation for person in individuals)
    # Departments are organised under Dezernate.
    jugendamt = db.session.scalars(select(Stakeholder).where(Stakeholder.name == "Jugendamt")).one()
    assert jugendamt.parent is not None
    assert jugendamt.parent.name.startswith("Dezernat II")
    assert count(JointActivity, JointActivity.created_by_id.is_(None)) == 0


def test_every_demo_user_can_log_in(runner, client, auth):
    assert run_demo(runner).exit_code == 0

    for user in DEMO_USERS:
        response = auth.login(user.email, user.password)
        assert response.status_code == 302, user.email
        assert client.get("/").status_code in (200, 302)
        auth.logout()


def test_demo_passwords_satisfy_the_policy(app):
    for user in DEMO_USERS:
        assert password_problems(user.password, user.email) == []


def test_demo_refuses_a_database_with_data(runner):
    make_stakeholder("Jugendamt")

    result = run_demo(runner)

    assert result.exit_code != 0
    assert "leere Datenbank" in result.output
    assert count(Stakeholder) == 1
    assert count(JointActivity) == 0
    assert count(User) == 0


def test_demo_run_twice_prints_the_logins_again(runner):
    assert run_demo(runner).exit_code == 0
    activities = count(JointActivity)

    result = run_demo(runner)

    assert result.exit_code == 0, result.output
    assert "bereits angelegt" in result.output
    assert LOGIN_HEADER in result.output
    assert all(user.email in result.output for user in DEMO_USERS)
    assert count(JointActivity) == activities
    assert count(User) == len(DEMO_USERS)


def test_demo_explains_a_missing_schema(app_factory, tmp_path):
    empty = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.db'}")

    with empty.app_context():
        result = empty.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code != 0
    assert "init-db" in result.output


def test_demo_network_has_the_structure_to_discover(runner):
    assert run_demo(runner).exit_code == 0
    graph, stakeholders = collaboration_graph()

    def kind(node):
        return stakeholders[node].kind

    # Isolated departments: no tie to any other department.
    lonely = {
        stakeholders[n].name for n in graph
        if kind(n) is StakeholderKind.DEPARTMENT
        and not any(kind(m) is StakeholderKind.DEPARTMENT for m in graph[n])
    }
    assert {"Bauamt", "Wirtschaftsförderung"} <= lonely
    assert any(graph.degree(n) == 0 and kind(n) is StakeholderKind.DEPARTMENT for n in graph)

    # A key person: an individual whose removal splits the network.
    bridges = [n for n in nx.articulation_points(graph) if kind(n) is StakeholderKind.INDIVIDUAL]
    assert bridges

    # Clusters: the main component falls into several communities.
    main = graph.subgraph(max(nx.connected_components(graph), key=len))
    assert len(nx.community.louvain_communities(main, weight="weight", seed=2021)) >= 3

    # A silo: the Ausländerbehörde's partners all belong to the silo itself.
    by_name = {s.name: s.id for s in stakeholders.values()}
    silo = {by_name[name] for name in ("Ordnungsamt", "Bürgeramt", "Ausländerbehörde")}
    for member in silo:
        assert graph[member]
        assert set(graph[member]) <= silo

    # Cooperation grows: more activities in the second year than in the first.
    middle = date.today() - timedelta(days=365)
    assert count(JointActivity, JointActivity.date > middle) > 1.3 * count(
        JointActivity, JointActivity.date <= middle
    )


def test_plan_is_deterministic_and_scales():
    today = date(2026, 3, 1)
    plan = plan_demo(seed=2021, activities=300, today=today)

    assert plan == plan_demo(seed=2021, activities=300, today=today)
    assert plan != plan_demo(seed=7, activities=300, today=today)
    assert len(plan.activities) == 300

    doubled = plan_demo(seed=2021, activities=300, today=today, copies=2)
    names = [s.name for s in doubled.stakeholders]
    assert len(names) == 2 * len(plan.stakeholders)
    assert len(set(names)) == len(names)
    keys = {s.key for s in doubled.stakeholders}
    assert all(set(a.participants) <= keys for a in doubled.activities)


@pytest.mark.parametrize("copies", [1, 3])
def test_plan_dates_stay_in_the_period(copies):
    today = date(2026, 3, 1)
    plan = plan_demo(activities=200, today=today, copies=copies)

    assert all(plan.start <= a.date <= today for a in plan.activities)
    assert all(2 <= len(set(a.participants)) == len(a.participants) <= 6
               for a in plan.activities)


def test_insert_plan_writes_a_larger_landkreis(app):
    plan = plan_demo(activities=120, today=date(2026, 3, 1), copies=2)

    with write_intent():
        ids = insert_plan(plan)
        db.session.commit()

    assert count(Stakeholder) == len(plan.stakeholders) == len(ids)
    assert count(JointActivity) == 120
    assert count(participation) == sum(len(a.participants) for a in plan.activities)
    copy = db.session.get(Stakeholder, ids["jugendamt#2"])
    assert copy.parent_id == ids["dez2#2"]
