"""A loopback HTTP endpoint that answers ``GET /version`` and discovery like a Kubernetes
API server (version, discovery of ConfigMap and Service, and nothing else).

Helm checks that a cluster answers before any release command, even when its storage is
PostgreSQL; the sql driver tests give it this instead of a cluster.  Any other request is a
404 Status, so Helm sees no objects of the release (status and get still print it from storage).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = {"major": "1", "minor": "35", "gitVersion": "v1.35.2", "platform": "linux/amd64"}
# discovery of a server with the core group and two kinds: Helm maps a release's manifest to
# types for status/get, and install asks for discovery even with no manifests
ANSWERS = {
    "/version": VERSION,
    "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        {"name": n, "singularName": n[:-1], "namespaced": True, "kind": k, "verbs": ["get"]}
        for n, k in (("configmaps", "ConfigMap"), ("services", "Service"))
    ]},
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _send(self, code: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        answer = ANSWERS.get(self.path.split("?")[0])
        if answer is not None:
            self._send(200, answer)
        else:
            self._send(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                             "message": f"{self.path} is not served here", "code": 404,
                             "reason": "NotFound"})

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def version_api() -> Iterator[str]:
    """The endpoint's ``http://127.0.0.1:PORT``, served until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        t.join(timeout=10)
