"""Interop with the real Helm over Kubernetes objects (``HELM_DRIVER=secret`` and
``configmap``) on kelm's API emulator: Helm reads releases kelm stored, kelm reads releases
Helm stored (the same bytes written again), and kelm's objects look like Helm's."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kelm.release import Release
from kelm.release.drivers.kube import ConfigMapDriver, SecretDriver
from kelm.release.storage import Storage
from tests.release.helpers import golden_release
from tests.release.oracle import Helm, helm_binary  # noqa: F401 - fixture

HERE = Path(__file__).resolve().parent
RICH = str(HERE / "charts" / "rich")
DRIVERS = {"secret": SecretDriver, "configmap": ConfigMapDriver}


@pytest.fixture
def emulator() -> Iterator[Any]:
    from kelm.testing import cluster

    with cluster() as c:
        c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns1"}})
        yield c


@pytest.fixture
def kube(emulator: Any) -> Iterator[Any]:
    from kelm.kube import Client, ConfigFlags

    with Client.from_flags(ConfigFlags(kubeconfig=str(emulator.kubeconfig_path))) as client:
        yield client


def _helm(binary: str, tmp_path: Path, emulator: Any, driver: str) -> Helm:
    return Helm(binary, tmp_path, {**emulator.env(), "HELM_DRIVER": driver})


def _status_json(rel: Release) -> dict:
    out = json.loads(rel.to_json())
    out.pop("chart", None)
    return out


def _release_json(obj: dict[str, Any], driver: str) -> str:
    text = obj["data"]["release"]
    if driver == "secret":
        text = base64.b64decode(text).decode()
    return gzip.decompress(base64.b64decode(text)).decode()


@pytest.mark.parametrize("driver", sorted(DRIVERS))
def test_helm_reads_releases_kelm_wrote(driver: str, helm_binary: str, tmp_path: Path,  # noqa: F811
                                        emulator: Any, kube: Any) -> None:
    store = Storage(DRIVERS[driver](kube, "ns1"))
    first = golden_release("rich")
    first.set_status("superseded", "Install complete")
    store.create(first)
    second = golden_release("rich")
    second.version, second.labels, second.config = 2, {"team": "core"}, {"replicas": 4}
    second.set_status("deployed", "Upgrade complete")
    store.create(second)
    helm = _helm(helm_binary, tmp_path, emulator, driver)

    assert helm.json("status", "rel", "-n", "ns1") == _status_json(second)
    assert helm.json("status", "rel", "-n", "ns1", "--revision", "1") == _status_json(first)
    hist = helm.json("history", "rel", "-n", "ns1")
    assert [(h["revision"], h["status"], h["description"]) for h in hist] == [
        (1, "superseded", "Install complete"), (2, "deployed", "Upgrade complete")]
    assert helm.json("get", "values", "rel", "-n", "ns1") == {"replicas": 4}
    (listed,) = helm.json("list", "-n", "ns1", "-l", "team=core")
    assert (listed["name"], listed["revision"], listed["chart"]) == ("rel", "2", "rich-1.2.3")
    # Helm's get metadata shows the object's labels, system ones included
    assert {"team": "core", "status": "deployed"}.items() <= helm.json(
        "get", "metadata", "rel", "-n", "ns1")["labels"].items()


@pytest.mark.parametrize("driver", sorted(DRIVERS))
def test_kelm_reads_releases_helm_wrote(driver: str, helm_binary: str, tmp_path: Path,  # noqa: F811
                                        emulator: Any, kube: Any) -> None:
    helm = _helm(helm_binary, tmp_path, emulator, driver)
    helm.run("install", "rel", RICH, "-n", "ns1", "--labels", "team=core", "--set", "i=7")
    helm.run("upgrade", "rel", RICH, "-n", "ns1", "--set", "replicas=3")
    store = Storage(DRIVERS[driver](kube, "ns1"))

    hist = sorted(store.history("rel"), key=lambda r: r.version)
    assert [(r.version, r.status) for r in hist] == [(1, "superseded"), (2, "deployed")]
    assert store.get("rel", 1).labels == {"team": "core"}
    assert store.get("rel", 2).config == {"replicas": 3.0}
    for rev in (1, 2):
        mine = _status_json(store.get("rel", rev))
        theirs = helm.json("status", "rel", "-n", "ns1", "--revision", str(rev))
        theirs["info"].pop("resources")  # the live objects status looks up, not stored
        assert mine == theirs
        obj = emulator.get(driver.title().replace("map", "Map"), f"sh.helm.release.v1.rel.v{rev}",
                           "ns1")
        helm_json = _release_json(obj, driver)
        assert Release.from_json(helm_json).to_json() == helm_json  # Helm's bytes, written again


@pytest.mark.parametrize("driver", sorted(DRIVERS))
def test_kelm_objects_are_shaped_like_helms(driver: str, helm_binary: str, tmp_path: Path,  # noqa: F811
                                            emulator: Any, kube: Any) -> None:
    kind = "Secret" if driver == "secret" else "ConfigMap"
    helm = _helm(helm_binary, tmp_path, emulator, driver)
    helm.run("install", "rel", RICH, "-n", "ns1", "--labels", "team=core")
    theirs = emulator.get(kind, "sh.helm.release.v1.rel.v1", "ns1")
    store = Storage(DRIVERS[driver](kube, "ns1"))
    rel = store.get("rel", 1)
    rel.name = "mine"
    rel.set_status("pending-install", "Initial install underway")
    store.create(rel)  # as Helm's install: create pending, then update when done
    rel.set_status("deployed", "Install complete")
    store.update(rel)
    ours = emulator.get(kind, "sh.helm.release.v1.mine.v1", "ns1")

    assert ours.get("type") == theirs.get("type")
    assert sorted(ours["data"]) == sorted(theirs["data"]) == ["release"]
    assert sorted(ours["metadata"]["labels"]) == sorted(theirs["metadata"]["labels"])
    strip = {"modifiedAt", "name"}
    assert ({k: v for k, v in ours["metadata"]["labels"].items() if k not in strip}
            == {k: v for k, v in theirs["metadata"]["labels"].items() if k not in strip})
    assert json.loads(_release_json(ours, driver))["name"] == "mine"


def test_helm_upgrades_a_release_kelm_stored(helm_binary: str, tmp_path: Path,  # noqa: F811
                                             emulator: Any, kube: Any) -> None:
    rel = golden_release("rich")
    rel.set_status("deployed", "Install complete")
    Storage(SecretDriver(kube, "ns1")).create(rel)
    helm = _helm(helm_binary, tmp_path, emulator, "secret")
    helm.run("upgrade", "rel", RICH, "-n", "ns1", "--reuse-values")
    store = Storage(SecretDriver(kube, "ns1"))
    assert [(r.version, r.status) for r in sorted(store.history("rel"), key=lambda r: r.version)
            ] == [(1, "superseded"), (2, "deployed")]
    assert store.get("rel", 2).config == {k: (float(v) if isinstance(v, int) else v)
                                          for k, v in rel.config.items()}
