"""Record ``helm dependency list`` for every shared corpus chart (run by hand; needs the
oracle): tests/golden/dependency/corpus_list.json."""

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

OUT = Path(__file__).resolve().parents[1] / "golden" / "dependency" / "corpus_list.json"


def main() -> None:
    base = SHARED / "charts"
    out = {}
    for name in sorted(os.listdir(base / "charts")):
        r = subprocess.run([HELM, "dependency", "list", f"charts/{name}"], cwd=base,
                           capture_output=True, text=True)
        out[name] = {"stdout": r.stdout, "stderr": r.stderr, "exit_code": r.returncode}
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(out)} charts -> {OUT}")


if __name__ == "__main__":
    main()
