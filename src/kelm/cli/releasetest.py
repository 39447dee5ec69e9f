"""``kelm test RELEASE``: :mod:`kelm.action.releasetest`, printing the report ``helm test``
prints (the status without notes, a TEST SUITE block per test run) and, with ``--logs``,
each test pod's log."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, fail
from kelm.cli.flags import Flag, Parsed
from kelm.cli.template import install_flags


def _report(rel: object, p: Parsed) -> str:
    from kelm.action.status import status_report
    from kelm.cli.root import use_color

    info = rel.info  # type: ignore[attr-defined]
    notes, info.notes = info.notes, ""  # helm test never shows the notes
    try:
        return status_report(rel, color=use_color(p), debug=bool(p.get("debug")))
    finally:
        info.notes = notes


def _test(cmd: Command, p: Parsed) -> None:
    from kelm.action.releasetest import (
        ReleaseTestError,
        TestOptions,
        parse_filters,
        pod_logs,
        run_release_tests,
    )
    from kelm.cli.kubeflags import connect
    from kelm.cli.uninstall import duration_seconds

    include, exclude = parse_filters(list(p.get("filter") or ()))
    opts = TestOptions(timeout=duration_seconds(p), include=include, exclude=exclude)
    with connect(p, "") as client:
        try:
            run = run_release_tests(client, p.args[0], client.namespace, opts)
        except ReleaseTestError as e:
            fail(str(e))
            return
        error = run.error
        sys.stdout.write(_report(run.release, p))
        if p.get("logs"):
            sys.stdout.write("\n")
            text, log_error = pod_logs(client, run.release, client.namespace, opts)
            sys.stdout.write(text)
            if log_error:
                error = "\n".join(e for e in (error, log_error) if e)
        sys.stdout.flush()
        try:
            run.shutdown()
        except ReleaseTestError as e:
            error = error or str(e)
    if error:
        fail(error)


COMMAND = Command(
    "test [RELEASE]", short="run tests for a release", args=("exact", 1), run=_test,
    long="""
The test command runs the tests for a release.

The argument this command takes is the name of a deployed release.
The tests to be run are defined in the chart that was installed.
""",
    flags=[
        Flag("filter", "slice",
             help='specify tests by attribute (currently "name") using attribute=value syntax '
                  "or '!attribute=value' to exclude a test (can specify multiple or separate "
                  "values with commas: name=test1,name=test2)"),
        Flag("logs", "bool", default=False,
             help="dump the logs from test pods (this runs after all tests are complete, but "
                  "before any cleanup)"),
        *[f for f in install_flags() if f.name == "timeout"],
    ],
)

__all__ = ["COMMAND"]
