"""RFC 6902 JSON Patch: a minimal diff for admission responses, and an applier for checks.

The merge only appends list items and adds keys, so the diff emits ``add`` operations
(with ``/-`` for appends); anything else falls back to ``replace``/``remove``.
"""

from __future__ import annotations

import copy
from typing import Any


class PatchError(ValueError):
    pass


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def diff(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """Operations turning ``old`` into ``new``."""
    if isinstance(old, dict) and isinstance(new, dict):
        ops: list[dict[str, Any]] = []
        for key in old:
            if key not in new:
                ops.append({"op": "remove", "path": f"{path}/{escape(str(key))}"})
        for key, value in new.items():
            sub = f"{path}/{escape(str(key))}"
            if key not in old:
                ops.append({"op": "add", "path": sub, "value": value})
            else:
                ops += diff(old[key], value, sub)
        return ops
    if isinstance(old, list) and isinstance(new, list):
        n = len(old)
        if len(new) >= n and all(not diff(a, b) for a, b in zip(old, new[:n], strict=True)):
            return [{"op": "add", "path": f"{path}/-", "value": v} for v in new[n:]]
        if len(new) == n:
            ops = []
            for i, (a, b) in enumerate(zip(old, new, strict=True)):
                ops += diff(a, b, f"{path}/{i}")
            return ops
        return [{"op": "replace", "path": path, "value": new}]
    if type(old) is type(new) and old == new:
        return []
    return [{"op": "replace", "path": path, "value": new}]


def apply_patch(doc: Any, ops: list[dict[str, Any]]) -> Any:
    """Apply add/remove/replace operations to a copy of ``doc``."""
    doc = copy.deepcopy(doc)
    for op in ops:
        path = op.get("path")
        if not isinstance(path, str) or (path and not path.startswith("/")):
            raise PatchError(f"bad path {path!r}")
        if path == "":
            if op["op"] in ("add", "replace"):
                doc = copy.deepcopy(op["value"])
                continue
            raise PatchError("cannot remove the document root")
        *parents, last = [unescape(t) for t in path[1:].split("/")]
        target = doc
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target[token]
        kind = op.get("op")
        value = copy.deepcopy(op.get("value"))
        if isinstance(target, list):
            index = len(target) if last == "-" else int(last)
            if kind == "add":
                target.insert(index, value)
            elif kind == "replace":
                target[index] = value
            elif kind == "remove":
                del target[index]
            else:
                raise PatchError(f"unsupported op {kind!r}")
        elif isinstance(target, dict):
            if kind in ("add", "replace"):
                if kind == "replace" and last not in target:
                    raise PatchError(f"replace of missing {path}")
                target[last] = value
            elif kind == "remove":
                del target[last]
            else:
                raise PatchError(f"unsupported op {kind!r}")
        else:
            raise PatchError(f"{path}: parent is not a container")
    return doc
