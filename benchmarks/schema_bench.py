"""Does the hand-written schema pre-check (``kelm.chart.schemafast``) pay?  A/B in one run.

Every corpus case whose chart (or a subchart) has a ``values.schema.json`` is rendered by
fresh ``kelm template`` processes twice: as shipped (values that certainly satisfy the
schema skip jsonschema: no import, no validation) and with the pre-check answering "not
sure" (jsonschema validates everything, as it would without schemafast).  Both outputs must
be identical; helm's time is given for scale.  Usage: python benchmarks/schema_bench.py
[--quick] [--reps K]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from template_bench import CORPUS, HELM, run  # same corpus, oracle and timing

_MAIN = "from kelm.cli import main; main()"
_WITHOUT = "import kelm.chart.schemafast as f; f.certainly_valid = lambda s, v: False; " + _MAIN
TOOLS = {
    "helm": [HELM, "template"],
    "kelm": [sys.executable, "-c", _MAIN, "template"],
    "kelm-no-precheck": [sys.executable, "-c", _WITHOUT, "template"],
}


def schema_cases(cases: list[dict]) -> list[list[str]]:
    out = []
    for c in cases:
        chart = CORPUS / c["args"][1]
        if c.get("exit_code", 0) == 0 and chart.is_dir() and any(chart.rglob("values.schema.json")):
            out.append(c["args"])
    return out


def main() -> None:
    quick = "--quick" in sys.argv
    reps = 3
    if "--reps" in sys.argv:
        reps = int(sys.argv[sys.argv.index("--reps") + 1])
    if not (CORPUS / "cases.json").exists() or not os.path.exists(HELM):
        print("skipped: corpus or oracle helm not available")
        return
    jobs = schema_cases(json.loads((CORPUS / "cases.json").read_text())["cases"])
    if quick:
        jobs = jobs[::4]
    for args in jobs:  # the pre-check may only skip work, never change a result
        a, b = ((p.returncode, p.stderr) for p in (
            subprocess.run([*TOOLS[t], *args], cwd=CORPUS, capture_output=True)
            for t in ("kelm", "kelm-no-precheck")))
        if a != b:
            sys.exit(f"schema pre-check changed the output of {' '.join(args)}")
    tot = {t: [0.0, 0.0] for t in TOOLS}
    for args in jobs:
        for tool, cmd in TOOLS.items():
            best_w = best_c = float("inf")
            for _ in range(reps):
                w, c, _rc = run([*cmd, *args], CORPUS)
                best_w, best_c = min(best_w, w), min(best_c, c)
            tot[tool][0] += best_w
            tot[tool][1] += best_c
    hw, hc = tot["helm"]
    for tool, (w, c) in tot.items():
        print(f"{tool:<17} {len(jobs)} schema charts {w:6.2f}s wall {c:6.2f}s cpu | "
              f"vs helm wall {w / hw:5.2f}x cpu {c / hc:5.2f}x", flush=True)
    (kw, kc), (nw, nc) = tot["kelm"], tot["kelm-no-precheck"]
    print(f"pre-check saves {nw - kw:5.2f}s wall ({(nw - kw) / nw:4.0%}), "
          f"{nc - kc:5.2f}s cpu ({(nc - kc) / nc:4.0%})", flush=True)
    print(json.dumps({"charts": len(jobs), "saved_wall_ratio": round((nw - kw) / nw, 3),
                      "kelm_vs_helm": round(kw / hw, 3), "no_precheck_vs_helm": round(nw / hw, 3)}))


if __name__ == "__main__":
    main()
