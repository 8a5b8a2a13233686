"""``flask demo``: fill an empty database with the fictional Landkreis Lindenau.

Safe to run again: when the demo accounts exist already it only prints the logins, and it
never touches a database that holds real data.
"""

from __future__ import annotations

import click
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from ..activities.models import JointActivity
from ..auth.models import User
from ..database import refresh_planner_statistics, write_intent
from ..extensions import db
from ..network.data.tie_store import add_activities
from ..register.models import FieldOfWork, Stakeholder, StakeholderKind
from .cases import insert_demo_cases
from .data import DEMO_USERS, DEPARTMENTS, LANDKREIS, DemoUser
from .generate import plan_demo
from .load import demo_authors, insert_activities, insert_demo_users, insert_stakeholders
from .success import insert_success_demo

LOGIN_URL = "http://127.0.0.1:5000"


@click.command("demo")
@click.option("--url", default=LOGIN_URL, show_default=True,
              help="Adresse der App, die bei den Zugangsdaten genannt wird.")
def demo_command(url: str) -> None:
    """Leere Datenbank mit dem fiktiven Landkreis Lindenau füllen (zum Ausprobieren)."""
    # CLI output has no request to choose a language from; use the default (German).
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]), write_intent():
        existing = _existing_demo_users()
        if existing:
            db.session.rollback()
            click.echo(_("Die Demo-Daten sind bereits angelegt."))
            _print_logins(existing, url, changed_note=True)
            return
        _refuse_unless_empty()
        plan = plan_demo()
        try:
            ids = insert_stakeholders(plan)
            users = insert_demo_users(ids)  # staff accounts need their department's id
            insert_activities(plan, ids, demo_authors(users, ids))
            insert_success_demo(ids)  # Erfolgskontrolle: indicators, offers, survey round
            # case work logs its own activities: they join the tie store like the others
            add_activities(insert_demo_cases(ids, users, plan.start, plan.end))
            db.session.commit()
            refresh_planner_statistics(db.session)
        except IntegrityError:
            db.session.rollback()
            _fail(_("Während des Anlegens wurden gleichzeitig andere Daten gespeichert. "
                    "Es wurde nichts geändert; bitte erneut versuchen."))
        click.echo(_(
            "%(landkreis)s angelegt: %(departments)d Ressorts/Dienststellen, %(groups)d "
            "zivilgesellschaftliche Gruppen, %(individuals)d engagierte Einzelpersonen, "
            "%(activities)d gemeinsame Aktivitäten seit %(start)s.",
            landkreis=LANDKREIS,
            departments=plan.count(StakeholderKind.DEPARTMENT),
            groups=plan.count(StakeholderKind.GROUP),
            individuals=plan.count(StakeholderKind.INDIVIDUAL),
            activities=len(plan.activities),
            start=plan.start.strftime("%d.%m.%Y"),
        ))
        _print_logins(DEMO_USERS, url, changed_note=False)


def _fail(message: str) -> None:
    """A German message on stderr and exit status 1 (ClickException would prefix 'Error:')."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)


def _existing_demo_users() -> list[DemoUser]:
    emails = [u.email for u in DEMO_USERS]
    try:
        found = set(db.session.scalars(select(User.email).where(User.email.in_(emails))))
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        _fail(_("Die Datenbank ist noch nicht eingerichtet. Bitte zuerst "
                "„flask --app coordinator init-db“ ausführen."))
    return [u for u in DEMO_USERS if u.email in found]


def _refuse_unless_empty() -> None:
    stakeholders = db.session.scalar(select(func.count()).select_from(Stakeholder))
    activities = db.session.scalar(select(func.count()).select_from(JointActivity))
    if stakeholders or activities:
        db.session.rollback()
        _fail(_(
            "Die Datenbank enthält bereits %(stakeholders)d Akteure und %(activities)d "
            "Aktivitäten. Die Demo-Daten werden nur in eine leere Datenbank geschrieben; "
            "es wurde nichts geändert.",
            stakeholders=stakeholders, activities=activities,
        ))
    if not db.session.scalar(select(func.count()).select_from(FieldOfWork)):
        db.session.rollback()
        _fail(_("Es gibt noch keine Handlungsfelder. Bitte zuerst "
                "„flask --app coordinator init-db“ ausführen."))


def _print_logins(
    users: list[DemoUser] | tuple[DemoUser, ...], url: str, changed_note: bool
) -> None:
    rows = [(_("Rolle"), _("E-Mail-Adresse"), _("Passwort"))]
    for user in users:
        role = str(user.role.label)
        if user.department:
            role = f"{role} ({DEPARTMENTS[user.department].name})"
        rows.append((role, user.email, user.password))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    click.echo("")
    click.echo(_("Anmelden unter %(url)s mit:", url=url))
    click.echo("")
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo(("  " + "  ".join(cells)).rstrip())
    if changed_note:
        click.echo("")
        click.echo(_("Wurden die Passwörter inzwischen geändert, gelten die neuen."))
