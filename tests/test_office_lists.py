"""Everyday list work: the participant picker without JavaScript and its JSON search (also
with 20,000 stakeholders), planned activities, searching and sorting the activity log and the
register, and the list downloads for German Excel, machines and XLSX."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import insert

from conftest import field, make_activity, make_stakeholder
from coordinator.extensions import db
from coordinator.models import ActivityKind, JointActivity, Role, Stakeholder, StakeholderKind
from coordinator.network.data.scope import Scope
from coordinator.network.data.stored_figures import compute_for
from coordinator.register.models import name_key


def text_of(response) -> str:
    return response.get_data(as_text=True)


def row_titles(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/activities/\d+">([^<]*)</a></th>', html)


def checkbox_values(html: str) -> list[int]:
    return [int(v) for v in re.findall(r'name="participants" type="checkbox" value="(\d+)"',
                                       html)]


# --- the picker without JavaScript ------------------------------------------------------------


def test_search_button_sends_the_form_back_with_matches_to_tick(client, auth, world):
    auth.login_as(world, Role.STAFF)
    own = world["jugendamt"].id
    response = client.post("/activities/new", data={
        "date": "2026-03-01", "title": "Halb ausgefüllt", "kind": "meeting",
        "participants": [own], "participant_search": "center", "find": "1",
    })
    html = text_of(response)
    assert response.status_code == 200  # a search, not an error
    assert "Suchergebnisse für „center“" in html
    assert world["jobcenter"].id in checkbox_values(html)
    assert 'value="Halb ausgefüllt"' in html  # what was typed is kept
    assert re.search(rf'<input checked [^>]*value="{own}">', html)
    assert '<p class="error"' not in html
    assert db.session.query(JointActivity).count() == 2  # nothing saved

    saved = client.post("/activities/new", data={
        "date": "2026-03-01", "title": "Halb ausgefüllt", "kind": "meeting",
        "participants": [own, world["jobcenter"].id], "participant_search": "center",
    })
    assert saved.status_code == 302


def test_form_offers_recent_partners_of_the_department(client, auth, world):
    auth.login_as(world, Role.STAFF)
    html = text_of(client.get("/activities/new"))
    assert "Zuletzt zusammengearbeitet" in html
    assert world["verein"].id in checkbox_values(html)  # the Jugendamt's partner
    assert world["jobcenter"].id not in checkbox_values(html)


def test_form_and_filter_stay_small_with_20000_stakeholders(client, auth, world):
    db.session.execute(insert(Stakeholder), [
        {"name": f"Verein {n:05d}", "name_key": name_key(f"Verein {n:05d}"),
         "kind": StakeholderKind.GROUP, "description": "", "affiliation": "", "active": True}
        for n in range(20_000)
    ])
    db.session.commit()
    auth.login_as(world, Role.STAFF)
    form = client.get("/activities/new")
    assert len(checkbox_values(text_of(form))) < 20
    assert len(form.data) < 60_000
    listing = client.get("/activities/")
    assert listing.status_code == 200 and len(listing.data) < 60_000
    found = client.get("/activities/participants.json?q=verein 1999").get_json()
    assert [r["name"] for r in found["results"]] == [f"Verein 1999{n}" for n in range(10)]
    assert found["more"] is False
    many = client.get("/activities/participants.json?q=verein").get_json()
    assert len(many["results"]) == 20 and many["more"] is True
    # The first suggestion is the recent partner, whatever the register holds.
    assert many["results"][0]["name"] == "Interkultureller Verein Sonnenfeld"
    assert many["results"][0]["group_label"] == "Zuletzt zusammengearbeitet"


def test_json_search_groups_by_kind_excludes_and_hides_inactive(client, auth, world):
    world["auslaenderbehoerde"].active = False
    make_stakeholder("Amtsgruppe", StakeholderKind.GROUP)
    auth.login_as(world, Role.COORDINATOR)
    results = client.get("/activities/participants.json?q=amt").get_json()["results"]
    assert [(r["name"], r["group"]) for r in results] == [
        ("Jugendamt", "department"), ("Amtsgruppe", "group")]
    inactive = client.get("/activities/participants.json?q=behörde&scope=all").get_json()
    assert [(r["name"], r["inactive"]) for r in inactive["results"]] == [
        ("Ausländerbehörde", True)]
    excluded = client.get(
        f"/activities/participants.json?q=amt&exclude={world['jugendamt'].id}").get_json()
    assert [r["name"] for r in excluded["results"]] == ["Amtsgruppe"]
    assert client.get("/activities/participants.json?q=%25").get_json()["results"] == []


def test_filter_by_typed_name_without_javascript(client, auth, world):
    auth.login_as(world, Role.LEADERSHIP)
    html = text_of(client.get("/activities/?participant_name=sonnenfeld"))
    assert row_titles(html) == ["Sprachcafé planen"]
    # A chosen id with its own name keeps the id; a changed name searches by the new text.
    jugendamt = world["jugendamt"].id
    html = text_of(client.get(f"/activities/?participant={jugendamt}&participant_name=Jugendamt"))
    assert row_titles(html) == ["Sprachcafé planen"]
    html = text_of(client.get(f"/activities/?participant={jugendamt}&participant_name=jobcenter"))
    assert row_titles(html) == ["Fallkonferenz Arbeitserlaubnis"]


# --- planned activities ------------------------------------------------------------------------


def test_planned_activity_is_marked_and_not_counted_until_it_happened(client, auth, world):
    today = date.today()
    planned = make_activity([world["jobcenter"], world["verein"]], today + timedelta(days=30),
                            title="Fest der Kulturen", kind=ActivityKind.EVENT)
    auth.login_as(world, Role.LEADERSHIP)
    html = text_of(client.get("/activities/"))
    row = re.search(r"<tr>(?:(?!</tr>).)*Fest der Kulturen.*?</tr>", html, re.S).group(0)
    assert '<span class="badge badge--planned">geplant</span>' in row
    assert "geplant" in text_of(client.get(f"/activities/{planned.id}"))
    metrics = compute_for(Scope(), today)
    assert metrics.edges == 2  # the planned tie Jobcenter–Verein is not there yet
    assert metrics.activities == 2
    later = compute_for(Scope(), today + timedelta(days=40))
    assert later.activities == 2  # the loader counts up to the real today, not a given one
    # The register's partner count waits as well: the Verein has one partner, not two.
    html = text_of(client.get("/stakeholders/?q=sonnenfeld"))
    assert re.search(r'Sonnenfeld</a></th>.*?<td class="num">1</td>', html, re.S)


def test_form_says_a_future_date_is_planned(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    response = client.post("/activities/new", data={
        "date": (date.today() + timedelta(days=7)).isoformat(), "title": "", "kind": "meeting",
        "participants": [world["jugendamt"].id, world["jobcenter"].id],
    })
    assert "wird als „geplant“ gespeichert" in text_of(response)


# --- searching and sorting ----------------------------------------------------------------------


@pytest.fixture
def log(world):
    make_activity([world["jugendamt"], world["jobcenter"]], date(2026, 1, 5),
                  title="Arbeitskreis Übergang Schule–Beruf", kind=ActivityKind.WORKING_GROUP,
                  description="Ausbildungsmesse vorbereiten")
    make_activity([world["verein"], world["jobcenter"]], date(2026, 2, 20),
                  title="Beratungstag", kind=ActivityKind.EVENT, description="mit Sprachmittlung")
    return world


@pytest.mark.parametrize(("args", "expected"), [
    ({"q": "sprach"}, ["Beratungstag", "Sprachcafé planen"]),  # description, title
    ({"q": "AUSBILDUNGSMESSE"}, ["Arbeitskreis Übergang Schule–Beruf"]),
    ({"q": "100%"}, []),
    ({"sort": "date"}, ["Arbeitskreis Übergang Schule–Beruf", "Sprachcafé planen",
                        "Fallkonferenz Arbeitserlaubnis", "Beratungstag"]),
    ({"sort": "title"}, ["Arbeitskreis Übergang Schule–Beruf", "Beratungstag",
                         "Fallkonferenz Arbeitserlaubnis", "Sprachcafé planen"]),
    ({"sort": "kind"}, ["Arbeitskreis Übergang Schule–Beruf", "Sprachcafé planen",
                        "Fallkonferenz Arbeitserlaubnis", "Beratungstag"]),
])
def test_activity_search_and_order(client, auth, log, args, expected):
    auth.login_as(log, Role.LEADERSHIP)
    response = client.get("/activities/", query_string=args)
    assert response.status_code == 200
    assert row_titles(text_of(response)) == expected


def test_matrix_partner_filter_works_with_search_and_order(client, auth, log):
    """The dashboard matrix's second participant stays a hidden filter beside the participant,
    the text search and the order, is named above the list, and goes into the download."""
    auth.login_as(log, Role.LEADERSHIP)
    jobcenter, jugendamt = log["jobcenter"].id, log["jugendamt"].id
    alone = text_of(client.get("/activities/", query_string={"participant": jobcenter,
                                                             "sort": "title"}))
    assert row_titles(alone) == ["Arbeitskreis Übergang Schule–Beruf", "Beratungstag",
                                 "Fallkonferenz Arbeitserlaubnis"]
    args = {"participant": jobcenter, "partner": jugendamt, "sort": "title"}
    html = text_of(client.get("/activities/", query_string=args))
    assert row_titles(html) == ["Arbeitskreis Übergang Schule–Beruf"]
    assert f'name="partner" type="hidden" value="{jugendamt}"' in html
    assert "Gemeinsam mit: Jugendamt" in html
    assert "Gemeinsame Aktivitäten von Jobcenter und Jugendamt, sortiert: Titel A–Z" in html
    searched = text_of(client.get("/activities/", query_string={**args, "q": "messe"}))
    assert row_titles(searched) == ["Arbeitskreis Übergang Schule–Beruf"]
    assert row_titles(text_of(client.get("/activities/",
                                         query_string={**args, "q": "fall"}))) == []
    download = client.get("/activities/export", query_string={**args, "format": "csv-machine"})
    assert download.get_data(as_text=True).strip().count("\n") == 1  # header, one activity


def test_unknown_order_is_refused_in_german(client, auth, log):
    auth.login_as(log, Role.LEADERSHIP)
    response = client.get("/activities/?sort=hack")
    assert response.status_code == 400
    assert "Unbekannte Sortierung." in text_of(response)


def stakeholder_rows(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<th scope="row"><a href="/stakeholders/\d+">([^<]*)</a></th>.*?'
                      r'<td class="num">(\d+)</td>\s*<td>(?:<time[^>]*>([^<]*)</time>)?', html,
                      re.S)


@pytest.mark.parametrize(("sort", "expected"), [
    ("-partners", ["Jobcenter", "Interkultureller Verein Sonnenfeld", "Jugendamt",
                   "Ausländerbehörde", "A. Yilmaz"]),
    ("-last", ["Interkultureller Verein Sonnenfeld", "Jobcenter", "Ausländerbehörde",
               "Jugendamt", "A. Yilmaz"]),
    ("kind", ["Ausländerbehörde", "Jobcenter", "Jugendamt", "Interkultureller Verein Sonnenfeld",
              "A. Yilmaz"]),
])
def test_register_sorting(client, auth, log, sort, expected):
    auth.login_as(log, Role.LEADERSHIP)
    html = text_of(client.get(f"/stakeholders/?sort={sort}"))
    rows = stakeholder_rows(html)
    assert [name for name, _count, _last in rows] == expected
    figures = {name: (count, last) for name, count, last in rows}
    assert figures["Jobcenter"] == ("3", "20.02.2026")
    assert figures["A. Yilmaz"] == ("0", "")


# --- list downloads ------------------------------------------------------------------------------


def test_activity_log_for_german_excel_with_the_filters(client, auth, log):
    auth.login_as(log, Role.LEADERSHIP)
    html = text_of(client.get("/activities/?q=sprach"))
    assert 'href="/activities/export?q=sprach&amp;format=csv"' in html
    response = client.get("/activities/export?q=sprach&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="aktivitaeten.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nr.", "Datum", "Titel", "Art", "Handlungsfelder", "Beteiligte",
                       "Status", "Beschreibung"]
    assert [row[1:4] for row in rows[1:]] == [
        ["20.02.2026", "Beratungstag", "Veranstaltung"],
        ["03.02.2026", "Sprachcafé planen", "Besprechung"]]
    assert rows[1][6] == "stattgefunden"


def test_activity_log_for_machines_and_as_xlsx(client, auth, log):
    auth.login_as(log, Role.LEADERSHIP)
    machine = client.get("/activities/export?format=csv-machine&sort=date")
    rows = list(csv.reader(io.StringIO(machine.data.decode("utf-8"))))
    assert rows[0] == ["id", "date", "title", "kind", "fields", "participants", "planned",
                       "description"]
    assert rows[1][1:4] == ["2026-01-05", "Arbeitskreis Übergang Schule–Beruf", "working_group"]
    xlsx = client.get("/activities/export?format=xlsx&kind=event")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("Nr.", "Datum", "Titel")
    assert [row[2] for row in values[1:]] == ["Beratungstag"]
    assert values[1][1].date() == date(2026, 2, 20)
    assert client.get("/activities/export?format=pdf").status_code == 404


def test_register_download_with_filters_and_order(client, auth, log):
    auth.login_as(log, Role.STAFF)
    response = client.get("/stakeholders/export?kind=department&sort=-partners")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nr.", "Name", "Art", "Übergeordnet", "Handlungsfelder", "Partner",
                       "Letzte Aktivität", "Status", "Beschreibung"]
    assert [(row[1], row[2], row[5], row[6]) for row in rows[1:]] == [
        ("Jobcenter", "Ressort/Dienststelle", "3", "20.02.2026"),
        ("Jugendamt", "Ressort/Dienststelle", "2", "03.02.2026"),
        ("Ausländerbehörde", "Ressort/Dienststelle", "1", "10.02.2026")]
    machine = client.get("/stakeholders/export?format=csv-machine&q=yilmaz")
    assert machine.data.decode() == (
        '"id","name","kind","parent","fields","partners","last_activity","active",'
        f'"description"\r\n{log["person"].id},"A. Yilmaz","individual","","",0,"","true",""\r\n')
    xlsx = client.get("/stakeholders/export?format=xlsx")
    names = [row[1] for row in openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
             .iter_rows(min_row=2, values_only=True)]
    assert names == sorted(names, key=str.casefold)
    assert field("sprache")  # the catalogue is intact
