"""``/openapi/v2`` as protobuf (gnostic's ``openapi.v2.Document``), the form Go clients ask
for: kubectl's and Helm's client-side validation reads it for kinds that OpenAPI v3 does not
describe (a removed API version, ``kind: List``) and gives up when it is refused.

The JSON document is encoded field by field as gnostic's ``ParseDocument`` would compile it:
scalar fields in their proto3 form, maps as ordered ``Named*`` pairs, and values of free form
(``default``, ``enum``, ``example``, ``x-*`` extensions) as ``Any`` messages holding YAML text
(JSON, which YAML parsers read as well). Keys gnostic does not know are left out, as a server
leaves them out of the OpenAPI v2 form of a CRD's schema."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from typing import Any

Encoder = Callable[[Any], bytes]


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _key(num: int, wire: int) -> bytes:
    return _varint(num << 3 | wire)


def _bytes_field(num: int, data: bytes) -> bytes:
    return _key(num, 2) + _varint(len(data)) + data


def _string(num: int, value: Any) -> bytes:
    text = value if isinstance(value, str) else str(value)
    return _bytes_field(num, text.encode()) if text else b""


def _bool(num: int, value: Any, *, keep_false: bool = False) -> bytes:
    if not value and not keep_false:
        return b""
    return _key(num, 0) + _varint(1 if value else 0)


def _int(num: int, value: Any) -> bytes:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not value:
        return b""
    return _key(num, 0) + _varint(int(value))


def _double(num: int, value: Any) -> bytes:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not value:
        return b""
    return _key(num, 1) + struct.pack("<d", float(value))


def _any(value: Any) -> bytes:
    """An ``openapi.v2.Any``: the value as YAML text (field 2)."""
    return _bytes_field(2, json.dumps(value, separators=(",", ":")).encode())


def _message(num: int, body: bytes, *, keep_empty: bool = False) -> bytes:
    return _bytes_field(num, body) if body or keep_empty else b""


def _named(num: int, mapping: Any, encode: Encoder) -> bytes:
    """A map as repeated (name = 1, value = 2) pairs in document order."""
    if not isinstance(mapping, dict):
        return b""
    out = bytearray()
    for name, value in mapping.items():
        out += _bytes_field(num, _string(1, name) + _message(2, encode(value), keep_empty=True))
    return bytes(out)


def _extensions(num: int, obj: dict[str, Any]) -> bytes:
    ext = {k: v for k, v in obj.items() if k.startswith("x-")}
    return _named(num, ext, _any)


def _strings(num: int, values: Any) -> bytes:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return b""
    return b"".join(_bytes_field(num, str(v).encode()) for v in values)


def _anys(num: int, values: Any) -> bytes:
    if not isinstance(values, list):
        return b""
    return b"".join(_bytes_field(num, _any(v)) for v in values)


# ------------------------------------------------------------------ schemas

# (JSON key, field number, kind) of openapi.v2.Schema, in field order.
_SCHEMA_SCALARS = (
    ("$ref", 1, "s"), ("format", 2, "s"), ("title", 3, "s"), ("description", 4, "s"),
    ("default", 5, "a"), ("multipleOf", 6, "d"), ("maximum", 7, "d"),
    ("exclusiveMaximum", 8, "b"), ("minimum", 9, "d"), ("exclusiveMinimum", 10, "b"),
    ("maxLength", 11, "i"), ("minLength", 12, "i"), ("pattern", 13, "s"), ("maxItems", 14, "i"),
    ("minItems", 15, "i"), ("uniqueItems", 16, "b"), ("maxProperties", 17, "i"),
    ("minProperties", 18, "i"),
)


def _scalar(kind: str, num: int, value: Any) -> bytes:
    if kind == "s":
        return _string(num, value)
    if kind == "a":
        return _message(num, _any(value), keep_empty=True)
    if kind == "d":
        return _double(num, value)
    if kind == "b":
        return _bool(num, value)
    return _int(num, value)


def schema(s: Any) -> bytes:
    """One ``openapi.v2.Schema`` (JSON Schema as Swagger 2.0 has it)."""
    if not isinstance(s, dict):
        return b""
    out = bytearray()
    for key, num, kind in _SCHEMA_SCALARS:
        if key in s:
            out += _scalar(kind, num, s[key])
    out += _strings(19, s.get("required"))
    out += _anys(20, s.get("enum"))
    extra = s.get("additionalProperties")
    if isinstance(extra, dict):
        out += _message(21, _message(1, schema(extra), keep_empty=True), keep_empty=True)
    elif isinstance(extra, bool):
        out += _message(21, _bool(2, extra, keep_false=True))
    if "type" in s:
        out += _message(22, _strings(1, s["type"]), keep_empty=True)
    items = s.get("items")
    if isinstance(items, dict):
        items = [items]
    if isinstance(items, list):
        body = b"".join(_bytes_field(1, schema(i)) for i in items)
        out += _message(23, body, keep_empty=True)
    for sub in s.get("allOf") or []:
        out += _bytes_field(24, schema(sub))
    if isinstance(s.get("properties"), dict):
        out += _message(25, _named(1, s["properties"], schema), keep_empty=True)
    out += _string(26, s.get("discriminator", ""))
    out += _bool(27, s.get("readOnly"))
    if "example" in s:
        out += _message(30, _any(s["example"]), keep_empty=True)
    out += _extensions(31, s)
    return bytes(out)


# --------------------------------------------------------------- operations

def _non_body(p: dict[str, Any]) -> bytes:
    """A query, path, header or formData parameter (their sub-schemas differ in numbering)."""
    where = p.get("in", "")
    # field numbers: required, in, description, name, [allowEmptyValue], type, format,
    # uniqueItems, vendor extensions; items/defaults beyond these are not in the documents.
    layout = {"query": (3, 5, 6, 7, 20, 23), "formData": (2, 5, 6, 7, 20, 23),
              "header": (1, None, 5, 6, 19, 22), "path": (4, None, 5, 6, 19, 22)}
    if where not in layout:
        return b""
    slot, allow_empty, typ, fmt, unique, ext = layout[where]
    body = (_bool(1, p.get("required")) + _string(2, where) + _string(3, p.get("description", ""))
            + _string(4, p.get("name", "")))
    if allow_empty is not None:
        body += _bool(allow_empty, p.get("allowEmptyValue"))
    body += _string(typ, p.get("type", "")) + _string(fmt, p.get("format", ""))
    body += _bool(unique, p.get("uniqueItems")) + _extensions(ext, p)
    return _message(slot, body, keep_empty=True)


def _parameter(p: Any) -> bytes:
    """An ``openapi.v2.ParametersItem``."""
    if not isinstance(p, dict):
        return b""
    if "$ref" in p:
        ref = _string(1, p["$ref"]) + _string(2, p.get("description", ""))
        return _message(2, ref, keep_empty=True)
    if p.get("in") == "body":
        body = (_string(1, p.get("description", "")) + _string(2, p.get("name", ""))
                + _string(3, "body") + _bool(4, p.get("required"))
                + _message(5, schema(p.get("schema")), keep_empty=True) + _extensions(6, p))
        return _message(1, _message(1, body, keep_empty=True), keep_empty=True)
    return _message(1, _message(2, _non_body(p), keep_empty=True), keep_empty=True)


def _response(r: Any) -> bytes:
    """An ``openapi.v2.ResponseValue``."""
    if not isinstance(r, dict):
        return b""
    if "$ref" in r:
        return _message(2, _string(1, r["$ref"]), keep_empty=True)
    body = _string(1, r.get("description", ""))
    if isinstance(r.get("schema"), dict):
        body += _message(2, _message(1, schema(r["schema"]), keep_empty=True), keep_empty=True)
    return _message(1, body + _extensions(5, r), keep_empty=True)


def _operation(op: Any) -> bytes:
    if not isinstance(op, dict):
        return b""
    out = bytearray(_strings(1, op.get("tags")))
    out += _string(2, op.get("summary", "")) + _string(3, op.get("description", ""))
    out += _string(5, op.get("operationId", ""))
    out += _strings(6, op.get("produces")) + _strings(7, op.get("consumes"))
    for p in op.get("parameters") or []:
        out += _bytes_field(8, _parameter(p))
    responses = op.get("responses")
    if isinstance(responses, dict):
        codes = {k: v for k, v in responses.items() if not k.startswith("x-")}
        out += _message(9, _named(1, codes, _response) + _extensions(2, responses),
                        keep_empty=True)
    out += _strings(10, op.get("schemes")) + _bool(11, op.get("deprecated"))
    out += _extensions(13, op)
    return bytes(out)


_METHODS = (("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("options", 6), ("head", 7),
            ("patch", 8))


def _path_item(item: Any) -> bytes:
    if not isinstance(item, dict):
        return b""
    out = bytearray(_string(1, item.get("$ref", "")))
    for method, num in _METHODS:
        if method in item:
            out += _message(num, _operation(item[method]), keep_empty=True)
    for p in item.get("parameters") or []:
        out += _bytes_field(9, _parameter(p))
    out += _extensions(10, item)
    return bytes(out)


def document(doc: dict[str, Any]) -> bytes:
    """The whole ``openapi.v2.Document`` of a Swagger 2.0 JSON document."""
    out = bytearray(_string(1, doc.get("swagger", "")))
    info = doc.get("info")
    if isinstance(info, dict):
        out += _message(2, _string(1, info.get("title", "")) + _string(2, info.get("version", ""))
                        + _string(3, info.get("description", "")) + _extensions(7, info),
                        keep_empty=True)
    out += _string(3, doc.get("host", "")) + _string(4, doc.get("basePath", ""))
    out += (_strings(5, doc.get("schemes")) + _strings(6, doc.get("consumes"))
            + _strings(7, doc.get("produces")))
    paths = doc.get("paths")
    if isinstance(paths, dict):
        routes = {k: v for k, v in paths.items() if not k.startswith("x-")}
        out += _message(8, _extensions(1, paths) + _named(2, routes, _path_item), keep_empty=True)
    if isinstance(doc.get("definitions"), dict):
        out += _message(9, _named(1, doc["definitions"], schema), keep_empty=True)
    out += _extensions(16, doc)
    return bytes(out)
