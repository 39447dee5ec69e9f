"""Watch streams: chunked JSON events from a resourceVersion, selectors, bookmarks, 410."""

from __future__ import annotations

import json
from typing import Any

import httpx

from kelm.testing import Cluster

CM = "/api/v1/namespaces/default/configmaps"


def _events(http: httpx.Client, path: str, n: int, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with http.stream("GET", path, params={"watch": "true", "timeoutSeconds": "5", **params}) as r:
        assert r.status_code == 200
        assert r.headers["transfer-encoding"] == "chunked"
        for line in r.iter_lines():
            if line:
                out.append(json.loads(line))
            if len(out) == n:
                break
    return out


def _cm(name: str, **labels: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels}}


def test_watch_from_a_resource_version(http: httpx.Client) -> None:
    rv = http.get(CM).json()["metadata"]["resourceVersion"]
    http.post(CM, json=_cm("a"))
    http.patch(CM + "/a", content='{"data":{"k":"v"}}',
               headers={"Content-Type": "application/merge-patch+json"})
    http.delete(CM + "/a")
    evs = _events(http, CM, 3, resourceVersion=rv)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in evs] == [
        ("ADDED", "a"), ("MODIFIED", "a"), ("DELETED", "a")]
    assert evs[1]["object"]["data"] == {"k": "v"} and evs[1]["object"]["kind"] == "ConfigMap"
    rvs = [int(e["object"]["metadata"]["resourceVersion"]) for e in evs]
    assert rvs == sorted(rvs) and rvs[0] > int(rv)


def test_watch_without_version_lists_first(http: httpx.Client) -> None:
    http.post(CM, json=_cm("a"))
    http.post(CM, json=_cm("b"))
    evs = _events(http, CM, 2)
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in evs] == [("ADDED", "a"), ("ADDED", "b")]


def test_watch_selectors_and_single_object(http: httpx.Client) -> None:
    rv = http.get(CM).json()["metadata"]["resourceVersion"]
    http.post(CM, json=_cm("a", app="x"))
    http.post(CM, json=_cm("b", app="y"))
    http.post(CM, json=_cm("c", app="x"))
    evs = _events(http, CM, 2, resourceVersion=rv, labelSelector="app=x")
    assert [e["object"]["metadata"]["name"] for e in evs] == ["a", "c"]
    evs = _events(http, CM, 1, resourceVersion=rv, fieldSelector="metadata.name=b")
    assert evs[0]["object"]["metadata"]["name"] == "b"


def test_objects_entering_and_leaving_a_selection(http: httpx.Client) -> None:
    http.post(CM, json=_cm("a", app="y"))
    rv = http.get(CM).json()["metadata"]["resourceVersion"]
    relabel = {"Content-Type": "application/merge-patch+json"}
    http.patch(CM + "/a", content='{"metadata":{"labels":{"app":"x"}}}', headers=relabel)
    http.patch(CM + "/a", content='{"data":{"k":"v"}}', headers=relabel)
    http.patch(CM + "/a", content='{"metadata":{"labels":{"app":"z"}}}', headers=relabel)
    evs = _events(http, CM, 3, resourceVersion=rv, labelSelector="app=x")
    assert [e["type"] for e in evs] == ["ADDED", "MODIFIED", "DELETED"]
    assert evs[2]["object"]["metadata"]["labels"] == {"app": "z"}


def test_watch_ends_after_timeout(http: httpx.Client) -> None:
    with http.stream("GET", CM, params={"watch": "1", "timeoutSeconds": "1",
                                        "resourceVersion": http.get(CM).json()["metadata"]["resourceVersion"]}) as r:
        assert list(r.iter_lines()) == []


def test_send_initial_events_ends_with_a_bookmark(http: httpx.Client) -> None:
    http.post(CM, json=_cm("a"))
    evs = _events(http, CM, 2, sendInitialEvents="true", allowWatchBookmarks="true",
                  resourceVersionMatch="NotOlderThan")
    assert evs[0]["type"] == "ADDED"
    assert evs[1]["type"] == "BOOKMARK"
    assert evs[1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}


def test_too_old_resource_version_is_410(http: httpx.Client, kc: Cluster) -> None:
    from kelm.testing import store

    old = store._LOG_LIMIT
    store._LOG_LIMIT = 10
    try:
        for i in range(30):
            http.post(CM, json=_cm(f"c{i}"))
        evs = _events(http, CM, 1, resourceVersion="1001")
    finally:
        store._LOG_LIMIT = old
    assert evs[0]["type"] == "ERROR"
    status = evs[0]["object"]
    assert status["code"] == 410 and status["reason"] == "Expired"
    assert status["message"].startswith("too old resource version: 1001 (")


def test_watch_is_scoped_to_its_namespace(http: httpx.Client) -> None:
    http.post("/api/v1/namespaces", json={"apiVersion": "v1", "kind": "Namespace",
                                          "metadata": {"name": "other"}})
    rv = http.get(CM).json()["metadata"]["resourceVersion"]
    http.post("/api/v1/namespaces/other/configmaps", json=_cm("elsewhere"))
    http.post(CM, json=_cm("here"))
    evs = _events(http, CM, 1, resourceVersion=rv)
    assert evs[0]["object"]["metadata"]["name"] == "here"
    evs = _events(http, "/api/v1/configmaps", 2, resourceVersion=rv)
    assert [e["object"]["metadata"]["name"] for e in evs] == ["elsewhere", "here"]
