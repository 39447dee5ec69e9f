"""``kelm help [COMMAND...]``: the help of any command (cobra's help command)."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, find
from kelm.cli.flags import Parsed


def _help(cmd: Command, p: Parsed) -> None:
    from kelm.cli.help import render_help, usage

    root = cmd.root()
    target, rest = find(root, list(p.args))
    if rest and target is root:
        sys.stdout.write("Unknown help topic [" + " ".join(f"`{a}`" for a in p.args) + "]\n" + usage(root))
        return
    sys.stdout.write(render_help(target))


COMMAND = Command(
    "help [command]", short="Help about any command",
    long="\nHelp provides help for any command in the application.\n"
         "Simply type kelm help [path to command] for full details.\n",
    run=_help,
)
