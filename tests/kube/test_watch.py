"""watch: current objects first, changes as they happen, reconnects, re-list on 410 Gone."""

from __future__ import annotations

import threading
import time

from tests.kube.conftest import client_for
from tests.kube.fakeapi import FakeApi, Fault
from tests.kube.test_client import cm


def test_list_then_watch_sees_every_change(api: FakeApi, tmp_path):
    api.put("configmaps", "default", cm("old"))
    c = client_for(api.url, tmp_path)
    events = c.watch("v1", "ConfigMap", timeout=5)
    assert next(events)[0:1] == ("ADDED",)

    def writer() -> None:
        api.put("configmaps", "default", cm("new"))
        api.put("configmaps", "default", cm("old"), "MODIFIED")
        api.put("configmaps", "default", cm("new"), "DELETED")

    threading.Thread(target=writer).start()
    got = [(t, o["metadata"]["name"]) for t, o in (next(events) for _ in range(3))]
    assert got == [("ADDED", "new"), ("MODIFIED", "old"), ("DELETED", "new")]
    watch_req = api.requests("GET", "/configmaps")[-1]
    assert watch_req.query["watch"] == "true" and watch_req.query["allowWatchBookmarks"] == "true"
    assert watch_req.query["resourceVersion"] == "101"  # from the list


def test_watch_ends_at_its_timeout(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path)
    started = time.monotonic()
    assert list(c.watch("v1", "ConfigMap", resource_version="100", timeout=0.4)) == []
    assert 0.3 < time.monotonic() - started < 2


def test_gone_relists_and_reports_the_difference(api: FakeApi, tmp_path):
    api.put("configmaps", "default", cm("keep"))
    api.put("configmaps", "default", cm("drop"))
    c = client_for(api.url, tmp_path)
    events = c.watch("v1", "ConfigMap", timeout=5)
    assert sorted(o["metadata"]["name"] for _, o in (next(events), next(events))) == ["drop", "keep"]
    # meanwhile the server compacts its history past what the watch holds
    with api.lock:
        api.put("configmaps", "default", cm("drop"), "DELETED")
        api.put("configmaps", "default", cm("keep"), "MODIFIED")
        api.put("configmaps", "default", cm("added"))
        api.compacted = api.rv + 1
        api.fail(Fault("status", code=410, body={"kind": "Status", "code": 410,
                                                 "reason": "Expired", "message": "too old"},
                       match=lambda s: s.query.get("watch") == "true"))
    got = sorted((t, o["metadata"]["name"]) for t, o in (next(events) for _ in range(3)))
    assert got == [("ADDED", "added"), ("DELETED", "drop"), ("MODIFIED", "keep")]


def test_gone_as_an_error_event_relists(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path)
    api.compacted = 150
    api.put("configmaps", "default", cm("x"))
    events = c.watch("v1", "ConfigMap", resource_version="120", timeout=5)
    assert next(events)[0] == "ADDED"
    paths = [(s.path, s.query.get("watch")) for s in api.requests("GET", "/configmaps")]
    assert paths == [("/api/v1/namespaces/default/configmaps", "true"),
                     ("/api/v1/namespaces/default/configmaps", None)]


def test_dropped_watch_reconnects_from_last_resource_version(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path)
    api.fail(Fault("drop", match=lambda s: s.query.get("watch") == "true"))
    threading.Timer(0.2, lambda: api.put("configmaps", "default", cm("late"))).start()
    events = c.watch("v1", "ConfigMap", resource_version="100", timeout=5)
    typ, obj = next(events)
    assert (typ, obj["metadata"]["name"]) == ("ADDED", "late")
    assert len(api.requests("GET", "/configmaps")) == 2
