"""Helm's ``memory`` driver: releases kept in this process, per namespace.

Each record is kept as its JSON text, so what is stored never changes behind the caller's
back and a release that cannot be encoded is not stored at all.  Query matches the system
labels (``name owner status version``), as Helm's in-memory records do.
"""

from __future__ import annotations

import builtins
import threading
from typing import TYPE_CHECKING

from kelm.release.errors import InvalidKey, ReleaseExists, ReleaseNotFound
from kelm.release.labels import split_key, system_labels
from kelm.release.model import Release

if TYPE_CHECKING:
    from collections.abc import Callable

DEFAULT_NAMESPACE = "default"


class _Record:
    __slots__ = ("text", "labels", "system")

    def __init__(self, rel: Release) -> None:
        self.text = rel.to_json()
        self.labels = dict(rel.labels)
        self.system = system_labels(rel.name, rel.status, rel.version)

    def release(self) -> Release:
        return Release.from_json(self.text, dict(self.labels))


class MemoryDriver:
    name = "Memory"

    def __init__(self, namespace: str = DEFAULT_NAMESPACE) -> None:
        self.namespace = namespace  # "" = every namespace (list and query)
        self._lock = threading.RLock()
        self._cache: dict[str, dict[str, _Record]] = {}  # namespace -> key -> record

    def _namespaces(self) -> builtins.list[str]:
        return [self.namespace] if self.namespace else sorted(self._cache)

    def get(self, key: str) -> Release:
        if split_key(key) is None:
            raise InvalidKey()
        with self._lock:
            rec = self._cache.get(self.namespace, {}).get(key)
            if rec is None:
                raise ReleaseNotFound()
            return rec.release()

    def list(self, keep: Callable[[Release], bool]) -> builtins.list[Release]:
        with self._lock:
            recs = [r for ns in self._namespaces() for r in self._cache.get(ns, {}).values()]
        return [rel for rel in (r.release() for r in recs) if keep(rel)]

    def query(self, labels: dict[str, str]) -> builtins.list[Release]:
        with self._lock:
            recs = [
                r
                for ns in self._namespaces()
                for r in self._cache.get(ns, {}).values()
                if all(r.system.get(k, "") == v for k, v in labels.items())
            ]
        if not recs:
            raise ReleaseNotFound()
        return [r.release() for r in recs]

    def create(self, key: str, rel: Release) -> None:
        rec = _Record(rel)  # encodes first: a failure stores nothing
        ns = rel.namespace or DEFAULT_NAMESPACE
        with self._lock:
            self.namespace = ns
            recs = self._cache.setdefault(ns, {})
            if key in recs:
                raise ReleaseExists()
            recs[key] = rec

    def update(self, key: str, rel: Release) -> None:
        rec = _Record(rel)
        ns = rel.namespace or DEFAULT_NAMESPACE
        with self._lock:
            self.namespace = ns
            recs = self._cache.get(ns)
            if recs is None or key not in recs:
                raise ReleaseNotFound()
            recs[key] = rec

    def delete(self, key: str) -> Release:
        if split_key(key) is None:
            raise InvalidKey()
        with self._lock:
            rec = self._cache.get(self.namespace, {}).pop(key, None)
        if rec is None:
            raise ReleaseNotFound()
        return rec.release()
