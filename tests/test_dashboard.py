"""The leadership dashboard and its printable one-page report."""

from __future__ import annotations

import re
from datetime import date

import pytest

from conftest import make_activity, make_stakeholder
from coordinator.dashboard.charts import line_chart
from coordinator.models import Role

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def richer_world(world):
    """The world plus a Schulamt that shares the field Bildung with the isolated Jugendamt,
    and a second tie between two departments."""
    schulamt = make_stakeholder("Schulamt", fields=("bildung",))
    make_activity([schulamt, world["jobcenter"]], date(2026, 1, 20), fields=("arbeit",))
    make_activity([world["jobcenter"], world["auslaenderbehoerde"]], date(2026, 3, 2))
    return {**world, "schulamt": schulamt}


@pytest.mark.parametrize("role", list(Role))
def test_dashboard_for_every_role(client, auth, richer_world, role):
    auth.login_as(richer_world, role)
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for heading in ("Kennzahlen", "Entwicklung", "Isolierte und schwach eingebundene Ressorts",
                    "Schlüsselakteure", "Vermittler", "Zusammenarbeit zwischen Ressorts",
                    "Ressorts und Handlungsfelder", "Gruppen im Netzwerk (mögliche Silos)"):
        assert f">{heading}</h2>" in page, heading


def test_leadership_lands_on_the_dashboard(client, auth, world):
    response = auth.login_as(world, Role.LEADERSHIP)
    assert response.headers["Location"] == "/"


def test_headline_figures_with_explanations(client, auth, richer_world):
    auth.login_as(richer_world, Role.LEADERSHIP)
    page = client.get("/").get_data(as_text=True)
    cards = dict(re.findall(
        r'<span class="card__label">([^<]+)</span>\s*<span class="card__value">(?:<span '
        r'aria-hidden="true">⚠ </span>)?([^<]+)</span>', page))
    assert cards["Akteure"] == "6"
    assert cards["Gemeinsame Aktivitäten"] == "4"
    assert cards["Verbindungen"] == "3"
    assert cards["Isolierte Ressorts"] == "1"
    assert cards["Teilnetze"] == "3"
    assert "Anteil der möglichen Verbindungen" in page  # the explanation of density


def test_isolated_department_with_recommended_introduction(client, auth, richer_world):
    auth.login_as(richer_world, Role.LEADERSHIP)
    page = client.get("/").get_data(as_text=True)
    advice = page[page.index('class="advice-list"'):]
    advice = advice[:advice.index("</ul>\n</section>") if "</ul>\n</section>" in advice else None]
    assert "<strong>Jugendamt</strong>" in advice and "⚠ isoliert" in advice
    assert "Vorschlag: Kontakt mit Schulamt" in advice
    assert "beide arbeiten im Feld Bildung" in advice


def test_matrix_and_coverage_say_it_in_text(client, auth, richer_world):
    auth.login_as(richer_world, Role.LEADERSHIP)
    page = client.get("/").get_data(as_text=True)
    matrix = page[page.index('<table class="table matrix">'):]
    matrix = matrix[:matrix.index("</table>")]
    assert '<th scope="col">Jobcenter</th>' in matrix
    assert '<th scope="row">Ausländerbehörde</th>' in matrix
    assert re.search(r'<td class="num heat-4">2</td>', matrix)  # Jobcenter–Ausländerbehörde
    assert re.search(r'<td class="num heat-2">1</td>', matrix)  # Jobcenter–Schulamt
    coverage = page[page.index('<table class="table matrix coverage">'):]
    coverage = coverage[:coverage.index("</table>")]
    assert "⚠ 0" in coverage and "Lücke" in coverage  # the Jugendamt's fields lack a tie
    assert "<strong>Jugendamt:</strong> Bildung, Soziales" in page


def test_trend_charts_are_inline_svg_with_a_table(client, auth, richer_world):
    auth.login_as(richer_world, Role.LEADERSHIP)
    page = client.get("/?since=2026-01-01&until=2026-06-30").get_data(as_text=True)
    svgs = re.findall(r"<svg .*?</svg>", page, re.S)
    trends = [svg for svg in svgs if 'class="bar-chart"' not in svg]  # not case figures
    assert len(trends) == 3
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert "style=" not in svg and "<script" not in svg
    assert "Werte als Tabelle" in page
    assert '<th scope="row">Q1 2026</th>' in page and '<th scope="row">Q2 2026</th>' in page


def test_hostile_names_are_inert(client, auth, richer_world):
    hostile = make_stakeholder(HOSTILE, fields=("bildung",))
    make_activity([hostile, richer_world["verein"]], date(2026, 2, 2))
    auth.login_as(richer_world, Role.LEADERSHIP)
    for url in ("/", "/report"):
        page = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in page, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, url


@pytest.mark.parametrize("path", ["/", "/report"])
def test_bad_scope_answers_400(client, auth, world, path):
    auth.login_as(world, Role.LEADERSHIP)
    response = client.get(f"{path}?until=gestern")
    assert response.status_code == 400
    assert "kein gültiges Datum" in response.get_data(as_text=True)


def test_printable_report(client, auth, richer_world):
    auth.login_as(richer_world, Role.LEADERSHIP)
    dashboard = client.get("/?field=arbeit").get_data(as_text=True)
    assert 'href="/report?field=arbeit"' in dashboard
    response = client.get("/report?field=arbeit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Bericht: Zustand des Netzwerks" in page and "Handlungsfeld: Arbeit" in page
    assert "data-print" in page and 'src="/static/js/report.js"' in page
    assert '<form method="get"' not in page  # no filter form in the printout
    assert 'media="print"' in page
    stylesheet = client.get("/static/css/print.css")
    css = stylesheet.get_data(as_text=True)
    stylesheet.close()
    assert "@page" in css and ".report" in css


def test_line_chart_geometry_and_gaps(app):
    with app.test_request_context():
        chart = line_chart("Titel", "Beschreibung", ["Q1", "Q2", "Q3", "Q4"],
                           [("A", [1, None, 3, 4]), ("B", [0, 0, 0, 0])])
        rows = chart.rows()
    first = chart.series[0]
    assert len(first.points) == 3
    assert len(first.polylines) == 1  # the single point before the gap draws no line
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2", "3", "4", "5"]
    assert rows[1] == ("Q2", ["–", "0"])
    assert all(chart.top <= y <= chart.bottom for _x, y in first.points)
    with app.test_request_context():
        empty = line_chart("Leer", "", [], [("A", [])])
    assert empty.is_empty
