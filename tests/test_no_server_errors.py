"""No request ends in a 500: every GET route with hostile or nonsensical query arguments."""

import pytest

from coordinator.models import Role
from route_matrix import ROUTES, fill_url

HOSTILE_QUERIES = [
    "page=-1&per_page=0",
    "page=99999999999999999999",
    "page=abc&sort=%3Cscript%3E",
    "since=2026-13-45&until=gestern",
    "since=2026-05-01&until=2026-01-01",
    "kind=%3Cscript%3Ealert(1)%3C/script%3E&field=gibtsnicht&kinds=alien",
    "participant=abc&participant=99999999999999999999",
    "q=%00%01%02&status=weird",
    "q=" + "x" * 5000,
    "field=%27%3B%20DROP%20TABLE%20stakeholder%3B--",
]
GET_ROUTES = sorted({url for _e, method, url, _r in ROUTES if method == "GET"})


@pytest.mark.parametrize("url", GET_ROUTES)
def test_get_routes_survive_hostile_queries(client, auth, world, url):
    target = fill_url(url, world)
    for role in (Role.ADMIN, Role.STAFF):
        auth.login_as(world, role)
        for query in HOSTILE_QUERIES:
            response = client.get(f"{target}?{query}")
            assert response.status_code < 500, (role, query, response.status_code)
        client.post("/logout")
