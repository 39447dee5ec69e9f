"""Run kelm's CLI runners in-process and capture what they print (stdout, stderr, exit code)."""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Callable


def run_cli(fn: Callable[[list[str]], None], args: list[str], cwd: str) -> tuple[str, str, int]:
    """Call a ``kelm.cli`` runner in ``cwd``: (stdout, stderr, exit code)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                fn(list(args))
            except SystemExit as e:
                code = int(e.code or 0)
    finally:
        os.chdir(old)
    return out.getvalue(), err.getvalue(), code


def run_kelm_lint(args: list[str], cwd: str) -> tuple[str, str, int]:
    from kelm.cli.lint import run_lint

    return run_cli(run_lint, args, cwd)


_SCHEMA_LINES = re.compile(r"(?:^- at '.*\n)+", re.M)


_LINT_TMP = re.compile(r"/[^\s:]*?helm-lint[^/\s]+")
_SUBCHART_LIST = re.compile(r"(chart metadata is missing these dependencies: )(\S+)")


def normalise(text: str) -> str:
    """Helm lists schema violations in random (Go map) order: compare them as a set; the
    directory a packaged chart is unpacked into is random too."""
    text = _LINT_TMP.sub("$LINT_TMP", text)
    # subcharts come out of a Go map there: their order is random too
    text = _SUBCHART_LIST.sub(lambda m: m.group(1) + ",".join(sorted(m.group(2).split(","))), text)
    return _SCHEMA_LINES.sub(lambda m: "".join(sorted(m.group(0).splitlines(True))), text)


def stderr_lines(stderr: str) -> list[str]:
    """stderr: log lines of template functions, then the ``Error: ...`` part (kelm names
    itself where Helm's messages name helm)."""
    from tests.cli.runner import kelm_named

    return kelm_named(stderr).splitlines()
