"""Record Helm's ``helm lint`` output for every scratch case (run by hand; needs the oracle).

    .venv/bin/python tests/lint/record.py   # writes tests/golden/lint/scratch.json
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.lint.cases import CASES, write_case  # noqa: E402
from tests.shared import HELM  # noqa: E402  (the oracle: ../shared/tools/oracle)

OUT = Path(__file__).resolve().parents[1] / "golden" / "lint" / "scratch.json"


def main() -> None:
    out = {}
    for name, case in sorted(CASES.items()):
        with tempfile.TemporaryDirectory() as tmp:
            write_case(tmp, case["files"])  # type: ignore[arg-type]
            r = subprocess.run([HELM, "lint", *case["args"]], cwd=tmp,  # type: ignore[misc]
                               capture_output=True, text=True)
            out[name] = {"args": case["args"], "exit_code": r.returncode,
                         "stdout": r.stdout.replace(tmp, "$TMP"),
                         "stderr": r.stderr.replace(tmp, "$TMP")}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(out)} cases -> {OUT}")


if __name__ == "__main__":
    main()
