"""The ego view of a hub: a bounded drawing, every partner in a paginated table, the what-if
box from stored figures, and no load of the whole network in the request."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from coordinator.extensions import db
from coordinator.models import ActivityKind, JointActivity, Role, Stakeholder, StakeholderKind
from coordinator.network.analysis import centrality
from coordinator.network.data import graph_loading, scope_ties, stored_figures
from coordinator.network.data.scope import Scope
from coordinator.network.data.tie_store import add_activities
from coordinator.network.web import view_models

JSON_SCRIPT = re.compile(r'<script type="application/json" id="network-data">(.*?)</script>',
                         re.S)
PARTNERS = 55  # more than one page of the partner table (50 rows)


def _map(page: str) -> dict:
    return json.loads(JSON_SCRIPT.search(page).group(1))


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start):page.index(end)]


def _stakeholders(names_and_kinds) -> list[Stakeholder]:
    people = [Stakeholder(name=name, kind=kind) for name, kind in names_and_kinds]
    db.session.add_all(people)
    db.session.commit()
    return people


def _activities(rows) -> None:
    """``(participants, date, title)`` rows as activities, with one tie store update."""
    activities = [JointActivity(date=on, title=title, kind=ActivityKind.MEETING,
                                participants=list(participants))
                  for participants, on, title in rows]
    db.session.add_all(activities)
    db.session.flush()
    add_activities([activity.id for activity in activities])
    db.session.commit()


@pytest.fixture
def hub_world(app):
    """A hub with 55 partners: three strong ones (several joint activities, ties among
    two of them), a department and 51 individuals that each hang on the hub alone; one pair
    outside the hub's network."""
    group, person = StakeholderKind.GROUP, StakeholderKind.INDIVIDUAL
    hub, *strong = _stakeholders([("Zentrale Stelle", group),
                                  *((f"Stark {k}", group) for k in range(3))])
    lonely, *crowd = _stakeholders([("Amt Allein", StakeholderKind.DEPARTMENT),
                                    *((f"Teilnehmer {k:02d}", person)
                                      for k in range(PARTNERS - 4))])
    pair = _stakeholders([("Paar A", group), ("Paar B", group)])
    rows = [([hub, partner], date(2026, 1, 5 + day), f"Treffen {k}/{day}")
            for k, partner in enumerate(strong) for day in range(4 - k)]  # 4, 3, 2 each
    rows += [([strong[0], strong[1]], date(2026, 1, 20), "Unter Starken"),
             ([hub, lonely], date(2026, 2, 10), "Zuletzt"),  # the latest single contact
             *(([hub, p], date(2026, 2, 2), "Beratung") for p in crowd),
             (pair, date(2026, 2, 3), "Abseits")]
    _activities(rows)
    return {"hub": hub, "strong": strong, "lonely": lonely, "crowd": crowd, "pair": pair}


@pytest.fixture
def coordinator_client(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    return client


def test_hub_draws_its_strongest_partners_and_lists_all_in_pages(app, coordinator_client,
                                                                 hub_world):
    app.config["NETWORK_EGO_PARTNERS"] = 3
    hub, strong = hub_world["hub"], hub_world["strong"]
    response = coordinator_client.get(f"/network/ego/{hub.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    data = _map(page)
    assert {node["id"] for node in data["nodes"]} == {hub.id, *(s.id for s in strong)}
    assert {frozenset((e["from"], e["to"])) for e in data["edges"]} == {
        *(frozenset((hub.id, s.id)) for s in strong), frozenset((strong[0].id, strong[1].id))}
    centre = next(node for node in data["nodes"] if node["id"] == hub.id)
    assert centre["degree"] == PARTNERS  # the tooltip counts every partner
    assert "Gezeigt: die 3 stärksten von 55 Partnern; alle stehen in der Tabelle." in page
    assert "55 Partner," in page and "1 Verbindung unter den gezeigten Partnern" in page

    table = _section(page, 'id="partner-tabelle"', "</table>")
    names = re.findall(r'<th scope="row"><a href="/network/ego/\d+">([^<]+)</a>', table)
    assert len(names) == 50
    assert names[:4] == ["Stark 0", "Stark 1", "Stark 2", "Amt Allein"]  # strongest first
    assert "Seite 1 von 2" in page and 'aria-label="Seiten der Partnertabelle"' in page
    second = coordinator_client.get(f"/network/ego/{hub.id}?page=2").get_data(as_text=True)
    table = _section(second, 'id="partner-tabelle"', "</table>")
    rest = re.findall(r'<th scope="row"><a href="/network/ego/\d+">([^<]+)</a>', table)
    assert len(rest) == PARTNERS - 50 and not set(rest) & set(names)
    assert _map(second)["nodes"] == data["nodes"]  # the drawing does not page
    # a page past the end shows the last one; garbage shows the first
    assert "Seite 2 von 2" in coordinator_client.get(
        f"/network/ego/{hub.id}?page=99").get_data(as_text=True)
    assert "Seite 1 von 2" in coordinator_client.get(
        f"/network/ego/{hub.id}?page=x").get_data(as_text=True)


def test_small_stakeholder_has_no_cap_note(app, coordinator_client, hub_world):
    page = coordinator_client.get(f"/network/ego/{hub_world['strong'][0].id}").get_data(
        as_text=True)
    assert "Gezeigt:" not in page
    assert {n["id"] for n in _map(page)["nodes"]} == {hub_world["hub"].id,
                                                      hub_world["strong"][0].id,
                                                      hub_world["strong"][1].id}
    assert "1 Verbindung unter den Partnern" in page


def test_what_if_box_of_a_hub_from_stored_figures(app, coordinator_client, hub_world):
    hub = hub_world["hub"]
    page = coordinator_client.get(f"/network/ego/{hub.id}").get_data(as_text=True)
    box = _section(page, 'id="was-waere-wenn"', 'id="tabellen"')
    expected = centrality.what_if_removed(stored_figures.load_compact_cached(Scope()), hub.id)
    assert len(expected.cut_off) == 53  # all but the strong pair's side
    assert "53 Akteure wären vom übrigen Netzwerk abgeschnitten." in box
    assert "und 23 weitere" in box  # 30 names, the count in full
    assert f"<dd>{PARTNERS}</dd>" in box  # ties lost
    assert f"{expected.components_before} → {expected.components_after}" in box
    assert "Amt Allein" in box  # without the hub it has no tie at all


def test_ego_request_loads_no_whole_network(app, coordinator_client, hub_world, monkeypatch):
    hub = hub_world["hub"]
    for query in ("", "?cases=0"):  # the tie store's scope, and one it cannot answer
        coordinator_client.get(f"/network/ego/{hub.id}{query}")  # the job stores the figures

    def forbidden(*args, **kwargs):
        raise AssertionError("whole network loaded in an ego request")

    monkeypatch.setattr(graph_loading, "load_compact", forbidden)
    monkeypatch.setattr(graph_loading, "load_tie_arrays", forbidden)
    monkeypatch.setattr(stored_figures, "load_compact_cached", forbidden)
    monkeypatch.setattr(stored_figures, "load_compact", forbidden)
    monkeypatch.setattr(stored_figures, "compute_scope", forbidden)
    monkeypatch.setattr(scope_ties, "load_scope_ties", forbidden)
    monkeypatch.setattr(stored_figures, "load_scope_ties", forbidden)
    monkeypatch.setattr(view_models, "load_compact", forbidden)
    monkeypatch.setattr(centrality, "what_if_removed", forbidden)
    app.config["NETWORK_EGO_PARTNERS"] = 3
    for query in ("", "?cases=0", "?cases=0&page=2"):
        response = coordinator_client.get(f"/network/ego/{hub.id}{query}")
        assert response.status_code == 200, query
        page = response.get_data(as_text=True)
        assert len(_map(page)["nodes"]) == 4, query
        assert "53 Akteure wären vom übrigen Netzwerk abgeschnitten." in page, query


def test_ego_without_case_activities_matches_the_tie_store(app, coordinator_client, hub_world):
    """Without case activities in the data, ``cases=0`` (participations) and the tie store
    give the same drawing and table."""
    hub = hub_world["hub"]
    app.config["NETWORK_EGO_PARTNERS"] = 5
    with_store = coordinator_client.get(f"/network/ego/{hub.id}").get_data(as_text=True)
    counted = coordinator_client.get(f"/network/ego/{hub.id}?cases=0").get_data(as_text=True)
    assert _map(with_store)["edges"] == _map(counted)["edges"]
    assert (_section(with_store, 'id="partner-tabelle"', "</table>")
            == _section(counted, 'id="partner-tabelle"', "</table>").replace("?cases=0", ""))


def test_individuals_in_the_ego_view_are_pseudonymous_for_leadership(app, client, auth, world,
                                                                    hub_world):
    auth.login_as(world, Role.LEADERSHIP)
    hub = hub_world["hub"]
    page = client.get(f"/network/ego/{hub.id}?page=2").get_data(as_text=True)
    assert "Teilnehmer" not in page
    assert "Einzelperson" in _section(page, 'id="partner-tabelle"', "</table>")
    first = client.get(f"/network/ego/{hub.id}").get_data(as_text=True)
    assert "Teilnehmer" not in first  # nor in the what-if box or the map
    db.session.rollback()
