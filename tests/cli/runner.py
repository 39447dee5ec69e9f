"""Run a ``kelm`` command line in-process and capture what it prints (no click, no shell)."""

from __future__ import annotations

import contextlib
import io
import sys


class Result:
    """What a command printed and its exit code (``output``: stdout then stderr)."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.output = stdout + stderr


def invoke(args: list[str], input: str | None = None) -> Result:
    """``kelm ARGS...`` through :func:`kelm.cli.main`, with ``input`` as stdin."""
    from kelm.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(input or "")
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.stdin = old_stdin
    return Result(code, out.getvalue(), err.getvalue())


def kelm_named(text: str) -> str:
    """A recorded Helm message as kelm prints it: kelm names itself where Helm names
    ``helm`` (``"kelm template" requires...``, ``Usage:  kelm ...``)."""
    return text.replace('"helm ', '"kelm ').replace("Usage:  helm ", "Usage:  kelm ")
