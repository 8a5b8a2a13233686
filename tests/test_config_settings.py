"""Every documented setting (README, Konfiguration) read from the environment is parsed to its
type, and a bad value stops the start with a message naming the setting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest import PASSWORD, TEST_SECRET, make_user
from coordinator import create_app
from coordinator.config_types import ConfigError
from coordinator.extensions import db
from coordinator.models import Role


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment with a real secret and a database of its own."""
    import os

    for name in list(os.environ):
        if name.startswith("FLASK_") or name in ("DATABASE_URL", "REDIS_URL"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("FLASK_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    return monkeypatch


@pytest.mark.parametrize(
    ("name", "raw", "key", "expected"),
    [
        ("FLASK_SECRET_KEY", "1234567890" * 4, "SECRET_KEY", "1234567890" * 4),
        ("DATABASE_URL", "postgresql+psycopg://u@h/db", "SQLALCHEMY_DATABASE_URI",
         "postgresql+psycopg://u@h/db"),
        ("REDIS_URL", "redis://127.0.0.1:6379/14", "REDIS_URL", "redis://127.0.0.1:6379/14"),
        ("FLASK_SESSION_COOKIE_SECURE", "true", "SESSION_COOKIE_SECURE", True),
        ("FLASK_SESSION_COOKIE_SECURE", "False", "SESSION_COOKIE_SECURE", False),
        ("FLASK_SESSION_COOKIE_SECURE", "1", "SESSION_COOKIE_SECURE", True),
        ("FLASK_HSTS", "yes", "HSTS", True),
        ("FLASK_HSTS", "off", "HSTS", False),
        ("FLASK_PROXY_FIX_X_FOR", "1", "PROXY_FIX_X_FOR", 1),
        ("FLASK_PROXY_FIX_X_PROTO", "0", "PROXY_FIX_X_PROTO", 0),
        ("FLASK_LOGIN_RATE_LIMIT", "5 per 10 minutes", "LOGIN_RATE_LIMIT", "5 per 10 minutes"),
        ("FLASK_SESSION_IDLE_TIMEOUT", "900", "SESSION_IDLE_TIMEOUT", timedelta(seconds=900)),
        ("FLASK_SESSION_IDLE_TIMEOUT", "15m", "SESSION_IDLE_TIMEOUT", timedelta(minutes=15)),
        ("FLASK_SESSION_ABSOLUTE_LIFETIME", "36000", "SESSION_ABSOLUTE_LIFETIME",
         timedelta(hours=10)),
        ("FLASK_SESSION_ABSOLUTE_LIFETIME", "8 hours", "SESSION_ABSOLUTE_LIFETIME",
         timedelta(hours=8)),
        ("FLASK_PER_PAGE", "50", "PER_PAGE", 50),
        ("FLASK_MAX_CONTENT_LENGTH", "1048576", "MAX_CONTENT_LENGTH", 1048576),
        ("FLASK_SESSION_COOKIE_SAMESITE", "Strict", "SESSION_COOKIE_SAMESITE", "Strict"),
    ],
)
def test_each_documented_setting_is_parsed_to_its_type(env, name, raw, key, expected):
    env.setenv(name, raw)
    app = create_app()
    assert app.config[key] == expected
    assert type(app.config[key]) is type(expected)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("FLASK_SESSION_IDLE_TIMEOUT", "eine Stunde"),
        ("FLASK_SESSION_IDLE_TIMEOUT", "0"),
        ("FLASK_SESSION_ABSOLUTE_LIFETIME", "10 parsecs"),
        ("FLASK_SESSION_COOKIE_SECURE", "vielleicht"),
        ("FLASK_HSTS", "2"),
        ("FLASK_PROXY_FIX_X_FOR", "eins"),
        ("FLASK_PROXY_FIX_X_FOR", "-1"),
        ("FLASK_PER_PAGE", "0"),
        ("FLASK_LOGIN_RATE_LIMIT", "zehn pro Minute"),
        ("FLASK_SESSION_COOKIE_SAMESITE", "lax-ish"),
        ("DATABASE_URL", "keine url"),
        ("REDIS_URL", "127.0.0.1:6379"),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_setting(env, name, raw):
    env.setenv(name, raw)
    with pytest.raises(ConfigError, match=name):
        create_app()


def test_bad_value_in_instance_config_is_refused_too(env, tmp_path):
    from coordinator.config import DefaultConfig
    from coordinator.config_types import apply_types

    config = {"SESSION_IDLE_TIMEOUT": "später"}
    with pytest.raises(ConfigError, match="SESSION_IDLE_TIMEOUT"):
        apply_types(config, DefaultConfig, environ={})
    config = {"SESSION_IDLE_TIMEOUT": 900}
    apply_types(config, DefaultConfig, environ={})
    assert config["SESSION_IDLE_TIMEOUT"] == timedelta(seconds=900)


def test_idle_timeout_in_seconds_from_the_environment_lets_users_log_in(env, backend, tmp_path):
    """FLASK_SESSION_IDLE_TIMEOUT=900 once made every login a 500 (datetime + int)."""
    env.setenv("DATABASE_URL", backend.database_for_test(tmp_path))
    env.setenv("FLASK_SESSION_IDLE_TIMEOUT", "900")
    env.setenv("FLASK_SESSION_ABSOLUTE_LIFETIME", "3600")
    env.setenv("FLASK_TESTING", "true")
    env.setenv("FLASK_WTF_CSRF_ENABLED", "false")
    env.setenv("FLASK_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    app = create_app()
    try:
        with app.app_context():
            make_user("env@example.org", Role.ADMIN)
        client = app.test_client()
        response = client.post(
            "/login", data={"email": "env@example.org", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert client.get("/").status_code == 200
    finally:
        backend.reset(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
