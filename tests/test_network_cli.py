"""``flask metrics`` and ``flask export``, including the figures of a real, published network
(Zachary's karate club, one activity per tie) against networkx."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from xml.etree import ElementTree

import networkx as nx
import pytest

from conftest import make_activity, make_stakeholder
from coordinator.models import StakeholderKind

CONTRACT_KEYS = {
    "nodes", "edges", "density", "department_density", "components", "isolates",
    "isolated_departments", "brokers", "key_persons", "communities", "modularity",
    "cross_sector_share", "recommended_introductions", "betweenness_approximate", "scope",
}
HOSTILE = '=HYPERLINK("http://x","y") <script>&"\x01'


def metrics_json(runner, *args) -> dict:
    result = runner.invoke(args=["metrics", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_metrics_json_has_the_contract_keys_and_names(runner, world):
    data = metrics_json(runner)
    assert data.keys() >= CONTRACT_KEYS
    assert data["nodes"] == 5 and data["edges"] == 2
    assert data["isolated_departments"] == ["Jugendamt"]
    assert data["isolates"] == ["A. Yilmaz"]
    assert all(set(b) == {"name", "betweenness"} for b in data["brokers"])
    assert {b["name"] for b in data["brokers"]} <= {
        "Jugendamt", "Jobcenter", "Ausländerbehörde", "Interkultureller Verein Sonnenfeld",
        "A. Yilmaz",
    }
    assert data["cross_sector_share"] == 0.5
    assert data["recommended_introductions"] == []  # no shared field, no common partner


def test_metrics_scope_options(runner, world):
    data = metrics_json(runner, "--since", "2026-02-05", "--until", "2026-02-28",
                        "--field", "arbeit", "--kinds", "department")
    assert data["scope"] == {"since": "2026-02-05", "until": "2026-02-28", "field": "arbeit",
                             "kinds": ["department"]}
    # In a field only stakeholders working in it count: the Jugendamt (Bildung, Soziales,
    # no activity in Arbeit) is left out instead of counting as an isolated department.
    assert data["nodes"] == 2 and data["edges"] == 1 and data["activities"] == 1
    assert data["isolated_departments"] == []


def test_metrics_exact_option_is_cached_separately(runner, world, monkeypatch):
    from coordinator.network.analysis import betweenness

    monkeypatch.setattr(betweenness, "EXACT_LIMIT", 0)
    monkeypatch.setattr(betweenness, "EXACT_BUDGET_SECONDS", 0)
    assert metrics_json(runner)["betweenness_approximate"] is True
    exact = metrics_json(runner, "--exact")
    assert exact["betweenness_approximate"] is False
    assert metrics_json(runner)["betweenness_approximate"] is True  # its own cache entry


def test_metrics_json_is_the_documented_stable_document(runner, world):
    """Validated against coordinator/schemas/metrics.schema.json; no key that changes
    between two runs of the same data except generated_at (the cache source is gone)."""
    import jsonschema

    from coordinator.api.openapi import METRICS_SCHEMA_PATH

    make_activity([world["jobcenter"], world["jugendamt"]], date.today(), "Heute")
    schema = json.loads(METRICS_SCHEMA_PATH.read_text(encoding="utf-8"))
    first, second = metrics_json(runner), metrics_json(runner)
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(first)
    first.pop("generated_at")
    second.pop("generated_at")
    assert first == second and "source" not in first
    rows = {row["name"]: row for row in first["stakeholders"]}
    assert rows["Jugendamt"]["degree"] == 2 and rows["A. Yilmaz"]["degree"] == 0
    assert first["trend"][-1]["complete"] is False
    summary = runner.invoke(args=["metrics"]).output
    assert "(laufendes Quartal, unvollständig)" in summary


def test_metrics_accepts_german_dates(runner, world):
    data = metrics_json(runner, "--since", "05.02.2026", "--until", "28.2.2026")
    assert (data["scope"]["since"], data["scope"]["until"]) == ("2026-02-05", "2026-02-28")
    result = runner.invoke(args=["metrics", "--since", "31.02.2026"])
    assert result.exit_code == 2
    assert "„31.02.2026“ ist kein gültiges Datum (erwartet TT.MM.JJJJ" in result.output


def test_metrics_summary_is_german(runner, world):
    result = runner.invoke(args=["metrics"])
    assert result.exit_code == 0
    assert "Dichte" in result.output
    assert "Isolierte Ressorts (ohne Verbindung zu einem anderen Ressort): Jugendamt" in (
        result.output
    )
    assert "Empfohlene Kontakte" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "gestern"], "kein gültiges Datum"),
    (["--since", "2026-05-01", "--until", "2026-04-01"], "liegt nach seinem Ende"),
    (["--field", "raumfahrt"], "Unbekanntes Handlungsfeld"),
    (["--kinds", "department,robots"], "Unbekannte Art"),
])
def test_bad_options_fail_with_a_german_message(runner, world, args, message):
    for command in (["metrics", "--json"], ["export", "--format", "gexf", "-o", "x.gexf"]):
        result = runner.invoke(args=[*command, *args])
        assert result.exit_code != 0
        assert message in result.output


def test_export_rejects_an_unknown_format(runner, world, tmp_path):
    result = runner.invoke(args=["export", "--format", "pdf", "-o", str(tmp_path / "a.pdf")])
    assert result.exit_code != 0 and "Unbekanntes Format" in result.output
    assert not (tmp_path / "a.pdf").exists()


@pytest.fixture
def hostile(app):
    evil = make_stakeholder(HOSTILE, StakeholderKind.GROUP, fields=("wohnen",))
    amt = make_stakeholder("@Amt -1+1", fields=("arbeit",))
    make_activity([evil, amt], date(2026, 1, 2))
    return evil, amt


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_xml_exports_keep_hostile_names_inert(runner, hostile, tmp_path, fmt):
    path = tmp_path / f"netz.{fmt}"
    result = runner.invoke(args=["export", "--format", fmt, "-o", str(path)])
    assert result.exit_code == 0, result.output
    # Well-formed XML despite <, &, " and \x01 (our own file, so the stdlib parser is fine).
    root = ElementTree.parse(path).getroot()  # noqa: S314
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    graph = (nx.read_gexf if fmt == "gexf" else nx.read_graphml)(path)
    labels = {data.get("label") for _, data in graph.nodes(data=True)}
    assert HOSTILE.replace("\x01", "\ufffd") in labels
    (_, _, data), = graph.edges(data=True)
    last = data["Letzte gemeinsame Aktivität"] if fmt == "gexf" else data["last"]
    assert int(data["weight"]) == 1 and last == "2026-01-02"


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_neutralises_formulas(runner, hostile, tmp_path):
    evil, amt = hostile
    result = runner.invoke(args=["export", "--format", "csv", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    nodes = _rows((tmp_path / "out" / "nodes.csv").read_text(encoding="utf-8"))
    assert nodes[0] == ["Id", "Label", "Art", "Handlungsfelder", "Verbindungen"]
    labels = {row[0]: row[1] for row in nodes[1:]}
    assert labels[str(evil.id)] == "'" + HOSTILE
    assert labels[str(amt.id)] == "'@Amt -1+1"
    ties = _rows((tmp_path / "out" / "ties.csv").read_text(encoding="utf-8"))
    assert ties[0][:3] == ["Source", "Target", "Weight"]
    assert ties[1][2] == "1" and "'" + HOSTILE in ties[1]


def test_csv_export_as_zip(runner, hostile, tmp_path):
    path = tmp_path / "netz.zip"
    result = runner.invoke(args=["export", "--format", "csv", "-o", str(path)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["nodes.csv", "ties.csv"]
        assert len(_rows(archive.read("ties.csv").decode())) == 2


def test_karate_club_imported_as_activities_matches_networkx(runner, app):
    """One activity per tie of Zachary's karate club, both members as participants: the
    figures must be networkx's, exactly."""
    karate = nx.Graph(nx.karate_club_graph().edges())  # unweighted, as the log is
    members = {
        node: make_stakeholder(f"Mitglied {node:02d}", StakeholderKind.INDIVIDUAL)
        for node in karate
    }
    for a, b in karate.edges():
        make_activity([members[a], members[b]], date(2026, 1, 1 + a % 28))
    name = {node: s.name for node, s in members.items()}
    data = metrics_json(runner)

    assert data["nodes"] == 34 and data["edges"] == 78
    assert data["density"] == nx.density(karate)
    assert data["components"] == nx.number_connected_components(karate)
    assert data["isolates"] == []
    expected = nx.betweenness_centrality(karate)
    assert data["betweenness_approximate"] is False
    assert data["betweenness"] == pytest.approx({name[n]: v for n, v in expected.items()})
    top = sorted(expected.items(), key=lambda kv: -kv[1])[:10]
    assert [b["name"] for b in data["brokers"]][:5] == [name[n] for n, _ in top[:5]]
    assert [b["betweenness"] for b in data["brokers"]] == pytest.approx([v for _, v in top])
    assert {k["name"] for k in data["key_persons"]} == {
        name[n] for n in nx.articulation_points(karate)
    }
    louvain = nx.community.louvain_communities(karate, weight="weight", seed=42)
    assert sorted(map(sorted, data["communities"])) == sorted(
        sorted(name[n] for n in group) for group in louvain
    )
    assert data["modularity"] == pytest.approx(nx.community.modularity(karate, louvain))


def test_streamed_graphml_reads_back_like_networkx_own_output(tmp_path):
    """GraphML as networkx writes it (the GEXF export carries more: tests/test_gexf.py)."""
    from coordinator.network.analysis.metrics import NodeRecord, TieRecord, build_graph
    from coordinator.network.web import exports

    G = build_graph(
        [NodeRecord(1, "Amt & Co <1>", "department", ("arbeit", "wohnen")),
         NodeRecord(2, 'Verein "Nord"', "group"), NodeRecord(3, "Allein", "individual")],
        [TieRecord(1, 2, 4, date(2026, 3, 1))],
    )
    ours = tmp_path / "ours.graphml"
    ours.write_bytes(exports.to_graphml(G))
    theirs = tmp_path / "theirs.graphml"
    reference = nx.Graph()  # what networkx itself writes for the same attributes
    reference.add_nodes_from((n, {"label": d["name"], "kind": d["kind"],
                                  "fields": ";".join(d["fields"])})
                             for n, d in G.nodes(data=True))
    reference.add_edges_from((a, b, {"weight": d["weight"], "last": d["last"].isoformat()})
                             for a, b, d in G.edges(data=True))
    nx.write_graphml(reference, theirs)
    a, b = nx.read_graphml(ours), nx.read_graphml(theirs)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(data=True)) == list(b.edges(data=True))
    empty = io.BytesIO(exports.to_graphml(nx.Graph()))
    assert nx.read_graphml(empty).number_of_nodes() == 0
