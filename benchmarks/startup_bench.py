"""Process start-up cost: `kelm template` vs `helm template` on small charts, best of N.

Small charts are dominated by fixed per-process costs (interpreter start, imports, building
the function map), so this reports best-of-N wall and CPU time per chart and for
`kelm --version`.  Usage: python benchmarks/startup_bench.py [--reps N] [chart ...]
(chart names are directories of ../shared/charts/charts; default: a few small ones).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from template_bench import CORPUS, HELM, KELM, run  # same tools, corpus and timing

DEFAULT_CHARTS = ["g2", "chaoskube", "cerebro", "dex"]


def best(cmd: list[str], cwd: Path, reps: int) -> tuple[float, float]:
    """Best wall and best CPU (user+sys of the child) seconds over ``reps`` runs."""
    best_w = best_c = float("inf")
    for _ in range(reps):
        wall, cpu, _rc = run(cmd, cwd)
        best_w, best_c = min(best_w, wall), min(best_c, cpu)
    return best_w, best_c


def main() -> None:
    args = sys.argv[1:]
    reps = 10
    if "--reps" in args:
        i = args.index("--reps")
        reps = int(args[i + 1])
        del args[i : i + 2]
    charts = args or DEFAULT_CHARTS
    w, c = best([*KELM, "--version"], Path.cwd(), reps)
    print(f"{'kelm --version':<20} kelm {w * 1000:6.0f} ms wall {c * 1000:6.0f} ms cpu", flush=True)
    if not (CORPUS / "charts").is_dir():
        print("skipped: chart corpus not available")
        return
    have_helm = os.path.exists(HELM)
    for name in charts:
        argv = ["template", "rel", f"charts/{name}", "-n", "ns"]
        kw, kc = best([*KELM, *argv], CORPUS, reps)
        line = f"{name:<20} kelm {kw * 1000:6.0f} ms wall {kc * 1000:6.0f} ms cpu"
        if have_helm:
            hw, hc = best([HELM, *argv], CORPUS, reps)
            line += f" | helm {hw * 1000:6.0f} ms wall {hc * 1000:6.0f} ms cpu | {kw / hw:4.2f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main()
