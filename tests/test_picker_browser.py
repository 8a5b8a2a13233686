"""The participant picker in headless Chromium, as a staff member uses it from the keyboard:
three partners in under 15 keystrokes besides the text typed (title and the names), with the
type-ahead, the own department already chosen, and today's date filled in. Also the list
filter's type-ahead, and no console errors (a CSP violation is one).

Skipped, saying so, only when playwright or Chromium is missing.
"""

from __future__ import annotations

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
from coordinator.models import JointActivity, Role, StakeholderKind

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e .[test])"
)
pytestmark = needs_chromium
KEYSTROKE_LIMIT = 15


@pytest.fixture
def live_app(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        jugendamt = make_stakeholder("Jugendamt")
        jobcenter = make_stakeholder("Jobcenter")
        make_stakeholder("Jobcenter-Außenstelle Nord")
        make_stakeholder("Interkultureller Verein Sonnenfeld", StakeholderKind.GROUP)
        make_stakeholder("A. Yilmaz", StakeholderKind.INDIVIDUAL, consent_date=date(2026, 1, 1))
        for number in range(300):  # enough that a list of everything would be in the way
            make_stakeholder(f"Verein Nummer {number:03d}", StakeholderKind.GROUP)
        make_activity([jugendamt, jobcenter], date(2026, 3, 4), title="Frühere Besprechung")
        make_user("jugendamt@example.org", Role.STAFF, department=jugendamt)
        db.session.remove()
    with served(app) as base:
        yield app, base


@pytest.fixture
def page(live_app):
    _app, base = live_app
    errors = []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "/login")
        page.fill("input[name=email]", "jugendamt@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.base = base
        yield page
        browser.close()
    assert errors == [], errors


class Keyboard:
    """Counts key presses that are not part of typed text."""

    def __init__(self, page):
        self.page = page
        self.presses = 0

    def press(self, key: str) -> None:
        self.presses += 1
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=20)


def municipal_today(app) -> date:
    from coordinator.activities.forms import local_today

    with app.test_request_context():
        return local_today()


def test_staff_logs_three_partners_in_under_15_keystrokes(live_app, page):
    app, _base = live_app
    page.goto(page.base + "/activities/new")
    assert page.locator(".picker__find").count() == 0  # the type-ahead replaced the button
    today = municipal_today(app)  # the form's "today" is Berlin's, whatever the server's zone
    assert page.input_value("#date") == today.isoformat()  # today is filled in
    page.focus("#title")                  # where typing starts (a click, or Tab from the date)
    keys = Keyboard(page)
    keys.type("Netzwerktreffen Frühjahr")
    keys.press("Tab")                     # → kind
    keys.press("B")                       # Besprechung
    keys.press("Tab")                     # → participant search
    for name in ("Jobc", "Sonnenf", "Yilm"):
        keys.type(name)
        keys.press("Enter")               # take the first suggestion
    keys.press("Enter")                   # empty search box: save (once the last name is in)
    page.wait_for_url(re.compile(r"/activities/\d+$"))
    assert keys.presses < KEYSTROKE_LIMIT, keys.presses
    with app.app_context():
        activity = db.session.scalars(
            select(JointActivity).where(JointActivity.title == "Netzwerktreffen Frühjahr")).one()
        assert sorted(p.name for p in activity.participants) == [
            "A. Yilmaz", "Interkultureller Verein Sonnenfeld", "Jobcenter", "Jugendamt"]
        assert activity.date == today
    print(f"keystrokes besides typed text: {keys.presses}")


def test_suggestions_are_grouped_and_keyboard_operable(page):
    page.goto(page.base + "/activities/new")
    box = page.locator("#participant_search")
    box.focus()
    page.keyboard.press("ArrowDown")  # nothing typed: the department's recent partners
    listbox = page.locator("[role=listbox]")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.locator(".picker__group-label").first.inner_text() == \
        "Zuletzt zusammengearbeitet"
    assert "Jobcenter" in listbox.locator("[role=option]").first.inner_text()
    box.type("Verein")
    listbox.locator("[role=option]").nth(19).wait_for()
    labels = listbox.locator(".picker__group-label").all_inner_texts()
    assert labels == ["zivilgesellschaftliche Gruppen"]
    assert "Weitere Treffer" in listbox.inner_text()
    page.keyboard.press("ArrowDown")
    second = listbox.locator("[role=option]").nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"


def test_list_filter_type_ahead_sets_the_participant(page):
    page.goto(page.base + "/activities/")
    box = page.locator("#participant_name")
    box.type("Jobcenter-A")
    page.locator("[role=option]").first.wait_for()
    page.keyboard.press("Enter")  # choose
    assert box.input_value() == "Jobcenter-Außenstelle Nord"
    page.keyboard.press("Enter")  # send the filter form
    page.wait_for_url("**participant=*")
    assert "Keine Aktivitäten gefunden." in page.content()
