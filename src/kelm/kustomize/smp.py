"""Strategic merge patch with kyaml's merge2 semantics (what kustomize actually does).

Merge keys and patch strategies come from the OpenAPI schema (see ``openapi.py``);
lists of unknown types are replaced. Patch list elements come first, then original
elements not mentioned by the patch (kyaml's "prepend" list direction). Composite
merge keys (``containerPort`` + ``protocol``) follow kyaml's matching rules,
quirks included. ``$setElementOrder``/``$retainKeys`` are not interpreted.
"""

from __future__ import annotations

from typing import Any

from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.openapi import Schema


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


MISSING: Any = _Sentinel("MISSING")
PERSIST_NULL: Any = _Sentinel("PERSIST_NULL")
_DIRECTIVE = "$patch"


def _null(x: Any) -> bool:
    return x is MISSING or x is None or x is PERSIST_NULL


def _empty_map(x: Any) -> bool:
    return _null(x) or (isinstance(x, dict) and not x)


def text(v: Any) -> str:
    """The scalar text kyaml compares (``Node.Value``)."""
    if isinstance(v, str):
        return v
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        from kelm.kustomize.yamlread import go_json_float

        return go_json_float(v)
    return ""


def _kind(v: Any) -> str:
    if isinstance(v, dict):
        return "MappingNode"
    if isinstance(v, list):
        return "SequenceNode"
    return "ScalarNode"


class Merger:
    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    # ---------------------------------------------------------------- schema helpers
    def _props(self, spec: dict[str, Any] | None) -> dict[str, Any] | None:
        return self.schema.resolve(spec)

    def _field(self, spec: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
        if spec is None:
            return None
        if spec.get("t") == "o":
            return spec.get("a")
        props = self._props(spec)
        if not props:
            return None
        return props.get(key)

    def _get_schema(self, spec: dict[str, Any] | None, *sources: Any) -> dict[str, Any] | None:
        if spec is not None:
            return spec
        for s in sources:
            if isinstance(s, dict):
                av, k = s.get("apiVersion"), s.get("kind")
                if isinstance(av, str) and isinstance(k, str) and av and k:
                    found = self.schema.for_type(av, k)
                    if found is not None:
                        return found
        return None

    # ---------------------------------------------------------------- walk
    def walk(self, dest: Any, origin: Any, spec: dict[str, Any] | None) -> Any:
        spec = self._get_schema(spec, dest, origin)
        kind = None
        for s in (dest, origin):
            if not _null(s):
                kind = _kind(s)
                break
        if kind is None or kind == "MappingNode":
            self._check(kind or "MappingNode", dest, origin)
            return self._walk_map(dest, origin, spec)
        if kind == "SequenceNode":
            self._check(kind, dest, origin)
            strategy = (spec or {}).get("s", "") if spec else ""
            if "merge" in strategy.split(","):
                return self._walk_assoc(dest, origin, spec)
            return origin if origin is not MISSING else dest
        self._check(kind, dest, origin)
        return origin if origin is not MISSING else dest

    @staticmethod
    def _check(kind: str, *sources: Any) -> None:
        for s in sources:
            if not _null(s) and _kind(s) != kind:
                raise KustomizeError(f"wrong node kind: expected {kind} but got {_kind(s)}")

    def _visit_map(self, dest: Any, origin: Any) -> Any:
        if _null(dest):
            try:
                ps = _directive(origin)
            except KustomizeError:
                ps = "unknown"
            if ps == "delete":
                return MISSING
            if origin is MISSING and (dest is None or dest is PERSIST_NULL):
                return PERSIST_NULL
            return origin
        if origin is None:
            return MISSING
        ps = _directive(origin)
        if ps == "delete":
            return MISSING
        if ps == "replace":
            return origin
        return dest

    def _walk_map(self, dest: Any, origin: Any, spec: dict[str, Any] | None) -> Any:
        d = self._visit_map(dest, origin)
        if not isinstance(d, dict):
            return d
        keys = set(d)
        if isinstance(origin, dict) and origin is not d:
            keys.update(origin)
        for key in sorted(keys):
            fd = d.get(key, MISSING)
            fo = origin.get(key, MISSING) if isinstance(origin, dict) else MISSING
            if fd is None:
                # an explicit null persists; an empty value (``key:``) does not
                empty = getattr(d, "empty_nulls", ())
                fd = PERSIST_NULL if key in d and key not in empty else MISSING
            val = self.walk(fd, fo, self._field(spec, key))
            if val is MISSING or val is None:
                d.pop(key, None)
            elif val is PERSIST_NULL:
                d[key] = None
            else:
                d[key] = val
        return d

    # ---------------------------------------------------------------- associative lists
    def _walk_assoc(self, dest: Any, origin: Any, spec: dict[str, Any] | None) -> Any:
        # VisitList
        if _null(dest):
            d = origin
        elif origin is None:
            return MISSING
        else:
            ps = _directive(origin)
            if ps == "delete":
                return MISSING
            d = origin if ps == "replace" else dest
        if _null(d):
            return MISSING
        assert spec is not None
        strategy = spec.get("s", "")
        keys: list[str] = []
        if strategy:
            if spec.get("m"):
                keys = list(spec["m"])
            elif spec.get("k"):
                keys = [spec["k"]]
        sources = [d, origin]
        if keys:
            values = _element_values(sources, keys)
            return self._set_elements(values, keys, d, origin, spec)
        return self._set_elements(_primitive_values(sources), [""], d, origin, spec)

    def _set_elements(
        self,
        values_list: list[list[str]],
        keys: list[str],
        dest: list[Any],
        origin: Any,
        spec: dict[str, Any],
    ) -> Any:
        items: list[Any] = []
        elem_spec = spec.get("i")
        if len(keys) > 1:
            _merge_values(values_list)
        valid_keys: list[str] = []
        valid_values: list[str] = []
        for values in values_list:
            if not values:
                continue
            valid_keys, valid_values = _validate_keys(values_list, values, keys)
            k2, v2 = _validate_keys([valid_values], valid_values, valid_keys)
            src_d = _element_list(dest, k2, v2)
            src_o = _element_list(origin, k2, v2) if origin is not MISSING else MISSING
            val = self.walk(src_d, src_o, elem_spec)
            leave = False
            for i, key in enumerate(valid_keys):
                if _null(val) or _empty_map(val):
                    _element_setter(dest, None, valid_keys, valid_values)
                    leave = True
                elif isinstance(val, dict) and key not in val and valid_values[i] != "":
                    val[key] = valid_values[i]
            if leave:
                continue
            _element_setter(items, val, valid_keys, valid_values)
        if values_list:
            _append_list(items, dest, valid_keys)
            dest = items
        if _null(dest):
            return MISSING
        return dest


def _directive(patch: Any) -> str:
    if patch is MISSING:
        return "merge"
    if isinstance(patch, list):
        node = next((e for e in patch if isinstance(e, dict) and _DIRECTIVE in e), None)
        if node is None or len(node) > 1:
            return "merge"
        v = node.get(_DIRECTIVE)
        if _null(v):
            return "merge"
        v = text(v)
        if v in ("delete", "replace", "merge"):
            _element_setter(patch, None, [_DIRECTIVE], [v])
            return v
        raise KustomizeError(f"unknown patch strategy '{v}'")
    if isinstance(patch, dict):
        if _DIRECTIVE not in patch or patch[_DIRECTIVE] is None:
            return "merge"
        v = text(patch[_DIRECTIVE])
        if v in ("delete", "replace", "merge"):
            del patch[_DIRECTIVE]
            return v
        raise KustomizeError(f"unknown patch strategy '{v}'")
    raise KustomizeError("no implemented strategic merge patch strategy")


def _element_values(sources: list[Any], keys: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for src in (sources[1], sources[0]):
        if not isinstance(src, list):
            continue
        for elem in src:
            vals = []
            for k in keys:
                f = elem.get(k, MISSING) if isinstance(elem, dict) else MISSING
                vals.append("" if _null(f) or f in ({}, [], "") else text(f))
            t = tuple(vals)
            if t in seen:
                continue
            seen.add(t)
            out.append(vals)
    return out


def _primitive_values(sources: list[Any]) -> list[list[str]]:
    out: list[list[str]] = []
    seen: set[str] = set()
    for src in (sources[1], sources[0]):
        if not isinstance(src, list):
            continue
        for item in src:
            t = text(item)
            if t in seen:
                continue
            out.append([t])
            seen.add(t)
    return out


def _validate_keys(
    values_list: list[list[str]], values: list[str], keys: list[str]
) -> tuple[list[str], list[str]]:
    valid: set[str] = set()
    for vals in values_list:
        for i, v in enumerate(vals):
            if v != "":
                valid.add(keys[i])
    if not valid:
        return keys, values
    vk = [k for k in keys if k in valid]
    vv = [v for i, v in enumerate(values) if v != "" or keys[i] in valid]
    return vk, vv


def _merge_values(values_list: list[list[str]]) -> None:
    for i in range(len(values_list)):
        for j in range(len(values_list)):
            ok, merged = _match(values_list[i], values_list[j])
            if ok:
                values_list[i] = merged
                values_list[j] = list(merged)


def _match(a: list[str], b: list[str]) -> tuple[bool, list[str]]:
    if len(a) != len(b):
        return False, []
    common = False
    res = []
    for x, y in zip(a, b, strict=True):
        if x == y:
            common = True
            res.append(x)
            continue
        if x != "" and y != "":
            return False, []
        res.append(x if x != "" else y)
    return common, res


def _element_list(src: Any, keys: list[str], values: list[str]) -> Any:
    if not isinstance(src, list):
        return MISSING
    if not keys:
        keys = [""]
    if not values:
        values = [""]
    if keys[0] == "":
        for item in src:
            if text(item) == values[0]:
                return item
        return MISSING
    for elem in src:
        if not isinstance(elem, dict):
            continue
        if all(k in elem and text(elem[k]) == values[i] for i, k in enumerate(keys)):
            return elem
    return MISSING


def _field_matches(elem: Any, name: str, value: str) -> bool:
    if _null(elem):
        return False
    if name == "":
        if isinstance(elem, dict | list):
            return False
        return text(elem) == value
    if not isinstance(elem, dict):
        return False
    if name not in elem:
        return False
    return value == "" or text(elem[name]) == value


def _element_setter(lst: list[Any], element: Any, keys: list[str], values: list[str]) -> None:
    if not keys:
        keys = [""]
    mapping_setter = keys[0] != "" and bool(values) and values[0] != ""
    new: list[Any] = []
    found_any = False
    for elem in lst:
        if _empty_map(elem):
            continue
        if not isinstance(elem, dict) and mapping_setter:
            new.append(elem)
            continue
        found = True
        matched = False
        for j, k in enumerate(keys):
            if j < len(values):
                matched = _field_matches(elem, k, values[j])
            if not matched:
                found = False
                break
        if not found:
            if values:
                new.append(elem)
            continue
        found_any = True
        if element is None:
            continue
        new.append(element)
    lst[:] = new
    if _null(element):
        return
    if not found_any:
        lst.append(element)


def _append_list(dst: list[Any], src: list[Any], keys: list[str]) -> None:
    if not keys:
        keys = [""]
    for elem in list(src):
        if keys[0] == "":
            _element_setter(dst, elem, [""], [text(elem)])
            continue
        v: list[str] = []
        for key in keys:
            if not isinstance(elem, dict) or key not in elem:
                dst.append(elem)
                continue
            v.append(text(elem[key]))
        if len(keys) > 1:
            _element_setter(dst, None, keys, v)
        _element_setter(dst, elem, keys, v)


def merge(dest: dict[str, Any], patch: dict[str, Any], schema: Schema) -> dict[str, Any] | None:
    """Apply ``patch`` onto ``dest`` (mutated); None means the resource was deleted."""
    result = Merger(schema).walk(dest, patch, None)
    if _null(result):
        return None
    return result
