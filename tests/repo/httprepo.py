"""A chart repository on loopback for tests: a directory served over HTTP(S) by a thread.

``serve(root)`` yields a :class:`ChartServer` whose ``url`` is ``http://127.0.0.1:PORT``; it
records each request (path, Authorization header, Host) and can misbehave on purpose for the
hostile-server tests: ``need_auth``, ``routes`` (path -> handler taking the request handler),
e.g. :func:`trickle`, :func:`hang`, :func:`redirect_to`.  ``charts(...)`` builds archives and
an index with kelm (``package_chart``) or with the oracle's helm (``helm package`` /
``helm repo index``).

Helpers G and H may import this module.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]
USER, PASSWORD = "user", "secret"
AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


class ChartServer:
    """A chart repository on 127.0.0.1: its files, the requests it saw."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[tuple[str, str, str]] = []  # path, Authorization, Host
        self.need_auth = False
        self.routes: dict[str, Handler] = {}
        self.url = ""
        self.port = 0
        self.stop = threading.Event()

    def paths(self) -> list[str]:
        return [p for p, _, _ in self.requests]

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        server = self

        class Quiet(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                auth = self.headers.get("Authorization") or ""
                path = self.path.split("?", 1)[0]
                server.requests.append((path, auth, self.headers.get("Host") or ""))
                if server.need_auth and auth != AUTH:
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                route = server.routes.get(path)
                if route is not None:
                    route(self)
                    return
                f = server.root / path.lstrip("/")
                if not f.is_file():
                    body = b"404 page not found\n"
                    self.send_response(404, "File not found")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                data = f.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Quiet


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (a timeout test, a refused download) is no news


@contextlib.contextmanager
def serve(root: Path, tls: ssl.SSLContext | None = None) -> Iterator[ChartServer]:
    """Serve ``root`` on a free loopback port until the block ends."""
    repo = ChartServer(root)
    server = _Server(("127.0.0.1", 0), repo.handler())
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    repo.port = server.server_address[1]
    repo.url = f"{'https' if tls is not None else 'http'}://127.0.0.1:{repo.port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield repo
    finally:
        repo.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -- misbehaviour -----------------------------------------------------------------------------


def trickle(stop: threading.Event, every: float = 0.2, chunk: bytes = b"#") -> Handler:
    """A 200 answer whose body never ends: one byte each ``every`` seconds."""

    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(10**9))
        h.end_headers()
        h.wfile.write(b"apiVersion: v1\nentries: {}\n")
        while not stop.wait(every):
            try:
                h.wfile.write(chunk)
                h.wfile.flush()
            except OSError:
                return

    return handle


def hang(stop: threading.Event) -> Handler:
    """Never answer (until the server stops)."""

    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        stop.wait(60)

    return handle


def redirect_to(location: str, status: int = 302) -> Handler:
    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return handle


def body(data: bytes, status: int = 200) -> Handler:
    def handle(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    return handle


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- charts -----------------------------------------------------------------------------------

CHARTS = (("web", "0.1.0", "A web chart for tests"), ("web", "0.2.0", "A web chart for tests"),
          ("web", "1.0.0-rc.1", "A web chart for tests"), ("db", "0.1.0", "A database"))


def write_chart(src: Path, name: str, version: str, description: str,
                keywords: tuple[str, ...] = ()) -> Path:
    """A small chart directory (one ConfigMap template)."""
    d = src / f"{name}-{version}" / name
    (d / "templates").mkdir(parents=True, exist_ok=True)
    kw = "".join(f"- {k}\n" for k in keywords)
    (d / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: \"1.16.0\"\n"
        f"description: {description}\n" + (f"keywords:\n{kw}" if kw else ""))
    (d / "values.yaml").write_text("greeting: hello\n")
    (d / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n"
        "data:\n  version: {{ .Chart.Version | quote }}\n  greeting: {{ .Values.greeting }}\n")
    return d


def charts(root: Path, tool: str = "kelm", charts: tuple[tuple[str, str, str], ...] = CHARTS,
           url: str = "") -> Path:
    """Chart archives in ``root`` and their index.yaml, made by ``tool`` ("kelm" or the path
    of a helm binary); returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    src = root.parent / (root.name + "-src")
    for name, version, description in charts:
        d = write_chart(src, name, version, description)
        if tool == "kelm":
            from kelm.action.package import PackageOptions, package_chart

            package_chart(str(d), PackageOptions(destination=str(root)))
        else:
            subprocess.run([tool, "package", str(d), "-d", str(root)], check=True,
                           capture_output=True, timeout=60)
    shutil.rmtree(src, ignore_errors=True)
    index(root, tool, url)
    return root


def index(root: Path, tool: str = "kelm", url: str = "") -> None:
    extra = ["--url", url] if url else []
    if tool == "kelm":
        from kelm.action.repo import index as kelm_index

        kelm_index(str(root), url)
    else:
        subprocess.run([tool, "repo", "index", str(root), *extra], check=True,
                       capture_output=True, timeout=60)


def helm_env(home: Path) -> dict[str, str]:
    """The environment for a helm (or kelm subprocess) with its own config and caches."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HELM_", "KELM_")) and k.lower() not in (
               "http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env.update(HELM_CONFIG_HOME=str(home / "config"), HELM_CACHE_HOME=str(home / "cache"),
               HELM_DATA_HOME=str(home / "data"))
    return env


def isolate(tmp: Path, monkeypatch: object) -> Path:
    """Point this process's HELM_* homes at ``tmp/home`` (for in-process ``kelm`` runs):
    no proxies, no inherited HELM_/KELM_ settings, 20 s download timeout."""
    mp: Any = monkeypatch
    for k in list(os.environ):
        if k.startswith(("HELM_", "KELM_")) or k.lower() in ("http_proxy", "https_proxy",
                                                               "all_proxy"):
            mp.delenv(k, raising=False)
    home = tmp / "home"
    mp.setenv("HELM_CONFIG_HOME", str(home / "config"))
    mp.setenv("HELM_CACHE_HOME", str(home / "cache"))
    mp.setenv("HELM_DATA_HOME", str(home / "data"))
    mp.setenv("KELM_HTTP_TIMEOUT", "20")
    return home


def plain_helm() -> str:
    """The oracle's helm without ``helm-isolated``'s fixed homes (tests give it their own
    HELM_CONFIG_HOME/HELM_CACHE_HOME through :func:`helm_env`)."""
    from tests.shared import HELM

    return str(Path(str(HELM)).parent / "helm")


def wait_until(cond: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


__all__ = ["AUTH", "isolate", "CHARTS", "ChartServer", "PASSWORD", "USER", "body", "charts", "free_port",
           "hang", "helm_env", "index", "plain_helm", "redirect_to", "serve", "trickle", "wait_until",
           "write_chart"]
