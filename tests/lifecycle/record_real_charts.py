"""Record the oracle's helm through the lifecycle of each real chart of realcharts.CASES
against the kelm.testing emulator: ``python -m tests.lifecycle.record_real_charts [CHART...]``
(from the repository root) rewrites tests/golden/lifecycle/real-charts/CHART.json."""

from __future__ import annotations

import json
import sys

from tests.lifecycle.realcharts import CASES, GOLDEN, golden_path, lifecycle
from tests.shared import HELM


def main(charts: list[str]) -> None:
    if not HELM.available():
        sys.exit(f"the oracle's helm is unavailable: {HELM.error or HELM}")
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for chart in charts or list(CASES):
        steps = lifecycle("helm", chart)
        golden_path(chart).write_text(json.dumps(steps, indent=1, sort_keys=True) + "\n")
        print(f"{chart}: {' '.join(s['step'] for s in steps)}")


if __name__ == "__main__":
    main(sys.argv[1:])
