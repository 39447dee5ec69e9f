"""The admission webhook over real HTTPS on loopback (ephemeral port, throwaway CA)."""

from __future__ import annotations

import base64
import concurrent.futures
import copy
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from kelm.presets import certs
from kelm.presets.admission import AdmissionHandler
from kelm.presets.jsonpatch import apply_patch
from kelm.presets.source import DirectorySource, Poller
from kelm.presets.webhook import WebhookServer

from .conftest import ALLOW_DATABASE, preset, y

ANN = "podpreset.admission.kubernetes.io/podpreset-"
MAX_BYTES = 256 * 1024


def write_preset(directory: Path, doc: dict) -> None:
    (directory / f"{doc['metadata']['name']}.yaml").write_text(yaml.safe_dump(doc))


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    bundle = certs.generate(["localhost", "127.0.0.1"])
    for name, data in (("ca.crt", bundle.ca_cert), ("tls.crt", bundle.cert), ("tls.key", bundle.key)):
        (d / name).write_bytes(data)
    return d


@pytest.fixture(scope="module")
def hook(tls, tmp_path_factory):
    presets_dir = tmp_path_factory.mktemp("presets")
    write_preset(presets_dir, preset("allow-database", ALLOW_DATABASE, rv="101"))
    source = DirectorySource(presets_dir)
    server = WebhookServer(
        AdmissionHandler(source), ("127.0.0.1", 0), certfile=tls / "tls.crt", keyfile=tls / "tls.key",
        max_request_bytes=MAX_BYTES,
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server, source, presets_dir
    server.stop()
    thread.join(5)
    assert not thread.is_alive()


def connect(server, tls) -> http.client.HTTPSConnection:
    ctx = ssl.create_default_context(cafile=str(tls / "ca.crt"))
    return http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=10)


def post(conn, body: bytes, path: str = "/mutate") -> tuple[int, dict]:
    conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read())


def review(obj: dict, *, uid: str = "u-1", operation: str = "CREATE", namespace: str = "shop",
           **extra) -> bytes:
    request = {
        "uid": uid, "kind": {"group": "", "version": "v1", "kind": "Pod"},
        "resource": {"group": "", "version": "v1", "resource": "pods"},
        "namespace": namespace, "operation": operation, "object": obj, **extra,
    }
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": request}).encode()


WEBSITE = y("""
apiVersion: v1
kind: Pod
metadata:
  generateName: website-
  labels: {app: website, role: frontend}
spec:
  containers:
  - {name: website, image: nginx, ports: [{containerPort: 80}]}
""")


def expected_website() -> dict:
    pod = copy.deepcopy(WEBSITE)
    pod["metadata"]["annotations"] = {ANN + "allow-database": "101"}
    pod["spec"]["containers"][0]["env"] = [{"name": "DB_PORT", "value": "6379"}]
    pod["spec"]["containers"][0]["volumeMounts"] = [{"name": "cache-volume", "mountPath": "/cache"}]
    pod["spec"]["volumes"] = [{"name": "cache-volume", "emptyDir": {}}]
    return pod


def patched(response: dict, obj: dict) -> dict:
    assert response["patchType"] == "JSONPatch"
    ops = json.loads(base64.b64decode(response["patch"]))
    return apply_patch(obj, ops)


def test_valid_review_gets_json_patch(hook, tls):
    server = hook[0]
    status, body = post(connect(server, tls), review(WEBSITE, uid="abc"))
    assert status == 200
    assert body["apiVersion"] == "admission.k8s.io/v1" and body["kind"] == "AdmissionReview"
    resp = body["response"]
    assert resp["uid"] == "abc" and resp["allowed"] is True
    assert patched(resp, WEBSITE) == expected_website()
    ops = json.loads(base64.b64decode(resp["patch"]))
    assert {"op": "add", "path": "/metadata/annotations",
            "value": {ANN + "allow-database": "101"}} in ops


def test_patch_appends_to_existing_lists(hook, tls):
    pod = copy.deepcopy(WEBSITE)
    pod["metadata"]["annotations"] = {"a/b": "c"}
    pod["spec"]["containers"][0]["env"] = [{"name": "OWN", "value": "x"}]
    _, body = post(connect(hook[0], tls), review(pod))
    ops = json.loads(base64.b64decode(body["response"]["patch"]))
    assert {"op": "add", "path": "/metadata/annotations/podpreset.admission.kubernetes.io~1podpreset-allow-database",
            "value": "101"} in ops
    assert {"op": "add", "path": "/spec/containers/0/env/-",
            "value": {"name": "DB_PORT", "value": "6379"}} in ops
    out = patched(body["response"], pod)
    assert [e["name"] for e in out["spec"]["containers"][0]["env"]] == ["OWN", "DB_PORT"]


@pytest.mark.parametrize(
    "case",
    ["conflict", "excluded", "mirror", "update", "subresource", "other-namespace", "no-match"],
)
def test_reviews_admitted_without_patch(hook, tls, case):
    pod = copy.deepcopy(WEBSITE)
    kw: dict = {}
    if case == "conflict":
        pod["spec"]["containers"][0]["env"] = [{"name": "DB_PORT", "value": "5432"}]
    elif case == "excluded":
        pod["metadata"]["annotations"] = {"podpreset.admission.kubernetes.io/exclude": "true"}
    elif case == "mirror":
        pod["metadata"]["annotations"] = {"kubernetes.io/config.mirror": "abc"}
    elif case == "update":
        kw["operation"] = "UPDATE"
    elif case == "subresource":
        kw["subResource"] = "status"
    elif case == "other-namespace":
        pod["metadata"]["namespace"] = "shop"  # the request namespace wins
        kw["namespace"] = "elsewhere"
    else:
        pod["metadata"]["labels"] = {"role": "backend"}
    status, body = post(connect(hook[0], tls), review(pod, uid=case, **kw))
    assert status == 200
    resp = body["response"]
    assert resp["uid"] == case and resp["allowed"] is True
    assert "patch" not in resp and "patchType" not in resp
    if case == "conflict":
        assert resp["warnings"][0].startswith("podpreset: conflict between matching presets")
        assert "DB_PORT" in resp["warnings"][1]
    else:
        assert "warnings" not in resp


@pytest.mark.parametrize(
    "body, message",
    [
        (b"{not json", "malformed AdmissionReview: not JSON"),
        (b"[]", "kind must be AdmissionReview"),
        (json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}).encode(),
         "request.uid missing"),
        (json.dumps({"apiVersion": "admission.k8s.io/v2", "kind": "AdmissionReview",
                     "request": {"uid": "x"}}).encode(), "unsupported AdmissionReview apiVersion"),
        (b"\xff\xfe\x00", "malformed AdmissionReview"),
    ],
)
def test_malformed_reviews_get_error_response(hook, tls, body, message):
    conn = connect(hook[0], tls)
    status, reply = post(conn, body)
    assert status == 400
    assert reply["response"]["allowed"] is True
    assert reply["response"]["status"]["code"] == 400
    assert message in reply["response"]["status"]["message"]
    status, reply = post(conn, review(WEBSITE, uid="after"))  # same connection still serves
    assert status == 200 and reply["response"]["uid"] == "after"


def test_bad_request_object_is_admitted_with_warning(hook, tls):
    pod = copy.deepcopy(WEBSITE)
    pod["spec"]["containers"] = "not a list"
    _, body = post(connect(hook[0], tls), review(pod, uid="bad-pod"))
    assert body["response"] == {"uid": "bad-pod", "allowed": True}
    _, body = post(connect(hook[0], tls), review("nope", uid="str"))  # type: ignore[arg-type]
    assert body["response"]["allowed"] is True and "not an object" in body["response"]["warnings"][0]


def test_oversized_review_rejected_politely(hook, tls):
    conn = connect(hook[0], tls)
    pod = copy.deepcopy(WEBSITE)
    pod["metadata"]["annotations"] = {"big": "x" * (MAX_BYTES + 10)}
    status, body = post(conn, review(pod, uid="big"))
    assert status == 413
    assert body["response"]["allowed"] is True and body["response"]["status"]["code"] == 413
    assert "too large" in body["response"]["status"]["message"]
    status, body = post(conn, review(WEBSITE, uid="next"))
    assert status == 200 and body["response"]["uid"] == "next"


def test_health_and_unknown_paths(hook, tls):
    conn = connect(hook[0], tls)
    conn.request("GET", "/healthz")
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, b"ok\n")
    conn.request("GET", "/nope")
    resp = conn.getresponse()
    assert resp.status == 404
    resp.read()


def test_missing_content_length(hook, tls):
    conn = connect(hook[0], tls)
    conn.putrequest("POST", "/mutate")
    conn.endheaders()
    resp = conn.getresponse()
    assert resp.status == 411
    assert json.loads(resp.read())["response"]["allowed"] is True


def test_garbage_and_plain_http_do_not_kill_the_server(hook, tls):
    server = hook[0]
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        raw.settimeout(5)
        try:
            raw.recv(100)
        except OSError:
            pass
    status, body = post(connect(server, tls), review(WEBSITE, uid="alive"))
    assert status == 200 and body["response"]["uid"] == "alive"


def test_presets_reloaded_when_directory_changes(hook, tls):
    server, source, presets_dir = hook
    proxy = preset("proxy", """
selector: {matchLabels: {role: frontend}}
volumeMounts: [{name: proxy-volume, mountPath: /etc/proxy/configs}]
volumes: [{name: proxy-volume, emptyDir: {}}]
""", rv="102")
    try:
        write_preset(presets_dir, proxy)
        poller = Poller(source, interval=0.05).start()
        try:
            deadline = time.monotonic() + 5
            while len(source.presets()) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            poller.stop()
        _, body = post(connect(server, tls), review(WEBSITE))
        out = patched(body["response"], WEBSITE)
        assert out["metadata"]["annotations"] == {ANN + "allow-database": "101", ANN + "proxy": "102"}
        # a broken edit is not taken: the previous snapshot stays in force
        (presets_dir / "proxy.yaml").write_text("kind: PodPreset\nmetadata: {name: proxy}\nspec: {}\n")
        assert source.refresh() is False
        assert "must set at least one of" in (source.last_error or "")
        assert len(source.presets()) == 2
    finally:
        (presets_dir / "proxy.yaml").unlink()
        assert source.refresh() is True
    assert [p.name for p in source.presets()] == ["allow-database"]


def test_own_failure_never_blocks():
    class Broken:
        def presets(self):
            raise RuntimeError("store unavailable")

        def refresh(self):
            return False

    reply = AdmissionHandler(Broken()).handle(review(WEBSITE, uid="b"))
    assert reply.status == 200
    assert reply.body["response"]["allowed"] is True and "patch" not in reply.body["response"]
    assert "store unavailable" in reply.body["response"]["warnings"][0]


def test_load_concurrent_reviews(hook, tls, capsys):
    """300 reviews over 32 threads, each on its own keep-alive TLS connection."""
    server = hook[0]
    conflict = copy.deepcopy(WEBSITE)
    conflict["spec"]["containers"][0]["env"] = [{"name": "DB_PORT", "value": "1"}]
    excluded = copy.deepcopy(WEBSITE)
    excluded["metadata"]["annotations"] = {"podpreset.admission.kubernetes.io/exclude": "true"}
    kinds = {"valid": WEBSITE, "conflict": conflict, "excluded": excluded}
    total, threads = 300, 32
    local = threading.local()

    def one(i: int) -> tuple[int, str]:
        if not hasattr(local, "conn"):
            local.conn = connect(server, tls)
        kind = list(kinds)[i % 3]
        uid = f"{kind}-{i}"
        status, body = post(local.conn, review(kinds[kind], uid=uid))
        resp = body["response"]
        assert status == 200 and resp["uid"] == uid and resp["allowed"] is True
        if kind == "valid":
            assert patched(resp, WEBSITE) == expected_website()
        else:
            assert "patch" not in resp
        return i, kind

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        done = list(pool.map(one, range(total)))
    elapsed = time.monotonic() - start
    assert sorted(i for i, _ in done) == list(range(total))
    assert elapsed < 20, f"{total} reviews took {elapsed:.1f}s"
    with capsys.disabled():
        print(f"\n[webhook load] {total} reviews / {threads} threads: {elapsed:.2f}s, "
              f"{total / elapsed:.0f} reviews/s")


def _serve_process(tls, presets_dir) -> tuple[subprocess.Popen, int]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kelm", "preset", "serve", "--presets", str(presets_dir),
         "--tls-cert", str(tls / "tls.crt"), "--tls-key", str(tls / "tls.key"),
         "--host", "127.0.0.1", "--port", "0", "--poll-interval", "0.1"],
        stderr=subprocess.PIPE, text=True, env=env,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if "serving" in line:
            return proc, int(line.rsplit(":", 1)[1].split()[0])
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("server did not start")


def test_serve_command_graceful_sigterm(tls, tmp_path):
    write_preset(tmp_path, preset("allow-database", ALLOW_DATABASE, rv="101"))
    proc, port = _serve_process(tls, tmp_path)
    try:
        ctx = ssl.create_default_context(cafile=str(tls / "ca.crt"))
        idle = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=5)
        idle.request("GET", "/healthz")
        assert idle.getresponse().read() == b"ok\n"  # connection now idle (keep-alive)
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=5)
        status, body = post(conn, review(WEBSITE))
        assert status == 200 and "patch" in body["response"]
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=10)
        assert rc == 0
        assert time.monotonic() - start < 5
        assert "stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()


def test_serve_command_rejects_invalid_presets(tls, tmp_path):
    (tmp_path / "bad.yaml").write_text("kind: PodPreset\nmetadata: {name: bad}\nspec: {}\n")
    res = subprocess.run(
        [sys.executable, "-m", "kelm", "preset", "serve", "--presets", str(tmp_path),
         "--tls-cert", str(tls / "tls.crt"), "--tls-key", str(tls / "tls.key"), "--port", "0"],
        capture_output=True, text=True, timeout=20,
    )
    assert res.returncode == 1
    assert res.stderr.startswith(f"Error: {tmp_path / 'bad.yaml'}:1: invalid PodPreset bad:")


def test_stop_lets_in_flight_review_finish(tls):
    from kelm.presets.model import parse_preset
    from kelm.presets.source import StaticSource

    class Slow(StaticSource):
        def presets(self):
            time.sleep(0.5)
            return super().presets()

    source = Slow([parse_preset(preset("allow-database", ALLOW_DATABASE, rv="101"))])
    server = WebhookServer(AdmissionHandler(source), ("127.0.0.1", 0),
                           certfile=tls / "tls.crt", keyfile=tls / "tls.key")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    idle = connect(server, tls)
    idle.request("GET", "/healthz")
    idle.getresponse().read()
    results: list = []
    client = threading.Thread(target=lambda: results.append(post(connect(server, tls), review(WEBSITE))))
    client.start()
    time.sleep(0.2)  # the review is now being processed
    start = time.monotonic()
    server.stop()
    thread.join(5)
    client.join(5)
    assert results and results[0][0] == 200
    assert patched(results[0][1]["response"], WEBSITE) == expected_website()
    assert time.monotonic() - start < 3  # the idle keep-alive connection did not hold it up
    with pytest.raises(OSError):
        connect(server, tls).request("GET", "/healthz")


def test_configmap_volume_layout_and_atomic_update(tmp_path):
    """A ConfigMap volume: files are symlinks into ..data, swapped atomically on update."""
    def publish(version: str, value: str) -> None:
        real = tmp_path / f"..{version}"
        real.mkdir()
        doc = preset("allow-database", ALLOW_DATABASE.replace("6379", value), rv=version)
        (real / "allow-database.yaml").write_text(yaml.safe_dump(doc))
        tmp_link = tmp_path / "..data_tmp"
        tmp_link.symlink_to(real.name)
        os.replace(tmp_link, tmp_path / "..data")

    publish("1", "6379")
    (tmp_path / "allow-database.yaml").symlink_to("..data/allow-database.yaml")
    source = DirectorySource(tmp_path)
    assert [(p.name, p.version) for p in source.presets()] == [("allow-database", "1")]
    assert source.refresh() is False
    publish("2", "6380")
    assert source.refresh() is True
    assert [(p.name, p.version) for p in source.presets()] == [("allow-database", "2")]
    assert source.presets()[0].env == ({"name": "DB_PORT", "value": "6380"},)


def test_connection_limit_refuses_extra_connections(tls):
    from kelm.presets.source import StaticSource

    server = WebhookServer(AdmissionHandler(StaticSource([])), ("127.0.0.1", 0),
                           certfile=tls / "tls.crt", keyfile=tls / "tls.key", max_connections=1)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        first = connect(server, tls)
        first.request("GET", "/healthz")
        assert first.getresponse().read() == b"ok\n"
        with pytest.raises((OSError, http.client.HTTPException)):
            extra = connect(server, tls)
            extra.request("GET", "/healthz")
            extra.getresponse().read()
        first.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the slot frees once the first connection ends
            try:
                again = connect(server, tls)
                again.request("GET", "/healthz")
                assert again.getresponse().read() == b"ok\n"
                break
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)
        else:
            raise AssertionError("slot never freed")
    finally:
        server.stop()
        thread.join(5)
