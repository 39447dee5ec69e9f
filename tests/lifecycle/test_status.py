"""``kelm status`` against the emulator: the same bytes as the oracle's ``helm status`` for
releases installed, upgraded, tested and uninstalled by helm and installed by kelm; the
printers offline against recorded goldens.

Helm prints the RESOURCES blocks in Go map order (random) and the server computes AGE when
asked, so the live comparison sorts the blocks and blanks the ages; everything else is
byte for byte.
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
from tests.lifecycle.test_install import CHART as INSTALL_CHART
from tests.lifecycle.test_install import kelm_cli
from tests.shared import HELM

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "lifecycle" / "status"

DEMO = {
    "Chart.yaml": 'apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: "1.16.0"\n',
    "values.yaml": "replicas: 2\nnested:\n  a: 1\n  b: [x, y]\n",
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
                         "data:\n  replicas: {{ .Values.replicas | quote }}\n",
    "templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-svc\n"
                          "spec:\n  selector: {app: x}\n  ports: [{port: 80}]\n",
    "templates/deploy.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
        "spec:\n  replicas: {{ .Values.replicas }}\n  selector:\n    matchLabels: {app: x}\n"
        "  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      containers:\n"
        "      - name: c\n        image: nginx\n"),
    "templates/test.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations:\n"
        "    helm.sh/hook: test\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n"
        "    image: busybox\n"),
    "templates/post.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-post\n"
        "  annotations:\n    helm.sh/hook: post-install,post-upgrade\n"
        '    helm.sh/hook-weight: "5"\n'),
    "templates/NOTES.txt": "Hello from {{ .Release.Name }}.\n",
}
# two ConfigMaps (kubectl prints the second without a header, aligned on its own) and a Secret
TWO = {
    "Chart.yaml": "apiVersion: v2\nname: two\nversion: 1.0.0\nannotations:\n  zeta: \"1\"\n"
                  "  alpha: two words\n",
    "templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: {k: v}\n",
    "templates/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: longername-b\n"
                        "data: {k: v}\n",
    "templates/s.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\nstringData: {a: b}\n",
}

# a hook Job that the emulator fails: a failed upgrade and a failed test run
HOOKED = {
    "Chart.yaml": "apiVersion: v2\nname: hooked\nversion: 0.3.0\n",
    "templates/job.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-job\n"
        "  annotations:\n    helm.sh/hook: pre-upgrade,test\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n"),
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
                         "data: {a: b}\n",
}

# a custom resource (its CRD from crds/) and a cluster-scoped object
CRD = {
    "Chart.yaml": "apiVersion: v2\nname: crd\nversion: 0.1.0\n",
    "crds/widget.yaml": INSTALL_CHART["crds/widget.yaml"],
    "templates/w.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n"
                        "spec: {size: 3}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n"
                        "  name: extra\n",
}

# dependencies (aliased twice, condition, tags, import-values): get metadata lists them
DEP = {
    "Chart.yaml": "apiVersion: v2\nname: dep\nversion: 0.1.0\ndependencies:\n- name: sub\n"
                  "  version: 0.2.0\n  repository: file://./charts/sub\n  alias: zsub\n"
                  "  condition: sub.enabled\n  tags: [a]\n- name: sub\n  version: 0.2.0\n"
                  "  repository: file://./charts/sub\n  alias: asub\n  import-values: [data]\n",
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.2.0\n",
}


class Releases:
    """A cluster with a handful of releases and the two command lines to ask about them."""

    def __init__(self, cluster: kelm.testing.Cluster, home: Path) -> None:
        self.cluster = cluster
        self.home = home

    def helm(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**{k: v for k, v in os.environ.items()
                  if not k.startswith(("HELM_", "KUBECONFIG"))},
               **self.cluster.env(), "HOME": str(self.home)}
        return subprocess.run([os.fspath(HELM), *args], env=env, capture_output=True,
                              text=True, timeout=60)

    def kelm(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``kelm ARGS`` in this process (a subprocess each would be most of the time the
        tests take), in the environment the helm subprocess gets."""
        from tests.cli.runner import invoke

        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update({k: v for k, v in saved.items()
                           if not k.startswith(("HELM_", "KUBECONFIG"))})
        os.environ.update(self.cluster.env())
        try:
            r = invoke(list(args))
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return subprocess.CompletedProcess(list(args), r.exit_code, r.stdout, r.stderr)

    def must(self, r: subprocess.CompletedProcess[str]) -> None:
        assert r.returncode == 0, r.stderr


def write_chart(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def populate(rs: Releases, tmp: Path) -> None:
    """web: helm install + 2 upgrades + helm test; zero: no pods for its Deployment (in its
    own namespace); old: uninstalled, history kept; bad: a failed upgrade and a failed test;
    one: installed by kelm; two: installed, upgraded and rolled back by kelm."""
    demo, two = write_chart(tmp / "demo", DEMO), write_chart(tmp / "two", TWO)
    hooked = write_chart(tmp / "hooked", HOOKED)
    rs.must(rs.helm("install", "crd", str(write_chart(tmp / "crd", CRD))))
    rs.must(rs.helm("install", "dep", str(write_chart(tmp / "dep", DEP))))
    rs.must(rs.helm("install", "web", str(demo)))
    rs.must(rs.helm("upgrade", "web", str(demo), "--set", "replicas=3"))
    rs.must(rs.helm("upgrade", "web", str(demo), "--set", "nested.a=5", "--description",
                    "my desc"))
    rs.must(rs.helm("test", "web"))
    rs.must(rs.helm("install", "zero", str(demo), "--set", "replicas=0", "-n", "zns",
                    "--create-namespace"))
    rs.must(rs.helm("install", "old", str(two), "--set", "x=1"))
    rs.must(rs.helm("uninstall", "old", "--keep-history"))
    rs.must(rs.helm("install", "bad", str(hooked), "--no-hooks"))
    rs.cluster.set_behavior("Job", "bad-job", fail=True)
    assert rs.helm("upgrade", "bad", str(hooked), "--timeout", "20s").returncode == 1
    assert rs.helm("test", "bad", "--timeout", "20s").returncode == 1
    rs.must(kelm_cli(rs.cluster, "install", "one", str(demo), "-n", "kube-system", "--set",
                    "replicas=1,big=1000000,neg=-3,f=1.5", "--set-json",
                    'j={"x":[1,2.5e10,null,true],"e":{}}'))
    rs.must(kelm_cli(rs.cluster, "install", "two", str(two), "-n", "kube-system", "--labels", "team=x"))
    rs.must(kelm_cli(rs.cluster, "upgrade", "two", str(two), "-n", "kube-system", "--set", "q=1"))
    rs.must(kelm_cli(rs.cluster, "rollback", "two", "1", "-n", "kube-system"))
    for name, ns, n in (("web", "default", 2), ("one", "kube-system", 1)):
        def ready(d: dict[str, Any], n: int = n) -> bool:
            return bool((d.get("status") or {}).get("readyReplicas") == n)

        rs.cluster.wait_for("Deployment", name, namespace=ns, until=ready)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Releases]:
    if not HELM.available():
        pytest.skip(f"the oracle's helm is unavailable: {HELM.error or HELM}")
    tmp = tmp_path_factory.mktemp("releases")
    with kelm.testing.cluster() as c:
        rs = Releases(c, tmp)
        populate(rs, tmp)
        yield rs


_AGE = re.compile(r"(?m)(   )\d+[smhd]$")
_RESOURCES = re.compile(r"(?s)RESOURCES:\n(.*?)\n(?=TEST SUITE|NOTES:\n|\Z)")


def canonical(text: str) -> str:
    """Ages blanked, RESOURCES blocks sorted (Helm's order is Go's random map order)."""
    text = _AGE.sub(r"\1AGE", text)

    def sort_blocks(m: re.Match[str]) -> str:
        blocks = re.split(r"(?m)^(?===> )", m.group(1))
        return "RESOURCES:\n" + "".join(sorted(b for b in blocks if b)) + "\n"

    return _RESOURCES.sub(sort_blocks, text)


def same_as_helm(rs: Releases, cases: list[list[str]]) -> None:
    """Each case prints the same (stdout, stderr, exit code) for helm and kelm; kelm's
    messages name kelm where helm's name helm."""
    for args in cases:
        want, got = rs.helm(*args), rs.kelm(*args)
        assert "Traceback" not in got.stderr, args
        assert (got.returncode, canonical(got.stdout), got.stderr) == (
            want.returncode, canonical(want.stdout), want.stderr.replace("helm", "kelm")), args


UNREACHABLE = kelm.testing.Cluster.unreachable_url()

CASES = [
    ["status", "web"], ["status", "web", "--revision", "1"], ["status", "web", "-o", "json"],
    ["status", "web", "--revision", "2", "-o", "yaml"], ["status", "zero", "-n", "zns"],
    ["status", "zero", "-n", "zns", "-o", "json"], ["status", "old"], ["status", "old", "-o", "yaml"],
    ["status", "one", "-n", "kube-system"], ["status", "one", "-n", "kube-system", "-o", "json"],
    ["status", "two", "-n", "kube-system"], ["status", "web", "--color", "always"],
    ["status", "crd"], ["status", "crd", "-o", "yaml"], ["status", "bad"], ["status", "web", "--debug"],
    ["status", "web", "-n", "kube-system"], ["status", "web", "--revision", "0", "-o", "yaml"], ["status", "bad", "--color", "always"], ["status", "bad", "--revision", "1"],
    # Helm's errors
    ["status", "nope"], ["status", "web", "--revision", "9"], ["status", "BAD_name"],
    ["status", "web", "--revision", "x"], ["status", "web", "-o", "xml"], ["status"],
    ["status", "web", "--show-resources"],
    ["status", "web", "--kube-apiserver", UNREACHABLE],
]


def test_status_prints_what_helm_prints(releases: Releases) -> None:
    same_as_helm(releases, CASES)


def test_objects_of_a_kind_no_longer_served_are_left_out(releases: Releases) -> None:
    releases.cluster.delete("CustomResourceDefinition", "widgets.example.com", namespace="")
    same_as_helm(releases, [["status", "crd"], ["status", "crd", "-o", "json"]])
    assert "v1/Widget" not in releases.kelm("status", "crd").stdout


def test_status_json_carries_the_live_objects(releases: Releases) -> None:
    rel = json.loads(releases.kelm("status", "web", "-o", "json").stdout)
    res = rel["info"]["resources"]
    assert sorted(res) == ["v1/ConfigMap", "v1/Deployment", "v1/Pod(related)", "v1/Service"]
    pods = res["v1/Pod(related)"][0]
    assert pods["kind"] == "PodList" and len(pods["items"]) == 2
    assert {p["kind"] for p in pods["items"]} == {"Pod"}
    assert "chart" not in rel


# ---- offline: the printers against what helm printed (tests/golden/lifecycle/, see record())

LIFECYCLE = GOLDEN.parent


def revisions(name: str) -> list[Any]:
    """Every stored revision of a recorded release, oldest first (labels as stored)."""
    from kelm.release.model import Release

    data = json.loads((LIFECYCLE / "releases" / f"{name}.json").read_text())
    return [Release.from_json_dict(d["release"], d["labels"]) for d in data]


def stored(name: str) -> Any:
    return revisions(name)[-1]


def test_status_report_offline() -> None:
    from kelm.action.status import resources_text, status_report

    rel = stored("web")
    tables = json.loads((GOLDEN / "web-tables.json").read_text())
    assert canonical(status_report(rel, resources=resources_text(tables))) == canonical(
        (GOLDEN / "web.txt").read_text())
    assert status_report(rel, color=True).splitlines()[2:4] == [
        "NAMESPACE: \x1b[36mdefault\x1b[0m", "STATUS: \x1b[32mdeployed\x1b[0m"]
    for status, shown in (("failed", "\x1b[31mfailed\x1b[0m"), ("unknown", "\x1b[31munknown\x1b[0m"),
                          ("pending-upgrade", "\x1b[33mpending-upgrade\x1b[0m"),
                          ("superseded", "superseded")):
        rel.info.status = status
        assert f"STATUS: {shown}\n" in status_report(rel, color=True)
    assert "NOTES:" not in status_report(rel, hide_notes=True)
    rel.hooks = [h for h in rel.hooks if "test" not in h.events]
    assert "TEST SUITE: None\n" in status_report(rel)
    two = stored("two")
    tables = json.loads((GOLDEN / "two-tables.json").read_text())
    assert canonical(status_report(two, resources=resources_text(tables))) == canonical(
        (GOLDEN / "two.txt").read_text())


def _col(name: str, priority: int = 0) -> dict[str, object]:
    return {"name": name, "type": "string", "format": "", "description": "", "priority": priority}


def test_resource_tables_follow_kubectl_offline() -> None:
    from kelm.action.status import resources_text, tabwrite

    cm = [_col("Name"), _col("Data"), _col("Age")]
    empty = {"kind": "Table", "columnDefinitions": cm, "rows": []}
    tables: dict[str, list[Any]] = {
        # no rows yet: no header, and the next table with these columns still prints one
        "v1/ConfigMap": [empty, {"kind": "Table", "columnDefinitions": cm,
                                 "rows": [{"cells": ["a", 1, "5s"]}]},
                         {"kind": "Table", "columnDefinitions": cm,
                          "rows": [{"cells": ["longername-b", 1.5, "5s"]}]}],
        # priority > 0 columns are for -o wide; a cell is cut at its first line break
        "v1/Thing": [{"kind": "Table", "columnDefinitions": [_col("Name"), _col("Wide", 1),
                                                             _col("Age")],
                      "rows": [{"cells": ["x", "hidden", "2m"]},
                               {"cells": ["multi\nline", None, "2m"]}]}],
        "v1/Pod(related)": [empty],
    }
    assert resources_text(tables) == (
        "==> v1/ConfigMap\nNAME   DATA   AGE\na      1      5s\nlongername-b   1.5   5s\n\n"
        "==> v1/Thing\nNAME       AGE\nx          2m\nmulti...   2m\n\n"
        "==> v1/Pod(related)\n\n")
    assert tabwrite([["a", "b", "c"]]) == "a     b     c\n"  # at least 6 wide, padding 3


# ---- recording the goldens (python -m tests.lifecycle.test_status; needs the oracle)


def record() -> None:
    """Populate an emulator as the live tests do, then keep what helm printed and what
    the cluster and the storage held at that moment."""
    import tempfile

    from kelm.action.cluster import KubeSettings, make_client, release_storage
    from kelm.action.status import fetch_resources

    with tempfile.TemporaryDirectory() as tmp, kelm.testing.cluster() as c:
        rs = Releases(c, Path(tmp))
        populate(rs, Path(tmp))
        out = {"status": GOLDEN, "history": LIFECYCLE / "history", "get": LIFECYCLE / "get",
               "releases": LIFECYCLE / "releases"}
        for d in out.values():
            d.mkdir(parents=True, exist_ok=True)
        for name, ns in (("web", "default"), ("two", "kube-system")):
            client = make_client(KubeSettings(kubeconfig=str(c.kubeconfig_path), namespace=ns))
            storage = release_storage(client, ns)
            history = sorted(storage.history(name), key=lambda r: r.version)
            (out["releases"] / f"{name}.json").write_text(json.dumps(
                [{"labels": r.labels, "release": json.loads(r.to_json())} for r in history],
                indent=1) + "\n")
            rel = storage.last(name)
            tables = fetch_resources(client, rel.manifest, table=True)
            (GOLDEN / f"{name}-tables.json").write_text(json.dumps(tables, indent=1) + "\n")
            (GOLDEN / f"{name}.txt").write_text(rs.helm("status", name, "-n", ns).stdout)
            for fmt in ("table", "json", "yaml"):
                (out["history"] / f"{name}.{fmt}").write_text(
                    rs.helm("history", name, "-n", ns, "-o", fmt).stdout)
                (out["get"] / f"{name}-metadata.{fmt}").write_text(
                    rs.helm("get", "metadata", name, "-n", ns, "-o", fmt).stdout)
            (out["get"] / f"{name}-all.txt").write_text(rs.helm("get", "all", name, "-n", ns).stdout)
            (out["get"] / f"{name}-values-all.txt").write_text(
                rs.helm("get", "values", name, "-n", ns, "-a").stdout)
            (out["get"] / f"{name}-hooks.txt").write_text(rs.helm("get", "hooks", name, "-n", ns).stdout)
            client.close()
    print(f"recorded into {LIFECYCLE}")


if __name__ == "__main__":
    record()
