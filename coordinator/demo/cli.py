import click


@click.command("demo")
def demo_command() -> None:
    """Not yet implemented."""
    raise click.ClickException("not implemented")
