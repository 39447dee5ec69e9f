"""Regressions found by differential testing of `kelm template` against Helm v4.1.4 on public
charts, each reduced to a tiny chart (tests/golden/difftest/*.json, recorded with
record_difftest.py). stdout must be byte-identical, the exit status equal, and on failure the
stderr from its `Error:` line on equal.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "difftest"


def _cases() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(GOLDEN.glob("*.json"))]


def _run(case: dict, root: Path) -> tuple[int, str, str]:
    from kelm.cli.template import run_template

    for rel, text in case["files"].items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                run_template(case["args"][1:])
            except SystemExit as e:
                code = int(e.code or 0)
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_difftest_regression(case: dict, tmp_path: Path) -> None:
    code, out, err = _run(case, tmp_path)
    assert (code != 0) == (case["exit_code"] != 0), err
    assert out == case["stdout"]
    if case["exit_code"]:
        i = err.find("Error:")
        assert ("" if i < 0 else err[i:]) == case["error"]
