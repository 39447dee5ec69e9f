"""`kelm create NAME`: a new chart from kelm's scaffold."""

from __future__ import annotations

import sys

import click


@click.command("create")
@click.argument("name")
@click.option("-p", "--starter", default=None, help="not supported yet: starter charts")
def create(name: str, starter: str | None) -> None:
    """Create a new chart with the given name."""
    from kelm.action.create import CreateError, create_chart

    if starter:
        click.echo("Error: starter charts are not supported yet", err=True)
        sys.exit(1)
    click.echo(f"Creating {name}")
    try:
        create_chart(name)
    except (CreateError, OSError) as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)
