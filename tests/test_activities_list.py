"""The activity list (filters, order, pagination, who sees which links) and the detail page."""

import re
from datetime import date, timedelta

import pytest

from conftest import make_activity, make_stakeholder
from coordinator.models import ActivityKind, Role, StakeholderKind

OWN_TITLE = "Sprachcafé planen"
FOREIGN_TITLE = "Fallkonferenz Arbeitserlaubnis"


def row_titles(html: str) -> list[str]:
    """The activity titles of the list's table rows, in order."""
    return re.findall(r'<th scope="row"><a href="/activities/\d+">([^<]*)</a></th>', html)


def list_page(client, **args):
    response = client.get("/activities/", query_string=args)
    return response, response.get_data(as_text=True)


@pytest.fixture
def reader(client, auth, world):
    auth.login_as(world, Role.LEADERSHIP)
    return client


def test_list_shows_every_activity_newest_first(reader):
    response, html = list_page(reader)
    assert response.status_code == 200
    assert row_titles(html) == [FOREIGN_TITLE, OWN_TITLE]
    assert "Interkultureller Verein Sonnenfeld" in html
    assert "badge--group" in html and "zivilgesellschaftliche Gruppe" in html


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"date_from": "2026-02-05"}, [FOREIGN_TITLE]),
        ({"date_to": "2026-02-05"}, [OWN_TITLE]),
        ({"date_from": "2026-02-03", "date_to": "2026-02-03"}, [OWN_TITLE]),
        ({"kind": "case_conference"}, [FOREIGN_TITLE]),
        ({"kind": "meeting"}, [OWN_TITLE]),
        ({"field": "sprache"}, [OWN_TITLE]),
        ({"field": "wohnen"}, []),
        ({"date_from": "", "date_to": "", "kind": "", "field": ""}, [FOREIGN_TITLE, OWN_TITLE]),
    ],
)
def test_filters(reader, args, expected):
    response, html = list_page(reader, **args)
    assert response.status_code == 200
    assert row_titles(html) == expected


def test_participant_filter(reader, world):
    _response, html = list_page(reader, participant=world["jugendamt"].id)
    assert row_titles(html) == [OWN_TITLE]
    assert "Aktivitäten mit Beteiligung von Jugendamt" in html
    _response, html = list_page(reader, participant=world["jobcenter"].id)
    assert row_titles(html) == [FOREIGN_TITLE]
    _response, html = list_page(reader, participant=world["person"].id)
    assert row_titles(html) == []
    assert "Keine Aktivitäten gefunden." in html


def test_participant_filter_finds_inactive_stakeholders(reader, world):
    world["verein"].active = False
    _response, html = list_page(reader, participant=world["verein"].id)
    assert row_titles(html) == [OWN_TITLE]


def test_filters_combine(reader, world):
    _response, html = list_page(
        reader, participant=world["jugendamt"].id, kind="case_conference"
    )
    assert row_titles(html) == []


BAD_DATE = "Bitte geben Sie ein gültiges Datum im Format JJJJ-MM-TT an."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"date_from": "2026-13-45"}, BAD_DATE),
        ({"date_to": "gestern"}, BAD_DATE),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"},
         "Das Enddatum liegt vor dem Anfangsdatum."),
        ({"kind": "party"}, "Unbekannte Art der Aktivität."),
        ({"field": "astrologie"}, "Unbekanntes Handlungsfeld."),
        ({"participant": "abc"}, "Unbekannte/r Beteiligte/r."),
        ({"participant": "999999"}, "Unbekannte/r Beteiligte/r."),
    ],
)
def test_invalid_filters_answer_400_in_german(reader, args, message):
    response, html = list_page(reader, **args)
    assert response.status_code == 400
    assert message in html
    assert "Die Filterangaben sind ungültig." in html
    assert row_titles(html) == []


def test_pagination_keeps_filters(app, reader, world):
    per_page = app.config["PER_PAGE"]
    first = date(2025, 1, 1)
    for number in range(per_page + 5):
        make_activity([world["jugendamt"], world["jobcenter"]], first + timedelta(days=number),
                      f"Treffen {number:02d}")
    response, html = list_page(reader, kind="meeting")
    assert response.status_code == 200
    titles = row_titles(html)
    assert len(titles) == per_page
    assert titles[0] == OWN_TITLE  # 2026-02-03 is the newest meeting
    assert "Seite 1 von 2 (31 Einträge)" in html
    assert re.search(r'href="/activities/\?kind=meeting&amp;page=2" rel="next"', html)

    _response, html = list_page(reader, kind="meeting", page=2)
    assert row_titles(html) == [f"Treffen {n:02d}" for n in range(5, -1, -1)]


def test_page_out_of_range_is_not_an_error(reader):
    for page in ("99", "-1", "abc"):
        response = reader.get("/activities/", query_string={"page": page})
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "own_links", "foreign_links"),
    [
        (Role.ADMIN, True, True),
        (Role.COORDINATOR, True, True),
        (Role.STAFF, True, False),
        (Role.LEADERSHIP, False, False),
    ],
)
def test_change_links_only_where_allowed(client, auth, world, role, own_links, foreign_links):
    auth.login_as(world, role)
    html = client.get("/activities/").get_data(as_text=True)
    for activity, expected in ((world["own_activity"], own_links),
                               (world["foreign_activity"], foreign_links)):
        assert (f'href="/activities/{activity.id}/edit"' in html) is expected
        assert (f'href="/activities/{activity.id}/delete"' in html) is expected
        detail = client.get(f"/activities/{activity.id}").get_data(as_text=True)
        assert (f'href="/activities/{activity.id}/edit"' in detail) is expected
    assert ('href="/activities/new"' in html) is (role is not Role.LEADERSHIP)


def test_detail_shows_everything(client, auth, world):
    activity = world["own_activity"]
    activity.created_by = world["users"][Role.STAFF]
    activity.description = "Erste Zeile\nZweite Zeile"
    auth.login_as(world, Role.LEADERSHIP)
    response = client.get(f"/activities/{activity.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Sprachcafé planen</h1>" in html
    assert "3. Februar 2026" in html
    assert "Besprechung" in html
    assert "Sprache" in html
    assert "jugendamt@example.org" in html
    assert "Erste Zeile<br>Zweite Zeile" in html
    assert "Beteiligte (2)" in html
    assert "Interkultureller Verein Sonnenfeld" in html
    assert f'href="/activities/?participant={world["verein"].id}"' in html


def test_detail_of_unknown_activity_is_404(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    assert client.get("/activities/999999").status_code == 404


def test_detail_without_author(client, auth, world):
    auth.login_as(world, Role.STAFF)
    html = client.get(f"/activities/{world['foreign_activity'].id}").get_data(as_text=True)
    assert "Fallkonferenz Arbeitserlaubnis" in html
    assert "unbekannt" in html


def test_hostile_names_are_escaped(client, auth, world):
    evil = make_stakeholder("<script>alert('name')</script>", StakeholderKind.INDIVIDUAL)
    activity = make_activity([world["jugendamt"], evil],
                             title="<script>alert('title')</script>",
                             kind=ActivityKind.EVENT, description="<img src=x onerror=alert(1)>")
    auth.login_as(world, Role.COORDINATOR)
    pages = [
        "/activities/",
        f"/activities/{activity.id}",
        f"/activities/{activity.id}/edit",
        f"/activities/{activity.id}/delete",
        f"/activities/?participant={evil.id}",
        "/activities/?participant_name=script",
    ]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_staff_read_foreign_activities(client, auth, world):
    """Staff read everything: the list and the detail of activities without their
    department (only changes are restricted)."""
    auth.login_as(world, Role.STAFF)
    foreign = world["foreign_activity"]
    assert client.get(f"/activities/{foreign.id}").status_code == 200
    assert FOREIGN_TITLE in client.get("/activities/").get_data(as_text=True)
