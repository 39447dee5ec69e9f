"""``Cluster``: the emulator as a test uses it (start, kubeconfig, assertions, knobs)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kelm.testing import kubeconfig as _kubeconfig
from kelm.testing.api import Api, DeleteOptions, WriteOptions
from kelm.testing.crds import CrdController
from kelm.testing.faults import Faults, RequestLog
from kelm.testing.openapi import OpenAPI
from kelm.testing.registry import Registry, ResourceType
from kelm.testing.server import Backend, make_server
from kelm.testing.simulator import Behavior, Simulator
from kelm.testing.store import Store
from kelm.testing.tls import self_signed


class Cluster:
    """An in-process Kubernetes API server on 127.0.0.1. Not a cluster: see docs/testing.md."""

    def __init__(self, *, tls: bool = False, kubeconfig: str | Path | None = None,
                 port: int = 0, cert_hosts: list[str] | None = None,
                 namespaces: tuple[str, ...] = ("default", "kube-system", "kube-public",
                                                "kube-node-lease"),
                 simulate: bool = True) -> None:
        self.registry = Registry()
        self.store = Store()
        self.api = Api(self.registry, self.store)
        self.openapi = OpenAPI(self.registry)
        self._crds = CrdController(self.api, self.openapi.invalidate)
        self.faults = Faults()
        self.faults.on_cut.append(self.store.poke)
        self.requests = RequestLog()
        self._logs: dict[tuple[str, str, str], str] = {}
        self.simulator = Simulator(self.api, enabled=simulate)
        self._backend = Backend(self.api, self.openapi, self.faults, self.requests, self._pod_log)
        self._tmp = Path(tempfile.mkdtemp(prefix="kelm-testing-"))
        self.ca_pem: bytes | None = None
        self._httpd = make_server(self._backend, "127.0.0.1", port)
        host, real_port = str(self._httpd.server_address[0]), self._httpd.server_address[1]
        scheme = "http"
        if tls:
            pair = self_signed(cert_hosts if cert_hosts is not None else ["127.0.0.1", "localhost"])
            (self._tmp / "tls.crt").write_bytes(pair.cert_pem)
            (self._tmp / "tls.key").write_bytes(pair.key_pem)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self._tmp / "tls.crt", self._tmp / "tls.key")
            self._httpd.socket = ctx.wrap_socket(self._httpd.socket, server_side=True,
                                                 do_handshake_on_connect=False)
            self.ca_pem = pair.cert_pem
            scheme = "https"
        self.port = int(real_port)
        self.url = f"{scheme}://{host}:{self.port}"
        self._backend.url = self.url
        self.kubeconfig_path = Path(kubeconfig) if kubeconfig else self._tmp / "kubeconfig"
        _kubeconfig.write(self.kubeconfig_path, self.url, self.ca_pem)
        for ns in namespaces:
            self.api.ensure_namespace(ns)
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> Cluster:
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True,
                                        name="kelm-testing-server")
        self._thread.start()
        self.simulator.start()
        return self

    def stop(self) -> None:
        self._backend.stopped.set()
        self.store.close()
        self.simulator.stop()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self if self._thread is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def context(self) -> str:
        return _kubeconfig.CONTEXT

    def env(self) -> dict[str, str]:
        """Environment variables that point kubectl and helm at this cluster."""
        return {"KUBECONFIG": str(self.kubeconfig_path)}

    @staticmethod
    def unreachable_url() -> str:
        """A loopback URL nothing listens on (connection refused)."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return f"http://127.0.0.1:{port}"

    # ---------------------------------------------------------------- objects

    def resource(self, kind: str, api_version: str | None = None) -> ResourceType:
        t = self.registry.by_kind(api_version, kind) if api_version else self.registry.find(kind)
        if t is None:
            raise KeyError(f"kelm.testing: no resource type {kind!r}"
                           + (f" in {api_version}" if api_version else ""))
        return t

    def get(self, kind: str, name: str, namespace: str = "default",
            api_version: str | None = None) -> dict[str, Any] | None:
        """The stored object, or None."""
        t = self.resource(kind, api_version)
        obj = self.store.get(t.store_key, namespace if t.namespaced else "", name)
        if obj is not None:
            obj["apiVersion"], obj["kind"] = t.api_version, t.kind
        return obj

    def wait_for(self, kind: str, name: str, until: Callable[[dict[str, Any]], Any],
                 namespace: str = "default", timeout: float = 5.0) -> dict[str, Any]:
        """The object once ``until(obj)`` is true (the simulator works in the background);
        TimeoutError after ``timeout`` seconds. Wakes on every store change, no polling."""
        deadline = time.monotonic() + timeout
        while True:
            rv = self.store.resource_version
            obj = self.get(kind, name, namespace)
            if obj is not None and until(obj):
                return obj
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"kelm.testing: {kind} {namespace}/{name} did not reach the "
                                   f"condition in {timeout}s (now: {obj and obj.get('status')})")
            self.store.wait(rv, min(left, 0.5))

    def objects(self, kind: str, namespace: str | None = None, labels: str | None = None,
                api_version: str | None = None) -> list[dict[str, Any]]:
        items, _ = self.api.list_objects(self.resource(kind, api_version), namespace, labels)
        return items

    def create(self, obj: dict[str, Any], namespace: str = "default") -> dict[str, Any]:
        t = self.resource(obj["kind"], obj.get("apiVersion"))
        ns = (obj.get("metadata") or {}).get("namespace") or namespace
        return self.api.create(t, ns, obj, WriteOptions(field_manager="kelm-testing"))

    def apply(self, obj: dict[str, Any], namespace: str = "default", *,
              manager: str = "kelm-testing", force: bool = True) -> dict[str, Any]:
        t = self.resource(obj["kind"], obj.get("apiVersion"))
        ns = (obj.get("metadata") or {}).get("namespace") or namespace
        return self.api.patch(t, ns, obj["metadata"]["name"], "apply", obj,
                              WriteOptions(field_manager=manager, force=force))

    def delete(self, kind: str, name: str, namespace: str = "default",
               propagation: str = "Background") -> None:
        self.api.delete(self.resource(kind), namespace, name, DeleteOptions(propagation=propagation))

    # ---------------------------------------------------------------- knobs

    def set_behavior(self, kind: str, name: str, namespace: str = "default", *,
                     ready: bool = True, fail: bool = False, delay: float = 0.0) -> None:
        """How the status simulator treats one object: never ready, failing, or ready only
        after ``delay`` seconds. Set before or after the object exists."""
        t = self.resource(kind)
        self.simulator.set_behavior(t, namespace if t.namespaced else "", name,
                                    Behavior(ready=ready, fail=fail, delay=delay))

    def set_pod_logs(self, pod: str, text: str, namespace: str = "default",
                     container: str = "") -> None:
        self._logs[(namespace, pod, container)] = text

    def _pod_log(self, namespace: str, pod: str, container: str) -> str:
        return self._logs.get((namespace, pod, container), self._logs.get((namespace, pod, ""), ""))


@contextlib.contextmanager
def cluster(*, tls: bool = False, kubeconfig: str | Path | None = None,
            **kwargs: Any) -> Iterator[Cluster]:
    """``with kelm.testing.cluster() as c:`` — a running emulator, stopped on exit."""
    c = Cluster(tls=tls, kubeconfig=kubeconfig, **kwargs).start()
    try:
        yield c
    finally:
        c.stop()
