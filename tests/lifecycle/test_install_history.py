"""An install prunes no release history: ``HELM_MAX_HISTORY`` is only the default of
upgrade's and rollback's ``--history-max``, so ``install --replace`` over a long history keeps
every record, as the oracle's helm does (found sweeping the corpus: kelm's install asked for
the history a second time and pruned it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kelm.testing
from tests.shared import HELM

CHART = {"Chart.yaml": "apiVersion: v2\nname: hist\nversion: 0.1.0\n",
         "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hist\n"}


def _records(tool: list[str], chart: Path) -> list[str]:
    with kelm.testing.cluster() as c:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("HELM_")}, **c.env()}
        for args, extra in ((["install", "h", str(chart)], {}), (["upgrade", "h", str(chart)], {}),
                            (["uninstall", "h", "--keep-history"], {}),
                            (["install", "h", str(chart), "--replace"],
                             {"HELM_MAX_HISTORY": "1"})):
            r = subprocess.run([*tool, *args], env={**env, **extra}, capture_output=True,
                               text=True, timeout=60)
            assert r.returncode == 0, r.stderr
        return sorted(o["metadata"]["name"] for o in c.objects("Secret")
                      if o["metadata"]["name"].startswith("sh.helm.release."))


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hist") / "hist"
    for name, text in CHART.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


WANT = [f"sh.helm.release.v1.h.v{i}" for i in (1, 2, 3)]


def test_install_replace_keeps_the_history(chart: Path) -> None:
    assert _records([sys.executable, "-m", "kelm"], chart) == WANT


def test_helm_keeps_it_too(chart: Path) -> None:
    if not HELM.available():
        pytest.skip(f"the oracle's helm is unavailable: {HELM.error or HELM}")
    assert _records([os.fspath(HELM)], chart) == WANT
