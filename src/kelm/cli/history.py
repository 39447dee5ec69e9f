"""``kelm history RELEASE`` (``hist``): the revisions of a release, as ``helm history``
prints them."""

from __future__ import annotations

from typing import Any

from kelm.cli.command import Command
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import output_flag
from kelm.cli.status import debug_log, with_storage


def _history(cmd: Command, p: Parsed) -> None:
    from kelm.action.history import (
        history_json,
        history_rows,
        history_table,
        history_yaml,
        release_history,
    )

    fmt = p.get("output")

    def work(client: Any, storage: Any) -> str:
        rels = release_history(client, storage, p.args[0], int(p.get("max")), debug_log(p))
        rows = history_rows(rels)
        if fmt == "json":
            return history_json(rows)
        if fmt == "yaml":
            return history_yaml(rows)
        return history_table(rows)

    with_storage(p, work)


LONG = """
This command prints the revisions of a release, oldest first: when each was
deployed, its status, chart, app version and description.

At most 256 revisions are shown (the newest ones); '--max' changes the limit:

    $ kelm history web --max 2
    REVISION    UPDATED                     STATUS          CHART         APP VERSION     DESCRIPTION
    4           Mon Oct  3 10:15:13 2016     superseded      web-0.1.0     1.0             Upgrade complete
    5           Mon Oct  3 10:16:40 2016     deployed        web-0.1.1     1.0             Rollback to 3
"""

COMMAND = Command(
    "history RELEASE_NAME", short="fetch release history", long=LONG, aliases=("hist",),
    flags=[Flag("max", "int", default=256,
                help="maximum number of revision to include in history"),
           output_flag()],
    args=("exact", 1), run=_history,
)

__all__ = ["COMMAND"]
