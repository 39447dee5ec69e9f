"""``kelm __complete WORDS... PARTIAL`` (hidden): the candidates the shell scripts of
``kelm completion`` ask for.

Prints one candidate per line (subcommand names, or flag names when PARTIAL starts with
``-``), then a line ``:N``: ``:4`` when the shell should not fall back to file names, ``:0``
when it may (an argument or a flag value).
"""

from __future__ import annotations

import sys

from kelm.cli.command import Command, find
from kelm.cli.flags import Parsed, takes_value

NO_FILE_COMPLETION = 4
DEFAULT = 0


def candidates(root: Command, words: list[str]) -> tuple[list[str], int]:
    """(candidates, directive) for the command line ``words`` (the last one is partial)."""
    done, partial = words[:-1], words[-1] if words else ""
    cmd, rest = find(root, done)
    flags = [f for f in cmd.all_flags() if not f.hidden]
    if rest:
        last = rest[-1]
        by_name = {f"--{f.name}": f for f in flags}
        by_short = {f"-{f.short}": f for f in flags if f.short}
        if takes_value(by_name.get(last) or by_short.get(last)):
            return [], DEFAULT
    if partial.startswith("-"):
        names = sorted([f"--{f.name}" for f in flags] + [f"-{f.short}" for f in flags if f.short])
        return [n for n in names if n.startswith(partial)], NO_FILE_COMPLETION
    subs = sorted(s.name for s in cmd.subcommands() if not s.hidden)
    found = [s for s in subs if s.startswith(partial)]
    if found and not [a for a in rest if not a.startswith("-")]:
        return found, NO_FILE_COMPLETION
    return [], DEFAULT


def _complete(cmd: Command, p: Parsed) -> None:
    found, directive = candidates(cmd.root(), list(p.args) or [""])
    sys.stdout.write("".join(c + "\n" for c in found) + f":{directive}\n")


COMMAND = Command("__complete [WORDS...]", short="complete a kelm command line", hidden=True,
                  interspersed=None, run=_complete)
