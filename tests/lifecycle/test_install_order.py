"""``kelm install`` in Helm v4.1.4's order: reachability, the release name, ``crds/`` created
(once) and established, then the capabilities and the render, then the rest; the wait's
``--debug`` lines; ``/version`` and discovery read once.  Compared with the oracle's helm
against the emulator, or with helm's recorded lines (tests/golden/wait/helm.json)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import kelm.testing
from tests.lifecycle.wait_scenarios import GOLDEN, SCENARIOS, debug_lines, wait_lines, write_chart
from tests.shared import HELM

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: {plural}.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {{plural: {plural}, singular: {singular}, kind: {kind}}}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}
"""

CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
data:
  widgets: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def widget_chart(root: Path) -> Path:
    return write(root / "widgets", {
        "Chart.yaml": "apiVersion: v2\nname: widgets\nversion: 0.1.0\n",
        "crds/widget.yaml": CRD.format(plural="widgets", singular="widget", kind="Widget"),
        "templates/cm.yaml": CM})


def run(tool: str, c: kelm.testing.Cluster, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))}
    env.update(c.env())
    cmd = [os.fspath(HELM)] if tool == "helm" else [sys.executable, "-m", "kelm"]
    return subprocess.run([*cmd, *args], env=env, capture_output=True, text=True, timeout=90)


def needs_helm() -> None:
    if not HELM.available():
        pytest.skip(f"the oracle's helm is unavailable: {HELM.error or HELM}")


def requests(c: kelm.testing.Cluster, method: str, path: str) -> list[Any]:
    return [r for r in c.requests if r.method == method and r.path == path]


def test_name_in_use_is_refused_before_the_render_and_the_crds(tmp_path: Path) -> None:
    needs_helm()
    bad = write(tmp_path / "bad", {
        "Chart.yaml": "apiVersion: v2\nname: bad\nversion: 0.1.0\n",
        "crds/gadget.yaml": CRD.format(plural="gadgets", singular="gadget", kind="Gadget"),
        "templates/x.yaml": '{{ fail "the render fails" }}\n'})
    said = {}
    for tool in ("helm", "kelm"):
        with kelm.testing.cluster() as c:
            first = run("kelm", c, "install", "taken", os.fspath(widget_chart(tmp_path)))
            assert first.returncode == 0, first.stderr
            said[tool] = run(tool, c, "install", "taken", os.fspath(bad))
            # the name is checked first: no CRD of the second chart went in
            assert c.get("CustomResourceDefinition", "gadgets.example.com", namespace="") is None
    assert said["kelm"].returncode == said["helm"].returncode == 1
    assert said["kelm"].stderr == said["helm"].stderr
    assert said["kelm"].stderr.endswith("Error: INSTALLATION FAILED: release name check failed: "
                                        "cannot reuse a name that is still in use\n")


def test_crds_go_in_once_before_the_capabilities_and_the_server_is_asked_once(
        tmp_path: Path) -> None:
    chart = widget_chart(tmp_path)
    with kelm.testing.cluster() as c:
        r = run("kelm", c, "install", "one", os.fspath(chart))
        assert r.returncode == 0, r.stderr
        crd_calls = [(q.method, q.path) for q in c.requests if "customresourcedefinitions" in q.path]
        # server-side apply as helm does: one request, no create answered 409 afterwards
        assert crd_calls == [("PATCH", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                                       "widgets.example.com")]
        assert c.get("ConfigMap", "one-cm")["data"] == {"widgets": "true"}  # caps saw the CRD
        assert len(requests(c, "GET", "/version")) == 1
        # discovery: once to map the CRD's kind, once after it went in (capabilities and the
        # client's table from the same documents)
        assert len(requests(c, "GET", "/api")) == len(requests(c, "GET", "/apis")) == 2
    with kelm.testing.cluster() as c:
        r = run("kelm", c, "install", "two", os.fspath(chart), "--skip-crds")
        assert r.returncode == 0, r.stderr
        assert c.get("ConfigMap", "two-cm")["data"] == {"widgets": "false"}
        assert len(requests(c, "GET", "/version")) == 1
        assert len(requests(c, "GET", "/api")) == len(requests(c, "GET", "/apis")) == 1


def test_create_of_crds_without_server_side_apply(tmp_path: Path) -> None:
    chart = widget_chart(tmp_path)
    with kelm.testing.cluster() as c:
        c.create({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                  "metadata": {"name": "widgets.example.com"},
                  "spec": {"group": "example.com", "scope": "Namespaced",
                           "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                           "versions": [{"name": "v1", "served": True, "storage": True,
                                         "schema": {"openAPIV3Schema": {"type": "object"}}}]}},
                 namespace="")
        r = run("kelm", c, "install", "one", os.fspath(chart), "--server-side=false")
        assert r.returncode == 0, r.stderr
        crd_calls = [(q.method, q.status) for q in c.requests
                     if "customresourcedefinitions" in q.path]
        assert crd_calls == [("POST", 409)]  # there already: skipped, as Helm's Create


def test_crd_wait_then_objects_wait_debug_lines_as_helm(tmp_path: Path) -> None:
    needs_helm()
    chart = widget_chart(tmp_path)
    said = {}
    for tool in ("helm", "kelm"):
        with kelm.testing.cluster() as c:
            said[tool] = run(tool, c, "install", "one", os.fspath(chart), "--wait", "--debug")
            assert said[tool].returncode == 0, said[tool].stderr
    ours, helms = (wait_lines(said[t].stderr) for t in ("kelm", "helm"))
    assert ours == helms
    assert ours[0] == 'level=DEBUG msg="waiting for resources" count=1 timeout=1m0s'  # the CRD
    # the CRD is waited for before the render (which logs the chart's dependencies)
    for tool in ("kelm", "helm"):
        err = said[tool].stderr
        assert err.index("timeout=1m0s") < err.index("number of dependencies")


@pytest.mark.parametrize("command", ["install", "upgrade", "rollback"])
def test_wait_debug_lines_of_a_never_ready_deployment_are_helms(tmp_path: Path,
                                                                 command: str) -> None:
    import json

    golden = json.loads(GOLDEN.read_text())["never-ready"]
    objs, knobs, _flags, timeout = SCENARIOS["never-ready"]
    chart = write_chart(tmp_path, objs)
    with kelm.testing.cluster() as c:
        for (kind, name), knob in knobs.items():
            c.set_behavior(kind, name, **knob)
        args = ["--wait", "--debug", "--timeout", f"{timeout:g}s"]
        empty = os.fspath(write(tmp_path / "empty", {
            "Chart.yaml": "apiVersion: v2\nname: waitdemo\nversion: 0.1.0\n"}))
        if command == "upgrade":
            first = run("kelm", c, "install", "demo", empty)
            assert first.returncode == 0, first.stderr
            r = run("kelm", c, "upgrade", "demo", os.fspath(chart), *args)
            error = golden["error"].replace("INSTALLATION FAILED", "UPGRADE FAILED")
        elif command == "rollback":  # to a revision whose objects never get ready
            for step in (("install", "demo", os.fspath(chart)), ("upgrade", "demo", empty)):
                first = run("kelm", c, *step)
                assert first.returncode == 0, first.stderr
            r = run("kelm", c, "rollback", "demo", "1", *args)
            error = golden["error"].replace("INSTALLATION FAILED: ", "release demo failed: ")
        else:
            r = run("kelm", c, "install", "demo", os.fspath(chart), *args)
            error = golden["error"]
    assert r.returncode == 1
    assert wait_lines(r.stderr) == golden["wait_lines"]
    assert debug_lines(r.stderr)[:len(golden["debug_lines"])] == golden["debug_lines"]
    assert r.stderr.rstrip("\n").endswith(error)
