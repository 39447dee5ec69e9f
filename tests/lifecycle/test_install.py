"""``kelm install`` against the kelm.testing API emulator: Helm's order, ownership metadata,
server-side apply as ``helm``, hooks, the release record, Helm's messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import kelm.testing

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
    "values.yaml": "replicas: 2\n",
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
                         "data:\n  replicas: {{ .Values.replicas | quote }}\n",
    "templates/deploy.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
        "spec:\n  replicas: {{ .Values.replicas }}\n  selector:\n    matchLabels: {app: x}\n"
        "  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      containers:\n"
        "      - name: c\n        image: nginx\n"),
    "templates/pre.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-pre\n"
        "  annotations:\n    helm.sh/hook: pre-install\n"
        "    helm.sh/hook-delete-policy: hook-succeeded\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n"),
    "templates/post.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-post\n"
        "  annotations:\n    helm.sh/hook: post-install\n"),
    "templates/NOTES.txt": "Hello from {{ .Release.Name }}.\n",
    "crds/widget.yaml": (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
        "  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n"
        "  names: {plural: widgets, singular: widget, kind: Widget}\n  versions:\n"
        "  - name: v1\n    served: true\n    storage: true\n    schema:\n"
        "      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n"),
}


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    for name, text in CHART.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with kelm.testing.cluster() as c:
        yield c


def kelm_cli(c: kelm.testing.Cluster | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))}
    if c is not None:
        env.update(c.env())
    return subprocess.run([sys.executable, "-m", "kelm", *args], env=env, capture_output=True,
                          text=True, timeout=60)


def test_install_applies_objects_with_ownership_and_records_deployed(cluster, chart) -> None:
    r = kelm_cli(cluster, "install", "one", str(chart))
    assert r.returncode == 0, r.stderr
    assert "STATUS: deployed\nREVISION: 1\nDESCRIPTION: Install complete\n" in r.stdout
    assert r.stdout.endswith("NOTES:\nHello from one.\n")
    cm = cluster.get("ConfigMap", "one-cm")
    meta = cm["metadata"]
    assert meta["annotations"] == {"meta.helm.sh/release-name": "one",
                                   "meta.helm.sh/release-namespace": "default"}
    assert meta["labels"]["app.kubernetes.io/managed-by"] == "Helm"
    assert [(m["manager"], m["operation"]) for m in meta["managedFields"]] == [("helm", "Apply")]
    assert cluster.get("Deployment", "one")["spec"]["replicas"] == 2
    # CRDs from crds/ are created before the templates; hooks ran
    assert cluster.get("CustomResourceDefinition", "widgets.example.com", namespace="") is not None
    assert cluster.get("Job", "one-pre") is None  # hook-succeeded: deleted
    assert cluster.get("ConfigMap", "one-post") is not None
    secrets = cluster.objects("Secret", labels="owner=helm,name=one")
    assert [s["metadata"]["labels"]["status"] for s in secrets] == ["deployed"]


def test_name_in_use_is_refused(cluster, chart) -> None:
    assert kelm_cli(cluster, "install", "two", str(chart), "--no-hooks").returncode == 0
    r = kelm_cli(cluster, "install", "two", str(chart))
    # Helm v4.1.4's words (recorded from the oracle's helm)
    assert (r.returncode, r.stderr) == (
        1, 'level=ERROR msg="release name check failed" error="cannot reuse a name that is '
           'still in use"\nError: INSTALLATION FAILED: release name check failed: cannot reuse '
           'a name that is still in use\n')


def test_object_owned_by_another_release_stops_the_install(cluster, chart) -> None:
    cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "three-cm", "namespace": "default"}})
    r = kelm_cli(cluster, "install", "three", str(chart))
    assert r.returncode == 1
    assert r.stderr.startswith('Error: INSTALLATION FAILED: unable to continue with install: '
                               'ConfigMap "three-cm" in namespace "default" exists and cannot be '
                               'imported into the current release: invalid ownership metadata; ')
    assert cluster.objects("Secret", labels="owner=helm,name=three") == []


def test_create_namespace_json_output_and_description(cluster, chart) -> None:
    r = kelm_cli(cluster, "install", "four", str(chart), "-n", "team", "--create-namespace",
                 "-o", "json", "--description", "first", "--no-hooks", "--skip-crds")
    assert r.returncode == 0, r.stderr
    rel = json.loads(r.stdout)
    assert (rel["name"], rel["namespace"], rel["version"]) == ("four", "team", 1)
    assert (rel["info"]["status"], rel["info"]["description"]) == ("deployed", "first")
    assert cluster.get("Namespace", "team", namespace="") is not None
    assert cluster.get("ConfigMap", "four-cm", namespace="team") is not None
    assert cluster.get("ConfigMap", "four-post", namespace="team") is None  # --no-hooks


INVALID = {"Chart.yaml": "apiVersion: v2\nname: inv\nversion: 0.1.0\n",
           "templates/cm.yaml": ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                 "  name: {{ .Release.Name }}-cm\nbogus: 1\ndata: {a: '1'}\n")}


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def each_tool(*commands: list[str], prepare: Any = None,
              check: Any = None) -> dict[str, list[subprocess.CompletedProcess[str]]]:
    """``commands`` run by kelm and (when there) the oracle's helm, each tool on a fresh
    emulator (``prepare(cluster)`` first, ``check(cluster)`` after)."""
    from tests.shared import HELM

    said = {}
    for tool in ("kelm", "helm"):
        if tool == "helm" and not HELM.available():
            continue
        with kelm.testing.cluster() as c:
            if prepare is not None:
                prepare(c)
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith(("HELM_", "KUBECONFIG"))}
            env.update(c.env())
            cmd = [os.fspath(HELM)] if tool == "helm" else [sys.executable, "-m", "kelm"]
            said[tool] = [subprocess.run([*cmd, *args], env=env, capture_output=True,
                                         text=True, timeout=60) for args in commands]
            if check is not None:
                check(c)
    return said


def test_disable_openapi_validation_is_accepted_as_helm_v4_takes_it(tmp_path: Path) -> None:
    """Helm v4's flag only skips the client's fieldValidation check (its /openapi/v3
    requests): the server still validates strictly.  kelm makes no client-side check."""
    bad = write_files(tmp_path / "inv", INVALID)

    def no_openapi(c: kelm.testing.Cluster) -> None:
        assert not [q for q in c.requests if q.path.startswith("/openapi")]

    runs = each_tool(["install", "x", str(bad), "--disable-openapi-validation"],
                     ["history", "x", "-o", "json"], check=no_openapi)
    said = {tool: (r.returncode, r.stdout, r.stderr,
                   [(e["revision"], e["status"], e["description"])
                    for e in json.loads(h.stdout)]) for tool, (r, h) in runs.items()}
    assert said["kelm"] == (
        1, "", "Error: INSTALLATION FAILED: failed to create typed patch object (default/x-cm; "
               "/v1, Kind=ConfigMap): .bogus: field not declared in schema\n",
        [(1, "failed", 'Release "x" failed: failed to create typed patch object (default/x-cm; '
                       "/v1, Kind=ConfigMap): .bogus: field not declared in schema")])
    if "helm" in said:
        assert said["kelm"] == said["helm"]


def test_disable_openapi_validation_installs_a_valid_chart_as_without(cluster, chart) -> None:
    r = kelm_cli(cluster, "install", "five", str(chart), "--disable-openapi-validation")
    assert r.returncode == 0, r.stderr
    assert "STATUS: deployed\nREVISION: 1\nDESCRIPTION: Install complete\n" in r.stdout
    assert cluster.get("ConfigMap", "five-cm") is not None
    r = kelm_cli(cluster, "upgrade", "five", str(chart), "--disable-openapi-validation")
    assert r.returncode == 0, r.stderr
    assert "REVISION: 2\n" in r.stdout


def test_unreachable_cluster_is_one_line_as_helm(chart, tmp_path: Path) -> None:
    url = kelm.testing.Cluster.unreachable_url()
    (tmp_path / "empty").write_text("")
    r = kelm_cli(None, "install", "web", str(chart), "--kube-apiserver", url,
                 "--kubeconfig", str(tmp_path / "empty"))
    host = url.split("://", 1)[1].rstrip("/")
    why = (f'kubernetes cluster unreachable: Get "{url.rstrip("/")}/version": dial tcp {host}: '
           "connect: connection refused")
    assert r.returncode == 1
    assert r.stderr.splitlines()[-1] == (
        f"Error: INSTALLATION FAILED: cluster reachability check failed: {why}")
    assert "Traceback" not in r.stderr


def test_cluster_scoped_object_owned_by_nobody_is_named_as_helm_names_it(tmp_path: Path) -> None:
    """Helm's message names the namespace of a cluster-scoped object too: ``in namespace ""``."""
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "reader"}, "rules": []}
    root = write_files(tmp_path / "scoped", {
        "Chart.yaml": "apiVersion: v2\nname: scoped\nversion: 0.1.0\n",
        "templates/cr.yaml": json.dumps(role)})
    runs = each_tool(["install", "x", str(root)],
                     prepare=lambda c: c.create(role, namespace=""))
    said = {tool: (r.returncode, r.stdout, r.stderr) for tool, (r,) in runs.items()}
    assert said["kelm"] == (1, "", (
        'Error: INSTALLATION FAILED: unable to continue with install: ClusterRole "reader" in '
        'namespace "" exists and cannot be imported into the current release: invalid '
        'ownership metadata; label validation error: missing key '
        '"app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: '
        'missing key "meta.helm.sh/release-name": must be set to "x"; annotation validation '
        'error: missing key "meta.helm.sh/release-namespace": must be set to "default"\n'))
    if "helm" in said:
        assert said["kelm"] == said["helm"]
