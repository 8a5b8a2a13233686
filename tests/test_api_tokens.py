"""Personal access tokens: created on the token page (shown once, hashed at rest), revocable,
expiring, CSRF-protected; a token opens the API and nothing else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import PASSWORD, make_user
from coordinator.api.models import ApiToken
from coordinator.auth.models import hash_token
from coordinator.extensions import db
from coordinator.models import Role

TOKEN_IN_PAGE = re.compile(r'id="new-token"[^>]*value="(coord_[A-Za-z0-9_-]+)"')


def _create(client, name="Quartalsbericht", lifetime="90"):
    response = client.post("/account/api-tokens/", data={"name": name, "lifetime": lifetime})
    match = TOKEN_IN_PAGE.search(response.get_data(as_text=True))
    return response, match.group(1) if match else None


def _bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}


def test_token_is_shown_once_and_stored_only_as_hash(client, auth, world):
    auth.login_as(world, Role.STAFF)
    response, text = _create(client)
    assert response.status_code == 200 and text
    row = db.session.scalars(select(ApiToken)).one()
    assert row.token_hash == hash_token(text) and text not in (row.prefix, row.token_hash)
    assert row.user_id == world["users"][Role.STAFF].id
    assert row.expires_at - row.created_at == timedelta(days=90)
    listing = client.get("/account/api-tokens/").get_data(as_text=True)
    assert text not in listing and "Quartalsbericht" in listing and row.prefix in listing
    assert client.get("/api/v1/stakeholders", headers=_bearer(text)).status_code == 200


def test_invalid_lifetime_or_empty_name_creates_nothing(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    assert _create(client, lifetime="9999")[0].status_code == 400
    response, text = _create(client, name="   ")
    assert response.status_code == 400 and text is None
    assert "Bitte geben Sie eine Bezeichnung an." in response.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).all() == []


def test_revoked_and_expired_tokens_are_refused(client, auth, world):
    auth.login_as(world, Role.LEADERSHIP)
    _response, revoked = _create(client, "alt")
    _response, expired = _create(client, "abgelaufen")
    row = db.session.scalars(select(ApiToken).where(ApiToken.name == "alt")).one()
    response = client.post(f"/account/api-tokens/{row.id}/revoke")
    assert response.status_code == 302
    assert db.session.get(ApiToken, row.id).revoked_at is not None
    old = db.session.scalars(select(ApiToken).where(ApiToken.name == "abgelaufen")).one()
    old.expires_at = old.created_at - timedelta(seconds=1)
    db.session.commit()
    for text in (revoked, expired, "coord_guessed", revoked + "x"):
        response = client.get("/api/v1/trend", headers=_bearer(text))
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_deactivated_users_tokens_stop_working(client, auth, world):
    auth.login_as(world, Role.STAFF)
    _response, text = _create(client)
    world["users"][Role.STAFF].active = False
    db.session.commit()
    assert client.get("/api/v1/stakeholders", headers=_bearer(text)).status_code == 401


def test_nobody_revokes_someone_elses_token(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    _response, text = _create(client, "Admin-Skript")
    row = db.session.scalars(select(ApiToken)).one()
    client.post("/logout")
    auth.login_as(world, Role.COORDINATOR)
    assert client.post(f"/account/api-tokens/{row.id}/revoke").status_code == 404
    assert "Admin-Skript" not in client.get("/account/api-tokens/").get_data(as_text=True)
    assert db.session.get(ApiToken, row.id).revoked_at is None
    assert client.get("/api/v1/trend", headers=_bearer(text)).status_code == 200


def test_token_opens_the_api_only_not_the_web_pages(client, world):
    from coordinator.api.tokens import create_token

    _row, text = create_token(world["users"][Role.ADMIN], "nur API", 30)
    db.session.commit()
    response = client.get("/stakeholders/", headers=_bearer(text))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/api/v1/stakeholders", headers=_bearer(text)).status_code == 200


def test_last_use_is_noted(client, world):
    from coordinator.api.tokens import create_token

    row, text = create_token(world["users"][Role.STAFF], "Zähler", 30)
    db.session.commit()
    assert row.last_used_at is None
    client.get("/api/v1/trend", headers=_bearer(text))
    assert db.session.get(ApiToken, row.id).last_used_at is not None


@pytest.fixture
def csrf_app(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("csrf-token@example.org", Role.COORDINATOR)
    return app


def test_token_page_is_csrf_protected(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": "csrf-token@example.org", "password": PASSWORD,
                                "csrf_token": csrf})
    response = client.post("/account/api-tokens/", data={"name": "x", "lifetime": "30"})
    assert response.status_code == 400
    with csrf_app.app_context():
        assert db.session.scalars(select(ApiToken)).all() == []
    page = client.get("/account/api-tokens/").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/account/api-tokens/",
                           data={"name": "x", "lifetime": "30", "csrf_token": csrf})
    assert response.status_code == 200 and TOKEN_IN_PAGE.search(response.get_data(as_text=True))
    # A bearer request needs no CSRF token (and the API has no state-changing method).
    text = TOKEN_IN_PAGE.search(response.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/trend", headers=_bearer(text)).status_code == 200

