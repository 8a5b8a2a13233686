"""The leadership report printed by headless Chromium on A4 takes at most two pages (demo
Landkreis). Skipped, saying so, without playwright or Chromium – like test_map_browser."""

from __future__ import annotations

import re
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from coordinator.extensions import db

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e .[test])"
)
CHROMIUM = next(
    (path for path in (shutil.which("chromium"), shutil.which("chromium-browser")) if path), None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)
MAX_PAGES = 2


def pdf_page_count(data: bytes) -> int:
    """The /Count of the PDF's page tree (Chromium writes it uncompressed)."""
    match = re.search(rb"/Type\s*/Pages[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages",
                      data)
    assert match, "no page tree in the PDF"
    return int(match.group(1) or match.group(2))


@pytest.fixture
def live_demo(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_report_prints_on_at_most_two_a4_pages(live_demo):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(locale="de-DE")
        page.goto(live_demo + "/login")
        page.fill("input[name=email]", "leitung@lindenau.example")
        page.fill("input[name=password]", "Lindenau-Demo-Ueberblick-2026")
        page.click("main button[type=submit]")
        page.goto(live_demo + "/success/report")
        assert "Wahrgenommene und erfasste Zusammenarbeit" in page.content()
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4")
        browser.close()
    assert 1 <= pdf_page_count(pdf) <= MAX_PAGES
