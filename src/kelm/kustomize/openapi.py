"""The Kubernetes OpenAPI subset kustomize consults: SMP merge keys and cluster scope.

The data file is extracted from the v1.21.2 schema kyaml embeds. A kustomization's
``openapi:`` field may replace it with a custom schema (for CRDs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any


@dataclass
class Schema:
    definitions: dict[str, dict[str, Any]]
    gvk: dict[str, str]
    cluster: set[str] = field(default_factory=set)

    def for_type(self, api_version: str, kind: str) -> dict[str, Any] | None:
        name = self.gvk.get(f"{api_version}/{kind}")
        if name is None:
            return None
        return {"r": name}

    def resolve(self, spec: dict[str, Any] | None) -> dict[str, Any] | None:
        """Properties of an object schema (following a $ref)."""
        if spec is None:
            return None
        ref = spec.get("r")
        if ref is not None:
            return self.definitions.get(ref, {})
        return spec.get("p")

    def is_cluster_scoped(self, api_version: str, kind: str) -> bool:
        return f"{api_version}/{kind}" in self.cluster


@lru_cache(maxsize=1)
def builtin_schema() -> Schema:
    data = json.loads((Path(__file__).parent / "k8s_schema.json").read_text())
    return Schema(data["definitions"], data["gvk"], set(data["cluster"]))


def _convert_prop(p: dict[str, Any]) -> dict[str, Any] | None:
    if "$ref" in p:
        return {"r": p["$ref"].rsplit("/", 1)[-1]}
    t = p.get("type")
    if t == "array":
        out: dict[str, Any] = {"t": "a"}
        sub = _convert_prop(p.get("items") or {})
        if sub:
            out["i"] = sub
        for src, dst in (
            ("x-kubernetes-patch-merge-key", "k"),
            ("x-kubernetes-patch-strategy", "s"),
            ("x-kubernetes-list-map-keys", "m"),
        ):
            if src in p:
                out[dst] = p[src]
        return out
    if isinstance(p.get("properties"), dict):
        props = {k: c for k, v in p["properties"].items() if (c := _convert_prop(v))}
        return {"p": props}
    if t == "object" and isinstance(p.get("additionalProperties"), dict):
        sub = _convert_prop(p["additionalProperties"])
        return {"t": "o", "a": sub} if sub else None
    if "x-kubernetes-patch-strategy" in p:
        return {"s": p["x-kubernetes-patch-strategy"]}
    return None


def schema_from_document(doc: dict[str, Any]) -> Schema:
    """A custom OpenAPI document (kustomization ``openapi: {path: ...}``)."""
    defs: dict[str, dict[str, Any]] = {}
    gvk: dict[str, str] = {}
    for name, d in (doc.get("definitions") or {}).items():
        if not isinstance(d, dict):
            continue
        props = {}
        for pn, pv in (d.get("properties") or {}).items():
            if isinstance(pv, dict) and (c := _convert_prop(pv)):
                props[pn] = c
        defs[name] = props
        for g in d.get("x-kubernetes-group-version-kind") or []:
            group, version, kind = g.get("group", ""), g.get("version", ""), g.get("kind", "")
            av = f"{group}/{version}" if group else version
            gvk[f"{av}/{kind}"] = name
    base = builtin_schema()
    return Schema({**base.definitions, **defs}, {**base.gvk, **gvk}, set(base.cluster))
