"""Every storage driver through Helm's operations: memory, secret and configmap (over an
in-memory API stand-in) and sql (a real PostgreSQL server)."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kelm.release.drivers.kube import ConfigMapDriver, SecretDriver
from kelm.release.drivers.memory import MemoryDriver
from kelm.release.errors import InvalidKey, ReleaseExists, ReleaseNotFound, StorageError
from kelm.release.labels import make_key
from tests.release.fakekube import FakeKube
from tests.release.helpers import golden_release, make_release

DRIVERS = ["memory", "secret", "configmap", "sql"]
Factory = Callable[[str], Any]


@pytest.fixture(params=DRIVERS)
def new_driver(request: pytest.FixtureRequest) -> Iterator[Factory]:
    """A function making drivers over one backing store, bound to a namespace."""
    kind = request.param
    if kind == "memory":
        mem = MemoryDriver()

        def make(ns: str) -> Any:
            mem.namespace = ns
            return mem

        yield make
    elif kind in ("secret", "configmap"):
        kube = FakeKube()
        cls = SecretDriver if kind == "secret" else ConfigMapDriver
        yield lambda ns: cls(kube, ns)
    else:
        from kelm.release.drivers.sql import SQLDriver

        conninfo = request.getfixturevalue("pg_conninfo")
        made: list[Any] = []

        def make_sql(ns: str) -> Any:
            made.append(SQLDriver(conninfo, ns))
            return made[-1]

        yield make_sql
        for d in made:
            d.close()


def test_create_get_round_trip(new_driver: Factory) -> None:
    d = new_driver("ns1")
    rel = golden_release("rich")
    rel.labels = {"team": "core"}
    d.create(make_key(rel.name, rel.version), rel)
    got = d.get(make_key("rel", 1))
    assert got == rel
    assert got.to_json() == rel.to_json()


def test_create_twice_is_release_exists(new_driver: Factory) -> None:
    d = new_driver("default")
    d.create(make_key("web", 1), make_release())
    with pytest.raises(ReleaseExists, match="^release: already exists$"):
        d.create(make_key("web", 1), make_release(status="failed"))
    assert d.get(make_key("web", 1)).status == "deployed"


def test_missing_release_is_not_found(new_driver: Factory) -> None:
    d = new_driver("default")
    with pytest.raises(ReleaseNotFound, match="^release: not found$"):
        d.get(make_key("nope", 1))
    with pytest.raises(ReleaseNotFound):
        d.query({"name": "nope", "owner": "helm"})
    with pytest.raises(ReleaseNotFound):
        d.delete(make_key("nope", 1))


def test_update_query_delete(new_driver: Factory) -> None:
    d = new_driver("default")
    for v in (1, 2):
        d.create(make_key("web", v), make_release(version=v, status="deployed"))
    d.create(make_key("db", 1), make_release("db", status="failed"))
    d.update(make_key("web", 1), make_release(version=1, status="superseded"))
    assert d.get(make_key("web", 1)).status == "superseded"
    deployed = d.query({"name": "web", "owner": "helm", "status": "deployed"})
    assert [r.version for r in deployed] == [2]
    assert sorted(r.version for r in d.query({"name": "web", "owner": "helm"})) == [1, 2]
    assert [r.name for r in d.list(lambda r: r.status == "failed")] == ["db"]
    gone = d.delete(make_key("web", 2))
    assert (gone.name, gone.version) == ("web", 2)
    with pytest.raises(ReleaseNotFound):
        d.get(make_key("web", 2))
    assert sorted((r.name, r.version) for r in d.list(lambda r: True)) == [("db", 1), ("web", 1)]


def test_labels_get_filters_system_ones_list_keeps_them(new_driver: Factory) -> None:
    d = new_driver("default")
    d.create(make_key("web", 1), make_release(labels={"team": "core", "tier": "a"}))
    assert d.get(make_key("web", 1)).labels == {"team": "core", "tier": "a"}
    (listed,) = d.list(lambda r: True)
    custom = {"team": "core", "tier": "a"}
    if isinstance(d, MemoryDriver):  # Helm's memory records keep the release's own labels
        assert listed.labels == custom
    else:
        system = {"name": "web", "owner": "helm", "version": "1", "status": "deployed"}
        assert {**custom, **system}.items() <= listed.labels.items()


def test_namespaces_are_separate_and_empty_means_all(new_driver: Factory) -> None:
    new_driver("a").create(make_key("web", 1), make_release(namespace="a"))
    new_driver("b").create(make_key("web", 1), make_release(namespace="b", status="failed"))
    assert new_driver("a").get(make_key("web", 1)).status == "deployed"
    assert new_driver("b").get(make_key("web", 1)).status == "failed"
    assert sorted(r.namespace for r in new_driver("").list(lambda r: True)) == ["a", "b"]
    assert [r.namespace for r in new_driver("b").query({"name": "web"})] == ["b"]


def test_unencodable_release_stores_nothing(new_driver: Factory) -> None:
    d = new_driver("default")
    rel = make_release()
    rel.config = {"bad": float("nan")}
    with pytest.raises((StorageError, ValueError), match="NaN"):
        d.create(make_key("web", 1), rel)
    with pytest.raises(ReleaseNotFound):
        d.get(make_key("web", 1))


# ---- driver specifics


def test_secret_object_is_helms() -> None:
    kube = FakeKube()
    d = SecretDriver(kube, "prod")
    d.create(make_key("web", 3), make_release(version=3, namespace="prod", labels={"team": "x"}))
    obj = kube.objects[("Secret", "prod", "sh.helm.release.v1.web.v3")]
    assert obj["type"] == "helm.sh/release.v1"
    labels = obj["metadata"]["labels"]
    assert int(labels.pop("createdAt")) > 1_700_000_000
    assert labels == {"name": "web", "owner": "helm", "status": "deployed", "version": "3",
                      "team": "x"}
    inner = base64.b64decode(obj["data"]["release"])  # the API's base64 of Helm's base64
    body = gzip.decompress(base64.b64decode(inner))
    assert json.loads(body)["info"]["status"] == "deployed"
    d.update(make_key("web", 3), make_release(version=3, namespace="prod", status="superseded"))
    labels = kube.objects[("Secret", "prod", "sh.helm.release.v1.web.v3")]["metadata"]["labels"]
    assert "modifiedAt" in labels and "createdAt" not in labels  # as Helm: labels rebuilt
    assert labels["status"] == "superseded"


def test_configmap_object_is_helms() -> None:
    kube = FakeKube()
    ConfigMapDriver(kube, "default").create(make_key("web", 1), make_release())
    obj = kube.objects[("ConfigMap", "default", "sh.helm.release.v1.web.v1")]
    assert "type" not in obj
    body = gzip.decompress(base64.b64decode(obj["data"]["release"]))
    assert json.loads(body)["name"] == "web"


def test_undecodable_record_is_skipped_by_list_and_an_error_for_get() -> None:
    kube = FakeKube()
    d = SecretDriver(kube, "default")
    d.create(make_key("web", 1), make_release())
    d.create(make_key("web", 2), make_release(version=2))
    kube.objects[("Secret", "default", "sh.helm.release.v1.web.v2")]["data"]["release"] = "!!"
    assert [r.version for r in d.list(lambda r: True)] == [1]
    with pytest.raises(StorageError, match='^get: failed to decode data "sh.helm.release.v1.web.v2": '):
        d.get(make_key("web", 2))


def test_query_rejects_bad_label_values() -> None:
    d = SecretDriver(FakeKube(), "default")
    with pytest.raises(StorageError, match='^invalid label value: "a b": a valid label must'):
        d.query({"name": "a b"})


def test_memory_rejects_bad_keys() -> None:
    with pytest.raises(InvalidKey, match="^release: invalid key$"):
        MemoryDriver().get("sh.helm.release.v1.web")
