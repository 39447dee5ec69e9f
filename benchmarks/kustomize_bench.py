"""kelm kustomize build vs kubectl kustomize on a large overlay tree, as a ratio in one run.

Tree: a base of 300 resources (Deployments, Services, ConfigMaps), three overlay layers each
adding a name prefix and labels, 50 strategic-merge patches and a configMapGenerator on top.
Both tools run as a fresh process (what a user pays); the best of N runs is compared.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.shared: the oracle
from tests.shared import KUBECTL  # noqa: E402

RUNS = int(os.environ.get("KELM_BENCH_RUNS", "5"))


def _deployment(i: int) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app{i}
  labels:
    app: app{i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app{i}
  template:
    metadata:
      labels:
        app: app{i}
    spec:
      containers:
      - name: main
        image: registry.example.com/app{i}:1.{i}
        ports:
        - containerPort: 8080
          name: http
        env:
        - name: INDEX
          value: "{i}"
        - name: MODE
          value: production
        envFrom:
        - configMapRef:
            name: cfg{i}
        volumeMounts:
        - name: data
          mountPath: /data
      volumes:
      - name: data
        configMap:
          name: cfg{i}
"""


def _service(i: int) -> str:
    return f"""apiVersion: v1
kind: Service
metadata:
  name: app{i}
spec:
  selector:
    app: app{i}
  ports:
  - port: 80
    targetPort: http
"""


def _configmap(i: int) -> str:
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg{i}
data:
  key: value-{i}
  other: "{i}"
"""


def make_tree(root: Path) -> Path:
    base = root / "base"
    base.mkdir(parents=True)
    files = []
    for i in range(100):
        for kind, text in (("deploy", _deployment(i)), ("svc", _service(i)),
                           ("cm", _configmap(i))):
            name = f"{kind}{i}.yaml"
            (base / name).write_text(text)
            files.append(name)
    (base / "kustomization.yaml").write_text(
        "resources:\n" + "".join(f"- {f}\n" for f in files)
    )
    prev = "../base"
    for layer in range(1, 4):
        d = root / f"layer{layer}"
        d.mkdir()
        (d / "kustomization.yaml").write_text(
            f"resources:\n- {prev}\nnamePrefix: l{layer}-\n"
            f"labels:\n- pairs:\n    layer{layer}: \"yes\"\n  includeSelectors: true\n"
            f"commonAnnotations:\n  layer{layer}/owner: team-{layer}\n"
        )
        prev = f"../layer{layer}"
    top = root / "top"
    top.mkdir()
    patches = []
    for i in range(50):
        (top / f"patch{i}.yaml").write_text(
            f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app{i}
spec:
  replicas: {i % 5 + 1}
  template:
    spec:
      containers:
      - name: main
        env:
        - name: PATCHED
          value: "{i}"
        resources:
          limits:
            memory: 256Mi
"""
        )
        patches.append(f"patch{i}.yaml")
    (top / "app.env").write_text("".join(f"KEY_{i}=value{i}\n" for i in range(50)))
    (top / "kustomization.yaml").write_text(
        f"resources:\n- {prev}\nnamespace: bench\n"
        "patches:\n" + "".join(f"- path: {p}\n" for p in patches)
        + "configMapGenerator:\n- name: generated\n  envs:\n  - app.env\n"
        "  literals:\n  - extra=1\n"
    )
    return top


def _time(cmd: list[str], cwd: Path) -> tuple[float, bytes]:
    best = float("inf")
    out = b""
    for _ in range(RUNS):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
        best = min(best, time.perf_counter() - t0)
        if p.returncode != 0:
            sys.stderr.write(p.stderr.decode(errors="replace"))
            raise SystemExit(f"{cmd[0]} failed")
        out = p.stdout
    return best, out


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="kelm-kbench-"))
    try:
        top = make_tree(tmp)
        kelm = [sys.executable, "-m", "kelm", "kustomize", "build", str(top)]
        t_kelm, out_kelm = _time(kelm, tmp)
        if not os.path.exists(KUBECTL):
            print(f"kelm kustomize build: {t_kelm:.3f}s (no oracle kubectl; ratio n/a)")
            return 0
        t_ref, out_ref = _time([KUBECTL, "kustomize", str(top)], tmp)
        same = "identical" if out_kelm == out_ref else "DIFFERENT"
        docs = out_ref.count(b"\n---\n") + 1
        print(f"resources: {docs}, output {same} ({len(out_ref)} bytes)")
        print(f"kelm: {t_kelm:.3f}s  kubectl kustomize: {t_ref:.3f}s  "
              f"ratio kelm/kubectl: {t_kelm / t_ref:.2f}x (best of {RUNS})")
        return 0 if out_kelm == out_ref else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
