"""Walking an OpenAPI schema by field: what strategic merge patch, server-side apply and
field validation need (merge keys, list types, known fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kelm.testing.registry import ResourceType, definitions

_PREFIX = "#/definitions/"
_PREFIX3 = "#/components/schemas/"


@dataclass(frozen=True)
class Node:
    """A schema position; ``raw`` is None when nothing is known (anything goes)."""

    raw: dict[str, Any] | None
    defs: dict[str, Any]

    def _resolve(self, s: dict[str, Any] | None) -> dict[str, Any] | None:
        seen = 0
        while s is not None and seen < 50:
            ref = s.get("$ref")
            if ref is None and len(s.get("allOf", ())) == 1:
                ref = s["allOf"][0].get("$ref")
            if ref is None:
                return s
            name = ref.removeprefix(_PREFIX).removeprefix(_PREFIX3)
            s = self.defs.get(name)
            seen += 1
        return s

    @property
    def schema(self) -> dict[str, Any] | None:
        return self._resolve(self.raw)

    def field(self, name: str) -> Node:
        s = self.schema
        if s is None:
            return Node(None, self.defs)
        props = s.get("properties")
        if props and name in props:
            return Node(props[name], self.defs)
        extra = s.get("additionalProperties")
        if isinstance(extra, dict):
            return Node(extra, self.defs)
        return Node(None, self.defs)

    def items(self) -> Node:
        s = self.schema
        if s is None or not isinstance(s.get("items"), dict):
            return Node(None, self.defs)
        return Node(s["items"], self.defs)

    def knows(self, name: str) -> bool:
        """False only when the schema says the field cannot be there."""
        s = self.schema
        if s is None or s.get("x-kubernetes-preserve-unknown-fields"):
            return True
        if "properties" not in s:
            return s.get("type") not in ("string", "integer", "number", "boolean") or \
                "additionalProperties" in s or s.get("x-kubernetes-int-or-string", False) is False
        return name in s["properties"] or isinstance(s.get("additionalProperties"), dict) \
            or s.get("additionalProperties") is True

    @property
    def is_object_with_fields(self) -> bool:
        s = self.schema
        return bool(s and "properties" in s and not s.get("x-kubernetes-preserve-unknown-fields"))

    def merge_keys(self) -> list[str]:
        """The keys identifying list elements (``name``; ``containerPort`` + ``protocol``)."""
        s = self.schema or {}
        raw = self.raw or {}
        keys = raw.get("x-kubernetes-list-map-keys") or s.get("x-kubernetes-list-map-keys")
        if keys:
            return list(keys)
        key = raw.get("x-kubernetes-patch-merge-key") or s.get("x-kubernetes-patch-merge-key")
        return [key] if key else []

    def patch_strategy(self) -> str:
        raw = self.raw or {}
        s = self.schema or {}
        return str(raw.get("x-kubernetes-patch-strategy") or s.get("x-kubernetes-patch-strategy") or "")

    def list_type(self) -> str:
        """``map``, ``set`` or ``atomic`` as server-side apply sees the list."""
        raw = self.raw or {}
        s = self.schema or {}
        lt = raw.get("x-kubernetes-list-type") or s.get("x-kubernetes-list-type")
        if lt:
            return str(lt)
        if self.merge_keys():
            return "map"
        if "merge" in self.patch_strategy():
            return "set"
        return "atomic"

    def map_type(self) -> str:
        s = self.schema or {}
        return str(s.get("x-kubernetes-map-type") or "granular")


def _gvk_index() -> dict[tuple[str, str, str], str]:
    idx: dict[tuple[str, str, str], str] = {}
    for name, d in definitions().items():
        for gvk in d.get("x-kubernetes-group-version-kind", ()):
            idx.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    return idx


_INDEX: dict[tuple[str, str, str], str] | None = None


def definition_name(group: str, version: str, kind: str) -> str | None:
    global _INDEX
    if _INDEX is None:
        _INDEX = _gvk_index()
    return _INDEX.get((group, version, kind))


def root(t: ResourceType) -> Node:
    """The schema of a whole object of this type (a CRD's own schema for custom resources)."""
    defs = definitions()
    if t.crd:
        if t.schema is None:
            return Node(None, defs)
        s = dict(t.schema)
        props = dict(s.get("properties", {}))
        props.setdefault("metadata", {"$ref": _PREFIX + "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        s["properties"] = props
        return Node(s, defs)
    name = definition_name(t.group, t.version, t.kind)
    return Node({"$ref": _PREFIX + name} if name else None, defs)
