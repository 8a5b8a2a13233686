"""The network map in a real browser (headless Chromium) with the network cut off.

The app runs on a real werkzeug server; every request that is not for that server is
aborted and recorded. The map must draw, no request may leave the app, the console must stay
free of errors (a CSP violation is one), and a hostile stakeholder name must stay text: no
dialog, no injected element, literally shown in the tooltip.

Needs the ``playwright`` package and Debian's Chromium (``apt-get install chromium``); the
test is skipped, saying so, only when one of them is missing.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest

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
from coordinator.models import Role, StakeholderKind

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e .[test])"
)
pytestmark = needs_chromium

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def live_app(app_factory):
    """The app (with CSRF on, as in production) on a real server in a thread."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        jugendamt = make_stakeholder("Jugendamt", fields=("bildung",))
        hostile = make_stakeholder(HOSTILE, StakeholderKind.GROUP, fields=("sprache",))
        jobcenter = make_stakeholder("Jobcenter")
        person = make_stakeholder('Dana "Quote" </script>', StakeholderKind.INDIVIDUAL)
        make_stakeholder("Ordnungsamt")  # an isolated department
        make_activity([jugendamt, hostile], date(2026, 2, 3), fields=("sprache",))
        make_activity([jugendamt, hostile, person], date(2026, 3, 3))
        make_activity([jugendamt, jobcenter], date(2026, 3, 4))
        make_user("leitung@example.org", Role.LEADERSHIP)
        ids = {"jugendamt": jugendamt.id, "hostile": hostile.id}
        db.session.remove()
    with served(app) as base:
        yield base, ids


@pytest.fixture
def browser_page(live_app):
    base, _ids = live_app
    own_host = urlsplit(base).netloc
    seen = {"outside": [], "console": [], "dialogs": []}
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context()

        def guard(route):
            if urlsplit(route.request.url).netloc == own_host:
                route.continue_()
            else:
                seen["outside"].append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and seen["console"].append(m.text))
        page.on("pageerror", lambda e: seen["console"].append(str(e)))

        def on_dialog(dialog):
            seen["dialogs"].append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(f"{base}/login")
        page.fill("input[name=email]", "leitung@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url
        yield page, base, seen
        browser.close()


def _wait_for_map(page):
    page.wait_for_selector("#network-map[data-state=ready]", timeout=15_000)
    return page.evaluate(
        """() => {
            const canvas = document.querySelector('#network-map canvas');
            if (!canvas) { return null; }
            const pixels = canvas.getContext('2d')
                .getImageData(0, 0, canvas.width, canvas.height).data;
            let inked = 0;
            for (let i = 0; i < pixels.length; i += 4) {
                if (pixels[i + 3] > 0 && (pixels[i] < 200 || pixels[i + 1] < 200)) { inked++; }
            }
            return {width: canvas.width, height: canvas.height, inked: inked,
                    nodes: Number(document.querySelector('#network-map').dataset.nodes)};
        }"""
    )


def _hover_node(page, node_id):
    """Move the mouse onto a node and return the tooltip element's text and markup."""
    page.locator("#network-map").scroll_into_view_if_needed()
    point = page.evaluate(
        """(id) => {
            const box = document.querySelector('#network-map');
            const network = box.visNetwork;
            const dom = network.canvasToDOM(network.getPositions([id])[id]);
            const rect = box.getBoundingClientRect();
            return {x: rect.left + dom.x, y: rect.top + dom.y};
        }""",
        node_id,
    )
    page.mouse.move(point["x"] + 40, point["y"] + 40)
    page.mouse.move(point["x"], point["y"])
    tooltip = page.wait_for_selector("div.vis-tooltip .map-tooltip", timeout=5_000)
    return tooltip.text_content(), tooltip.inner_html()


def test_map_renders_offline_without_errors(browser_page, live_app):
    page, base, seen = browser_page
    _base, ids = live_app
    response = page.goto(f"{base}/network/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    drawn = _wait_for_map(page)
    assert drawn is not None, "no canvas"
    assert drawn["width"] > 100 and drawn["height"] > 100
    assert drawn["inked"] > 500, "the canvas is blank"
    assert drawn["nodes"] == 5

    text, markup = _hover_node(page, ids["hostile"])
    assert HOSTILE in text  # shown literally …
    assert "<img" not in markup  # … as text, not as an element
    assert page.query_selector("img[src=x]") is None
    assert seen["outside"] == []
    assert seen["console"] == []
    assert seen["dialogs"] == []


def test_click_opens_ego_view(browser_page, live_app):
    page, base, seen = browser_page
    _base, ids = live_app
    page.goto(f"{base}/network/")
    _wait_for_map(page)
    page.locator("#network-map").scroll_into_view_if_needed()
    point = page.evaluate(
        """(id) => {
            const box = document.querySelector('#network-map');
            const network = box.visNetwork;
            const dom = network.canvasToDOM(network.getPositions([id])[id]);
            const rect = box.getBoundingClientRect();
            return {x: rect.left + dom.x, y: rect.top + dom.y};
        }""",
        ids["hostile"],
    )
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert f"/network/ego/{ids['hostile']}" in page.url
    drawn = _wait_for_map(page)
    assert drawn["nodes"] == 3  # the group, the Jugendamt and the individual
    assert page.locator("h1").text_content() == f"Umfeld: {HOSTILE}"
    assert seen["outside"] == []
    assert seen["console"] == []
    assert seen["dialogs"] == []


def test_dashboard_and_tables_offline(browser_page):
    page, base, seen = browser_page
    for path in ("/", "/network/table", "/network/ties", "/report"):
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
    assert page.query_selector("img[src=x]") is None
    assert seen["outside"] == []
    assert seen["console"] == []
    assert seen["dialogs"] == []


def test_map_is_the_same_on_every_visit_and_zooms_by_keyboard(browser_page):
    page, base, seen = browser_page
    snapshots = []
    for _visit in range(2):
        page.goto(f"{base}/network/")
        _wait_for_map(page)
        snapshots.append(page.evaluate(
            "() => document.querySelector('#network-map').visNetwork.getPositions()"))
    assert snapshots[0] == snapshots[1]

    before = page.evaluate("() => document.querySelector('#network-map').visNetwork.getScale()")
    page.get_by_role("button", name="Vergrößern").focus()
    page.keyboard.press("Enter")
    after = page.evaluate("() => document.querySelector('#network-map').visNetwork.getScale()")
    assert after > before
    assert seen["outside"] == []
    assert seen["console"] == []
