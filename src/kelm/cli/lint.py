"""`kelm lint PATH...`: ``helm lint`` with the same flags, output, summary and exit codes."""

from __future__ import annotations

import sys

import click

from kelm.cli.template import make_command

LINT_FLAGS_SPEC = [
    ("strict", "bool"), ("with-subcharts", "bool"), ("quiet", "bool"),
    ("skip-schema-validation", "bool"), ("kube-version", "string"),
]

HELP = """This command takes a path to a chart and runs a series of tests to verify that
the chart is well-formed.

If the linter encounters things that will cause the chart to fail installation,
it will emit [ERROR] messages. If it encounters issues that break with convention
or recommendation, it will emit [WARNING] messages.

Usage:
  kelm lint PATH [flags]

Flags: --strict, --with-subcharts, --quiet, --skip-schema-validation, --kube-version,
-f/--values, --set, --set-string, --set-file, --set-json, --set-literal (as helm lint v4.1.4)."""


def run_lint(argv: list[str]) -> None:
    from kelm.action.lint import LintOptions, format_report, subchart_paths
    from kelm.cli.template import GLOBAL_FLAGS, Flag, FlagError, fail, parse_flags, value_options
    from kelm.values.options import ValuesError

    specs = [Flag(n, k, default=False if k == "bool" else "") for n, k in LINT_FLAGS_SPEC] + [
        Flag("values", "slice", "f"), Flag("set", "array"), Flag("set-string", "array"),
        Flag("set-file", "array"), Flag("set-json", "array"), Flag("set-literal", "array"),
    ]
    try:
        p = parse_flags(argv, specs + GLOBAL_FLAGS)
    except FlagError as e:
        fail(str(e))
        return
    if p.get("help"):
        click.echo(HELP)
        return
    if not p.args:
        fail('"helm lint" requires at least 1 argument\n\nUsage:  helm lint PATH [flags]')
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
            fail(f"invalid kube version '{kv}': {e}")
    paths = list(p.args)
    if p.get("with-subcharts"):
        for path in list(paths):
            paths.extend(subchart_paths(path))
    import os

    opts.namespace = p.get("namespace") or os.environ.get("HELM_NAMESPACE") or "default"
    try:
        vals = value_options(p).merge_values()
    except ValuesError as e:
        fail(str(e))
        return
    report = format_report(paths, vals, opts)
    sys.stdout.write(report.text)
    sys.stdout.flush()
    if report.failed > 0:
        fail(report.summary)
    if not opts.quiet or report.noisy > 0:
        sys.stdout.write(report.summary + "\n")


lint = make_command("lint", run_lint, "Examine a chart for possible issues (helm lint).")
