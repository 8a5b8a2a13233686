"""Map and dashboard in a real browser (headless Chromium), as the office uses them.

The map must be readable at its default zoom (department labels at least 12 px on screen),
its tools must work from the keyboard (search, period slider), no page may be wider than
the window at 1366 or 390 px, the printed report must fit one A4 page, and axe-core must find
no serious or critical violation.

Needs ``playwright`` and Debian's Chromium (skipped, saying so, when either is missing); the
axe-core test also needs axe-core's ``axe.min.js`` (``npm install axe-core``; found through
``AXE_CORE_JS`` or in a ``node_modules`` folder) and is skipped, saying so, without it.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

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
PAGES = ("/", "/network/", "/help", "/report")


def _axe_script() -> Path | None:
    candidates = [os.environ.get("AXE_CORE_JS", "")]
    for base in (Path.cwd(), Path.home(), Path("/usr/lib"), Path("/usr/local/lib")):
        candidates.append(str(base / "node_modules/axe-core/axe.min.js"))
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture
def live_office(app_factory):
    """Twelve departments, groups and people with activities over two years."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        departments = [make_stakeholder(f"Amt Nummer {n}", fields=("bildung",))
                       for n in range(12)]
        groups = [make_stakeholder(f"Verein {n}", StakeholderKind.GROUP) for n in range(6)]
        start = date(2025, 1, 6)
        for k in range(40):
            a, b = departments[k % 12], departments[(k * 5 + 1) % 12]
            people = [groups[k % 6]] if k % 3 else []
            if a is not b:
                make_activity([a, b, *people], start + timedelta(days=17 * k))
        make_stakeholder("Einsames Amt")  # isolated
        make_user("leitung@example.org", Role.LEADERSHIP)
        ids = {"first": departments[0].id}
        db.session.remove()
    with served(app) as base:
        yield base, ids


@pytest.fixture
def browser(live_office):
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _logged_in(browser, base, width, height=900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/login")
    page.fill("input[name=email]", "leitung@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url
    return page, errors


def test_map_is_readable_at_default_zoom(browser, live_office):
    base, _ids = live_office
    page, errors = _logged_in(browser, base, 1366, 768)
    page.goto(f"{base}/network/")
    page.wait_for_selector("#network-map[data-state=ready]", timeout=15_000)
    figures = page.evaluate("""() => {
        const box = document.getElementById('network-map'), network = box.visNetwork;
        const scale = network.getScale(), rect = box.getBoundingClientRect();
        let minX = 1e9, maxX = -1e9, minY = 1e9, maxY = -1e9, smallest = 1e9;
        for (const id of network.body.nodeIndices) {
            const node = network.body.nodes[id], dom = network.canvasToDOM({x: node.x, y: node.y});
            minX = Math.min(minX, dom.x); maxX = Math.max(maxX, dom.x);
            minY = Math.min(minY, dom.y); maxY = Math.max(maxY, dom.y);
            if (node.options.kind === 'department') {
                smallest = Math.min(smallest, node.labelModule.fontOptions.size * scale);
            }
        }
        return {label: smallest, spanX: (maxX - minX) / rect.width,
                spanY: (maxY - minY) / rect.height};
    }""")
    assert figures["label"] >= 12  # department labels readable on screen
    assert max(figures["spanX"], figures["spanY"]) >= 0.7  # the network fills the canvas
    assert not errors


def test_map_tools_work_from_the_keyboard(browser, live_office):
    base, _ids = live_office
    page, errors = _logged_in(browser, base, 1366)
    page.goto(f"{base}/network/")
    page.wait_for_selector("#network-map[data-state=ready]", timeout=15_000)
    page.focus("#map-search")
    page.keyboard.type("Amt Nummer 3")
    page.keyboard.press("Enter")
    assert "Amt Nummer 3 hervorgehoben" in page.text_content("#map-status")
    page.focus("#map-period")
    assert page.get_attribute("#map-period", "aria-valuetext") == "gesamter Ausschnitt"
    visible = ("() => document.getElementById('network-map').visData.edges"
               ".get({filter: e => !e.hidden}).length")
    everything = page.evaluate(visible)
    page.keyboard.press("Home")  # the first quarter
    assert page.get_attribute("#map-period", "aria-valuetext") == "Q1 2025"
    assert page.evaluate(visible) < everything
    assert re.match(r"Q1 2025: \d+ Verbindungen", page.text_content("#map-status"))
    positions = ("() => JSON.stringify("
                 "document.getElementById('network-map').visNetwork.getPositions())")
    before = page.evaluate(positions)
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("#map-period", "aria-valuetext") == "Q2 2025"
    assert page.evaluate(positions) == before  # same places in every quarter
    page.keyboard.press("End")
    assert page.evaluate(visible) == everything
    page.check("#map-silos")
    assert "Silos gezeigt" in page.text_content("#map-status")
    page.click("text=Zu den isolierten Ressorts")
    assert "Einsames Amt" in page.text_content("#map-status")
    assert not errors


@pytest.mark.parametrize("width", [1366, 390])
def test_no_page_is_wider_than_the_window(browser, live_office, width):
    base, ids = live_office
    page, errors = _logged_in(browser, base, width)
    for path in (*PAGES, f"/stakeholders/{ids['first']}", f"/network/ego/{ids['first']}"):
        page.goto(f"{base}{path}")
        scroll, inner = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, (path, scroll, inner)
    assert not errors


def test_report_prints_on_one_a4_page(browser, live_office, tmp_path):
    base, _ids = live_office
    page, _errors = _logged_in(browser, base, 1366)
    page.goto(f"{base}/report")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.set_viewport_size({"width": 703, "height": 1000})  # A4 minus the margins
    smallest = page.evaluate("""() => {
        let min = 99;
        document.querySelectorAll('.report *').forEach(e => {
            if (!e.getClientRects().length) return;
            const style = getComputedStyle(e);
            if (style.display === 'none' || style.visibility === 'hidden') return;
            if (e.classList.contains('visually-hidden') || e.closest('.visually-hidden')) return;
            const text = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (!text) return;
            let px = parseFloat(style.fontSize);
            const svg = e.closest('svg');
            if (svg) { px *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; }
            min = Math.min(min, px);
        });
        return min * 0.75;  // CSS px → pt
    }""")
    assert smallest >= 6.95
    assert page.locator(".report figure.chart").count() == 3


@pytest.mark.skipif(_axe_script() is None,
                    reason="axe-core not found (npm install axe-core, or set AXE_CORE_JS)")
def test_axe_finds_no_serious_violations(browser, live_office):
    base, ids = live_office
    page, _errors = _logged_in(browser, base, 1366)
    axe = _axe_script().read_text()
    for path in (*PAGES, f"/stakeholders/{ids['first']}"):
        page.goto(f"{base}{path}")
        page.evaluate(axe)  # CDP evaluation: the app's CSP (no inline script) stays on
        violations = page.evaluate(
            "axe.run().then(r => r.violations.filter(v => ['serious', 'critical']"
            ".includes(v.impact)).map(v => v.id + ': ' + v.nodes.length))")
        assert violations == [], (path, violations)
