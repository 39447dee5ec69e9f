"""A kubeconfig that cannot be used and a cluster that refuses connections: every release
command fails with Helm's reachability wording (recorded from helm v4.1.4; ``make compat``
style live check when the oracle is present)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.runner import invoke
from tests.shared import HELM

BAD_CONTEXT = ("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\n"
               "current-context: nope\n")
REFUSED = ("apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "
           "'http://127.0.0.1:1'}}]\ncontexts: [{name: c, context: {cluster: c}}]\n"
           "current-context: c\nusers: []\n")
CONTEXT_WHY = "invalid configuration: context was not found for specified context: nope"
REFUSED_WHY = ('Get "http://127.0.0.1:1/version": dial tcp 127.0.0.1:1: connect: '
               "connection refused")
U = "kubernetes cluster unreachable: "
CHECK = "cluster reachability check failed: " + U
# command -> what precedes the reason in Helm's error line
CASES = {
    "list": U, "status r": U, "uninstall r": U, "rollback r": U, "history r": U,
    "test r": U, "get values r": U, "upgrade r CHART": "UPGRADE FAILED: " + U,
    "upgrade -i r CHART": U, "install r CHART": "INSTALLATION FAILED: " + CHECK,
    "template r CHART --dry-run=server": CHECK,
    "install r CHART --dry-run=server": "INSTALLATION FAILED: " + CHECK,
    "upgrade r CHART --dry-run=server": "UPGRADE FAILED: " + U,
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("unreachable")
    (root / "app" / "templates").mkdir(parents=True)
    (root / "app" / "Chart.yaml").write_text("apiVersion: v2\nname: app\nversion: 0.1.0\n")
    (root / "app" / "templates" / "c.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    (root / "badctx.kc").write_text(BAD_CONTEXT)
    (root / "refused.kc").write_text(REFUSED)
    return {"chart": root / "app", "badctx": root / "badctx.kc", "refused": root / "refused.kc"}


def _args(cmd: str, chart: Path, kubeconfig: Path) -> list[str]:
    return ["--kubeconfig", str(kubeconfig),
            *[str(chart) if a == "CHART" else a for a in cmd.split()]]


@pytest.mark.parametrize("kind", ["badctx", "refused"])
@pytest.mark.parametrize("cmd", list(CASES))
def test_unreachable_cluster_wording(cmd: str, kind: str, files: dict[str, Path]) -> None:
    why = CONTEXT_WHY if kind == "badctx" else REFUSED_WHY
    res = invoke(_args(cmd, files["chart"], files[kind]))
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1] == f"Error: {CASES[cmd]}{why}"
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("cmd", ["list", "install r CHART", "upgrade r CHART"])
def test_recorded_wording_is_helms(cmd: str, files: dict[str, Path]) -> None:
    if not HELM.available():
        pytest.skip("the oracle's helm is absent: the recorded wording is checked alone")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))}
    for kind, why in (("badctx", CONTEXT_WHY), ("refused", REFUSED_WHY)):
        p = subprocess.run([os.fspath(HELM), *_args(cmd, files["chart"], files[kind])],
                           env=env, capture_output=True, text=True, timeout=60)
        assert p.stderr.splitlines()[-1] == f"Error: {CASES[cmd]}{why}"
