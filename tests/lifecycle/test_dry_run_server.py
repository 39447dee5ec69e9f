"""``install``/``upgrade --dry-run=server`` against the kelm.testing emulator: the cluster is
asked (reachability, capabilities, lookups, ownership of existing objects) but nothing is
written -- Helm v4.1.4 sends no object to the server in this mode, only GETs -- and the report
is the one ``--dry-run=client`` prints.  Messages compared with what the oracle's helm printed
(tests/golden/lifecycle/lookup/dry-run-server.json, ``python -m
tests.lifecycle.test_dry_run_server``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kelm.testing
from tests.lifecycle.test_lookup import (
    CHART,
    CHART_YAML,
    GOLDEN,
    Runner,
    normalized,
    seed,
    write_chart,
)
from tests.shared import HELM

CRD = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
       "  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n"
       "  names: {plural: widgets, singular: widget, kind: Widget}\n  versions:\n"
       "  - name: v1\n    served: true\n    storage: true\n    schema:\n"
       "      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}\n")
TAKEN = {"Chart.yaml": CHART_YAML, "crds/widget.yaml": CRD, "templates/cm.yaml": (
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: taken\n  namespace: lk\ndata:\n"
    '  widget: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}\n')}
FREE = {**TAKEN, "templates/cm.yaml": TAKEN["templates/cm.yaml"].replace("taken", "free")}

SCENARIOS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    # an object that exists and belongs to no release: Helm's ownership error
    "conflict": (TAKEN, ("install", "c", "{chart}", "--dry-run=server")),
    # CRDs are not installed by a dry run: Helm warns; --skip-crds does not
    "crds-warning": (FREE, ("install", "c", "{chart}", "--dry-run=server")),
    "crds-skipped": (FREE, ("install", "c", "{chart}", "--dry-run=server", "--skip-crds")),
    # a dry run does not check whether the name is in use
    "name-in-use": (FREE, ("install", "up", "{chart}", "--dry-run=server", "--skip-crds")),
    "unreachable": (FREE, ("install", "c", "{chart}", "--dry-run=server",
                           "--kube-apiserver", "{unreachable}")),
    "upgrade-unreachable": (FREE, ("upgrade", "up", "{chart}", "--dry-run=server",
                                   "--kube-apiserver", "{unreachable}")),
    # helm template in server mode: Helm's install dry run without the report
    "template": (FREE, ("template", "t", "{chart}", "--dry-run=server")),
    "template-validate-conflict": (TAKEN, ("template", "t", "{chart}", "--validate")),
    # --is-upgrade skips the ownership check; --kube-version gives way to the server's
    "template-is-upgrade": (TAKEN, ("template", "t", "{chart}", "--dry-run=server",
                                    "--is-upgrade", "--kube-version", "1.20")),
    "template-unreachable": (FREE, ("template", "t", "{chart}", "--dry-run=server",
                                    "--kube-apiserver", "{unreachable}")),
}


def run_scenario(run: Any, tmp: Path, name: str) -> dict[str, Any]:
    files, args = SCENARIOS[name]
    chart = write_chart(tmp / name, files)
    dead = kelm.testing.Cluster.unreachable_url()
    return normalized(run(*(a.replace("{chart}", str(chart)).replace("{unreachable}", dead)
                            for a in args)))


def golden() -> dict[str, Any]:
    return dict(json.loads((GOLDEN / "dry-run-server.json").read_text()))


def prepare(r: Runner, tmp: Path, install: Any) -> None:
    seed(r.cluster)
    r.cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                      "metadata": {"name": "taken", "namespace": "lk"}}, namespace="lk")
    base = write_chart(tmp / "base", {"Chart.yaml": CHART_YAML, "templates/a.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: up-a\n")})
    assert install("install", "up", str(base))["rc"] == 0


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    with kelm.testing.cluster() as c:
        r = Runner(c, tmp_path_factory.mktemp("home"))
        prepare(r, tmp_path_factory.mktemp("base"), r.kelm)
        yield r


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_prints_what_helm_printed(runner: Runner, tmp_path: Path, name: str) -> None:
    assert run_scenario(runner.kelm, tmp_path, name) == golden()[name]


def test_goldens_are_what_helm_prints_now(runner: Runner, tmp_path: Path) -> None:
    if not HELM.available():
        pytest.skip(f"the oracle's helm is unavailable: {HELM.error or HELM}")
    for name in ("conflict", "name-in-use"):
        assert run_scenario(runner.helm, tmp_path, name) == golden()[name], name


def _secrets(c: kelm.testing.Cluster, name: str) -> list[str]:
    return sorted(s["metadata"]["labels"]["status"]
                  for s in c.objects("Secret", labels=f"owner=helm,name={name}"))


@pytest.mark.parametrize(("args", "report", "stored"), [
    (("install", "nothing"), "STATUS: pending-install\nREVISION: 1\n", []),
    (("upgrade", "up"), "STATUS: pending-upgrade\nREVISION: 2\n", ["deployed"]),
])
def test_dry_run_asks_the_cluster_and_writes_nothing(runner: Runner, tmp_path: Path,
                                                     args: tuple[str, str], report: str,
                                                     stored: list[str]) -> None:
    c, name = runner.cluster, args[1]
    chart = write_chart(tmp_path / "lk", CHART)
    c.requests.clear()
    out = runner.kelm(*args, str(chart), "--dry-run=server")
    assert out["rc"] == 0, out["stderr"]
    assert report + "DESCRIPTION: Dry run complete\n" in out["stdout"]
    assert '\\"k\\":\\"v\\"' in out["stdout"]  # the lookup was answered
    assert {r.method for r in c.requests} == {"GET"}  # no object sent, nothing stored
    assert _secrets(c, name) == stored
    assert c.get("ConfigMap", f"{name}-out") is None


# -- recording the goldens (python -m tests.lifecycle.test_dry_run_server; needs the oracle)
def record() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp_name, kelm.testing.cluster() as c:
        tmp = Path(tmp_name)
        r = Runner(c, tmp / "home")
        prepare(r, tmp, r.helm)
        out = {name: run_scenario(r.helm, tmp, name) for name in sorted(SCENARIOS)}
    (GOLDEN / "dry-run-server.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    record()
