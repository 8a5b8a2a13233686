"""Network map, ego view, table alternative and export downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from conftest import make_activity, make_stakeholder, make_user
from coordinator.database import write_intent
from coordinator.extensions import db
from coordinator.models import NodePosition, Role, StakeholderKind
from coordinator.network.data import positions as positions_module

HOSTILE = '<img src=x onerror=alert(1)>"\'</script>'
JSON_SCRIPT = re.compile(
    r'<script type="application/json" id="network-data">(.*?)</script>', re.S
)


def _map_data(response) -> dict:
    match = JSON_SCRIPT.search(response.get_data(as_text=True))
    assert match, "no map data in the page"
    return json.loads(match.group(1))


def _names(data: dict) -> set[str]:
    return {node.get("name", node["label"]) for node in data["nodes"]}


@pytest.fixture
def logged_in(client, auth, world):
    auth.login_as(world, Role.LEADERSHIP)
    return client


def test_map_page_carries_nodes_edges_and_warnings(logged_in, world):
    response = logged_in.get("/network/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    data = _map_data(response)
    # leadership sees no names of individuals
    assert _names(data) == {"Jugendamt", "Jobcenter", "Ausländerbehörde",
                            "Interkultureller Verein Sonnenfeld", "Einzelperson 1"}
    pairs = {frozenset((e["from"], e["to"])) for e in data["edges"]}
    assert pairs == {frozenset((world["jugendamt"].id, world["verein"].id)),
                     frozenset((world["jobcenter"].id, world["auslaenderbehoerde"].id))}
    by_id = {n["id"]: n for n in data["nodes"]}
    # the Jugendamt works with a group but with no other department: isolated department
    assert by_id[world["jugendamt"].id]["isolated"] is True
    assert "isolated" not in by_id[world["jobcenter"].id]
    assert by_id[world["verein"].id]["shape"] == "diamond"
    # the table alternative lists the same nodes, ties and warnings
    assert 'id="akteure-tabelle"' in page and 'id="verbindungen-tabelle"' in page
    assert "Isoliertes Ressort" in page and "Sprachcafé" not in page
    assert page.count("<tr>") >= 5 + 2
    # scripts: only files of the app, data only as JSON
    for tag in re.findall(r"<script[^>]*>", page):
        assert 'type="application/json"' in tag or 'src="/static/' in tag, tag
    assert "style=" not in page


def test_hostile_names_are_inert_in_every_network_page(logged_in, world):
    hostile = make_stakeholder(HOSTILE, StakeholderKind.GROUP)
    make_activity([world["jugendamt"], hostile], date(2026, 3, 2))
    urls = ["/network/", f"/network/ego/{hostile.id}", f"/network/ego/{world['jugendamt'].id}",
            "/network/table", "/network/ties"]
    for url in urls:
        response = logged_in.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert "<img src=x" not in page, url
        assert "</script>\"" not in page and "alert(1)>\"'</script>" not in page, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, url
    data = _map_data(logged_in.get("/network/"))
    assert HOSTILE in _names(data)


def test_positions_are_stored_once_and_survive_new_stakeholders(logged_in, world):
    logged_in.get("/network/")
    stored = {p.stakeholder_id: (p.x, p.y) for p in db.session.scalars(select(NodePosition))}
    assert set(stored) == {world[k].id for k in
                           ("jugendamt", "jobcenter", "auslaenderbehoerde", "verein", "person")}
    first = {n["id"]: (n["x"], n["y"]) for n in _map_data(logged_in.get("/network/"))["nodes"]}

    newcomer = make_stakeholder("Quartiersmanagement Nord", StakeholderKind.GROUP)
    make_activity([newcomer, world["jobcenter"]], date(2026, 3, 5))
    second = {n["id"]: (n["x"], n["y"]) for n in _map_data(logged_in.get("/network/"))["nodes"]}

    assert {k: v for k, v in second.items() if k != newcomer.id} == first
    assert newcomer.id in second
    assert db.session.get(NodePosition, newcomer.id) is not None


def test_filter_does_not_move_nodes(logged_in, world):
    everything = {n["id"]: (n["x"], n["y"]) for n in _map_data(logged_in.get("/network/"))["nodes"]}
    groups_only = _map_data(logged_in.get("/network/?kinds=group&kinds=department"))
    assert world["person"].id not in {n["id"] for n in groups_only["nodes"]}
    for node in groups_only["nodes"]:
        assert (node["x"], node["y"]) == everything[node["id"]]


def test_scope_filters(logged_in, world):
    data = _map_data(logged_in.get("/network/?field=arbeit"))
    assert {frozenset((e["from"], e["to"])) for e in data["edges"]} == {
        frozenset((world["jobcenter"].id, world["auslaenderbehoerde"].id))
    }
    data = _map_data(logged_in.get("/network/?since=2026-04-01&until=2026-12-31"))
    assert data["edges"] == []  # every activity of the world is in the first quarter
    # Pages offer whole quarters only (a bounded number of scopes), and say so.
    response = logged_in.get("/network/?since=2026-02-05&until=2026-12-31")
    assert len(_map_data(response)["edges"]) == 2
    assert "Zeitraum auf ganze Quartale erweitert" in response.get_data(as_text=True)
    data = _map_data(logged_in.get("/network/?kinds=individual"))
    assert _names(data) == {"Einzelperson 1"} and data["edges"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2026-02-31", "kein gültiges Datum"),
        ("since=2026-03-01&until=2026-01-01", "Beginn des Zeitraums liegt nach"),
        ("field=%3Cscript%3E", "Unbekanntes Handlungsfeld"),
        ("kinds=robots", "Unbekannte Art von Akteuren"),
    ],
)
def test_bad_filters_answer_400_in_german(logged_in, world, query, message):
    for path in ("/network/", f"/network/ego/{world['jugendamt'].id}", "/network/table",
                 "/network/ties", "/network/export/gexf"):
        response = logged_in.get(f"{path}?{query}")
        assert response.status_code == 400, path
        page = response.get_data(as_text=True)
        assert message in page, path
        assert "<script>" not in page
    assert db.session.scalars(select(NodePosition)).first() is None  # nothing computed


def test_ego_view_shows_partners_and_links_to_the_stakeholder(logged_in, world):
    jugendamt = world["jugendamt"]
    response = logged_in.get(f"/network/ego/{world['verein'].id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    data = _map_data(response)
    assert data["focus"] == world["verein"].id
    assert _names(data) == {"Interkultureller Verein Sonnenfeld", "Jugendamt"}
    assert f'href="/stakeholders/{world["verein"].id}"' in page
    assert f'href="/network/ego/{jugendamt.id}"' in page
    assert 'data-detail-url="/stakeholders/"' in page


def test_ego_view_of_unknown_inactive_or_filtered_stakeholders(logged_in, world):
    assert logged_in.get("/network/ego/999999").status_code == 404
    response = logged_in.get(f"/network/ego/{world['person'].id}?kinds=department")
    assert response.status_code == 200
    assert "nicht zum gewählten Ausschnitt" in response.get_data(as_text=True)
    assert not JSON_SCRIPT.search(response.get_data(as_text=True))
    world["person"].active = False
    db.session.commit()
    response = logged_in.get(f"/network/ego/{world['person'].id}")
    assert "nicht aktiv" in response.get_data(as_text=True)


def test_tables_are_paginated(logged_in, world):
    hub = world["jobcenter"]
    for number in range(60):
        partner = make_stakeholder(f"Initiative {number:02d}", StakeholderKind.GROUP)
        make_activity([hub, partner], date(2026, 1, 1 + number % 28))
    page_one = logged_in.get("/network/table").get_data(as_text=True)
    assert "Seite 1 von 2" in page_one and "Jobcenter" in page_one
    page_two = logged_in.get("/network/table?page=2").get_data(as_text=True)
    assert "Seite 2 von 2" in page_two and "Jobcenter" not in page_two
    ties = logged_in.get("/network/ties?page=2").get_data(as_text=True)
    assert "Seite 2 von 2" in ties
    map_page = logged_in.get("/network/").get_data(as_text=True)
    assert 'href="/network/table"' in map_page or "Alle Akteure als Tabelle" not in map_page


@pytest.mark.parametrize(
    ("fmt", "media_type", "start"),
    [
        ("gexf", "application/gexf+xml", b"<?xml"),
        ("graphml", "application/graphml+xml", b"<?xml"),
        ("nodes.csv", "text/csv", None),
        ("ties.csv", "text/csv", None),
    ],
)
def test_export_downloads(logged_in, world, fmt, media_type, start):
    response = logged_in.get(f"/network/export/{fmt}?field=arbeit")
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Content-Disposition"].startswith("attachment;")
    if start:
        assert response.data.startswith(start)
    assert b"Jobcenter" in response.data


def test_export_links_keep_the_scope(logged_in, world):
    page = logged_in.get("/network/?field=arbeit&since=2026-01-01").get_data(as_text=True)
    assert "/network/export/gexf?since=2026-01-01&amp;field=arbeit" in page


def test_unknown_export_format_is_404(logged_in, world):
    assert logged_in.get("/network/export/xlsx").status_code == 404


def test_map_is_drawn_when_positions_cannot_be_saved(logged_in, world, monkeypatch):
    def busy(_positions):
        return False  # what save_positions answers when the database stayed locked

    monkeypatch.setattr(positions_module, "save_positions", busy)
    response = logged_in.get("/network/")
    assert response.status_code == 200
    assert len(_map_data(response)["nodes"]) == 5
    assert db.session.scalars(select(NodePosition)).first() is None


def test_save_positions_gives_up_on_a_locked_database(app, world, monkeypatch):
    """A real lock: another connection holds the write lock (SQLite) or the table lock
    (PostgreSQL); saving gives up after the short wait instead of failing the request."""
    monkeypatch.setattr(positions_module, "SAVE_WAIT_MS", 200)
    other = db.engine.connect()
    with write_intent():
        transaction = other.begin()  # SQLite: BEGIN IMMEDIATE takes the write lock
    try:
        if db.engine.dialect.name == "postgresql":
            other.exec_driver_sql("LOCK TABLE node_position IN ACCESS EXCLUSIVE MODE")
        assert positions_module.save_positions({world["jugendamt"].id: (1.0, 2.0)}) is False
    finally:
        transaction.rollback()
        other.close()
    assert positions_module.save_positions({world["jugendamt"].id: (1.0, 2.0)}) is True
    db.session.commit()  # end the test's own read snapshot (SQLite) to see the new row
    assert db.session.get(NodePosition, world["jugendamt"].id).x == 1.0


def test_exports_keep_hostile_names_inert(logged_in, world):
    name = '=HYPERLINK("http://example.org")<script>alert(1)</script>'
    hostile = make_stakeholder(name, StakeholderKind.GROUP)
    make_activity([world["jugendamt"], hostile], date(2026, 3, 2))

    for fmt in ("gexf", "graphml"):
        document = logged_in.get(f"/network/export/{fmt}").data
        assert b"<script>" not in document
        root = ElementTree.fromstring(document)  # noqa: S314  (our own export, well-formed)
        texts = {element.get("label") for element in root.iter()} | {
            element.text for element in root.iter()}
        assert name in texts, fmt  # the name survives as text, escaped in the markup

    for fmt in ("nodes.csv", "ties.csv"):
        text = logged_in.get(f"/network/export/{fmt}").data.decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert "'" + name in cells and name not in cells, fmt  # neutralised for spreadsheets


def test_empty_network(client, auth, app):
    make_user("leer@example.org", Role.LEADERSHIP)
    auth.login("leer@example.org")
    for url in ("/network/", "/network/table", "/network/ties", "/", "/report"):
        assert client.get(url).status_code == 200, url
    assert _map_data(client.get("/network/"))["nodes"] == []


def test_deleting_a_stakeholder_drops_its_position(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    client.get("/network/")
    person = world["person"].id
    assert db.session.get(NodePosition, person) is not None
    response = client.post(f"/stakeholders/{person}/delete")
    assert response.status_code == 302
    db.session.commit()
    assert db.session.get(NodePosition, person) is None
    assert person not in {n["id"] for n in _map_data(client.get("/network/"))["nodes"]}


def test_what_if_section_on_ego_view(client, auth, app):
    """A bridge between a department and a pair of groups: without it, the smaller side
    (the department) is cut off from the rest."""
    from conftest import make_activity, make_stakeholder, make_user
    from coordinator.models import Role, StakeholderKind

    left = make_stakeholder("Amt <Links>")
    bridge = make_stakeholder("B. Brücke", StakeholderKind.INDIVIDUAL)
    right = make_stakeholder("Verein Rechts", StakeholderKind.GROUP)
    far = make_stakeholder("Verein Fern", StakeholderKind.GROUP)
    make_activity([left, bridge])
    make_activity([bridge, right])
    make_activity([bridge, right])
    make_activity([right, far])
    make_user("leitung-wi@example.org", Role.LEADERSHIP)
    auth.login("leitung-wi@example.org")
    page = client.get(f"/network/ego/{bridge.id}").get_data(as_text=True)
    section = page[page.index('id="was-waere-wenn"'):page.index('id="tabellen"')]
    assert "Was wäre, wenn B. Brücke ausfiele?" in section
    assert "1 Akteur wäre vom übrigen Netzwerk abgeschnitten." in section
    assert "Amt &lt;Links&gt;" in section  # the cut-off department, escaped
    assert "<Links>" not in section
    assert "<dd>2</dd>" in section  # ties lost
    assert "<dd>3</dd>" in section  # joint activities on them
    assert "1 → 2" in section  # components before → after

    leaf = client.get(f"/network/ego/{far.id}").get_data(as_text=True)
    assert "Niemand wäre vom übrigen Netzwerk abgeschnitten" in leaf


def test_individuals_are_named_only_for_coordinators_or_when_public(client, auth, world):
    person = world["person"]
    auth.login_as(world, Role.COORDINATOR)
    assert "A. Yilmaz" in _names(_map_data(client.get("/network/")))
    assert "A. Yilmaz" in client.get("/network/export/nodes.csv").get_data(as_text=True)
    auth.logout()
    auth.login_as(world, Role.LEADERSHIP)
    for url in ("/network/", "/network/table", "/network/export/nodes.csv",
                "/network/export/gexf", "/network/export/graphml", "/"):
        page = client.get(url).get_data(as_text=True)
        assert "Yilmaz" not in page, url
    assert "Einzelperson 1" in client.get("/network/export/nodes.csv").get_data(as_text=True)
    person.name_public = True  # e.g. a named Integrationsbeauftragte who consented
    db.session.commit()
    assert "A. Yilmaz" in client.get("/network/export/nodes.csv").get_data(as_text=True)


def test_anonymising_purges_stored_figures_with_the_name(client, auth, world):
    from coordinator.models import NetworkCache

    auth.login_as(world, Role.COORDINATOR)
    client.get("/network/")
    client.get("/")
    payloads = db.session.scalars(select(NetworkCache.payload)).all()
    assert any("A. Yilmaz" in p for p in payloads)
    assert client.post(f"/stakeholders/{world['person'].id}/anonymise").status_code == 302
    db.session.expire_all()
    payloads = db.session.scalars(select(NetworkCache.payload)).all()
    assert not any("A. Yilmaz" in p for p in payloads)


def test_anonymising_purges_the_stored_map_text_of_a_name_with_umlauts(client, auth, world):
    from coordinator.models import NetworkCache

    person = world["person"]
    person.name = "Jürgen Öztürk-Weiß"
    db.session.commit()
    auth.login_as(world, Role.COORDINATOR)
    assert person.name in _names(_map_data(client.get("/network/")))
    stored_map = db.session.scalar(select(NetworkCache.payload).where(
        NetworkCache.key.like("map|%")))
    assert json.dumps(person.name)[1:-1] in stored_map  # written as every stored figure
    assert client.post(f"/stakeholders/{person.id}/anonymise").status_code == 302
    db.session.expire_all()
    payloads = db.session.scalars(select(NetworkCache.payload)).all()
    assert not any(json.dumps("Öztürk")[1:-1] in p for p in payloads)
    assert "Öztürk" not in client.get("/network/").get_data(as_text=True)


def test_a_view_stored_before_the_map_text_was_still_reads():
    """Figures of an earlier version carry the whole map in the view: the pages read its
    counts until the job has stored the view and the map's text anew."""
    from coordinator.network.web.view_models import view_from_payload

    earlier = {"map": {"nodes": [{"id": 1, "label": "Jugendamt"}], "edges": [], "options": {},
                       "total_edges": 3, "physics": True, "focus": None, "timeline": None,
                       "communities": 2, "reach": None, "memo_key": None},
               "nodes": [], "top_ties": [], "tie_count": 3, "isolated_names": []}
    stored = view_from_payload(earlier).map
    assert (stored.node_count, stored.edge_count, stored.hidden_edges) == (1, 0, 3)
    assert stored.communities == 2 and stored.json is None


HIDDEN_NAMES = ['Ö. "Label":X', 'A. Yilmaz', '"label":"Trick"', "</script>&'"]


def _map_payload() -> dict:
    nodes = [{"id": 10 + k, "kind": "individual", "x": k, "label": name}
             for k, name in enumerate(HIDDEN_NAMES)]
    nodes.insert(1, {"id": 3, "kind": "department", "label": "⚠ Bauamt", "name": "Bauamt"})
    return {"nodes": nodes, "edges": [{"from": 10, "to": 3, "weight": 2}],
            "options": {"physics": {"enabled": False}}, "timeline": None, "communities": 0}


def test_stored_map_text_notes_where_each_individuals_label_lies():
    from coordinator.network.web.map_text import json_text, map_text_with_label_spans

    payload = _map_payload()
    text, spans = map_text_with_label_spans(payload)
    assert text == json_text(payload) and json.loads(text) == payload
    labels = {node["id"]: node["label"] for node in payload["nodes"]}
    assert [node for node, _start, _end in spans] == [10, 11, 12, 13]  # individuals only
    for node, start, end in spans:
        assert json.loads(text[start:end]) == labels[node]


def test_pseudonyms_are_spliced_in_and_never_guessed():
    from coordinator.network.web.map_text import map_text_with_label_spans, with_pseudonyms

    payload = _map_payload()
    text, spans = map_text_with_label_spans(payload)
    names = {node["id"]: node.get("name", node["label"]) for node in payload["nodes"]}
    pseudonyms = {10: "Einzelperson 1", 12: "Einzelperson 2", 13: "Einzelperson 3"}
    expected = {**names, 3: "⚠ Bauamt", **pseudonyms}

    def labels(result: str) -> dict:
        return {node["id"]: node["label"] for node in json.loads(result)["nodes"]}

    spliced = with_pseudonyms(text, spans, pseudonyms, names)
    assert labels(spliced) == expected
    assert json.loads(spliced)["edges"] == payload["edges"]
    # spans that do not fit the text (shifted, missing, or none stored): parsed instead
    shifted = [[node, start + 1, end + 1] for node, start, end in spans]
    for broken in (shifted, spans[1:], None):
        result = with_pseudonyms(text, broken, pseudonyms, names)
        assert labels(result) == expected
        for node in pseudonyms:
            assert json.dumps(names[node])[1:-1] not in result
