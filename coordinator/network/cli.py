"""``flask metrics`` and ``flask export`` (to be implemented with the network analysis)."""

import click

network_commands: list[click.Command] = []
