"""``crds:``: name-reference rules derived from CRD OpenAPI definitions.

A property carrying ``x-kubernetes-object-ref-api-version``/``-kind`` refers to an
object of that kind by name; kustomize turns each into a nameReference entry.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kelm.kustomize.loader import Loader
from kelm.kustomize.yamlread import load_documents

if TYPE_CHECKING:
    from kelm.kustomize.build import TransformerConfig


def config_from_crds(ldr: Loader, path: str) -> TransformerConfig:
    from kelm.kustomize.build import TransformerConfig

    raw = ldr.load(path).decode("utf-8", errors="replace")
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError:
        docs = load_documents(raw, path)
        doc = docs[0] if docs else {}
    refs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    defs = doc.get("definitions") if isinstance(doc, dict) else None
    if not isinstance(defs, dict):
        return TransformerConfig()
    for name, d in defs.items():
        if not isinstance(d, dict):
            continue
        kind = name.rsplit(".", 1)[-1]
        _walk(defs, d, kind, "", refs, set())
    nr = []
    for (ref_kind, ref_version), specs in refs.items():
        nr.append({"kind": ref_kind, "version": ref_version, "fieldSpecs": specs})
    return TransformerConfig.from_dict({"nameReference": nr})


def _walk(defs: dict[str, Any], d: dict[str, Any], kind: str, prefix: str,
          refs: dict[tuple[str, str], list[dict[str, Any]]], seen: set[str]) -> None:
    props = d.get("properties") or {}
    for pname, p in props.items():
        if not isinstance(p, dict):
            continue
        path = f"{prefix}/{pname}" if prefix else pname
        rk = p.get("x-kubernetes-object-ref-kind")
        if rk:
            rv = p.get("x-kubernetes-object-ref-api-version") or ""
            refs.setdefault((rk, rv), []).append({"path": path, "kind": kind})
        ref = p.get("$ref")
        if isinstance(ref, str):
            target = ref.rsplit("/", 1)[-1]
            if target in defs and target not in seen:
                _walk(defs, defs[target], kind, path, refs, seen | {target})
