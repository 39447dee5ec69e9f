"""``lookup`` and ``.Capabilities`` answered by the cluster (install/upgrade, real and
``--dry-run=server``) against the kelm.testing emulator, compared with what the oracle's helm
printed for the same scenario (tests/golden/lifecycle/lookup/, recorded by
``python -m tests.lifecycle.test_lookup``; with the oracle at hand the goldens are also checked
against helm live).  ``kelm template`` stays offline: lookup gives ``{}`` and nothing is asked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kelm.testing
from tests.shared import HELM

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "lifecycle" / "lookup"
NS = "lk"  # the namespace lookups read: nothing in these tests writes there

CHART_YAML = "apiVersion: v2\nname: lk\nversion: 0.1.0\n"
LOOKUPS = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-out
data:
  data: {{ (lookup "v1" "ConfigMap" "lk" "existing").data | toJson | quote }}
  object: {{ lookup "v1" "ConfigMap" "lk" "existing" | toJson | quote }}
  missing: {{ lookup "v1" "ConfigMap" "lk" "nope" | toJson | quote }}
  list: {{ lookup "v1" "ConfigMap" "lk" "" | toJson | quote }}
  allNamespaces: {{ lookup "apps/v1" "Deployment" "" "" | toJson | quote }}
  clusterScoped: {{ (lookup "v1" "Namespace" "kube-system" "lk").metadata.name | quote }}
  unknownKind: {{ lookup "v1" "Widget" "lk" "x" | toJson | quote }}
  {{- $o := lookup "v1" "ConfigMap" "lk" "existing" }}
  {{- $_ := set $o.data "k" "changed" }}
  fresh: {{ (lookup "v1" "ConfigMap" "lk" "existing").data.k | quote }}
"""
CAPABILITIES = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-caps
data:
  kubeVersion: {{ .Capabilities.KubeVersion | quote }}
  printed: {{ printf "%v" .Capabilities.KubeVersion | quote }}
  fields: {{ list .Capabilities.KubeVersion.Version .Capabilities.KubeVersion.Major .Capabilities.KubeVersion.Minor .Capabilities.KubeVersion.GitVersion | toJson | quote }}
  deployment: {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" | quote }}
  groupVersion: {{ .Capabilities.APIVersions.Has "apps/v1" | quote }}
  subresourceKind: {{ .Capabilities.APIVersions.Has "v1/Eviction" | quote }}
  apiVersions: {{ .Capabilities.APIVersions | sortAlpha | toJson | quote }}
"""
CHART = {"Chart.yaml": CHART_YAML, "templates/lookups.yaml": LOOKUPS,
         "templates/caps.yaml": CAPABILITIES}
# what --dry-run=client can print: lookup gives {} there
OFFLINE_LOOKUP = {"Chart.yaml": CHART_YAML, "templates/caps.yaml": CAPABILITIES,
                  "templates/lookup.yaml": (
                      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-l\n"
                      'data:\n  object: {{ lookup "v1" "ConfigMap" "lk" "existing" | toJson | quote }}\n')}

_VOLATILE = re.compile(r'(\\*"(?:creationTimestamp|time|uid|resourceVersion)\\*":\\*")[^"\\]*')


def normalize(text: str, release: str = "") -> str:
    """What differs between two runs of the same scenario: times, uids, resource versions,
    the emulator's port (and the release name when two releases are compared)."""
    text = re.sub(r"^LAST DEPLOYED: .*$", "LAST DEPLOYED: <time>", text, flags=re.M)
    text = _VOLATILE.sub(r"\1<x>", text)
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", text)
    return text.replace(release, "<release>") if release else text


def write_chart(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def seed(c: kelm.testing.Cluster) -> None:
    """The objects the lookups find."""
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}}, namespace="")
    c.create({"apiVersion": "v1", "kind": "ConfigMap",
              "metadata": {"name": "existing", "namespace": NS, "labels": {"a": "b"}},
              "data": {"k": "v"}}, namespace=NS)
    c.create({"apiVersion": "v1", "kind": "ConfigMap",
              "metadata": {"name": "second", "namespace": NS}, "data": {"n": "1"}},
             namespace=NS)


class Runner:
    """kelm (in-process) and the oracle's helm against one emulator, same environment."""

    def __init__(self, cluster: kelm.testing.Cluster, home: Path) -> None:
        self.cluster = cluster
        self.home = home

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))}
        return {**env, **self.cluster.env(), "HOME": str(self.home)}

    def helm(self, *args: str) -> dict[str, Any]:
        r = subprocess.run([os.fspath(HELM), *args], env=self._env(), capture_output=True,
                           text=True, timeout=60)
        return {"rc": r.returncode, "stdout": r.stdout, "stderr": r.stderr}

    def kelm(self, *args: str) -> dict[str, Any]:
        from tests.cli.runner import invoke

        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self._env())
        try:
            r = invoke(list(args))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return {"rc": r.exit_code, "stdout": r.stdout, "stderr": r.stderr}


def normalized(result: dict[str, Any], release: str = "") -> dict[str, Any]:
    return {k: normalize(v, release) if isinstance(v, str) else v for k, v in result.items()}


def golden(name: str) -> dict[str, Any]:
    return dict(json.loads((GOLDEN / f"{name}.json").read_text()))


# -- scenarios: (golden name, chart files, command) ----------------------------------------
def _error_chart(args: str) -> dict[str, str]:
    return {"Chart.yaml": CHART_YAML, "templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
        f"  a: {{{{ lookup {args} | toJson | quote }}}}\n")}


ERROR_CASES = {
    "group-not-served": '"example.com/v1" "Widget" "lk" "x"',
    "empty-api-version": '"" "ConfigMap" "lk" "x"',
    "bad-api-version": '"a/b/c" "ConfigMap" "lk" "x"',
    "name-with-slash": '"v1" "ConfigMap" "lk" "a%/b"',
    "namespace-dotdot": '"v1" "ConfigMap" ".." "x"',
    "unknown-kind-list": '"v1" "Widget" "lk" ""',
    "bad-namespace-name": '"v1" "ConfigMap" "Bad_NS" "x"',
}

SCENARIOS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "install-dry-run-server": (CHART, ("install", "dry", "{chart}", "--dry-run=server")),
    "upgrade-dry-run-server": (CHART, ("upgrade", "up", "{chart}", "--dry-run=server")),
    # client: lookup gives {}, but an upgrade reads the capabilities from the cluster
    "upgrade-dry-run-client": (OFFLINE_LOOKUP, ("upgrade", "up", "{chart}", "--dry-run=client")),
    "install-dry-run-client": (OFFLINE_LOOKUP, ("install", "dry", "{chart}", "--dry-run=client")),
    # the server's capabilities, whatever --kube-version and --api-versions say
    "template-dry-run-server": (CHART, ("template", "t", "{chart}", "--dry-run=server",
                                        "--kube-version", "1.20", "--api-versions", "foo/v1")),
    **{f"error-{k}": (_error_chart(v), ("install", "err", "{chart}", "--dry-run=server"))
       for k, v in ERROR_CASES.items()},
}


def run_scenario(run: Any, tmp: Path, name: str) -> dict[str, Any]:
    files, args = SCENARIOS[name]
    chart = write_chart(tmp / name, files)
    return normalized(run(*(a.replace("{chart}", str(chart)) for a in args)))


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    with kelm.testing.cluster() as c:
        seed(c)
        r = Runner(c, tmp_path_factory.mktemp("home"))
        base = write_chart(tmp_path_factory.mktemp("base") / "lk",
                           {"Chart.yaml": CHART_YAML, "templates/a.yaml": (
                               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: up-a\n")})
        assert r.kelm("install", "up", str(base))["rc"] == 0
        yield r


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_prints_what_helm_printed(runner: Runner, tmp_path: Path, name: str) -> None:
    assert run_scenario(runner.kelm, tmp_path, name) == golden("scenarios")[name]


def test_goldens_are_what_helm_prints_now(runner: Runner, tmp_path: Path) -> None:
    if not HELM.available():
        pytest.skip(f"the oracle's helm is unavailable: {HELM.error or HELM}")
    recorded = golden("scenarios")
    for name in ("install-dry-run-server", "upgrade-dry-run-client", "error-group-not-served"):
        assert run_scenario(runner.helm, tmp_path, name) == recorded[name], name


def test_same_lookup_is_one_request_and_template_stays_offline(runner: Runner,
                                                                tmp_path: Path) -> None:
    chart = write_chart(tmp_path / "lk", CHART)
    log = runner.cluster.requests
    log.clear()
    assert runner.kelm("install", "dry", str(chart), "--dry-run=server")["rc"] == 0
    paths = [r.path for r in log]
    # the chart looks "existing" up three times: one GET
    assert paths.count(f"/api/v1/namespaces/{NS}/configmaps/existing") == 1
    assert {r.method for r in log} == {"GET"}
    log.clear()
    offline = write_chart(tmp_path / "offline", OFFLINE_LOOKUP)
    out = runner.kelm("template", "t", str(offline))
    assert out["rc"] == 0, out["stderr"]
    assert 'object: "{}"' in out["stdout"]
    # Helm's default capabilities, not the server's (v1.35.2, kinds listed)
    assert "v1.35.2" not in out["stdout"] and 'deployment: "false"' in out["stdout"]
    assert len(log) == 0


def test_real_install_renders_with_the_cluster(runner: Runner, tmp_path: Path) -> None:
    chart = write_chart(tmp_path / "lk", CHART)
    assert runner.kelm("install", "k-real", str(chart), "-n", "real",
                       "--create-namespace")["rc"] == 0
    got = normalized(runner.kelm("get", "manifest", "k-real", "-n", "real"), "k-real")
    assert got == golden("real-install")["manifest"]


def test_real_install_sees_the_kinds_of_its_crds(tmp_path: Path) -> None:
    with kelm.testing.cluster() as c:
        r = Runner(c, tmp_path / "home")
        chart = write_chart(tmp_path / "crd", CRD_CHART)
        assert r.kelm("install", "k-crd", str(chart))["rc"] == 0
        got = normalized(r.kelm("get", "manifest", "k-crd"), "k-crd")
    assert got == golden("real-install")["crds"]


CRD_CHART = {
    "Chart.yaml": CHART_YAML,
    "crds/gizmo.yaml": (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
        "  name: gizmos.example.org\nspec:\n  group: example.org\n  scope: Namespaced\n"
        "  names: {plural: gizmos, singular: gizmo, kind: Gizmo}\n  versions:\n"
        "  - name: v1\n    served: true\n    storage: true\n    schema:\n"
        "      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n"),
    "templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n"
        '  gizmo: {{ .Capabilities.APIVersions.Has "example.org/v1/Gizmo" | quote }}\n'),
}


# -- recording the goldens (python -m tests.lifecycle.test_lookup; needs the oracle) -------
def record() -> None:
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with kelm.testing.cluster() as c:
            seed(c)
            r = Runner(c, tmp / "home")
            base = write_chart(tmp / "base", {"Chart.yaml": CHART_YAML, "templates/a.yaml": (
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: up-a\n")})
            assert r.helm("install", "up", str(base))["rc"] == 0
            out = {name: run_scenario(r.helm, tmp, name) for name in sorted(SCENARIOS)}
            (GOLDEN / "scenarios.json").write_text(json.dumps(out, indent=1) + "\n")
            chart = write_chart(tmp / "lk", CHART)
            assert r.helm("install", "h-real", str(chart), "-n", "real",
                          "--create-namespace")["rc"] == 0
            real = {"manifest": normalized(r.helm("get", "manifest", "h-real", "-n", "real"),
                                           "h-real")}
        with kelm.testing.cluster() as c:
            r = Runner(c, tmp / "home")
            chart = write_chart(tmp / "crd", CRD_CHART)
            assert r.helm("install", "h-crd", str(chart))["rc"] == 0
            real["crds"] = normalized(r.helm("get", "manifest", "h-crd"), "h-crd")
        (GOLDEN / "real-install.json").write_text(json.dumps(real, indent=1) + "\n")


if __name__ == "__main__":
    record()
