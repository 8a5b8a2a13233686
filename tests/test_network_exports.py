"""Network exports made by the queue: the page waits ("Export wird erstellt …", reloading
itself) and then sends the stored file; a failed job keeps the previous file; old files go
with the retention purge."""

from __future__ import annotations

import gzip
from datetime import date, timedelta

import test_network_jobs as queue_tests
from sqlalchemy import select, update

from conftest import PASSWORD, make_activity
from coordinator.extensions import db
from coordinator.models import NetworkExport
from coordinator.network.data import graph_loading, stored_figures
from coordinator.network.data.newcomers import counted
from coordinator.network.data.scope import Scope
from coordinator.network.web import export_files, exports
from coordinator.retention import run_purgers
from coordinator.timeutil import utcnow

# The queue's tests' app, whose tasks wait until the test runs them as a worker would.
queued_app, app, run_queue = queue_tests.queued_app, queue_tests.app, queue_tests.run_queue


def logged_in(app, email="koordination@example.org"):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def test_export_is_made_by_the_queue_then_served(queued_app, world, monkeypatch):
    client = logged_in(queued_app)

    def forbidden(*_args, **_kwargs):
        raise AssertionError("the request loaded the graph")

    monkeypatch.setattr(stored_figures, "load_compact_cached", forbidden)
    monkeypatch.setattr(export_files, "load_compact", forbidden)
    response = client.get("/network/export/nodes.csv?field=arbeit")
    page = response.get_data(as_text=True)
    assert response.status_code == 202 and "Export wird erstellt" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert response.headers["Content-Type"].startswith("text/html")
    assert client.get("/network/export/nodes.csv?field=arbeit").status_code == 202
    assert len(db.session.scalars(select(NetworkExport)).all()) == 1
    monkeypatch.setattr(export_files, "load_compact", graph_loading.load_compact)
    run_queue(queued_app)
    response = client.get("/network/export/nodes.csv?field=arbeit")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="netzwerk-akteure-{date.today().isoformat()}.csv"')
    scope = Scope(field="arbeit")
    expected = exports.nodes_csv(counted(scope, graph_loading.load_compact(scope)).graph)
    assert response.get_data(as_text=True) == expected
    assert int(response.headers["Content-Length"]) == len(expected.encode())
    # a browser that accepts gzip gets the stored bytes as they are
    packed = client.get("/network/export/nodes.csv?field=arbeit",
                        headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()).decode() == expected


def test_viewer_classes_get_their_own_files(queued_app, world):
    coordinator = logged_in(queued_app)
    leadership = logged_in(queued_app, "leitung@example.org")
    for client in (coordinator, leadership):
        client.get("/network/export/ties.csv")
    run_queue(queued_app)
    assert sorted(db.session.scalars(select(NetworkExport.viewer))) == [
        "names", "pseudonyms:de"]
    make_activity([world["person"], world["jugendamt"]], date(2026, 3, 3))
    assert "A. Yilmaz" not in leadership.get("/network/export/ties.csv").get_data(as_text=True)
    run_queue(queued_app)
    hidden = leadership.get("/network/export/ties.csv").get_data(as_text=True)
    assert "Yilmaz" not in hidden and "Einzelperson 1" in hidden
    coordinator.get("/network/export/ties.csv")
    run_queue(queued_app)
    assert "A. Yilmaz" in coordinator.get("/network/export/ties.csv").get_data(as_text=True)


def test_a_failed_export_keeps_the_previous_file_and_says_so(queued_app, world, monkeypatch,
                                                             caplog):
    client = logged_in(queued_app)
    client.get("/network/export/graphml")
    run_queue(queued_app)
    first = client.get("/network/export/graphml").get_data()
    assert first.startswith(b"<?xml")
    make_activity([world["jugendamt"], world["jobcenter"]], date(2026, 3, 5))  # new revision

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_files, "render_export", broken)
    waiting = client.get("/network/export/graphml").get_data(as_text=True)
    assert "Export wird erstellt" in waiting and "Vorherige Fassung herunterladen" in waiting
    run_queue(queued_app)
    assert "network export failed" in caplog.text
    response = client.get("/network/export/graphml")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Der Export konnte nicht erstellt werden" in page and "disk full" not in page
    assert 'http-equiv="refresh"' not in page  # no endless reloading
    assert "previous=1" in page and "retry=1" in page
    assert client.get("/network/export/graphml?previous=1").get_data() == first
    monkeypatch.undo()
    assert "Export wird erstellt" in client.get(
        "/network/export/graphml?retry=1").get_data(as_text=True)
    run_queue(queued_app)
    newer = client.get("/network/export/graphml").get_data()
    assert newer.startswith(b"<?xml") and newer != first
    rows = db.session.scalars(select(NetworkExport).where(NetworkExport.fmt == "graphml")).all()
    assert [row.status for row in rows] == ["ready"]  # the older file went


def test_a_lost_message_or_worker_is_asked_again(queued_app, world):
    client = logged_in(queued_app)
    client.get("/network/export/gexf")
    huey = queued_app.extensions["network_queue"].huey
    huey.flush()  # the message is lost
    assert client.get("/network/export/gexf").status_code == 202
    assert run_queue(queued_app) == 0
    db.session.execute(update(NetworkExport).values(created_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    client.get("/network/export/gexf")  # asks the queue again
    assert run_queue(queued_app) == 1
    assert client.get("/network/export/gexf").data.startswith(b"<?xml")


def test_retention_purge_drops_old_files(queued_app, world, runner):
    client = logged_in(queued_app)
    client.get("/network/export/nodes.csv")
    client.get("/network/export/ties.csv")
    run_queue(queued_app)
    db.session.execute(update(NetworkExport).where(NetworkExport.fmt == "ties.csv")
                       .values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    results = {r.label: r.count for r in run_purgers(utcnow(), dry_run=True)}
    assert results["Netzwerk-Exporte älter als 24 Stunden"] == 1
    assert len(db.session.scalars(select(NetworkExport)).all()) == 2
    result = queued_app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalars(select(NetworkExport.fmt)).all() == ["nodes.csv"]
