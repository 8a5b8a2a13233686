"""The map option "Angebote: Reichweite zeigen": reach status per offer and per provider on
hand-made data, and the map page's option, JSON data, legend and table."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from conftest import (
    CHROMIUM,
    PASSWORD,
    make_activity,
    make_stakeholder,
    make_user,
    needs_chromium,
    served,
)
from coordinator.extensions import db
from coordinator.models import FieldOfWork, Offer, OfferParticipation, Role, StakeholderKind
from coordinator.offers.provider_reach import (
    FLAGGED,
    NO_COUNTS,
    REACHES,
    ProviderStatus,
    offer_status,
    provider_statuses,
    status_totals,
)
from coordinator.offers.reach import assess_reach

JSON_SCRIPT = re.compile(
    r'<script type="application/json" id="network-data">(.*?)</script>', re.S
)
REACH_SCRIPT = re.compile(
    r'<script type="application/json" id="network-reach">(.*?)</script>', re.S
)


# --- pure: status of an offer and of its providers -------------------------------------------

def test_offer_status_from_its_reach():
    newcomer_course_for_locals = assess_reach({"newcomers": 2, "long_time": 18}, "newcomers")
    newcomer_course = assess_reach({"newcomers": 18, "long_time": 2}, "newcomers", capacity=25)
    half_empty = assess_reach({"newcomers": 5, "long_time": 5}, "all", capacity=40)
    assert offer_status(newcomer_course_for_locals) == FLAGGED
    assert offer_status(newcomer_course) == REACHES
    assert offer_status(half_empty) == FLAGGED  # 10 of 40 places: far below capacity
    assert offer_status(None) == NO_COUNTS
    assert offer_status(assess_reach({}, "all", capacity=10)) == NO_COUNTS  # all zero


def test_a_provider_shows_its_most_pressing_offer():
    # provider 1: two offers that go well; 2: one good, one flagged, one without counts;
    # 3: only an offer without counts; 4: shares the flagged offer with 2.
    statuses = provider_statuses([
        ([1], REACHES),
        ([1, 2], REACHES),
        ([2, 4], FLAGGED),
        ([2], NO_COUNTS),
        ([3], NO_COUNTS),
    ])
    assert {p: s.status for p, s in statuses.items()} == {
        1: REACHES, 2: FLAGGED, 3: NO_COUNTS, 4: FLAGGED}
    assert statuses[1].offers == {REACHES: 2}
    assert statuses[2].offers == {REACHES: 1, FLAGGED: 1, NO_COUNTS: 1}
    assert statuses[2].total == 3
    assert status_totals(statuses.values()) == {FLAGGED: 2, REACHES: 1, NO_COUNTS: 1}


def test_a_provider_listed_twice_on_one_offer_counts_it_once():
    statuses = provider_statuses([([5, 5], FLAGGED)])
    assert statuses[5].offers == {FLAGGED: 1}


def test_no_offers_no_providers_and_unknown_status_refused():
    assert provider_statuses([]) == {}
    assert status_totals([]) == {FLAGGED: 0, REACHES: 0, NO_COUNTS: 0}
    assert status_totals([ProviderStatus(REACHES)]) == {FLAGGED: 0, REACHES: 1, NO_COUNTS: 0}
    with pytest.raises(ValueError):
        provider_statuses([([1], "great")])


# --- the map page --------------------------------------------------------------------------

def _offer(title, providers, target, counts, capacity=None, field=None):
    offer = Offer(title=title, target_group=target, capacity=capacity, period_from="2025")
    offer.providers = providers
    if field:
        offer.field_id = db.session.scalars(
            select(FieldOfWork.id).where(FieldOfWork.key == field)).one()
    for group, count in counts.items():
        offer.participation.append(OfferParticipation(period="2025", group_key=group,
                                                      count=count))
    db.session.add(offer)
    return offer


@pytest.fixture
def offers(world):
    """Like the demo: a welcome café for newcomers that reaches mostly long-time residents
    (Jugendamt and the individual), a course that reaches its group (Verein and Jugendamt),
    a new offer without counts (Jobcenter), and the Ausländerbehörde with no offer."""
    _offer("Willkommenscafé", [world["jugendamt"], world["person"]], "newcomers",
           {"newcomers": 3, "long_time": 27}, field="sprache")
    _offer("Sprachkurs", [world["verein"], world["jugendamt"]], "newcomers",
           {"newcomers": 18, "long_time": 2}, capacity=20, field="sprache")
    _offer("Bewerbungstraining", [world["jobcenter"]], "all", {}, capacity=12, field="arbeit")
    db.session.commit()
    return world


def _page(client, query=""):
    response = client.get(f"/network/{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    data = json.loads(JSON_SCRIPT.search(page).group(1))
    assert "reach" not in data  # read per request: beside the payload, which is memoised
    reach = REACH_SCRIPT.search(page)
    return page, {**data, "reach": json.loads(reach.group(1)) if reach else None}


def test_map_page_offers_the_option_with_data_legend_and_table(client, auth, offers):
    world = offers
    auth.login_as(world, Role.LEADERSHIP)
    page, data = _page(client)
    # a native checkbox with its help text and a legend
    assert 'type="checkbox" id="map-reach"' in page
    assert "Angebote: Reichweite zeigen" in page
    assert 'id="map-reach-legend"' in page
    legend = page[page.index('id="map-reach-legend"'):]
    legend = legend[:legend.index("</ul>")]
    assert "erreicht die Zielgruppe (1 Anbieter)" in legend
    assert "mit Hinweis (z. B. Zielgruppe verfehlt, weit unter Kapazität) (2 Anbieter)" in legend
    assert "noch keine Teilnahmezahlen (1 Anbieter)" in legend
    # the map data: a status per provider on the map, nothing for the one without offers
    assert data["reach"] == {
        str(world["jugendamt"].id): FLAGGED,
        str(world["person"].id): FLAGGED,
        str(world["verein"].id): REACHES,
        str(world["jobcenter"].id): NO_COUNTS,
    }
    # the table: flagged providers first, with their offers, statuses and reasons
    table = page[page.index('id="angebote-reichweite"'):]
    table = table[:table.index("</table>")]
    assert table.index("Einzelperson 1") < table.index("Jugendamt") < table.index(
        "Interkultureller Verein Sonnenfeld") < table.index("Jobcenter")
    assert "Ausländerbehörde" not in table
    assert "Willkommenscafé" in table and "Gedacht für Neuzugewanderte" in table
    assert "Sprachkurs" in table and "Bewerbungstraining" in table
    # individuals keep their pseudonym for leadership, in the table as on the map
    assert "Yilmaz" not in page
    # no inline script, no style attribute
    for tag in re.findall(r"<script[^>]*>", page):
        assert 'type="application/json"' in tag or 'src="/static/' in tag, tag
    assert "style=" not in page


def test_coordinators_see_the_individual_provider_by_name(client, auth, offers):
    auth.login_as(offers, Role.COORDINATOR)
    page, _data = _page(client)
    table = page[page.index('id="angebote-reichweite"'):]
    assert "A. Yilmaz" in table[:table.index("</table>")]


def test_a_field_of_work_shows_only_its_offers(client, auth, offers):
    world = offers
    auth.login_as(world, Role.LEADERSHIP)
    _page_text, data = _page(client, "?field=arbeit")
    reach = data["reach"] or {}
    assert str(world["jobcenter"].id) in reach
    assert set(reach.values()) <= {NO_COUNTS}  # the Sprache offers are left out


def test_without_offers_the_option_is_not_shown(client, auth, world):
    auth.login_as(world, Role.LEADERSHIP)
    page, data = _page(client)
    assert data["reach"] is None
    assert 'id="map-reach"' not in page and 'id="angebote-reichweite"' not in page


# --- in a browser ----------------------------------------------------------------------------

@needs_chromium
def test_the_option_marks_providers_by_keyboard(app_factory):
    playwright_api = pytest.importorskip("playwright.sync_api")
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        jugendamt = make_stakeholder("Jugendamt")
        verein = make_stakeholder("Verein Brücke", StakeholderKind.GROUP)
        make_stakeholder("Ordnungsamt")
        make_activity([jugendamt, verein], date(2026, 2, 3))
        make_user("leitung@example.org", Role.LEADERSHIP)
        _offer("Willkommenscafé", [jugendamt], "newcomers", {"newcomers": 1, "long_time": 9})
        db.session.commit()
        ids = {"jugendamt": jugendamt.id, "verein": verein.id}
        db.session.remove()
    labels = """() => Object.fromEntries(document.querySelector('#network-map').visData.nodes
                    .get().map((node) => [node.id, [node.label, node.opacity]]))"""
    with served(app) as base, playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{base}/login")
        page.fill("input[name=email]", "leitung@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.goto(f"{base}/network/")
        page.wait_for_selector("#network-map[data-state=ready]", timeout=15_000)
        assert page.is_hidden("#map-reach-legend")
        before = page.evaluate(labels)
        assert before[str(ids["jugendamt"])][0] == "⚠ Jugendamt"  # an isolated department
        page.focus("#map-reach")
        page.keyboard.press("Space")
        page.wait_for_selector("#network-map[data-reach=on]")
        assert page.is_visible("#map-reach-legend")
        assert "0 Anbieter erreichen die Zielgruppe, 1 mit Hinweis" in page.text_content(
            "#map-status")
        nodes = page.evaluate(labels)
        assert nodes[str(ids["jugendamt"])] == ["! ⚠ Jugendamt", 1]  # the sign in front
        assert nodes[str(ids["verein"])][0] == "Verein Brücke"
        assert nodes[str(ids["verein"])][1] < 1  # no offer: faded
        page.keyboard.press("Space")
        page.wait_for_selector("#network-map[data-reach=off]")
        after = page.evaluate(labels)
        assert {n: label for n, (label, _o) in after.items()} == {
            n: label for n, (label, _o) in before.items()}
        assert {opacity for _label, opacity in after.values()} == {1}
        assert page.is_hidden("#map-reach-legend")
        browser.close()
    assert errors == []
