"""An upgrade takes any chart type, as Helm's does: a library chart as the next revision
leaves the release with no objects; installing one (also through ``upgrade --install``) is
refused with Helm's message."""

from __future__ import annotations

from pathlib import Path

import pytest

import kelm.testing
from tests.lifecycle.test_install import kelm_cli
from tests.lifecycle.test_upgrade import write_chart

APP = {"Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
       "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-cm}\n"}
LIB = {"Chart.yaml": "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n",
       "templates/_h.tpl": '{{- define "lib.x" }}x{{ end }}\n'}


@pytest.fixture(scope="module")
def cluster() -> kelm.testing.Cluster:
    with kelm.testing.cluster() as c:
        yield c


def test_upgrade_to_a_library_chart_empties_the_release(cluster, tmp_path: Path) -> None:
    app, lib = write_chart(tmp_path / "app", APP), write_chart(tmp_path / "lib", LIB)
    assert kelm_cli(cluster, "install", "r", str(app)).returncode == 0
    assert cluster.get("ConfigMap", "app-cm") is not None
    r = kelm_cli(cluster, "upgrade", "r", str(lib))
    assert r.returncode == 0, r.stderr
    assert "STATUS: deployed\nREVISION: 2\nDESCRIPTION: Upgrade complete\n" in r.stdout
    assert all(o["metadata"]["name"] != "app-cm" for o in cluster.objects("ConfigMap"))
    hist = kelm_cli(cluster, "history", "r").stdout
    assert "superseded\tapp-0.1.0" in hist and "deployed  \tlib-0.1.0" in hist


@pytest.mark.parametrize(("args", "error"), [
    (["install", "n"], "Error: INSTALLATION FAILED: library charts are not installable"),
    (["upgrade", "--install", "n"], "Error: library charts are not installable"),
], ids=["install", "upgrade-install"])
def test_installing_a_library_chart_is_refused(cluster, tmp_path: Path, args, error) -> None:
    lib = write_chart(tmp_path / "lib", LIB)
    r = kelm_cli(cluster, *args, str(lib))
    assert r.returncode == 1 and r.stderr.splitlines()[-1] == error
    assert "n" not in kelm_cli(cluster, "list", "-q").stdout.split()
