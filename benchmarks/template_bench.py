"""`kelm template` vs `helm template` (the oracle), as ratios measured in one run.

(a) the whole shared chart corpus (every case of ../shared/charts/cases.json),
(b) the largest chart of the corpus alone,
(c) tpl-heavy umbrella charts from ``../shared/tools/gen_umbrella OUT N 20`` (N = 20, 50, 100).

Both tools run as fresh processes, exactly as a user runs them, and each job counts its best
of ``--reps`` runs (default 3): the first run of a new kelm version fills its per-machine
caches (parse trees, generated code, regex matchers; like Python's ``__pycache__``), later runs
use them.  Wall time and CPU time (user+sys of the child) are reported; on a busy machine the
CPU ratio is the steadier one.
Usage: python benchmarks/template_bench.py [--quick] [--reps K]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # tests.shared: the oracle and ../shared
from tests.shared import HELM, SHARED  # noqa: E402

CORPUS = SHARED / "charts"
# the installed ``kelm`` command, as users run it (``python -m kelm`` when not installed)
_SCRIPT = Path(sys.executable).with_name("kelm")
KELM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kelm"]


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    rc = subprocess.call(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, rc


def measure(jobs: list[tuple[list[str], Path]], reps: int) -> dict[str, float]:
    """Total wall/cpu of helm and kelm over the jobs (best of ``reps`` per job)."""
    tot = {"helm_wall": 0.0, "helm_cpu": 0.0, "kelm_wall": 0.0, "kelm_cpu": 0.0}
    for args, cwd in jobs:
        for tool, cmd in (("helm", [HELM, "template", *args]), ("kelm", [*KELM, "template", *args])):
            best_w, best_c = float("inf"), float("inf")
            for _ in range(reps):
                w, c, _rc = run(cmd, cwd)
                best_w, best_c = min(best_w, w), min(best_c, c)
            tot[f"{tool}_wall"] += best_w
            tot[f"{tool}_cpu"] += best_c
    return tot


def report(label: str, tot: dict[str, float]) -> dict[str, float]:
    rw = tot["kelm_wall"] / max(tot["helm_wall"], 1e-9)
    rc = tot["kelm_cpu"] / max(tot["helm_cpu"], 1e-9)
    print(f"{label:<28} helm {tot['helm_wall']:7.2f}s wall {tot['helm_cpu']:7.2f}s cpu | "
          f"kelm {tot['kelm_wall']:7.2f}s wall {tot['kelm_cpu']:7.2f}s cpu | "
          f"ratio wall {rw:5.2f}x cpu {rc:5.2f}x", flush=True)
    return {"wall_ratio": rw, "cpu_ratio": rc, **tot}


def main() -> None:
    quick = "--quick" in sys.argv
    reps = 3
    if "--reps" in sys.argv:
        reps = int(sys.argv[sys.argv.index("--reps") + 1])
    if not (CORPUS / "cases.json").exists() or not os.path.exists(HELM):
        print("skipped: corpus or oracle helm not available")
        return
    results: dict[str, dict[str, float]] = {}
    cases = json.loads((CORPUS / "cases.json").read_text())["cases"]
    if quick:
        cases = cases[::10]
    jobs = [(c["args"], CORPUS) for c in cases]
    results["corpus"] = report(f"(a) corpus ({len(jobs)} cases)", measure(jobs, reps))

    def chart_size(name: str) -> int:
        return sum(f.stat().st_size for f in (CORPUS / "charts" / name).rglob("*") if f.is_file())

    largest = max((p.name for p in (CORPUS / "charts").iterdir()), key=chart_size)
    results["largest"] = report(
        f"(b) largest: {largest}",
        measure([(["rel", f"charts/{largest}", "--namespace", "ns"], CORPUS)], max(reps, 2)),
    )
    tmp = Path(tempfile.mkdtemp(prefix="kelm-umbrella-"))
    try:
        for n in (20, 50) if quick else (20, 50, 100):
            out = tmp / f"umbrella{n}"
            subprocess.check_call([str(SHARED / "tools" / "gen_umbrella"), str(out), str(n), "20"])
            results[f"umbrella{n}"] = report(
                f"(c) umbrella N={n}", measure([(["r", str(out)], tmp)], reps)
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({k: {"wall_ratio": round(v["wall_ratio"], 3),
                          "cpu_ratio": round(v["cpu_ratio"], 3)} for k, v in results.items()}))


if __name__ == "__main__":
    main()
