"""``kelm lint`` on small scratch charts prints what Helm v4.1.4 printed for them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.lint.cases import CASES, write_case
from tests.lint.harness import normalise, run_kelm_lint, stderr_lines

GOLDEN = json.loads(
    (Path(__file__).resolve().parents[1] / "golden" / "lint" / "scratch.json").read_text()
)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_scratch_case(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    want = GOLDEN[name]
    write_case(str(tmp_path), case["files"])  # type: ignore[arg-type]
    out, err, code = run_kelm_lint(want["args"], str(tmp_path))
    out = out.replace(str(tmp_path), "$TMP")
    assert normalise(out) == normalise(want["stdout"])
    assert code == want["exit_code"]
    assert stderr_lines(err.replace(str(tmp_path), "$TMP")) == stderr_lines(want["stderr"])
