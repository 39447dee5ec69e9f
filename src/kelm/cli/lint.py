"""``kelm lint PATH...``: ``helm lint`` with the same flags, output, summary and exit codes."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError, fail
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import value_options, values_flags


def _lint(cmd: Command, p: Parsed) -> None:
    import os

    from kelm.action.lint import LintOptions, format_report, subchart_paths
    from kelm.values.options import ValuesError

    opts = LintOptions(
        strict=bool(p.get("strict")),
        quiet=bool(p.get("quiet")),
        skip_schema=bool(p.get("skip-schema-validation")),
    )
    kv = p.get("kube-version") or ""
    if kv:
        from kelm.render.scope import KubeVersionError, parse_kube_version

        try:
            opts.kube_version = parse_kube_version(kv)
        except KubeVersionError as e:
            raise CommandError(f"invalid kube version '{kv}': {e}") from None
    paths = list(p.args)
    if p.get("with-subcharts"):
        for path in list(paths):
            paths.extend(subchart_paths(path))
    opts.namespace = p.get("namespace") or os.environ.get("HELM_NAMESPACE") or "default"
    try:
        vals = value_options(p).merge_values()
    except ValuesError as e:
        raise CommandError(str(e)) from None
    report = format_report(paths, vals, opts)
    sys.stdout.write(report.text)
    sys.stdout.flush()
    if report.failed > 0:
        fail(report.summary)
    if not opts.quiet or report.noisy > 0:
        sys.stdout.write(report.summary + "\n")


COMMAND = Command(
    "lint PATH", short="examine a chart for possible issues",
    long="""
This command takes a path to a chart and runs a series of tests to verify that
the chart is well-formed.

Things that will make the chart fail to install are reported as [ERROR];
things that break with convention or recommendation as [WARNING].
""",
    flags=[
        Flag("strict", "bool", default=False, help="fail on lint warnings"),
        Flag("with-subcharts", "bool", default=False, help="lint dependent charts"),
        Flag("quiet", "bool", default=False, help="print only warnings and errors"),
        Flag("skip-schema-validation", "bool", default=False,
             help="if set, disables JSON schema validation"),
        Flag("kube-version", "string", default="",
             help="Kubernetes version used for capabilities and deprecation checks"),
        *values_flags(),
    ],
    args=("min", 1), run=_lint,
)


def run_lint(argv: list[str]) -> None:
    """``kelm lint ARGS...`` in-process (used by tests)."""
    from kelm.cli import run_subcommand

    run_subcommand("lint", argv)
