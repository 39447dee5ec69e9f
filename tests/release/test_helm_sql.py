"""Interop with the real Helm over PostgreSQL (``HELM_DRIVER=sql``): Helm reads what kelm
wrote, kelm reads what Helm wrote, and each carries on the other's history.

Helm asks a cluster for its version and discovery before any release command; a loopback
endpoint answers that and nothing else (tests/release/versionapi.py: objects are 404), so
the charts Helm installs here have no manifests and touch nothing but the database.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kelm.chart import load_chart
from kelm.release import Release
from kelm.release.drivers.sql import SQLDriver
from kelm.release.storage import Storage
from tests.release.helpers import golden_release
from tests.release.oracle import Helm, helm_binary  # noqa: F401 - fixture
from tests.release.versionapi import version_api

HERE = Path(__file__).resolve().parent
NOTES_CHART = str(HERE / "charts" / "notes")


@pytest.fixture
def helm(helm_binary: str, pg_conninfo: str, tmp_path: Path) -> Iterator[Helm]:  # noqa: F811
    h = Helm(helm_binary, tmp_path, {"HELM_DRIVER": "sql",
                                     "HELM_DRIVER_SQL_CONNECTION_STRING": pg_conninfo})
    with version_api() as url:
        h.api = url
        yield h


def _status_json(rel: Release) -> dict:
    """What ``helm status -o json`` prints of a release: all but the chart."""
    out = json.loads(rel.to_json())
    out.pop("chart", None)
    return out


def test_helm_reads_releases_kelm_wrote(helm: Helm, pg_conninfo: str) -> None:
    store = Storage(SQLDriver(pg_conninfo, "ns1"))
    first = golden_release("rich")
    first.labels = {"team": "core"}
    first.set_status("superseded", "Install complete")
    store.create(first)
    second = golden_release("rich")
    second.version, second.config = 2, {"replicas": 3, "html": "<b>"}
    second.set_status("deployed", "Upgrade complete")
    store.create(second)

    assert helm.json("status", "rel", "-n", "ns1") == _status_json(second)
    assert helm.json("status", "rel", "-n", "ns1", "--revision", "1") == _status_json(first)
    hist = helm.json("history", "rel", "-n", "ns1")
    assert [(h["revision"], h["status"], h["chart"], h["app_version"], h["description"])
            for h in hist] == [(1, "superseded", "rich-1.2.3", "4.5", "Install complete"),
                               (2, "deployed", "rich-1.2.3", "4.5", "Upgrade complete")]
    (listed,) = helm.json("list", "-n", "ns1")
    assert (listed["name"], listed["revision"], listed["status"]) == ("rel", "2", "deployed")
    assert helm.json("get", "values", "rel", "-n", "ns1") == {"replicas": 3, "html": "<b>"}
    assert helm.run("get", "manifest", "rel", "-n", "ns1") == second.manifest + "\n"
    meta = helm.json("get", "metadata", "rel", "-n", "ns1", "--revision", "1")
    assert meta["labels"] == {"team": "core"} and meta["chart"] == "rich"


def test_kelm_reads_releases_helm_wrote(helm: Helm, pg_conninfo: str) -> None:
    helm.run("install", "n1", NOTES_CHART, "-n", "ns1", "--labels", "team=core")
    helm.run("upgrade", "n1", NOTES_CHART, "-n", "ns1", "--set", "msg=second")
    store = Storage(SQLDriver(pg_conninfo, "ns1"))

    hist = sorted(store.history("n1"), key=lambda r: r.version)
    assert [(r.version, r.status) for r in hist] == [(1, "superseded"), (2, "deployed")]
    assert store.deployed("n1").version == 2
    assert store.get("n1", 1).labels == {"team": "core"}
    for rev in (1, 2):
        rel = store.get("n1", rev)
        assert _status_json(rel) == helm.json("status", "n1", "-n", "ns1", "--revision", str(rev))
    assert store.get("n1", 2).config == {"msg": "second"}
    assert store.get("n1", 2).info.notes == "Release n1 revision 2: second\n"

    import psycopg

    with psycopg.connect(pg_conninfo) as db:
        (body,) = db.execute("SELECT body FROM releases_v1 WHERE version = 2").fetchone()
    helm_json = gzip.decompress(base64.b64decode(body)).decode()
    assert Release.decode(body).to_json() == helm_json  # Helm's bytes, read and written again


def test_helm_upgrades_a_release_kelm_installed(helm: Helm, pg_conninfo: str) -> None:
    from kelm.render import InstallOptions, render_chart

    rendered = render_chart(load_chart(NOTES_CHART), {"msg": "from kelm"},
                            InstallOptions(release_name="n1", namespace="ns1", dry_run=False))
    rel = Release.from_render(rendered)
    rel.set_status("deployed", "Install complete")
    Storage(SQLDriver(pg_conninfo, "ns1")).create(rel)

    helm.run("upgrade", "n1", NOTES_CHART, "-n", "ns1", "--reuse-values")
    store = Storage(SQLDriver(pg_conninfo, "ns1"))
    assert [(r.version, r.status) for r in sorted(store.history("n1"), key=lambda r: r.version)] == [
        (1, "superseded"), (2, "deployed")]
    assert store.last("n1").config == {"msg": "from kelm"}
    assert store.last("n1").info.notes == "Release n1 revision 2: from kelm\n"
