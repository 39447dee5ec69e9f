"""``kelm install NAME CHART --dry-run[=client] [--debug]``: Helm's release preview, offline.

Prints the report ``helm install --dry-run`` prints (NAME, LAST DEPLOYED, NAMESPACE, STATUS,
REVISION, DESCRIPTION, TEST SUITE, with ``--debug`` USER-SUPPLIED and COMPUTED VALUES, HOOKS,
MANIFEST, NOTES).  A real install and ``--dry-run=server`` are refused with
a plain message: kelm has no cluster layer yet.  ``-o json|yaml`` prints the release
record (:mod:`kelm.release.model`).
"""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError, fail
from kelm.cli.flags import Flag, Parsed
from kelm.cli.template import install_flags, install_request, needs_cluster, write_stderr_lines

OUTPUT_FORMATS = ("table", "json", "yaml")


def _output_check(v: str) -> str:
    return "" if v in OUTPUT_FORMATS else "invalid format type"


def install_only_flags() -> list[Flag]:
    return [
        *install_flags(),
        Flag("hide-secret", "bool", default=False,
             help="hide Kubernetes Secrets when also using the --dry-run flag"),
        Flag("dry-run", "opt", default="none", no_opt="unset",
             help="simulate an install. If --dry-run is set with no option being specified or "
                  "as '--dry-run=client', it will not attempt cluster connections. Setting "
                  "'--dry-run=server' allows attempting cluster connections."),
        Flag("output", "string", "o", "table", type_name="format", default_text="table",
             check=_output_check,
             help="prints the output in the specified format. Allowed values: table, json, yaml"),
    ]


def _install(cmd: Command, p: Parsed) -> None:
    from kelm.action.install import (
        NOT_IMPLEMENTED,
        InstallError,
        dry_run_strategy,
        plan_install,
        release_object,
        release_report,
    )
    from kelm.render.action import ActionError, render_chart

    debug = bool(p.get("debug"))
    try:
        strategy, warning = dry_run_strategy(p.get("dry-run"), False)
    except InstallError as e:
        raise CommandError(str(e)) from None
    if warning:
        sys.stderr.write(warning + "\n")
    if strategy == "none":
        fail(f"kelm install: {NOT_IMPLEMENTED}")
    if strategy == "server":
        fail(needs_cluster("install", "--dry-run=server"))
    request = install_request(p, "")
    try:
        plan = plan_install(request)
    except InstallError as e:
        fail(f"INSTALLATION FAILED: {e}")
        return
    write_stderr_lines(plan.logs)
    try:
        rel = render_chart(plan.chart, plan.values, plan.options)
    except ActionError as e:
        if e.release is not None:
            write_stderr_lines(e.release.logs)
        fail(f"INSTALLATION FAILED: {e}")
        return
    write_stderr_lines(rel.logs)
    fmt = p.get("output")
    if fmt != "table":
        sys.stdout.write(release_object(rel, fmt))
        sys.stdout.flush()
        return
    from kelm.cli.root import use_color

    sys.stdout.write(release_report(rel, debug, bool(p.get("hide-notes")), color=use_color(p)))
    sys.stdout.flush()


LONG = """
Install a chart: a chart reference (REPO/NAME, or NAME with --repo), a packaged
chart, an unpacked chart directory or a URL.

Values come from the chart, then from '--values'/'-f' files (the last one wins),
then from '--set', '--set-string', '--set-file', '--set-json' and '--set-literal'
(the right-most wins):

    $ kelm install -f myvalues.yaml --set image.tag=1.2 myredis ./redis --dry-run

kelm has no cluster layer yet: it previews the release with '--dry-run' (or
'--dry-run=client'), printing what 'helm install --dry-run' prints; add '--debug'
for the values, '--hide-secret' to hide Secrets, '-o json' or '-o yaml' for the
release record. Without --dry-run it stops with an error saying so.
"""

COMMAND = Command(
    "install [NAME] [CHART]", short="install a chart (kelm: --dry-run preview only)",
    long=LONG, flags=install_only_flags(), args=("min", 1), run=_install,
)


def run_install(argv: list[str]) -> None:
    """``kelm install ARGS...`` in-process (used by tests)."""
    from kelm.cli import run_subcommand

    run_subcommand("install", argv)


def release_report(*args: object, **kw: object) -> str:
    """Moved to :func:`kelm.action.install.release_report`."""
    from kelm.action.install import release_report as report

    return report(*args, **kw)  # type: ignore[arg-type]


__all__ = ["COMMAND", "install_only_flags", "run_install"]
