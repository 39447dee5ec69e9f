"""``kelm uninstall`` against the emulator: hooks, Helm's uninstall order, the resource
policy, purge or ``--keep-history``, and the same output, messages and release states as the
oracle's ``helm uninstall`` for the same scenario."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import kelm.testing
from tests.lifecycle.test_install import kelm_cli
from tests.shared import HELM

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: gone\nversion: 0.2.0\n",
    "templates/objects.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-keep\n"
        "  annotations:\n    helm.sh/resource-policy: keep\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-keep2\n"
        "  annotations:\n    helm.sh/resource-policy: ' Keep '\n---\n"
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-svc\nspec:\n"
        "  ports: [{port: 80}]\n"),
    "templates/hooks.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-predel\n"
        "  annotations:\n    helm.sh/hook: pre-delete\n    helm.sh/hook-delete-policy: "
        "hook-succeeded\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n"
        "      containers: [{name: c, image: busybox}]\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-postdel\n"
        "  annotations:\n    helm.sh/hook: post-delete\n"),
}


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("charts") / "gone"
    for name, text in CHART.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with kelm.testing.cluster() as c:
        yield c


needs_helm = pytest.mark.skipif(not HELM.available(), reason="the oracle's helm is unavailable")


def helm(c: kelm.testing.Cluster, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))},
           **c.env(), "HOME": str(home)}
    return subprocess.run([os.fspath(HELM), *args], env=env, capture_output=True, text=True,
                          timeout=60)


def statuses(c: kelm.testing.Cluster, name: str, namespace: str = "default") -> list[str]:
    return sorted(s["metadata"]["labels"]["status"]
                  for s in c.objects("Secret", namespace, labels=f"owner=helm,name={name}"))


KEPT = ("These resources were kept due to the resource policy:\n[ConfigMap] {0}-keep\n"
        "[Secret] {0}-keep2\n\nrelease \"{0}\" uninstalled\n")


def test_uninstall_deletes_runs_hooks_keeps_and_purges(cluster, chart) -> None:
    assert kelm_cli(cluster, "install", "one", str(chart)).returncode == 0
    r = kelm_cli(cluster, "uninstall", "one")
    assert (r.returncode, r.stdout, r.stderr) == (0, KEPT.format("one"), "")
    assert cluster.get("ConfigMap", "one-cm") is None
    assert cluster.get("Service", "one-svc") is None
    assert cluster.get("ConfigMap", "one-keep") is not None  # resource-policy: keep
    assert cluster.get("Secret", "one-keep2") is not None  # " Keep " counts too
    assert cluster.get("Job", "one-predel") is None  # ran, then hook-succeeded deleted it
    assert cluster.get("ConfigMap", "one-postdel") is not None  # the post-delete hook ran
    assert statuses(cluster, "one") == []  # history purged: the name is free again
    assert kelm_cli(cluster, "install", "one", str(chart), "--no-hooks").returncode == 0


def test_keep_history_marks_uninstalled_and_supersedes(cluster, chart) -> None:
    assert kelm_cli(cluster, "install", "two", str(chart), "--no-hooks").returncode == 0
    r = kelm_cli(cluster, "delete", "two", "--keep-history", "--no-hooks",
                 "--description", "bye")
    assert r.returncode == 0, r.stderr
    assert statuses(cluster, "two") == ["uninstalled"]
    from kelm.action.cluster import KubeSettings, make_client, release_storage

    with make_client(KubeSettings(kubeconfig=str(cluster.kubeconfig_path))) as client:
        rel = release_storage(client, "default").last("two")
    assert (rel.status, rel.info.description) == ("uninstalled", "bye")
    assert rel.info.deleted is not None
    assert cluster.get("ConfigMap", "two-postdel") is None  # --no-hooks
    r = kelm_cli(cluster, "un", "two", "--keep-history")
    assert (r.returncode, r.stderr) == (1, 'Error: the release named "two" is already deleted\n')
    r = kelm_cli(cluster, "un", "two")  # an uninstalled release: its history purged
    assert (r.returncode, r.stdout) == (0, 'release "two" uninstalled\n')
    assert statuses(cluster, "two") == []


def test_wait_and_cascade_through_the_action(cluster, chart) -> None:
    from kelm.action.cluster import KubeSettings, make_client
    from kelm.action.uninstall import UninstallOptions, uninstall_release

    assert kelm_cli(cluster, "install", "three", str(chart), "--no-hooks").returncode == 0
    with make_client(KubeSettings(kubeconfig=str(cluster.kubeconfig_path))) as client:
        res = uninstall_release(client, "three", "default",
                                UninstallOptions(wait="watcher", cascade="foreground",
                                                 no_hooks=True, timeout=10))
        assert res is not None and res.release.status == "uninstalled"
        assert res.info.splitlines()[1:] == ["[ConfigMap] three-keep", "[Secret] three-keep2"]
        assert uninstall_release(client, "three", "default",
                                 UninstallOptions(ignore_not_found=True)) is None
    assert cluster.get("ConfigMap", "three-cm") is None


def test_uninstall_order_and_policies_offline() -> None:
    from kelm.action.uninstall import split_kept

    docs = ["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns",
            "apiVersion: x/v1\nkind: Widget\nmetadata:\n  name: w",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: k\n  annotations:\n"
            "    helm.sh/resource-policy: keep",
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: odd\n  annotations:\n"
            "    helm.sh/resource-policy: other"]
    keep, remaining = split_kept("".join(f"---\n# Source: x\n{d}\n" for d in docs))
    assert [m.head.name for m in keep] == ["k"]
    # Service before Deployment, Namespace late, unknown kinds last; "other" neither
    assert [m.head.name for m in remaining] == ["s", "d", "c", "ns", "w"]


def test_failing_pre_delete_hook_leaves_uninstalling_as_helm(cluster, chart, tmp_path) -> None:
    if not HELM.available():
        pytest.skip(f"the oracle's helm is unavailable: {HELM.error or HELM}")
    for name in ("hf", "kf"):
        cluster.set_behavior("Job", f"{name}-predel", fail=True)
        assert helm(cluster, tmp_path, "install", name, str(chart)).returncode == 0
    want = helm(cluster, tmp_path, "uninstall", "hf")
    got = kelm_cli(cluster, "uninstall", "kf")
    assert (got.returncode, got.stdout, got.stderr) == (
        want.returncode, want.stdout, want.stderr.replace("hf", "kf"))
    assert got.stderr == ("Error: resource Job/default/kf-predel not ready. status: Failed, "
                          "message: Job Failed. failed: 1/1\n")
    assert statuses(cluster, "hf") == statuses(cluster, "kf") == ["uninstalling"]
    assert cluster.get("ConfigMap", "kf-cm") is not None  # nothing deleted after the hook
    # the next uninstall (without hooks) finishes it, for both tools alike
    assert helm(cluster, tmp_path, "uninstall", "hf", "--no-hooks").returncode == 0
    assert kelm_cli(cluster, "uninstall", "kf", "--no-hooks").returncode == 0
    assert statuses(cluster, "hf") == statuses(cluster, "kf") == []


@needs_helm
def test_post_delete_hook_timeout_is_reported_after_the_purge(cluster, tmp_path) -> None:
    chart = tmp_path / "slow"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: slow\nversion: 1.0.0\n")
    (chart / "templates" / "job.yaml").write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-postdel\n"
        "  annotations:\n    helm.sh/hook: post-delete\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n")
    for name in ("hs", "ks"):
        cluster.set_behavior("Job", f"{name}-postdel", ready=False)
    assert helm(cluster, tmp_path, "install", "hs", str(chart)).returncode == 0
    assert kelm_cli(cluster, "install", "ks", str(chart)).returncode == 0
    want = helm(cluster, tmp_path, "uninstall", "hs", "--timeout", "1s")
    got = kelm_cli(cluster, "uninstall", "ks", "--timeout", "1s")
    assert (got.returncode, got.stdout, got.stderr.replace("ks", "hs")) == (
        want.returncode, want.stdout, want.stderr)
    assert got.stderr.endswith("message: Job in progress\ncontext deadline exceeded\n")
    assert statuses(cluster, "hs") == statuses(cluster, "ks") == []  # purged all the same


@needs_helm
@pytest.mark.parametrize("wait", ["--wait", "--wait=legacy"])
def test_wait_for_an_object_held_by_a_finalizer_times_out_as_helm(cluster, tmp_path,
                                                                   wait) -> None:
    chart = tmp_path / "held"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: held\nversion: 1.0.0\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-held\n"
        "  finalizers: [example.com/hold]\n")
    h, k = ("hw", "kw") if wait == "--wait" else ("hl", "kl")
    assert helm(cluster, tmp_path, "install", h, str(chart)).returncode == 0
    assert kelm_cli(cluster, "install", k, str(chart)).returncode == 0
    want = helm(cluster, tmp_path, "uninstall", h, wait, "--timeout", "1s")
    got = kelm_cli(cluster, "uninstall", k, wait, "--timeout", "1s")
    assert (got.returncode, got.stderr.replace(k, h)) == (want.returncode, want.stderr)
    assert got.stderr.endswith("context deadline exceeded\n")
    assert statuses(cluster, k) == []


@needs_helm
def test_interop_and_messages_match_helm(cluster, chart, tmp_path) -> None:
    # helm installs, kelm uninstalls with --keep-history: helm sees it uninstalled
    assert helm(cluster, tmp_path, "install", "web", str(chart), "-n", "kube-system",
                "--no-hooks").returncode == 0
    r = kelm_cli(cluster, "uninstall", "web", "-n", "kube-system", "--keep-history")
    assert (r.returncode, r.stdout) == (0, KEPT.format("web"))
    listed = helm(cluster, tmp_path, "list", "--uninstalled", "-n", "kube-system", "-q")
    assert listed.stdout == "web\n"
    status = helm(cluster, tmp_path, "status", "web", "-n", "kube-system")
    assert "STATUS: uninstalled\nREVISION: 1\nDESCRIPTION: Uninstallation complete\n" in \
        status.stdout
    assert cluster.get("ConfigMap", "web-cm", namespace="kube-system") is None
    for args in (["uninstall", "web", "-n", "kube-system", "--keep-history"],
                 ["uninstall", "nothere"], ["uninstall", "nothere", "--ignore-not-found"],
                 ["uninstall", "nothere", "--dry-run"], ["uninstall", "BAD_"],
                 ["uninstall", "x", "--cascade", "sideways"], ["uninstall"],
                 ["uninstall", "web", "-n", "kube-system", "--dry-run"],
                 ["uninstall", "x", "--wait=never"],
                 ["uninstall", "nothere", "web", "-n", "kube-system"]):
        want, got = helm(cluster, tmp_path, *args), kelm_cli(cluster, *args)
        assert (got.returncode, got.stdout, got.stderr) == (
            want.returncode, want.stdout, want.stderr.replace("helm", "kelm")), args


def test_unreachable_cluster_is_one_line(tmp_path: Path) -> None:
    url = kelm.testing.Cluster.unreachable_url()
    (tmp_path / "empty").write_text("")
    r = kelm_cli(None, "uninstall", "web", "--kube-apiserver", url,
                 "--kubeconfig", str(tmp_path / "empty"))
    host = url.split("://", 1)[1].rstrip("/")
    assert (r.returncode, r.stderr) == (
        1, f'Error: kubernetes cluster unreachable: Get "{url.rstrip("/")}/version": dial tcp '
           f"{host}: connect: connection refused\n")
