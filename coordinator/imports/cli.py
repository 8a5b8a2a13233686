import click


@click.command("import-csv")
def import_csv_command() -> None:
    """Not yet implemented."""
    raise click.ClickException("not implemented")
