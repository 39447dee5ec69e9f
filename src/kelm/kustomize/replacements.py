"""The ``replacements`` transformer: copy a field from one resource into others."""

from __future__ import annotations

import copy
from typing import Any

from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.paths import lookup, match_targets, split_dotted
from kelm.kustomize.resource import Gvk, ResId, ResMap, Resource
from kelm.kustomize.selector import matches, parse_label_selector
from kelm.kustomize.smp import text


def _selector_id(d: dict[str, Any]) -> ResId:
    group = str(d.get("group") or "")
    version = str(d.get("version") or "")
    return ResId(Gvk(group, version, str(d.get("kind") or "")), str(d.get("name") or ""),
                 str(d.get("namespace") or ""))


def _selected_by(rid: ResId, sel: ResId) -> bool:
    return (
        (not sel.name or sel.name == rid.name)
        and (not sel.namespace or sel.ns_equals(rid))
        and rid.gvk.selected_by(sel.gvk.group, sel.gvk.version, sel.gvk.kind)
    )


def _sel_str(d: dict[str, Any]) -> str:
    return str(_selector_id(d))


def _anno_label_match(r: Resource, sel: dict[str, Any]) -> bool:
    for key, getter in (("annotationSelector", r.annotations), ("labelSelector", r.labels)):
        s = sel.get(key)
        if s:
            if not matches(parse_label_selector(str(s)), {k: text(v) for k, v in getter().items()}):
                return False
    return True


def _source_value(m: ResMap, rep: dict[str, Any]) -> Any:
    if rep.get("sourceValue") is not None and rep.get("source") is not None:
        raise KustomizeError("value and resource selectors are mutually exclusive")
    if rep.get("sourceValue") is not None:
        return str(rep["sourceValue"])
    src = rep["source"]
    sid = _selector_id(src)
    found: list[Resource] = []
    for r in m.items:
        if any(_selected_by(i, sid) for i in r.all_ids()):
            if found:
                raise KustomizeError(f"multiple matches for selector {sid}")
            found.append(r)
    if not found:
        raise KustomizeError(f"nothing selected by {sid}")
    fp = src.get("fieldPath") or "metadata.name"
    v = lookup(found[0].obj, split_dotted(fp))
    if v is None or v == "" or v == {} or v == []:
        raise KustomizeError(f"fieldPath `{fp}` is missing for replacement source {sid}")
    opts = src.get("options") or {}
    if opts.get("delimiter"):
        if isinstance(v, dict | list):
            raise KustomizeError("delimiter option can only be used with scalar nodes")
        parts = text(v).split(opts["delimiter"])
        idx = int(opts.get("index") or 0)
        if idx >= len(parts) or idx < 0:
            raise KustomizeError(f"options.index {idx} is out of bounds for value {text(v)}")
        return parts[idx]
    return copy.deepcopy(v)


class TypedScalar(str):
    """A string written into a scalar whose YAML tag is not !!str (kustomize keeps the
    target's tag). It is only an error if it is still invalid when output."""

    tag: str

    def __new__(cls, text_value: str, tag: str) -> TypedScalar:
        obj = super().__new__(cls, text_value)
        obj.tag = tag
        return obj


def _resolve_untagged(v: str) -> Any:
    from kelm.kustomize.yamlread import normalize, resolve_plain_number

    rt = resolved_tag(v)
    if rt == "!!null":
        return None
    if rt == "!!bool":
        return v.lower() == "true"
    if rt in ("!!int", "!!float"):
        return normalize(resolve_plain_number(v))
    if rt == "!!timestamp":
        return resolve_plain_number(v)
    return str(v)


class Untagged(str):
    """Text of a scalar node created without a tag; it is typed by YAML resolution at
    output, unless something rewrites it as a string first (vars do)."""


def resolved_tag(t: str) -> str:
    """The tag go-yaml v3 resolves a plain scalar to."""
    from kelm.kustomize.yamlread import resolve_plain_number

    if t in ("", "~", "null", "Null", "NULL"):
        return "!!null"
    if t in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return "!!bool"
    if t[:1] in "-+.0123456789":
        v = resolve_plain_number(t)
        if isinstance(v, bool):
            return "!!bool"
        if isinstance(v, int):
            return "!!int"
        if isinstance(v, float):
            return "!!float"
        if v != t:
            return "!!timestamp"
    return "!!str"


def _typed_like(target: Any, value_text: str) -> Any:
    from kelm.kustomize.yamlread import normalize, resolve_plain_number

    if isinstance(target, TypedScalar):
        tag = target.tag
    elif target is None:
        tag = "!!null"
    elif isinstance(target, bool):
        tag = "!!bool"
    elif isinstance(target, int):
        tag = "!!int"
    elif isinstance(target, float):
        tag = "!!float"
    else:
        return value_text
    rt = resolved_tag(value_text)
    if tag == "!!null" and rt == "!!null":
        return None
    if tag == "!!bool" and rt == "!!bool":
        return value_text.lower() == "true"
    if tag == "!!int" and rt == "!!int" or tag == "!!float" and rt in ("!!int", "!!float"):
        v = normalize(resolve_plain_number(value_text))
        return float(v) if tag == "!!float" and rt == "!!float" else v
    return TypedScalar(value_text, tag)


def check_typed(obj: Any) -> None:
    """Resolve untagged scalars; raise the decode error kustomize reports for a scalar
    left with a wrong tag."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if type(v) is Untagged:
                obj[k] = _resolve_untagged(v)
            else:
                check_typed(v)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            if type(v) is Untagged:
                obj[i] = _resolve_untagged(v)
            else:
                check_typed(v)
    elif isinstance(obj, TypedScalar):
        raise KustomizeError(
            f"map[string]interface {{}}(nil): yaml: cannot decode {resolved_tag(str(obj))} "
            f"`{obj}` as a {obj.tag}"
        )


def _set_value(container: Any, key: Any, value: Any, opts: dict[str, Any], created: bool) -> None:
    target = container[key]
    value = copy.deepcopy(value)
    if opts.get("delimiter"):
        if isinstance(target, dict | list):
            raise KustomizeError("delimiter option can only be used with scalar nodes")
        tv = text(target).split(opts["delimiter"])
        v = text(value)
        idx = int(opts.get("index") or 0)
        if idx < 0:
            tv = [v, *tv]
        elif idx >= len(tv):
            tv.append(v)
        else:
            tv[idx] = v
        value = opts["delimiter"].join(tv)
    if isinstance(target, dict | list) or (created and isinstance(value, dict | list)):
        container[key] = value
        return
    vt = text(value)  # a scalar target takes only the text ("" for a map or list)
    if created:
        container[key] = Untagged(vt)  # a new node has no tag: its text decides the type
    else:
        container[key] = _typed_like(target, vt)  # the target keeps its tag


def _apply_targets(m: ResMap, value: Any, targets: list[Any]) -> None:
    for t in targets:
        sel = t.get("select")
        if sel is None:
            raise KustomizeError("target must specify resources to select")
        sid = _selector_id(sel)
        rejects = t.get("reject") or []
        fps = t.get("fieldPaths") or ["metadata.name"]
        opts = t.get("options") or {}
        for r in m.items:
            if not _anno_label_match(r, sel):
                continue
            if any((rj.get("annotationSelector") or rj.get("labelSelector"))
                   and _anno_label_match(r, rj) for rj in rejects):
                continue
            ids = r.all_ids()
            if not any(_selected_by(i, sid) for i in ids):
                continue
            rejected = False
            for rj in rejects:
                rid = _selector_id(rj)
                if rid == ResId(Gvk("", "", ""), "", ""):
                    continue
                if any(_selected_by(i, rid) for i in ids):
                    rejected = True
            if rejected:
                continue
            for fp in fps:
                create = opts.get("create")
                parts = split_dotted(str(fp))
                hits = match_targets(r.obj, parts, (lambda: "") if create else None)
                if not hits:
                    what = "find or create" if create else "find"
                    raise KustomizeError(f'unable to {what} field "{fp}" in replacement target')
                for c, k, created in hits:
                    _set_value(c, k, value, opts, created=created)


def apply_replacements(m: ResMap, reps: list[dict[str, Any]]) -> None:
    for rep in reps:
        if (rep.get("sourceValue") is None and rep.get("source") is None) or rep.get(
            "targets"
        ) is None:
            raise KustomizeError("replacements must specify a source and at least one target")
        value = _source_value(m, rep)
        _apply_targets(m, value, rep["targets"])
