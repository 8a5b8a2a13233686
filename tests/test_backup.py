"""``flask backup`` / ``flask restore``: a backup taken while threads keep writing activities
holds every activity committed before it started, none torn, and restores with identical
counts and metrics; a database with data is only overwritten with --force. Runs on SQLite
and, with COORDINATOR_TEST_DATABASE_URL, on PostgreSQL (pg_dump/pg_restore)."""

from __future__ import annotations

import shutil
import threading
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from conftest import base_config
from coordinator import create_app
from coordinator.activities.operations import ActivityInput, create_activity
from coordinator.database import write_intent
from coordinator.extensions import db
from coordinator.models import ActivityKind, Role, Stakeholder, User
from coordinator.network.data.scope import Scope
from coordinator.network.data.stored_figures import metrics_dict

TODAY = date(2026, 6, 30)


@pytest.fixture
def fresh_database(backend, tmp_path):
    """URLs of empty databases of their own (the restore targets), dropped afterwards."""
    made: list[str] = []

    def make() -> str:
        if not backend.is_postgres:
            url = f"sqlite:///{tmp_path / f'ziel-{len(made)}.db'}"
        else:
            name = f"coordinator_restore_{uuid.uuid4().hex[:10]}"
            with backend.admin_engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(backend.url).set(database=name).render_as_string(hide_password=False)
        made.append(url)
        return url

    yield make
    if backend.is_postgres:
        for url in made:
            with backend.admin_engine.connect() as conn:
                conn.execute(text(
                    f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'
                ))


def pg_tools_or_skip(backend):
    if backend.is_postgres and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore not installed")


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: conn.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def activities_and_participants(url: str) -> dict[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT a.id, COUNT(p.stakeholder_id) FROM joint_activity a "
                "LEFT JOIN participation p ON p.activity_id = a.id GROUP BY a.id"
            )).all()
    finally:
        engine.dispose()
    return dict(rows)


def metrics_of(url: str) -> dict:
    app = create_app(base_config(url))
    with app.app_context():
        data = metrics_dict(Scope(), today=TODAY)
        db.session.remove()
        db.engine.dispose()
    data.pop("source")
    return data


def restore_into(url: str, backup_path, *extra) -> object:
    app = create_app(base_config(url))
    # The command runs in this app's context (not in the test's app, which is pushed too).
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["restore", str(backup_path), *extra])
        db.session.remove()
        db.engine.dispose()
    return result


def test_backup_during_concurrent_writes_restores_completely(
    app, runner, world, backend, fresh_database, tmp_path
):
    pg_tools_or_skip(backend)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    author_id = world["users"][Role.COORDINATOR].id
    pairs = [(world["jugendamt"].id, world["jobcenter"].id),
             (world["verein"].id, world["auslaenderbehoerde"].id)]
    stop = threading.Event()
    failures: list[Exception] = []

    def writer(number: int):
        try:
            with app.app_context(), write_intent():  # as a request that writes
                author = db.session.get(User, author_id)
                written = 0
                while not stop.is_set() or written < 5:
                    create_activity(author, ActivityInput(
                        date=date(2026, 1 + written % 6, 1 + number),
                        title=f"Runde {number}-{written}", kind=ActivityKind.MEETING,
                        participant_ids=pairs[(number + written) % 2],
                    ))
                    written += 1
                db.session.remove()
        except Exception as exc:  # reported below
            failures.append(exc)

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in writers:
        thread.start()
    while len(activities_and_participants(url)) < 25:  # writing is well under way
        stop.wait(0.02)
    committed_before = set(activities_and_participants(url))
    during = tmp_path / "waehrend.backup"
    result = runner.invoke(args=["backup", "-o", str(during)])
    committed_after = set(activities_and_participants(url))
    stop.set()
    for thread in writers:
        thread.join()
    assert not failures, failures
    assert result.exit_code == 0, result.output
    assert len(committed_after) > len(committed_before)  # the writers really ran meanwhile

    target = fresh_database()
    restored = restore_into(target, during)
    assert restored.exit_code == 0, restored.output
    in_backup = activities_and_participants(target)
    assert committed_before <= set(in_backup) <= committed_after
    assert set(in_backup.values()) == {2}  # no activity without its participants

    # Once the writers have stopped, a backup restores to exactly the same data and metrics.
    quiet = tmp_path / "ruhig.backup"
    assert runner.invoke(args=["backup", "-o", str(quiet)]).exit_code == 0
    second = fresh_database()
    assert restore_into(second, quiet).exit_code == 0
    db.session.remove()
    assert table_counts(second) == table_counts(url)
    assert metrics_of(second) == metrics_of(url)


def test_restore_refuses_a_database_with_data_without_force(
    app, runner, world, backend, fresh_database, tmp_path
):
    pg_tools_or_skip(backend)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    path = tmp_path / "stand.backup"
    assert runner.invoke(args=["backup", "-o", str(path)]).exit_code == 0
    db.session.add(Stakeholder(name="Nach der Sicherung", kind=world["jugendamt"].kind))
    db.session.commit()
    db.session.remove()

    refused = restore_into(url, path)
    assert refused.exit_code == 1
    assert "enthält bereits Daten" in refused.output and "--force" in refused.output
    assert table_counts(url)["stakeholder"] == 6

    forced = restore_into(url, path, "--force")
    assert forced.exit_code == 0, forced.output
    assert table_counts(url)["stakeholder"] == 5


def test_restore_refuses_a_file_that_is_no_backup(app, runner, tmp_path, fresh_database):
    junk = tmp_path / "kein.backup"
    junk.write_bytes(b"nichts als Text\n" * 100)
    result = restore_into(fresh_database(), junk)
    assert result.exit_code == 1
    assert "keine" in result.output and "Traceback" not in result.output


def test_backup_needs_an_existing_directory(runner, app, tmp_path):
    result = runner.invoke(args=["backup", "-o", str(tmp_path / "fehlt" / "x.backup")])
    assert result.exit_code == 1
    assert "gibt es nicht" in result.output
