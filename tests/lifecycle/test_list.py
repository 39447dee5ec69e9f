"""``kelm list`` against the emulator: the same bytes as the oracle's ``helm list`` for the
same releases (installed by kelm and by helm), and the selection rules offline."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import kelm.testing
from tests.lifecycle.test_install import chart, kelm_cli  # noqa: F401 - the chart fixture
from tests.shared import HELM

CASES = [["list"], ["list", "-A"], ["list", "-o", "json"], ["list", "-A", "-o", "yaml"],
         ["list", "-q", "-A"], ["list", "--uninstalled"], ["list", "--deployed", "-A"],
         ["list", "-A", "-r"],
         ["list", "-f", "^o"], ["list", "-A", "--max", "1", "--offset", "1"],
         ["list", "--no-headers"], ["list", "-n", "nowhere"], ["ls", "-o", "json", "-n", "x"]]


def helm(c: kelm.testing.Cluster, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))},
           **c.env(), "HOME": str(home)}
    return subprocess.run([os.fspath(HELM), *args], env=env, capture_output=True, text=True,
                          timeout=60)


def test_list_prints_what_helm_prints(chart, tmp_path: Path) -> None:  # noqa: F811
    if not HELM.available():
        pytest.skip(f"the oracle's helm is unavailable: {HELM.error or HELM}")
    with kelm.testing.cluster() as c:
        assert kelm_cli(c, "install", "one", str(chart), "--no-hooks").returncode == 0
        assert helm(c, tmp_path, "install", "other", str(chart), "-n", "kube-system",
                    "--no-hooks", "--skip-crds").returncode == 0
        assert helm(c, tmp_path, "install", "old", str(chart), "--no-hooks",
                    "--skip-crds").returncode == 0
        assert helm(c, tmp_path, "uninstall", "old", "--keep-history").returncode == 0
        for args in CASES:
            want, got = helm(c, tmp_path, *args), kelm_cli(c, *args)
            assert (got.returncode, got.stdout, got.stderr) == (
                want.returncode, want.stdout, want.stderr), args


def test_list_selection_offline() -> None:
    from kelm.action.listing import ListOptions, list_json, select_releases
    from kelm.release.model import Info, Release

    rels = [Release("a", Info(status="superseded"), version=1, namespace="n"),
            Release("a", Info(status="deployed"), version=2, namespace="n"),
            Release("b", Info(status="pending-upgrade"), version=1, namespace="n"),
            Release("ab", Info(status="failed"), version=3, namespace="m")]
    names = lambda o: [(r.name, r.version) for r in select_releases(rels, o)]  # noqa: E731
    assert names(ListOptions()) == [("a", 2), ("ab", 3), ("b", 1)]
    assert names(ListOptions(states=("pending",))) == [("b", 1)]
    assert names(ListOptions(filter="^a", reverse=True)) == [("ab", 3), ("a", 2)]
    assert names(ListOptions(limit=1, offset=2)) == [("b", 1)]
    assert names(ListOptions(offset=3)) == []
    assert list_json([]) == "[]\n"
