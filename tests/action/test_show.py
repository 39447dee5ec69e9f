"""`kelm show` against what Helm printed for the shared chart corpus (recorded goldens)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.shared import SHARED, needs_shared

from kelm.action.show import show
from kelm.chart import load_chart

GOLDEN = json.loads(
    (Path(__file__).resolve().parent.parent / "golden" / "show" / "corpus.json").read_text()
)
CHARTS = SHARED / "charts" / "charts"
pytestmark = needs_shared(CHARTS, "the shared chart corpus")


def test_show_chart_matches_helm_for_every_corpus_chart():
    mismatches = [
        name
        for name, expected in GOLDEN["chart"].items()
        if show(load_chart(str(CHARTS / name)), "chart") != expected
    ]
    assert not mismatches, f"{len(mismatches)}/{len(GOLDEN['chart'])} differ: {mismatches[:10]}"


@pytest.mark.parametrize("key", sorted(GOLDEN["other"]))
def test_show_sections_match_helm(key):
    what, name = key.split(":")
    assert show(load_chart(str(CHARTS / name)), what) == GOLDEN["other"][key]


def test_cli_show_missing_chart_is_a_clean_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "kelm", "show", "chart", "./nope"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and "Traceback" not in proc.stderr
