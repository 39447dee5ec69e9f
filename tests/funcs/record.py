"""Record golden cases for template functions from the real Helm (not run by pytest).

    python tests/funcs/record.py SPEC.json tests/golden/funcs/GROUP.json

SPEC is a JSON list of cases ``{"id", "template", "values"?: YAML text, "set"?: [..],
"set_string"?: [..], "chart"?: more Chart.yaml lines, "files"?: {path: text}}``.  Each case
becomes a chart whose ``templates/NOTES.txt`` is the template; ``helm install --dry-run=client
-o json`` gives the raw rendered text in ``.info.notes`` (no YAML validation, no trimming), or
Helm's error on stderr.  The output file holds the cases with ``output`` or ``error`` added.
Existing ids in OUT are replaced.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.shared import HELM  # noqa: E402  (the oracle: ../shared/tools/oracle)

ERROR_PREFIX = "Error: INSTALLATION FAILED: "


def write_chart(root: Path, case: dict) -> Path:
    chart = root / "t"
    (chart / "templates").mkdir(parents=True)
    head = "apiVersion: v2\nname: t\nversion: 0.1.0\n"
    (chart / "Chart.yaml").write_text(head + case.get("chart", ""))
    (chart / "values.yaml").write_text(case.get("values") or "")
    (chart / "templates" / "NOTES.txt").write_text(case["template"])
    for rel, text in case.get("files", {}).items():  # more chart files (subcharts too)
        (chart / rel).parent.mkdir(parents=True, exist_ok=True)
        (chart / rel).write_text(text)
    return chart


def record_case(case: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        chart = write_chart(Path(tmp), case)
        cmd = [HELM, "install", "r", str(chart), "--dry-run=client", "-o", "json"]
        for s in case.get("set", []):
            cmd += ["--set", s]
        for s in case.get("set_string", []):
            cmd += ["--set-string", s]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=tmp)
    out = {k: v for k, v in case.items() if k not in ("output", "error")}
    if proc.returncode == 0:
        out["output"] = json.loads(proc.stdout)["info"].get("notes", "")
    else:
        err = proc.stderr.strip()
        lines = [ln for ln in err.splitlines() if not ln.startswith("level=")]
        err = "\n".join(lines)
        out["error"] = err[len(ERROR_PREFIX) :] if err.startswith(ERROR_PREFIX) else err
    return out


def main(spec_path: str, out_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    ids = [c["id"] for c in spec]
    if len(ids) != len(set(ids)):
        sys.exit("duplicate ids in spec")
    with ThreadPoolExecutor(max_workers=4) as pool:
        recorded = list(pool.map(record_case, spec))
    existing: list[dict] = []
    if Path(out_path).exists():
        existing = json.loads(Path(out_path).read_text())["cases"]
    new_ids = set(ids)
    cases = [c for c in existing if c["id"] not in new_ids] + recorded
    Path(out_path).write_text(json.dumps({"cases": cases}, indent=1, ensure_ascii=False) + "\n")
    print(f"recorded {len(recorded)} cases into {out_path} ({len(cases)} in all)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
