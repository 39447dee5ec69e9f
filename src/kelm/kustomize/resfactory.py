"""Turning YAML bytes into resources the way kustomize's resource factory does.

Documents are read with go-yaml v3 typing, ``*List`` kinds are expanded (their items
queued after the remaining documents), kind and name are required, annotation values
are stringified from their source text.
"""

from __future__ import annotations

from typing import Any

from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.resource import Resource
from kelm.kustomize.yamlread import load_documents, normalize


def resources_from_bytes(data: bytes | str, source: str = "") -> list[Resource]:
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    docs = load_documents(text, source, keep_empty_nulls=True)
    out: list[Resource] = []
    queue = list(docs)
    while queue:
        d = queue.pop(0)
        if not isinstance(d, dict):
            raise KustomizeError(f"wrong node kind: expected MappingNode in {source or 'input'}")
        if not d:
            continue
        kind = d.get("kind")
        if isinstance(kind, str) and kind.endswith("List") and "items" in d:
            items = d.get("items")
            if items is None:
                continue
            if not isinstance(items, list):
                raise KustomizeError(f"expected array in {kind}/items, but found {type(items)}")
            queue.extend(items)
            continue
        _validate(d)
        _stringify_annotations(d)
        out.append(Resource(normalize(d)))
    return out


def _validate(d: dict[str, Any]) -> None:
    kind = d.get("kind")
    if not kind:
        raise KustomizeError(f"missing kind in object {_meta_str(d)}")
    meta = d.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if not str(kind).endswith("List") and not name:
        raise KustomizeError(f"missing metadata.name in object {_meta_str(d)}")


def _meta_str(d: dict[str, Any]) -> str:
    meta = d.get("metadata")
    if not isinstance(meta, dict):
        meta = {}
    return (
        f"{{{{{d.get('apiVersion') or ''} {d.get('kind') or ''}}} "
        f"{{{meta.get('name') or ''} {meta.get('namespace') or ''} map[] map[]}}}}"
    )


def _stringify_annotations(d: dict[str, Any]) -> None:
    meta = d.get("metadata")
    if not isinstance(meta, dict):
        return
    ann = meta.get("annotations")
    if isinstance(ann, dict):
        for k, v in list(ann.items()):
            if v is None or isinstance(v, str):
                continue
            raw = getattr(v, "raw", None)
            if raw is not None:
                ann[k] = raw
            elif isinstance(v, bool):
                ann[k] = "true" if v else "false"
            elif isinstance(v, int | float):
                ann[k] = str(v)
