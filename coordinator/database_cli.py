"""``flask init-db``: create or upgrade the schema through the Alembic migrations."""

import click
from flask import current_app
from flask_migrate import upgrade

from .register.operations import seed_fields_of_work


@click.command("init-db")
def init_db_command() -> None:
    """Schema anlegen oder auf den neuesten Stand bringen (mehrfach ausführbar)."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    added = seed_fields_of_work()
    click.echo("Datenbankschema ist aktuell.")
    if added:
        click.echo(f"{added} Handlungsfelder angelegt.")
