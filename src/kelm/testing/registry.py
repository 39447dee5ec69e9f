"""The resource types the emulator serves: the built-in kinds of ``k8s_api.json`` plus the
ones CustomResourceDefinitions register while the emulator runs."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from functools import cache
from importlib import resources as _res
from typing import Any

# kubectl's short names and categories are not in the OpenAPI document: the real server's.
_SHORT = {
    "configmaps": ["cm"], "endpoints": ["ep"], "events": ["ev"], "limitranges": ["limits"],
    "namespaces": ["ns"], "nodes": ["no"], "persistentvolumeclaims": ["pvc"],
    "persistentvolumes": ["pv"], "pods": ["po"], "replicationcontrollers": ["rc"],
    "resourcequotas": ["quota"], "serviceaccounts": ["sa"], "services": ["svc"],
    "customresourcedefinitions": ["crd", "crds"], "daemonsets": ["ds"], "deployments": ["deploy"],
    "replicasets": ["rs"], "statefulsets": ["sts"], "horizontalpodautoscalers": ["hpa"],
    "cronjobs": ["cj"], "certificatesigningrequests": ["csr"], "ingresses": ["ing"],
    "networkpolicies": ["netpol"], "poddisruptionbudgets": ["pdb"], "priorityclasses": ["pc"],
    "storageclasses": ["sc"], "componentstatuses": ["cs"],
}
_ALL = {"pods", "services", "replicationcontrollers", "daemonsets", "deployments", "replicasets",
        "statefulsets", "horizontalpodautoscalers", "cronjobs", "jobs"}


@dataclass(frozen=True)
class ResourceType:
    """One resource of one group version (``deployments`` of ``apps/v1``)."""

    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool
    verbs: tuple[str, ...]
    subresources: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, hash=False)
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    crd: str = ""  # the CustomResourceDefinition that registered it
    schema: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """``deployments.apps`` / ``secrets``: how the real server names it in messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def kind_qualified(self) -> str:
        """``Deployment.apps`` / ``Secret``: the 422 messages' spelling."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    @property
    def store_key(self) -> tuple[str, str]:
        return (self.group, self.plural)


@cache
def api_data() -> dict[str, Any]:
    with _res.files("kelm.testing").joinpath("k8s_api.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def definitions() -> dict[str, Any]:
    defs: dict[str, Any] = api_data()["definitions"]
    return defs


def _builtin() -> list[ResourceType]:
    out = []
    for r in api_data()["resources"]:
        if "alpha" in r["version"] or "beta" in r["version"]:
            continue  # a real server serves only the GA versions unless told otherwise
        out.append(ResourceType(
            group=r["group"], version=r["version"], kind=r["kind"], plural=r["plural"],
            namespaced=r["namespaced"], verbs=tuple(r["verbs"]), subresources=r["subresources"],
            short_names=tuple(_SHORT.get(r["plural"], ())),
            categories=("all",) if r["plural"] in _ALL else (),
        ))
    return out


def _version_rank(v: str) -> tuple[int, int, int]:
    """Kubernetes version priority: GA > beta > alpha, then by number."""
    import re

    m = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", v)
    if not m:
        return (-1, 0, 0)
    stage = {"alpha": 0, "beta": 1, None: 2}[m[2]]
    return (stage, int(m[1]), int(m[3] or 0))


class Registry:
    """Thread-safe table of resource types, looked up by path segments or by kind."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._types: dict[tuple[str, str, str], ResourceType] = {}
        for t in _builtin():
            self._types[(t.group, t.version, t.plural)] = t

    def add(self, t: ResourceType) -> None:
        with self._lock:
            self._types[(t.group, t.version, t.plural)] = t

    def remove_crd(self, crd_name: str) -> None:
        with self._lock:
            for k in [k for k, t in self._types.items() if t.crd == crd_name]:
                del self._types[k]

    def all(self) -> list[ResourceType]:
        with self._lock:
            return list(self._types.values())

    def get(self, group: str, version: str, plural: str) -> ResourceType | None:
        with self._lock:
            return self._types.get((group, version, plural))

    def by_kind(self, api_version: str, kind: str) -> ResourceType | None:
        group, _, version = api_version.rpartition("/")
        with self._lock:
            for t in self._types.values():
                if t.group == group and t.version == version and t.kind == kind:
                    return t
        return None

    def find(self, name: str) -> ResourceType | None:
        """A resource by plural, singular, short name or kind (``deploy``, ``Deployment``),
        preferring the group's preferred version: for the Python API."""
        name_l = name.lower()
        hits = [t for t in self.all()
                if name_l in (t.plural, t.singular, t.kind.lower()) or name_l in t.short_names
                or name_l == t.qualified]
        if not hits:
            return None
        return max(hits, key=lambda t: (t.group == "", t.group in ("apps", "batch"),
                                        _version_rank(t.version)))

    def groups(self) -> dict[str, list[str]]:
        """Group name -> versions, preferred first."""
        out: dict[str, set[str]] = {}
        for t in self.all():
            out.setdefault(t.group, set()).add(t.version)
        return {g: sorted(vs, key=_version_rank, reverse=True) for g, vs in sorted(out.items())}

    def in_version(self, group: str, version: str) -> list[ResourceType]:
        return sorted((t for t in self.all() if t.group == group and t.version == version),
                      key=lambda t: t.plural)
