"""Record ``helm dependency`` goldens (run by hand; needs the oracle):
tests/golden/dependency/scratch.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.action.dependency_cases import CASES, normalise, serve, snapshot, write_case  # noqa

from tests.shared import HELM  # noqa: E402  (the oracle: ../shared/tools/oracle)
OUT = Path(__file__).resolve().parents[1] / "golden" / "dependency" / "scratch.json"


def main() -> None:
    out = {}
    for name, case in sorted(CASES.items()):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "repo"), exist_ok=True)
            with serve(os.path.join(tmp, "repo")) as port:
                write_case(tmp, case["files"], port)  # type: ignore[arg-type]
                steps = []
                for step in case["steps"]:  # type: ignore[attr-defined]
                    args = ["dependency", *step]
                    r = subprocess.run([HELM, *args], cwd=tmp, capture_output=True, text=True)
                    steps.append({"args": step, "exit_code": r.returncode,
                                  "stdout": normalise(r.stdout, tmp, port),
                                  "stderr": normalise(r.stderr, tmp, port),
                                  "state": json.loads(normalise(json.dumps(snapshot(tmp)),
                                                                tmp, port))})
            out[name] = steps
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(out)} cases -> {OUT}")


if __name__ == "__main__":
    main()
