"""``crds:``: transformer config derived from CRD OpenAPI type maps.

The file maps Go type names to ``{Schema: {properties}}``. For each type that looks like a
Kubernetes object, properties with ``x-kubernetes-object-ref-*`` become name references,
``x-kubernetes-annotation`` annotation fields, ``x-kubernetes-label-selector`` label
fields and ``x-kubernetes-identity`` prefix fields.
"""

from __future__ import annotations

import json
from typing import Any

from kelm.kustomize.loader import Loader
from kelm.kustomize.model import TransformerConfig
from kelm.kustomize.yamlread import load_documents


def config_from_crds(ldr: Loader, path: str) -> TransformerConfig:
    raw = ldr.load(path).decode("utf-8", errors="replace")
    if raw.startswith("{"):
        doc = json.loads(raw)
    else:
        docs = load_documents(raw, path)
        doc = docs[0] if docs else {}
    cfg: dict[str, list[Any]] = {}
    if not isinstance(doc, dict):
        return TransformerConfig()
    for name, api in doc.items():
        props = _props(api)
        if not all(k in props for k in ("kind", "apiVersion", "metadata")):
            continue
        kind = name.rsplit(".", 1)[-1]
        _load(cfg, kind, doc, name, [], set())
    return TransformerConfig.from_dict(cfg)


def _props(api: Any) -> dict[str, Any]:
    if not isinstance(api, dict):
        return {}
    schema = api.get("Schema") or api.get("schema") or {}
    props = schema.get("properties") if isinstance(schema, dict) else None
    return props if isinstance(props, dict) else {}


def _load(cfg: dict[str, list[Any]], kind: str, m: dict[str, Any], type_name: str,
          path: list[str], seen: set[str]) -> None:
    if type_name not in m or type_name in seen:
        return
    for pname, prop in _props(m[type_name]).items():
        if not isinstance(prop, dict):
            continue
        here = [*path, pname]
        fs = {"kind": kind, "path": "/".join(here)}
        if "x-kubernetes-annotation" in prop:
            cfg.setdefault("commonAnnotations", []).append(fs)
        if "x-kubernetes-label-selector" in prop:
            cfg.setdefault("commonLabels", []).append(fs)
        if "x-kubernetes-identity" in prop:
            cfg.setdefault("namePrefix", []).append(fs)
        version = prop.get("x-kubernetes-object-ref-api-version")
        ref_kind = prop.get("x-kubernetes-object-ref-kind")
        if version is not None and ref_kind is not None:
            key = prop.get("x-kubernetes-object-ref-name-key") or "name"
            cfg.setdefault("nameReference", []).append({
                "kind": ref_kind, "version": version,
                "fieldSpecs": [{"kind": kind, "path": "/".join([*here, key])}],
            })
        ref = prop.get("$ref")
        if isinstance(ref, str) and ref:
            _load(cfg, kind, m, ref, here, seen | {type_name})
