"""Go's encoding/json Marshal of kelm's Go value model (Helm ``toJson`` and friends), and the
conversion of Go values to plain JSON data that ``toYaml`` performs before emitting YAML."""

from __future__ import annotations

import base64
import math
import re
from json.encoder import encode_basestring  # C-accelerated, non-ASCII kept raw

from kelm import recache
from kelm.golang.floats import format_json

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class NilMap(dict):
    """A nil ``map[string]interface {}``: empty, but marshals as ``null`` (json.Unmarshal of
    ``null`` into a map leaves it nil)."""

    go_nil = True  # see kelm.golang.value.is_nil_collection (typed nil maps/slices carry it too)


class NilList(list):
    """A nil ``[]interface {}``: empty, marshals as ``null``."""

    go_nil = True


_SURROGATE = recache.compile("[\ud800-\udfff]")


def fix_utf8(s: str) -> str:
    """A Go string as JSON decoding returns it: each invalid UTF-8 byte becomes U+FFFD."""
    if s.isascii() or not _SURROGATE.search(s):
        return s
    return _SURROGATE.sub("\ufffd", s)


class StructObject(dict):
    """A Go struct marshalled to a JSON object: fields keep declaration order."""


class JSONError(ValueError):
    """A marshal failure; ``str()`` is Go's message (``json: unsupported value: NaN``)."""


class ReparseError(JSONError):
    """go-yaml could not re-read the JSON text (toYaml's second step)."""


def _go_type_name(v: Any) -> str:
    from kelm.golang.value import go_type

    return go_type(v)


def _check_float(f: float) -> None:
    if f != f:
        raise JSONError("json: unsupported value: NaN")
    if math.isinf(f):
        raise JSONError("json: unsupported value: " + ("+Inf" if f > 0 else "-Inf"))


def _key(k: Any, m: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, int) and not isinstance(k, bool):
        return str(int(k))
    raise JSONError(f"json: unsupported type: {_go_type_name(m)}")


def _struct_items(v: Any, tag: str = "json") -> list[tuple[str, Any]] | None:
    """A struct's (JSON name, value) pairs in field order.

    ``_go_fields`` gives the fields; an optional ``_go_json_names`` (``_go_toml_names`` for
    ``tag="toml"``) maps a field to its ``json:"..."`` tag name (``"-"`` drops it).
    """
    fields = getattr(v, "_go_fields", None)
    if fields is None:
        return None
    names = getattr(v, f"_go_{tag}_names", None) or {}
    out = []
    for f in fields:
        name = names.get(f, f)
        if name != "-":
            out.append((name, getattr(v, f, None)))
    return out


def _fold_nel(s: str) -> str:
    # Go's JSON leaves U+0085 raw and go-yaml then reads it as a line break inside a quoted
    # scalar, folding one break into a space (n breaks into n-1 newlines).

    return re.sub("\x85+", lambda m: " " if len(m.group()) == 1 else "\n" * (len(m.group()) - 1), s)


# Characters json.Marshal leaves raw that go-yaml's reader rejects (not YAML-printable).
_YAML_CONTROL = recache.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


def to_plain(v: Any, nonfinite_ok: bool = False, utf8: bool = False, tag: str = "json") -> Any:
    """Go value -> JSON data model (dict/list/str/int/float/bool/None), as json.Marshal sees it.

    Raises :class:`JSONError` with Go's message for NaN/Inf and unsupported types.
    ``tag="toml"``: as BurntSushi/toml sees it instead (struct fields by their Go or ``toml``
    names, ``__go_toml__`` hooks before ``__go_json__``).
    """
    if v is None or v is True or v is False:
        return v
    if type(v) is str:
        if utf8:  # the string as go-yaml reads it back from the JSON text (toYaml)
            v = fix_utf8(v)
            if _YAML_CONTROL.search(v):
                raise ReparseError("yaml: control characters are not allowed")
            if "\x85" in v:
                v = _fold_nel(v)
        return v
    if isinstance(v, dict):
        if not v and getattr(type(v), "go_nil", False):
            return None
        if utf8:
            out = {fix_utf8(_key(k, v)): to_plain(x, nonfinite_ok, utf8, tag) for k, x in v.items()}
            if any(_YAML_CONTROL.search(k) for k in out):
                raise ReparseError("yaml: control characters are not allowed")
            if any("\x85" in k for k in out):
                # U+0085 is a line break to go-yaml: a quoted flow key cannot span lines
                raise ReparseError("yaml: line 1: did not find expected ',' or '}'")
            return out
        return {_key(k, v): to_plain(x, nonfinite_ok, utf8, tag) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        if not v and getattr(type(v), "go_nil", False):
            return None
        return [to_plain(x, nonfinite_ok, utf8, tag) for x in v]
    if isinstance(v, float):
        if not nonfinite_ok:
            _check_float(v)
        return v
    if isinstance(v, int):
        return int(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, (bytes, bytearray)):
        if tag == "toml":  # BurntSushi/toml: a []byte is an array of numbers
            return list(bytes(v))
        return base64.b64encode(bytes(v)).decode("ascii")
    if tag == "toml":
        hook = getattr(v, "__go_toml__", None)
        if hook is not None:
            return hook()
    hook = getattr(v, "__go_json__", None)
    if hook is not None:
        return _from_marshaler(hook())
    items = _struct_items(v, tag)
    if items is not None:
        return StructObject((k, to_plain(x, nonfinite_ok, utf8, tag)) for k, x in items)
    raise JSONError(f"json: unsupported type: {_go_type_name(v)}")


def _from_marshaler(text: str) -> Any:
    """The value a MarshalJSON method's raw JSON text stands for."""
    from .jsondec import GoJSONSyntaxError, parse

    try:
        return parse(text)[0]
    except GoJSONSyntaxError as e:
        raise JSONError(f"json: error calling MarshalJSON: {e}") from None


def _escape(s: str, html: bool) -> str:
    q = encode_basestring(s)
    if html and ("<" in q or ">" in q or "&" in q):
        q = q.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if not q.isascii() and _SURROGATE.search(q):
        # raw bytes that are not UTF-8 (kept via surrogateescape): Go writes \ufffd per byte
        q = _SURROGATE.sub(r"\\ufffd", q)
    if "\u2028" in q or "\u2029" in q:
        q = q.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if "\x7f" in q:
        pass  # Go leaves DEL raw, as encode_basestring does
    return q


def _encode(v: Any, out: list[str], html: bool, indent: str | None, depth: int) -> None:
    if v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, str):
        out.append(_escape(v, html))
    elif isinstance(v, float):
        out.append(format_json(v))
    elif isinstance(v, int):
        out.append(str(int(v)))
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        keys = list(v) if type(v) is StructObject else sorted(v)
        if indent is None:
            out.append("{")
            first = True
            for k in keys:
                if not first:
                    out.append(",")
                first = False
                out.append(_escape(k, html))
                out.append(":")
                _encode(v[k], out, html, None, 0)
            out.append("}")
        else:
            inner = "\n" + indent * (depth + 1)
            out.append("{")
            first = True
            for k in keys:
                out.append(inner if first else "," + inner)
                first = False
                out.append(_escape(k, html))
                out.append(": ")
                _encode(v[k], out, html, indent, depth + 1)
            out.append("\n" + indent * depth + "}")
    elif isinstance(v, list):
        if not v:
            out.append("[]")
            return
        if indent is None:
            out.append("[")
            for i, x in enumerate(v):
                if i:
                    out.append(",")
                _encode(x, out, html, None, 0)
            out.append("]")
        else:
            inner = "\n" + indent * (depth + 1)
            out.append("[")
            for i, x in enumerate(v):
                out.append(inner if i == 0 else "," + inner)
                _encode(x, out, html, indent, depth + 1)
            out.append("\n" + indent * depth + "]")
    else:  # pragma: no cover - to_plain guarantees the model
        raise JSONError(f"json: unsupported type: {_go_type_name(v)}")


def dump_json(obj: Any, *, escape_html: bool = True, indent: str | int | None = None) -> str:
    """``json.Marshal`` (``indent=None``) or ``json.MarshalIndent(v, "", indent)`` text.

    No trailing newline (json.Encoder's newline is the caller's business).
    """
    if isinstance(indent, int):
        indent = " " * indent
    out: list[str] = []
    _encode(to_plain(obj), out, escape_html, indent, 0)
    return "".join(out)
