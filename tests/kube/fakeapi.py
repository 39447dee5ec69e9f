"""A small loopback API server for the client's tests: a dict store, scripted faults, a log.

It knows a few kinds (and CRDs added with :meth:`FakeApi.add_kind`), serves aggregated or
legacy discovery, lists with ``limit``/``continue``, watches from an event log (``410`` for a
compacted resourceVersion) and answers every request it is told to fail with the fault given.
It records each request so tests can check what the client sent.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    client_cert: dict[str, Any] | None = None
    raw_headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        for k, v in self.headers.items():
            if k.lower() == name.lower():
                return v
        return None


@dataclass
class Fault:
    """What to do instead of answering: ``status`` (code + body), ``drop``, ``delay``."""

    action: str
    code: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    match: Callable[[Seen], bool] = lambda seen: True
    times: int = 1


@dataclass(frozen=True)
class Kind:
    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool

    @property
    def gv(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


BASE_KINDS = [
    Kind("", "v1", "ConfigMap", "configmaps", True), Kind("", "v1", "Secret", "secrets", True),
    Kind("", "v1", "Pod", "pods", True), Kind("", "v1", "Namespace", "namespaces", False),
    Kind("apps", "v1", "Deployment", "deployments", True),
    Kind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", False),
]


def status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


class FakeApi:
    def __init__(self, tls: ssl.SSLContext | None = None, aggregated: bool = True) -> None:
        self.kinds = list(BASE_KINDS)
        self.aggregated = aggregated
        self.objects: dict[tuple[str, str, str], dict[str, Any]] = {}  # (plural, ns, name)
        self.events: list[tuple[int, str, str, dict[str, Any]]] = []  # (rv, plural, type, obj)
        self.compacted = 0  # watches from a resourceVersion below this get 410
        self.rv = 100
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.token: str | None = None  # when set, other bearer tokens get 401
        self.logs: dict[str, str] = {}
        self.lock = threading.Condition()
        api = self

        class Handler(_Handler):
            owner = api

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.scheme = "http"
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True,
                                                 do_handshake_on_connect=False)
            self.scheme = "https"
        self.port = self.server.server_address[1]
        self.url = f"{self.scheme}://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def __enter__(self) -> FakeApi:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- helpers for tests
    def add_kind(self, kind: Kind) -> None:
        self.kinds.append(kind)

    def fail(self, *faults: Fault) -> None:
        self.faults.extend(faults)

    def put(self, plural: str, ns: str, obj: dict[str, Any], typ: str = "ADDED") -> dict[str, Any]:
        with self.lock:
            self.rv += 1
            obj = json.loads(json.dumps(obj))
            meta = obj.setdefault("metadata", {})
            meta["resourceVersion"] = str(self.rv)
            if ns:
                meta["namespace"] = ns
            if typ == "DELETED":
                self.objects.pop((plural, ns, meta["name"]), None)
            else:
                self.objects[(plural, ns, meta["name"])] = obj
            self.events.append((self.rv, plural, typ, obj))
            self.lock.notify_all()
            return obj

    def requests(self, method: str | None = None, path_part: str = "") -> list[Seen]:
        return [s for s in self.seen if (method is None or s.method == method)
                and path_part in s.path]

    def kind_for(self, group: str, version: str, plural: str) -> Kind | None:
        for k in self.kinds:
            if (k.group, k.version, k.plural) == (group, version, plural):
                return k
        return None


class _Handler(BaseHTTPRequestHandler):
    owner: FakeApi
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def setup(self) -> None:
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(5)
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError):
                self.handshake_failed = True
        super().setup()

    def handle(self) -> None:
        if not getattr(self, "handshake_failed", False):
            super().handle()

    def _reply(self, code: int, body: Any, ctype: str = "application/json",
               headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        api = self.owner
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        cert = None
        if isinstance(self.connection, ssl.SSLSocket):
            cert = self.connection.getpeercert() or None
        seen = Seen(self.command, parts.path, query, dict(self.headers.items()), body, cert,
                    list(self.headers.items()))
        api.seen.append(seen)
        for fault in list(api.faults):
            if fault.match(seen):
                fault.times -= 1
                if fault.times <= 0:
                    api.faults.remove(fault)
                if fault.action == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault.action == "delay":
                    time.sleep(fault.seconds)
                    break
                self._reply(fault.code, fault.body if fault.body is not None else
                            status(fault.code, "InternalError", "boom"), headers=fault.headers)
                return
        if api.token is not None and seen.header("Authorization") != f"Bearer {api.token}":
            self._reply(401, status(401, "Unauthorized", "Unauthorized"))
            return
        self._route(seen)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    # -- routes
    def _route(self, seen: Seen) -> None:
        api = self.owner
        path = seen.path.rstrip("/")
        if path == "/version":
            return self._reply(200, {"major": "1", "minor": "35", "gitVersion": "v1.35.2"})
        aggregated = api.aggregated and "apidiscovery.k8s.io" in (seen.header("Accept") or "")
        if path in ("/api", "/apis"):
            core = path == "/api"
            if aggregated:
                return self._reply(200, self._aggregated(core), ctype=(
                    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"))
            if core:
                return self._reply(200, {"kind": "APIVersions", "versions": ["v1"]})
            groups = sorted({(k.group, k.version) for k in api.kinds if k.group})
            return self._reply(200, {"kind": "APIGroupList", "groups": [
                {"name": g, "versions": [{"groupVersion": f"{g}/{v}", "version": v}]}
                for g, v in groups]})
        segs = path.strip("/").split("/")
        if segs[0] == "api":
            group, rest = "", segs[1:]
        elif segs[0] == "apis" and len(segs) >= 3:
            group, rest = segs[1], segs[2:]
        else:
            return self._reply(404, "404 page not found", ctype="text/plain")
        version, rest = rest[0], rest[1:]
        if not rest:
            kinds = [k for k in api.kinds if (k.group, k.version) == (group, version)]
            if not kinds:
                return self._reply(404, "404 page not found", ctype="text/plain")
            return self._reply(200, {"kind": "APIResourceList", "groupVersion": kinds[0].gv,
                                     "resources": [{"name": k.plural, "kind": k.kind,
                                                    "namespaced": k.namespaced}
                                                   for k in kinds]})
        ns = ""
        if rest[0] == "namespaces" and len(rest) >= 3:
            ns, rest = rest[1], rest[2:]
        kind = api.kind_for(group, version, rest[0])
        if kind is None:
            return self._reply(404, status(404, "NotFound",
                                           "the server could not find the requested resource"))
        name = rest[1] if len(rest) > 1 else ""
        if len(rest) > 2 and rest[2] == "log":
            return self._reply(200, api.logs.get(name, ""), ctype="text/plain")
        if not name:
            if seen.method == "GET" and seen.query.get("watch") == "true":
                return self._watch(kind, ns, seen)
            if seen.method == "GET":
                return self._list(kind, ns, seen)
            if seen.method == "POST":
                obj = json.loads(seen.body)
                oname = obj["metadata"]["name"]
                if (kind.plural, ns, oname) in api.objects:
                    return self._reply(409, status(409, "AlreadyExists",
                                                   f'{kind.plural} "{oname}" already exists'))
                if seen.query.get("dryRun") == "All":
                    return self._reply(201, obj)
                return self._reply(201, api.put(kind.plural, ns, obj))
            return self._reply(405, status(405, "MethodNotAllowed", "method not allowed"))
        key = (kind.plural, ns, name)
        cur = api.objects.get(key)
        missing = status(404, "NotFound", f'{kind.plural} "{name}" not found')
        missing["details"] = {"name": name, "kind": kind.plural}
        if seen.method == "GET":
            return self._reply(200, cur) if cur else self._reply(404, missing)
        if seen.method == "DELETE":
            if cur is None:
                return self._reply(404, missing)
            if seen.query.get("dryRun") != "All":
                api.put(kind.plural, ns, cur, "DELETED")
            return self._reply(200, {"kind": "Status", "apiVersion": "v1", "status": "Success"})
        if seen.method == "PUT":
            obj = json.loads(seen.body)
            if cur is None:
                return self._reply(404, missing)
            rv = obj.get("metadata", {}).get("resourceVersion")
            if rv and rv != cur["metadata"]["resourceVersion"]:
                return self._reply(409, status(409, "Conflict", (
                    f'Operation cannot be fulfilled on {kind.plural} "{name}": the object has '
                    "been modified; please apply your changes to the latest version and try "
                    "again")))
            return self._reply(200, api.put(kind.plural, ns, obj, "MODIFIED"))
        if seen.method == "PATCH":
            ctype = seen.header("Content-Type") or ""
            patch = json.loads(seen.body)
            if "apply-patch" in ctype:
                obj = patch
                typ = "MODIFIED" if cur else "ADDED"
            elif cur is None:
                return self._reply(404, missing)
            elif "merge-patch" in ctype:
                obj = _merge(cur, patch)
                typ = "MODIFIED"
            else:
                return self._reply(415, status(415, "UnsupportedMediaType", ctype))
            if seen.query.get("dryRun") == "All":
                return self._reply(200, obj)
            return self._reply(200, api.put(kind.plural, ns, obj, typ))
        return self._reply(405, status(405, "MethodNotAllowed", "method not allowed"))

    def _aggregated(self, core: bool) -> dict[str, Any]:
        groups: dict[str, dict[str, list[Kind]]] = {}
        for k in self.owner.kinds:
            if (k.group == "") == core:
                groups.setdefault(k.group, {}).setdefault(k.version, []).append(k)
        return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2",
                "items": [{"metadata": {"name": g}, "versions": [
                    {"version": v, "resources": [
                        {"resource": k.plural, "scope": "Namespaced" if k.namespaced else "Cluster",
                         "responseKind": {"group": k.group, "version": k.version, "kind": k.kind},
                         "verbs": ["get", "list"]} for k in ks]}
                    for v, ks in vs.items()]} for g, vs in groups.items()]}

    def _list(self, kind: Kind, ns: str, seen: Seen) -> None:
        api = self.owner
        items = [o for (p, n, _), o in sorted(api.objects.items())
                 if p == kind.plural and (not ns or n == ns) and _labels_match(o, seen)]
        start = int(seen.query.get("continue") or 0)
        limit = int(seen.query.get("limit") or 0)
        page = items[start:start + limit] if limit else items[start:]
        meta: dict[str, Any] = {"resourceVersion": str(api.rv)}
        if limit and start + limit < len(items):
            meta["continue"] = str(start + limit)
        self._reply(200, {"kind": f"{kind.kind}List", "apiVersion": kind.gv, "metadata": meta,
                          "items": page})

    def _watch(self, kind: Kind, ns: str, seen: Seen) -> None:
        api = self.owner
        since = int(seen.query.get("resourceVersion") or api.rv)
        deadline = time.monotonic() + float(seen.query.get("timeoutSeconds") or 5)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def chunk(data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        try:
            if since < api.compacted:
                chunk(json.dumps({"type": "ERROR", "object": status(
                    410, "Expired", f"too old resource version: {since} ({api.compacted})")}
                ).encode() + b"\n")
            else:
                while time.monotonic() < deadline:
                    with api.lock:
                        new = [e for e in api.events if e[0] > since and e[1] == kind.plural
                               and (not ns or e[3]["metadata"].get("namespace") == ns)]
                        if not new:
                            api.lock.wait(min(0.05, max(0.0, deadline - time.monotonic())))
                            continue
                    for rv, _, typ, obj in new:
                        since = rv
                        chunk(json.dumps({"type": typ, "object": obj}).encode() + b"\n")
            chunk(b"")
        except OSError:
            pass
        self.close_connection = True


def _labels_match(obj: dict[str, Any], seen: Seen) -> bool:
    selector = seen.query.get("labelSelector")
    if not selector:
        return True
    labels = obj.get("metadata", {}).get("labels") or {}
    for term in selector.split(","):
        k, _, v = term.partition("=")
        if labels.get(k) != v:
            return False
    return True


def _merge(cur: Any, patch: Any) -> Any:
    if not isinstance(patch, dict) or not isinstance(cur, dict):
        return patch
    out = dict(cur)
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = _merge(cur.get(k), v)
    return out
