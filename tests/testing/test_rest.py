"""The emulator's REST semantics, spoken to over HTTP as a client would."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from kelm.testing import Cluster, cluster

CM = "/api/v1/namespaces/default/configmaps"
DEPLOY = "/apis/apps/v1/namespaces/default/deployments"


@pytest.fixture
def kc():  # type: ignore[no-untyped-def]
    """No status simulator here: its writes would race the concurrency checks."""
    with cluster(simulate=False) as c:
        yield c


def cm(name: str, labels: dict[str, str] | None = None, **data: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


def deployment(name: str, replicas: int = 1, image: str = "nginx:1.25") -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "web", "image": image}]}}}}


def test_version_and_discovery(http: httpx.Client) -> None:
    assert http.get("/version").json()["gitVersion"] == "v1.35.2"
    assert http.get("/api").json()["versions"] == ["v1"]
    groups = {g["name"]: g for g in http.get("/apis").json()["groups"]}
    assert groups["apps"]["preferredVersion"]["groupVersion"] == "apps/v1"
    res = {r["name"]: r for r in http.get("/apis/apps/v1").json()["resources"]}
    assert res["deployments"]["namespaced"] and res["deployments"]["shortNames"] == ["deploy"]
    assert "deployments/status" in res and res["deployments/scale"]["kind"] == "Scale"
    core = {r["name"]: r for r in http.get("/api/v1").json()["resources"]}
    assert core["namespaces"]["namespaced"] is False and core["secrets"]["kind"] == "Secret"


def test_aggregated_discovery(http: httpx.Client) -> None:
    accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
    r = http.get("/apis", headers={"Accept": accept})
    assert r.headers["content-type"].startswith("application/json;g=apidiscovery.k8s.io;v=v2")
    doc = r.json()
    assert doc["kind"] == "APIGroupDiscoveryList"
    apps = next(i for i in doc["items"] if i["metadata"].get("name") == "apps")
    deploy = next(x for x in apps["versions"][0]["resources"] if x["resource"] == "deployments")
    assert deploy["scope"] == "Namespaced" and deploy["responseKind"]["kind"] == "Deployment"
    core = http.get("/api", headers={"Accept": accept}).json()
    assert [v["version"] for v in core["items"][0]["versions"]] == ["v1"]


def test_openapi_documents(http: httpx.Client) -> None:
    root = http.get("/openapi/v3").json()["paths"]
    url = root["apis/apps/v1"]["serverRelativeURL"]
    doc = http.get(url).json()
    patch = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert {"name": "fieldValidation", "in": "query"}.items() <= patch["parameters"][2].items()
    spec = doc["components"]["schemas"]["io.k8s.api.core.v1.PodSpec"]["properties"]
    assert spec["containers"]["x-kubernetes-patch-merge-key"] == "name"
    v2 = http.get("/openapi/v2", headers={"Accept": "application/json"}).json()
    assert "io.k8s.api.apps.v1.Deployment" in v2["definitions"]


def test_create_get_list_and_status_bodies(http: httpx.Client) -> None:
    r = http.get(CM + "/missing")
    assert r.status_code == 404
    assert r.json() == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": 'configmaps "missing" not found', "reason": "NotFound",
                        "details": {"name": "missing", "kind": "configmaps"}, "code": 404}
    created = http.post(CM, json=cm("a", {"app": "x"}, k="v"))
    assert created.status_code == 201
    meta = created.json()["metadata"]
    assert meta["namespace"] == "default" and meta["uid"] and meta["resourceVersion"]
    assert meta["creationTimestamp"].endswith("Z")
    dup = http.post(CM, json=cm("a"))
    assert dup.status_code == 409 and dup.json()["reason"] == "AlreadyExists"
    assert dup.json()["message"] == 'configmaps "a" already exists'
    http.post(CM, json=cm("b", {"app": "y"}))
    names = [i["metadata"]["name"] for i in http.get(CM, params={"labelSelector": "app in (x,z)"}).json()["items"]]
    assert names == ["a"]
    names = [i["metadata"]["name"] for i in http.get(CM, params={"labelSelector": "app!=x"}).json()["items"]]
    assert names == ["b"]
    names = [i["metadata"]["name"] for i in http.get("/api/v1/configmaps", params={"fieldSelector": "metadata.name=b"}).json()["items"]]
    assert names == ["b"]


def test_deployment_404_names_group(http: httpx.Client) -> None:
    body = http.get(DEPLOY + "/web").json()
    assert body["message"] == 'deployments.apps "web" not found'
    assert body["details"] == {"name": "web", "group": "apps", "kind": "deployments"}


def test_invalid_name_is_422(http: httpx.Client) -> None:
    r = http.post(CM, json=cm("Bad_Name"))
    assert r.status_code == 422
    body = r.json()
    assert body["reason"] == "Invalid"
    assert body["message"].startswith('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain')
    assert body["details"]["causes"][0]["field"] == "metadata.name"
    missing = http.post(CM, json={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}).json()
    assert missing["message"] == 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'


def test_generate_name(http: httpx.Client) -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "job-"}}
    name = http.post(CM, json=body).json()["metadata"]["name"]
    assert name.startswith("job-") and len(name) == 9


def test_missing_namespace(http: httpx.Client) -> None:
    r = http.post("/api/v1/namespaces/nope/configmaps", json=cm("a"))
    assert r.status_code == 404 and r.json()["message"] == 'namespaces "nope" not found'


def test_optimistic_concurrency_and_generation(http: httpx.Client) -> None:
    d = http.post(DEPLOY, json=deployment("web")).json()
    assert d["metadata"]["generation"] == 1
    stale = json.loads(json.dumps(d))
    d["spec"]["replicas"] = 3
    updated = http.put(DEPLOY + "/web", json=d)
    assert updated.status_code == 200 and updated.json()["metadata"]["generation"] == 2
    stale["spec"]["replicas"] = 5
    conflict = http.put(DEPLOY + "/web", json=stale)
    assert conflict.status_code == 409
    assert conflict.json()["message"] == ('Operation cannot be fulfilled on deployments.apps "web": '
                                          "the object has been modified; please apply your changes "
                                          "to the latest version and try again")
    # a metadata-only change keeps the generation
    cur = http.get(DEPLOY + "/web").json()
    cur["metadata"]["labels"] = {"x": "y"}
    assert http.put(DEPLOY + "/web", json=cur).json()["metadata"]["generation"] == 2


def test_noop_update_keeps_resource_version(http: httpx.Client) -> None:
    obj = http.post(CM, json=cm("a", k="v")).json()
    again = http.put(CM + "/a", json=obj).json()
    assert again["metadata"]["resourceVersion"] == obj["metadata"]["resourceVersion"]


def test_limit_and_continue(http: httpx.Client) -> None:
    for i in range(5):
        http.post(CM, json=cm(f"c{i}"))
    page = http.get(CM, params={"limit": 2}).json()
    assert [i["metadata"]["name"] for i in page["items"]] == ["c0", "c1"]
    assert page["metadata"]["remainingItemCount"] == 3
    seen = [i["metadata"]["name"] for i in page["items"]]
    while page["metadata"].get("continue"):
        page = http.get(CM, params={"limit": 2, "continue": page["metadata"]["continue"]}).json()
        seen += [i["metadata"]["name"] for i in page["items"]]
    assert seen == [f"c{i}" for i in range(5)]


def test_dry_run_stores_nothing(http: httpx.Client, kc: Cluster) -> None:
    r = http.post(CM, params={"dryRun": "All"}, json=cm("ghost"))
    assert r.status_code == 201 and r.json()["metadata"]["name"] == "ghost"
    assert kc.get("ConfigMap", "ghost") is None
    http.post(CM, json=cm("real"))
    assert http.delete(CM + "/real", params={"dryRun": "All"}).status_code == 200
    assert kc.get("ConfigMap", "real") is not None


def test_field_validation(http: httpx.Client) -> None:
    bad = deployment("web")
    bad["spec"]["replica"] = 2
    strict = http.post(DEPLOY, params={"fieldValidation": "Strict"}, json=bad)
    assert strict.status_code == 400
    assert strict.json()["message"] == ('Deployment in version "v1" cannot be handled as a '
                                        'Deployment: strict decoding error: unknown field "spec.replica"')
    warn = http.post(DEPLOY, params={"fieldValidation": "Warn"}, json=bad)
    assert warn.status_code == 201
    assert warn.headers["warning"] == '299 - "unknown field \\"spec.replica\\""'
    wrong = deployment("other")
    wrong["spec"]["replicas"] = "two"
    r = http.post(DEPLOY, json=wrong)
    assert r.status_code == 400
    assert r.json()["message"] == ('Deployment in version "v1" cannot be handled as a Deployment: '
                                   "json: cannot unmarshal string into Go struct field "
                                   "DeploymentSpec.spec.replicas of type int32")


def test_patch_types(http: httpx.Client) -> None:
    http.post(DEPLOY, json=deployment("web"))
    smp = {"spec": {"template": {"spec": {"containers": [{"name": "side", "image": "busybox"}]}}}}
    r = http.patch(DEPLOY + "/web", content=json.dumps(smp),
                   headers={"Content-Type": "application/strategic-merge-patch+json"})
    names = [c["name"] for c in r.json()["spec"]["template"]["spec"]["containers"]]
    assert names == ["web", "side"]  # merged by the "name" patch key, not replaced
    merge = {"spec": {"template": {"spec": {"containers": [{"name": "only", "image": "x"}]}}}}
    r = http.patch(DEPLOY + "/web", content=json.dumps(merge),
                   headers={"Content-Type": "application/merge-patch+json"})
    assert [c["name"] for c in r.json()["spec"]["template"]["spec"]["containers"]] == ["only"]
    ops = [{"op": "replace", "path": "/spec/replicas", "value": 4}]
    r = http.patch(DEPLOY + "/web", content=json.dumps(ops),
                   headers={"Content-Type": "application/json-patch+json"})
    assert r.json()["spec"]["replicas"] == 4
    delete = {"spec": {"template": {"spec": {"containers": [{"name": "only", "$patch": "delete"}]}}}}
    r = http.patch(DEPLOY + "/web", content=json.dumps(delete),
                   headers={"Content-Type": "application/strategic-merge-patch+json"})
    assert r.json()["spec"]["template"]["spec"].get("containers", []) == []
    bad = http.patch(DEPLOY + "/web", content="{}", headers={"Content-Type": "text/plain"})
    assert bad.status_code == 415


def _apply(http: httpx.Client, obj: dict[str, Any], manager: str, force: bool = False) -> httpx.Response:
    params = {"fieldManager": manager}
    if force:
        params["force"] = "true"
    return http.patch(DEPLOY + "/" + obj["metadata"]["name"], params=params,
                      content=json.dumps(obj), headers={"Content-Type": "application/apply-patch+yaml"})


def test_server_side_apply_conflicts_and_force(http: httpx.Client) -> None:
    created = _apply(http, deployment("web", replicas=2), "alice")
    assert created.status_code == 201
    mf = created.json()["metadata"]["managedFields"]
    assert mf[0]["manager"] == "alice" and mf[0]["operation"] == "Apply"
    assert "f:replicas" in mf[0]["fieldsV1"]["f:spec"]
    # same values: shared ownership, no conflict
    assert _apply(http, deployment("web", replicas=2), "bob").status_code == 200
    clash = _apply(http, deployment("web", replicas=3, image="nginx:2"), "carol")
    assert clash.status_code == 409
    body = clash.json()
    assert body["reason"] == "Conflict"
    assert body["message"].startswith("Apply failed with 4 conflicts: conflicts with \"alice\" using apps/v1:\n- .spec.replicas\n")
    fields = {c["field"] for c in body["details"]["causes"]}
    assert '.spec.template.spec.containers[name="web"].image' in fields
    forced = _apply(http, deployment("web", replicas=3, image="nginx:2"), "carol", force=True)
    assert forced.status_code == 200 and forced.json()["spec"]["replicas"] == 3
    owners = {m["manager"]: m for m in forced.json()["metadata"]["managedFields"]}
    assert "f:replicas" not in owners["alice"]["fieldsV1"].get("f:spec", {})


def test_apply_refuses_undeclared_fields_and_duplicate_keys(http: httpx.Client) -> None:
    bad = deployment("web")
    bad["spec"]["replica"] = 2
    c = bad["spec"]["template"]["spec"]["containers"]
    c.append(dict(c[0]))
    r = _apply(http, bad, "me")
    assert r.status_code == 500 and "reason" not in r.json()
    assert r.json()["message"] == (
        "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): errors:\n"
        "  .spec.replica: field not declared in schema\n"
        '  .spec.template.spec.containers: duplicate entries for key [name="web"]')


def test_apply_removes_fields_the_manager_dropped(http: httpx.Client) -> None:
    obj = cm("a", k="v", gone="x")
    http.patch(CM + "/a", params={"fieldManager": "me"}, content=json.dumps(obj),
               headers={"Content-Type": "application/apply-patch+yaml"})
    del obj["data"]["gone"]
    r = http.patch(CM + "/a", params={"fieldManager": "me"}, content=json.dumps(obj),
                   headers={"Content-Type": "application/apply-patch+yaml"})
    assert r.json()["data"] == {"k": "v"}


def test_finalizers_hold_deletion(http: httpx.Client, kc: Cluster) -> None:
    obj = cm("held")
    obj["metadata"]["finalizers"] = ["example.com/hold"]
    http.post(CM, json=obj)
    r = http.delete(CM + "/held")
    assert r.status_code == 202 and r.json()["metadata"]["deletionTimestamp"]
    cur = http.get(CM + "/held").json()
    cur["metadata"]["finalizers"] = []
    http.put(CM + "/held", json=cur)
    assert http.get(CM + "/held").status_code == 404


def _owned(name: str, owner: dict[str, Any]) -> dict[str, Any]:
    obj = cm(name)
    obj["metadata"]["ownerReferences"] = [{
        "apiVersion": "apps/v1", "kind": "Deployment", "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"], "blockOwnerDeletion": True}]
    return obj


def test_cascading_deletion(http: httpx.Client, kc: Cluster) -> None:
    for policy, survives in (("Background", False), ("Foreground", False), ("Orphan", True)):
        owner = http.post(DEPLOY, json=deployment("own")).json()
        http.post(CM, json=_owned("dep", owner))
        r = http.request("DELETE", DEPLOY + "/own", json={"propagationPolicy": policy})
        assert r.status_code in (200, 202)
        assert http.get(DEPLOY + "/own").status_code == 404, policy
        dep = kc.get("ConfigMap", "dep")
        assert (dep is not None) == survives, policy
        if dep is not None:
            assert "ownerReferences" not in dep["metadata"]
            http.delete(CM + "/dep")


def test_foreground_waits_for_finalized_dependents(http: httpx.Client) -> None:
    owner = http.post(DEPLOY, json=deployment("own")).json()
    dep = _owned("dep", owner)
    dep["metadata"]["finalizers"] = ["example.com/hold"]
    http.post(CM, json=dep)
    r = http.request("DELETE", DEPLOY + "/own", json={"propagationPolicy": "Foreground"})
    assert r.status_code == 202
    assert "foregroundDeletion" in http.get(DEPLOY + "/own").json()["metadata"]["finalizers"]
    cur = http.get(CM + "/dep").json()
    cur["metadata"]["finalizers"] = []
    http.put(CM + "/dep", json=cur)
    assert http.get(CM + "/dep").status_code == 404
    assert http.get(DEPLOY + "/own").status_code == 404


def test_namespace_deletion_takes_its_objects(http: httpx.Client) -> None:
    http.post("/api/v1/namespaces", json={"apiVersion": "v1", "kind": "Namespace",
                                          "metadata": {"name": "team"}})
    http.post("/api/v1/namespaces/team/configmaps", json=cm("a"))
    http.delete("/api/v1/namespaces/team")
    assert http.get("/api/v1/namespaces/team/configmaps/a").status_code == 404
    assert http.get("/api/v1/namespaces/team").status_code == 404


CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {"group": "example.com", "scope": "Namespaced",
             "names": {"plural": "widgets", "singular": "widget", "kind": "Widget",
                       "shortNames": ["wd"]},
             "versions": [{"name": "v1", "served": True, "storage": True,
                           "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                               "spec": {"type": "object", "properties": {
                                   "size": {"type": "integer"}}}}}}}]},
}


def test_crd_registers_a_resource(http: httpx.Client) -> None:
    r = http.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json=CRD)
    assert r.status_code == 201
    crd = http.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com").json()
    conds = {c["type"]: c["status"] for c in crd["status"]["conditions"]}
    assert conds["Established"] == "True"
    res = http.get("/apis/example.com/v1").json()["resources"]
    assert res[0]["name"] == "widgets" and res[0]["shortNames"] == ["wd"]
    w = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
         "spec": {"size": 3}}
    path = "/apis/example.com/v1/namespaces/default/widgets"
    assert http.post(path, json=w).status_code == 201
    w["spec"]["colour"] = "red"
    strict = http.post(path, params={"fieldValidation": "Strict"}, json={**w, "metadata": {"name": "v"}})
    assert strict.status_code == 400
    assert "apis/example.com/v1" in http.get("/openapi/v3").json()["paths"]
    http.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
    assert http.get(path + "/w").status_code == 404
    assert http.get("/apis/example.com/v1").status_code == 404


def test_scale_subresource(http: httpx.Client) -> None:
    http.post(DEPLOY, json=deployment("web", replicas=2))
    scale = http.get(DEPLOY + "/web/scale").json()
    assert scale["kind"] == "Scale" and scale["spec"]["replicas"] == 2
    r = http.patch(DEPLOY + "/web/scale", content='{"spec":{"replicas":5}}',
                   headers={"Content-Type": "application/merge-patch+json"})
    assert r.json()["spec"]["replicas"] == 5
    assert http.get(DEPLOY + "/web").json()["spec"]["replicas"] == 5


def test_secret_string_data(http: httpx.Client) -> None:
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "stringData": {"password": "hunter2"}}
    s = http.post("/api/v1/namespaces/default/secrets", json=body).json()
    assert s["data"] == {"password": "aHVudGVyMg=="} and s["type"] == "Opaque"
    assert "stringData" not in s


def test_status_subresource_is_separate(http: httpx.Client) -> None:
    kcless = deployment("web")
    kcless["status"] = {"replicas": 99}
    d = http.post(DEPLOY, json=kcless).json()
    assert d["status"].get("replicas") != 99
