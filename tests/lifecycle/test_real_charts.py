"""kelm through the lifecycle of real corpus charts (install, upgrade with --set and with
--reuse-values, rollback, uninstall --keep-history) against the kelm.testing emulator prints,
sends and leaves what the oracle's helm did (goldens of record_real_charts.py): each chart
stands for a difference found when sweeping the corpus (realcharts.CASES says which)."""

from __future__ import annotations

import difflib
import json

import pytest

from tests.lifecycle.realcharts import CASES, CORPUS, golden_path, lifecycle
from tests.shared import needs_shared


def _diff(want: object, got: object) -> str:
    a = json.dumps(want, indent=1, sort_keys=True).splitlines(True)
    b = json.dumps(got, indent=1, sort_keys=True).splitlines(True)
    return "".join(list(difflib.unified_diff(a, b, "helm", "kelm", n=2))[:80])


@needs_shared(CORPUS, "the chart corpus")
@pytest.mark.parametrize("chart", list(CASES))
def test_lifecycle_as_helm(chart: str) -> None:
    want = json.loads(golden_path(chart).read_text())
    got = lifecycle("kelm", chart)
    assert [s["step"] for s in got] == [s["step"] for s in want], CASES[chart][1]
    for w, g in zip(want, got, strict=True):
        for part in ("result", "writes", "views", "objects"):
            assert g.get(part) == w.get(part), \
                f"{w['step']} {part} ({CASES[chart][1]}):\n{_diff(w.get(part), g.get(part))}"
