"""Record golden `helm template` / `helm install --dry-run` results from the oracle.

Each case is a small chart (files inline) plus command-line arguments; the recorder writes the
chart to a scratch directory, runs the real Helm v4.1.4 there and stores stdout, exit code and
stderr into tests/golden/charts/<group>.json.  The test suite replays the cases offline
through kelm (tests/render/test_golden.py).  Re-record: python tests/render/record.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.render.cases import GROUPS
from tests.shared import HELM  # noqa: E402  (the oracle: ../shared/tools/oracle)

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "charts"


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def record_case(case: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_files(root, case["files"])
        stdin = case.get("stdin")
        proc = subprocess.run(
            [HELM, *case["args"]],
            cwd=root,
            input=(stdin or "").encode(),
            capture_output=True,
        )
    out = dict(case)
    out["stdout"] = proc.stdout.decode()
    out["exit_code"] = proc.returncode
    out["stderr"] = proc.stderr.decode()
    return out


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    only = sys.argv[1:]
    for group, cases in GROUPS.items():
        if only and group not in only:
            continue
        recorded = [record_case(c) for c in cases]
        path = GOLDEN / f"{group}.json"
        path.write_text(json.dumps({"helm": "v4.1.4", "cases": recorded}, indent=1) + "\n")
        print(f"{group}: {len(recorded)} cases -> {path}")


if __name__ == "__main__":
    main()
