"""Record the conformance goldens from the real Helm (developer tool, not run by pytest).

    .venv/bin/python tests/gotemplate/record.py

Each case of cases.py becomes a one-template chart (templates/NOTES.txt, values.yaml from the
case) rendered with ``helm install r CHART --dry-run=client -o json``: ``.info.notes`` is the raw
rendered text; on failure stderr (after ``Error: INSTALLATION FAILED: ``) is stored.
Output: tests/golden/gotemplate/conformance.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cases import CASES, VALUES  # noqa: E402

from tests.shared import HELM  # noqa: E402  (the oracle: ../shared/tools/oracle)

OUT = HERE.parent / "golden" / "gotemplate" / "conformance.json"
PREFIX = "Error: INSTALLATION FAILED: "


def run_case(tpl: str, values: str, sets: tuple[str, ...]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as d:
        chart = Path(d) / "t"
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text("apiVersion: v2\nname: t\nversion: 0.1.0\n")
        (chart / "values.yaml").write_text(values)
        (chart / "templates" / "NOTES.txt").write_text(tpl)
        cmd = [HELM, "install", "r", str(chart), "--dry-run=client", "-o", "json"]
        for s in sets:
            cmd += ["--set", s]
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=d, timeout=120)
        if p.returncode != 0:
            err = p.stderr.strip()
            if err.startswith(PREFIX):
                err = err[len(PREFIX):]
            return {"err": err}
        return {"out": json.loads(p.stdout)["info"].get("notes", "")}


def main() -> None:
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    unique = []
    for case in CASES:
        if case not in seen:
            seen.add(case)
            unique.append(case)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda c: run_case(c[0], VALUES[c[1]], c[2]), unique))
    records = []
    for (tpl, vname, sets), res in zip(unique, results, strict=True):
        rec: dict[str, object] = {"tpl": tpl, "values": vname}
        if sets:
            rec["set"] = list(sets)
        rec.update(res)
        records.append(rec)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc = {"helm": "v4.1.4", "template": "t/templates/NOTES.txt", "values": VALUES,
           "cases": records}
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(records)} cases -> {OUT}")


if __name__ == "__main__":
    main()
