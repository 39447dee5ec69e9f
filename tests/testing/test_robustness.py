"""Fault injection knobs, TLS, and malformed requests: the emulator answers with the real
server's error shapes and stays up."""

from __future__ import annotations

import json
import selectors
import socket
import ssl
import time

import httpx
import pytest

from kelm.testing import Cluster, cluster

CM = "/api/v1/namespaces/default/configmaps"


def _alive(http: httpx.Client) -> None:
    assert http.get("/version").json()["gitVersion"] == "v1.35.2"


def test_error_storm(http: httpx.Client, kc: Cluster) -> None:
    kc.faults.error_storm(3)
    codes = [http.get("/api/v1/namespaces").status_code for _ in range(4)]
    assert codes == [500, 500, 500, 200]
    kc.faults.error_storm(1)
    body = http.get("/api/v1/namespaces").json()
    assert body["kind"] == "Status" and body["reason"] == "InternalError" and body["code"] == 500


def test_throttling_and_unavailable_carry_retry_after(http: httpx.Client, kc: Cluster) -> None:
    kc.faults.error_storm(2, code=429)
    r = http.get("/api/v1/namespaces")
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    assert r.json()["reason"] == "TooManyRequests"
    assert r.json()["details"] == {"retryAfterSeconds": 1}
    assert http.get("/version").status_code == 429
    kc.faults.error_storm(1, code=503)
    assert http.get("/version").json()["reason"] == "ServiceUnavailable"
    _alive(http)


def test_cut_watches(http: httpx.Client, kc: Cluster) -> None:
    with http.stream("GET", CM, params={"watch": "1", "timeoutSeconds": "10"}) as r:
        assert r.status_code == 200
        kc.faults.cut_watches()
        with pytest.raises(httpx.RemoteProtocolError):
            for _ in r.iter_lines():
                pass
    _alive(http)


def test_dropped_connection(http: httpx.Client, kc: Cluster) -> None:
    kc.faults.drop_connections(1)
    with pytest.raises(httpx.TransportError):
        http.get("/api/v1/namespaces")
    _alive(http)


def test_slow_and_hanging_server(http: httpx.Client, kc: Cluster) -> None:
    kc.faults.delay = 0.2
    t = time.monotonic()
    _alive(http)
    assert time.monotonic() - t >= 0.2
    kc.faults.delay = 0
    kc.faults.hang = True
    with pytest.raises(httpx.ReadTimeout):
        http.get("/version", timeout=0.3)
    kc.faults.hang = False
    _alive(http)


def test_unreachable() -> None:
    with pytest.raises(httpx.ConnectError):
        httpx.get(Cluster.unreachable_url() + "/version", timeout=2)


def test_request_log(http: httpx.Client, kc: Cluster) -> None:
    kc.requests.clear()
    http.get(CM)
    http.get(CM + "/nope")
    assert [(r.method, r.path, r.status) for r in kc.requests] == [
        ("GET", CM, 200), ("GET", CM + "/nope", 404)]
    assert kc.requests.count("GET", "/configmaps") == 2


def test_tls_with_its_ca_and_a_mismatched_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with cluster(tls=True) as c:
        assert c.url.startswith("https://127.0.0.1:")
        ca = tmp_path / "ca.pem"
        ca.write_bytes(c.ca_pem or b"")
        ctx = ssl.create_default_context(cafile=str(ca))
        assert httpx.get(c.url + "/version", verify=ctx).status_code == 200
        kubeconfig = c.kubeconfig_path.read_text()
        assert "certificate-authority-data" in kubeconfig and c.url in kubeconfig
    with cluster(tls=True, cert_hosts=["not-this-host.invalid"]) as c:
        ca.write_bytes(c.ca_pem or b"")
        ctx = ssl.create_default_context(cafile=str(ca))
        with pytest.raises(httpx.ConnectError, match="certificate"):
            httpx.get(c.url + "/version", verify=ctx)


def test_bad_json(http: httpx.Client) -> None:
    r = http.post(CM, content="{nope", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["message"] == (
        "the object provided is unrecognized (must be of type ConfigMap): couldn't get "
        "version/kind; json parse error: invalid character 'n' looking for beginning of object "
        "key string ({nope)")
    r = http.post(CM, content='{"kind": ', headers={"Content-Type": "application/json"})
    assert r.json()["message"].endswith("json parse error: unexpected end of JSON input ({\"kind\": )")
    r = http.post(CM, content="[1]", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["reason"] == "BadRequest"
    assert r.json()["message"].endswith(
        'json: cannot unmarshal array into Go value of type struct { APIVersion string '
        '"json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b315d)')
    _alive(http)


def test_wrong_content_type(http: httpx.Client) -> None:
    r = http.post(CM, content="a=b", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415 and r.json()["reason"] == "UnsupportedMediaType"
    _alive(http)


def test_huge_body(kc: Cluster) -> None:
    body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
                       "data": {"x": "a" * (4 * 1024 * 1024)}})
    with httpx.Client(base_url=kc.url, timeout=10) as http:
        r = http.post(CM, content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and r.json()["reason"] == "RequestEntityTooLarge"
    with httpx.Client(base_url=kc.url, timeout=10) as http:
        _alive(http)


def test_garbage_request_line(kc: Cluster) -> None:
    with socket.create_connection(("127.0.0.1", kc.port), timeout=5) as s:
        s.sendall(b"\x00\x01\x02 nonsense\r\n\r\n")
        s.recv(4096)
    with httpx.Client(base_url=kc.url, timeout=5) as http:
        _alive(http)


def test_unknown_paths_and_methods(http: httpx.Client) -> None:
    r = http.get("/apis/nope.example.com/v1/things")
    assert r.status_code == 404
    assert r.json()["message"] == "the server could not find the requested resource"
    assert http.put("/api/v1/namespaces/default/configmaps", json={}).status_code == 405


def test_thousand_concurrent_watches(kc: Cluster) -> None:
    sel = selectors.DefaultSelector()
    socks = []
    request = (f"GET {CM}?watch=true&timeoutSeconds=20 HTTP/1.1\r\n"
               f"Host: 127.0.0.1\r\nAccept: application/json\r\n\r\n").encode()
    try:
        for _ in range(1000):
            s = socket.create_connection(("127.0.0.1", kc.port), timeout=10)
            s.sendall(request)
            socks.append(s)
        buffers = {s.fileno(): b"" for s in socks}
        for s in socks:  # every stream is open (headers sent) before the change
            while b"\r\n\r\n" not in buffers[s.fileno()]:
                buffers[s.fileno()] += s.recv(65536)
        with httpx.Client(base_url=kc.url, timeout=10) as http:
            http.post(CM, json={"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "w"}})
            for s in socks:
                s.setblocking(False)
                sel.register(s, selectors.EVENT_READ)
            pending = {s.fileno() for s in socks if b'"ADDED"' not in buffers[s.fileno()]}
            deadline = time.monotonic() + 20
            while pending and time.monotonic() < deadline:
                for key, _ in sel.select(timeout=1):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    try:
                        buffers[sock.fileno()] += sock.recv(65536)
                    except BlockingIOError:
                        continue
                    if b'"ADDED"' in buffers[sock.fileno()]:
                        pending.discard(sock.fileno())
            assert not pending, f"{len(pending)} watches saw no event"
            _alive(http)
    finally:
        sel.close()
        for s in socks:
            s.close()
