"""The client against kelm.testing's API emulator: TLS, CRDs, watch and the fault knobs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kelm.kube import AlreadyExists, Client, ConfigFlags, ServerError, Unreachable, load_config

emulator = pytest.importorskip("kelm.testing.emulator")


def connect(c, tmp_path: Path, **kw: object) -> Client:
    timeout = float(kw.pop("timeout", 5.0))  # type: ignore[arg-type]
    flags = ConfigFlags(kubeconfig=str(c.kubeconfig_path), qps=-1, **kw)  # type: ignore[arg-type]
    return Client(load_config(flags, env={"HOME": str(tmp_path)}), timeout=timeout,
                  cache_dir=str(tmp_path / "cache"))


def cm(name: str, **labels: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "labels": labels}, "data": {"k": name}}


CRD = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
       "metadata": {"name": "widgets.example.com"},
       "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                "versions": [{"name": "v1", "served": True, "storage": True, "schema": {
                    "openAPIV3Schema": {"type": "object",
                                        "x-kubernetes-preserve-unknown-fields": True}}}]}}


@pytest.fixture(scope="module")
def tls_cluster():
    with emulator.cluster(tls=True) as c:
        yield c


@pytest.fixture
def plain_cluster():
    with emulator.cluster() as c:
        yield c


def test_lifecycle_over_tls(tls_cluster, tmp_path):
    client = connect(tls_cluster, tmp_path)
    assert client.cfg.server.startswith("https://127.0.0.1:")
    assert client.server_version()["gitVersion"].startswith("v1.")
    client.create(cm("tls-a", app="x"))
    with pytest.raises(AlreadyExists):
        client.create(cm("tls-a"))
    client.apply(cm("tls-b", app="x"), field_manager="kelm", force=True)
    assert tls_cluster.get("ConfigMap", "tls-b")["metadata"]["managedFields"][0]["manager"] == "kelm"
    names = [o["metadata"]["name"] for o in client.list("v1", "ConfigMap", label_selector="app=x",
                                                        limit=1)]
    assert names == ["tls-a", "tls-b"]
    got = client.get("v1", "ConfigMap", "tls-a")
    got["data"] = {"k": "2"}
    assert client.update(got)["data"] == {"k": "2"}
    out = client.patch("v1", "ConfigMap", "tls-a", [{"op": "add", "path": "/data/j", "value": "1"}],
                       patch_type="json")
    assert out["data"] == {"k": "2", "j": "1"}
    client.delete("v1", "ConfigMap", "tls-a")
    assert tls_cluster.get("ConfigMap", "tls-a") is None


def test_crd_created_then_used(tls_cluster, tmp_path):
    client = connect(tls_cluster, tmp_path)
    client.resource_for("apps/v1", "Deployment")  # discovery cached before the CRD exists
    client.create(CRD)
    deadline = time.monotonic() + 5
    while True:  # the CRD becomes Established asynchronously, as on a real server
        try:
            res = client.resource_for("example.com/v1", "Widget")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    assert (res.plural, res.namespaced) == ("widgets", True)
    client.create({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}})
    assert client.get("example.com/v1", "Widget", "w")["metadata"]["name"] == "w"


def test_certificate_for_another_host(tmp_path):
    with emulator.cluster(tls=True, cert_hosts=["api.internal"]) as c:
        with pytest.raises(Unreachable) as e:
            connect(c, tmp_path).server_version()
        assert str(e.value) == (f'Get "{c.url}/version": tls: failed to verify certificate: '
                                "x509: cannot validate certificate for 127.0.0.1 because it "
                                "doesn't contain any IP SANs")
        assert connect(c, tmp_path, tls_server_name="api.internal").server_version()


def test_watch_sees_changes(plain_cluster, tmp_path):
    client = connect(plain_cluster, tmp_path)
    plain_cluster.create(cm("w1"))
    events = client.watch("v1", "ConfigMap", timeout=5)
    assert next(events)[0] == "ADDED"
    threading.Thread(target=lambda: client.create(cm("w2"))).start()
    typ, obj = next(events)
    assert (typ, obj["metadata"]["name"]) == ("ADDED", "w2")


def test_error_storm_retried_for_reads_only(plain_cluster, tmp_path):
    client = connect(plain_cluster, tmp_path)
    plain_cluster.faults.error_storm(2)
    assert client.list("v1", "ConfigMap") is not None
    assert plain_cluster.requests.count("GET", "/configmaps") == 3
    plain_cluster.faults.error_storm(100)
    with pytest.raises(ServerError):
        client.create(cm("storm"))
    assert plain_cluster.requests.count("POST", "/configmaps") == 1
    plain_cluster.faults.clear()


def test_connection_cut_mid_response(plain_cluster, tmp_path):
    client = connect(plain_cluster, tmp_path)
    plain_cluster.create(cm("cut"))
    plain_cluster.faults.drop_connections(1)
    assert client.get("v1", "ConfigMap", "cut")["metadata"]["name"] == "cut"
    plain_cluster.faults.drop_connections(1)
    with pytest.raises(Unreachable) as e:
        client.create(cm("cut2"))
    assert str(e.value).startswith(f'Post "{plain_cluster.url}/api/v1/namespaces/default/configmaps": ')
    assert "EOF" in str(e.value)


@pytest.mark.parametrize("knob", ["delay", "hang"])
def test_slow_or_stuck_server_bounded_by_timeout(knob, tmp_path):
    with emulator.cluster() as c:
        setattr(c.faults, knob, 2.0 if knob == "delay" else True)
        c.faults.hang_limit = 3.0
        started = time.monotonic()
        with pytest.raises(Unreachable) as e:
            connect(c, tmp_path, timeout=0.3).get("v1", "ConfigMap", "x")
        assert time.monotonic() - started < 1.5
        assert "context deadline exceeded" in str(e.value)
        c.faults.clear()


def test_429_with_retry_after_is_waited_out(plain_cluster, tmp_path):
    client = connect(plain_cluster, tmp_path)
    plain_cluster.faults.error_storm(1, 429)
    started = time.monotonic()
    assert client.list("v1", "ConfigMap") is not None
    assert time.monotonic() - started >= 0.9  # the server's Retry-After: 1
    assert plain_cluster.requests.count("GET", "/configmaps") == 2


def test_cut_watch_reconnects_without_losing_events(plain_cluster, tmp_path):
    watcher, writer = connect(plain_cluster, tmp_path), connect(plain_cluster, tmp_path)
    writer.create(cm("before", cut="1"))
    events = watcher.watch("v1", "ConfigMap", label_selector="cut=1", timeout=10)
    assert next(events)[1]["metadata"]["name"] == "before"  # from the list
    assert watcher.requests == 1

    def later() -> None:
        deadline = time.monotonic() + 5
        while watcher.requests < 3 and time.monotonic() < deadline:
            if watcher.requests == 2:  # a watch is open (or opening): cut it until one was cut
                plain_cluster.faults.cut_watches()
            time.sleep(0.02)
        writer.create(cm("after", cut="1"))

    threading.Thread(target=later).start()
    typ, obj = next(events)
    assert (typ, obj["metadata"]["name"]) == ("ADDED", "after")
    assert watcher.requests == 3  # the list, the cut watch, the watch opened again
