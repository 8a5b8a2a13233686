"""Every route × every role, from the table in ``route_matrix.py``."""

import pytest

from coordinator.access import allowed_roles_for
from coordinator.models import Role
from route_matrix import API_ROUTES, PUBLIC, ROUTES, fill_url

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def test_every_route_has_a_row(app):
    """Fails when a route exists that the table does not mention (add a row for it)."""
    listed = {(endpoint, method) for endpoint, method, _url, _roles in ROUTES + API_ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - IGNORED_METHODS):
            if (rule.endpoint, method) not in listed:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without a row in tests/route_matrix.py: " + ", ".join(missing)


def test_table_matches_declared_roles(app):
    """The table and the decorators agree (record-level rows may only narrow, never widen)."""
    for endpoint, _method, _url, roles in ROUTES + API_ROUTES:
        declared = allowed_roles_for(endpoint)
        if roles is PUBLIC:
            assert declared is None, endpoint
        else:
            assert declared is not None and roles <= declared, endpoint


@pytest.mark.parametrize(
    ("endpoint", "method", "url", "allowed"),
    ROUTES,
    ids=[f"{m} {u}" for _e, m, u, _r in ROUTES],
)
def test_route_for_every_role(client, auth, world, endpoint, method, url, allowed):
    target = fill_url(url, world)
    anonymous = client.open(target, method=method)
    assert anonymous.status_code < 500
    if allowed is PUBLIC:
        assert anonymous.status_code != 403
    else:
        assert anonymous.status_code == 302
        assert "/login" in anonymous.headers["Location"]

    for role in Role:
        if endpoint == "auth.login":
            continue  # logged-in users are simply sent on; covered in test_auth
        response_login = auth.login_as(world, role)
        assert response_login.status_code == 302
        response = client.open(target, method=method)
        assert response.status_code < 500, (role, response.status_code)
        if allowed is PUBLIC or role in allowed:
            assert response.status_code != 403, f"{role} should be allowed {method} {target}"
        else:
            assert response.status_code == 403, f"{role} must get 403 for {method} {target}"
        client.post("/logout")


@pytest.mark.parametrize(
    ("endpoint", "method", "url", "allowed"),
    API_ROUTES,
    ids=[f"{m} {u}" for _e, m, u, _r in API_ROUTES],
)
def test_api_route_for_every_role(client, auth, world, endpoint, method, url, allowed):
    """The API answers bearer tokens only: 401 without one (even when logged in with a
    cookie), 403 for a role not allowed, and never a redirect to the login page."""
    from coordinator.api.tokens import create_token
    from coordinator.extensions import db

    target = fill_url(url, world)
    assert client.open(target, method=method).status_code == 401
    for role in Role:
        auth.login_as(world, role)
        assert client.open(target, method=method).status_code == 401, role
        client.post("/logout")
        _token, text = create_token(world["users"][role], "Matrix", 30)
        db.session.commit()
        response = client.open(target, method=method,
                               headers={"Authorization": f"Bearer {text}"})
        assert response.status_code < 500, (role, response.status_code)
        if role in allowed:
            assert response.status_code == 200, (role, response.status_code)
        else:
            assert response.status_code == 403, (role, response.status_code)
