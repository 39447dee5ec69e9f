"""Replay the stderr golden cases (tests/render/stderr_cases.py, recorded from Helm v4.1.4):
stdout byte-identical, exit code equal, and the same stderr lines (sorted: Helm prints some
of them in Go map order)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.render.stderr_cases import GOLDEN, stderr_lines, write_tree
from tests.render.test_golden import run_kelm

_TS = re.compile(r"^LAST DEPLOYED: .*$", re.M)
CASES = json.loads(GOLDEN.read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_stderr_golden(case: dict, tmp_path: Path) -> None:
    root = tmp_path.resolve()
    write_tree(root, case)
    code, out, err = run_kelm(dict(case, files={}), root)
    assert _TS.sub("", out) == _TS.sub("", case["stdout"])
    assert code == case["exit_code"]
    assert stderr_lines(err, str(root)) == case["stderr_lines"]
