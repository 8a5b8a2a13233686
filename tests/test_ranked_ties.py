"""The scope's ranked ties, stored by the queue's job: the tie table reads one stored page,
the table downloads read the stored view and ranking (or stream the tie store when the
ranking is cut short), and no reader aggregates or loads the graph."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select, update

from conftest import make_activity, make_stakeholder
from coordinator.activities.operations import delete_activity
from coordinator.extensions import db
from coordinator.models import (
    JointActivity,
    NetworkCache,
    NetworkExport,
    NetworkRankedTies,
    Role,
    StakeholderKind,
)
from coordinator.network.analysis.compact import CompactGraph, NodeRecord, TieRecord
from coordinator.network.analysis.tie_ranking import rank_ties
from coordinator.network.data import graph_loading, stored_figures
from coordinator.network.data.figure_store import figure_key, purge_figures_naming
from coordinator.network.data.newcomers import counted
from coordinator.network.data.ranked_ties import all_stored_ties, ranked_tie_pages
from coordinator.network.data.scope import Scope
from coordinator.network.web import tables
from coordinator.network.web.tables import tie_rows


def fresh_rows(scope: Scope) -> list[tuple]:
    graph = counted(scope, graph_loading.load_compact(scope)).graph
    return [(r.a, r.b, r.weight, r.last) for r in tie_rows(graph)]


def stored_rows(scope: Scope) -> list[tuple]:
    db.session.rollback()
    return [(t.a, t.b, t.weight, t.last) for t in all_stored_ties(figure_key(scope))]


def refresh(client, query: str = "") -> None:
    """A page visit hands the scope to the (immediate) queue, which recomputes it."""
    assert client.get(f"/network/ties{query}").status_code == 200


@pytest.fixture
def coordinator_client(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    return client


def test_rank_ties_orders_by_weight_recency_then_names():
    graph = CompactGraph.from_records(
        [NodeRecord(1, "Zoll", "department"), NodeRecord(2, "amt", "department"),
         NodeRecord(3, "Bau", "group"), NodeRecord(4, "bau", "group")],
        [TieRecord(1, 2, 2, date(2026, 1, 5)), TieRecord(1, 3, 2, date(2026, 3, 1)),
         TieRecord(2, 3, 5, date(2025, 1, 1)), TieRecord(2, 4, 2, date(2026, 3, 1))])
    first, second, _order = rank_ties(graph)
    pairs = [(graph.ids[a], graph.ids[b]) for a, b in zip(first.tolist(), second.tolist(),
                                                         strict=True)]
    assert pairs == [(2, 3), (2, 4), (3, 1), (2, 1)]
    ranked = ranked_tie_pages(graph, limit=3, per_page=2)
    assert (ranked.total, ranked.stored, len(ranked.pages)) == (4, 3, 2)
    assert ranked.pages[1] == f"[[3,1,2,{date(2026, 3, 1).toordinal()}]]"
    assert ranked_tie_pages(CompactGraph.from_records([], []), 10, 2).pages == ["[]"]


@pytest.mark.parametrize("seed", range(5))
def test_a_limited_ranking_is_the_head_of_the_whole_ranking(seed):
    """Only the ties that may rank among the first ``limit`` are sorted: with many ties of
    equal strength at the cut (few weights, few dates), the head must still be exact."""
    rng = np.random.default_rng(seed)
    n = 40
    names = [rng.choice(["Amt", "amt", "Bau", "Verein", "Zoll"]) for _ in range(n)]
    nodes = [NodeRecord(i, f"{names[i]}", "department") for i in range(n)]
    ties = {(int(a), int(b)) for a, b in rng.integers(0, n, size=(300, 2)) if a < b}
    records = [TieRecord(a, b, int(rng.integers(1, 4)),
                         date(2026, 1, 1 + int(rng.integers(0, 3)))) for a, b in sorted(ties)]
    graph = CompactGraph.from_records(nodes, records)
    whole = rank_ties(graph)
    for limit in (1, 7, 50, graph.m, graph.m + 5):
        head = rank_ties(graph, limit)
        assert head.order.tolist() == whole.order[:limit].tolist()
        assert head.first.tolist() == whole.first[:limit].tolist()
        assert head.second.tolist() == whole.second[:limit].tolist()


def test_stored_ranking_equals_a_fresh_graph_after_random_writes(coordinator_client, world):
    rng = random.Random(8)
    people = [world[name] for name in ("jugendamt", "jobcenter", "auslaenderbehoerde",
                                       "verein", "person")]
    people += [make_stakeholder(f"Verein {n}", StakeholderKind.GROUP, fields=("sprache",))
               for n in range(6)]
    arbeit = Scope(field="arbeit")
    for round_number in range(4):
        for _ in range(12):
            make_activity(rng.sample(people, rng.choice((2, 2, 3))),
                          date(2026, 1, 1) + timedelta(days=rng.randrange(80)),
                          fields=rng.choice(((), ("arbeit",), ("sprache",))))
        if round_number % 2:  # deletions and edits too
            for activity in rng.sample(db.session.scalars(select(JointActivity)).all(), 3):
                delete_activity(activity, activity.version)
        refresh(coordinator_client)
        refresh(coordinator_client, "?field=arbeit")
        assert stored_rows(Scope()) == fresh_rows(Scope()), round_number
        assert stored_rows(arbeit) == fresh_rows(arbeit), round_number
    assert tables.PER_PAGE == 50  # one stored row per page of the tie table


def test_tie_page_reads_one_stored_row_and_no_aggregate(coordinator_client, world, monkeypatch):
    hub = world["jobcenter"]
    for number in range(60):
        partner = make_stakeholder(f"Initiative {number:02d}", StakeholderKind.GROUP)
        make_activity([hub, partner], date(2026, 1, 1 + number % 28))
    refresh(coordinator_client)  # the job stores the ranking

    def forbidden(*_args, **_kwargs):
        raise AssertionError("a reader aggregated or loaded the graph")

    for module, name in ((graph_loading, "count_ties"), (graph_loading, "tie_page"),
                         (graph_loading, "load_compact"), (graph_loading, "load_tie_arrays"),
                         (stored_figures, "load_compact_cached")):
        monkeypatch.setattr(module, name, forbidden)
    page = coordinator_client.get("/network/ties").get_data(as_text=True)
    assert "Seite 1 von 2" in page and "62 Verbindungen" in page and "Jobcenter" in page
    page_two = coordinator_client.get("/network/ties?page=2").get_data(as_text=True)
    assert "Seite 2 von 2" in page_two and "Initiative" in page_two
    assert "vollständige Liste" not in page_two  # nothing cut short
    beyond = coordinator_client.get("/network/ties?page=99").get_data(as_text=True)
    assert "Seite 2 von 2" in beyond
    for name in ("akteure", "verbindungen"):
        for fmt in ("csv", "xlsx"):
            response = coordinator_client.get(f"/tables/{name}?format={fmt}")
            assert response.status_code == 200, (name, fmt)
    assert coordinator_client.get("/tables/alle?format=xlsx").status_code == 200


def test_a_cut_short_ranking_says_where_the_whole_list_is(app, coordinator_client, world):
    for number in range(7):
        partner = make_stakeholder(f"Initiative {number:02d}", StakeholderKind.GROUP)
        make_activity([world["jobcenter"], partner], date(2026, 1, 2 + number))
    complete = coordinator_client.get("/tables/verbindungen?format=csv").get_data()
    machine = coordinator_client.get("/tables/verbindungen?format=csv-machine").get_data()
    no_cases = coordinator_client.get("/tables/verbindungen?format=csv&cases=0").get_data()
    app.config["NETWORK_RANKED_TIES"] = 3
    db.session.execute(update(NetworkCache).values(revision=-1))  # recompute, bounded
    db.session.commit()
    page = coordinator_client.get("/network/ties").get_data(as_text=True)
    assert "9 Verbindungen" in page and "Seite 1 von 1" in page
    assert "Die Tabelle zeigt die 3 stärksten von 9 Verbindungen" in page
    assert "/tables/verbindungen?format=xlsx" in page
    assert len(re.findall(r'<th scope="row">', page)) == 3
    assert db.session.scalar(select(func.count()).select_from(NetworkRankedTies).where(
        NetworkRankedTies.key == figure_key(Scope()))) == 1
    # the download stays complete (streamed from the tie store) and in the same order
    assert coordinator_client.get("/tables/verbindungen?format=csv").get_data() == complete
    assert coordinator_client.get(
        "/tables/verbindungen?format=csv-machine").get_data() == machine
    # scopes without case activities stream from the participations
    assert coordinator_client.get(
        "/tables/verbindungen?format=csv&cases=0").get_data() == no_cases


def test_pseudonyms_in_the_tie_table_and_the_downloads(client, auth, world, app):
    make_activity([world["person"], world["jugendamt"]], date(2026, 3, 3))
    auth.login_as(world, Role.LEADERSHIP)
    for url in ("/network/ties", "/tables/verbindungen?format=csv",
                "/tables/akteure?format=csv"):
        body = client.get(url).get_data(as_text=True)
        assert "Yilmaz" not in body and "Einzelperson 1" in body, url
    streamed_before = client.get("/tables/verbindungen?format=csv").get_data()
    app.config["NETWORK_RANKED_TIES"] = 1
    db.session.execute(update(NetworkCache).values(revision=-1))
    db.session.commit()
    client.get("/network/ties")
    assert client.get("/tables/verbindungen?format=csv").get_data() == streamed_before
    auth.logout()
    auth.login_as(world, Role.COORDINATOR)
    assert "A. Yilmaz" in client.get("/network/ties").get_data(as_text=True)


def test_tie_table_waits_for_the_first_computation(app_factory):
    from conftest import make_user

    app = app_factory(NETWORK_QUEUE="external", NETWORK_QUEUE_FILE=None)
    with app.app_context():
        make_user("leitung-w@example.org", Role.LEADERSHIP)
        client = app.test_client()
        client.post("/login", data={"email": "leitung-w@example.org",
                                    "password": "Ein langes Test-Passwort 2026"})
        page = client.get("/network/ties").get_data(as_text=True)
        assert "werden gerade berechnet" in page
        assert '<meta http-equiv="refresh" content="3">' in page
        huey = app.extensions["network_queue"].huey
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
        page = client.get("/network/ties").get_data(as_text=True)
        assert "Stand: vor" in page and "Keine Verbindungen" in page


def test_eviction_and_anonymisation_purge_ranked_ties_and_exports(app, coordinator_client, world):
    app.config["NETWORK_MAX_SCOPES"] = 2
    coordinator_client.get("/network/ties")
    coordinator_client.get("/network/export/nodes.csv?field=arbeit")
    coordinator_client.get("/network/ties?field=arbeit")
    keys = set(db.session.scalars(select(NetworkRankedTies.key)))
    assert keys == {figure_key(Scope()), figure_key(Scope(field="arbeit"))}
    coordinator_client.get("/network/ties?field=sprache")  # evicts the "arbeit" scope
    db.session.rollback()
    keys = set(db.session.scalars(select(NetworkRankedTies.key)))
    assert figure_key(Scope(field="arbeit")) not in keys
    assert db.session.scalars(select(NetworkExport.scope_key)).all() == []

    coordinator_client.get("/network/export/nodes.csv")
    assert db.session.scalars(select(NetworkExport.scope_key)).all() == [figure_key(Scope())]
    purge_figures_naming("A. Yilmaz")  # what anonymising and deleting a stakeholder call
    db.session.commit()
    assert db.session.scalars(select(NetworkExport.scope_key)).all() == []
    assert figure_key(Scope()) not in set(db.session.scalars(select(NetworkRankedTies.key)))
    assert figure_key(Scope(field="sprache")) in set(  # names nobody: kept
        db.session.scalars(select(NetworkRankedTies.key)))
    assert coordinator_client.post(
        f"/stakeholders/{world['person'].id}/anonymise").status_code == 302
    page = coordinator_client.get("/network/ties").get_data(as_text=True)
    assert "Yilmaz" not in page and "Stand: vor" in page
