"""Server-side tables (``Client.get_table``/``list_table``): what Helm's ``status`` and
kubectl's ``get`` ask for, against the emulator and a server that knows no tables; and the
raw documents ``lookup`` reads (``Client.get_raw``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kelm.kube import Client, ConfigFlags, NotFound, load_config
from tests.kube.conftest import client_for
from tests.kube.fakeapi import FakeApi

emulator = pytest.importorskip("kelm.testing.emulator")


def cm(name: str, **labels: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "labels": labels}, "data": {"k": name, "l": "x"}}


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with emulator.cluster() as c:
        c.create(cm("a", app="web"))
        c.create(cm("b", app="web"))
        c.create(cm("c", app="db"))
        c.create(cm("z", app="web"), namespace="kube-system")
        yield c


@pytest.fixture
def client(cluster, tmp_path: Path) -> Iterator[Client]:
    flags = ConfigFlags(kubeconfig=str(cluster.kubeconfig_path), qps=-1)
    with Client(load_config(flags, env={"HOME": str(tmp_path)}), timeout=5.0,
                cache_dir=str(tmp_path / "cache")) as c:
        yield c


def names(table: dict) -> list[str]:
    return [row["cells"][0] for row in table["rows"]]


def test_get_table_has_the_columns_and_the_object(client: Client) -> None:
    t = client.get_table("v1", "ConfigMap", "a")
    assert t["kind"] == "Table" and t["apiVersion"] == "meta.k8s.io/v1"
    assert [c["name"] for c in t["columnDefinitions"]] == ["Name", "Data", "Age"]
    (row,) = t["rows"]
    assert row["cells"][:2] == ["a", 2]
    assert row["object"]["data"] == {"k": "a", "l": "x"}  # includeObject=Object by default


def test_include_object_none_and_metadata(client: Client) -> None:
    assert "object" not in client.get_table("v1", "ConfigMap", "a", include_object="None")["rows"][0]
    meta = client.get_table("v1", "ConfigMap", "a", include_object="Metadata")["rows"][0]["object"]
    assert meta["kind"] == "PartialObjectMetadata" and meta["metadata"]["name"] == "a"
    assert "data" not in meta


def test_get_table_of_a_missing_object_is_not_found(client: Client) -> None:
    with pytest.raises(NotFound) as e:
        client.get_table("v1", "ConfigMap", "nope", "default")
    assert str(e.value) == 'configmaps "nope" not found'


def test_list_table_namespaces_and_selector(client: Client) -> None:
    assert names(client.list_table("v1", "ConfigMap")) == ["a", "b", "c"]  # the client's namespace
    assert names(client.list_table("v1", "ConfigMap", label_selector="app=web")) == ["a", "b"]
    assert names(client.list_table("v1", "ConfigMap", "kube-system")) == ["z"]
    everywhere = client.list_table("v1", "ConfigMap", "", label_selector="app=web")
    assert sorted(names(everywhere)) == ["a", "b", "z"]
    assert client.list_table("v1", "ConfigMap", label_selector="app=none")["rows"] == []


def test_a_server_without_tables_sends_the_object(api: FakeApi, tmp_path: Path) -> None:
    c = client_for(api.url, tmp_path, namespace="shop")
    api.put("configmaps", "shop", cm("a", app="web"))
    got = c.get_table("v1", "ConfigMap", "a")
    assert got["kind"] == "ConfigMap" and got["data"]["k"] == "a"  # the JSON fallback
    seen = api.requests("GET", "/configmaps/a")[-1]
    accept = seen.header("Accept") or ""
    assert accept.startswith("application/json;as=Table;v=v1;g=meta.k8s.io,")
    assert accept.endswith(",application/json")
    assert seen.query == {"includeObject": "Object"}
    listed = c.list_table("v1", "ConfigMap", label_selector="app=web")
    assert [i["metadata"]["name"] for i in listed["items"]] == ["a"]
    seen = api.requests("GET", "/namespaces/shop/configmaps")[-1]
    assert seen.query == {"labelSelector": "app=web", "includeObject": "Object"}


def test_get_raw_reads_any_path(client: Client) -> None:
    assert client.get_raw("/api/v1/namespaces/default/configmaps/a")["data"]["k"] == "a"
    listed = client.get_raw("/api/v1/namespaces/kube-system/configmaps")
    assert listed["kind"] == "ConfigMapList"
    assert [i["metadata"]["name"] for i in listed["items"]] == ["z"]
    assert client.get_raw("/api/v1")["kind"] == "APIResourceList"
    with pytest.raises(NotFound):
        client.get_raw("/api/v1/namespaces/default/configmaps/nope")
