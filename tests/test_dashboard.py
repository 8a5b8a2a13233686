"""The leadership dashboard and its printable one-page report."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from conftest import make_activity, make_stakeholder
from coordinator.dashboard.charts import line_chart
from coordinator.extensions import db
from coordinator.models import Role, Stakeholder, StakeholderKind

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
    ids = {name: richer_world[name].id for name in ("jugendamt", "schulamt")}
    # Every entry links to the stakeholder's place in the network (the ego view).
    assert f'<strong><a href="/network/ego/{ids["jugendamt"]}">Jugendamt</a></strong>' in advice
    assert "⚠ isoliert" in advice
    assert f'Vorschlag: Kontakt mit <a href="/network/ego/{ids["schulamt"]}">Schulamt</a>' in advice
    assert "beide arbeiten im Feld Bildung" in advice


def test_matrix_and_coverage_say_it_in_text(client, auth, richer_world):
    auth.login_as(richer_world, Role.LEADERSHIP)
    page = client.get("/").get_data(as_text=True)
    matrix = page[page.index('<table class="table matrix">'):]
    matrix = matrix[:matrix.index("</table>")]
    assert '<th scope="col"><span class="matrix__name">Jobcenter</span></th>' in matrix
    assert re.search(r'<th scope="row"><a href="/network/ego/\d+">Ausländerbehörde</a></th>',
                     matrix)
    # The counts link to the two departments' joint activities.
    jobcenter, auslaender = richer_world["jobcenter"].id, richer_world["auslaenderbehoerde"].id
    assert re.search(
        rf'<td class="num heat-4"><a href="/activities/\?participant={jobcenter}&amp;'
        rf'partner={auslaender}">2<span class="visually-hidden"> gemeinsame Aktivitäten von '
        r'Jobcenter und Ausländerbehörde</span></a></td>', matrix)
    assert re.search(r'<td class="num heat-2"><a [^>]+>1<', matrix)  # Jobcenter–Schulamt
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


def test_matrix_link_lists_only_the_pairs_joint_activities(client, auth, richer_world):
    auth.login_as(richer_world, Role.LEADERSHIP)
    jobcenter, schulamt = richer_world["jobcenter"].id, richer_world["schulamt"].id
    page = client.get(f"/activities/?participant={jobcenter}&partner={schulamt}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Gemeinsame Aktivitäten von Jobcenter und Schulamt" in text
    assert text.count("20.01.2026") == 1  # the one joint activity, not the Jobcenter's others
    assert "02.03.2026" not in text
    assert client.get(f"/activities/?participant={jobcenter}&partner=x1").status_code == 400


def test_help_page_explains_every_figure_and_figures_link_to_it(client, auth, richer_world):
    auth.login_as(richer_world, Role.STAFF)
    help_page = client.get("/help").get_data(as_text=True)
    anchors = ("dichte", "teilnetz", "isoliertes-ressort", "vermittler", "schluesselakteur",
               "modularitaet", "einschlafende-verbindungen", "neu-registriert", "entwicklung")
    for anchor in anchors:
        assert f'<section id="{anchor}"' in help_page, anchor
    page = client.get("/").get_data(as_text=True)
    for anchor in ("dichte", "teilnetz", "isoliertes-ressort", "vermittler", "schluesselakteur",
                   "modularitaet", "matrix", "handlungsfelder", "entwicklung"):
        assert f'href="/help#{anchor}"' in page, anchor


def test_axis_ticks_differ_at_the_precision_shown(app):
    with app.test_request_context():
        chart = line_chart("Dichte", "", ["Q1", "Q2"], [("Dichte", [0.002, 0.009])],
                           value_format="ratio")
        labels = [tick.label for tick in chart.y_ticks]
        assert labels == ["0,000", "0,002", "0,004", "0,006", "0,008", "0,010"]
        assert len(set(labels)) == len(labels)
        plain = line_chart("Dichte", "", ["Q1"], [("Dichte", [0.4])], value_format="ratio")
        assert [t.label for t in plain.y_ticks] == ["0,00", "0,10", "0,20", "0,30", "0,40",
                                                    "0,50"]


def test_running_quarter_is_drawn_apart_and_labelled(app):
    with app.test_request_context():
        chart = line_chart("Aktivitäten", "", ["Q1", "Q2", "Q3"],
                           [("Aktivitäten", [10, 12, 2])], incomplete=2)
        series = chart.series[0]
        (x1, y1), (x2, y2) = series.points  # the line ends at the last complete quarter
        assert series.polylines == [f"{x1},{y1} {x2},{y2}"]
        assert series.incomplete_point is not None and series.incomplete_segment
        assert chart.rows()[2][0] == "Q3 (läuft noch)" and chart.incomplete_label == "Q3"


def test_dashboard_marks_the_running_quarter(client, auth, richer_world):
    auth.login_as(richer_world, Role.LEADERSHIP)
    page = client.get("/").get_data(as_text=True)
    assert 'class="point point--incomplete"' in page
    assert "läuft noch: gestrichelt und hohl gezeichnet" in page


def test_field_scope_counts_only_stakeholders_of_the_field(client, auth, richer_world):
    auth.login_as(richer_world, Role.LEADERSHIP)
    page = client.get("/?field=arbeit").get_data(as_text=True)
    # Jobcenter (register), Schulamt and Ausländerbehörde (activities in Arbeit) count; the
    # Jugendamt and the others do not work in the field and are not called isolated.
    assert "zählen nur Akteure, die darin arbeiten" in page
    assert "Akteure, die darin arbeiten – laut Register oder durch eine gemeinsame Aktivität " \
           "im Feld: 3 Akteure." in page
    cards = dict(re.findall(
        r'<span class="card__label">([^<]+)</span>\s*<span class="card__value">(?:<span '
        r'aria-hidden="true">⚠ </span>)?([^<]+)</span>', page))
    assert cards["Akteure"] == "3" and cards["Isolierte Ressorts"] == "0"
    assert cards["Teilnetze"] == "1"


def test_newly_registered_stakeholders_are_shown_apart(app, client, auth, richer_world):
    app.config["NEWCOMER_DAYS"] = 91
    with app.app_context():
        old = datetime(2025, 1, 1)
        for stakeholder in db.session.scalars(select(Stakeholder)):
            stakeholder.created_at = old  # the world was registered long ago …
        db.session.commit()
        make_stakeholder("Neues Amt")  # … this department just now, without any activity
        db.session.commit()
    auth.login_as(richer_world, Role.LEADERSHIP)
    page = client.get("/").get_data(as_text=True)
    section = page[page.index('id="neu"'):]
    section = section[:section.index("</section>")]
    assert ">Neues Amt</a>" in section and "zählen nicht als isoliert" in section
    isolated = page[page.index('class="advice-list"'):]
    assert "Neues Amt" not in isolated[:isolated.index("</section>")]
    # The long-registered Jugendamt without a department partner still counts as isolated.
    assert "Jugendamt" in isolated[:isolated.index("</section>")]


def test_fading_ties_on_dashboard_and_stakeholder_page(client, auth, world):
    jobcenter, auslaender = world["jobcenter"], world["auslaenderbehoerde"]
    jugendamt = world["jugendamt"]
    for day in (date(2025, 1, 10), date(2025, 2, 10), date(2025, 4, 1)):
        make_activity([jobcenter, auslaender], day)  # regular until April 2025, then quiet
    for day in (date(2025, 1, 10), date(2025, 2, 10)):
        make_activity([jugendamt, auslaender], day)  # only twice: not "regular"
    auth.login_as(world, Role.LEADERSHIP)
    page = client.get("/?until=2025-12-31").get_data(as_text=True)
    section = page[page.index('id="einschlafen"'):]
    section = section[:section.index("</section>")]
    assert "1 Verbindung ohne gemeinsame Aktivität seit 6 Monaten oder länger" in section
    assert ">Jobcenter</a></th>" in section and ">Ausländerbehörde</a></td>" in section
    assert "01.04.2025" in section
    assert re.search(r"3 gemeinsame Aktivitäten</a>\s+seit Q1 2025, etwa 1,5 je Quartal",
                     section)
    assert "Jugendamt" not in section
    # A longer threshold: the April 2025 tie is only 9 months quiet at the end of 2025.
    longer = client.get("/?until=2025-12-31&quiet_months=12").get_data(as_text=True)
    assert "Keine Verbindung zwischen Ressorts" in longer
    assert client.get("/?quiet_months=abc").status_code == 200  # bad value: the default
    own_page = client.get(f"/stakeholders/{jobcenter.id}").get_data(as_text=True)
    assert "Verbindungen, die einschlafen" in own_page and ">Ausländerbehörde</a>" in own_page


def test_a_stakeholder_page_lists_twenty_fading_ties_and_offers_all_of_its_own(
        client, auth, world):
    """A hub may have thousands of fading ties: its page lists the strongest 20, and the
    download holds all of the stakeholder's (and only those)."""
    from openpyxl import load_workbook

    jobcenter = world["jobcenter"]
    groups = [make_stakeholder(f"Verein {i:02d}", StakeholderKind.GROUP) for i in range(23)]
    for group in groups:
        for day in (date(2024, 1, 10), date(2024, 2, 10), date(2024, 3, 1)):
            make_activity([jobcenter, group], day)
    for day in (date(2024, 1, 10), date(2024, 2, 10), date(2024, 3, 1)):
        make_activity([groups[0], world["jugendamt"]], day)  # not the Jobcenter's
    auth.login_as(world, Role.LEADERSHIP)
    client.get("/")  # the whole network's figures, with the fading ties
    page = client.get(f"/stakeholders/{jobcenter.id}").get_data(as_text=True)
    section = page[page.index('id="einschlafen-title"'):]
    assert "23 Verbindungen ohne gemeinsame Aktivität" in section
    assert section.count("gemeinsame Aktivitäten</a>") == 20
    link = re.search(r'href="(/tables/einschlafende-verbindungen\?[^"]+)"', section).group(1)
    assert f"stakeholder={jobcenter.id}" in link.replace("&amp;", "&")
    download = client.get(link.replace("&amp;", "&"))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    listed = [row for row in rows if any(value for value in row)]
    assert len(listed) == 23 and all("Jobcenter" in row for row in listed)
