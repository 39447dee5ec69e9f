"""``kelm test`` against the emulator, side by side with the oracle's ``helm test`` on twin
releases (one installed by each tool, tested by the other too): the report, TEST SUITE
blocks, ``--logs``, ``--filter``, a failing test pod, and the phases stored in the release."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.lifecycle.test_install import kelm_cli
from tests.lifecycle.test_uninstall import cluster, helm, needs_helm  # noqa: F401 - fixture

TESTS = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-ok\n  annotations:\n"
    "    helm.sh/hook: test\n    helm.sh/hook-delete-policy: hook-succeeded\nspec:\n"
    "  restartPolicy: Never\n  containers: [{name: c, image: busybox}]\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-bad\n  annotations:\n"
    "    helm.sh/hook: test\n    helm.sh/hook-weight: '5'\nspec:\n  restartPolicy: Never\n"
    "  containers: [{name: c, image: busybox}]\n---\n"
    "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-job\n"
    "  annotations:\n    helm.sh/hook: test-success\n    helm.sh/hook-weight: '9'\nspec:\n"
    "  template:\n    spec:\n      restartPolicy: Never\n"
    "      containers: [{name: c, image: busybox}]\n"
)
_TIMES = re.compile(r"^(LAST DEPLOYED|Last Started|Last Completed):( +).*$", re.M)


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("charts") / "tested"
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: tested\nversion: 1.0.0\n")
    (root / "templates" / "tests.yaml").write_text(TESTS)
    (root / "templates" / "NOTES.txt").write_text("never shown by test\n")
    return root


def untimed(text: str, name: str) -> str:
    return _TIMES.sub(r"\1:\2T", text).replace(name, "REL")


def stored_hooks(c, name):  # type: ignore[no-untyped-def]
    from kelm.action.cluster import KubeSettings, make_client, release_storage

    with make_client(KubeSettings(kubeconfig=str(c.kubeconfig_path))) as client:
        return release_storage(client, "default").last(name).hooks


@needs_helm
def test_test_reports_logs_and_failures_as_helm(cluster, chart, tmp_path) -> None:  # noqa: F811
    for name in ("ht", "kt"):
        cluster.set_behavior("Pod", f"{name}-bad", fail=True)
        cluster.set_pod_logs(f"{name}-ok", "all good\n")
        cluster.set_pod_logs(f"{name}-bad", "it broke")
    assert helm(cluster, tmp_path, "install", "ht", str(chart)).returncode == 0
    assert kelm_cli(cluster, "install", "kt", str(chart)).returncode == 0
    cases = (["test", "{}"], ["test", "{}", "--logs", "--filter", "!name={}-job"],
             ["test", "{}", "--filter", "!name={}-bad"],
             ["test", "{}", "--filter", "name={}-bad,name=other", "--logs"],
             ["test", "{}", "--logs"])
    for i, args in enumerate(cases):
        # helm tests the release kelm installed and kelm the one helm installed (then swapped
        # for the first case)
        for h_rel, k_rel in (("kt", "ht"), ("ht", "kt"))[:2 if i == 0 else 1]:
            want = helm(cluster, tmp_path, *(a.format(h_rel) for a in args))
            got = kelm_cli(cluster, *(a.format(k_rel) for a in args))
            assert (got.returncode, untimed(got.stdout, k_rel), untimed(got.stderr, k_rel)) == (
                want.returncode, untimed(want.stdout, h_rel), untimed(want.stderr, h_rel)), args
    got = kelm_cli(cluster, "test", "kt", "--logs")
    assert got.returncode == 1
    assert "TEST SUITE:     kt-bad\n" in got.stdout and "never shown" not in got.stdout
    assert "\nPOD LOGS: kt-ok\nall good\n\nPOD LOGS: kt-bad\nit broke\n" in got.stdout
    assert got.stderr == ("Error: resource Pod/default/kt-bad not ready. status: Failed, "
                          "message: pod kt-bad failed\n"
                          "unable to get pod logs for kt-job: pods \"kt-job\" not found\n")
    hooks = {h.name: h for h in stored_hooks(cluster, "kt")}
    assert (hooks["kt-ok"].last_run.phase, hooks["kt-bad"].last_run.phase) == (
        "Succeeded", "Failed")
    assert hooks["kt-bad"].delete_policies == ["before-hook-creation"]
    assert cluster.get("Pod", "kt-ok") is None  # hook-succeeded: deleted after the logs
    assert cluster.get("Pod", "kt-bad") is not None


def test_passing_tests_exit_zero_and_record_phases(cluster, chart) -> None:  # noqa: F811
    assert kelm_cli(cluster, "install", "pt", str(chart)).returncode == 0
    r = kelm_cli(cluster, "test", "pt", "--filter", "!name=pt-bad")
    assert (r.returncode, r.stderr) == (0, "")
    assert re.search(r"TEST SUITE:     pt-job\nLast Started:   .+\nLast Completed: .+\n"
                     r"Phase:          Succeeded\n", r.stdout)
    assert "pt-bad" not in r.stdout  # never run: no block
    hooks = stored_hooks(cluster, "pt")
    assert [h.name for h in hooks][0] == "pt-bad"  # Helm stores the skipped hooks first
    assert {h.name: h.last_run.phase for h in hooks} == {
        "pt-bad": "", "pt-ok": "Succeeded", "pt-job": "Succeeded"}


def test_errors_without_a_release(cluster) -> None:  # noqa: F811
    r = kelm_cli(cluster, "test", "nothere")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "Error: release: not found\n")
    r = kelm_cli(cluster, "test", "Bad_Name")
    assert r.stderr == "Error: releaseTest: Release name is invalid: Bad_Name\n"


def test_filters_offline() -> None:
    from kelm.action.releasetest import parse_filters

    assert parse_filters(["name=a", "!name=b", "! name=c", "other=x", "name="]) == (
        ["a", ""], ["b", "c"])


LOGGED = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-logged\n  annotations:\n"
    "    helm.sh/hook: test\n    helm.sh/hook-output-log-policy: hook-failed,hook-succeeded\n"
    "spec:\n  restartPolicy: Never\n"
    "  containers: [{name: c, image: busybox}, {name: d, image: busybox}]\n"
)


@needs_helm
def test_output_log_policy_copies_pod_logs_to_stderr_as_helm(cluster, tmp_path) -> None:  # noqa: F811
    chart = tmp_path / "logged"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: logged\nversion: 1.0.0\n")
    (chart / "templates" / "pod.yaml").write_text(LOGGED)
    for name in ("hl", "kl"):
        cluster.set_behavior("Pod", f"{name}-logged", fail=True)
        cluster.set_pod_logs(f"{name}-logged", "first line\nsecond\n", container="c")
        cluster.set_pod_logs(f"{name}-logged", "plain", container="d")
    assert helm(cluster, tmp_path, "install", "hl", str(chart)).returncode == 0
    assert kelm_cli(cluster, "install", "kl", str(chart)).returncode == 0
    want, got = helm(cluster, tmp_path, "test", "hl"), kelm_cli(cluster, "test", "kl")
    assert (got.returncode, got.stderr.replace("kl", "hl")) == (want.returncode, want.stderr)
    assert got.stderr.startswith('level=INFO msg="first line\\nsecond"\nlevel=INFO msg=plain\n')
