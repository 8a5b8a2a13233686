"""Schema (migrations agree with the models), ``init-db``, ``create-user``, user admin."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from conftest import PASSWORD, make_stakeholder
from coordinator.extensions import db
from coordinator.models import FieldOfWork, Role, Stakeholder, StakeholderKind, User


def test_migrations_match_models(app):
    """A model change without a migration fails here."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_init_db_is_safe_to_run_twice(runner):
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "Datenbankschema ist aktuell." in second.output
    assert db.session.scalar(select(func.count()).select_from(FieldOfWork)) == 10


def test_seeded_catalogue_has_stable_keys(app):
    keys = db.session.scalars(select(FieldOfWork.key).order_by(FieldOfWork.position)).all()
    assert keys[:4] == ["arbeit", "bildung", "sprache", "wohnen"]
    labels = db.session.scalars(select(FieldOfWork.label)).all()
    assert "Aufenthalt & Recht" in labels
    assert "Öffentliches Leben & Kultur" in labels


def test_stakeholder_names_are_unique_case_insensitively(app):
    make_stakeholder("Jugendamt")
    db.session.add(Stakeholder(name="  jugendAMT ", kind=StakeholderKind.DEPARTMENT))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_foreign_keys_are_enforced(app):
    db.session.add(Stakeholder(name="Waise", kind=StakeholderKind.DEPARTMENT, parent_id=999))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_staff_needs_a_department_in_the_database(app):
    user = User(email="s@example.org", role=Role.STAFF, password_hash="x")
    db.session.add(user)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


# --- create-user ------------------------------------------------------------------------


def test_create_user_reads_password_from_stdin(runner):
    make_stakeholder("Jobcenter")
    result = runner.invoke(
        args=["create-user", "Neu@Example.org", "--role", "staff", "--department", "jobcenter"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.email == "neu@example.org")).one()
    assert user.role is Role.STAFF
    assert user.department.name == "Jobcenter"
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["x@example.org", "--role", "admin"], "passwort1234", "zu verbreitet"),
        (["x@example.org", "--role", "admin"], "kurz", "mindestens 12"),
        (["x@example.org", "--role", "staff"], PASSWORD, "--department"),
        (["x@example.org", "--role", "staff", "--department", "Mondamt"], PASSWORD,
         "Unbekanntes Ressort"),
        (["keine-adresse", "--role", "admin"], PASSWORD, "Ungültige E-Mail"),
        (["x@example.org", "--role", "kaiser"], PASSWORD, "Invalid value"),
    ],
)
def test_create_user_refuses_bad_input(runner, args, password, message):
    result = runner.invoke(args=["create-user", *args], input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_refuses_duplicate(runner, world):
    result = runner.invoke(
        args=["create-user", "admin@example.org", "--role", "admin"], input=PASSWORD + "\n"
    )
    assert result.exit_code != 0
    assert "bereits" in result.output


# --- user administration ----------------------------------------------------------------


def test_admin_creates_staff_user(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={"email": "neu@example.org", "role": "staff",
              "department_id": str(world["jobcenter"].id), "active": "y",
              "new_password": PASSWORD, "confirm_password": PASSWORD},
    )
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "neu@example.org")).one()
    assert user.department_id == world["jobcenter"].id
    assert "<td>neu@example.org</td>" in client.get("/admin/users/").get_data(as_text=True)


def test_admin_form_validates(client, auth, world):
    auth.login_as(world, Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={"email": "admin@example.org", "role": "staff", "department_id": "0",
              "new_password": "kurz", "confirm_password": "kurz"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mitarbeitende brauchen ein Ressort." in text
    assert "mindestens 12 Zeichen" in text


def test_admin_cannot_demote_themselves(client, auth, world):
    admin = world["users"][Role.ADMIN]
    auth.login_as(world, Role.ADMIN)
    client.post(
        f"/admin/users/{admin.id}/edit",
        data={"email": admin.email, "role": "leadership", "department_id": "0", "active": "y"},
    )
    assert db.session.get(User, admin.id).role is Role.ADMIN


def test_role_change_is_logged(client, auth, world, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="coordinator.security")
    target = world["users"][Role.LEADERSHIP]
    auth.login_as(world, Role.ADMIN)
    client.post(
        f"/admin/users/{target.id}/edit",
        data={"email": target.email, "role": "coordinator", "department_id": "0", "active": "y"},
    )
    assert db.session.get(User, target.id).role is Role.COORDINATOR
    assert "role=leadership->coordinator" in caplog.text


def test_unknown_role_value_is_rejected(client, auth, world):
    target = world["users"][Role.LEADERSHIP]
    auth.login_as(world, Role.ADMIN)
    response = client.post(
        f"/admin/users/{target.id}/edit",
        data={"email": target.email, "role": "superuser", "department_id": "0", "active": "y"},
    )
    assert response.status_code == 200
    assert db.session.get(User, target.id).role is Role.LEADERSHIP
