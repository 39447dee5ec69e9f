"""``kelm show all|chart|values|readme|crds CHART`` (alias ``inspect``): ``helm show``."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import chart_path_flags, chart_path_options


def _show(cmd: Command, p: Parsed) -> None:
    from kelm.action.chartref import ChartRefError, check_tls_files, locate_chart
    from kelm.action.show import show as show_chart
    from kelm.chart import ChartError, load_chart

    if p.get("jsonpath"):
        raise CommandError("--jsonpath is not supported by kelm yet")
    opts = chart_path_options(p)
    try:
        check_tls_files(opts)
        path = locate_chart(p.args[0], opts)
        text = show_chart(load_chart(path, detect=False), cmd.name)  # Helm's v2 loader
    except (ChartError, ChartRefError, OSError) as e:
        raise CommandError(str(e)) from None
    sys.stdout.write(text)


def _sub(what: str, short: str, long: str, extra: list[Flag] | None = None) -> Command:
    return Command(f"{what} [CHART]", short=short, long=long,
                   flags=[*chart_path_flags(), *(extra or [])], args=("exact", 1), run=_show)


COMMAND = Command(
    "show", short="show information of a chart", aliases=("inspect",),
    long="\nThis command consists of multiple subcommands to display information about a "
         "chart\n",
    subcommands=[
        _sub("all", "show all information of the chart",
             "\nThis command inspects a chart (directory, file, or URL) and displays all its "
             "content\n(values.yaml, Chart.yaml, README)\n"),
        _sub("chart", "show the chart's definition",
             "\nThis command inspects a chart (directory, file, or URL) and displays the "
             "contents\nof the Chart.yaml file\n"),
        _sub("crds", "show the chart's CRDs",
             "\nThis command inspects a chart (directory, file, or URL) and displays the "
             "contents\nof the CustomResourceDefinition files\n"),
        _sub("readme", "show the chart's README",
             "\nThis command inspects a chart (directory, file, or URL) and displays the "
             "contents\nof the README file\n"),
        _sub("values", "show the chart's values",
             "\nThis command inspects a chart (directory, file, or URL) and displays the "
             "contents\nof the values.yaml file\n",
             [Flag("jsonpath", "string", default="",
                   help="supply a JSONPath expression to filter the output (not supported by "
                        "kelm yet)")]),
    ],
)
