"""``kelm status RELEASE``: a release's state and live objects, as ``helm status`` prints it.

Also the pieces ``kelm history`` and ``kelm get`` share: the ``-o`` and ``--revision``
flags and :func:`with_storage` (client, reachability check, release storage).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from kelm.cli.command import Command, fail
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import output_flag

if TYPE_CHECKING:
    from collections.abc import Callable





def revision_flag(text: str = "get the named release with revision") -> Flag:
    return Flag("revision", "int", default=0, help=text)


def with_storage(p: Parsed, work: Callable[[Any, Any], str]) -> None:
    """Run ``work(client, storage)`` against the release storage of ``-n`` (or the
    kubeconfig's namespace) and print what it returns; Helm's errors end the command."""
    from kelm.action.cluster import release_storage
    from kelm.action.status import StatusError
    from kelm.cli.kubeflags import connect
    from kelm.kube import KubeError
    from kelm.release.errors import StorageError

    with connect(p, "") as client:  # Helm: in IsReachable
        try:
            storage = release_storage(client, client.namespace)
        except StorageError as e:
            _fatal(str(e))
        try:
            text = work(client, storage)
        except (KubeError, StorageError, StatusError) as e:
            fail(str(e))
            return
    sys.stdout.write(text)
    sys.stdout.flush()


def debug_log(p: Parsed) -> Callable[[str], Any] | None:
    """Where ``--debug`` log lines go (stderr, at once, as Helm's slog), or None."""
    if not p.get("debug"):
        return None

    def write(line: str) -> None:
        sys.stderr.write(line)
        sys.stderr.flush()

    return write


def _fatal(msg: str) -> None:
    """A storage that cannot be set up: Helm's ``log.Fatal`` before the command runs (an
    INFO line through slog, exit 1, no ``Error:``)."""
    from kelm.golang.slog import text_value

    sys.stdout.flush()
    sys.stderr.write(f"level=INFO msg={text_value(msg)}\n")
    raise SystemExit(1)


def _status(cmd: Command, p: Parsed) -> None:
    from kelm.action.status import (
        release_document,
        release_status,
        resources_text,
        status_report,
    )
    from kelm.cli.root import use_color

    fmt = p.get("output")

    def work(client: Any, storage: Any) -> str:
        rel = release_status(client, storage, p.args[0], int(p.get("revision")), fmt,
                             debug_log(p))
        if fmt != "table":
            return release_document(rel, fmt)
        return status_report(rel, color=use_color(p),
                             resources=resources_text(rel.info.resources or {}))

    with_storage(p, work)


LONG = """
This command shows the state of a release: when it was last deployed, its
namespace, its status (unknown, deployed, uninstalled, superseded, failed,
uninstalling, pending-install, pending-upgrade or pending-rollback), its revision
and description, the objects of its manifest as the cluster reports them now,
the last run of its test hooks, and the notes of its chart.
"""

COMMAND = Command(
    "status RELEASE_NAME", short="display the status of the named release", long=LONG,
    flags=[output_flag(),
           revision_flag("if set, display the status of the named release with revision")],
    args=("exact", 1), run=_status,
)

__all__ = ["COMMAND", "debug_log", "revision_flag", "with_storage"]
