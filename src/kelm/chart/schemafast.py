"""A quick "these values certainly satisfy this schema" check that needs no jsonschema import.

Importing jsonschema costs more than rendering a typical chart, yet almost every chart's values
are valid.  :func:`certainly_valid` understands the plain keywords most ``values.schema.json``
files use, with the jsonschema library's semantics in every draft; it answers True only when
each keyword it meets is one of those and holds.  Anything else (an unknown or draft-dependent
keyword, a failing check, an odd value type) answers False, and the caller runs jsonschema,
which alone words the errors.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Sized
    from typing import Any

# keywords that never constrain the instance (format is not asserted: no format checker)
_ANNOTATIONS = frozenset({
    "$comment", "title", "description", "default", "examples", "format", "readOnly",
    "writeOnly", "deprecated",
})
# every keyword some jsonschema draft acts on (tests/chart/test_schemafast.py keeps this in step
# with the installed library) plus those its reference resolution reads; any other keyword
# (a UI hint such as Rancher's "form") is ignored by jsonschema, and so here
CONSTRAINING = frozenset({
    "$dynamicRef", "$recursiveRef", "$ref", "additionalItems", "additionalProperties", "allOf",
    "anyOf", "const", "contains", "dependencies", "dependentRequired", "dependentSchemas",
    "disallow", "divisibleBy", "enum", "exclusiveMaximum", "exclusiveMinimum", "extends",
    "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
    "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern",
    "patternProperties", "prefixItems", "properties", "propertyNames", "required", "type",
    "unevaluatedItems", "unevaluatedProperties", "uniqueItems",
    "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$vocabulary",
})
# identifiers and definition tables are read by jsonschema's set-up: only well-formed ones
_STRINGS = frozenset({"$schema", "$id", "id"})
_TABLES = frozenset({"definitions", "$defs"})
_TYPES = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    # a whole float is an integer from draft 6 on (values arrive as float64, like Helm's)
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)
                          or _state["whole_floats"] and isinstance(v, float) and v.is_integer()),
}
# jsonschema picks the draft from the root's $schema (unknown or absent: 2020-12); only drafts
# 3 and 4 treat 1.0 as no integer, so a $schema that may name them gets no whole floats
_OLD_DRAFTS = ("draft-03", "draft-04")
_state: dict[str, bool] = {"whole_floats": True}
_PLAIN = (type(None), bool, int, float, str, list, dict)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _same(a: Any, b: Any) -> bool:
    """Equality where jsonschema's and Python's certainly agree (strings, null, booleans)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if a is None or b is None:
        return a is None and b is None
    return isinstance(a, str) and isinstance(b, str) and a == b


def certainly_valid(schema: Any, inst: Any) -> bool:
    """True only if ``inst`` satisfies ``schema`` for sure (see the module docstring)."""
    draft = schema.get("$schema") if isinstance(schema, dict) else None
    _state["whole_floats"] = draft is None or (
        isinstance(draft, str) and not any(d in draft for d in _OLD_DRAFTS))
    return _valid(schema, inst, 0)


def _valid(schema: Any, inst: Any, depth: int) -> bool:
    if schema is True:
        return True
    if not isinstance(schema, dict) or depth > 64 or not isinstance(inst, _PLAIN):
        return False
    for key, val in schema.items():
        if key in _ANNOTATIONS:
            continue
        if key in _STRINGS or key in _TABLES:
            if not isinstance(val, str if key in _STRINGS else dict):
                return False
            continue
        if key == "additionalProperties":
            if not _additional(val, inst, depth, schema.get("properties") or {}):
                return False
            continue
        ok = _CHECKS.get(key)
        if ok is None:
            if key in CONSTRAINING:
                return False
            continue
        if not ok(val, inst, depth):
            return False
    return True


def _type(val: Any, inst: Any, depth: int) -> bool:
    names = val if isinstance(val, list) else [val]
    if not names or not all(isinstance(n, str) and n in _TYPES for n in names):
        return False
    return any(_TYPES[n](inst) for n in names)


def _properties(val: Any, inst: Any, depth: int) -> bool:
    if not isinstance(val, dict):
        return False
    if not isinstance(inst, dict):
        return True
    for name, sub in val.items():
        if name in inst and not _valid(sub, inst[name], depth + 1):
            return False
    return True


def _additional(val: Any, inst: Any, depth: int, props: Any) -> bool:
    """Keys not named in ``properties`` (``patternProperties`` is never certain, see above)."""
    if not isinstance(val, (bool, dict)) or not isinstance(props, dict):
        return False
    if not isinstance(inst, dict) or val is True:
        return True
    extra = [k for k in inst if k not in props]
    if val is False:
        return not extra
    return all(_valid(val, inst[k], depth + 1) for k in extra)


def _required(val: Any, inst: Any, depth: int) -> bool:
    if not isinstance(val, list) or not all(isinstance(n, str) for n in val):
        return False
    return not isinstance(inst, dict) or all(n in inst for n in val)


def _items(val: Any, inst: Any, depth: int) -> bool:
    if not isinstance(val, dict):
        return False  # the array and boolean forms differ between drafts
    if not isinstance(inst, list):
        return True
    return all(_valid(val, item, depth + 1) for item in inst)


def _enum(val: Any, inst: Any, depth: int) -> bool:
    return isinstance(val, list) and any(_same(e, inst) for e in val)


def _const(val: Any, inst: Any, depth: int) -> bool:
    return _same(val, inst)


def _bound(cmp: Any) -> Any:
    def check(val: Any, inst: Any, depth: int) -> bool:
        if not _is_number(val):
            return False
        return not _is_number(inst) or cmp(inst, val)

    return check


def _length(cmp: Any, kind: type[Sized]) -> Any:
    def check(val: Any, inst: Any, depth: int) -> bool:
        if not isinstance(val, int) or isinstance(val, bool):
            return False
        return not isinstance(inst, kind) or cmp(len(inst), val)

    return check


def _pattern(val: Any, inst: Any, depth: int) -> bool:
    if not isinstance(val, str):
        return False
    if not isinstance(inst, str):
        return True
    try:
        return re.search(val, inst) is not None
    except re.error:
        return False


def _all_of(val: Any, inst: Any, depth: int) -> bool:
    return isinstance(val, list) and all(_valid(s, inst, depth + 1) for s in val)


def _any_of(val: Any, inst: Any, depth: int) -> bool:
    return isinstance(val, list) and any(_valid(s, inst, depth + 1) for s in val)


_CHECKS: dict[str, Any] = {
    "type": _type,
    "properties": _properties,
    "required": _required,
    "items": _items,
    "enum": _enum,
    "const": _const,
    "minimum": _bound(lambda i, v: i >= v),
    "maximum": _bound(lambda i, v: i <= v),
    "minLength": _length(lambda n, v: n >= v, str),
    "maxLength": _length(lambda n, v: n <= v, str),
    "minItems": _length(lambda n, v: n >= v, list),
    "maxItems": _length(lambda n, v: n <= v, list),
    "pattern": _pattern,
    "allOf": _all_of,
    "anyOf": _any_of,
}
