"""A resource during the build: its object plus kustomize's bookkeeping.

kustomize keeps this bookkeeping in build annotations that are stripped at the end;
here it lives in plain attributes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kelm.kustomize.openapi import Schema, builtin_schema


def split_api_version(api_version: str) -> tuple[str, str]:
    if "/" in api_version:
        g, _, v = api_version.rpartition("/")
        return g, v
    return "", api_version


@dataclass(frozen=True)
class Gvk:
    group: str
    version: str
    kind: str

    @staticmethod
    def of(api_version: str, kind: str) -> Gvk:
        return _gvk_of(api_version, kind)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def __str__(self) -> str:
        return (
            f"{self.kind or '[noKind]'}.{self.version or '[noVer]'}.{self.group or '[noGrp]'}"
        )

    def selected_by(self, group: str = "", version: str = "", kind: str = "") -> bool:
        return (
            (not group or group == self.group)
            and (not version or version == self.version)
            and (not kind or kind == self.kind)
        )

    def cluster_scoped(self) -> bool:
        schema = current_schema()
        key = (id(schema), self)
        hit = _SCOPE_CACHE.get(key)
        if hit is None:
            hit = schema.is_cluster_scoped(self.api_version, self.kind)
            _SCOPE_CACHE[key] = hit
        return hit


_SCOPE_CACHE: dict[tuple[int, Gvk], bool] = {}
_ID_CACHE: dict[Any, ResId] = {}
_GVK_CACHE: dict[tuple[str, str], Gvk] = {}


def _gvk_of(api_version: str, kind: str) -> Gvk:
    key = (api_version, kind)
    g = _GVK_CACHE.get(key)
    if g is None:
        gr, v = split_api_version(api_version)
        g = Gvk(gr, v, kind)
        _GVK_CACHE[key] = g
    return g


@dataclass(frozen=True)
class ResId:
    gvk: Gvk
    name: str
    namespace: str

    def __str__(self) -> str:
        return f"{self.gvk}/{self.name or '[noName]'}.{self.namespace or '[noNs]'}"

    def effective_namespace(self) -> str:
        if self.gvk.cluster_scoped():
            return "_non_namespaceable_"
        if self.namespace in ("", "default"):
            return "default"
        return self.namespace

    def equals(self, other: ResId) -> bool:
        return (
            self.gvk == other.gvk
            and self.name == other.name
            and self.effective_namespace() == other.effective_namespace()
        )

    def gvkn_equals(self, other: ResId) -> bool:
        return self.gvk == other.gvk and self.name == other.name

    def ns_equals(self, other: ResId) -> bool:
        return self.effective_namespace() == other.effective_namespace()


_SCHEMA: list[Schema] = []


def current_schema() -> Schema:
    return _SCHEMA[-1] if _SCHEMA else builtin_schema()


def set_schema(schema: Schema | None) -> None:
    _SCHEMA.clear()
    if schema is not None:
        _SCHEMA.append(schema)


@dataclass
class Resource:
    obj: dict[str, Any]
    prev: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, ns)
    prefixes: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    refby: list[str] = field(default_factory=list)
    behavior: str = ""
    needs_hash: bool = False
    refvars: list[str] = field(default_factory=list)
    allow_name_change: bool = False
    allow_kind_change: bool = False
    touched: bool = False  # a build annotation was set (kustomize then drops empty maps)
    origin: dict[str, Any] | None = None  # buildMetadata originAnnotations
    transformations: list[dict[str, Any]] = field(default_factory=list)

    # ---- accessors
    @property
    def kind(self) -> str:
        v = self.obj.get("kind")
        return v if isinstance(v, str) else ""

    @property
    def api_version(self) -> str:
        v = self.obj.get("apiVersion")
        return v if isinstance(v, str) else ""

    @property
    def meta(self) -> dict[str, Any]:
        m = self.obj.get("metadata")
        if not isinstance(m, dict):
            m = {}
            self.obj["metadata"] = m
        return m

    @property
    def name(self) -> str:
        m = self.obj.get("metadata")
        v = m.get("name") if isinstance(m, dict) else None
        return v if isinstance(v, str) else ("" if v is None else str(v))

    @name.setter
    def name(self, value: str) -> None:
        self.meta["name"] = value

    @property
    def namespace(self) -> str:
        m = self.obj.get("metadata")
        v = m.get("namespace") if isinstance(m, dict) else None
        return v if isinstance(v, str) else ""

    @namespace.setter
    def namespace(self, value: str) -> None:
        if value:
            self.meta["namespace"] = value
        else:
            self.meta.pop("namespace", None)

    @property
    def gvk(self) -> Gvk:
        return Gvk.of(self.api_version, self.kind)

    def cur_id(self) -> ResId:
        obj = self.obj
        av, k = obj.get("apiVersion"), obj.get("kind")
        m = obj.get("metadata")
        n = ns = None
        if type(m) is dict:
            n, ns = m.get("name"), m.get("namespace")
        sig: tuple[Any, ...] | None = (av, k, n, ns)
        try:
            hit = _ID_CACHE.get(sig)
        except TypeError:
            hit = None
            sig = None
        if hit is not None:
            return hit
        rid = ResId(
            _gvk_of(av if type(av) is str else "", k if type(k) is str else ""),
            n if type(n) is str else ("" if n is None else str(n)),
            ns if type(ns) is str else "",
        )
        if sig is not None:
            _ID_CACHE[sig] = rid
        return rid

    def id_key(self) -> tuple[Gvk, str, str]:
        """Hashable form of the current id under ResId.equals."""
        c = self.cur_id()
        return (c.gvk, c.name, c.effective_namespace())

    def prev_ids(self) -> list[ResId]:
        if not self.prev:
            return []
        av = self.api_version
        return [ResId(_gvk_of(av, k), n, ns) for k, n, ns in self.prev]

    def has_name(self, name: str) -> bool:
        """Cheap pre-check: ``name`` is the current or a previous name."""
        if self.name == name:
            return True
        return any(p[1] == name for p in self.prev)

    def org_id(self) -> ResId:
        p = self.prev_ids()
        return p[0] if p else self.cur_id()

    def all_ids(self) -> list[ResId]:
        return [self.cur_id(), *self.prev_ids()]

    def store_previous_id(self) -> None:
        cid = self.cur_id()
        self.prev.append((cid.gvk.kind, cid.name, cid.effective_namespace()))
        self.touched = True

    def labels(self) -> dict[str, Any]:
        v = self.meta.get("labels")
        return v if isinstance(v, dict) else {}

    def annotations(self) -> dict[str, Any]:
        v = self.meta.get("annotations")
        return v if isinstance(v, dict) else {}

    def deep_copy(self) -> Resource:
        r = copy.copy(self)
        r.obj = copy.deepcopy(self.obj)
        r.prev = list(self.prev)
        r.prefixes = list(self.prefixes)
        r.suffixes = list(self.suffixes)
        r.refby = list(self.refby)
        r.refvars = list(self.refvars)
        r.transformations = list(self.transformations)
        return r

    def prefix_suffix_equals(self, other: Resource, allow_empty: bool) -> bool:
        if allow_empty:
            pe = not self.prefixes or not other.prefixes
            se = not self.suffixes or not other.suffixes
            return (pe or same_ending(self.prefixes, other.prefixes)) and (
                se or same_ending(self.suffixes, other.suffixes)
            )
        return same_ending(self.prefixes, other.prefixes) and same_ending(
            self.suffixes, other.suffixes
        )


def same_ending(a: list[str], b: list[str]) -> bool:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    diff = len(long_) - len(short)
    if not short:
        return diff == 0
    return all(long_[i + diff] == short[i] for i in range(len(short)))


class ResMap:
    """An ordered list of resources with kustomize's id rules."""

    def __init__(self, items: list[Resource] | None = None) -> None:
        self.items: list[Resource] = list(items or [])

    def __iter__(self) -> Iterator[Resource]:
        return iter(list(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def by_any_id(self, rid: ResId, gvkn_only: bool = False) -> list[Resource]:
        out = []
        name = rid.name
        for r in self.items:
            if not r.has_name(name):
                continue
            for i in r.all_ids():
                if (i.gvkn_equals(rid) if gvkn_only else i.equals(rid)):
                    out.append(r)
                    break
        return out

    def by_current_id(self, rid: ResId) -> list[Resource]:
        return [r for r in self.items if r.cur_id().equals(rid)]

    def append(self, r: Resource) -> None:
        from kelm.kustomize.errors import KustomizeError

        cid = r.cur_id()
        if self.by_current_id(cid):
            raise KustomizeError(f"may not add resource with an already registered id: {cid}")
        self.items.append(r)

    def append_all(self, other: ResMap, keys: set[Any] | None = None) -> None:
        """Append all of ``other``; ``keys`` (the id keys of self) may be passed in and is
        kept up to date, so repeated appends stay linear."""
        from kelm.kustomize.errors import KustomizeError

        if keys is None:
            keys = {r.id_key() for r in self.items}
        for r in other.items:
            k = r.id_key()
            if k in keys:
                raise KustomizeError(
                    f"may not add resource with an already registered id: {r.cur_id()}"
                )
            keys.add(k)
            self.items.append(r)

    def remove(self, r: Resource) -> None:
        self.items = [x for x in self.items if x is not r]
