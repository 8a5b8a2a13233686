"""``flask create-user``."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from ..extensions import db
from ..register.models import Stakeholder, StakeholderKind, name_key
from .audit_trail import record_user_created
from .models import Role, User
from .passwords import password_problems


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Passwort", hide_input=True, confirmation_prompt="Wiederholen")
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--department", default=None, help="Name des Ressorts (Pflicht für staff).")
def create_user_command(email: str, role: str, department: str | None) -> None:
    """Konto anlegen. Das Passwort wird abgefragt (oder von der Standardeingabe gelesen)."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise click.ClickException("Ungültige E-Mail-Adresse.")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise click.ClickException(f"Es gibt bereits ein Konto für {email}.")
    department_row = None
    if department:
        department_row = db.session.scalars(
            select(Stakeholder).where(
                Stakeholder.name_key == name_key(department),
                Stakeholder.kind == StakeholderKind.DEPARTMENT,
            )
        ).first()
        if department_row is None:
            raise click.ClickException(f"Unbekanntes Ressort: {department}")
    if role == Role.STAFF.value and department_row is None:
        raise click.ClickException("Mitarbeitende (staff) brauchen --department.")
    password = _read_password()
    problems = password_problems(password, email)
    if problems:
        raise click.ClickException(" ".join(problems))
    user = User(email=email, role=Role(role), department=department_row, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_user_created(user)
    db.session.commit()
    click.echo(f"Konto {email} ({role}) angelegt.")
