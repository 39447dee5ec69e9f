"""Arrange Python jsonschema errors into the tree santhosh-tekuri/jsonschema v6 prints.

Python's validator reports flat leaf errors in schema-keyword order; Helm's library walks
keywords in a fixed order, stops at the first type/const/enum failure of a schema node,
nests the branches of ``allOf``/``anyOf``/``oneOf`` under a ``'xOf' failed`` line and a
``$ref`` with several failures under ``validation failed``.  Each node renders as
``- at '/path': message`` indented two spaces per level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

# v6's order of keywords within one schema node
_RANK = {
    k: i for i, k in enumerate([
        "type", "const", "enum", "format", "$ref", "minProperties", "maxProperties",
        "required", "dependencies", "properties", "patternProperties", "additionalProperties",
        "propertyNames", "dependentSchemas", "dependentRequired", "minItems", "maxItems",
        "uniqueItems", "contains", "items", "prefixItems", "additionalItems", "minContains",
        "maxContains", "minLength", "maxLength", "pattern", "contentEncoding",
        "contentMediaType", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "$dynamicRef", "$recursiveRef", "not", "allOf", "anyOf", "oneOf", "if",
        "then", "else", "unevaluatedProperties", "unevaluatedItems",
    ])
}
_NAMED = {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"}
_INDEXED = {"allOf", "anyOf", "oneOf", "prefixItems"}
_DESCEND = {"properties", "patternProperties", "additionalProperties", "items", "prefixItems",
            "additionalItems", "contains", "unevaluatedProperties", "unevaluatedItems"}
_STOPPERS = ("type", "const", "enum", "format")
_GROUPS = ("allOf", "anyOf", "oneOf", "$ref")


@dataclass
class Node:
    path: list[Any]
    message: str
    causes: list[Node] = field(default_factory=list)


def _sort_key(spath: list[Any]) -> tuple[int, ...]:
    key: list[int] = []
    skip = False
    for tok in spath:
        if skip:
            skip = False
            continue
        if isinstance(tok, int):
            key.append(tok)
            continue
        key.append(_RANK.get(tok, 99))
        if tok in _NAMED:
            skip = True
            key.append(0)  # names tie: keep Python's (schema) order
    return tuple(key)


def _descents(spath: list[Any]) -> int:
    """How many instance steps a schema path takes (properties/x, items, ...)."""
    n, skip = 0, False
    for tok in spath:
        if skip:
            skip = False
            continue
        if tok in _DESCEND:
            n += 1
        if tok in _NAMED or tok in _INDEXED:
            skip = True
    return n


def _drop_after_stoppers(errs: list[Any]) -> list[Any]:
    """A schema node that fails type/const/enum/format reports only that failure."""
    stopped: dict[tuple[Any, ...], int] = {}
    for e in errs:
        sp = list(e.relative_schema_path)
        if e.validator in _STOPPERS and sp and sp[-1] == e.validator:
            node = tuple(sp[:-1])
            r = _RANK[e.validator]
            if node not in stopped or r < stopped[node]:
                stopped[node] = r
    if not stopped:
        return errs
    out = []
    for e in errs:
        path = tuple(e.relative_schema_path)
        drop = False
        for node, r in stopped.items():
            if path[: len(node)] == node and len(path) > len(node):
                rest = path[len(node):]
                if not (len(rest) == 1 and rest[0] == e.validator and _RANK.get(rest[0]) == r):
                    drop = True
                    break
        if not drop:
            out.append(e)
    return out


def build(errs: list[Any], base: list[Any], message: Callable[[Any], str],
          depth: int = 0) -> list[Node]:
    """Nodes for ``errs`` (Python errors whose schema paths are relative to one schema node
    validated at instance path ``base``)."""
    errs = sorted(_drop_after_stoppers(errs), key=lambda e: _sort_key(
        list(e.relative_schema_path)[depth:]))
    out: list[Node] = []
    i = 0
    while i < len(errs):
        e = errs[i]
        sp = list(e.relative_schema_path)[depth:]
        g = next((j for j, t in enumerate(sp) if t in _GROUPS and (j == 0 or sp[j - 1]
                  not in _NAMED)), None)
        if g is None or (sp[g] in ("anyOf", "oneOf") and g == len(sp) - 1):
            out.append(_leaf(e, message, depth))
            i += 1
            continue
        # gather every error that passes through the same allOf/$ref (or xOf context)
        prefix = sp[: g + 1]
        members = [e]
        j = i + 1
        while j < len(errs) and list(errs[j].relative_schema_path)[depth:][: g + 1] == prefix:
            members.append(errs[j])
            j += 1
        i = j
        at = _at(e, depth, prefix)
        if sp[g] == "$ref":
            inner = build(members, at, message, depth + g + 1)
            if len(inner) == 1:
                out.append(inner[0])
            else:
                out.append(Node(at, "validation failed", inner))
        else:  # allOf
            out.append(Node(at, "'allOf' failed", _branches(members, at, message,
                                                             depth + g + 1)))
    return out


def _at(e: Any, depth: int, prefix: list[Any]) -> list[Any]:
    full = list(e.relative_schema_path)
    steps_after = _descents(full[depth + len(prefix):])
    path = list(e.absolute_path)
    return path[: len(path) - steps_after] if steps_after else path


def _branches(members: list[Any], at: list[Any], message: Callable[[Any], str],
              depth: int) -> list[Node]:
    by: dict[int, list[Any]] = {}
    for m in members:
        by.setdefault(list(m.relative_schema_path)[depth], []).append(m)
    out = []
    for idx in sorted(by):
        inner = build(by[idx], at, message, depth + 1)
        out.append(inner[0] if len(inner) == 1 else Node(at, "validation failed", inner))
    return out


def _leaf(e: Any, message: Callable[[Any], str], depth: int) -> Node:
    path = list(e.absolute_path)
    if e.validator in ("anyOf", "oneOf") and e.context:
        if e.validator == "oneOf" and not _none_matched(e):
            return Node(path, message(e))
        ctx = e.context
        by: dict[int, list[Any]] = {}
        for c in ctx:
            by.setdefault(list(c.relative_schema_path)[0], []).append(c)
        causes = []
        for idx in sorted(by):
            inner = build(by[idx], path, message, 1)
            causes.append(inner[0] if len(inner) == 1 else Node(path, "validation failed", inner))
        return Node(path, f"'{e.validator}' failed" + (", none matched"
                                                       if e.validator == "oneOf" else ""),
                    causes)
    return Node(path, message(e))


def _none_matched(e: Any) -> bool:
    n = len(e.validator_value) if isinstance(e.validator_value, list) else 0
    return len({list(c.relative_schema_path)[0] for c in e.context}) == n


def render(nodes: list[Node], pointer: Callable[[list[Any]], str], indent: int = 0) -> list[str]:
    lines = []
    for n in nodes:
        lines.append("  " * indent + f"- at '{pointer(n.path)}': {n.message}")
        lines.extend(render(n.causes, pointer, indent + 1))
    return lines
