"""Record ``helm lint`` over the shared corpus (run by hand; needs the oracle).

    .venv/bin/python tests/lint/record_corpus.py  # writes tests/golden/lint/corpus.json

Three variants per chart, run from ../shared/charts: plain, ``--strict``, ``--with-subcharts``;
plus one per values file the chart ships under ``ci/`` (``-f`` that file, ``-n ns``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.shared import (
    HELM,  # noqa: E402  (the oracle: ../shared/tools/oracle)
    SHARED,  # noqa: E402
)

OUT = Path(__file__).resolve().parents[1] / "golden" / "lint" / "corpus.json"
VARIANTS = {"default": [], "strict": ["--strict"], "subcharts": ["--with-subcharts"]}


def main() -> None:
    base = SHARED / "charts"
    out = {}
    for name in sorted(os.listdir(base / "charts")):
        for variant, extra in VARIANTS.items():
            args = ["lint", "charts/" + name, *extra]
            r = subprocess.run([HELM, *args], cwd=base, capture_output=True, text=True)
            out[f"{name}--{variant}"] = {"args": args, "stdout": r.stdout, "stderr": r.stderr,
                                         "exit_code": r.returncode}
    for name in sorted(os.listdir(base / "charts")):
        ci = base / "charts" / name / "ci"
        for f in sorted(os.listdir(ci)) if ci.is_dir() else []:
            args = ["lint", "charts/" + name, "-n", "ns", "-f", f"charts/{name}/ci/{f}"]
            r = subprocess.run([HELM, *args], cwd=base, capture_output=True, text=True)
            out[f"{name}--ci-{f}"] = {"args": args, "stdout": r.stdout, "stderr": r.stderr,
                                       "exit_code": r.returncode}
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(out)} cases -> {OUT}")


if __name__ == "__main__":
    main()
