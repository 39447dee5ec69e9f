"""Re-record tests/golden/gofmt/*.json from the real Helm (developer tool, not a test).

Run: .venv/bin/python tests/gotemplate/record_gofmt.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "funcs"), str(HERE.parents[1] / "src")]

from gofmt_cases import ARGS, PRINT, PRINTF, SETS, VALUES_YAML  # noqa: E402
from oracle import record  # noqa: E402

from kelm.golang.fmt import quote  # noqa: E402

OUT = HERE.parent / "golden" / "gofmt" / "cases.json"


def main() -> None:
    cases = []
    meta = []
    for fmt, names in PRINTF:
        args = "".join(" " + ARGS[n][0] for n in names)
        cases.append({"tpl": "{{ printf " + quote(fmt) + args + " }}"})
        meta.append({"func": "printf", "fmt": fmt, "args": names})
    for fn in ("print", "println"):
        for names in PRINT:
            args = "".join(" " + ARGS[n][0] for n in names)
            cases.append({"tpl": "{{ " + fn + args + " }}"})
            meta.append({"func": fn, "args": names})
    for c in cases:
        c["values"] = VALUES_YAML
        c["set"] = SETS
    results = record(cases)
    for m, r in zip(meta, results, strict=True):
        m.update(r)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(meta)} cases -> {OUT}")


if __name__ == "__main__":
    main()
