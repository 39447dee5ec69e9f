"""The official Kubernetes Python client (``kubernetes`` from PyPI) against the emulator."""

from __future__ import annotations

import threading

import pytest

from kelm.testing import Cluster

kubernetes = pytest.importorskip("kubernetes", reason="the kubernetes client is a test extra")
from kubernetes import client, config, watch  # noqa: E402
from kubernetes.client.rest import ApiException  # noqa: E402


@pytest.fixture
def api(kc: Cluster):  # type: ignore[no-untyped-def]
    cfg = client.Configuration()
    config.load_kube_config(config_file=str(kc.kubeconfig_path), client_configuration=cfg)
    with client.ApiClient(cfg) as c:
        yield c


def test_crud(api, kc: Cluster) -> None:  # type: ignore[no-untyped-def]
    core = client.CoreV1Api(api)
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cfg", labels={"app": "x"}),
                              data={"k": "v"})
    created = core.create_namespaced_config_map("default", body)
    assert created.metadata.uid and created.data == {"k": "v"}
    got = core.read_namespaced_config_map("cfg", "default")
    assert got.metadata.resource_version == created.metadata.resource_version
    got.data["k"] = "w"
    replaced = core.replace_namespaced_config_map("cfg", "default", got)
    assert replaced.data == {"k": "w"}
    patched = core.patch_namespaced_config_map("cfg", "default", {"data": {"extra": "1"}})
    assert patched.data == {"k": "w", "extra": "1"}
    items = core.list_namespaced_config_map("default", label_selector="app=x").items
    assert [i.metadata.name for i in items] == ["cfg"]
    core.delete_namespaced_config_map("cfg", "default")
    with pytest.raises(ApiException) as e:
        core.read_namespaced_config_map("cfg", "default")
    assert e.value.status == 404
    assert kc.get("ConfigMap", "cfg") is None


def test_conflict_is_409(api) -> None:  # type: ignore[no-untyped-def]
    core = client.CoreV1Api(api)
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cfg"))
    core.create_namespaced_config_map("default", body)
    with pytest.raises(ApiException) as e:
        core.create_namespaced_config_map("default", body)
    assert e.value.status == 409 and e.value.reason == "Conflict"


def test_apps_and_cluster_scoped(api, kc: Cluster) -> None:  # type: ignore[no-untyped-def]
    apps = client.AppsV1Api(api)
    dep = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="web"),
        spec=client.V1DeploymentSpec(
            replicas=2, selector=client.V1LabelSelector(match_labels={"app": "web"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "web"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="nginx")]))))
    apps.create_namespaced_deployment("default", dep)
    assert apps.read_namespaced_deployment("web", "default").spec.replicas == 2
    core = client.CoreV1Api(api)
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="team")))
    names = [n.metadata.name for n in core.list_namespace().items]
    assert "team" in names and "default" in names


def test_watch(api, kc: Cluster) -> None:  # type: ignore[no-untyped-def]
    core = client.CoreV1Api(api)
    start = core.list_namespaced_config_map("default").metadata.resource_version
    events: list[tuple[str, str]] = []
    w = watch.Watch()

    def consume() -> None:
        for ev in w.stream(core.list_namespaced_config_map, "default",
                           resource_version=start, timeout_seconds=10):
            events.append((ev["type"], ev["object"].metadata.name))
            if len(events) == 3:
                w.stop()
    t = threading.Thread(target=consume)
    t.start()
    body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="w"), data={"a": "1"})
    core.create_namespaced_config_map("default", body)
    core.patch_namespaced_config_map("w", "default", {"data": {"a": "2"}})
    core.delete_namespaced_config_map("w", "default")
    t.join(timeout=15)
    assert events == [("ADDED", "w"), ("MODIFIED", "w"), ("DELETED", "w")]
