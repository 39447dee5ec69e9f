"""kelm vs the oracle's helm: install, then upgrade (half the objects changed), of a generated
chart of 100 and of 500 objects (ConfigMaps, Services and Deployments), against one
kelm.testing API emulator started once for the whole run; then, as extra rows, a rollback
to revision 1 and the uninstall.

Each tool runs as its own process with its defaults (server-side apply; no ``--wait``), in
its own namespace; helm and kelm take turns.  Every phase is run ``--rounds`` times (fresh
releases) and the best time is kept.  Printed per size and phase: wall seconds of each tool,
the HTTP requests the emulator saw during each run (one tool runs at a time: both send
Helm's User-Agent), kelm's time as a
ratio of helm's; then the total per size.  Target: kelm <= 0.5x helm at 500 objects.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # tests.shared: the oracle
sys.path.insert(0, str(REPO_ROOT / "src"))
from tests.shared import HELM  # noqa: E402

SIZES = (100, 500)
TARGET = 0.5

TEMPLATE = """\
{{- range $i := until (int .Values.count) }}
{{- $gen := ternary $.Values.gen 1 (eq (mod $i 2) 0) }}
{{- $kind := mod $i 4 }}
{{- if lt $kind 2 }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $.Release.Name }}-cm-{{ $i }}
  labels: {app: {{ $.Release.Name }}, index: "{{ $i }}"}
data:
  generation: "{{ $gen }}"
  payload: {{ printf "%s-%d" $.Release.Name $i | repeat 8 | quote }}
{{- else if eq $kind 2 }}
apiVersion: v1
kind: Service
metadata:
  name: {{ $.Release.Name }}-svc-{{ $i }}
  labels: {app: {{ $.Release.Name }}, generation: "{{ $gen }}"}
spec:
  selector: {app: {{ $.Release.Name }}, index: "{{ $i }}"}
  ports:
  - {name: http, port: 80, targetPort: 8080}
{{- else }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $.Release.Name }}-web-{{ $i }}
  labels: {app: {{ $.Release.Name }}}
spec:
  replicas: 1
  selector:
    matchLabels: {app: {{ $.Release.Name }}, index: "{{ $i }}"}
  template:
    metadata:
      labels: {app: {{ $.Release.Name }}, index: "{{ $i }}"}
    spec:
      containers:
      - name: web
        image: "nginx:1.{{ $gen }}"
        env:
        - {name: GENERATION, value: "{{ $gen }}"}
        ports:
        - {containerPort: 8080}
{{- end }}
---
{{- end }}
"""


def write_chart(root: Path) -> Path:
    chart = root / "bench"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: bench\nversion: 1.0.0\n")
    (chart / "values.yaml").write_text("count: 100\ngen: 1\n")
    (chart / "templates" / "objects.yaml").write_text(TEMPLATE)
    return chart


def run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    res = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, timeout=600)
    took = time.perf_counter() - t
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])}...: exit {res.returncode}: "
                         f"{res.stderr.strip()[-400:]}")
    return took


def kelm_has(command: str) -> bool:
    return (REPO_ROOT / "src" / "kelm" / "cli" / f"{command}.py").exists()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2, help="runs of each phase (best kept)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="objects per chart")
    args, _ = ap.parse_known_args()
    if not HELM.available():
        print("skipped: the oracle's helm is not available")
        return
    try:
        from kelm.testing import cluster
    except ImportError:
        print("skipped: kelm.testing (the API emulator) is not available")
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    phases = ["install"] + [p for p in ("upgrade", "rollback", "uninstall") if kelm_has(p)]
    if "upgrade" not in phases:
        phases = ["install"]  # a rollback needs a second revision
    main_phases = [p for p in phases if p in ("install", "upgrade")]
    with tempfile.TemporaryDirectory() as tmp, cluster(simulate=False) as c:
        chart = str(write_chart(Path(tmp)))
        env = {**os.environ, "HOME": tmp, "KELM_NO_CACHE": "1", **c.env(),
               "PYTHONPATH": str(REPO_ROOT / "src")}
        tools = {"helm": [str(HELM)], "kelm": [sys.executable, "-m", "kelm"]}
        best: dict[tuple[int, str, str], tuple[float, int]] = {}
        for n in sizes:
            for rnd in range(args.rounds):
                for tool in ("helm", "kelm"):
                    rel = f"{tool}-{n}-{rnd}"
                    ns = ["-n", rel]
                    steps = {"install": ["install", rel, chart, *ns, "--create-namespace",
                                         "--set", f"count={n}"],
                             "upgrade": ["upgrade", rel, chart, *ns, "--set", f"count={n}",
                                         "--set", "gen=2"],
                             "rollback": ["rollback", rel, "1", *ns],
                             "uninstall": ["uninstall", rel, *ns]}
                    for phase in phases:
                        c.requests.clear()
                        took = run([*tools[tool], *steps[phase]], env)
                        reqs = len(c.requests)
                        key = (n, phase, tool)
                        if key not in best or took < best[key][0]:
                            best[key] = (took, reqs)
                print(f"  {n} objects, round {rnd + 1}: done", file=sys.stderr, flush=True)
    if "upgrade" not in phases:
        print("note: upgrade not measured (kelm upgrade has not landed)")
    print(f"{'objects':>7} {'phase':<15} {'helm':>8} {'reqs':>5} | {'kelm':>8} {'reqs':>5} | "
          "ratio")
    for n in sizes:
        for phase in phases:
            (th, rh), (tk, rk) = best[(n, phase, "helm")], best[(n, phase, "kelm")]
            print(f"{n:>7} {phase:<15} {th:7.2f}s {rh:5d} | {tk:7.2f}s {rk:5d} | "
                  f"{tk / th:5.2f}x")
        tot_h = sum(best[(n, p, "helm")][0] for p in main_phases)
        tot_k = sum(best[(n, p, "kelm")][0] for p in main_phases)
        print(f"{n:>7} {'+'.join(main_phases):<15} {tot_h:7.2f}s {'':5} | {tot_k:7.2f}s "
              f"{'':5} | {tot_k / tot_h:5.2f}x")
    if 500 in sizes:
        ratio = sum(best[(500, p, "kelm")][0] for p in main_phases) / \
            sum(best[(500, p, "helm")][0] for p in main_phases)
        verdict = "met" if ratio <= TARGET else "NOT met"
        print(f"target kelm <= {TARGET}x helm at 500 objects ({'+'.join(main_phases)}): "
              f"{verdict} ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
