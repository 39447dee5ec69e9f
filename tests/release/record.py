"""Record the release goldens from the oracle's Helm: ``python -m tests.release.record``.

Each case is ``helm install NAME CHART --dry-run=client -o json ARGS`` over a chart of
``tests/release/charts``; the JSON Helm prints is the release it would store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLDEN = ROOT / "tests" / "golden" / "release"

CASES = {
    "rich": ["rel", "rich", "-n", "ns1", "--set", "x=1.5e21", "--set", "s=<a>",
             "--set-string", "n=007", "--set", "f=2.5", "--set", "i=7", "--labels", "team=core"],
    "empty": ["e", "empty"],
}


def oracle_bin() -> str:
    out = subprocess.run([str(ROOT.parent / "shared" / "tools" / "oracle")], check=True,
                         capture_output=True, text=True, timeout=600)
    return out.stdout.strip().splitlines()[-1]


def main() -> int:
    helm = os.path.join(oracle_bin(), "helm")
    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HELM_CONFIG_HOME": f"{home}/c", "HELM_CACHE_HOME": f"{home}/k",
               "HELM_DATA_HOME": f"{home}/d", "TZ": "UTC"}
        for case, (name, chart, *args) in CASES.items():
            out = subprocess.run(
                [helm, "install", name, str(HERE / "charts" / chart), "--dry-run=client",
                 "-o", "json", *args], env=env, check=True, capture_output=True, text=True,
                timeout=60,
            ).stdout
            doc = {"args": [name, chart, *args], "stdout": out}
            (GOLDEN / f"{case}.json").write_text(json.dumps(doc, indent=1) + "\n")
            print(f"recorded {case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
