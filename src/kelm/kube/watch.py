"""A watch that survives: reconnects from the last resourceVersion, re-lists on 410 Gone.

The server ends each watch after ``timeoutSeconds``; the watcher opens the next one from the
last resourceVersion it saw (an event's or a bookmark's).  When that version has been
compacted away (``410 Gone``, as an HTTP answer or an ERROR event) it lists again and reports
what changed meanwhile as ADDED/MODIFIED/DELETED, so a caller never misses a state.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any, Protocol

from kelm.kube.discovery import Resource
from kelm.kube.errors import Gone, KubeError, error_from_status
from kelm.kube.transport import import_httpx


class WatchSource(Protocol):
    """What a watch needs of :class:`kelm.kube.client.Client` (which creates watchers: typed
    here so that this module does not import the client back)."""

    def list_with_version(self, api_version: str, kind: str, namespace: str | None = None,
                          label_selector: str | None = None, field_selector: str | None = None,
                          limit: int | None = None) -> tuple[list[dict[str, Any]], str]: ...

    def resource_for(self, api_version: str, kind: str) -> Resource: ...

    def _ns(self, res: Resource, namespace: str | None,
            obj: dict[str, Any] | None = None) -> str: ...

    def _send(self, method: str, path: str, *, params: dict[str, Any] | None = None,
              body: bytes | None = None, content_type: str | None = None,
              accept: str = "application/json", idempotent: bool = True,
              stream: bool = False, read_timeout: float | None = None) -> Any: ...

SERVER_TIMEOUT = 300  # seconds per watch request when the caller sets no deadline
MAX_FAILURES = 5  # consecutive broken watch connections before giving up


def _key(obj: dict[str, Any]) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def _rv(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("resourceVersion") or "")


class Watcher:
    def __init__(self, client: WatchSource, api_version: str, kind: str, namespace: str | None,
                 label_selector: str | None, field_selector: str | None,
                 resource_version: str | None, timeout: float | None) -> None:
        self.client = client
        self.api_version, self.kind = api_version, kind
        self.namespace = namespace
        self.label_selector, self.field_selector = label_selector, field_selector
        self.rv = resource_version
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.known: dict[tuple[str, str], dict[str, Any]] = {}

    def _remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def _relist(self) -> Iterator[tuple[str, dict[str, Any]]]:
        items, self.rv = self.client.list_with_version(
            self.api_version, self.kind, self.namespace, self.label_selector, self.field_selector)
        fresh = {_key(i): i for i in items}
        for key, obj in fresh.items():
            old = self.known.get(key)
            if old is None:
                yield "ADDED", obj
            elif _rv(old) != _rv(obj):
                yield "MODIFIED", obj
        for key, obj in self.known.items():
            if key not in fresh:
                yield "DELETED", obj
        self.known = fresh

    def events(self) -> Iterator[tuple[str, dict[str, Any]]]:
        httpx = import_httpx()

        if self.rv is None:
            yield from self._relist()
        client = self.client
        res = client.resource_for(self.api_version, self.kind)
        ns = "" if self.namespace == "" else client._ns(res, self.namespace)
        path = res.collection_path(ns)
        failures = 0
        while True:
            remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                return
            server_timeout = SERVER_TIMEOUT if remaining is None else max(1, int(remaining + 0.999))
            params = {"watch": "true", "allowWatchBookmarks": "true", "resourceVersion": self.rv,
                      "timeoutSeconds": str(server_timeout),
                      "labelSelector": self.label_selector or None,
                      "fieldSelector": self.field_selector or None}
            read_timeout = server_timeout + 5.0
            if remaining is not None:
                read_timeout = min(read_timeout, remaining + 0.05)
            try:
                resp = client._send("GET", path, params=params, stream=True,
                                    read_timeout=max(0.05, read_timeout))
            except Gone:
                yield from self._relist()
                continue
            gone = False
            opened, lines = time.monotonic(), 0
            try:
                for line in resp.iter_lines():
                    if not line.strip():
                        continue
                    try:
                        event = json.loads(line)
                    except ValueError:
                        raise KubeError(f'watch of {res.plural}: the server sent a line that '
                                        "is not JSON") from None
                    failures, lines = 0, lines + 1
                    typ, obj = str(event.get("type") or ""), event.get("object") or {}
                    if typ == "ERROR":
                        err = error_from_status(obj)
                        if isinstance(err, Gone):
                            gone = True
                            break
                        raise err
                    if _rv(obj):
                        self.rv = _rv(obj)
                    if typ == "BOOKMARK":
                        continue
                    if typ == "DELETED":
                        self.known.pop(_key(obj), None)
                    else:
                        self.known[_key(obj)] = obj
                    yield typ, obj
                    remaining = self._remaining()
                    if remaining is not None and remaining <= 0:
                        return
            except httpx.TimeoutException:
                pass  # silence past the read timeout: the deadline check above decides
            except httpx.HTTPError as e:
                failures += 1
                if failures >= MAX_FAILURES:
                    from kelm.kube.transport import unreachable

                    raise unreachable("GET", resp.request.url, e) from None
                time.sleep(min(1.0, 0.05 * 2 ** failures))
            finally:
                resp.close()
            if gone:
                yield from self._relist()
            elif lines == 0 and time.monotonic() - opened < 1.0:
                failures += 1  # closed at once: do not spin against a broken server
                time.sleep(min(1.0, 0.05 * 2 ** failures))



