"""Record kubectl kustomize output for every scenario into tests/golden/kustomize/ (needs the oracle)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.kustomize.scenarios import SCENARIOS
from tests.shared import KUBECTL  # noqa: E402  (the oracle: ../shared/tools/oracle)

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "kustomize"


def record(name: str, sc: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        for path, text in sc["files"].items():
            p = Path(tmp) / path
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        entry = sc.get("entry", ".")
        flags = list(sc.get("flags", []))
        proc = subprocess.run(
            [KUBECTL, "kustomize", entry, *flags], cwd=tmp, capture_output=True, text=True,
            env={**os.environ, "HOME": tmp}, check=False,
        )
        stderr = proc.stderr.replace(os.path.realpath(tmp), "$ROOT")
    return {
        "files": sc["files"], "entry": entry, "flags": flags,
        "exit_code": proc.returncode, "stdout": proc.stdout, "stderr": stderr,
    }


if __name__ == "__main__":
    GOLDEN.mkdir(parents=True, exist_ok=True)
    names = sys.argv[1:] or sorted(SCENARIOS)
    for name in names:
        data = record(name, SCENARIOS[name])
        (GOLDEN / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: exit {data['exit_code']}")
