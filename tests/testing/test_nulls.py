"""JSON nulls in written objects, as the real server's decoding leaves them: built-in kinds
go through Go types (a null field is no field, then defaulted), custom resources through
structural pruning (nulls kept only where the schema says ``nullable``)."""

from __future__ import annotations

import httpx

DEPLOY = "/apis/apps/v1/namespaces/default/deployments"


def _deployment(name: str) -> dict:  # type: ignore[type-arg]
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "labels": {"app": "web", "tier": None},
                         "annotations": None},
            "spec": {"replicas": None, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "web", "image": "nginx",
                                                           "env": None, "args": None}]}}}}


def test_nulls_of_builtin_kinds_are_dropped_then_defaulted(http: httpx.Client) -> None:
    created = http.post(DEPLOY, json=_deployment("created")).json()
    applied = http.patch(f"{DEPLOY}/applied", json=_deployment("applied"),
                         params={"fieldManager": "helm", "force": "true"},
                         headers={"Content-Type": "application/apply-patch+yaml"}).json()
    for obj in (created, applied):
        assert obj["spec"]["replicas"] == 1  # a chart's bare `replicas:`
        assert obj["metadata"]["labels"] == {"app": "web", "tier": ""}  # Go's zero string
        assert "annotations" not in obj["metadata"]
        container = obj["spec"]["template"]["spec"]["containers"][0]
        assert "env" not in container and "args" not in container


def test_nulls_of_custom_resources_follow_nullable(http: httpx.Client) -> None:
    props = {"size": {"type": "integer"}, "note": {"type": "string", "nullable": True},
             "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "gadgets.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced",
                    "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget"},
                    "versions": [{"name": "v1", "served": True, "storage": True, "schema": {
                        "openAPIV3Schema": {"type": "object", "properties": {"spec": {
                            "type": "object", "properties": props}}}}}]}}
    assert http.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                     json=crd).status_code == 201
    body = {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"},
            "spec": {"size": None, "note": None, "extra": {"free": None}}}
    r = http.post("/apis/example.com/v1/namespaces/default/gadgets", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["spec"] == {"note": None, "extra": {"free": None}}
