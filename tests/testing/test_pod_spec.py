"""Pod spec defaults and the validation rule that charts of the corpus meet (a startup probe
with ``successThreshold: 2`` is refused by a real server)."""

from __future__ import annotations

from typing import Any

import httpx

STS = "/apis/apps/v1/namespaces/default/statefulsets"


def _statefulset(name: str, probe: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
            "spec": {"serviceName": name, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": {
                         "volumes": [{"name": "scratch"}],
                         "containers": [
                             {"name": "side", "image": "busybox:1"},
                             {"name": "db", "image": "mongo:4", "imagePullPolicy": "",
                              "startupProbe": {"exec": {"command": ["true"]}, **probe},
                              "readinessProbe": {"exec": {"command": ["true"]},
                                                 "successThreshold": 2}}]}}}}


def test_probe_and_volume_defaults(http: httpx.Client) -> None:
    r = http.post(STS, json=_statefulset("ok", {}))
    assert r.status_code == 201, r.text
    spec = r.json()["spec"]["template"]["spec"]
    assert spec["volumes"] == [{"name": "scratch", "emptyDir": {}}]  # no source: emptyDir
    db = spec["containers"][1]
    assert db["imagePullPolicy"] == "IfNotPresent"  # "" is unset
    assert db["startupProbe"] == {"exec": {"command": ["true"]}, "timeoutSeconds": 1,
                                  "periodSeconds": 10, "successThreshold": 1,
                                  "failureThreshold": 3}
    assert db["readinessProbe"]["successThreshold"] == 2  # readiness may ask for more


def test_startup_probe_must_succeed_once(http: httpx.Client) -> None:
    for write in ("create", "apply"):
        body = _statefulset(f"bad-{write}", {"successThreshold": 2})
        if write == "create":
            r = http.post(STS, json=body)
        else:
            r = http.patch(f"{STS}/bad-{write}", json=body, params={"fieldManager": "helm"},
                           headers={"Content-Type": "application/apply-patch+yaml"})
        assert r.status_code == 422
        assert r.json()["message"] == (
            f'StatefulSet.apps "bad-{write}" is invalid: spec.template.spec.containers[1].'
            "startupProbe.successThreshold: Invalid value: 2: must be 1")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "x", "livenessProbe": {
               "tcpSocket": {"port": 80}, "successThreshold": 3}}]}}
    r = http.post("/api/v1/namespaces/default/pods", json=pod)
    assert r.json()["details"]["causes"] == [{
        "reason": "FieldValueInvalid", "message": "Invalid value: 3: must be 1",
        "field": "spec.containers[0].livenessProbe.successThreshold"}]
