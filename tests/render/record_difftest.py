"""Record a differential-testing regression golden from real Helm (developer tool, not a test).

    python tests/render/record_difftest.py NAME CHART_DIR [helm template args...]

Reads every file of the tiny CHART_DIR, runs `helm template rel . ARGS` inside it and writes
tests/golden/difftest/NAME.json (files, args, exit code, stdout, stderr from `Error:` on), which
test_difftest_regressions.py replays offline against kelm.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script
from tests.shared import HELM  # noqa: E402  (the oracle: ../shared/tools/oracle)

OUT = Path(__file__).resolve().parent.parent / "golden" / "difftest"


def error_block(stderr: str) -> str:
    """stderr from the first ``Error:`` line on (Helm's message can span lines)."""
    i = stderr.find("Error:")
    return "" if i < 0 else stderr[i:]


def record(name: str, chart: Path, args: list[str]) -> dict:
    files = {
        str(p.relative_to(chart)): p.read_text()
        for p in sorted(chart.rglob("*")) if p.is_file()
    }
    argv = ["template", "rel", ".", *args]
    p = subprocess.run([HELM, *argv], cwd=chart, capture_output=True, text=True, timeout=120)
    case = {"name": name, "files": files, "args": argv, "exit_code": p.returncode,
            "stdout": p.stdout, "error": error_block(p.stderr)}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(case, indent=1, ensure_ascii=False) + "\n")
    return case


if __name__ == "__main__":
    c = record(sys.argv[1], Path(sys.argv[2]), sys.argv[3:])
    print(f"recorded {c['name']}: exit {c['exit_code']}, {len(c['stdout'])} bytes")
