"""Faults: retries only where safe, one-line errors naming the server, bounded time."""

from __future__ import annotations

import socket
import time

import pytest

from kelm.kube import ServerError, TooManyRequests, Unreachable
from tests.kube.conftest import client_for
from tests.kube.fakeapi import FakeApi, Fault
from tests.kube.test_client import cm


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_connection_refused_names_the_server(tmp_path):
    port = closed_port()
    c = client_for(f"https://127.0.0.1:{port}", tmp_path, insecure_skip_tls_verify=True)
    started = time.monotonic()
    with pytest.raises(Unreachable) as e:
        c.check_reachable()
    # Helm v4.1.4's line (after "Error: ") for a closed port
    assert str(e.value) == (f'kubernetes cluster unreachable: Get "https://127.0.0.1:{port}/version": '
                            f"dial tcp 127.0.0.1:{port}: connect: connection refused")
    assert time.monotonic() - started < 2
    assert c.requests == 1  # nothing reached the server: no point in retrying


def test_idempotent_reads_retry_5xx_and_429(api: FakeApi, tmp_path):
    api.put("configmaps", "default", cm("a"))
    api.fail(Fault("status", code=500, times=2))
    c = client_for(api.url, tmp_path)
    assert c.get("v1", "ConfigMap", "a")["metadata"]["name"] == "a"
    assert len(api.requests("GET")) == 3
    api.fail(Fault("status", code=429, headers={"Retry-After": "0"},
                   body={"kind": "Status", "code": 429, "reason": "TooManyRequests",
                         "message": "slow down"}))
    assert c.list("v1", "ConfigMap")
    assert len(api.requests("GET")) == 5


def test_creates_are_never_retried(api: FakeApi, tmp_path):
    api.fail(Fault("status", code=503, times=5))
    c = client_for(api.url, tmp_path)
    with pytest.raises(ServerError) as e:
        c.create(cm("b"))
    assert str(e.value) == "boom" and e.value.code == 503
    assert len(api.requests("POST")) == 1
    api.faults.clear()
    api.fail(Fault("status", code=429, body={"kind": "Status", "code": 429,
                                             "reason": "TooManyRequests", "message": "later"}))
    with pytest.raises(TooManyRequests, match="^later$"):
        c.patch("v1", "ConfigMap", "b", {"data": {}})
    assert len(api.requests("PATCH")) == 1


def test_4xx_is_never_retried(api: FakeApi, tmp_path):
    api.fail(Fault("status", code=403, times=5, body={
        "kind": "Status", "code": 403, "reason": "Forbidden",
        "message": 'configmaps is forbidden: User "bob" cannot list resource "configmaps"'}))
    c = client_for(api.url, tmp_path)
    with pytest.raises(Exception) as e:
        c.list("v1", "ConfigMap")
    assert type(e.value).__name__ == "Forbidden"
    assert str(e.value).startswith('configmaps is forbidden: User "bob"')
    assert len(api.requests("GET")) == 1


def test_500_storm_gives_up_after_bounded_retries(api: FakeApi, tmp_path):
    api.fail(Fault("status", code=500, times=1000))
    c = client_for(api.url, tmp_path, retries=3)
    started = time.monotonic()
    with pytest.raises(ServerError, match="^boom$"):
        c.get("v1", "ConfigMap", "a")
    assert len(api.requests("GET")) == 4
    assert time.monotonic() - started < 3


def test_dropped_connection_retries_a_get_but_not_a_create(api: FakeApi, tmp_path):
    api.put("configmaps", "default", cm("a"))
    api.fail(Fault("drop"))
    c = client_for(api.url, tmp_path)
    assert c.get("v1", "ConfigMap", "a")
    assert len(api.requests("GET")) == 2
    api.fail(Fault("drop"))
    with pytest.raises(Unreachable) as e:
        c.create(cm("b"))
    assert str(e.value) == f'Post "{api.url}/api/v1/namespaces/default/configmaps": EOF'
    assert len(api.requests("POST")) == 1


def test_slow_server_times_out_within_the_timeout(api: FakeApi, tmp_path):
    api.fail(Fault("delay", seconds=1.5))
    c = client_for(api.url, tmp_path, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(Unreachable) as e:
        c.get("v1", "ConfigMap", "a")
    assert time.monotonic() - started < 1.2
    assert str(e.value) == (f'Get "{api.url}/api/v1/namespaces/default/configmaps/a": context '
                            "deadline exceeded (Client.Timeout exceeded while awaiting headers)")


def test_rate_limit_spaces_requests(api: FakeApi, tmp_path):
    c = client_for(api.url, tmp_path, qps=20, burst=2)
    started = time.monotonic()
    for _ in range(6):
        c.list("v1", "ConfigMap")
    # 2 from the burst, then 4 at 20/s: at least ~0.2 s
    assert time.monotonic() - started >= 0.18
