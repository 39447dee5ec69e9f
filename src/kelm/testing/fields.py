"""Field ownership: ``managedFields`` (FieldsV1) for updates, and server-side apply with its
conflicts. A field set is a set of paths; a path is a tuple of FieldsV1 elements
(``f:spec``, ``k:{"name":"web"}``, ``v:"x"``)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from kelm.testing.errors import ApiError
from kelm.testing.schema import Node

Path = tuple[str, ...]
_META_SKIP = {"name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
              "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
              "generateName"}
_TOP_SKIP = {"apiVersion", "kind"}


# Map keys the real server defaults before matching list items (ports without a protocol).
_KEY_DEFAULTS = {"protocol": "TCP"}


def _elem_key(item: dict[str, Any], keys: list[str]) -> str:
    ident = {k: item[k] if k in item else _KEY_DEFAULTS[k] for k in keys
             if k in item or k in _KEY_DEFAULTS}
    return "k:" + json.dumps(ident, separators=(",", ":"))


def field_set(obj: dict[str, Any], node: Node, *, status: bool | None = False) -> set[Path]:
    """The paths ``obj`` sets. ``status``: False leaves status out, True keeps only status,
    None keeps everything."""
    out: set[Path] = set()
    for k, v in obj.items():
        if k in _TOP_SKIP or (status is False and k == "status") or (status and k != "status"):
            continue
        child = node.field(k)
        if k == "metadata" and isinstance(v, dict):
            for mk, mv in v.items():
                if mk not in _META_SKIP:
                    _walk(mv, child.field(mk), ("f:metadata", "f:" + mk), out)
            continue
        _walk(v, child, ("f:" + k,), out)
    return out


def _walk(value: Any, node: Node, prefix: Path, out: set[Path]) -> None:
    if isinstance(value, dict) and value and node.map_type() != "atomic":
        for k, v in value.items():
            _walk(v, node.field(k), prefix + ("f:" + k,), out)
        return
    if isinstance(value, list) and value:
        lt, keys = node.list_type(), node.merge_keys()
        if lt == "map" and keys and all(isinstance(i, dict) for i in value):
            for item in value:
                ep = prefix + (_elem_key(item, keys),)
                out.add(ep)
                for k, v in item.items():
                    _walk(v, node.items().field(k), ep + ("f:" + k,), out)
            return
        if lt == "set":
            for item in value:
                out.add(prefix + ("v:" + json.dumps(item, separators=(",", ":")),))
            return
    out.add(prefix)


def typed_errors(obj: dict[str, Any], node: Node) -> list[str]:
    """What structured-merge-diff refuses in an applied object: fields the schema does not
    declare, associative list items with the same key (``.path: message``)."""
    out: list[str] = []
    for k, v in obj.items():
        if k in _TOP_SKIP:
            continue
        if not node.knows(k):
            out.append(f".{k}: field not declared in schema")
            continue
        _typed(v, node.field(k), "." + k, out)
    return out


def _typed(value: Any, node: Node, path: str, out: list[str]) -> None:
    s = node.schema
    if s is None or s.get("x-kubernetes-preserve-unknown-fields"):
        return
    if isinstance(value, dict):
        props = s.get("properties")
        extra = s.get("additionalProperties")
        for k, v in value.items():
            if props is not None and k not in props and not extra:
                out.append(f"{path}.{k}: field not declared in schema")
            else:
                _typed(v, node.field(k), f"{path}.{k}", out)
    elif isinstance(value, list):
        keys = node.merge_keys() if node.list_type() == "map" else []
        seen: set[str] = set()
        for item in value:
            if keys and isinstance(item, dict):
                ident = _elem_key(item, keys)
                where = display((ident,))
                if ident in seen:
                    out.append(f"{path}: duplicate entries for key {where}")
                seen.add(ident)
                _typed(item, node.items(), path + where, out)
            else:
                _typed(item, node.items(), path, out)


def to_fields_v1(paths: set[Path]) -> dict[str, Any]:
    trie: dict[str, Any] = {}
    for p in sorted(paths):
        cur = trie
        for part in p:
            cur = cur.setdefault(part, {})
    for p in paths:  # a member that also has children is marked with "."
        cur = trie
        for part in p:
            cur = cur[part]
        if cur and "." not in cur:
            cur["."] = {}
    return trie


def from_fields_v1(trie: Any, prefix: Path = ()) -> set[Path]:
    out: set[Path] = set()
    if not isinstance(trie, dict):
        return out
    if prefix and (not trie or "." in trie):
        out.add(prefix)
    for k, v in trie.items():
        if k != ".":
            out |= from_fields_v1(v, prefix + (k,))
    return out


def value_at(obj: Any, path: Path) -> Any:
    """The value at ``path`` (a KeyError-free walk; ``_MISSING`` when absent)."""
    cur = obj
    for part in path:
        kind, _, rest = part.partition(":")
        if kind == "f" and isinstance(cur, dict) and rest in cur:
            cur = cur[rest]
        elif kind == "k" and isinstance(cur, list):
            cur = next((i for i in cur if isinstance(i, dict) and _matches(i, rest)), _MISSING)
        elif kind == "v" and isinstance(cur, list):
            want = json.loads(rest)
            cur = want if want in cur else _MISSING
        else:
            return _MISSING
        if cur is _MISSING:
            return _MISSING
    return cur


_MISSING: Any = object()


def _matches(item: dict[str, Any], key_json: str) -> bool:
    want = json.loads(key_json)
    return _elem_key(item, list(want)) == "k:" + json.dumps(want, separators=(",", ":"))


def remove_path(obj: Any, path: Path) -> None:
    if not path:
        return
    parent = value_at(obj, path[:-1])
    kind, _, rest = path[-1].partition(":")
    if kind == "f" and isinstance(parent, dict):
        parent.pop(rest, None)
    elif kind == "k" and isinstance(parent, list):
        parent[:] = [i for i in parent if not (isinstance(i, dict) and _matches(i, rest))]
    elif kind == "v" and isinstance(parent, list):
        want = json.loads(rest)
        parent[:] = [i for i in parent if i != want]


def display(path: Path) -> str:
    """``.spec.template.spec.containers[name="web"].image``, as conflict messages print it."""
    out = ""
    for part in path:
        kind, _, rest = part.partition(":")
        if kind == "f":
            out += "." + rest
        elif kind == "k":
            keys = json.loads(rest)
            out += "[" + ",".join(f"{k}={json.dumps(v)}" for k, v in keys.items()) + "]"
        else:
            out += "[=" + rest + "]"
    return out


# ---------------------------------------------------------------- managedFields entries


@dataclass
class Manager:
    manager: str
    operation: str  # Apply or Update
    api_version: str
    time: str
    fields: set[Path]
    subresource: str = ""

    def entry(self) -> dict[str, Any]:
        e: dict[str, Any] = {"manager": self.manager, "operation": self.operation,
                             "apiVersion": self.api_version, "time": self.time,
                             "fieldsType": "FieldsV1", "fieldsV1": to_fields_v1(self.fields)}
        if self.subresource:
            e["subresource"] = self.subresource
        return e


def managers(obj: dict[str, Any]) -> list[Manager]:
    out = []
    for e in obj.get("metadata", {}).get("managedFields") or []:
        if not isinstance(e, dict):
            continue
        out.append(Manager(str(e.get("manager", "")), str(e.get("operation", "Update")),
                           str(e.get("apiVersion", "")), str(e.get("time", "")),
                           from_fields_v1(e.get("fieldsV1", {})), str(e.get("subresource", ""))))
    return out


def _store(obj: dict[str, Any], ms: list[Manager]) -> None:
    """Entries as the real server orders them: Apply before Update, then oldest first."""
    ms = sorted((m for m in ms if m.fields),
                key=lambda m: (m.operation != "Apply", m.time, m.manager))
    meta = obj.setdefault("metadata", {})
    if ms:
        meta["managedFields"] = [m.entry() for m in ms]
    else:
        meta.pop("managedFields", None)


def record_update(old: dict[str, Any] | None, new: dict[str, Any], node: Node, *, manager: str,
                  api_version: str, now: str, subresource: str = "") -> None:
    """A non-apply write: ``manager`` takes the fields it changed."""
    ms = managers(old) if old is not None else []
    status = True if subresource == "status" else False
    new_fields = field_set(new, node, status=status)
    old_obj = old or {}
    changed = {p for p in new_fields if value_at(old_obj, p) != value_at(new, p)}
    all_new = field_set(new, node, status=None)
    for m in ms:
        m.fields &= all_new
        m.fields -= changed
    mine = next((m for m in ms if m.manager == manager and m.operation == "Update"
                 and m.subresource == subresource), None)
    if mine is None:
        if changed:
            ms.append(Manager(manager, "Update", api_version, now, set(changed), subresource))
    elif changed:
        mine.fields |= changed
        mine.time, mine.api_version = now, api_version
    _store(new, ms)


def _merge(cur: Any, applied: Any, node: Node) -> Any:
    if isinstance(applied, dict) and isinstance(cur, dict) and node.map_type() != "atomic":
        out = dict(cur)
        for k, v in applied.items():
            out[k] = _merge(cur.get(k), v, node.field(k))
        return out
    if isinstance(applied, list) and isinstance(cur, list):
        lt, keys = node.list_type(), node.merge_keys()
        if lt == "map" and keys:
            out_l = list(cur)
            for item in applied:
                if not isinstance(item, dict):
                    return copy.deepcopy(applied)
                ident = _elem_key(item, keys)
                idx = next((i for i, x in enumerate(out_l)
                            if isinstance(x, dict) and _elem_key(x, keys) == ident), None)
                if idx is None:
                    out_l.append(copy.deepcopy(item))
                else:
                    out_l[idx] = _merge(out_l[idx], item, node.items())
            return out_l
        if lt == "set":
            return list(cur) + [x for x in applied if x not in cur]
    return copy.deepcopy(applied)


def apply(cur: dict[str, Any] | None, applied: dict[str, Any], node: Node, *, manager: str,
          api_version: str, now: str, force: bool, subresource: str = "") -> dict[str, Any]:
    """Server-side apply of ``applied`` by ``manager`` over ``cur`` (None: create)."""
    status = True if subresource == "status" else False
    ms = managers(cur) if cur is not None else []
    applied_set = field_set(applied, node, status=status)
    base = cur or {}
    conflicts: dict[tuple[str, str], list[Path]] = {}
    for m in ms:
        if m.manager == manager and m.operation == "Apply":
            continue
        for p in sorted(applied_set & m.fields):
            if p[-1].startswith("k:"):
                continue
            if value_at(base, p) != value_at(applied, p):
                conflicts.setdefault((m.manager, m.api_version), []).append(p)
    if conflicts and not force:
        raise conflict_error(conflicts)
    if force:
        for m in ms:
            if not (m.manager == manager and m.operation == "Apply"):
                m.fields -= {p for p in applied_set if value_at(base, p) != value_at(applied, p)}
    new = _merge(copy.deepcopy(base), applied, node)
    mine = next((m for m in ms if m.manager == manager and m.operation == "Apply"
                 and m.subresource == subresource), None)
    if mine is not None:
        others: set[Path] = set()
        for m in ms:
            if m is not mine:
                others |= m.fields
        for p in sorted(mine.fields - applied_set - others, key=len, reverse=True):
            if not any(q[:len(p)] == p and q != p for q in others | applied_set):
                remove_path(new, p)
        mine.fields = applied_set
        mine.time, mine.api_version = now, api_version
    else:
        ms.append(Manager(manager, "Apply", api_version, now, applied_set, subresource))
    all_new = field_set(new, node, status=None)
    for m in ms:
        m.fields &= all_new
    _store(new, ms)
    return new


def conflict_error(conflicts: dict[tuple[str, str], list[Path]]) -> ApiError:
    total = sum(len(v) for v in conflicts.values())
    parts, causes = [], []
    for (mgr, av), paths in sorted(conflicts.items()):
        who = f'"{mgr}"' + (f" using {av}" if av else "")
        if len(paths) == 1:
            parts.append(f"conflict with {who}: {display(paths[0])}")
        else:
            parts.append(f"conflicts with {who}:\n" + "\n".join(f"- {display(p)}" for p in paths))
        for p in paths:
            causes.append({"reason": "FieldManagerConflict",
                           "message": f"conflict with {who}", "field": display(p)})
    noun = "conflict" if total == 1 else "conflicts"
    message = f"Apply failed with {total} {noun}: " + "\n".join(parts)
    return ApiError(409, "Conflict", message, {"causes": causes})
