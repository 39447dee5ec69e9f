"""RFC 6902 JSON patch with the error texts of evanphx/json-patch (as kustomize reports)."""

from __future__ import annotations

import copy
from typing import Any

from kelm.kustomize.errors import KustomizeError


def _unescape(tok: str) -> str:
    return tok.replace("~1", "/").replace("~0", "~")


def _split(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise KustomizeError(f'invalid JSON pointer "{path}"')
    return [_unescape(t) for t in path[1:].split("/")]


def _missing(op: str, path: str) -> KustomizeError:
    return KustomizeError(
        f'{op} operation does not apply: doc is missing path: "{path}": missing value'
    )


def _container(doc: Any, parts: list[str], op: str, path: str) -> Any:
    cur = doc
    for p in parts:
        if isinstance(cur, dict):
            if p not in cur:
                raise _missing(op, path)
            cur = cur[p]
        elif isinstance(cur, list):
            try:
                i = int(p)
            except ValueError:
                raise _missing(op, path) from None
            if i < 0 or i >= len(cur):
                raise _missing(op, path)
            cur = cur[i]
        else:
            raise _missing(op, path)
    return cur


def _index(lst: list[Any], tok: str, op: str, path: str, allow_end: bool) -> int:
    if tok == "-" and allow_end:
        return len(lst)
    try:
        i = int(tok)
    except ValueError:
        raise _missing(op, path) from None
    limit = len(lst) if allow_end else len(lst) - 1
    if i < 0 or i > limit:
        raise KustomizeError(
            f'{op} operation does not apply: doc is missing path: "{path}": '
            "Unable to access invalid index: "
            f"{i}: invalid index referenced"
        )
    return i


def _get(doc: Any, path: str, op: str) -> Any:
    parts = _split(path)
    if not parts:
        return doc
    parent = _container(doc, parts[:-1], op, path)
    last = parts[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise _missing(op, path)
        return parent[last]
    if isinstance(parent, list):
        return parent[_index(parent, last, op, path, False)]
    raise _missing(op, path)


def _add(doc: Any, path: str, value: Any, op: str = "add") -> Any:
    parts = _split(path)
    if not parts:
        return value
    parent = _container(doc, parts[:-1], op, path)
    last = parts[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, op, path, True), value)
    else:
        raise _missing(op, path)
    return doc


def _remove(doc: Any, path: str, op: str = "remove") -> Any:
    parts = _split(path)
    parent = _container(doc, parts[:-1], op, path)
    last = parts[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise _missing(op, path)
        del parent[last]
    elif isinstance(parent, list):
        del parent[_index(parent, last, op, path, False)]
    else:
        raise _missing(op, path)
    return doc


def _replace(doc: Any, path: str, value: Any) -> Any:
    parts = _split(path)
    if not parts:
        return value
    parent = _container(doc, parts[:-1], "replace", path)
    last = parts[-1]
    if isinstance(parent, dict):
        parent[last] = value  # json-patch v4: replacing a missing map key sets it
    elif isinstance(parent, list):
        parent[_index(parent, last, "replace", path, False)] = value
    else:
        raise _missing("replace", path)
    return doc


def apply_patch(doc: Any, ops: list[Any]) -> Any:
    for op in ops:
        if not isinstance(op, dict):
            raise KustomizeError("invalid JSON patch operation")
        kind = op.get("op")
        path = op.get("path")
        if not isinstance(path, str):
            raise KustomizeError(f"{kind} operation missing path")
        if kind == "add":
            doc = _add(doc, path, copy.deepcopy(op.get("value")))
        elif kind == "remove":
            doc = _remove(doc, path)
        elif kind == "replace":
            doc = _replace(doc, path, copy.deepcopy(op.get("value")))
        elif kind == "move":
            frm = op.get("from", "")
            val = _get(doc, frm, "move")
            doc = _remove(doc, frm, "move")
            doc = _add(doc, path, val, "move")
        elif kind == "copy":
            val = copy.deepcopy(_get(doc, op.get("from", ""), "copy"))
            doc = _add(doc, path, val, "copy")
        elif kind == "test":
            val = _get(doc, path, "test")
            if val != op.get("value"):
                raise KustomizeError(f"testing value {path} failed: test failed")
        else:
            raise KustomizeError(f"Unexpected kind: {kind}")
    return doc
