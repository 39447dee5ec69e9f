"""`kelm show`: print a chart's Chart.yaml, values, README or CRDs."""

from __future__ import annotations

import sys

import click


def _run(what: str, chart_ref: str) -> None:
    from kelm.action.show import show as show_chart
    from kelm.chart import ChartError, load_chart
    from kelm.cli.template import CommandError, locate_chart, parse_flags

    try:
        path = locate_chart(chart_ref, parse_flags([], []))
        text = show_chart(load_chart(path), what)
    except (ChartError, CommandError, OSError) as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(1)
    sys.stdout.write(text)


@click.group("show")
def show() -> None:
    """Show information of a chart."""


def _subcommand(what: str, doc: str) -> None:
    @show.command(what, help=doc)
    @click.argument("chart")
    def cmd(chart: str) -> None:
        _run(what, chart)


for _what, _doc in (
    ("all", "Show all information of the chart."),
    ("chart", "Show the chart's definition (Chart.yaml)."),
    ("values", "Show the chart's values.yaml."),
    ("readme", "Show the chart's README."),
    ("crds", "Show the chart's CRDs."),
):
    _subcommand(_what, _doc)
