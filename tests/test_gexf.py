"""The GEXF export against the official GEXF 1.2draft XML Schema (vendored in
tests/data/gexf-1.2draft), and what it carries for Gephi: map positions, colours and sizes,
German labels, and the activity days as spells for the timeline."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from conftest import make_activity, make_stakeholder
from coordinator.models import NodePosition, Role, StakeholderKind
from coordinator.network.web.map_data import KIND_COLOURS

SCHEMA_PATH = Path(__file__).parent / "data" / "gexf-1.2draft" / "gexf.xsd"
NS = {"g": "http://www.gexf.net/1.2draft"}
HOSTILE = '=HYPERLINK("x") <script>&"\x01 Verein'


@pytest.fixture(scope="module")
def gexf_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def _validated(schema, content: bytes):
    document = etree.parse(io.BytesIO(content))
    assert schema.validate(document), schema.error_log
    return document.getroot()


@pytest.fixture
def network(app, world):
    from coordinator.extensions import db

    make_activity([world["jugendamt"], world["verein"]], date(2026, 5, 6), "Zweites Treffen",
                  fields=("sprache",))
    make_activity([world["jugendamt"], world["verein"]], date(2026, 5, 6), "Gleicher Tag")
    db.session.add(NodePosition(stakeholder_id=world["jugendamt"].id, x=120.5, y=-40.0))
    db.session.commit()
    return world


def test_web_export_validates_and_carries_layout_labels_and_spells(
    client, auth, network, gexf_schema
):
    auth.login_as(network, Role.COORDINATOR)
    response = client.get("/network/export/gexf")
    assert response.status_code == 200
    root = _validated(gexf_schema, response.data)
    graph = root.find("g:graph", NS)
    assert "name" not in graph.attrib
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    titles = {a.get("id"): a.get("title") for a in root.iterfind(".//g:attribute", NS)}
    assert titles["0"] == "Art" and titles["1"] == "Handlungsfelder"

    nodes = {int(n.get("id")): n for n in root.iterfind(".//g:node", NS)}
    jugendamt = nodes[network["jugendamt"].id]
    values = {v.get("for"): v.get("value") for v in jugendamt.iterfind(".//g:attvalue", NS)}
    assert values["0"] == "Ressort/Dienststelle"
    assert values["1"] == "Bildung; Soziales"
    position = jugendamt.find("g:position", NS)
    assert (float(position.get("x")), float(position.get("y"))) == (120.5, 40.0)
    colour = jugendamt.find("g:color", NS)
    assert "#{:02x}{:02x}{:02x}".format(*(int(colour.get(c)) for c in "rgb")) == \
        KIND_COLOURS["department"]
    sizes = {node: float(n.find("g:size", NS).get("value")) for node, n in nodes.items()}
    assert sizes[network["jugendamt"].id] > sizes[network["person"].id] == 8.0
    # A node exists from its first joint activity; one without any has no spell (always).
    assert jugendamt.find("g:spells/g:spell", NS).get("start") == "2026-02-03"
    assert nodes[network["person"].id].find("g:spells", NS) is None

    edges = {tuple(sorted((int(e.get("source")), int(e.get("target"))))): e
             for e in root.iterfind(".//g:edge", NS)}
    pair = tuple(sorted((network["jugendamt"].id, network["verein"].id)))
    spells = [(s.get("start"), s.get("end")) for s in edges[pair].iterfind(".//g:spell", NS)]
    assert spells == [("2026-02-03", "2026-02-03"), ("2026-05-06", "2026-05-06")]
    assert edges[pair].get("weight") == "3"


def test_field_scope_and_hostile_names_still_validate(runner, app, gexf_schema, tmp_path):
    evil = make_stakeholder(HOSTILE, StakeholderKind.GROUP, fields=("wohnen",))
    amt = make_stakeholder("Sozialamt", fields=("wohnen",))
    make_activity([evil, amt], date(2026, 1, 2), fields=("wohnen",))
    make_activity([evil, amt], date(2026, 2, 2), fields=("arbeit",))
    path = tmp_path / "wohnen.gexf"
    result = runner.invoke(args=["export", "--format", "gexf", "--field", "wohnen",
                                 "-o", str(path)])
    assert result.exit_code == 0, result.output
    root = _validated(gexf_schema, path.read_bytes())
    (edge,) = root.iterfind(".//g:edge", NS)
    assert [s.get("start") for s in edge.iterfind(".//g:spell", NS)] == ["2026-01-02"]
    labels = {n.get("label") for n in root.iterfind(".//g:node", NS)}
    assert HOSTILE.replace("\x01", "\ufffd") in labels
    # networkx reads it as a dynamic graph too.
    graph = nx.read_gexf(path)
    assert graph.graph["mode"] == "dynamic" and graph.number_of_edges() == 1


def test_empty_network_validates(runner, app, gexf_schema, tmp_path):
    path = tmp_path / "leer.gexf"
    assert runner.invoke(args=["export", "--format", "gexf", "-o", str(path)]).exit_code == 0
    root = _validated(gexf_schema, path.read_bytes())
    assert root.find("g:graph", NS).get("mode") == "static"
