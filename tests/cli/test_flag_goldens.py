"""Replay tests/golden/cli/flags.json (recorded from Helm v4.1.4 by tests/cli/record.py):
what each flag of ``template``/``install`` does, or that Helm ignores it for a client-side
render, as kelm must too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.runner import kelm_named
from tests.render.test_golden import run_kelm

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "cli" / "flags.json"
CASES = json.loads(GOLDEN.read_text())["cases"]
_TS = "LAST DEPLOYED: "
# -o json|yaml: deploy times and file modification times differ from the recording's
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")


def _stable(text: str) -> str:
    """The install report's time stamp blanked; NOTES paragraphs sorted (Helm joins the
    NOTES of subcharts in Go map order)."""
    text = "\n".join("LAST DEPLOYED: <ts>" if line.startswith(_TS) else line
                     for line in _RFC3339.sub("<time>", text).split("\n"))
    head, sep, notes = text.partition("\nNOTES:\n")
    return head + sep + "\n\n".join(sorted(notes.rstrip("\n").split("\n\n")))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_flag_golden(case: dict, tmp_path: Path) -> None:
    code, out, err = run_kelm(case, tmp_path)
    assert _stable(out.replace(str(tmp_path) + "/", "")) == _stable(case["stdout"])
    assert err.replace(str(tmp_path), "<tmp>") == kelm_named(case["stderr"])
    assert code == case["exit_code"]
