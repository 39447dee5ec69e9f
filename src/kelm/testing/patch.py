"""The three PATCH flavours: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and
strategic merge patch (merge keys and strategies from the schema)."""

from __future__ import annotations

import copy
import json
from typing import Any

from kelm.testing.errors import ApiError
from kelm.testing.schema import Node


def _unprocessable(message: str) -> ApiError:
    return ApiError(422, "UnprocessableEntity", message)


# ---------------------------------------------------------------- JSON patch


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise _unprocessable(f'the server rejected our request due to an error in our request: path "{path}" must start with "/"')
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _parent(doc: Any, parts: list[str], op: str, path: str) -> tuple[Any, str]:
    return _get(doc, parts[:-1], path), parts[-1]


def json_patch(doc: Any, ops: Any) -> Any:
    if not isinstance(ops, list):
        raise ApiError(400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = copy.deepcopy(doc)
    for op in ops:
        if not isinstance(op, dict) or "op" not in op:
            raise _unprocessable("Unexpected kind: missing op")
        kind, path = op["op"], op.get("path", "")
        parts = _pointer(path)
        if kind == "test":
            if _get(doc, parts, path) != op.get("value"):
                raise _unprocessable(f'testing value {path} failed: test failed')
            continue
        if kind in ("move", "copy"):
            src = _pointer(op.get("from", ""))
            value = copy.deepcopy(_get(doc, src, op.get("from", "")))
            if kind == "move":
                doc = _remove(doc, src, op.get("from", ""))
            doc = _add(doc, parts, value, path)
            continue
        if kind == "add":
            doc = _add(doc, parts, copy.deepcopy(op.get("value")), path)
        elif kind == "remove":
            doc = _remove(doc, parts, path)
        elif kind == "replace":
            _get(doc, parts, path)
            if not parts:
                doc = copy.deepcopy(op.get("value"))
                continue
            parent, last = _parent(doc, parts, kind, path)
            if isinstance(parent, list):
                parent[int(last)] = copy.deepcopy(op.get("value"))
            else:
                parent[last] = copy.deepcopy(op.get("value"))
        else:
            raise _unprocessable(f"Unexpected kind: {kind}")
    return doc


def _get(doc: Any, parts: list[str], path: str) -> Any:
    cur = doc
    for p in parts:
        if isinstance(cur, dict) and p in cur:
            cur = cur[p]
        elif isinstance(cur, list) and p.isdigit() and int(p) < len(cur):
            cur = cur[int(p)]
        else:
            raise _unprocessable(f'doc is missing path: "{path}": missing value')
    return cur


def _add(doc: Any, parts: list[str], value: Any, path: str) -> Any:
    if not parts:
        return value
    parent, last = _parent(doc, parts, "add", path)
    if isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif last.isdigit() and int(last) <= len(parent):
            parent.insert(int(last), value)
        else:
            raise _unprocessable(f'add operation does not apply: doc is missing path: "{path}": missing value')
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise _unprocessable(f'add operation does not apply: doc is missing path: "{path}": missing value')
    return doc


def _remove(doc: Any, parts: list[str], path: str) -> Any:
    _get(doc, parts, path)
    parent, last = _parent(doc, parts, "remove", path)
    if isinstance(parent, list):
        del parent[int(last)]
    else:
        del parent[last]
    return doc


# ---------------------------------------------------------------- merge patch


def merge_patch(doc: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(doc) if isinstance(doc, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


# ---------------------------------------------------------------- strategic merge patch

_DIRECTIVE = "$patch"
_ORDER = "$setElementOrder/"
_DELETE_PRIM = "$deleteFromPrimitiveList/"
_RETAIN = "$retainKeys"


def strategic_merge(doc: Any, patch: Any, node: Node) -> Any:
    """Apply a strategic merge patch to ``doc`` (not modified)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    return _merge_map(copy.deepcopy(doc) if isinstance(doc, dict) else {}, patch, node)


def _merge_map(out: dict[str, Any], patch: dict[str, Any], node: Node) -> dict[str, Any]:
    directive = patch.get(_DIRECTIVE)
    if directive == "replace":
        return {k: _clean(v) for k, v in patch.items() if k != _DIRECTIVE}
    if directive == "delete":
        return {}
    if directive not in (None, "merge"):
        raise ApiError(400, "BadRequest", f"Unknown patch type: {directive}")
    retain = patch.get(_RETAIN)
    if isinstance(retain, list):
        for k in list(out):
            if k not in retain and k not in patch:
                del out[k]
    orders: dict[str, list[Any]] = {}
    for k, v in patch.items():
        if k in (_DIRECTIVE, _RETAIN):
            continue
        if k.startswith(_ORDER):
            orders[k[len(_ORDER):]] = v if isinstance(v, list) else []
            continue
        if k.startswith(_DELETE_PRIM):
            field = k[len(_DELETE_PRIM):]
            if isinstance(out.get(field), list) and isinstance(v, list):
                out[field] = [x for x in out[field] if x not in v]
            continue
        child = node.field(k)
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict):
            out[k] = _merge_map(out[k] if isinstance(out.get(k), dict) else {}, v, child)
            if v.get(_DIRECTIVE) == "delete":
                out.pop(k, None)
        elif isinstance(v, list):
            out[k] = _merge_list(out.get(k), v, child)
        else:
            out[k] = v
    for field, order in orders.items():
        if isinstance(out.get(field), list):
            out[field] = _reorder(out[field], order, node.field(field))
    return out


def _clean(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items() if not k.startswith("$")}
    if isinstance(v, list):
        return [_clean(x) for x in v]
    return v


def _key_of(item: Any, keys: list[str]) -> tuple[Any, ...] | None:
    if not isinstance(item, dict) or not keys or keys[0] not in item:
        return None
    return tuple(json.dumps(item.get(k), sort_keys=True) for k in keys)


def _merge_list(cur: Any, patch: list[Any], node: Node) -> list[Any]:
    strategy = node.patch_strategy()
    keys = node.merge_keys()[:1] if node.patch_strategy() else []
    if "merge" not in strategy:
        return [_clean(x) for x in patch if not (isinstance(x, dict) and x.get(_DIRECTIVE))]
    out = list(cur) if isinstance(cur, list) else []
    if not keys:  # a merged list of scalars: union, patch order for new ones
        for x in patch:
            if isinstance(x, dict) and x.get(_DIRECTIVE) == "replace":
                return []
            if x not in out:
                out.append(x)
        return out
    for item in patch:
        if isinstance(item, dict) and item.get(_DIRECTIVE) == "replace" and len(item) == 1:
            out = []
            continue
        k = _key_of(item, keys)
        if k is None:
            raise ApiError(400, "BadRequest", f"map: {item} does not contain declared merge key: {keys[0]}")
        idx = next((i for i, x in enumerate(out) if _key_of(x, keys) == k), None)
        if isinstance(item, dict) and item.get(_DIRECTIVE) == "delete":
            if idx is not None:
                del out[idx]
            continue
        if idx is None:
            out.append(_merge_map({}, item, node.items()))
        else:
            out[idx] = _merge_map(out[idx], item, node.items())
    return out


def _reorder(items: list[Any], order: list[Any], node: Node) -> list[Any]:
    keys = node.merge_keys()[:1]

    def ident(x: Any) -> Any:
        k = _key_of(x, keys) if keys else None
        return k if k is not None else json.dumps(x, sort_keys=True)
    pos = {ident(x): i for i, x in enumerate(order)}
    listed = sorted((x for x in items if ident(x) in pos), key=lambda x: pos[ident(x)])
    rest = [x for x in items if ident(x) not in pos]
    return listed + rest
