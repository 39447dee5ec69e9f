"""apiVersion + kind -> resource (plural, scope), from the server's discovery documents.

Aggregated discovery (``apidiscovery.k8s.io/v2``, two requests for everything) is used where
the server offers it, the legacy per-group-version documents otherwise (fetched one
group-version at a time, as a lookup needs them).  What was learnt is cached on disk per
server, like kubectl's discovery cache, for :data:`CACHE_TTL` seconds; a kind the cache does
not know triggers one fresh discovery (a CRD created since), so new CRDs are found.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kelm.kube.errors import KubeError, NotFound

CACHE_TTL = 6 * 3600  # kubectl's discovery cache lifetime
AGGREGATED_ACCEPT = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
    "application/json"
)


@dataclass(frozen=True)
class Resource:
    """One REST resource: where objects of a kind live and whether they are namespaced."""

    group: str
    version: str
    plural: str
    namespaced: bool
    kind: str

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def collection_path(self, namespace: str | None) -> str:
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{namespace}"
        return f"{base}/{self.plural}"


class NoMatch(KubeError):
    """The server knows no resource for this apiVersion and kind (a CRD not installed)."""

    code = 404


# Kinds of the core group that every server serves: no discovery needed for them.
_CORE = {
    "ConfigMap": "configmaps", "Secret": "secrets", "Pod": "pods", "Service": "services",
    "ServiceAccount": "serviceaccounts", "PersistentVolumeClaim": "persistentvolumeclaims",
    "Endpoints": "endpoints", "Event": "events", "LimitRange": "limitranges",
    "ResourceQuota": "resourcequotas", "ReplicationController": "replicationcontrollers",
    "PodTemplate": "podtemplates",
}
_CORE_CLUSTER = {"Namespace": "namespaces", "Node": "nodes",
                 "PersistentVolume": "persistentvolumes"}

# gv -> kind -> (plural, namespaced)
Table = dict[str, dict[str, tuple[str, bool]]]
Fetch = Callable[[str, str], tuple[Any, str]]  # (path, accept) -> (json body, content type)


def split_api_version(api_version: str) -> tuple[str, str]:
    if "/" in api_version:
        group, version = api_version.split("/", 1)
        return group, version
    return "", api_version


def builtin(api_version: str, kind: str) -> Resource | None:
    if api_version != "v1":
        return None
    if kind in _CORE:
        return Resource("", "v1", _CORE[kind], True, kind)
    if kind in _CORE_CLUSTER:
        return Resource("", "v1", _CORE_CLUSTER[kind], False, kind)
    return None


def _resources_from_list(doc: Any) -> dict[str, tuple[str, bool]]:
    out: dict[str, tuple[str, bool]] = {}
    for r in (doc or {}).get("resources") or ():
        name = str(r.get("name") or "")
        if not name or "/" in name or not r.get("kind"):
            continue
        out.setdefault(str(r["kind"]), (name, bool(r.get("namespaced"))))
    return out


def _parse_aggregated(doc: Any, table: Table) -> None:
    for group in (doc or {}).get("items") or ():
        gname = str((group.get("metadata") or {}).get("name") or "")
        for ver in group.get("versions") or ():
            version = str(ver.get("version") or "")
            gv = f"{gname}/{version}" if gname else version
            kinds = table.setdefault(gv, {})
            for r in ver.get("resources") or ():
                kind = str((r.get("responseKind") or {}).get("kind") or "")
                plural = str(r.get("resource") or "")
                if kind and plural:
                    kinds.setdefault(kind, (plural, r.get("scope") == "Namespaced"))


def _is_aggregated(body: Any, content_type: str) -> bool:
    return "apidiscovery.k8s.io" in content_type or (
        isinstance(body, dict) and body.get("kind") == "APIGroupDiscoveryList")


class Discovery:
    """The resource table of one server, from memory, the disk cache or the server."""

    def __init__(self, fetch: Fetch, cache_file: str | None) -> None:
        self._fetch = fetch
        self._cache_file = cache_file
        self._table: Table = {}
        self._aggregated: bool | None = None
        self._loaded = False

    # -- disk cache
    def _load(self) -> None:
        self._loaded = True
        if not self._cache_file:
            return
        try:
            with open(self._cache_file, encoding="utf-8") as fh:
                data = json.load(fh)
            if time.time() - float(data["fetched"]) > CACHE_TTL:
                return
            self._table = {gv: {k: (p, bool(n)) for k, (p, n) in kinds.items()}
                           for gv, kinds in data["table"].items()}
            self._aggregated = data.get("aggregated")
        except (OSError, ValueError, KeyError, TypeError):
            self._table = {}

    def _save(self) -> None:
        if not self._cache_file:
            return
        data = {"fetched": time.time(), "aggregated": self._aggregated,
                "table": {gv: {k: list(v) for k, v in kinds.items()}
                          for gv, kinds in self._table.items()}}
        try:
            _write_private(self._cache_file, json.dumps(data).encode())
        except OSError:
            pass  # a cache that cannot be written only costs requests

    # -- from the server
    def _discover_all(self) -> None:
        """Aggregated discovery when offered; else the legacy group lists (versions on demand)."""
        table: Table = {}
        core, ctype = self._fetch("/api", AGGREGATED_ACCEPT)
        if _is_aggregated(core, ctype):
            _parse_aggregated(core, table)
            groups, _ = self._fetch("/apis", AGGREGATED_ACCEPT)
            _parse_aggregated(groups, table)
            self._aggregated = True
            self._table = table
        else:
            self._aggregated = False
            # legacy: keep what is known, drop group-versions so they are fetched again
            self._table = {}
        self._save()

    def _discover_gv(self, api_version: str) -> None:
        group, version = split_api_version(api_version)
        path = f"/apis/{group}/{version}" if group else f"/api/{version}"
        try:
            doc, _ = self._fetch(path, "application/json")
        except NotFound:
            doc = {}
        self._table[api_version] = _resources_from_list(doc)
        self._save()

    def lookup(self, api_version: str, kind: str) -> Resource:
        """The resource for ``kind`` in ``api_version``; raises :class:`NoMatch`.

        A miss asks the server again (the CRD may have been created since the table was made).
        """
        hit = builtin(api_version, kind)
        if hit is not None:
            return hit
        if not self._loaded:
            self._load()
        found = self._table.get(api_version, {}).get(kind)
        if found is None:
            if self._aggregated is not True:
                if self._aggregated is None:
                    self._discover_all()
                if self._aggregated is False:
                    self._discover_gv(api_version)
            else:
                self._discover_all()
            found = self._table.get(api_version, {}).get(kind)
        if found is None:
            raise NoMatch(f'no matches for kind "{kind}" in version "{api_version}"', 404,
                          "NotFound")
        group, version = split_api_version(api_version)
        return Resource(group, version, found[0], found[1], kind)

    def forget(self, api_version: str) -> None:
        """Drop one group-version (its resources changed: a 404 on a known resource)."""
        self._table.pop(api_version, None)
        self._save()

    def invalidate(self) -> None:
        """Forget everything (memory and disk): the next lookup asks the server."""
        self._table = {}
        self._aggregated = None
        if self._cache_file:
            try:
                os.unlink(self._cache_file)
            except OSError:
                pass


def _write_private(path: str, data: bytes) -> None:
    """Replace ``path`` atomically with a file only this user can read (0600, dir 0700)."""
    import tempfile

    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as fh:
        fh.write(data)  # mkstemp's mode: 0600
    try:
        os.replace(fh.name, path)
    except OSError:
        os.unlink(fh.name)
        raise


def cache_file_for(server: str, cache_dir: str | None = None) -> str | None:
    """The discovery cache file of ``server``: ``<cache_dir>/<host_port>.json``.

    ``cache_dir`` defaults to ``~/.cache/kelm/kube/discovery`` (None when kelm's caches are
    off); an empty string turns the disk cache off.
    """
    if cache_dir is None:
        from kelm import cachefiles

        if not cachefiles.enabled():
            return None
        cache_dir = os.path.join(cachefiles.cache_root(), "kube", "discovery")
    if not cache_dir:
        return None
    key = re.sub(r"[^A-Za-z0-9.\-]", "_", server.split("://", 1)[-1].rstrip("/"))
    return os.path.join(cache_dir, f"{key}.json")
