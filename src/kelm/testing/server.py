"""The HTTP/1.1 front: routing of Kubernetes REST paths to ``Api``, content negotiation,
list paging, Status bodies, faults and the request log (watch streams: ``watch.py``)."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kelm.testing import bodies, discovery, errors, protobuf, tables
from kelm.testing.api import Api, DeleteOptions, WriteOptions
from kelm.testing.errors import ApiError
from kelm.testing.faults import Faults, Request, RequestLog
from kelm.testing.openapi import OpenAPI
from kelm.testing.openapi import negotiate as openapi_negotiate
from kelm.testing.registry import ResourceType
from kelm.testing.watch import WatchMixin

MAX_BODY = 3 * 1024 * 1024
PROTOBUF = bodies.PROTOBUF
_PATCH_TYPES = bodies.PATCH_TYPES


class Backend:
    """What the handler needs from the cluster, shared by all connections."""

    def __init__(self, api: Api, openapi: OpenAPI, faults: Faults, log: RequestLog,
                 pod_log: Callable[[str, str, str], str]) -> None:
        self.api = api
        self.openapi = openapi
        self.faults = faults
        self.log = log
        self.pod_log = pod_log
        self.stopped = threading.Event()
        self.url = ""


class Handler(WatchMixin, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kelm-testing"
    # Headers and body in one write, and no Nagle delay: small responses otherwise wait
    # for the client's delayed ACK (~40 ms each).
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    backend: Backend  # set on the subclass the server builds

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return  # the request log is ``Cluster.requests``

    # ---------------------------------------------------------------- plumbing

    def _dispatch(self) -> None:
        start = time.monotonic()
        self._status = 0
        self._body: bytes | None = None
        self._warnings: list[str] = []
        url = urlsplit(self.path)
        self._query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        b = self.backend
        try:
            if b.faults.hang:
                b.faults.wait_hang(b.stopped)
            if b.faults.delay:
                time.sleep(b.faults.delay)
            if b.faults.take_drop():
                self._read_body(allow_missing=True)
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 1000\r\n\r\n{\"kind\":")
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                self._status = -1
                return
            code = b.faults.take_storm()
            if code:
                self._read_body(allow_missing=True)
                raise errors.injected(code)
            self._route(url.path)
        except ApiError as e:
            retry = (e.details or {}).get("retryAfterSeconds")
            self._send(e.code, json.dumps(e.status(), separators=(",", ":")).encode(),
                       "application/json", {"Retry-After": str(retry)} if retry else None)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # the emulator stays up whatever a request does
            self._send_json(500, errors.internal(f"{type(e).__name__}: {e}").status())
        finally:
            if self._body is None and not self.close_connection:
                try:  # an unread body would be taken for the next request on this connection
                    self._read_body(allow_missing=True)
                except ApiError:
                    self.close_connection = True
            b.log.add(Request(self.command, url.path, url.query, self._status,
                              time.monotonic() - start, self.headers.get("User-Agent", "")))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _dispatch

    def do_HEAD(self) -> None:
        self._send_json(405, errors.method_not_allowed().status())

    def _send(self, code: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        self._status = code
        self.send_response(code)
        if content_type:
            self.send_header("Content-Type", content_type)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        if "Cache-Control" not in (headers or {}):
            self.send_header("Cache-Control", "no-cache, private")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        for w in self._warnings:
            self.send_header("Warning", '299 - "' + w.replace('"', '\\"') + '"')
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_json(self, code: int, obj: Any, content_type: str = "application/json") -> None:
        self._send(code, json.dumps(obj, separators=(",", ":")).encode(), content_type)

    def _read_body(self, allow_missing: bool = False) -> bytes:
        if self._body is not None:
            return self._body
        te = self.headers.get("Transfer-Encoding", "")
        if "chunked" in te.lower():
            data = bytearray()
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                if len(data) + size > MAX_BODY:
                    self.close_connection = True
                    raise errors.too_large(MAX_BODY)
                data += self.rfile.read(size)
                self.rfile.readline()
            self._body = bytes(data)
            return self._body
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise errors.bad_request("invalid Content-Length") from None
        if n > MAX_BODY:
            self.close_connection = True
            raise errors.too_large(MAX_BODY)
        self._body = self.rfile.read(n) if n > 0 else b""
        if len(self._body) < n:
            self.close_connection = True
            raise errors.bad_request("the request body ended early")
        return self._body

    def _decode(self, kind: str = "object", t: ResourceType | None = None) -> Any:
        return bodies.decode(self._read_body(), self._content_type() or "application/json",
                             kind, t)

    # ---------------------------------------------------------------- routing

    def _route(self, path: str) -> None:
        b = self.backend
        segs = [s for s in path.split("/") if s]
        if path in ("/healthz", "/livez", "/readyz"):
            self._send(200, b"ok", "text/plain; charset=utf-8")
            return
        if path == "/version":
            self._send_json(200, discovery.VERSION)
            return
        if segs[:1] == ["openapi"]:
            self._openapi(segs[1:])
            return
        if self.command != "GET" and len(segs) <= 3 and segs[:1] in (["api"], ["apis"]) and not (
                segs[:1] == ["api"] and len(segs) == 3 or segs[:1] == ["apis"] and len(segs) > 3):
            raise errors.method_not_allowed()
        accept = self.headers.get("Accept", "")
        reg = b.api.registry
        if segs == ["api"]:
            media = discovery.wants_aggregated(accept)
            if media:
                self._send_json(200, discovery.aggregated(reg, True, media), media)
            else:
                self._send_json(200, discovery.api_versions(b.url))
            return
        if segs == ["apis"]:
            media = discovery.wants_aggregated(accept)
            if media:
                self._send_json(200, discovery.aggregated(reg, False, media), media)
            else:
                self._send_json(200, discovery.api_group_list(reg))
            return
        if segs[:1] == ["api"] and len(segs) >= 2:
            group, version, rest = "", segs[1], segs[2:]
        elif segs[:1] == ["apis"] and len(segs) >= 2:
            if len(segs) == 2:
                doc = discovery.api_group(reg, segs[1])
                if doc is None:
                    raise errors.path_not_found()
                self._send_json(200, doc)
                return
            group, version, rest = segs[1], segs[2], segs[3:]
        else:
            raise errors.path_not_found()
        if not rest:
            doc = discovery.resource_list(reg, group, version)
            if doc is None:
                raise errors.path_not_found()
            self._send_json(200, doc)
            return
        self._resource(group, version, rest)

    def _openapi(self, segs: list[str]) -> None:
        """kube-openapi's handlers: the v3 discovery document whatever the Accept header,
        v2 and v3 documents negotiated (a bare 406 otherwise), ``hash`` URLs of v3 immutable
        (a stale hash redirected to the current one), ``If-None-Match`` answered 304."""
        o = self.backend.openapi
        if segs == ["v3"]:
            root = o.v3_root()
            self._send_document(root, "application/json", o.etag(root), {})
            return
        if segs != ["v2"] and segs[:1] != ["v3"]:
            raise errors.path_not_found()
        served = openapi_negotiate(self.headers.get("Accept", ""), v2=segs == ["v2"])
        if served is None:
            self._send(406, b"", "", {"Vary": "Accept"})
            return
        headers = {"Vary": "Accept"}
        if segs == ["v2"]:
            doc = o.v2()
            self._send_document(doc if served == "application/json" else o.v2_protobuf(),
                                served, o.etag(doc), headers)
            return
        gv = "/".join(segs[1:])
        body = o.v3_doc(gv)
        if body is None:  # the handler returns without writing anything: an empty 200
            self._send(200, b"", "", headers)
            return
        etag = o.etag(body)
        wanted = self._query.get("hash")
        if wanted and wanted != etag:
            url = f"/openapi/v3/{gv}?hash={etag}"
            self._send(301, f'<a href="{url}">Moved Permanently</a>.\n\n'.encode(),
                       "text/html; charset=utf-8", {"Location": url, **headers})
            return
        if wanted:
            expires = time.gmtime(time.time() + 365 * 86400)
            headers.update({"Cache-Control": "public, immutable",
                            "Expires": time.strftime("%a, %d %b %Y %H:%M:%S UTC", expires)})
        self._send_document(body, served, etag, headers)

    def _send_document(self, body: bytes, content_type: str, etag: str,
                       headers: dict[str, str]) -> None:
        headers = {**headers, "Etag": f'"{etag}"'}
        if self.headers.get("If-None-Match") == f'"{etag}"':
            self._send(304, b"", "", headers)
            return
        self._send(200, body, content_type, headers)

    def _resource(self, group: str, version: str, rest: list[str]) -> None:
        reg = self.backend.api.registry
        watch = False
        if rest[0] == "watch":
            watch, rest = True, rest[1:]
        ns: str | None = None
        if len(rest) >= 3 and rest[0] == "namespaces":
            t = reg.get(group, version, rest[2])
            if t is not None and t.namespaced:
                ns, rest = rest[1], rest[2:]
        if not rest:
            raise errors.path_not_found()
        t = reg.get(group, version, rest[0])
        if t is None or len(rest) > 3:
            raise errors.path_not_found()
        if (t.namespaced and ns is None and len(rest) > 1) or (not t.namespaced and ns is not None):
            raise errors.path_not_found()
        name = rest[1] if len(rest) > 1 else ""
        sub = rest[2] if len(rest) > 2 else ""
        if sub and sub not in t.subresources:
            raise errors.path_not_found()
        if watch or self._query.get("watch") in ("true", "1"):
            if self.command != "GET":
                raise errors.method_not_allowed()
            self._watch(t, ns, name)
            return
        m = self.command
        if sub == "log":
            self._pod_log(t, ns or "", name)
        elif sub == "scale":
            self._scale(t, ns or "", name)
        elif not name:
            if m == "GET":
                self._list(t, ns)
            elif m == "POST" and (ns is not None or not t.namespaced):
                self._create(t, ns or "")
            elif m == "DELETE" and "deletecollection" in t.verbs:
                self._delete_collection(t, ns)
            else:
                raise errors.method_not_allowed()
        elif m == "GET":
            self._send_object(200, self.backend.api.get(t, ns or "", name))
        elif m == "PUT":
            self._update(t, ns or "", name, "" if sub == "finalize" else sub)
        elif m == "PATCH":
            self._patch(t, ns or "", name, sub)
        elif m == "DELETE" and not sub:
            self._delete(t, ns or "", name)
        else:
            raise errors.method_not_allowed()

    # ---------------------------------------------------------------- verbs

    def _write_options(self, t: ResourceType) -> WriteOptions:
        q = self._query
        dry = q.get("dryRun", "")
        if dry not in ("", "All"):
            raise errors.bad_request(f'dryRun: Unsupported value: "{dry}": supported values: "All"')
        fv = q.get("fieldValidation", "") or "Warn"
        if fv not in ("Strict", "Warn", "Ignore"):
            raise errors.bad_request(f'fieldValidation: Unsupported value: "{fv}": supported '
                                     'values: "Ignore", "Strict", "Warn"')
        manager = q.get("fieldManager", "")
        if not manager and self.command != "PATCH" or not manager and \
                self._content_type() != "application/apply-patch+yaml":
            ua = self.headers.get("User-Agent", "")
            manager = ua.split("/")[0] if ua else "unknown"
        if len(manager) > 128:
            raise errors.bad_request("fieldManager: Too long: may not be more than 128 bytes")
        opts = WriteOptions(dry_run=dry == "All", field_manager=manager, field_validation=fv,
                            force=q.get("force") in ("true", "1"), api_version=t.api_version)
        self._warnings = opts.warnings
        return opts

    def _content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def _send_object(self, code: int, obj: dict[str, Any]) -> None:
        accept = self.headers.get("Accept", "")
        if "as=Table" in accept:
            t = self.backend.api.registry.by_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
            if t is not None:
                self._send_json(code, tables.table(t, [obj], obj["metadata"].get("resourceVersion", ""),
                                                   self._query.get("includeObject", "")))
                return
        if "as=PartialObjectMetadata" in accept:
            obj = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                   "metadata": obj["metadata"]}
        self._send_json(code, obj)

    def _create(self, t: ResourceType, ns: str) -> None:
        opts = self._write_options(t)
        body = self._decode("object", t)
        obj = self.backend.api.create(t, ns, body, opts)
        self._send_object(201, obj)

    def _update(self, t: ResourceType, ns: str, name: str, sub: str) -> None:
        opts = self._write_options(t)
        body = self._decode("object", t)
        self._send_object(200, self.backend.api.update(t, ns, name, body, opts, sub))

    def _patch(self, t: ResourceType, ns: str, name: str, sub: str) -> None:
        ctype = self._content_type()
        ptype = _PATCH_TYPES.get(ctype)
        if ptype is None:
            self._read_body(allow_missing=True)
            raise ApiError(415, "UnsupportedMediaType",
                           f'the body of the request was in an unknown format - accepted media '
                           f'types include: {", ".join(_PATCH_TYPES)}', {})
        opts = self._write_options(t)
        body = self._decode("patch")
        existed = ptype != "apply" or self.backend.api.store.get(
            t.store_key, ns if t.namespaced else "", name) is not None
        obj = self.backend.api.patch(t, ns, name, ptype, body, opts, sub)
        self._send_object(200 if existed else 201, obj)

    def _delete_options(self) -> DeleteOptions:
        q = self._query
        raw = self._read_body(allow_missing=True)
        body: dict[str, Any] = {}
        if self._content_type() == PROTOBUF and raw:
            body = protobuf.decode(raw)
        elif raw.strip():
            try:
                parsed = json.loads(raw)
            except json.JSONDecodeError as e:
                raise errors.bad_request(bodies.go_json_error(raw.decode("utf-8", "replace"), e)) from None
            body = parsed if isinstance(parsed, dict) else {}
        prop = q.get("propagationPolicy") or body.get("propagationPolicy") or ""
        orphan = q.get("orphanDependents") or body.get("orphanDependents")
        if not prop:
            prop = "Orphan" if orphan in (True, "true") else "Background"
        if prop not in ("Foreground", "Background", "Orphan"):
            raise errors.bad_request(f'propagationPolicy: Unsupported value: "{prop}": supported '
                                     'values: "Foreground", "Background", "Orphan"')
        dry = q.get("dryRun") or body.get("dryRun") or ""
        if isinstance(dry, list):
            dry = dry[0] if dry else ""
        pre = body.get("preconditions") or {}
        return DeleteOptions(propagation=prop, dry_run=dry == "All",
                             precondition_uid=str(pre.get("uid") or ""),
                             precondition_rv=str(pre.get("resourceVersion") or ""))

    def _delete(self, t: ResourceType, ns: str, name: str) -> None:
        opts = self._delete_options()
        obj, gone = self.backend.api.delete(t, ns, name, opts)
        if not gone:
            self._send_object(202, obj)
            return
        details: dict[str, Any] = {"name": name}
        if t.group:
            details["group"] = t.group
        details["kind"] = t.plural
        details["uid"] = obj.get("metadata", {}).get("uid", "")
        self._send_json(200, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                              "status": "Success", "details": details})

    def _delete_collection(self, t: ResourceType, ns: str | None) -> None:
        opts = self._delete_options()
        items, _ = self.backend.api.list_objects(t, ns, self._query.get("labelSelector"),
                                         self._query.get("fieldSelector"))
        out = []
        for o in items:
            try:
                obj, _gone = self.backend.api.delete(t, o["metadata"].get("namespace", ""),
                                                     o["metadata"]["name"], opts)
                out.append(obj)
            except ApiError as e:
                if e.code != 404:
                    raise
        self._send_json(200, {"kind": t.kind + "List", "apiVersion": t.api_version,
                              "metadata": {"resourceVersion": str(self.backend.api.store.resource_version)},
                              "items": out})

    def _list(self, t: ResourceType, ns: str | None) -> None:
        q = self._query
        items, rv = self.backend.api.list_objects(t, ns, q.get("labelSelector"), q.get("fieldSelector"))
        meta: dict[str, Any] = {"resourceVersion": str(rv)}
        token = q.get("continue", "")
        if token:
            try:
                start = json.loads(base64.urlsafe_b64decode(token.encode()))["start"]
            except Exception:
                raise errors.bad_request("continue key is not valid: invalid continue token") from None
            items = [o for o in items if [o["metadata"].get("namespace", ""), o["metadata"]["name"]] > start]
        limit = q.get("limit", "")
        if limit:
            try:
                n = int(limit)
            except ValueError:
                raise errors.bad_request(f'limit: Invalid value: "{limit}"') from None
            if 0 < n < len(items):
                last = items[n - 1]["metadata"]
                key = [last.get("namespace", ""), last["name"]]
                meta["continue"] = base64.urlsafe_b64encode(
                    json.dumps({"rv": rv, "start": key}).encode()).decode()
                meta["remainingItemCount"] = len(items) - n
                items = items[:n]
        accept = self.headers.get("Accept", "")
        if "as=Table" in accept:
            doc = tables.table(t, items, str(rv), q.get("includeObject", ""))
            doc["metadata"].update({k: v for k, v in meta.items() if k != "resourceVersion"})
            self._send_json(200, doc)
            return
        if "as=PartialObjectMetadataList" in accept:
            self._send_json(200, {"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1",
                                  "metadata": meta, "items": [
                                      {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                       "metadata": o["metadata"]} for o in items]})
            return
        self._send_json(200, {"kind": t.kind + "List", "apiVersion": t.api_version,
                              "metadata": meta, "items": items})

    def _pod_log(self, t: ResourceType, ns: str, name: str) -> None:
        pod = self.backend.api.get(t, ns, name)
        container = self._query.get("container", "")
        if not container:
            cs = (pod.get("spec") or {}).get("containers") or []
            if len(cs) == 1:
                container = cs[0].get("name", "")
            elif cs:
                names = " ".join(c.get("name", "") for c in cs)
                raise errors.bad_request(f"a container name must be specified for pod {name}, "
                                         f"choose one of: [{names}]")
        self._send(200, self.backend.pod_log(ns, name, container).encode(), "text/plain")

    def _scale(self, t: ResourceType, ns: str, name: str) -> None:
        api = self.backend.api

        def scale_of(obj: dict[str, Any]) -> dict[str, Any]:
            m = obj["metadata"]
            sel = ((obj.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
            return {"kind": "Scale", "apiVersion": "autoscaling/v1",
                    "metadata": {k: m[k] for k in ("name", "namespace", "uid", "resourceVersion",
                                                   "creationTimestamp") if k in m},
                    "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 0)},
                    "status": {"replicas": (obj.get("status") or {}).get("replicas", 0),
                               "selector": ",".join(f"{k}={v}" for k, v in sel.items())}}
        obj = api.get(t, ns, name)
        if self.command == "GET":
            self._send_json(200, scale_of(obj))
            return
        if self.command not in ("PUT", "PATCH"):
            raise errors.method_not_allowed()
        opts = self._write_options(t)
        body = self._decode("patch" if self.command == "PATCH" else "object")
        cur = scale_of(obj)
        if self.command == "PUT":
            new = body
        else:
            from kelm.testing import patch as _patch

            ptype = _PATCH_TYPES.get(self._content_type(), "merge")
            new = _patch.json_patch(cur, body) if ptype == "json" else _patch.merge_patch(cur, body)
        replicas = ((new or {}).get("spec") or {}).get("replicas")
        if not isinstance(replicas, int):
            raise errors.bad_request("Scale.spec.replicas must be an integer")
        obj.setdefault("spec", {})["replicas"] = replicas
        out = api.update(t, ns, name, obj, opts, "scale")
        self._send_json(200, scale_of(out))

    # ---------------------------------------------------------------- watch

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that went away is not an emulator error


def make_server(backend: Backend, host: str = "127.0.0.1", port: int = 0) -> Server:
    handler = type("BoundHandler", (Handler,), {"backend": backend})
    return Server((host, port), handler)
