"""Security logging in production: one structured line per event on stderr (timestamp, level,
event, user id, address), never an e-mail address, password, token or search term; the login
throttle stores and logs no e-mail address in clear text."""

from __future__ import annotations

import logging
import re
import sys

import pytest

from conftest import PASSWORD, make_user
from coordinator import create_app
from coordinator.logging_config import EventFormatter, strip_query_strings
from coordinator.models import Role

LINE = re.compile(
    r"^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=(?P<level>[A-Z]+) logger=\S+ "
    r"user=(?P<user>\S+) address=(?P<address>\S+) event=(?P<event>\S+)"
)
REDIS_URL = "redis://127.0.0.1:6379/9"  # this helper's Redis database


def stderr_events(capsys) -> list[dict]:
    lines = capsys.readouterr().err.splitlines()
    return [match.groupdict() | {"line": line} for line in lines if (match := LINE.match(line))]


def test_login_events_reach_stderr_with_timestamp_user_and_address(client, auth, world,
                                                                   capsys):
    staff = world["users"][Role.STAFF]
    capsys.readouterr()
    auth.login(staff.email, "falsch-falsch-1")
    auth.login(staff.email)
    auth.logout()
    events = stderr_events(capsys)
    by_event = {e["event"]: e for e in events}
    failed, ok, logout = by_event["login_failed"], by_event["login_ok"], by_event["logout"]
    assert failed["level"] == "WARNING" and failed["user"] == "-"
    assert failed["address"] == "127.0.0.1" and f"account={staff.id}" in failed["line"]
    assert ok["level"] == "INFO" and ok["user"] == str(staff.id)
    assert logout["user"] == str(staff.id)
    text = "\n".join(e["line"] for e in events)
    assert "@" not in text and "falsch-falsch-1" not in text and PASSWORD not in text


def test_forbidden_and_admin_events(client, auth, world, capsys):
    auth.login_as(world, Role.LEADERSHIP)
    client.get("/admin/users/")
    forbidden = [e for e in stderr_events(capsys) if e["event"] == "forbidden"]
    assert forbidden and forbidden[0]["user"] == str(world["users"][Role.LEADERSHIP].id)
    assert "endpoint=users.index" in forbidden[0]["line"]


def test_search_terms_and_import_file_names_are_not_logged(client, auth, world, capsys):
    auth.login_as(world, Role.COORDINATOR)
    client.get("/stakeholders/?q=Yilmaz")
    client.get("/activities/?q=Yilmaz")
    assert "Yilmaz" not in capsys.readouterr().err


def test_every_record_is_one_line_and_e_mail_addresses_are_redacted():
    try:
        raise ValueError("duplicate key (email)=(geheim@example.org)")
    except ValueError:
        record = logging.LogRecord("coordinator", logging.ERROR, __file__, 1,
                                   "failed for %s", ("x.y@amt.example.de",), sys.exc_info())
    line = EventFormatter().format(record)
    assert "\n" not in line
    assert "example.org" not in line and "amt.example.de" not in line
    assert "[email]" in line and "event=message" in line


def test_development_server_request_lines_lose_the_query_string():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - [x] "%s" %s %s',
                               ("127.0.0.1", "GET /stakeholders/?q=Yilmaz HTTP/1.1", "200", "-"),
                               None)
    assert strip_query_strings(record)
    assert "Yilmaz" not in record.getMessage()
    assert "GET /stakeholders/?… HTTP/1.1" in record.getMessage()


def test_log_level_setting(backend, tmp_path):
    from conftest import base_config

    config = base_config(backend.database_for_test(tmp_path))
    create_app({**config, "LOG_LEVEL": "warning"})
    assert logging.getLogger("coordinator").level == logging.WARNING
    with pytest.raises(RuntimeError, match="LOG_LEVEL"):
        create_app({**config, "LOG_LEVEL": "laut"})
    create_app(config)
    assert logging.getLogger("coordinator").level == logging.INFO


@pytest.mark.parametrize(("name", "raw", "key", "expected"), [
    ("FLASK_LOG_LEVEL", "warning", "LOG_LEVEL", "WARNING"),
    ("FLASK_AUDIT_RETENTION_MONTHS", "36", "AUDIT_RETENTION_MONTHS", 36),
])
def test_settings_from_the_environment(monkeypatch, tmp_path, name, raw, key, expected):
    from conftest import TEST_SECRET

    monkeypatch.setenv("FLASK_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv(name, raw)
    assert create_app().config[key] == expected


@pytest.mark.parametrize(("name", "raw"), [
    ("FLASK_LOG_LEVEL", "laut"), ("FLASK_AUDIT_RETENTION_MONTHS", "0"),
    ("FLASK_AUDIT_RETENTION_MONTHS", "zwei Jahre"),
])
def test_bad_settings_stop_the_start_naming_them(monkeypatch, tmp_path, name, raw):
    from conftest import TEST_SECRET

    monkeypatch.setenv("FLASK_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv(name, raw)
    with pytest.raises(RuntimeError, match=name):
        create_app()


def _throttle_until_blocked(app, email: str) -> None:
    with app.app_context():
        make_user(email, Role.COORDINATOR)
    client = app.test_client()
    for _ in range(2):
        assert client.post("/login", data={"email": email, "password": "x" * 12}).status_code == 401
    assert client.post("/login", data={"email": email, "password": "x" * 12}).status_code == 429


def test_throttle_keys_and_log_hold_no_e_mail_address(app_factory, capsys):
    app = app_factory(LOGIN_RATE_LIMIT="2 per 15 minutes")
    capsys.readouterr()
    _throttle_until_blocked(app, "gedrosselt@example.org")
    storage = app.extensions["limiter"]
    storage = (next(iter(storage)) if isinstance(storage, set) else storage).storage
    keys = [*storage.storage, *storage.events]  # fixed and moving windows
    assert any("login" in key for key in keys)
    assert all("gedrosselt" not in key and "example.org" not in key for key in keys)
    err = capsys.readouterr().err
    assert "event=login_throttled" in err  # the refusal reaches stderr …
    assert "gedrosselt" not in err and "example.org" not in err  # … without the address


def test_throttle_keys_in_redis_hold_no_e_mail_address(app_factory):
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    try:
        app = app_factory(LOGIN_RATE_LIMIT="2 per 15 minutes", RATELIMIT_STORAGE_URI=REDIS_URL)
        _throttle_until_blocked(app, "redis-konto@example.org")
        keys = [key.decode() for key in server.keys("*")]
        assert any("login:" in key for key in keys)
        assert not any("redis-konto" in key or "example.org" in key for key in keys)
    finally:
        server.flushdb()


def test_cli_commands_keep_their_output_free_of_info_lines(app, capsys):
    logging.getLogger("coordinator.imports").info("counts")
    logging.getLogger("coordinator.imports").warning("careful")
    logging.getLogger("coordinator.security").info("%s", "event=user_created",
                                                   extra={"structured": True})
    err = capsys.readouterr().err
    assert "counts" not in err
    assert "careful" in err and "address=cli event=user_created" in err
