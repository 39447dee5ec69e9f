"""Interop with the oracle's helm against one emulator: a release helm installed is upgraded,
rolled back and uninstalled by kelm, one kelm installed is upgraded, rolled back and
uninstalled by helm; after every step ``helm list/history/status/get`` and ``kelm ...``
print the same bytes, and the real kubectl sees kelm's objects managed by ``helm``."""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kelm.testing
from tests.shared import HELM, KUBECTL

REPO = Path(__file__).resolve().parents[2]

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: interop\nversion: 0.1.0\nappVersion: \"1.0\"\n",
    "values.yaml": "greeting: hello\nextra: true\n",
    "templates/cm.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
        "data:\n  greeting: {{ .Values.greeting | quote }}\n"),
    "templates/extra.yaml": (
        "{{- if .Values.extra }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
        "  name: {{ .Release.Name }}-extra\ndata:\n  on: \"yes\"\n{{- end }}\n"),
    "templates/svc.yaml": (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-svc\nspec:\n"
        "  selector: {app: x}\n  ports:\n  - {port: 80, targetPort: 8080}\n"),
    "templates/NOTES.txt": "{{ .Release.Name }} says {{ .Values.greeting }}.\n",
}

# what each tool must print the same way for the same stored release
VIEWS = (["list"], ["list", "--uninstalled", "--superseded", "-o", "json"], ["history", "{rel}"],
         ["history", "{rel}", "-o", "yaml"], ["status", "{rel}"], ["status", "{rel}", "-o", "json"],
         ["get", "values", "{rel}"], ["get", "values", "{rel}", "--all", "-o", "json"],
         ["get", "manifest", "{rel}"], ["get", "notes", "{rel}"],
         ["get", "all", "{rel}", "--revision", "1"])


def landed(*commands: str) -> None:
    """Skip, naming them, while kelm commands this test drives have not landed."""
    missing = [c for c in commands
               if not (REPO / "src" / "kelm" / "cli" / f"{c}.py").exists()]
    if missing:
        pytest.skip(f"kelm {', '.join(missing)} not available yet (src/kelm/cli/"
                    f"{missing[0]}.py missing)")


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    if not HELM.available():
        pytest.skip(f"the oracle's helm is unavailable: {HELM.error or HELM}")
    with kelm.testing.cluster() as c:
        yield c


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("interop") / "interop"
    for name, text in CHART.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _env(c: kelm.testing.Cluster, home: Path) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))},
            **c.env(), "HOME": str(home)}


def tool(name: str, c: kelm.testing.Cluster, home: Path, *args: str
         ) -> subprocess.CompletedProcess[str]:
    cmd = [os.fspath(HELM)] if name == "helm" else [sys.executable, "-m", "kelm"]
    return subprocess.run([*cmd, *args], env=_env(c, home), capture_output=True, text=True,
                          timeout=60)


def ok(name: str, c: kelm.testing.Cluster, home: Path, *args: str) -> str:
    r = tool(name, c, home, *args)
    assert r.returncode == 0, f"{name} {' '.join(args)}: {r.stderr}"
    return r.stdout


def _canonical(text: str) -> str:
    """``status`` prints live resource tables ending in an AGE column, which moves on between
    the two runs, one table per kind in Go's map order, which changes from run to run: ages
    masked and tables sorted, everything else compared as printed."""
    text = re.sub(r"(?m)(\s)\d+[smhd](\d+[smhd])?$", r"\1<age>", text)
    head, mark, rest = text.partition("RESOURCES:\n")
    if not mark:
        return text
    tables, end, tail = rest.partition("\nTEST SUITE:")
    return head + mark + "\n\n".join(sorted(tables.split("\n\n"))) + end + tail


def same_views(c: kelm.testing.Cluster, home: Path, rel: str) -> None:
    for view in VIEWS:
        args = [a.format(rel=rel) for a in view]
        want, got = tool("helm", c, home, *args), tool("kelm", c, home, *args)
        diff = "".join(difflib.unified_diff(_canonical(want.stdout).splitlines(True),
                                            _canonical(got.stdout).splitlines(True),
                                            "helm", "kelm"))
        assert (got.returncode, got.stderr, diff) == (want.returncode, want.stderr, ""), args


def history(c: kelm.testing.Cluster, home: Path, rel: str) -> list[tuple[int, str, str]]:
    out = json.loads(ok("helm", c, home, "history", rel, "-o", "json"))
    return [(h["revision"], h["status"], h["description"]) for h in out]


def test_helm_release_upgraded_rolled_back_uninstalled_by_kelm(cluster, chart, tmp_path
                                                               ) -> None:
    ok("helm", cluster, tmp_path, "install", "from-helm", str(chart))
    landed("upgrade")
    ok("kelm", cluster, tmp_path, "upgrade", "from-helm", str(chart), "--set",
       "greeting=bonjour", "--set", "extra=false")
    assert cluster.get("ConfigMap", "from-helm-cm")["data"] == {"greeting": "bonjour"}
    assert cluster.get("ConfigMap", "from-helm-extra") is None  # pruned
    same_views(cluster, tmp_path, "from-helm")
    landed("rollback")
    ok("kelm", cluster, tmp_path, "rollback", "from-helm", "1")
    assert cluster.get("ConfigMap", "from-helm-cm")["data"] == {"greeting": "hello"}
    assert cluster.get("ConfigMap", "from-helm-extra") is not None
    assert history(cluster, tmp_path, "from-helm") == [
        (1, "superseded", "Install complete"), (2, "superseded", "Upgrade complete"),
        (3, "deployed", "Rollback to 1")]
    same_views(cluster, tmp_path, "from-helm")
    landed("uninstall")
    ok("kelm", cluster, tmp_path, "uninstall", "from-helm")
    assert cluster.get("ConfigMap", "from-helm-cm") is None
    assert cluster.get("Service", "from-helm-svc") is None
    assert "from-helm" not in ok("helm", cluster, tmp_path, "list", "--uninstalled")
    assert tool("helm", cluster, tmp_path, "status", "from-helm").stderr == \
        tool("kelm", cluster, tmp_path, "status", "from-helm").stderr == \
        "Error: release: not found\n"


def test_kelm_release_upgraded_rolled_back_uninstalled_by_helm(cluster, chart, tmp_path
                                                               ) -> None:
    ok("kelm", cluster, tmp_path, "install", "from-kelm", str(chart))
    same_views(cluster, tmp_path, "from-kelm")
    ok("helm", cluster, tmp_path, "upgrade", "from-kelm", str(chart), "--set",
       "greeting=hola", "--set", "extra=false")
    assert cluster.get("ConfigMap", "from-kelm-cm")["data"] == {"greeting": "hola"}
    assert cluster.get("ConfigMap", "from-kelm-extra") is None
    ok("helm", cluster, tmp_path, "rollback", "from-kelm", "1")
    assert cluster.get("ConfigMap", "from-kelm-extra") is not None
    assert history(cluster, tmp_path, "from-kelm") == [
        (1, "superseded", "Install complete"), (2, "superseded", "Upgrade complete"),
        (3, "deployed", "Rollback to 1")]
    same_views(cluster, tmp_path, "from-kelm")
    ok("helm", cluster, tmp_path, "uninstall", "from-kelm", "--keep-history")
    same_views(cluster, tmp_path, "from-kelm")
    assert cluster.get("ConfigMap", "from-kelm-cm") is None


def test_kubectl_sees_kelms_objects_managed_by_helm(cluster, chart, tmp_path) -> None:
    if not KUBECTL.available():
        pytest.skip(f"the oracle's kubectl is unavailable: {KUBECTL.error or KUBECTL}")
    ok("kelm", cluster, tmp_path, "install", "seen", str(chart))
    r = subprocess.run([os.fspath(KUBECTL), "get", "configmap,service", "-l",
                        "app.kubernetes.io/managed-by=Helm", "-o", "json",
                        "--show-managed-fields"], env=_env(cluster, tmp_path),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    items = {i["metadata"]["name"]: i for i in json.loads(r.stdout)["items"]
             if i["metadata"]["name"].startswith("seen-")}
    assert sorted(items) == ["seen-cm", "seen-extra", "seen-svc"]
    for item in items.values():
        meta = item["metadata"]
        assert meta["annotations"]["meta.helm.sh/release-name"] == "seen"
        managers = [(m["manager"], m["operation"]) for m in meta["managedFields"]]
        assert ("helm", "Apply") in managers, managers
        apply = next(m for m in meta["managedFields"] if m["manager"] == "helm")
        assert "f:meta.helm.sh/release-name" in json.dumps(apply["fieldsV1"])
    if (REPO / "src" / "kelm" / "cli" / "upgrade.py").exists():
        # helm upgrades what kelm applied without a field-manager conflict
        ok("helm", cluster, tmp_path, "upgrade", "seen", str(chart), "--set", "greeting=hey")
        assert cluster.get("ConfigMap", "seen-cm")["data"] == {"greeting": "hey"}


APPLY_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: applies\nversion: 0.1.0\n",
    "values.yaml": "side: true\ntag: v1\n",
    "templates/all.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n"
        "  tag: {{ .Values.tag }}\n  {{- if .Values.side }}\n  side: \"yes\"\n  {{- end }}\n"
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\n"
        "spec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n"
        "    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: app\n"
        "        image: nginx:{{ .Values.tag }}\n        env:\n        - {name: A, value: \"1\"}\n"
        "      {{- if .Values.side }}\n      - name: side\n        image: busybox\n"
        "      {{- end }}\n"),
}

# (install flags: helm installs, or each tool when it adopts; upgrades each tool runs); a
# foreign manager edits the ConfigMap before the upgrades (before the install when adopting)
APPLY_CASES = {
    "client-side three-way, then server-side": (
        ["--server-side=false"],
        [["--server-side=false", "--set", "side=false", "--set", "tag=v2"],
         ["--server-side=true", "--set", "tag=v3"]]),
    "take-ownership, then force-replace": (
        ["--take-ownership"], [["--server-side=false", "--force-replace", "--set", "side=false"]]),
}


def _live(c: kelm.testing.Cluster, rel: str) -> list[str]:
    """The parts of the release's objects that apply decides, with the release name out."""
    out = []
    for kind, name in (("ConfigMap", f"{rel}-cm"), ("Deployment", f"{rel}-web")):
        obj = c.get(kind, name)
        assert obj is not None, name
        meta = obj["metadata"]
        fields = sorted((m["manager"], m["operation"], json.dumps(m["fieldsV1"], sort_keys=True))
                        for m in meta.get("managedFields") or ())
        view = [meta.get("labels"), meta.get("annotations"), fields, obj.get("data"),
                (obj.get("spec") or {}).get("template")]
        out.append(json.dumps(view, sort_keys=True).replace(rel, "REL"))
    return out


@pytest.mark.parametrize("case", list(APPLY_CASES))
def test_apply_methods_leave_what_helm_leaves(cluster, tmp_path, case) -> None:
    landed("upgrade")
    chart = tmp_path / "applies"
    for name, text in APPLY_CHART.items():
        (chart / name).parent.mkdir(parents=True, exist_ok=True)
        (chart / name).write_text(text)
    install, upgrades = APPLY_CASES[case]
    seen = {}
    for who in ("helm", "kelm"):
        rel = f"{who}-{sorted(APPLY_CASES).index(case)}"
        adopt = "--take-ownership" in install
        foreign = {"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": f"{rel}-cm", "labels": {"extra": "x"}},
                   "data": {"theirs": "1"}}
        if adopt:
            cluster.apply(foreign, manager="kubectl")
        ok(who if adopt else "helm", cluster, tmp_path, "install", rel, str(chart), *install)
        if not adopt:
            cluster.apply(foreign, manager="kubectl")
        steps = [_live(cluster, rel)]
        for flags in upgrades:
            ok(who, cluster, tmp_path, "upgrade", rel, str(chart), *flags)
            steps.append(_live(cluster, rel))
        seen[who] = steps
    assert seen["kelm"] == seen["helm"]
