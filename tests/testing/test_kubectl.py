"""The oracle's kubectl (v1.35.2) against the emulator: the commands chart authors use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kelm.testing import Cluster
from tests.testing.conftest import has_diff

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, labels: {app: web}}
data: {a: "1"}
"""


@pytest.fixture
def app(tmp_path: Path) -> Path:
    p = tmp_path / "app.yaml"
    p.write_text(APP)
    return p


def test_apply_get_delete(kubectl, kc: Cluster, app: Path) -> None:  # type: ignore[no-untyped-def]
    out = kubectl("apply", "-f", str(app)).stdout
    assert out.splitlines() == ["deployment.apps/web created", "service/web created",
                                "configmap/cfg created"]
    assert "deployment.apps/web unchanged" in kubectl("apply", "-f", str(app)).stdout
    d = kc.get("Deployment", "web")
    assert d is not None and "kubectl.kubernetes.io/last-applied-configuration" in d["metadata"]["annotations"]
    assert kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").stdout == "2"
    doc = json.loads(kubectl("get", "svc", "web", "-o", "json").stdout)
    assert doc["spec"]["ports"][0] == {"port": 80, "protocol": "TCP", "targetPort": 80}
    assert "kind: ConfigMap" in kubectl("get", "cm", "cfg", "-o", "yaml").stdout
    names = kubectl("get", "cm,svc", "-l", "app=web", "-o", "name").stdout.split()
    assert names == ["configmap/cfg", "service/web"]
    table = kubectl("get", "deploy").stdout.splitlines()
    assert table[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    out = kubectl("delete", "-f", str(app)).stdout
    assert 'deployment.apps "web" deleted' in out
    assert kc.objects("Deployment") == [] and kc.objects("ConfigMap") == []
    missing = kubectl("get", "deploy", "web", check=False)
    assert missing.returncode == 1
    assert missing.stderr.strip() == 'Error from server (NotFound): deployments.apps "web" not found'


def test_apply_configures_and_diff(kubectl, kc: Cluster, app: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kubectl("apply", "-f", str(app))
    changed = tmp_path / "changed.yaml"
    changed.write_text(APP.replace("replicas: 2", "replicas: 3"))
    if has_diff():
        d = kubectl("diff", "-f", str(changed), check=False)
        assert d.returncode == 1 and "-  replicas: 2" in d.stdout and "+  replicas: 3" in d.stdout
        assert kc.get("Deployment", "web")["spec"]["replicas"] == 2  # diff is a dry run
        same = kubectl("diff", "-f", str(app), check=False)
        assert same.returncode == 0 and same.stdout == ""
    out = kubectl("apply", "-f", str(changed)).stdout
    assert "deployment.apps/web configured" in out and "service/web unchanged" in out
    assert kc.get("Deployment", "web")["spec"]["replicas"] == 3


def test_server_side_apply_and_conflicts(kubectl, kc: Cluster, app: Path) -> None:  # type: ignore[no-untyped-def]
    out = kubectl("apply", "--server-side", "-f", str(app)).stdout
    assert "deployment.apps/web serverside-applied" in out
    owners = {m["manager"] for m in kc.get("Deployment", "web")["metadata"]["managedFields"]}
    assert "kubectl" in owners
    kubectl("scale", "deploy/web", "--replicas=5")
    clash = kubectl("apply", "--server-side", "-f", str(app), check=False)
    assert clash.returncode == 1
    assert ('error: Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: '
            '.spec.replicas') in clash.stderr
    kubectl("apply", "--server-side", "--force-conflicts", "-f", str(app))
    assert kc.get("Deployment", "web")["spec"]["replicas"] == 2


def test_create_and_patch(kubectl, kc: Cluster) -> None:  # type: ignore[no-untyped-def]
    assert kubectl("create", "namespace", "demo").stdout.strip() == "namespace/demo created"
    kubectl("create", "deployment", "web", "--image=nginx:1.25", "-n", "demo")
    d = kc.get("Deployment", "web", "demo")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    kubectl("patch", "deploy", "web", "-n", "demo", "-p", '{"spec":{"replicas":4}}')
    kubectl("patch", "deploy", "web", "-n", "demo", "--type=merge", "-p",
            '{"metadata":{"labels":{"tier":"front"}}}')
    kubectl("patch", "deploy", "web", "-n", "demo", "--type=json", "-p",
            '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:2"}]')
    d = kc.get("Deployment", "web", "demo")
    assert d["spec"]["replicas"] == 4 and d["metadata"]["labels"]["tier"] == "front"
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:2"
    kubectl("delete", "namespace", "demo")
    assert kc.get("Namespace", "demo") is None and kc.get("Deployment", "web", "demo") is None


def test_wait_and_rollout_status(kubectl, kc: Cluster, app: Path) -> None:  # type: ignore[no-untyped-def]
    kubectl("apply", "-f", str(app))
    out = kubectl("wait", "--for=condition=Available", "deploy/web", "--timeout=10s").stdout
    assert out.strip() == "deployment.apps/web condition met"
    out = kubectl("rollout", "status", "deploy/web", "--timeout=10s").stdout
    assert 'deployment "web" successfully rolled out' in out


def test_wait_times_out_on_a_never_ready_deployment(kubectl, kc: Cluster, app: Path) -> None:  # type: ignore[no-untyped-def]
    kc.set_behavior("Deployment", "web", ready=False)
    kubectl("apply", "-f", str(app))
    p = kubectl("wait", "--for=condition=Available", "deploy/web", "--timeout=1s", check=False)
    assert p.returncode == 1 and "timed out" in p.stderr


def test_rollout_status_reports_failure(kubectl, kc: Cluster, app: Path) -> None:  # type: ignore[no-untyped-def]
    kc.set_behavior("Deployment", "web", fail=True)
    kubectl("apply", "-f", str(app))
    p = kubectl("rollout", "status", "deploy/web", "--timeout=10s", check=False)
    assert p.returncode == 1 and 'deployment "web" exceeded its progress deadline' in p.stderr


def test_api_resources(kubectl) -> None:  # type: ignore[no-untyped-def]
    lines = kubectl("api-resources").stdout.splitlines()
    assert lines[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    rows = {ln.split()[0]: ln.split() for ln in lines[1:]}
    assert rows["deployments"] == ["deployments", "deploy", "apps/v1", "true", "Deployment"]
    assert rows["namespaces"] == ["namespaces", "ns", "v1", "false", "Namespace"]


def test_crd_then_custom_resource(kubectl, kc: Cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    crd = tmp_path / "crd.yaml"
    crd.write_text("""\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
""")
    kubectl("apply", "-f", str(crd))
    kubectl("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=10s")
    w = tmp_path / "w.yaml"
    w.write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n")
    assert kubectl("apply", "-f", str(w)).stdout.strip() == "widget.example.com/w1 created"
    assert kubectl("get", "wd", "w1", "-o", "jsonpath={.spec.size}").stdout == "3"
    w.write_text("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2}\nspec: {sise: 3}\n")
    bad = kubectl("apply", "-f", str(w), check=False)
    assert bad.returncode == 1 and 'unknown field "spec.sise"' in bad.stderr


def test_tls_and_a_certificate_for_another_name(tmp_path: Path) -> None:
    import subprocess

    from kelm.testing import cluster
    from tests.testing.conftest import oracle_tool

    binary = oracle_tool("kubectl")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    with cluster(tls=True) as c:
        p = subprocess.run([binary, "--kubeconfig", str(c.kubeconfig_path), "get", "ns", "-o", "name"],
                           capture_output=True, text=True, env=env, timeout=30)
        assert p.returncode == 0 and "namespace/default" in p.stdout.split()
    with cluster(tls=True, cert_hosts=["127.0.0.2", "elsewhere.invalid"]) as c:
        p = subprocess.run([binary, "--kubeconfig", str(c.kubeconfig_path), "get", "ns"],
                           capture_output=True, text=True, env=env, timeout=30)
        assert p.returncode == 1
        assert "x509: certificate is valid for 127.0.0.2, not 127.0.0.1" in p.stderr


def test_pods_of_a_deployment(kubectl, kc: Cluster, app: Path) -> None:  # type: ignore[no-untyped-def]
    kubectl("apply", "-f", str(app))
    kubectl("rollout", "status", "deploy/web", "--timeout=10s")
    kc.wait_for("ReplicaSet", kc.objects("ReplicaSet")[0]["metadata"]["name"],
                lambda o: len(kc.objects("Pod", labels="app=web")) == 2)
    rows = kubectl("get", "pods", "-l", "app=web", "--no-headers").stdout.splitlines()
    assert len(rows) == 2 and all(r.split()[1:3] == ["1/1", "Running"] for r in rows)
    for p in kc.objects("Pod"):
        kc.set_pod_logs(p["metadata"]["name"], "served\n")
    out = kubectl("logs", "deploy/web")
    assert out.stdout == "served\n"


def test_logs(kubectl, kc: Cluster) -> None:  # type: ignore[no-untyped-def]
    kc.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
               "spec": {"containers": [{"name": "app", "image": "busybox"}]}})
    kc.set_pod_logs("p", "line one\nline two\n")
    assert kubectl("logs", "p").stdout == "line one\nline two\n"
