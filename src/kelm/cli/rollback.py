"""``kelm rollback RELEASE [REVISION]``: ``helm rollback`` v4.1.4's flags, output and errors
(:mod:`kelm.action.rollback` does the work)."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError, fail
from kelm.cli.flags import Flag, Parsed


def rollback_flags() -> list[Flag]:
    from kelm.cli.template import install_flags
    from kelm.cli.upgrade import dry_run_flag, history_max_flag, server_side_flag

    shared = {f.name: f for f in install_flags()}  # the same flags, same wording
    return [
        shared["force-replace"], shared["force"], shared["force-conflicts"],
        server_side_flag(),
        Flag("no-hooks", "bool", default=False, help="prevent hooks from running during rollback"),
        shared["timeout"], shared["wait"], shared["wait-for-jobs"],
        Flag("cleanup-on-fail", "bool", default=False,
             help="allow deletion of new resources created in this rollback when rollback fails"),
        history_max_flag(),
        dry_run_flag(),
    ]


def _revision(text: str) -> int:
    """Go's ``strconv.Atoi`` with Helm's message."""
    import re

    if re.fullmatch(r"[+-]?[0-9]+", text) is None:
        raise CommandError("could not convert revision to a number: strconv.Atoi: parsing "
                           f'"{text}": invalid syntax')
    n = int(text)
    if not -(2**63) <= n < 2**63:
        raise CommandError("could not convert revision to a number: strconv.Atoi: parsing "
                           f'"{text}": value out of range')
    return n


def _rollback(cmd: Command, p: Parsed) -> None:
    from kelm.action.deploy import DeployError, signals_kill
    from kelm.action.install import default_namespace
    from kelm.action.rollback import RollbackOptions, rollback_release
    from kelm.cli.install import connect, deploy_options, dry_run_checked
    from kelm.cli.template import write_stderr_lines
    from kelm.cli.upgrade import history_max

    name = p.args[0]
    version = _revision(p.args[1]) if len(p.args) > 1 else 0
    strategy = dry_run_checked(p)
    deploy = deploy_options(p)
    deploy.max_history = history_max(p)
    opts = RollbackOptions(version=version, server_side=p.get("server-side") or "auto",
                           dry_run=strategy != "none")
    client = connect(p, "")
    try:
        with client, signals_kill():  # Helm's rollback has no cancellation
            rollback_release(client, name, p.get("namespace") or default_namespace(), opts,
                             deploy)
    except DeployError as e:
        write_stderr_lines(e.logs)
        fail(str(e))
        return
    sys.stdout.write("Rollback was a success! Happy Helming!\n")
    sys.stdout.flush()


LONG = """
This command rolls back a release to a previous revision.

The first argument of the rollback command is the name of a release, and the
second is a revision (version) number. If this argument is omitted or set to
0, it will roll back to the previous release.

The rollback is a new revision with the chart, values and manifest of the one
rolled back to ("Rollback to N"); objects the target does not have are deleted.
To see revision numbers, run 'kelm history RELEASE'.

As with Helm, Ctrl-C or SIGTERM ends a rollback at once, leaving its revision
'pending-rollback'; running the rollback again recovers the release.
"""

COMMAND = Command(
    "rollback <RELEASE> [REVISION]", short="roll back a release to a previous revision",
    long=LONG, flags=rollback_flags(), args=("min", 1), run=_rollback,
)

__all__ = ["COMMAND", "rollback_flags"]
