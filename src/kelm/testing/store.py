"""The object store: one resourceVersion counter, objects by resource and key, and the
change log that watch streams read."""

from __future__ import annotations

import bisect
import copy
import threading
from dataclasses import dataclass
from typing import Any

StoreKey = tuple[str, str]  # (group, plural)
ObjKey = tuple[str, str]  # (namespace, name)

_LOG_LIMIT = 20000


@dataclass(frozen=True)
class Event:
    rv: int
    key: StoreKey
    namespace: str
    type: str  # ADDED, MODIFIED, DELETED
    obj: dict[str, Any]
    old: dict[str, Any] | None = None  # the previous state of a MODIFIED object


class Store:
    """Thread-safe; every read returns copies so callers may mutate freely."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._rv = 1000
        self._data: dict[StoreKey, dict[ObjKey, dict[str, Any]]] = {}
        self._log: list[Event] = []
        self._log_rvs: list[int] = []
        self.closed = False
        # indexes for garbage collection: owner uid -> dependents, objects being deleted,
        # objects per namespace
        self._owned: dict[str, set[tuple[StoreKey, str, str]]] = {}
        self._deleting: set[tuple[StoreKey, str, str]] = set()
        self._per_ns: dict[str, int] = {}

    @property
    def resource_version(self) -> int:
        return self._rv

    @property
    def oldest_rv(self) -> int:
        """Watches from before this resourceVersion get 410 Gone."""
        with self.lock:
            return self._log_rvs[0] - 1 if self._log_rvs else self._rv

    def get(self, key: StoreKey, namespace: str, name: str) -> dict[str, Any] | None:
        with self.lock:
            obj = self._data.get(key, {}).get((namespace, name))
            return copy.deepcopy(obj) if obj is not None else None

    def objects(self, key: StoreKey, namespace: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            objs = self._data.get(key, {})
            keys = sorted(k for k in objs if namespace is None or k[0] == namespace)
            return [copy.deepcopy(objs[k]) for k in keys]

    def keys(self) -> list[StoreKey]:
        with self.lock:
            return [k for k, v in self._data.items() if v]

    def put(self, key: StoreKey, obj: dict[str, Any], event: str) -> dict[str, Any]:
        """Store ``obj`` (ADDED or MODIFIED) under a fresh resourceVersion; returns a copy."""
        with self.lock:
            self._rv += 1
            meta = obj.setdefault("metadata", {})
            meta["resourceVersion"] = str(self._rv)
            stored = copy.deepcopy(obj)
            ns = meta.get("namespace", "")
            bucket = self._data.setdefault(key, {})
            old = bucket.get((ns, meta["name"]))
            bucket[(ns, meta["name"])] = stored
            if old is not None:
                self._unindex(key, old)
            elif ns:
                self._per_ns[ns] = self._per_ns.get(ns, 0) + 1
            self._index(key, stored)
            self._record(Event(self._rv, key, ns, event, stored, old))
            return copy.deepcopy(stored)

    def remove(self, key: StoreKey, namespace: str, name: str) -> dict[str, Any] | None:
        with self.lock:
            obj = self._data.get(key, {}).pop((namespace, name), None)
            if obj is None:
                return None
            self._unindex(key, obj)
            if namespace:
                self._per_ns[namespace] -= 1
            self._rv += 1
            obj = copy.deepcopy(obj)
            obj["metadata"]["resourceVersion"] = str(self._rv)
            self._record(Event(self._rv, key, namespace, "DELETED", obj))
            return copy.deepcopy(obj)

    def _index(self, key: StoreKey, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        ident = (key, meta.get("namespace", ""), meta["name"])
        for ref in meta.get("ownerReferences") or ():
            if isinstance(ref, dict) and ref.get("uid"):
                self._owned.setdefault(str(ref["uid"]), set()).add(ident)
        if meta.get("deletionTimestamp"):
            self._deleting.add(ident)

    def _unindex(self, key: StoreKey, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        ident = (key, meta.get("namespace", ""), meta["name"])
        for ref in meta.get("ownerReferences") or ():
            if isinstance(ref, dict) and ref.get("uid"):
                deps = self._owned.get(str(ref["uid"]))
                if deps is not None:
                    deps.discard(ident)
                    if not deps:
                        del self._owned[str(ref["uid"])]
        self._deleting.discard(ident)

    def dependents(self, uid: str) -> list[tuple[StoreKey, dict[str, Any]]]:
        """Objects whose ownerReferences name ``uid``."""
        with self.lock:
            return [(k, copy.deepcopy(self._data[k][(ns, n)]))
                    for k, ns, n in sorted(self._owned.get(uid, ()))]

    def deleting(self) -> list[tuple[StoreKey, dict[str, Any]]]:
        """Objects with a deletionTimestamp (held by finalizers)."""
        with self.lock:
            return [(k, copy.deepcopy(self._data[k][(ns, n)])) for k, ns, n in sorted(self._deleting)]

    def namespace_empty(self, namespace: str) -> bool:
        with self.lock:
            return self._per_ns.get(namespace, 0) == 0

    def _record(self, ev: Event) -> None:
        self._log.append(ev)
        self._log_rvs.append(ev.rv)
        if len(self._log) > _LOG_LIMIT:
            drop = len(self._log) - _LOG_LIMIT // 2
            del self._log[:drop]
            del self._log_rvs[:drop]
        self.changed.notify_all()

    def events_after(self, rv: int, key: StoreKey) -> tuple[list[Event], int]:
        """Events of ``key`` newer than ``rv`` and the newest resourceVersion looked at."""
        with self.lock:
            i = bisect.bisect_right(self._log_rvs, rv)
            return [e for e in self._log[i:] if e.key == key], self._rv

    def wait(self, rv: int, timeout: float) -> None:
        """Block until something newer than ``rv`` happens, or ``timeout`` passes."""
        with self.changed:
            if self._rv <= rv and not self.closed:
                self.changed.wait(timeout)

    def poke(self) -> None:
        """Wake every waiter without a change (they re-check their own conditions)."""
        with self.changed:
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()
