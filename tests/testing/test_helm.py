"""The oracle's helm (v4.1.4) against the emulator: a release's whole life."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest

from kelm.testing import Cluster

TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
---
apiVersion: v1
kind: ConfigMap
metadata: {name: {{ .Release.Name }}-cfg}
data: {replicas: "{{ .Values.replicas }}"}
"""


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    (d / "templates").mkdir(parents=True)
    (d / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: \"1.0\"\n")
    (d / "values.yaml").write_text("replicas: 1\n")
    (d / "templates" / "all.yaml").write_text(TEMPLATE)
    return d


def _release(kc: Cluster, name: str, version: int) -> dict:  # type: ignore[type-arg]
    secret = kc.get("Secret", f"sh.helm.release.v1.{name}.v{version}")
    assert secret is not None and secret["type"] == "helm.sh/release.v1"
    raw = base64.b64decode(base64.b64decode(secret["data"]["release"]))
    return json.loads(gzip.decompress(raw))  # type: ignore[no-any-return]


def test_install_upgrade_rollback_uninstall(helm, kc: Cluster, chart: Path) -> None:  # type: ignore[no-untyped-def]
    out = helm("install", "rel", str(chart), "--wait", "--timeout", "20s").stdout
    assert "STATUS: deployed" in out and "REVISION: 1" in out
    assert kc.get("Deployment", "rel-web")["spec"]["replicas"] == 1
    assert _release(kc, "rel", 1)["info"]["status"] == "deployed"
    secret = kc.get("Secret", "sh.helm.release.v1.rel.v1")
    assert secret["metadata"]["labels"]["owner"] == "helm"

    out = helm("upgrade", "rel", str(chart), "--set", "replicas=3", "--wait", "--timeout", "20s").stdout
    assert "REVISION: 2" in out
    assert kc.get("Deployment", "rel-web")["spec"]["replicas"] == 3
    assert kc.get("ConfigMap", "rel-cfg")["data"] == {"replicas": "3"}

    lines = helm("list").stdout.splitlines()
    assert lines[0].split()[:3] == ["NAME", "NAMESPACE", "REVISION"]
    assert lines[1].split()[:3] == ["rel", "default", "2"]
    history = helm("history", "rel").stdout.splitlines()
    assert [h.split()[0] for h in history[1:]] == ["1", "2"]
    assert "superseded" in history[1] and "deployed" in history[2]
    status = helm("status", "rel").stdout
    assert "STATUS: deployed" in status and "REVISION: 2" in status
    assert helm("get", "values", "rel").stdout == "USER-SUPPLIED VALUES:\nreplicas: 3\n"
    assert "kind: ConfigMap" in helm("get", "manifest", "rel").stdout

    helm("rollback", "rel", "1", "--wait", "--timeout", "20s")
    assert kc.get("Deployment", "rel-web")["spec"]["replicas"] == 1
    assert _release(kc, "rel", 3)["info"]["status"] == "deployed"

    assert helm("uninstall", "rel").stdout.strip() == 'release "rel" uninstalled'
    assert kc.get("Deployment", "rel-web") is None and kc.get("ConfigMap", "rel-cfg") is None
    assert kc.objects("Secret", labels="owner=helm") == []
    assert helm("list").stdout.splitlines()[1:] == []


def test_wait_fails_when_a_deployment_never_becomes_ready(helm, kc: Cluster, chart: Path) -> None:  # type: ignore[no-untyped-def]
    kc.set_behavior("Deployment", "slow-web", ready=False)
    p = helm("install", "slow", str(chart), "--wait", "--timeout", "2s", check=False)
    assert p.returncode == 1
    assert _release(kc, "slow", 1)["info"]["status"] == "failed"


def test_wait_sees_a_delayed_deployment(helm, kc: Cluster, chart: Path) -> None:  # type: ignore[no-untyped-def]
    kc.set_behavior("Deployment", "late-web", delay=1.0)
    helm("install", "late", str(chart), "--wait", "--timeout", "20s")
    d = kc.get("Deployment", "late-web")
    assert d["status"]["availableReplicas"] == 1


def test_legacy_wait_finds_the_new_replicaset(helm, kc: Cluster, chart: Path) -> None:  # type: ignore[no-untyped-def]
    helm("install", "rel", str(chart), "--wait=legacy", "--timeout", "10s")
    helm("upgrade", "rel", str(chart), "--set", "replicas=2", "--wait=legacy", "--timeout", "10s")
    status = helm("status", "rel").stdout
    related = status[status.index("==> v1/Pod(related)"):]
    assert related.count("rel-web-") == 2 and related.count("Running") == 2
    assert len(kc.objects("Pod")) == 2


def test_install_into_a_new_namespace(helm, kc: Cluster, chart: Path) -> None:  # type: ignore[no-untyped-def]
    helm("install", "rel", str(chart), "-n", "apps", "--create-namespace")
    assert kc.get("Namespace", "apps") is not None
    assert kc.get("Deployment", "rel-web", "apps") is not None
    assert "rel" in helm("list", "-n", "apps").stdout


HOOKS = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    "helm.sh/hook": pre-install,pre-upgrade
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test
  annotations: {"helm.sh/hook": test}
spec:
  restartPolicy: Never
  containers: [{name: t, image: busybox}]
---
apiVersion: v1
kind: Service
metadata: {name: {{ .Release.Name }}-lb}
spec:
  type: LoadBalancer
  ports: [{port: 80}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: {{ .Release.Name }}-data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
"""


def test_hooks_tests_and_waited_kinds(helm, kc: Cluster, chart: Path) -> None:  # type: ignore[no-untyped-def]
    (chart / "templates" / "hooks.yaml").write_text(HOOKS)
    out = helm("upgrade", "--install", "rel", str(chart), "--wait", "--timeout", "20s").stdout
    assert out.startswith('Release "rel" does not exist. Installing it now.')
    assert kc.get("Job", "rel-migrate") is None  # ran, completed, deleted by its policy
    assert kc.get("Service", "rel-lb")["status"]["loadBalancer"]["ingress"]
    assert kc.get("PersistentVolumeClaim", "rel-data")["status"]["phase"] == "Bound"
    test = helm("test", "rel").stdout
    assert "TEST SUITE:     rel-test" in test and "Phase:          Succeeded" in test
    assert "MANIFEST:" in helm("get", "all", "rel").stdout


def test_failing_hook_fails_the_install(helm, kc: Cluster, chart: Path) -> None:  # type: ignore[no-untyped-def]
    (chart / "templates" / "hooks.yaml").write_text(HOOKS)
    kc.set_behavior("Job", "bad-migrate", fail=True)
    p = helm("install", "bad", str(chart), "--wait", "--timeout", "10s", check=False)
    assert p.returncode == 1 and "bad-migrate" in p.stderr
    assert _release(kc, "bad", 1)["info"]["status"] == "failed"
