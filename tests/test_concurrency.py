"""Many people logging activities at the same moment (reliability check R2).

The real app runs in werkzeug's threaded server; 16 browsers, each logged in as a coordinator
over its own keep-alive connection with its own cookies, submit 100 activities each through
the web form. Every submission must be answered with the redirect to the new activity and
every activity must be stored: no "database is locked", no lost writes, no 5xx.

The database is the one the fixtures choose: a SQLite file by default, PostgreSQL when
COORDINATOR_TEST_DATABASE_URL is set. CSRF is off here (as in the other fixtures' apps); the
token check is covered in test_activities.
"""

from __future__ import annotations

import http.client
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from conftest import PASSWORD, field, make_stakeholder, make_user
from coordinator.activities.models import participation
from coordinator.extensions import db
from coordinator.models import JointActivity, Role, StakeholderKind

WRITERS = 16
ACTIVITIES_PER_WRITER = 100
NEW_ACTIVITY_LOCATION = re.compile(r"^/activities/\d+$")

pytestmark = pytest.mark.slow


class QuietRequestHandler(WSGIRequestHandler):
    """No access-log line per request (1,600 of them would only bury real output)."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class Browser:
    """One user's browser: a keep-alive connection and a cookie jar, redirects not followed
    (the test wants to see each response itself)."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def post(self, path: str, form: dict) -> tuple[int, str]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request("POST", path, body=urlencode(form, doseq=True),
                                headers=headers)
        response = self.connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location") or ""

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join()


def log_activities(port: int, email: str, form: dict, writer: int) -> list[tuple[int, str]]:
    """Log in, then submit ``ACTIVITIES_PER_WRITER`` activities; returns every answer."""
    browser = Browser(port)
    try:
        answers = [browser.post("/login", {"email": email, "password": PASSWORD})]
        for number in range(ACTIVITIES_PER_WRITER):
            answers.append(browser.post(
                "/activities/new", {**form, "title": f"Schreiber {writer} – Nr. {number}"}
            ))
        return answers
    finally:
        browser.close()


def test_parallel_writers_lose_nothing(app, live_server):
    jugendamt = make_stakeholder("Jugendamt")
    verein = make_stakeholder("Verein Brücke", StakeholderKind.GROUP)
    emails = [
        make_user(f"koordination{n}@example.org", Role.COORDINATOR).email
        for n in range(WRITERS)
    ]
    form = {
        "date": date.today().isoformat(),
        "kind": "meeting",
        "participants": [jugendamt.id, verein.id],
        "fields": [field("sprache").id],
    }
    db.session.remove()  # the test's own connection must not hold anything while they write

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [
            pool.submit(log_activities, live_server, email, form, writer)
            for writer, email in enumerate(emails)
        ]
        answers = [future.result() for future in futures]

    logins = [writer_answers[0] for writer_answers in answers]
    submissions = [answer for writer_answers in answers for answer in writer_answers[1:]]
    assert logins == [(302, "/")] * WRITERS
    assert len(submissions) == WRITERS * ACTIVITIES_PER_WRITER
    unexpected = [a for a in submissions if a[0] != 302 or not NEW_ACTIVITY_LOCATION.match(a[1])]
    assert unexpected == []
    assert len({location for _status, location in submissions}) == len(submissions)

    total = WRITERS * ACTIVITIES_PER_WRITER
    assert db.session.scalar(select(func.count()).select_from(JointActivity)) == total
    assert db.session.scalar(select(func.count()).select_from(participation)) == 2 * total
    assert db.session.scalar(select(func.count(func.distinct(JointActivity.title)))) == total
