"""kelm's Kubernetes client vs the oracle's kubectl: 100-object apply + list + watch workload.

Both run against the same kelm.testing API emulator (plain HTTP on 127.0.0.1), each phase
as one process of each tool, with each tool's default rate limits:

* apply: server-side apply of 100 ConfigMaps (``kubectl apply --server-side -f``, one file);
* list:  the 100 objects by label (``kubectl get -l ... -o json``);
* watch: a watch (list + watch, printing a line per event) sees the 100 objects, then the
  100 updates of a second process's apply; timed from the watcher's start to the last event.

Printed per phase: wall seconds of each tool, HTTP requests the emulator saw from each (told
apart by User-Agent), and kelm's time as a ratio of kubectl's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # tests.shared: the oracle
sys.path.insert(0, str(REPO_ROOT / "src"))
from tests.shared import KUBECTL  # noqa: E402

N = 100

KELM_APPLY = """
import sys, json
from kelm.kube import Client, ConfigFlags
c = Client.from_flags(ConfigFlags(kubeconfig=sys.argv[1]))
for obj in json.load(open(sys.argv[2]))["items"]:
    c.apply(obj, field_manager="kelm", force=True)
"""
KELM_LIST = """
import sys
from kelm.kube import Client, ConfigFlags
c = Client.from_flags(ConfigFlags(kubeconfig=sys.argv[1]))
assert len(c.list("v1", "ConfigMap", label_selector=sys.argv[3])) == int(sys.argv[2])
"""
KELM_WATCH = """
import sys
from kelm.kube import Client, ConfigFlags
c = Client.from_flags(ConfigFlags(kubeconfig=sys.argv[1]))
for typ, obj in c.watch("v1", "ConfigMap", label_selector=sys.argv[2], timeout=120):
    print(typ, obj["metadata"]["name"], flush=True)
"""


def objects(tool: str, generation: str) -> dict:
    """100 ConfigMaps of one tool (each tool its own objects: no field-manager conflicts)."""
    items = [{"apiVersion": "v1", "kind": "ConfigMap",
              "metadata": {"name": f"{tool}-{i:03d}", "namespace": "default",
                           "labels": {"kelm-bench": tool}},
              "data": {"index": str(i), "generation": generation}} for i in range(N)]
    return {"apiVersion": "v1", "kind": "List", "items": items}


def py(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def run(cmd: list[str], env: dict[str, str]) -> None:
    res = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, timeout=300)
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}...: exit {res.returncode}: "
                         f"{res.stderr.strip()[-400:]}")


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    run(cmd, env)
    return time.perf_counter() - t


def timed_watch(watch: list[str], update: list[str], env: dict[str, str]) -> float:
    """Start ``watch`` (it prints a line per event), wait for the N objects listed, run
    ``update`` and wait for its N events; the time from the watcher's start to the last one."""
    t = time.perf_counter()
    proc = subprocess.Popen(watch, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        for phase in ("list", "update"):
            if phase == "update":
                run(update, env)
            for _ in range(N):
                if not proc.stdout.readline():
                    raise SystemExit(f"{watch[0]}: the watch ended during its {phase}")
        return time.perf_counter() - t
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    if not os.path.exists(KUBECTL):
        print("skipped: the oracle's kubectl is not available")
        return
    try:
        from kelm.testing import cluster
    except ImportError:
        print("skipped: kelm.testing (the API emulator) is not available")
        return
    kubectl = str(KUBECTL)
    with tempfile.TemporaryDirectory() as tmp, cluster(simulate=False) as c:
        folder = Path(tmp)
        env = {**os.environ, "HOME": tmp, "KELM_NO_CACHE": "1",
               "PYTHONPATH": str(REPO_ROOT / "src")}
        kc = str(c.kubeconfig_path)
        files = {}
        for gen in ("kubectl-1", "kubectl-2", "kelm-1", "kelm-2"):
            files[gen] = folder / f"{gen}.json"
            files[gen].write_text(json.dumps(objects(gen.split("-")[0], gen)))

        def reqs(agent: str) -> int:
            return sum(1 for r in c.requests if r.user_agent.startswith(agent))

        validate = _validation_flag(kubectl, kc, str(files["kubectl-1"]), env)
        rows = []
        phases = [
            ("apply", [kubectl, "--kubeconfig", kc, "apply", "--server-side", *validate, "-f",
                       str(files["kubectl-1"])],
             py(KELM_APPLY, kc, str(files["kelm-1"]))),
            ("list", [kubectl, "--kubeconfig", kc, "get", "configmaps", "-l", "kelm-bench=kubectl",
                      "-o", "json"],
             py(KELM_LIST, kc, str(N), "kelm-bench=kelm")),
        ]
        for name, kube_cmd, kelm_cmd in phases:
            c.requests.clear()
            tk = timed(kube_cmd, env)
            rk = reqs("kubectl")
            tl = timed(kelm_cmd, env)
            rows.append((name, tk, rk, tl, reqs("kelm")))
            print(f"  {name}: done", file=sys.stderr, flush=True)
        # watch: each tool's watcher sees the other generation of updates from its own tool
        c.requests.clear()
        kube_watch = [kubectl, "--kubeconfig", kc, "get", "configmaps", "-l", "kelm-bench=kubectl",
                      "--watch", "-o", "name"]
        tk = timed_watch(kube_watch, [kubectl, "--kubeconfig", kc, "apply", "--server-side",
                                      *validate, "-f", str(files["kubectl-2"])], env)
        rk = reqs("kubectl")
        tl = timed_watch(py(KELM_WATCH, kc, "kelm-bench=kelm"),
                         py(KELM_APPLY, kc, str(files["kelm-2"])), env)
        rows.append(("watch (+100 updates)", tk, rk, tl, reqs("kelm")))

    print(f"{'phase':<22} {'kubectl':>9} {'reqs':>5} | {'kelm':>9} {'reqs':>5} | ratio")
    tot_k = tot_l = 0.0
    for name, tk, rk, tl, rl in rows:
        tot_k, tot_l = tot_k + tk, tot_l + tl
        print(f"{name:<22} {tk:8.2f}s {rk:5d} | {tl:8.2f}s {rl:5d} | {tl / tk:5.2f}x")
    print(f"{'total':<22} {tot_k:8.2f}s {'':5} | {tot_l:8.2f}s {'':5} | {tot_l / tot_k:5.2f}x")


def _validation_flag(kubectl: str, kc: str, path: str, env: dict[str, str]) -> list[str]:
    """kubectl's default client-side validation needs the server's OpenAPI; where the emulator
    cannot serve what kubectl asks, the benchmark turns it off (and says so)."""
    probe = subprocess.run([kubectl, "--kubeconfig", kc, "apply", "--server-side", "--dry-run=server",
                            "-f", path], env=env, capture_output=True, text=True, timeout=300)
    if probe.returncode == 0:
        return []
    print("note: kubectl runs with --validate=false (its client-side validation failed against "
          f"the emulator: {probe.stderr.strip().splitlines()[-1][:120]})")
    return ["--validate=false"]


if __name__ == "__main__":
    main()
