"""``/openapi/v2`` content negotiation and its protobuf form, removed API versions, and the
per-kind name rules: what the real helm and kubectl meet on charts of the corpus."""

from __future__ import annotations

import json
import struct
from typing import Any

import httpx
import pytest

from kelm.testing.protobuf import wire_fields

PB = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
PB_OLD = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"


def fields(buf: bytes) -> list[tuple[int, Any]]:
    """(field number, value) of one protobuf message: bytes for length-delimited fields."""
    return [(n, struct.unpack("<d", v)[0] if wire == 1 else v) for n, wire, v in wire_fields(buf)]


def one(buf: bytes, num: int) -> Any:
    return next(v for n, v in fields(buf) if n == num)


def named(buf: bytes, num: int) -> dict[str, bytes]:
    """A gnostic map (repeated Named* messages: name = 1, value = 2)."""
    out = {}
    for n, v in fields(buf):
        if n == num:
            f = dict(fields(v))
            out[f[1].decode()] = f.get(2, b"")
    return out


@pytest.mark.parametrize("accept", [PB, PB_OLD, f"{PB},application/json;q=0.5",
                                    f"application/json;q=0.1, {PB};q=0.9"])
def test_v2_served_as_protobuf(http: httpx.Client, accept: str) -> None:
    """Go clients (kubectl's and Helm's validation) ask for the protobuf form."""
    r = http.get("/openapi/v2", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == PB
    assert r.headers["vary"] == "Accept" and r.headers["etag"].startswith('"')
    doc = r.content
    assert one(doc, 1) == b"2.0"
    assert dict(fields(one(doc, 2)))[2] == b"v1.35.2"
    definitions = named(one(doc, 9), 1)
    deploy = definitions["io.k8s.api.apps.v1.Deployment"]
    ext = named(deploy, 31)
    gvk = json.loads(dict(fields(ext["x-kubernetes-group-version-kind"]))[2])
    assert gvk == [{"group": "apps", "kind": "Deployment", "version": "v1"}]
    props = named(one(deploy, 25), 1)
    assert dict(fields(props["spec"]))[1] == b"#/definitions/io.k8s.api.apps.v1.DeploymentSpec"
    spec = named(one(definitions["io.k8s.api.apps.v1.DeploymentSpec"], 25), 1)
    assert one(one(spec["replicas"], 22), 1) == b"integer"
    assert one(spec["replicas"], 2) == b"int32"
    assert [v for n, v in fields(definitions["io.k8s.api.apps.v1.DeploymentSpec"])
            if n == 19] == [b"selector", b"template"]
    labels = named(one(definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"], 25), 1)
    assert one(one(one(labels["labels"], 21), 1), 22) == b"\n\x06string"
    paths = named(one(doc, 8), 2)
    patch = one(paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"], 8)
    params = [one(one(one(p, 1), 2), 3) for n, p in fields(patch) if n == 8]
    assert [one(p, 4) for p in params] == [b"dryRun", b"fieldManager", b"fieldValidation",
                                          b"force"]


def test_v2_json_and_not_acceptable(http: httpx.Client) -> None:
    for accept in ("", "*/*", "application/json", "application/*"):
        r = http.get("/openapi/v2", headers={"Accept": accept} if accept else {})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        assert "io.k8s.api.apps.v1.Deployment" in r.json()["definitions"]
    r = http.get("/openapi/v2", headers={"Accept": "application/yaml"})
    assert r.status_code == 406 and r.content == b""  # kube-openapi's bare 406


def test_v3_negotiation_and_caching(http: httpx.Client) -> None:
    """kube-openapi's v3 handler: documents by hash are immutable, a stale hash redirects."""
    root = http.get("/openapi/v3", headers={"Accept": "text/html"})  # Accept is not looked at
    assert root.status_code == 200 and root.headers["content-type"] == "application/json"
    url = root.json()["paths"]["apis/apps/v1"]["serverRelativeURL"]
    r = http.get(url, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.headers["cache-control"] == "public, immutable" and "expires" in r.headers
    assert r.headers["etag"] == '"' + url.partition("hash=")[2] + '"'
    again = http.get(url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    stale = http.get("/openapi/v3/apis/apps/v1?hash=0A1B")
    assert stale.status_code == 301 and stale.headers["location"] == url
    plain = http.get("/openapi/v3/apis/apps/v1")
    assert plain.headers["cache-control"] == "no-cache, private"
    assert http.get(url, headers={"Accept": "text/html"}).status_code == 406
    # a group version the server does not have: the handler writes nothing
    r = http.get("/openapi/v3/apis/extensions/v1beta1")
    assert r.status_code == 200 and r.content == b"" and "content-type" not in r.headers


def test_v2_protobuf_follows_crds(http: httpx.Client) -> None:
    before = http.get("/openapi/v2", headers={"Accept": PB}).content
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced",
                    "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
                    "versions": [{"name": "v1", "served": True, "storage": True, "schema": {
                        "openAPIV3Schema": {"type": "object", "properties": {"spec": {
                            "type": "object", "properties": {"size": {
                                "anyOf": [{"type": "integer"}, {"type": "string"}],
                                "x-kubernetes-int-or-string": True}}}}}}}]}}
    assert http.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                     json=crd).status_code == 201
    after = http.get("/openapi/v2", headers={"Accept": PB}).content
    assert after != before
    widget = named(one(after, 9), 1)["com.example.v1.Widget"]
    size = named(one(named(one(widget, 25), 1)["spec"], 25), 1)["size"]
    # anyOf has no place in OpenAPI v2; the extension stays
    assert [n for n, _ in fields(size)] == [31]


@pytest.mark.parametrize("path", [
    "/apis/extensions/v1beta1", "/apis/policy/v1beta1", "/apis/rbac.authorization.k8s.io/v1beta1",
    "/apis/apiextensions.k8s.io/v1beta1", "/apis/networking.k8s.io/v1beta1",
    "/apis/extensions", "/apis/extensions/v1beta1/namespaces/default/deployments"])
def test_removed_group_versions_are_not_served(http: httpx.Client, path: str) -> None:
    """1.35 serves none of the beta versions that old charts use: discovery answers 404 and
    OpenAPI v3 does not list them, so clients report ``no matches for kind`` (the chart's
    error on a real cluster)."""
    r = http.get(path)
    assert r.status_code == 404
    assert r.json()["message"] == "the server could not find the requested resource"


def test_removed_group_versions_are_not_discovered(http: httpx.Client) -> None:
    groups = {g["name"]: [v["version"] for v in g["versions"]]
              for g in http.get("/apis").json()["groups"]}
    assert "extensions" not in groups
    assert groups["policy"] == ["v1"] and groups["rbac.authorization.k8s.io"] == ["v1"]
    assert groups["apiextensions.k8s.io"] == ["v1"]
    v3 = http.get("/openapi/v3").json()["paths"]
    assert "apis/policy/v1" in v3 and not [p for p in v3 if "beta" in p or "extensions/" in p]


RB = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings"


def _role_binding(name: str) -> dict[str, Any]:
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
            "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "default"}]}


def test_rbac_names_are_path_segments(http: httpx.Client) -> None:
    """RBAC objects take any name that fits in a URL path segment (``system:...``)."""
    name = "servicecatalog.k8s.io:apiserver-authentication-reader"
    assert http.post(RB, json=_role_binding(name)).status_code == 201
    assert http.get(f"{RB}/{name}").json()["metadata"]["name"] == name
    cr = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
          "metadata": {"name": "system:Controller_X"}, "rules": []}
    assert http.post("/apis/rbac.authorization.k8s.io/v1/clusterroles", json=cr).status_code == 201
    r = http.post(RB, json=_role_binding("a%b/c"))
    assert r.status_code == 422
    assert r.json()["message"] == (
        'RoleBinding.rbac.authorization.k8s.io "a%b/c" is invalid: [metadata.name: Invalid '
        "value: \"a%b/c\": may not contain '/', metadata.name: Invalid value: \"a%b/c\": may not "
        "contain '%']")
    r = http.post(RB, json=_role_binding(".."))
    assert r.json()["details"]["causes"][0]["message"] == "Invalid value: \"..\": may not be '..'"


def test_service_names_are_dns_1035_labels(http: httpx.Client) -> None:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "1web"},
           "spec": {"ports": [{"port": 80}]}}
    r = http.post("/api/v1/namespaces/default/services", json=svc)
    assert r.status_code == 422
    assert r.json()["message"] == (
        'Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must '
        "consist of lower case alphanumeric characters or '-', start with an alphabetic "
        "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
        "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
    long = "a" * 64
    r = http.post("/api/v1/namespaces", json={"metadata": {"name": long}})
    assert r.json()["message"] == (
        f'Namespace "{long}" is invalid: metadata.name: Invalid value: "{long}": '
        "must be no more than 63 characters")
