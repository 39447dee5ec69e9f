"""Decoding ``application/vnd.kubernetes.protobuf`` request bodies into JSON-shaped objects
(the ``k8s\\0`` envelope around a ``runtime.Unknown``), with the field table of
``k8s_proto.json``. Responses are always JSON: Go clients accept both."""

from __future__ import annotations

import base64
import datetime as _dt
import json
import struct
from functools import cache
from importlib import resources as _res
from typing import Any

from kelm.testing.errors import ApiError

MAGIC = b"k8s\x00"
_META = "k8s.io.apimachinery.pkg.apis.meta.v1."
_GO_ZERO_TIME = -62135596800
# API groups whose Go package directory is not the group's first label.
NULL: Any = type("_Null", (), {"__repr__": lambda self: "null"})()
_GROUP_DIRS = {"": "core", "internal.apiserver.k8s.io": "apiserverinternal"}


@cache
def _table() -> dict[str, Any]:
    with _res.files("kelm.testing").joinpath("k8s_proto.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    data["pointer_sets"] = {k: set(v) for k, v in data["pointers"].items()}
    return data


def _bad(message: str) -> ApiError:
    return ApiError(400, "BadRequest", f"the object provided is unrecognized: {message}")


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if i >= len(buf):
            raise _bad("truncated varint")
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7
        if shift > 70:
            raise _bad("varint too long")


def wire_fields(buf: bytes) -> list[tuple[int, int, Any]]:
    """(field number, wire type, raw value) in order."""
    out = []
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        num, wt = key >> 3, key & 7
        v: Any
        if wt == 0:
            v, i = _varint(buf, i)
        elif wt == 1:
            v, i = buf[i:i + 8], i + 8
        elif wt == 2:
            n, i = _varint(buf, i)
            if i + n > len(buf):
                raise _bad("truncated field")
            v, i = buf[i:i + n], i + n
        elif wt == 5:
            v, i = buf[i:i + 4], i + 4
        else:
            raise _bad(f"unsupported wire type {wt}")
        out.append((num, wt, v))
    return out


def _signed(v: int, bits: int) -> int:
    v &= (1 << 64) - 1
    if v >= 1 << 63:
        v -= 1 << 64
    if bits == 32:
        v = (v + (1 << 31)) % (1 << 32) - (1 << 31)
    return v


def _scalar(typ: str, wt: int, v: Any) -> Any:
    if typ == "string":
        return bytes(v).decode("utf-8", errors="replace")
    if typ == "bytes":
        return base64.b64encode(bytes(v)).decode()
    if typ == "bool":
        return bool(v)
    if typ in ("int32", "int64"):
        return _signed(v, 32 if typ == "int32" else 64)
    if typ in ("uint32", "uint64"):
        return v
    if typ == "double":
        return struct.unpack("<d", v)[0]
    if typ == "float":
        return struct.unpack("<f", v)[0]
    return v


def _special(typ: str, buf: bytes) -> tuple[bool, Any]:
    """Types whose JSON form is not an object: (handled, value)."""
    if typ in (_META + "Time", _META + "MicroTime"):
        f = {n: v for n, _, v in wire_fields(buf)}
        secs = _signed(f.get(1, 0), 64)
        if secs in (_GO_ZERO_TIME, 0) and 2 not in f:
            return True, NULL  # Go's zero time: JSON null
        t = _dt.datetime.fromtimestamp(secs, _dt.UTC)
        if typ.endswith("MicroTime"):
            micros = _signed(f.get(2, 0), 32) // 1000
            return True, t.replace(microsecond=micros).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return True, t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if typ == "k8s.io.apimachinery.pkg.api.resource.Quantity":
        f = {n: v for n, _, v in wire_fields(buf)}
        return True, bytes(f.get(1, b"")).decode()
    if typ == "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        f = {n: v for n, _, v in wire_fields(buf)}
        if f.get(1, 0) == 1:
            return True, bytes(f.get(3, b"")).decode()
        return True, _signed(f.get(2, 0), 32)
    if typ in ("k8s.io.apimachinery.pkg.runtime.RawExtension", _META + "FieldsV1"):
        f = {n: v for n, _, v in wire_fields(buf)}
        raw = bytes(f.get(1, b""))
        try:
            return True, json.loads(raw) if raw else None
        except ValueError:
            return True, None
    if typ == _META + "Duration":
        f = {n: v for n, _, v in wire_fields(buf)}
        return True, f"{_signed(f.get(1, 0), 64) / 1e9:g}s"
    return False, None


def decode_message(buf: bytes, typ: str) -> Any:
    handled, value = _special(typ, buf)
    if handled:
        return value
    table = _table()
    layout = table["messages"].get(typ)
    if layout is None:
        raise _bad(f"no protobuf layout for {typ}")
    pointers = table["pointer_sets"].get(typ, set())
    out: dict[str, Any] = {}
    for num, wt, v in wire_fields(buf):
        spec = layout.get(str(num))
        if spec is None:
            continue
        name, ftype, label = spec
        if label.startswith("m:"):
            entry = {n: (w, x) for n, w, x in wire_fields(v)}
            key = _scalar(label[2:], *entry[1]) if 1 in entry else ""
            if 2 in entry:
                w, x = entry[2]
                val = _scalar(ftype, w, x) if ftype in _SCALAR_TYPES else decode_message(x, ftype)
            else:
                val = "" if ftype in ("string", "bytes") else None
            out.setdefault(name, {})[key] = val
            continue
        if ftype in _SCALAR_TYPES:
            if label == "r" and wt == 2 and ftype not in ("string", "bytes"):
                vals, i = [], 0  # packed
                while i < len(v):
                    x, i = _varint(v, i)
                    vals.append(_scalar(ftype, 0, x))
                out.setdefault(name, []).extend(vals)
                continue
            val = _scalar(ftype, wt, v)
        else:
            val = decode_message(v, ftype)
        if label == "r":
            out.setdefault(name, []).append(val)
        else:
            out[name] = val
    for name in list(out):  # Go leaves zero values of non-pointer fields out of JSON
        v = out[name]
        zero = v is False or v == "" or (isinstance(v, (int, float)) and not isinstance(v, bool)
                                         and v == 0)
        if v is None or (zero and name not in pointers):
            del out[name]
        elif v is NULL:
            out[name] = None
    return out


_SCALAR_TYPES = {"string", "int32", "int64", "bool", "bytes", "double", "float", "uint32", "uint64"}


def message_name(api_version: str, kind: str) -> str:
    group, _, version = api_version.rpartition("/")
    if group == "meta.k8s.io" or kind in ("DeleteOptions", "Status"):
        return _META + kind
    d = _GROUP_DIRS.get(group, group.split(".")[0])
    return f"k8s.io.api.{d}.{version}.{kind}"


def decode(body: bytes) -> dict[str, Any]:
    """A whole protobuf request body: envelope, type, object (apiVersion/kind set)."""
    if not body.startswith(MAGIC):
        raise _bad("protobuf body without the k8s envelope")
    env = {n: v for n, _, v in wire_fields(body[len(MAGIC):])}
    tm = {n: v for n, _, v in wire_fields(env.get(1, b""))}
    api_version = bytes(tm.get(1, b"")).decode()
    kind = bytes(tm.get(2, b"")).decode()
    obj = decode_message(bytes(env.get(2, b"")), message_name(api_version, kind))
    if not isinstance(obj, dict):
        raise _bad(f"{kind} is not an object")
    return {"apiVersion": api_version, "kind": kind, **obj}
