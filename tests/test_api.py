"""The JSON API: pagination, ETag/If-None-Match, individuals' names per role, strict query
arguments with German problem answers, the metrics document against its JSON Schema, and
rate limiting (shared through Redis when configured)."""

from __future__ import annotations

import json
import uuid
from datetime import date

import jsonschema
import pytest

from conftest import make_activity, make_stakeholder
from coordinator.api.openapi import METRICS_SCHEMA_PATH
from coordinator.api.tokens import create_token
from coordinator.extensions import db
from coordinator.models import Role, StakeholderKind
from coordinator.network.data.scope import Scope

REDIS_URL = "redis://127.0.0.1:6379/12"  # this suite's Redis database


def bearer(world: dict, role: Role) -> dict:
    _row, text = create_token(world["users"][role], f"Test {role.value}", 30)
    db.session.commit()
    return {"Authorization": f"Bearer {text}"}


def test_stakeholders_are_paginated_with_links(client, world):
    headers = bearer(world, Role.COORDINATOR)
    first = client.get("/api/v1/stakeholders?per_page=2", headers=headers).get_json()
    assert (first["total"], first["pages"], first["page"], len(first["items"])) == (5, 3, 1, 2)
    assert first["links"]["prev"] is None
    second = client.get(first["links"]["next"], headers=headers).get_json()
    last = client.get("/api/v1/stakeholders?per_page=2&page=3", headers=headers).get_json()
    names = [s["name"] for page in (first, second, last) for s in page["items"]]
    assert names == sorted(names, key=str.casefold) and len(set(names)) == 5
    assert last["links"]["next"] is None
    beyond = client.get("/api/v1/stakeholders?per_page=2&page=9", headers=headers).get_json()
    assert beyond["items"] == [] and beyond["total"] == 5


def test_filters_of_the_lists(client, world):
    headers = bearer(world, Role.STAFF)
    groups = client.get("/api/v1/stakeholders?kind=group", headers=headers).get_json()
    assert [s["name"] for s in groups["items"]] == ["Interkultureller Verein Sonnenfeld"]
    search = client.get("/api/v1/stakeholders?q=JUGEND", headers=headers).get_json()
    assert [s["id"] for s in search["items"]] == [world["jugendamt"].id]
    own = client.get(f"/api/v1/activities?participant={world['jugendamt'].id}",
                     headers=headers).get_json()
    assert [a["title"] for a in own["items"]] == ["Sprachcafé planen"]
    assert own["items"][0]["fields"] == ["sprache"]
    period = client.get("/api/v1/activities?since=2026-02-05&kind=case_conference",
                        headers=headers).get_json()
    assert [a["id"] for a in period["items"]] == [world["foreign_activity"].id]


@pytest.mark.parametrize(
    ("role", "visible"),
    [(Role.ADMIN, True), (Role.COORDINATOR, True), (Role.STAFF, False),
     (Role.LEADERSHIP, False)],
)
def test_individuals_names_follow_the_role(client, world, role, visible):
    person = world["person"]
    make_activity([person, world["jugendamt"]], date(2026, 3, 2), "Elterncafé")
    headers = bearer(world, role)
    detail = client.get(f"/api/v1/stakeholders/{person.id}", headers=headers).get_json()
    everything = json.dumps([
        detail,
        client.get("/api/v1/stakeholders", headers=headers).get_json(),
        client.get("/api/v1/activities", headers=headers).get_json(),
        client.get("/api/v1/ties", headers=headers).get_json(),
        client.get("/api/v1/metrics", headers=headers).get_json(),
    ], ensure_ascii=False)
    assert ("A. Yilmaz" in everything) is visible
    assert ("Elternlotsin" in everything) is visible
    assert detail["name_withheld"] is not visible
    if not visible:
        assert detail["name"] == f"Einzelperson {person.id}"
        assert detail["consent_date"] is None
        assert f"Einzelperson {person.id}" in everything
        search = client.get("/api/v1/stakeholders?q=yilmaz", headers=headers).get_json()
        assert search["total"] == 0  # a search cannot confirm a withheld name


def test_etag_and_if_none_match(client, world):
    headers = bearer(world, Role.LEADERSHIP)
    first = client.get("/api/v1/ties", headers=headers)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    again = client.get("/api/v1/ties", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    make_activity([world["jobcenter"], world["verein"]], date(2026, 3, 5), "Neu")
    changed = client.get("/api/v1/ties", headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["total"] == 3
    assert "Authorization" in changed.headers["Vary"]


@pytest.mark.parametrize(
    "query",
    ["/api/v1/stakeholders?per_page=0", "/api/v1/stakeholders?page=abc",
     "/api/v1/stakeholders?kind=alien", "/api/v1/activities?since=31.12.2026",
     "/api/v1/metrics?field=unbekannt", "/api/v1/ties?since=2026-05-01&until=2026-01-01",
     "/api/v1/trend?kinds=department,aliens", "/api/v1/stakeholders?per_pge=5",
     "/api/v1/activities/1?page=2"],
)
def test_bad_arguments_are_a_german_problem(client, world, query):
    response = client.get(query, headers=bearer(world, Role.STAFF))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400 and body["errors"] and body["detail"]


def test_unknown_entries_and_paths_answer_json(client, world):
    headers = bearer(world, Role.STAFF)
    for path in ("/api/v1/stakeholders/999999", "/api/v1/activities/2147483647",
                 "/api/v1/nothing-here"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.get_json()["status"] == 404
    response = client.post("/api/v1/stakeholders", headers=headers)
    assert response.status_code == 405 and response.get_json()["status"] == 405


def test_metrics_document_validates_against_its_schema(client, world):
    schema = json.loads(METRICS_SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    document = client.get("/api/v1/metrics", headers=bearer(world, Role.ADMIN)).get_json()
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)
    assert document["schema_version"] == "1.0" and "source" not in document
    rows = {row["name"]: row for row in document["stakeholders"]}
    assert rows["Jugendamt"]["degree"] == 1 and rows["Jugendamt"]["kind"] == "department"
    assert rows["Jobcenter"]["community"] == rows["Ausländerbehörde"]["community"]
    assert rows["A. Yilmaz"] == {"id": world["person"].id, "name": "A. Yilmaz",
                                 "kind": "individual", "degree": 0, "betweenness": 0.0,
                                 "community": rows["A. Yilmaz"]["community"]}


def test_trend_marks_the_running_quarter(client, world):
    make_activity([world["jobcenter"], world["jugendamt"]], date.today(), "Heute")
    document = client.get("/api/v1/trend", headers=bearer(world, Role.STAFF)).get_json()
    quarters = document["quarters"]
    assert quarters[-1]["complete"] is False
    assert all(q["complete"] for q in quarters[:-1])
    assert document["scope"]["kinds"] == ["department", "group", "individual"]


def test_rate_limit_per_token(app_factory, world):
    app = app_factory(API_RATE_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        headers = bearer(world, Role.STAFF)
    answers = [client.get("/api/v1/trend", headers=headers).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    response = client.get("/api/v1/trend", headers=headers)
    assert response.mimetype == "application/problem+json"
    assert "Zu viele Anfragen" in response.get_json()["detail"]


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis server on 127.0.0.1:6379")
def test_rate_limit_is_shared_between_workers_through_redis(app_factory, world):
    """Two app instances (as two gunicorn workers) count in the same Redis database."""
    prefix = f"coordinator-test-{uuid.uuid4().hex[:8]}"
    settings = {"API_RATE_LIMIT": "4 per minute", "RATELIMIT_STORAGE_URI": REDIS_URL,
                "RATELIMIT_KEY_PREFIX": prefix}
    first, second = app_factory(**settings), app_factory(**settings)
    with first.app_context():
        headers = bearer(world, Role.STAFF)
    answers = [app.test_client().get("/api/v1/trend", headers=headers).status_code
               for app in (first, second, first, second, first)]
    assert answers == [200, 200, 200, 200, 429]
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    keys = list(connection.scan_iter(f"*{prefix}*"))
    assert keys  # the counts were kept in Redis
    connection.delete(*keys)


def test_api_description_page_lists_every_operation_and_schema(client, auth, world):
    from coordinator.api.openapi import openapi_document

    auth.login_as(world, Role.STAFF)
    page = client.get("/api/v1/").get_data(as_text=True)
    document = openapi_document()
    for path in document["paths"]:
        assert f"/api/v1{path}" in page
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert '<a href="#schema-StakeholderPage">StakeholderPage</a>' in page
    assert '<a href="#schema-MetricsQuarter">array of MetricsQuarter</a>' in page
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0" and spec == document


def test_figures_not_there_yet_answer_202_or_429_with_retry_after(client, world, monkeypatch):
    from coordinator.api import views
    from coordinator.network.data.figure_store import Figures, Freshness

    headers = bearer(world, Role.STAFF)
    monkeypatch.setattr(views, "read_figures", lambda *_a, **_k: Figures(
        None, None, Freshness(computed_at=None, updating=True)))
    for path in ("/api/v1/metrics", "/api/v1/trend"):
        response = client.get(path, headers=headers)
        assert response.status_code == 202 and response.headers["Retry-After"] == "5"
        assert "werden gerade berechnet" in response.get_json()["detail"]
        assert "ETag" not in response.headers
    monkeypatch.setattr(views, "read_figures", lambda *_a, **_k: Figures(
        None, None, Freshness(computed_at=None, updating=False, refused=True)))
    response = client.get("/api/v1/metrics", headers=headers)
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"


def test_metrics_say_when_their_figures_were_computed(client, world):
    document = client.get("/api/v1/metrics", headers=bearer(world, Role.STAFF)).get_json()
    assert document["figures"]["computed_at"].endswith("Z")
    assert document["figures"]["updating"] is False


def test_individuals_marked_public_are_named_for_every_role(client, world):
    world["person"].name_public = True
    db.session.commit()
    headers = bearer(world, Role.LEADERSHIP)
    detail = client.get(f"/api/v1/stakeholders/{world['person'].id}", headers=headers)
    assert detail.get_json()["name"] == "A. Yilmaz"
    search = client.get("/api/v1/stakeholders?q=yilmaz", headers=headers).get_json()
    assert search["total"] == 1


@pytest.mark.parametrize("stored", [1_000, 5])  # the whole ranking stored, or cut short
def test_ties_read_the_stored_ranking_in_the_tie_tables_order(app, client, world, monkeypatch,
                                                            stored):
    """Pages that cross the stored pages' boundaries, and (cut short) pages past the stored
    ranking, which come from the tie store: all in the same order, nothing lost or doubled."""
    from coordinator.network.data import graph_loading
    from coordinator.network.web import tables

    monkeypatch.setattr(tables, "PER_PAGE", 3)  # the job's pages: 3 ties each
    monkeypatch.setattr("coordinator.api.views.PER_PAGE", 3)
    app.config["NETWORK_RANKED_TIES"] = stored
    people = [make_stakeholder(f"Verein {i}", StakeholderKind.GROUP) for i in range(5)]
    for i, a in enumerate(people):
        for b in people[i + 1:i + 3]:
            for day in range(1 + i % 3):
                make_activity([a, b], date(2026, 2, 1 + day), f"Treffen {a.id}-{b.id}-{day}")
    headers = bearer(world, Role.COORDINATOR)
    first = client.get("/api/v1/ties?per_page=4", headers=headers).get_json()
    total = first["total"]
    listed = [(*sorted((t["a"]["id"], t["b"]["id"])), t["activities"])
              for page in range(1, first["pages"] + 1)
              for t in client.get(f"/api/v1/ties?per_page=4&page={page}",
                                  headers=headers).get_json()["items"]]
    expected = graph_loading.tie_page(Scope(), 0, 1_000)
    assert total == len(expected) > 5
    assert sorted(listed) == sorted((a, b, w) for a, _an, b, _bn, w, _l in expected)
    weights = [w for _a, _b, w in listed]
    assert weights == sorted(weights, reverse=True)  # strongest first across all pages
