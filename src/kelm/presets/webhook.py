"""``kelm preset serve``: the mutating admission webhook over HTTPS (stdlib only).

One thread per connection (HTTP/1.1 keep-alive, as the API server uses); the TLS
handshake runs in that thread so a slow client cannot stall the accept loop.  SIGTERM
stops accepting, lets in-flight reviews finish, closes idle connections and exits.
"""

from __future__ import annotations

import logging
import signal
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kelm.presets.admission import AdmissionHandler, Reply, error_reply
from kelm.presets.source import DirectorySource, Poller, PresetSource

log = logging.getLogger("kelm.presets.webhook")

MAX_REQUEST_BYTES = 4 * 1024 * 1024
MAX_CONNECTIONS = 512
_DRAIN_LIMIT = 64 * 1024 * 1024
HEALTH_PATHS = ("/healthz", "/readyz", "/livez")
MUTATE_PATHS = ("/mutate", "/")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kelm-podpreset"
    sys_version = ""
    server: WebhookServer
    busy = False

    def setup(self) -> None:
        self.request.settimeout(self.server.idle_timeout)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()
        self.server.track(self, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self, False)

    def parse_request(self) -> bool:
        self.busy = True
        return super().parse_request()

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        finally:
            self.busy = False
            if self.server.stopping.is_set():
                self.close_connection = True

    def do_GET(self) -> None:
        if self.path.split("?")[0] in HEALTH_PATHS:
            self._send(200, b"ok\n", "text/plain")
        else:
            self._send(404, b"not found\n", "text/plain")

    def do_POST(self) -> None:
        if self.path.split("?")[0] not in MUTATE_PATHS:
            self._drain(self._length() or 0)
            self._send(404, b"not found\n", "text/plain")
            return
        length = self._length()
        if length is None:
            self._reply(error_reply(411, "AdmissionReview needs a valid Content-Length"), close=True)
            return
        limit = self.server.max_request_bytes
        if length > limit:
            self._drain(length)
            self._reply(error_reply(413, f"AdmissionReview too large: {length} > {limit} bytes"))
            return
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True
            return
        self._reply(self.server.admission.handle(body))

    def _length(self) -> int | None:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return None
        return length if length >= 0 else None

    def _drain(self, length: int) -> None:
        if length > _DRAIN_LIMIT:
            self.close_connection = True
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                self.close_connection = True
                return
            length -= len(chunk)

    def _reply(self, reply: Reply, close: bool = False) -> None:
        if close:
            self.close_connection = True
        self._send(reply.status, reply.encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.address_string(), format % args)


class WebhookServer(ThreadingHTTPServer):
    """HTTPS server answering AdmissionReviews; ``port=0`` picks a free port."""

    daemon_threads = False  # server_close() waits for in-flight reviews
    block_on_close = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        admission: AdmissionHandler,
        address: tuple[str, int],
        *,
        certfile: str | Path | None,
        keyfile: str | Path | None,
        max_request_bytes: int = MAX_REQUEST_BYTES,
        idle_timeout: float = 30.0,
        max_connections: int = MAX_CONNECTIONS,
    ):
        self.admission = admission
        self.max_request_bytes = max_request_bytes
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self._active = 0
        self.stopping = threading.Event()
        self._conns: set[_Handler] = set()
        self._conns_lock = threading.Lock()
        self.ssl_context: ssl.SSLContext | None = None
        if certfile:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(str(certfile), str(keyfile) if keyfile else None)
            self.ssl_context = ctx
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = self.socket.accept()
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            full = self._active >= self.max_connections
            if not full:
                self._active += 1
        if full:  # one thread per connection: refuse rather than exhaust the process
            log.warning("connection limit %d reached, refusing %s", self.max_connections, client_address)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._conns_lock:
                self._active -= 1

    def track(self, handler: _Handler, alive: bool) -> None:
        with self._conns_lock:
            (self._conns.add if alive else self._conns.discard)(handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection from %s ended with an error", client_address, exc_info=True)

    def stop(self) -> None:
        """Graceful stop: no new connections, in-flight reviews finish, idle ones close.

        Must not run on the thread running ``serve_forever``.
        """
        self.stopping.set()
        self.shutdown()
        with self._conns_lock:
            idle = [h for h in self._conns if not h.busy]
        for handler in idle:
            try:  # plain socket shutdown: wakes a reader blocked on an idle keep-alive socket
                socket.socket.shutdown(handler.request, socket.SHUT_RD)
            except OSError:
                pass
        self.server_close()


def serve(
    presets_dir: str | Path,
    *,
    host: str = "0.0.0.0",
    port: int = 8443,
    certfile: str | Path | None,
    keyfile: str | Path | None,
    poll_interval: float = 2.0,
    default_namespace: str = "default",
    max_request_bytes: int = MAX_REQUEST_BYTES,
    max_connections: int = MAX_CONNECTIONS,
    source: PresetSource | None = None,
) -> None:
    """Run the webhook until SIGTERM/SIGINT (blocking)."""
    source = source or DirectorySource(presets_dir)
    admission = AdmissionHandler(source, default_namespace=default_namespace)
    server = WebhookServer(
        admission, (host, port), certfile=certfile, keyfile=keyfile,
        max_request_bytes=max_request_bytes, max_connections=max_connections,
    )
    poller = Poller(source, poll_interval).start()
    stopper: list[threading.Thread] = []

    def on_signal(signum: int, _frame: Any) -> None:
        if not stopper:
            log.info("received %s, shutting down", signal.Signals(signum).name)
            thread = threading.Thread(target=server.stop, name="shutdown")
            stopper.append(thread)
            thread.start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheme = "https" if server.ssl_context else "http"
    log.info(
        "serving %d preset(s) on %s://%s:%d (POST /mutate, GET /healthz)",
        len(source.presets()), scheme, host, server.port,
    )
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        for thread in stopper:
            thread.join()
        poller.stop()
        log.info("stopped")
