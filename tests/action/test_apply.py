"""kelm.action.apply against the kelm.testing emulator: Helm's kind order, concurrency within
a kind, the query Helm v4 sends on server-side apply, create-or-update with pruning,
replace, client-side three-way patches, the ownership check and uninstall deletion."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import kelm.testing
from kelm.action.apply import (
    ApplyError,
    ApplyOptions,
    apply_objects,
    check_not_owned_elsewhere,
    delete_objects,
    kind_groups,
    parse_objects,
    set_ownership,
    strategic_three_way,
    update_objects,
)
from kelm.kube import Client, ConfigFlags


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with kelm.testing.cluster() as c:
        yield c


@pytest.fixture
def client(cluster, tmp_path):  # type: ignore[no-untyped-def]
    with Client.from_flags(ConfigFlags(kubeconfig=str(cluster.kubeconfig_path)),
                           cache_dir=str(tmp_path)) as c:
        yield c


def cm(name: str, **data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
            "data": dict(data)}


def deploy(name: str, image: str = "nginx", sidecar: bool = False) -> dict[str, Any]:
    containers = [{"name": "app", "image": image}]
    if sidecar:
        containers.append({"name": "side", "image": "busybox"})
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": containers}}}}


def owned(obj: dict[str, Any], release: str = "rel") -> dict[str, Any]:
    obj = copy.deepcopy(obj)
    set_ownership(obj, release, "default")
    return obj


def writes(cluster: kelm.testing.Cluster, method: str, path_part: str) -> list[Any]:
    return [r for r in cluster.requests if r.method == method and path_part in r.path]


def test_kind_groups_follow_helms_install_and_uninstall_order() -> None:
    objs = [{"kind": k} for k in ("Deployment", "Widget", "ConfigMap", "Namespace", "Apple",
                                  "Service", "ConfigMap", "CustomResourceDefinition")]
    assert kind_groups(objs) == [[3], [2, 6], [7], [5], [0], [4], [1]]
    from kelm.action.apply import UNINSTALL_ORDER

    # uninstall: Services and workloads first, configuration and Namespaces last
    assert kind_groups(objs, UNINSTALL_ORDER) == [[5], [0], [7], [2, 6], [3], [4], [1]]


def test_apply_sends_helms_query_in_kind_order_and_returns_input_order(cluster, client) -> None:
    objs = [owned(deploy("ap-web")), *(owned(cm(f"ap-{i}", i=str(i))) for i in range(12))]
    cluster.requests.clear()
    out = apply_objects(client, objs, "default")
    assert [o["metadata"]["name"] for o in out] == [o["metadata"]["name"] for o in objs]
    patches = [r for r in cluster.requests if r.method == "PATCH"]
    assert {r.query for r in patches} == {
        "fieldManager=helm&fieldValidation=Strict&force=false"}
    # the ConfigMaps (an earlier kind) all went before the Deployment
    assert "deployments" in patches[-1].path and len(patches) == 13
    live = cluster.get("ConfigMap", "ap-3")
    assert [(m["manager"], m["operation"]) for m in live["metadata"]["managedFields"]] == [
        ("helm", "Apply")]
    apply_objects(client, [owned(cm("ap-3", i="x"))], "default", force=True)
    assert cluster.requests.count("PATCH") == 14
    assert list(cluster.requests)[-1].query.endswith("force=true")


def test_apply_words_conflicts_as_helm_and_tries_every_object(cluster, client) -> None:
    cluster.apply(cm("cf-a", k="theirs"), manager="kubectl")
    with pytest.raises(ApplyError) as e:
        apply_objects(client, [owned(cm("cf-a", k="ours")), owned(cm("cf-b", k="ours"))],
                      "default")
    assert str(e.value).startswith("conflict occurred while applying object default/cf-a "
                                   "/v1, Kind=ConfigMap: Apply failed with 1 conflict: ")
    assert "kubectl" in str(e.value) and ".data.k" in str(e.value)
    assert cluster.get("ConfigMap", "cf-b") is not None  # the others were still applied


def test_ownership_check_lists_many_and_names_the_foreign_object(cluster, client) -> None:
    objs = [owned(cm(f"own-{i}"), "mine") for i in range(10)]
    apply_objects(client, objs[:9], "default")
    cluster.create(cm("own-9"))  # exists without Helm's metadata
    cluster.requests.clear()
    with pytest.raises(ApplyError) as e:
        check_not_owned_elsewhere(client, objs, "mine", "default")
    assert str(e.value) == (
        'unable to continue with install: ConfigMap "own-9" in namespace "default" exists and '
        'cannot be imported into the current release: invalid ownership metadata; label '
        'validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; '
        'annotation validation error: missing key "meta.helm.sh/release-name": must be set to '
        '"mine"; annotation validation error: missing key "meta.helm.sh/release-namespace": '
        'must be set to "default"')
    # ten ConfigMaps: one LIST, no GET each
    assert [r.method for r in cluster.requests] == ["GET"]
    assert "limit=500" in list(cluster.requests)[0].query
    # metadata only: a namespace of large Secrets is not downloaded for the check
    item = client.list("v1", "ConfigMap", "default", metadata_only=True)[0]
    assert (item["kind"], "data" in item) == ("PartialObjectMetadata", False)
    adopted = check_not_owned_elsewhere(client, objs, "mine", "default", verb="update",
                                        take_ownership=True)
    assert len(adopted) == 10
    with pytest.raises(ApplyError, match='^unable to continue with update: ConfigMap "own-0" '
                       'in namespace "default" exists .* key "meta.helm.sh/release-name" must '
                       'equal "other": current value is "mine"'):
        check_not_owned_elsewhere(client, objs[:1], "other", "default", verb="update")


def test_update_creates_updates_prunes_and_keeps(cluster, client) -> None:
    old = [owned(cm("up-a", v="1")), owned(cm("up-b", v="1")), owned(cm("up-keep", v="1"))]
    old[2]["metadata"]["annotations"]["helm.sh/resource-policy"] = "keep"
    apply_objects(client, old, "default")
    new = [owned(cm("up-a", v="2")), owned(cm("up-new", v="1"))]
    cluster.requests.clear()
    res = update_objects(client, old, new, "default")
    assert [o["metadata"]["name"] for o in res.created] == ["up-new"]
    assert [o["metadata"]["name"] for o in res.updated] == ["up-a"]
    assert [o["metadata"]["name"] for o in res.deleted] == ["up-b"]
    assert cluster.get("ConfigMap", "up-a")["data"] == {"v": "2"}
    assert cluster.get("ConfigMap", "up-b") is None
    assert cluster.get("ConfigMap", "up-keep") is not None
    # server-side apply needs no GET for the objects it sends
    assert not [r for r in cluster.requests if r.method == "GET" and "up-a" in r.path]


def test_force_replace_puts_the_object_as_helm(cluster, client) -> None:
    old = [owned(cm("rp-a", v="1", gone="x"))]
    apply_objects(client, old, "default")
    cluster.requests.clear()
    update_objects(client, old, [owned(cm("rp-a", v="2"))], "default",
                   ApplyOptions(server_side=False, force_replace=True))
    put = writes(cluster, "PUT", "rp-a")
    assert [r.query for r in put] == ["fieldManager=helm&fieldValidation=Strict"]
    assert cluster.get("ConfigMap", "rp-a")["data"] == {"v": "2"}


def test_client_side_three_way_keeps_foreign_changes(cluster, client) -> None:
    csa = ApplyOptions(server_side=False)
    old = [owned(deploy("cs-web", sidecar=True)), owned(cm("cs-cm", a="1", b="1"))]
    apply_objects(client, old, "default", options=csa)
    assert writes(cluster, "POST", "deployments")[-1].query == "fieldManager=helm"
    # someone else adds a label and a data key: a three-way patch leaves them alone
    cluster.apply({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": "cs-cm", "labels": {"extra": "yes"}},
                   "data": {"theirs": "1"}}, manager="kubectl")
    new = [owned(deploy("cs-web", image="nginx:2")), owned(cm("cs-cm", a="2"))]
    update_objects(client, old, new, "default", csa)
    live = cluster.get("ConfigMap", "cs-cm")
    assert live["data"] == {"a": "2", "theirs": "1"}
    assert live["metadata"]["labels"]["extra"] == "yes"
    containers = cluster.get("Deployment", "cs-web")["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("app", "nginx:2")]
    patch = [r for r in cluster.requests if r.method == "PATCH" and "cs-web" in r.path][-1]
    assert patch.query == "fieldManager=helm"


def test_strategic_three_way_patch_matches_by_merge_key() -> None:
    from kelm.action.apply import _schema_of

    old, new = deploy("d", sidecar=True), deploy("d", image="nginx:2")
    live = copy.deepcopy(old)
    live["spec"]["replicas"] = 3  # scaled by someone: not in the patch (target says 1 → sent)
    patch = strategic_three_way(old, new, live, _schema_of(new))
    assert patch["spec"]["replicas"] == 1
    assert patch["spec"]["template"]["spec"]["containers"] == [
        {"name": "app", "image": "nginx:2"}, {"name": "side", "$patch": "delete"}]
    assert strategic_three_way(new, new, copy.deepcopy(new), _schema_of(new)) == {}


def test_custom_resources_take_a_json_merge_patch(cluster, client) -> None:
    (crd,) = parse_objects(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata: {name: gadgets.example.com}\nspec:\n  group: example.com\n"
        "  scope: Namespaced\n  names: {plural: gadgets, singular: gadget, kind: Gadget}\n"
        "  versions:\n  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: "
        "{type: object, x-kubernetes-preserve-unknown-fields: true}}}\n")
    cluster.create(crd)
    cluster.wait_for("CustomResourceDefinition", "gadgets.example.com",
                     lambda o: any(c.get("type") == "Established" and c.get("status") == "True"
                                   for c in (o.get("status") or {}).get("conditions") or ()),
                     namespace="")
    client.invalidate_discovery()
    gadget = {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
              "spec": {"size": 1, "color": "red"}}
    csa = ApplyOptions(server_side=False)
    apply_objects(client, [owned(gadget)], "default", options=csa)
    new = owned(gadget)
    new["spec"] = {"size": 2}
    cluster.requests.clear()
    update_objects(client, [owned(gadget)], [new], "default", csa)
    assert cluster.get("Gadget", "g")["spec"] == {"size": 2}
    assert any(r.method == "PATCH" for r in cluster.requests)


def test_delete_objects_in_uninstall_order(cluster, client) -> None:
    objs = [owned(cm("del-cm")), owned(deploy("del-web")), owned(cm("del-missing"))]
    apply_objects(client, objs[:2], "default")
    cluster.requests.clear()
    res = delete_objects(client, objs, "default")
    assert (len(res.deleted), res.errors) == (3, [])  # one already gone counts as deleted
    deletes = [r.path for r in cluster.requests if r.method == "DELETE"]
    assert "deployments" in deletes[0]
    assert cluster.get("ConfigMap", "del-cm") is None


def test_client_paces_per_object_as_client_go_does(cluster, tmp_path) -> None:
    """Helm's client-go builds a REST client, and so a token bucket, per object: 40 objects
    at qps=1, burst=5 are not paced at one a second (35 s); one object polled is."""
    import time

    flags = ConfigFlags(kubeconfig=str(cluster.kubeconfig_path), qps=1, burst=5)
    with Client.from_flags(flags, cache_dir=str(tmp_path)) as c:
        started = time.monotonic()
        apply_objects(c, [owned(cm(f"qps-{i}")) for i in range(40)], "default")
        assert time.monotonic() - started < 10
        started = time.monotonic()
        for _ in range(6):  # the sixth GET of one object waits for a token
            c.get("v1", "ConfigMap", "qps-0", "default")
        assert time.monotonic() - started >= 0.5


def test_update_failures_as_helm_reports_them(cluster, client) -> None:
    old = [owned(cm("uf-a", v="1")), owned(cm("uf-gone", v="1"))]
    apply_objects(client, old, "default")
    cluster.apply(cm("uf-a", v="theirs"), manager="kubectl")
    # an update that conflicts is collected; the pruning still happens
    with pytest.raises(ApplyError) as e:
        update_objects(client, old, [owned(cm("uf-a", v="2"))], "default")
    assert str(e.value).startswith("conflict occurred while applying object default/uf-a "
                                   "/v1, Kind=ConfigMap: Apply failed with 1 conflict: ")
    assert e.value.result is not None
    assert [o["metadata"]["name"] for o in e.value.result.deleted] == ["uf-gone"]
    # a creation that fails stops everything after its kind: nothing is pruned
    bad = owned(cm("UF_new"))  # not a DNS subdomain: 422
    with pytest.raises(ApplyError) as e:
        update_objects(client, [old[0]], [bad], "default")
    assert str(e.value).startswith("failed to create resource: ")
    assert e.value.result is not None
    assert [o["metadata"]["name"] for o in e.value.result.created] == ["UF_new"]
    assert e.value.result.deleted == [] and cluster.get("ConfigMap", "uf-a") is not None


def test_client_side_fields_move_to_the_apply_entry_from_one_list(cluster, client) -> None:
    csa = ApplyOptions(server_side=False)
    old = [owned(cm(f"mv-{i}", a="1", b="1")) for i in range(9)]
    apply_objects(client, old, "default", options=csa)
    assert [m["operation"] for m in cluster.get("ConfigMap", "mv-0")["metadata"][
        "managedFields"]] == ["Update"]
    cluster.requests.clear()
    update_objects(client, old, [owned(cm(f"mv-{i}", a="2")) for i in range(9)], "default",
                   ApplyOptions(upgrade_client_side_manager=True))
    live = cluster.get("ConfigMap", "mv-8")
    assert live["data"] == {"a": "2"}  # b: owned by helm's client-side entry, now dropped
    assert [(m["manager"], m["operation"]) for m in live["metadata"]["managedFields"]] == [
        ("helm", "Apply")]
    # one LIST instead of a GET per object; a JSON patch and an apply each
    assert [r.method for r in cluster.requests if "mv-" in r.path] == ["PATCH"] * 18
    assert [r.method for r in cluster.requests if r.path.endswith("/configmaps")] == ["GET"]


def test_update_stops_at_the_first_object_it_cannot_learn_about(cluster, tmp_path) -> None:
    """A server that does not answer: one error, Helm's wording (its GET first), no pruning
    tried; not one error per object."""
    gone = kelm.testing.Cluster.unreachable_url()
    flags = ConfigFlags(kubeconfig=str(cluster.kubeconfig_path), api_server=gone)
    with Client.from_flags(flags, cache_dir=str(tmp_path), retries=0) as c:
        objs = [owned(cm(f"down-{i}")) for i in range(5)]
        with pytest.raises(ApplyError) as e:
            update_objects(c, objs[:1], objs[1:], "default")
    port = gone.rsplit(":", 1)[1]
    assert str(e.value) == (
        f'could not get information about the resource: Get "{gone}/api/v1/namespaces/'
        f'default/configmaps/down-1": dial tcp 127.0.0.1:{port}: connect: connection refused')
    assert e.value.result is not None and e.value.result.deleted == []
