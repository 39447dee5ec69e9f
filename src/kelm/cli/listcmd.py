"""``kelm list``: the releases in a namespace (``-A``: all), as ``helm list`` prints them."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, fail, refuse_given
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import output_flag

STATE_FLAGS = ("deployed", "failed", "pending", "superseded", "uninstalled", "uninstalling")



def _list(cmd: Command, p: Parsed) -> None:
    from kelm.action.cluster import release_storage
    from kelm.action.listing import (
        ListError,
        ListOptions,
        list_json,
        list_table,
        list_yaml,
        select_releases,
    )
    from kelm.cli.kubeflags import connect
    from kelm.kube import KubeError
    from kelm.release.errors import StorageError

    refuse_given(p, ("selector", "time-format"))
    client = connect(p, "")
    opts = ListOptions(filter=p.get("filter") or "",
                       states=tuple(s for s in STATE_FLAGS if p.get(s)),
                       by_date=bool(p.get("date")), reverse=bool(p.get("reverse")),
                       limit=int(p.get("max")), offset=int(p.get("offset")))
    namespace = "" if p.get("all-namespaces") else client.namespace
    try:
        client.check_reachable()
    except KubeError as e:  # Helm's list asks /version first, as every release command
        fail(str(e))
    try:
        with client:
            rels = select_releases(release_storage(client, namespace).list_releases(), opts)
    except (KubeError, StorageError, ListError) as e:
        fail(str(e))
        return
    fmt = p.get("output")
    if p.get("short"):
        text = "".join(r.name + "\n" for r in rels)
    elif fmt == "json":
        text = list_json(rels)
    elif fmt == "yaml":
        text = list_yaml(rels)
    else:
        text = list_table(rels, headers=not p.get("no-headers"))
    sys.stdout.write(text)
    sys.stdout.flush()


COMMAND = Command(
    "list", short="list releases",
    long="""
This command lists all of the releases for a specified namespace (uses current
namespace context if namespace not specified). By default, it lists all releases
in any status; the state flags (--deployed, --failed, ...) narrow it down.
""",
    flags=[
        Flag("all-namespaces", "bool", "A", False, help="list releases across all namespaces"),
        Flag("date", "bool", "d", False, help="sort by release date"),
        *[Flag(s, "bool", default=False, help=f"show {s} releases") for s in STATE_FLAGS],
        Flag("filter", "string", "f", "", help="a regular expression (Perl compatible). Any "
             "releases that match the expression will be included in the results"),
        Flag("max", "int", "m", 256, help="maximum number of releases to fetch"),
        Flag("no-headers", "bool", default=False,
             help="don't print headers when using the default output format"),
        Flag("offset", "int", default=0,
             help="next release index in the list, used to offset from start value"),
        output_flag(),
        Flag("reverse", "bool", "r", False, help="reverse the sort order"),
        Flag("selector", "string", "l", "", help="Selector (label query) to filter on"),
        Flag("short", "bool", "q", False, help="output short (quiet) listing format"),
        Flag("time-format", "string", default="", help="format time using golang time formatter"),
    ],
    args=("none",), run=_list, aliases=("ls",),
)

__all__ = ["COMMAND"]
