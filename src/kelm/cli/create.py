"""``kelm create NAME``: a new chart from kelm's scaffold (``helm create``)."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed


def _create(cmd: Command, p: Parsed) -> None:
    from kelm.action.create import CreateError, create_chart

    name = p.args[0]
    if p.get("starter"):
        raise CommandError("--starter is not supported by kelm yet (starter charts)")
    sys.stdout.write(f"Creating {name}\n")
    try:
        create_chart(name)
    except (CreateError, OSError) as e:
        raise CommandError(str(e)) from None


COMMAND = Command(
    "create NAME", short="create a new chart with the given name",
    long="""
This command creates a chart directory along with the common files and
directories used in a chart: Chart.yaml, values.yaml, .helmignore, charts/ and
templates/ (with a test under templates/tests/), the same starting point as
'helm create'.

Directories missing on the given path are created; files of an existing
directory that the scaffold also has are overwritten, others are left alone.
""",
    flags=[Flag("starter", "string", "p", "",
                help="the name or absolute path to Helm starter scaffold (not supported by "
                     "kelm yet)")],
    args=("exact", 1), run=_create,
)
