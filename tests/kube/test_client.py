"""The REST client against a loopback fake API: requests sent, answers read, errors typed."""

from __future__ import annotations

import json

import pytest

from kelm.kube import AlreadyExists, Conflict, KubeError, NoMatch, NotFound
from tests.kube.conftest import client_for
from tests.kube.fakeapi import FakeApi, Fault, Kind


def cm(name: str, ns: str | None = None, **labels: str) -> dict:
    meta: dict = {"name": name, "labels": labels}
    if ns:
        meta["namespace"] = ns
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": name}}


def test_create_get_update_delete_round_trip(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path, namespace="shop")
    assert c.namespace == "shop"
    made = c.create(cm("a"))
    assert made["metadata"]["namespace"] == "shop"
    assert api.requests("POST")[0].path == "/api/v1/namespaces/shop/configmaps"
    got = c.get("v1", "ConfigMap", "a")
    assert got["data"] == {"k": "a"}

    got["data"]["k"] = "changed"
    updated = c.update(got)
    assert updated["data"]["k"] == "changed"
    with pytest.raises(Conflict) as e:
        c.update(got)  # its resourceVersion is stale now
    assert "the object has been modified" in str(e.value) and e.value.code == 409

    with pytest.raises(AlreadyExists) as e2:
        c.create(cm("a"))
    assert str(e2.value) == 'configmaps "a" already exists'
    assert isinstance(e2.value, Conflict)

    assert c.delete("v1", "ConfigMap", "a", propagation_policy="Foreground") is None
    body = json.loads(api.requests("DELETE")[0].body)
    assert body["propagationPolicy"] == "Foreground"
    with pytest.raises(NotFound) as e3:
        c.get("v1", "ConfigMap", "a")
    assert str(e3.value) == 'configmaps "a" not found' and e3.value.code == 404


def test_namespace_precedence_and_cluster_scope(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path)
    assert c.namespace == "default"
    c.create(cm("x", ns="objns"))
    c.create(cm("y", ns="objns"), namespace="argns")
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    paths = [s.path for s in api.requests("POST")]
    assert paths == ["/api/v1/namespaces/objns/configmaps", "/api/v1/namespaces/argns/configmaps",
                     "/api/v1/namespaces"]


def test_list_follows_continue_and_sends_selectors(api: FakeApi, tmp_path):
    for i in range(5):
        api.put("configmaps", "default", cm(f"c{i}", app="web" if i % 2 == 0 else "db"))
    c = client_for(api.url, tmp_path)
    items = c.list("v1", "ConfigMap", limit=2)
    assert [i["metadata"]["name"] for i in items] == [f"c{i}" for i in range(5)]
    assert all(i["kind"] == "ConfigMap" and i["apiVersion"] == "v1" for i in items)
    lists = api.requests("GET", "/configmaps")
    assert [s.query.get("continue") for s in lists] == [None, "2", "4"]
    web = c.list("v1", "ConfigMap", label_selector="app=web", field_selector="metadata.name!=x")
    assert [i["metadata"]["name"] for i in web] == ["c0", "c2", "c4"]
    assert api.seen[-1].query["fieldSelector"] == "metadata.name!=x"
    # namespace="" lists across namespaces
    api.put("configmaps", "other", cm("elsewhere"))
    assert len(c.list("v1", "ConfigMap", namespace="")) == 6
    assert api.seen[-1].path == "/api/v1/configmaps"


def test_apply_patch_and_dry_run(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path)
    c.apply(cm("s"), field_manager="kelm", force=True)
    seen = api.seen[-1]
    assert seen.method == "PATCH" and seen.header("Content-Type") == "application/apply-patch+yaml"
    assert seen.query == {"fieldManager": "kelm", "force": "true"}
    out = c.patch("v1", "ConfigMap", "s", {"data": {"extra": "1"}})
    assert out["data"] == {"k": "s", "extra": "1"}
    assert api.seen[-1].header("Content-Type") == "application/merge-patch+json"
    for kind, ctype in (("strategic", "application/strategic-merge-patch+json"),
                        ("json", "application/json-patch+json")):
        with pytest.raises(KubeError):  # the fake only merges, but the request is what counts
            c.patch("v1", "ConfigMap", "s", [{"op": "remove", "path": "/data/extra"}],
                    patch_type=kind)
        assert api.seen[-1].header("Content-Type") == ctype
    c.create(cm("dry"), dry_run=True)
    assert api.seen[-1].query == {"dryRun": "All"}
    with pytest.raises(NotFound):
        c.get("v1", "ConfigMap", "dry")
    c.delete("v1", "ConfigMap", "s", dry_run=True)
    assert json.loads(api.requests("DELETE")[-1].body)["dryRun"] == ["All"]
    assert c.get("v1", "ConfigMap", "s")


def test_aggregated_discovery_is_cached_on_disk_and_refreshed_for_new_crds(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path)
    res = c.resource_for("apps/v1", "Deployment")
    assert (res.group, res.version, res.plural, res.namespaced) == ("apps", "v1", "deployments", True)
    assert c.resource_for("rbac.authorization.k8s.io/v1", "ClusterRole").namespaced is False
    discovery = [s.path for s in api.seen]
    assert discovery == ["/api", "/apis"]
    assert "apidiscovery.k8s.io;v=v2" in api.seen[0].header("Accept")

    # a second client (another kelm process) reads the disk cache: no request at all
    c2 = client_for(api.url, tmp_path)
    assert c2.resource_for("apps/v1", "Deployment").plural == "deployments"
    assert len(api.seen) == 2

    # a CRD created since: a miss discovers again and finds it
    api.add_kind(Kind("example.com", "v1", "Widget", "widgets", True))
    assert c2.resource_for("example.com/v1", "Widget").plural == "widgets"
    assert [s.path for s in api.seen[2:]] == ["/api", "/apis"]
    with pytest.raises(NoMatch) as e:
        c2.resource_for("example.com/v1", "Gadget")
    assert str(e.value) == 'no matches for kind "Gadget" in version "example.com/v1"'


def test_core_kinds_need_no_discovery(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path)
    c.list("v1", "Secret")
    assert [s.path for s in api.seen] == ["/api/v1/namespaces/default/secrets"]


def test_legacy_discovery_fetches_one_group_version(tmp_path):
    with FakeApi(aggregated=False) as api:
        c = client_for(api.url, tmp_path)
        assert c.resource_for("apps/v1", "Deployment").plural == "deployments"
        assert [s.path for s in api.seen] == ["/api", "/apis/apps/v1"]
        with pytest.raises(NoMatch):
            c.resource_for("nope.io/v1", "Thing")


def test_error_without_status_body_uses_client_go_wording(api: FakeApi, tmp_path):
    api.fail(Fault("status", code=404, body="404 page not found"))
    c = client_for(api.url, tmp_path, retries=0)
    with pytest.raises(NotFound) as e:
        c.get("v1", "ConfigMap", "x")
    assert str(e.value) == "the server could not find the requested resource"
    api.fail(Fault("status", code=500, body="database on fire", times=99))
    with pytest.raises(KubeError) as e2:
        c.list("v1", "ConfigMap")
    assert str(e2.value) == ('an error on the server ("database on fire") has prevented the '
                             "request from succeeding")


def test_server_version_and_logs(api: FakeApi, tmp_path):
    api.logs["web-0"] = "line 1\nline 2\n"
    c = client_for(api.url, tmp_path)
    assert c.server_version()["gitVersion"] == "v1.35.2"
    assert c.logs("web-0", "default", container="app") == "line 1\nline 2\n"
    assert api.seen[-1].path == "/api/v1/namespaces/default/pods/web-0/log"
    assert api.seen[-1].query == {"container": "app"}


def test_deleted_crd_is_discovered_again(api: FakeApi, tmp_path):
    widget = Kind("example.com", "v1", "Widget", "widgets", True)
    api.add_kind(widget)
    c = client_for(api.url, tmp_path)
    with pytest.raises(NotFound):  # an object that is missing keeps the discovery
        c.get("example.com/v1", "Widget", "w")
    assert [s.path for s in api.seen].count("/apis") == 1
    api.kinds.remove(widget)  # the CRD is deleted
    with pytest.raises(NotFound, match="^the server could not find the requested resource$"):
        c.list("example.com/v1", "Widget")
    with pytest.raises(NoMatch):
        c.resource_for("example.com/v1", "Widget")
    assert [s.path for s in api.seen].count("/apis") == 2


def test_empty_name_is_refused_before_any_request(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path)
    with pytest.raises(KubeError, match="^resource name may not be empty$"):
        c.get("v1", "ConfigMap", "")
    with pytest.raises(KubeError, match="^resource name may not be empty$"):
        c.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}, field_manager="x")
    assert api.seen == []


def test_proxy_url_from_kubeconfig(api: FakeApi, tmp_path):
    import yaml

    from kelm.kube import Client, ConfigFlags, load_config

    # the fake API answers absolute-URI requests, as an HTTP proxy forwarding them would
    doc = {"apiVersion": "v1", "kind": "Config", "current-context": "p",
           "clusters": [{"name": "c", "cluster": {"server": "http://api.example.invalid",
                                                  "proxy-url": api.url}}],
           "contexts": [{"name": "p", "context": {"cluster": "c"}}]}
    (tmp_path / "kc").write_text(yaml.safe_dump(doc))
    c = Client(load_config(ConfigFlags(kubeconfig=str(tmp_path / "kc")), env={}), cache_dir="")
    assert c.server_version()["major"] == "1"
    assert api.seen[-1].header("Host") == "api.example.invalid"
