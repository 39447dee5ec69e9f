"""Field specs: which fields of which kinds a transformer touches.

A path is ``a/b[]/c``: ``/`` descends into a map, a ``[]`` suffix (or meeting a list)
visits every element. Creation happens only when the spec says ``create: true``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.resource import split_api_version


@dataclass(frozen=True)
class FieldSpec:
    path: str
    group: str = ""
    version: str = ""
    kind: str = ""
    create: bool = False

    @staticmethod
    def from_dict(d: dict[str, Any]) -> FieldSpec:
        return FieldSpec(
            path=str(d.get("path", "")),
            group=str(d.get("group", "") or ""),
            version=str(d.get("version", "") or ""),
            kind=str(d.get("kind", "") or ""),
            create=bool(d.get("create", False)),
        )

    def matches(self, obj: dict[str, Any]) -> bool:
        kind = obj.get("kind") or ""
        if self.kind and self.kind != kind:
            return False
        g, v = split_api_version(str(obj.get("apiVersion") or ""))
        if self.group and self.group != g:
            return False
        if self.version and self.version != v:
            return False
        return True

    def same_gvk(self, other: FieldSpec) -> bool:
        return (self.group, self.version, self.kind) == (other.group, other.version, other.kind)


def split_path(path: str) -> list[str]:
    """Split on ``/`` except inside ``[...]``; ``\\/`` is not a separator."""
    parts: list[str] = []
    cur = []
    depth = 0
    i = 0
    while i < len(path):
        c = path[i]
        if c == "\\" and i + 1 < len(path) and path[i + 1] == "/":
            cur.append("/")
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        if c == "/" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


_SPLIT_CACHE: dict[str, list[str]] = {}


def _parts(path: str) -> list[str]:
    p = _SPLIT_CACHE.get(path)
    if p is None:
        p = split_path(path)
        _SPLIT_CACHE[path] = p
    return p


Setter = Callable[[Any, Any], None]  # (container, key) -> None; container[key] is the node


def apply(
    obj: dict[str, Any],
    fs: FieldSpec,
    setter: Setter,
    create: Callable[[], Any] | None = None,
) -> None:
    """Run ``setter`` on every field ``fs`` selects in ``obj``.

    ``create`` builds the value of a missing last field (when ``fs.create``).
    """
    if not fs.matches(obj):
        return
    parts = _parts(fs.path)
    holder = [obj]
    try:
        _walk(holder, 0, parts, 0, fs.create, setter, create)
    except KustomizeError as e:
        raise KustomizeError(f"considering field '{fs.path}' of object {_rid(obj)}: {e}") from None


def _rid(obj: dict[str, Any]) -> str:
    from kelm.kustomize.resource import Gvk, ResId

    meta = obj.get("metadata") or {}
    return str(
        ResId(
            Gvk.of(str(obj.get("apiVersion") or ""), str(obj.get("kind") or "")),
            str(meta.get("name") or ""),
            str(meta.get("namespace") or ""),
        )
    )


def _walk(
    parent: Any,
    key: Any,
    parts: list[str],
    idx: int,
    can_create: bool,
    setter: Setter,
    create: Callable[[], Any] | None,
) -> None:
    if idx == len(parts):
        setter(parent, key)
        return
    node = parent[key]
    if node is None:
        return
    if isinstance(node, list):
        for j in range(len(node)):
            _walk(node, j, parts, idx, can_create, setter, create)
        return
    if not isinstance(node, dict):
        raise KustomizeError("expected sequence or mapping node")
    name = parts[idx]
    is_seq = name.endswith("[]")
    if is_seq:
        name = name[:-2]
    if not name:
        raise KustomizeError("cannot set or create an empty field name")
    if name not in node or node[name] is None:
        if not can_create or create is None or is_seq:
            if name in node and idx + 1 == len(parts) and not is_seq:
                # existing null leaf: the setter decides
                setter(node, name)
            return
        node[name] = create() if idx + 1 == len(parts) else {}
    _walk(node, name, parts, idx + 1, can_create, setter, create)


@lru_cache(maxsize=1)
def default_specs() -> dict[str, list[Any]]:
    return json.loads((Path(__file__).parent / "default_fieldspecs.json").read_text())


def defaults(name: str) -> list[FieldSpec]:
    return [FieldSpec.from_dict(d) for d in default_specs().get(name, [])]


def merge_specs(base: list[FieldSpec], extra: list[FieldSpec]) -> list[FieldSpec]:
    """kustomize's FsSlice.MergeAll: an incoming spec is dropped when an existing one with
    the same path is selected by its gvk (so a gvk-less spec matches any existing one)."""
    out = list(base)
    for fs in extra:
        dup = next(
            (
                x for x in out
                if x.path == fs.path
                and (not fs.group or fs.group == x.group)
                and (not fs.version or fs.version == x.version)
                and (not fs.kind or fs.kind == x.kind)
            ),
            None,
        )
        if dup is None:
            out.append(fs)
        elif dup.create != fs.create:
            raise KustomizeError("conflicting fieldspecs")
    return out
