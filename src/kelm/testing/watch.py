"""Watch streams: chunked JSON events from a resourceVersion (or the current state), with
selectors, Table events, the initial-events bookmark, 410 for a compacted version and the
cut-watches fault. A mixin of the request handler."""

from __future__ import annotations

import json
import socket
import time
from typing import TYPE_CHECKING, Any

from kelm.testing import errors, tables
from kelm.testing.registry import ResourceType
from kelm.testing.selectors import field_selector, label_selector


def seen_as(event: str, now_matches: bool, matched_before: bool) -> str:
    """The event a filtered watch reports: an object entering the selection is ADDED, one
    leaving it DELETED (as the real server's watch cache does); '' for none."""
    if event == "MODIFIED":
        if now_matches:
            return "MODIFIED" if matched_before else "ADDED"
        return "DELETED" if matched_before else ""
    return event if now_matches else ""


class WatchMixin:
    """Needs the handler's ``backend``, ``_query``, ``headers``, ``wfile`` and friends."""

    backend: Any
    _query: dict[str, str]
    headers: Any
    wfile: Any
    connection: Any
    close_connection: bool
    _status: int

    if TYPE_CHECKING:  # provided by BaseHTTPRequestHandler (a stub here would shadow them)
        def send_response(self, code: int, message: str | None = None) -> None: ...
        def send_header(self, keyword: str, value: str) -> None: ...
        def end_headers(self) -> None: ...

    def _watch(self, t: ResourceType, ns: str | None, name: str) -> None:
        api, store = self.backend.api, self.backend.api.store
        q = self._query
        lmatch = label_selector(q.get("labelSelector"))
        fmatch = field_selector(q.get("fieldSelector"))

        def wanted(obj: dict[str, Any]) -> bool:
            m = obj.get("metadata", {})
            if ns is not None and t.namespaced and m.get("namespace") != ns:
                return False
            if name and m.get("name") != name:
                return False
            return lmatch(m.get("labels") or {}) and fmatch(obj)
        try:
            timeout = float(q.get("timeoutSeconds") or 1800)
        except ValueError:
            raise errors.bad_request("timeoutSeconds: invalid value") from None
        deadline = time.monotonic() + min(timeout, 3600)
        rv_param = q.get("resourceVersion", "")
        initial = q.get("sendInitialEvents") == "true"
        epoch = self.backend.faults.watch_epoch
        with store.lock:
            if rv_param in ("", "0") or initial:
                items, rv = api.list_objects(t, ns)
                first = [("ADDED", o) for o in items if wanted(o)]
            else:
                try:
                    rv = int(rv_param)
                except ValueError:
                    raise errors.bad_request(f'resourceVersion: Invalid value: "{rv_param}"') from None
                if rv < store.oldest_rv:
                    first, rv = [], -1
                else:
                    first = []
        self._status = 200
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache, private")
        self.end_headers()
        if rv < 0:
            err = errors.gone(f"too old resource version: {rv_param} ({store.oldest_rv})")
            self._chunk({"type": "ERROR", "object": err.status()})
            self._end_chunks()
            return
        as_table = "as=Table" in self.headers.get("Accept", "")
        include = q.get("includeObject", "")
        sent_columns = False

        def shaped(obj: dict[str, Any]) -> dict[str, Any]:
            """A Table of one row when kubectl asks for tables (columns in the first only)."""
            nonlocal sent_columns
            if not as_table:
                return obj
            doc = tables.table(t, [obj], obj["metadata"].get("resourceVersion", ""), include)
            if sent_columns:
                doc["columnDefinitions"] = []
            sent_columns = True
            return doc
        for typ, o in first:
            self._chunk({"type": typ, "object": shaped(o)})
        if initial:
            self._chunk({"type": "BOOKMARK", "object": {
                "kind": t.kind, "apiVersion": t.api_version,
                "metadata": {"resourceVersion": str(rv),
                             "annotations": {"k8s.io/initial-events-end": "true"}}}})
        self.wfile.flush()
        while not self.backend.stopped.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if self.backend.faults.watch_epoch != epoch:  # injected: cut mid-stream
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            store.wait(rv, min(left, 1.0))
            if store.closed:
                break
            events, rv = store.events_after(rv, t.store_key)
            for ev in events:
                typ = seen_as(ev.type, wanted(ev.obj), ev.old is not None and wanted(ev.old))
                if typ:
                    obj = dict(ev.obj)
                    obj["apiVersion"], obj["kind"] = t.api_version, t.kind
                    self._chunk({"type": typ, "object": shaped(obj)})
            if events:
                self.wfile.flush()
        self._end_chunks()

    def _chunk(self, event: dict[str, Any]) -> None:
        data = json.dumps(event, separators=(",", ":")).encode() + b"\n"
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def _end_chunks(self) -> None:
        try:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            self.close_connection = True


