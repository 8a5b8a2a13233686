"""Passwords against the shipped breach list and the app's context; the throttle of password
checks: per-account ceiling across addresses, atomic under a parallel burst, client address
from X-Forwarded-For only behind trusted proxies, and the same work on every refusal path."""

from __future__ import annotations

import threading

import pytest

from conftest import PASSWORD, make_user
from coordinator.auth import models as auth_models
from coordinator.auth import throttle
from coordinator.auth.password_list import is_listed, list_size
from coordinator.auth.passwords import password_problems
from coordinator.extensions import db
from coordinator.models import Role

COMMON = "zu verbreitet"


# --- passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["Passwort123!", "Password123!", "P@ssw0rd1234", "qwertz123456", "123412341234",
     "Welcome2024!", "Hallo12345678", "!!Schatzi2025", "Sommer2024!!", "abcabcabcabc"],
)
def test_common_passwords_are_refused(app, password):
    assert any(COMMON in problem for problem in password_problems(password))


def test_the_shipped_list_is_large_and_holds_german_passwords(app):
    assert list_size() >= 100_000
    for german in ("passwort", "hallo123", "schatzi", "ichliebedich", "fussball", "qwertz"):
        assert is_listed(german)
    assert not is_listed("korrekt pferd batterie heftklammer")


@pytest.mark.parametrize("password", ["Coordinator2026!", "Lindenau #2026", "K00rdinator!!"])
def test_the_apps_name_is_no_password(app, password):
    assert any("Namen der Anwendung" in problem or COMMON in problem
               for problem in password_problems(password))


def test_parts_of_the_email_are_no_password(app):
    problems = password_problems("Mustermann#2026", "max.mustermann@example.org")
    assert any("E-Mail-Adresse" in problem for problem in problems)
    assert password_problems("Mustermanns Garten blüht im Mai", "max.mustermann@example.org") == []


def test_change_password_form_refuses_a_common_password(client, auth, world):
    auth.login_as(world, Role.LEADERSHIP)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "Passwort123!",
              "confirm_password": "Passwort123!"},
    )
    assert COMMON in response.get_data(as_text=True)
    assert world["users"][Role.STAFF].check_password(PASSWORD)


def test_current_password_checks_are_throttled(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="3 per 15 minutes")
    with app.app_context():
        make_user("wechsel@example.org", Role.LEADERSHIP)
    client = app.test_client()
    assert client.post("/login", data={"email": "wechsel@example.org",
                                       "password": PASSWORD}).status_code == 302
    new = "Ein ganz neues Passwort 2027"
    for _ in range(3):
        wrong = client.post("/account/password", data={
            "current_password": "falsch geraten", "new_password": new, "confirm_password": new,
        })
        assert "nicht korrekt" in wrong.get_data(as_text=True)
    blocked = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": new, "confirm_password": new,
    })
    assert blocked.status_code == 429
    with app.app_context():
        assert db.session.get(auth_models.User, 1).check_password(PASSWORD)


# --- login throttle ---------------------------------------------------------------------------


def login_from(client, address: str, email: str, password: str = "falsch " * 2, **headers):
    return client.post("/login", data={"email": email, "password": password},
                       environ_overrides={"REMOTE_ADDR": address}, headers=headers)


def test_per_account_ceiling_across_addresses(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="3 per 15 minutes", LOGIN_ACCOUNT_RATE_LIMIT="5 per hour")
    with app.app_context():
        make_user("ziel@example.org", Role.COORDINATOR)
        make_user("andere@example.org", Role.COORDINATOR)
    client = app.test_client()
    for number in range(5):
        assert login_from(client, f"10.0.0.{number}", "ziel@example.org").status_code == 401
    # A sixth address gets no further, not even with the right password …
    assert login_from(client, "10.0.0.99", "ziel@example.org", PASSWORD).status_code == 429
    # … while other accounts are untouched.
    assert login_from(client, "10.0.0.99", "andere@example.org", PASSWORD).status_code == 302


def test_a_successful_login_forgives_the_users_own_mistakes(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="3 per 15 minutes")
    with app.app_context():
        make_user("vertipper@example.org", Role.LEADERSHIP)
    client = app.test_client()
    for _round in range(3):
        for _ in range(2):
            assert login_from(client, "10.0.0.1", "vertipper@example.org").status_code == 401
        ok = login_from(client, "10.0.0.1", "vertipper@example.org", PASSWORD)
        assert ok.status_code == 302
        client.post("/logout")


REDIS_TEST_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(params=["memory://", REDIS_TEST_URL])
def throttle_storage(request):
    """The limiter's storage: in memory (one worker) and in Redis (shared by workers)."""
    if request.param.startswith("redis"):
        redis = pytest.importorskip("redis")
        server = redis.Redis.from_url(request.param)
        try:
            server.ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis server on 127.0.0.1:6379")
        server.flushdb()
        yield request.param
        server.flushdb()
    else:
        yield request.param


def test_a_parallel_burst_gets_no_more_attempts_than_the_limit(app_factory, throttle_storage):
    app = app_factory(LOGIN_RATE_LIMIT="10 per 15 minutes",
                      RATELIMIT_STORAGE_URI=throttle_storage)
    with app.app_context():
        make_user("burst@example.org", Role.LEADERSHIP)
    start = threading.Barrier(40)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt():
        client = app.test_client()
        start.wait()
        status = login_from(client, "10.9.9.9", "burst@example.org").status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(statuses)) == [401, 429]
    assert statuses.count(401) == 10
    assert statuses.count(429) == 30


@pytest.mark.parametrize(
    ("trusted_proxies", "forwarded_for"),
    [
        # Reached directly: rotating X-Forwarded-For does not give an attacker new addresses.
        (0, "10.0.0.{n}"),
        # Behind one proxy the client is the last address the proxy appended; what the client
        # put in front of it is not believed.
        (1, "10.0.0.{n}, 198.51.100.4"),
    ],
)
def test_forwarded_for_is_believed_only_for_trusted_proxies(app_factory, trusted_proxies,
                                                             forwarded_for):
    app = app_factory(LOGIN_RATE_LIMIT="2 per 15 minutes", PROXY_FIX_X_FOR=trusted_proxies)
    with app.app_context():
        make_user("xff@example.org", Role.LEADERSHIP)
    client = app.test_client()
    statuses = [
        login_from(client, "203.0.113.7", "xff@example.org",
                   **{"X-Forwarded-For": forwarded_for.format(n=n)}).status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]
    if trusted_proxies:
        another_client = login_from(client, "203.0.113.7", "xff@example.org", PASSWORD,
                                    **{"X-Forwarded-For": "198.51.100.5"})
        assert another_client.status_code == 302


# --- the same work on every refusal path -----------------------------------------------------


@pytest.fixture
def hash_checks(monkeypatch):
    """Count the password hashes checked (the real check still runs)."""
    calls: list[str] = []
    for module in (auth_models, throttle):
        original = module.check_password_hash

        def counting(stored, password, _original=original):
            calls.append(stored)
            return _original(stored, password)

        monkeypatch.setattr(module, "check_password_hash", counting)
    return calls


@pytest.mark.parametrize(
    ("email", "password", "expected"),
    [
        ("unbekannt@example.org", PASSWORD, 401),
        ("inaktiv@example.org", PASSWORD, 401),
        ("inaktiv@example.org", "falsch falsch", 401),
        ("aktiv@example.org", "falsch falsch", 401),
        ("aktiv@example.org", PASSWORD, 302),
    ],
)
def test_every_login_path_checks_exactly_one_hash(app, client, hash_checks, email, password,
                                                  expected):
    make_user("aktiv@example.org", Role.LEADERSHIP)
    inactive = make_user("inaktiv@example.org", Role.LEADERSHIP)
    inactive.active = False
    db.session.commit()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == expected
    assert len(hash_checks) == 1
