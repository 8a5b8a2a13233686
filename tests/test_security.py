"""Headers, CSRF, error pages, configuration guards (ASVS items 14–28 of the checklist)."""

import re

import pytest

from conftest import PASSWORD, TEST_SECRET, make_user
from coordinator import create_app
from coordinator.access import ALL_ROLES, roles
from coordinator.config import DEV_SECRET_KEY
from coordinator.models import Role


def test_security_headers_on_every_response(client, auth, world):
    for response in (client.get("/login"), client.get("/does-not-exist")):
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "object-src 'none'" in csp
        assert "base-uri 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "charset=utf-8" in headers["Content-Type"]


def test_authenticated_pages_are_not_cached(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_hsts_only_when_configured(app_factory):
    assert "Strict-Transport-Security" not in app_factory().test_client().get("/login").headers
    hsts = app_factory(HSTS=True).test_client().get("/login").headers
    assert hsts["Strict-Transport-Security"].startswith("max-age=")


def test_no_inline_script_or_external_resources(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    page = client.get("/").get_data(as_text=True)
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=\"/static/" in tag or 'type="application/json"' in tag, tag
    assert "http://" not in page.replace("http://127.0.0.1", "")
    assert "https://" not in page
    assert " style=" not in page


# --- CSRF with protection switched on ---------------------------------------------------


@pytest.fixture
def csrf_app(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("csrf@example.org", Role.ADMIN)
    return app


def _token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_login_without_csrf_token_is_rejected(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "csrf@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Sicherheitsprüfung" in response.get_data(as_text=True)


def test_login_with_csrf_token_works_and_logout_needs_one(csrf_app):
    client = csrf_app.test_client()
    token = _token(client, "/login")
    response = client.post(
        "/login", data={"email": "csrf@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still logged in
    token = _token(client, "/account/password")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_state_changing_admin_post_without_token_is_rejected(csrf_app):
    client = csrf_app.test_client()
    token = _token(client, "/login")
    client.post(
        "/login", data={"email": "csrf@example.org", "password": PASSWORD, "csrf_token": token}
    )
    response = client.post(
        "/admin/users/new",
        data={"email": "neu@example.org", "role": "admin", "department_id": "0",
              "new_password": "Ein langes neues Passwort", "confirm_password":
              "Ein langes neues Passwort"},
    )
    assert response.status_code == 400
    assert "neu@example.org" not in client.get("/admin/users/").get_data(as_text=True)


def test_language_switch_needs_csrf_token(csrf_app):
    client = csrf_app.test_client()
    assert client.post("/language", data={"language": "en"}).status_code == 400
    token = _token(client, "/login")
    client.post("/language", data={"language": "en", "csrf_token": token})
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


# --- errors -----------------------------------------------------------------------------


def test_404_and_405_are_german_pages_without_internals(client):
    missing = client.get("/gibt-es-nicht")
    assert missing.status_code == 404
    text = missing.get_data(as_text=True)
    assert "Seite nicht gefunden" in text
    assert "Werkzeug" not in text and "Traceback" not in text
    wrong_method = client.delete("/login")
    assert wrong_method.status_code == 405
    assert "Methode nicht erlaubt" in wrong_method.get_data(as_text=True)


def test_405_names_the_allowed_methods(client):
    response = client.delete("/login")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_unexpected_exception_gives_german_500_page(app, client, auth, world):
    @roles(ALL_ROLES)
    def explode():
        raise RuntimeError("secret internals")

    app.view_functions["dashboard.index"] = explode
    auth.login_as(world, Role.ADMIN)
    response = client.get("/")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Interner Fehler" in text
    assert "secret internals" not in text and "Traceback" not in text


def test_oversized_upload_gives_413(app, client, auth, world):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    auth.login_as(world, Role.ADMIN)
    response = client.post("/account/password", data={"current_password": "x" * 4096})
    assert response.status_code == 413
    assert "Datei zu groß" in response.get_data(as_text=True)


def test_forbidden_page_is_german(client, auth, world):
    auth.login_as(world, Role.LEADERSHIP)
    response = client.get("/admin/users/")
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.get_data(as_text=True)


# --- configuration ----------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, DEV_SECRET_KEY, "short"])
def test_refuses_to_start_without_real_secret_outside_debug(tmp_path, secret):
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    if secret is not None:
        config["SECRET_KEY"] = secret
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_starts_with_real_secret(tmp_path):
    app = create_app(
        {"SECRET_KEY": TEST_SECRET, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    )
    assert not app.testing


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("FLASK_PER_PAGE", "7")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert app.config["PER_PAGE"] == 7
    assert app.config["SECRET_KEY"] == TEST_SECRET


def test_sqlite_default_lives_in_instance_folder(monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", TEST_SECRET)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/coordinator.db")


def test_sqlite_pragmas_are_set_per_connection(app):
    from sqlalchemy import text

    from coordinator.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000


def test_ids_beyond_the_database_range_are_404(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    for url in ("/stakeholders/99999999999999999999", "/activities/2147483648",
                "/admin/users/99999999999/edit"):
        assert client.get(url).status_code == 404, url


def test_nul_bytes_are_a_clean_400(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    assert client.get("/stakeholders/?q=a%00b").status_code == 400
    response = client.post("/account/password", data={"current_password": "x\x00y"})
    assert response.status_code == 400
    assert "unzulässige Steuerzeichen" in response.get_data(as_text=True)
