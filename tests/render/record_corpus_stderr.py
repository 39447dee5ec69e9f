"""Record Helm's stderr for every case of the shared chart corpus (its cases.json keeps only
the last error line of failing cases).

Helm prints its warnings (coalescing, non-bool conditions, followed symlinks, skipped hooks)
while it works, partly in Go map order, so each case keeps the sorted lines; absolute paths
into the corpus are written as ``<corpus>``.  Output: tests/golden/corpus_stderr.json.
Re-record: python tests/render/record_corpus_stderr.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.render.corpus import CORPUS, load_cases  # noqa: E402
from tests.shared import HELM  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "golden" / "corpus_stderr.json"


def normalise(stderr: str) -> list[str]:
    """The sorted warning lines (``level=...``), corpus paths made machine-independent."""
    root = str(CORPUS.resolve())
    return sorted(x.replace(root, "<corpus>") for x in stderr.splitlines()
                  if x.startswith("level="))


def main() -> None:
    got: dict[str, list[str]] = {}
    for case in load_cases():
        proc = subprocess.run([HELM, "template", *case["args"]], cwd=CORPUS,
                              capture_output=True, text=True)
        lines = normalise(proc.stderr)
        if lines:
            got[case["id"]] = lines
    OUT.write_text(json.dumps({"helm": "v4.1.4", "stderr": got}, indent=1, sort_keys=True) + "\n")
    print(f"{len(got)} cases with warnings -> {OUT}")


if __name__ == "__main__":
    main()
