"""The audit trail's core: record, field_changes, text_digest, the append-only trigger on
PostgreSQL and the retention purge (``purge-expired``) with a frozen clock."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from coordinator.audit.models import Action, AuditEntry
from coordinator.audit.operations import field_changes, record, text_digest
from coordinator.extensions import db
from coordinator.models import StakeholderKind
from coordinator.retention import PurgeResult, months_before, purger, run_purgers

NOW = datetime(2026, 11, 30, 12, 0)


def entry_at(at: datetime, action: str = Action.UPDATE) -> AuditEntry:
    entry = record(action, "stakeholder", 1, label="Jugendamt")
    entry.at = at
    return entry


def count_entries() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def test_text_digest_is_short_and_stable():
    assert text_digest("Jugendamt") == "sha256:708388e05e262772"
    assert text_digest("Jugendamt") != text_digest("Jugendamt ")
    assert text_digest(None) is None


def test_field_changes_keeps_only_differences_hashes_and_omits():
    before = {"name": "Jugendamt", "kind": StakeholderKind.DEPARTMENT, "note": "alt",
              "password": "x", "since": date(2026, 1, 1), "fields": [1, 2]}
    after = {"name": "Jugendamt Nord", "kind": StakeholderKind.DEPARTMENT, "note": "neu",
             "password": "y", "since": date(2026, 2, 1), "fields": [1, 2]}
    changes = field_changes(before, after, hashed=["note"], omit=["password"])
    assert changes == {
        "name": ["Jugendamt", "Jugendamt Nord"],
        "note": [text_digest("alt"), text_digest("neu")],
        "since": ["2026-01-01", "2026-02-01"],
    }


def test_record_outside_a_request_is_from_the_cli(app):
    entry = record(Action.CREATE, "field_of_work", 7, label="Sport",
                   changes={"label": [None, "Sport"]}, detail={"count": 1})
    db.session.commit()
    stored = db.session.get(AuditEntry, entry.id)
    assert (stored.address, stored.user_id, stored.action) == ("cli", None, "create")
    assert stored.object_id == "7" and stored.changes == {"label": [None, "Sport"]}
    assert stored.at is not None and stored.detail == {"count": 1}


def test_record_names_the_given_user_by_digest_only(app, world):
    admin = world["users"]["admin"]
    entry = record(Action.ROLE_CHANGE, "user", admin.id, user=admin)
    db.session.commit()
    assert entry.user_id == admin.id
    assert entry.user_label == text_digest("admin@example.org")
    assert "admin@example.org" not in str(entry.user_label)


# --- append-only on PostgreSQL -----------------------------------------------------------


@pytest.mark.parametrize("statement", [
    update(AuditEntry).values(action="login"),
    delete(AuditEntry),
])
def test_postgresql_refuses_update_and_delete(app, backend, statement):
    if not backend.is_postgres:
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    entry_at(datetime(2020, 1, 1))
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(statement)
        db.session.flush()
    db.session.rollback()
    assert count_entries() == 1


def test_postgresql_purge_setting_only_releases_older_rows(app, backend):
    if not backend.is_postgres:
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    entry_at(datetime(2020, 1, 1))
    entry_at(datetime(2026, 1, 1))
    db.session.commit()
    db.session.execute(text("SELECT set_config('coordinator.audit_purge_before', "
                            "'2021-01-01 00:00:00', true)"))
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(delete(AuditEntry))  # includes the young row
    db.session.rollback()
    assert count_entries() == 2


# --- retention -------------------------------------------------------------------------------


def test_months_before_handles_short_months():
    assert months_before(datetime(2026, 3, 31, 8), 1) == datetime(2026, 2, 28, 8)
    assert months_before(datetime(2026, 11, 30), 24) == datetime(2024, 11, 30)
    assert months_before(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr("coordinator.retention.utcnow", lambda: NOW)
    return NOW


def test_purge_expired_dry_run_changes_nothing(app, runner, frozen_clock):
    old = entry_at(datetime(2024, 11, 30, 11, 59))
    entry_at(datetime(2024, 11, 30, 12, 1))
    db.session.commit()
    result = runner.invoke(args=["purge-expired", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Protokolleinträge älter als 24 Monate: 1 würden gelöscht" in result.output
    assert f"Eintrag #{old.id} vom 30.11.2024 (update)" in result.output
    assert "Jugendamt" not in result.output  # the listing says nothing about content
    assert count_entries() == 2


def test_purge_expired_deletes_only_expired_entries_and_records_the_purge(
    app, runner, frozen_clock
):
    entry_at(datetime(2023, 5, 1))
    entry_at(datetime(2024, 11, 29))
    young = entry_at(datetime(2025, 6, 1))
    db.session.commit()
    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "Protokolleinträge älter als 24 Monate: 2 gelöscht" in result.output
    db.session.expire_all()
    remaining = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert remaining[0].id == young.id
    assert [(e.action, e.detail) for e in remaining[1:]] == [("purge", {"count": 2})]


def test_purge_expired_with_nothing_to_do(app, runner, frozen_clock):
    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0
    assert "Nichts zu löschen." in result.output
    assert count_entries() == 0


def test_retention_period_is_a_setting(app, runner, frozen_clock):
    app.config["AUDIT_RETENTION_MONTHS"] = 6
    entry_at(datetime(2026, 5, 1))
    db.session.commit()
    result = runner.invoke(args=["purge-expired", "--dry-run"])
    assert "älter als 6 Monate: 1 würden gelöscht" in result.output


def test_registered_purgers_run_in_their_own_transaction(app, monkeypatch):
    from coordinator import retention

    calls = []

    @purger
    def purge_nothing(now, dry_run):
        calls.append((now, dry_run))
        return PurgeResult("Testdaten", 0, [])

    try:
        results = run_purgers(NOW, dry_run=True)
        assert ("Testdaten", 0) in [(r.label, r.count) for r in results]
        assert calls == [(NOW, True)]
    finally:
        retention._PURGERS.pop(f"{__name__}.{purge_nothing.__qualname__}")
