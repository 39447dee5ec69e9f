"""``kelm uninstall RELEASE...`` (aliases del, delete, un): :mod:`kelm.action.uninstall`,
printing what ``helm uninstall`` prints."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, fail
from kelm.cli.flags import Flag, Parsed, parse_duration
from kelm.cli.template import install_flags


def duration_seconds(p: Parsed, name: str = "timeout") -> float:
    """A duration flag's value in seconds."""
    v = p.get(name)
    secs = parse_duration(v) if isinstance(v, str) else None
    return secs if secs is not None else 300.0


def _uninstall(cmd: Command, p: Parsed) -> None:
    from kelm.action.uninstall import (
        UninstallError,
        UninstallOptions,
        cascade_error,
        uninstall_release,
    )
    from kelm.cli.kubeflags import connect
    from kelm.kube import KubeError

    cascade = p.get("cascade")
    err = cascade_error(cascade)
    if err:
        fail(err)
    client = connect(p, "")
    opts = UninstallOptions(
        keep_history=bool(p.get("keep-history")), cascade=cascade,
        no_hooks=bool(p.get("no-hooks")), ignore_not_found=bool(p.get("ignore-not-found")),
        dry_run=bool(p.get("dry-run")), timeout=duration_seconds(p),
        description=p.get("description") or "", wait=p.get("wait"))
    with client:
        for name in p.args:
            try:
                res = uninstall_release(client, name, client.namespace, opts)
            except (UninstallError, KubeError) as e:
                fail(str(e))
                return
            if res is not None and res.info:
                sys.stdout.write(res.info + "\n")
            sys.stdout.write(f'release "{name}" uninstalled\n')
            sys.stdout.flush()


LONG = """
This command takes a release name and uninstalls the release.

It removes all of the resources associated with the last release of the chart
as well as the release history, freeing it up for future use.

Use the '--dry-run' flag to see which releases will be uninstalled without actually
uninstalling them.
"""

COMMAND = Command(
    "uninstall RELEASE_NAME [...]", short="uninstall a release", long=LONG,
    aliases=("del", "delete", "un"), args=("min", 1), run=_uninstall,
    flags=[
        Flag("cascade", "string", default="background",
             help='Must be "background", "orphan", or "foreground". Selects the deletion '
                  "cascading strategy for the dependents. Defaults to background."),
        Flag("description", "string", default="", help="add a custom description"),
        Flag("dry-run", "bool", default=False, help="simulate a uninstall"),
        Flag("ignore-not-found", "bool", default=False,
             help='Treat "release not found" as a successful uninstall'),
        Flag("keep-history", "bool", default=False,
             help="remove all associated resources and mark the release as deleted, but "
                  "retain the release history"),
        Flag("no-hooks", "bool", default=False,
             help="prevent hooks from running during uninstallation"),
        *[f for f in install_flags() if f.name in ("timeout", "wait")],
    ],
)

__all__ = ["COMMAND", "duration_seconds"]
