"""Deprecated ``vars``: collect values from resources, substitute ``$(NAME)``."""

from __future__ import annotations

from typing import Any

from kelm.kustomize import fieldspec as fsl
from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.fieldspec import FieldSpec
from kelm.kustomize.paths import lookup, split_dotted
from kelm.kustomize.resource import Gvk, ResId, ResMap, Resource


def var_id(v: dict[str, Any]) -> ResId:
    ref = v.get("objref") or {}
    api = str(ref.get("apiVersion") or "")
    g, ver = (api.rsplit("/", 1) if "/" in api else ("", api))
    if ref.get("group"):
        g = str(ref["group"])
    if ref.get("version"):
        ver = str(ref["version"])
    return ResId(Gvk(g, ver, str(ref.get("kind") or "")), str(ref.get("name") or ""),
                 str(ref.get("namespace") or ""))


def merge_vars(m: ResMap, existing: list[dict[str, Any]], incoming: list[dict[str, Any]]) -> None:
    """Attach each var to its resource and add it to the set (names must be unique)."""
    for v in incoming:
        tid = var_id(v)
        if tid.namespace or tid.gvk.cluster_scoped():
            hits = [r for r in m.items if any(i.equals(tid) for i in r.all_ids())]
        else:
            hits = [r for r in m.items if any(i.gvkn_equals(tid) for i in r.all_ids())]
        if len(hits) > 1:
            raise KustomizeError(
                f"found {len(hits)} resId matches for var {v} (unable to disambiguate)"
            )
        if len(hits) == 1:
            hits[0].refvars.append(str(v.get("name")))
    add_vars(existing, incoming)


def add_vars(existing: list[dict[str, Any]], incoming: list[dict[str, Any]]) -> None:
    names = {str(v.get("name")) for v in existing}
    for v in incoming:
        n = str(v.get("name"))
        if n in names:
            raise KustomizeError(f"var '{n}' already encountered")
        names.add(n)
        existing.append(v)


def _field_value(r: Resource, path: str) -> Any:
    v = lookup(r.obj, split_dotted(path))
    if v is None:
        raise KeyError(path)
    return v


def resolve(m: ResMap, variables: list[dict[str, Any]], specs: list[FieldSpec]) -> None:
    values: dict[str, Any] = {}
    for v in variables:
        name = str(v.get("name"))
        fp = ((v.get("fieldref") or {}).get("fieldpath")) or "metadata.name"
        found = False
        for r in m.items:
            if name in r.refvars:
                try:
                    values[name] = _field_value(r, fp)
                except KeyError:
                    raise KustomizeError(
                        f"field specified in var '{v}' not found in corresponding resource"
                    ) from None
                found = True
                break
        if not found:
            raise KustomizeError(
                f"var '{v}' cannot be mapped to a field in the set of known resources"
            )
    if not values:
        return

    def mapping(key: str) -> Any:
        if key in values:
            val = values[key]
            if isinstance(val, str | int | float | bool):
                return val
        return f"$({key})"

    def set_node(c: Any, k: Any) -> None:
        node = c[k]
        if node is None:
            return
        if isinstance(node, str):
            c[k] = _plain(expand(node, mapping))
        elif isinstance(node, dict):
            for key in list(node):
                if isinstance(node[key], str):
                    node[key] = _plain(expand(node[key], mapping))
        elif isinstance(node, list):
            for i, e in enumerate(node):
                if not isinstance(e, str):
                    raise KustomizeError("invalid value type expect a string")
                node[i] = expand(e, mapping)

    for r in m.items:
        for fs in specs:
            fsl.apply(r.obj, fs, set_node)


def _plain(v: Any) -> Any:
    """A rewritten scalar is tagged by its new value (an untagged node becomes !!str)."""
    return str(v) if isinstance(v, str) else v


def go_fmt(v: Any) -> str:
    from kelm.kustomize.smp import text

    if isinstance(v, float):
        r = repr(v)
        return r[:-2] if r.endswith(".0") else r
    return text(v)


def expand(s: str, mapping: Any) -> Any:
    out: list[str] = []
    checkpoint = 0
    cursor = 0
    n = len(s)
    while cursor < n:
        if s[cursor] == "$" and cursor + 1 < n:
            out.append(s[checkpoint:cursor])
            rest = s[cursor + 1:]
            if rest[0] == "$":
                read, is_var, adv = "$", False, 1
            elif rest[0] == "(":
                close = rest.find(")", 1)
                if close >= 0:
                    read, is_var, adv = rest[1:close], True, close + 1
                else:
                    read, is_var, adv = "$(", False, 1
            else:
                read, is_var, adv = "$" + rest[0], False, 1
            if is_var:
                mapped = mapping(read)
                if s == f"$({read})":
                    return mapped
                out.append(go_fmt(mapped))
            else:
                out.append(read)
            cursor += adv
            checkpoint = cursor + 1
        cursor += 1
    return "".join(out) + s[checkpoint:]
