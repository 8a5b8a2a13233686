"""``flask init-db``: create or upgrade the schema through the Alembic migrations."""

import click
from flask import current_app
from flask_migrate import upgrade

from .indicators.catalogue import seed_indicators
from .register.operations import seed_fields_of_work
from .surveys.catalogue import seed_survey_catalogue


@click.command("init-db")
def init_db_command() -> None:
    """Schema anlegen oder auf den neuesten Stand bringen (mehrfach ausführbar)."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    added = seed_fields_of_work()
    seed_indicators()  # after the fields: indicators refer to them
    seed_survey_catalogue()
    click.echo("Datenbankschema ist aktuell.")
    if added:
        click.echo(f"{added} Handlungsfelder angelegt.")
