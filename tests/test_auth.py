"""Login, logout, sessions, passwords, throttling (ASVS V2/V3 items of the checklist)."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conftest import PASSWORD, make_user
from coordinator.auth.passwords import password_problems
from coordinator.config import DefaultConfig
from coordinator.extensions import db
from coordinator.models import Role, User, UserSession
from coordinator.timeutil import utcnow


def session_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id)
    )


def test_production_hash_is_pbkdf2_with_600k_iterations(app):
    assert DefaultConfig.PASSWORD_HASH_METHOD == "pbkdf2:sha256:600000"
    app.config["PASSWORD_HASH_METHOD"] = DefaultConfig.PASSWORD_HASH_METHOD
    user = User(email="hash@example.org", role=Role.LEADERSHIP)
    user.set_password(PASSWORD)
    assert user.password_hash.startswith("pbkdf2:sha256:600000$")
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")


def test_login_success_and_landing(client, auth, world):
    response = auth.login_as(world, Role.LEADERSHIP)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_failure_does_not_reveal_whether_account_exists(client, world):
    wrong_password = client.post(
        "/login", data={"email": "admin@example.org", "password": "falsch-falsch-falsch"}
    )
    unknown_user = client.post(
        "/login", data={"email": "niemand@example.org", "password": "falsch-falsch-falsch"}
    )
    assert wrong_password.status_code == unknown_user.status_code == 401
    text_a = wrong_password.get_data(as_text=True)
    text_b = unknown_user.get_data(as_text=True)
    assert "E-Mail-Adresse oder Passwort ist falsch." in text_a
    assert "E-Mail-Adresse oder Passwort ist falsch." in text_b


def test_login_email_is_case_insensitive(client, world):
    response = client.post("/login", data={"email": " ADMIN@Example.org ", "password": PASSWORD})
    assert response.status_code == 302


def test_inactive_user_cannot_log_in(client, world):
    user = world["users"][Role.COORDINATOR]
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


def test_new_session_at_login(client, auth, world):
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    auth.login_as(world, Role.ADMIN)
    with client.session_transaction() as session:
        assert "planted" not in session
    assert session_count(world["users"][Role.ADMIN]) == 1


def test_logout_ends_session_server_side(app, client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    assert client.get("/").status_code == 200
    stolen_cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value

    auth.logout()
    assert session_count(world["users"][Role.COORDINATOR]) == 0

    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen_cookie)
    response = thief.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_logout_requires_post(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_idle_timeout(app, client, auth, world):
    auth.login_as(world, Role.ADMIN)
    with client.session_transaction() as session:
        session["_last_seen"] -= app.config["SESSION_IDLE_TIMEOUT"].total_seconds() + 1
    assert client.get("/").status_code == 302


def test_absolute_lifetime(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    row = db.session.scalars(select(UserSession)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_deactivation_ends_sessions(app, client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    admin = app.test_client()
    admin.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    coordinator = world["users"][Role.COORDINATOR]
    response = admin.post(
        f"/admin/users/{coordinator.id}/edit",
        data={"email": coordinator.email, "role": "coordinator", "department_id": "0"},
    )
    assert response.status_code == 302
    assert session_count(coordinator) == 0
    assert client.get("/").status_code == 302


def test_session_cookie_flags(app, client, auth, world):
    response = auth.login_as(world, Role.ADMIN)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_open_redirect_via_next_is_refused(client, world):
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        response = client.post(
            f"/login?next={evil}", data={"email": "admin@example.org", "password": PASSWORD}
        )
        assert response.headers["Location"] == "/", evil
        client.post("/logout")
    response = client.post(
        "/login?next=/admin/users/", data={"email": "admin@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/admin/users/"


def test_login_required_redirect_keeps_next(client, world):
    response = client.get("/admin/users/")
    assert response.status_code == 302
    assert "next=" in response.headers["Location"]


# --- passwords --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["kurz", "passwort1234", "123456789012", "aaaaaaaaaaaaaa", "abcdefghijklmnop"],
)
def test_weak_passwords_are_refused(app, password):
    assert password_problems(password)


@pytest.mark.parametrize(
    "password",
    [
        "Ein langes Test-Passwort 2026",
        "korrekt pferd batterie heftklammer",
        "x" * 5 + "y" * 3 + "Zz19!" + "ä" * 3,
        "ä" * 2 + "ö" * 2 + "ü" * 2 + "ß" * 2 + "lang genug",
        "w" * 60 + "ordlänge 64",
    ],
)
def test_good_passwords_are_accepted_without_composition_rules(app, password):
    assert password_problems(password) == []


def test_password_must_not_contain_email(app):
    assert password_problems("maxmustermann-geheim", "maxmustermann@example.org")


def test_long_passwords_are_not_truncated(app):
    user = User(email="long@example.org", role=Role.LEADERSHIP)
    long_password = "ein sehr langer satz " * 5
    user.set_password(long_password)
    assert user.check_password(long_password)
    assert not user.check_password(long_password[:-1])


def test_change_password_requires_current_password(client, auth, world):
    auth.login_as(world, Role.STAFF)
    new = "Ein ganz neues Passwort 2027"
    wrong = client.post(
        "/account/password",
        data={"current_password": "falsch", "new_password": new, "confirm_password": new},
    )
    assert wrong.status_code == 200
    assert "Das aktuelle Passwort ist nicht korrekt." in wrong.get_data(as_text=True)
    assert world["users"][Role.STAFF].check_password(PASSWORD)


def test_change_password_ends_other_sessions(app, client, auth, world):
    staff = world["users"][Role.STAFF]
    other_device = app.test_client()
    other_device.post("/login", data={"email": staff.email, "password": PASSWORD})
    auth.login_as(world, Role.STAFF)
    assert session_count(staff) == 2

    new = "Ein ganz neues Passwort 2027"
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 302
    assert staff.check_password(new)
    assert session_count(staff) == 1
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_change_password_refuses_weak_and_mismatched(client, auth, world):
    auth.login_as(world, Role.STAFF)
    weak = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "passwort1234",
              "confirm_password": "passwort1234"},
    )
    assert "zu verbreitet" in weak.get_data(as_text=True)
    mismatch = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "Ein ganz neues Passwort 2027",
              "confirm_password": "Ein anderes Passwort 2027"},
    )
    assert "stimmen nicht überein" in mismatch.get_data(as_text=True)
    assert world["users"][Role.STAFF].check_password(PASSWORD)


# --- throttling -------------------------------------------------------------------------


def test_failed_logins_are_throttled_per_account_and_address(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="3 per 15 minutes")
    with app.app_context():
        make_user("ziel@example.org", Role.COORDINATOR)
        make_user("andere@example.org", Role.COORDINATOR)
    attacker = app.test_client()
    for _ in range(3):
        bad = attacker.post("/login", data={"email": "ziel@example.org", "password": "x" * 12})
        assert bad.status_code == 401
    blocked = attacker.post("/login", data={"email": "ziel@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Zu viele" in blocked.get_data(as_text=True)

    # Another account from the same address is not affected …
    other = attacker.post("/login", data={"email": "andere@example.org", "password": PASSWORD})
    assert other.status_code == 302
    # … nor is the real user at another address (no lock-out by an attacker).
    real_user = app.test_client()
    ok = real_user.post(
        "/login",
        data={"email": "ziel@example.org", "password": PASSWORD},
        environ_overrides={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert ok.status_code == 302


def test_successful_logins_do_not_count(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="2 per 15 minutes")
    with app.app_context():
        make_user("oft@example.org", Role.COORDINATOR)
    client = app.test_client()
    for _ in range(4):
        assert client.post(
            "/login", data={"email": "oft@example.org", "password": PASSWORD}
        ).status_code == 302
        client.post("/logout")


def test_throttle_is_shared_through_redis(app_factory):
    """Two app instances (as two gunicorn workers) share the counters in Redis."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
    settings = {"LOGIN_RATE_LIMIT": "2 per 15 minutes",
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}
    worker_a = app_factory(**settings)
    worker_b = app_factory(**settings)
    with worker_a.app_context():
        make_user("geteilt@example.org", Role.COORDINATOR)
    bad = {"email": "geteilt@example.org", "password": "y" * 12}
    assert worker_a.test_client().post("/login", data=bad).status_code == 401
    assert worker_b.test_client().post("/login", data=bad).status_code == 401
    assert worker_a.test_client().post("/login", data=bad).status_code == 429
    assert worker_b.test_client().post("/login", data=bad).status_code == 429
    redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()


# --- logging ----------------------------------------------------------------------------


def test_security_events_are_logged_without_secrets(client, auth, world, caplog):
    caplog.set_level(logging.INFO, logger="coordinator.security")
    client.post("/login", data={"email": "admin@example.org", "password": "geheim-falsch-123"})
    auth.login_as(world, Role.LEADERSHIP)
    client.get("/admin/users/")
    text = caplog.text
    assert "event=login_failed" in text
    assert "event=login_ok" in text
    assert "forbidden" in text
    assert "geheim-falsch-123" not in text
    assert PASSWORD not in text
    assert "admin@example.org" not in text  # user ids, not e-mail addresses
