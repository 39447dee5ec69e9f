"""text/template's predefined functions (and, or, not, eq..., index, slice, len, print...).

Parameters typed ``reflect.Value`` receive engine values untouched (so a nil interface and
a missing value stay distinguishable, as Go's builtins see them).  ``and``, ``or`` and
``call`` are special forms handled by the compiler; their entries here only carry the
signature used for argument counting.
"""

from __future__ import annotations

from kelm.golang import fmt as gofmt
from kelm.golang.value import (
    GoError,
    GoFunc,
    GoInt,
    GoUint8,
    TypedList,
    TypedMap,
    go_kind,
    go_type,
    is_nil_collection,
    is_true,
)

from .runtime import NOVALUE, TypeMismatch, go_kind_basic, is_unsigned, prepare_arg

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

RV = "reflect.Value"


def _indirect_iface(v: Any) -> Any:
    return NOVALUE if v is None else v


def _index_arg(index: Any, cap: int) -> int:
    if index is NOVALUE or index is None:
        raise GoError("cannot index slice/array with nil")
    kind = go_kind_basic(index)
    if kind not in ("int", "uint"):
        raise GoError(f"cannot index slice/array with type {gofmt_type(index)}")
    x = int(index)
    if x < 0 or x > cap:
        raise GoError(f"index out of range: {x}")
    return x


def gofmt_type(v: Any) -> str:
    return go_type(v)


def _byte_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogateescape"))


def index(item: Any, *indexes: Any) -> Any:
    item = _indirect_iface(item)
    if item is NOVALUE:
        raise GoError("index of untyped nil")
    for idx in indexes:
        idx = _indirect_iface(idx)
        if item is None:
            raise GoError("index of nil pointer")
        if isinstance(item, str):
            b = item.encode("utf-8", "surrogateescape") if not item.isascii() else None
            n = len(b) if b is not None else len(item)
            x = _index_arg(idx, n)
            if x >= n:
                raise GoError("reflect: string index out of range")
            item = GoUint8(b[x] if b is not None else ord(item[x]))
        elif isinstance(item, (list, tuple, bytes, bytearray)):
            x = _index_arg(idx, len(item))
            if x >= len(item):
                raise GoError("reflect: slice index out of range")
            item = GoUint8(item[x]) if isinstance(item, (bytes, bytearray)) else item[x]
        elif isinstance(item, dict):
            key_type = _map_key_type(item)
            try:
                key = prepare_arg(idx, key_type)
            except TypeMismatch as e:
                raise GoError(str(e)) from None
            if key in item:
                item = item[key]
            else:
                item = _map_zero(item)
        else:
            raise GoError(f"can't index item of type {gofmt_type(item)}")
    return item


def _map_key_type(m: dict) -> str:
    if isinstance(m, TypedMap):
        t = m.go_type
        if t.startswith("map["):
            depth = 0
            for i, ch in enumerate(t[4:], start=4):
                if ch == "[":
                    depth += 1
                elif ch == "]":
                    if depth == 0:
                        return t[4:i]
                    depth -= 1
    return "string"


def map_elem_type(m: dict) -> str:
    if isinstance(m, TypedMap):
        k = _map_key_type(m)
        return m.go_type[4 + len(k) + 1 :]
    return "interface {}"


def _map_zero(m: dict) -> Any:
    from .runtime import zero_for

    et = map_elem_type(m)
    if et == "interface {}":
        return None
    return zero_for(et)


def slice_(item: Any, *indexes: Any) -> Any:
    item = _indirect_iface(item)
    if item is NOVALUE:
        raise GoError("slice of untyped nil")
    if len(indexes) > 3:
        raise GoError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise GoError("cannot 3-index slice a string")
        b = item.encode("utf-8", "surrogateescape")
        cap = len(b)
    elif isinstance(item, (list, tuple, bytes, bytearray)):
        b = None
        cap = len(item)
    else:
        raise GoError(f"can't slice item of type {gofmt_type(item)}")
    idx = [0, cap, 0]
    for i, ix in enumerate(indexes):
        idx[i] = _index_arg(_indirect_iface(ix), cap)
    if idx[0] > idx[1]:
        raise GoError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise GoError(f"invalid slice index: {idx[1]} > {idx[2]}")
    if b is not None:
        return b[idx[0] : idx[1]].decode("utf-8", "replace")
    part = item[idx[0] : idx[1]]
    if isinstance(item, TypedList):
        return TypedList(part, item.go_type)
    return list(part) if isinstance(item, tuple) else part


def length(item: Any) -> Any:
    if item is None:
        raise GoError("len of nil pointer")
    if item is NOVALUE:
        raise GoError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return GoInt(_byte_len(item))
    if isinstance(item, (list, tuple, dict, bytes, bytearray)):
        return GoInt(len(item))
    # text/template dereferences pointers first: a *T reports T
    raise GoError(f"len of type {gofmt_type(item).removeprefix('*')}")


_PLAIN = frozenset((bool, str, int, float, list, dict, GoInt))


def truth(v: Any) -> bool:
    if v.__class__ in _PLAIN:
        return bool(v)
    if v is None or v is NOVALUE:
        return False
    return is_true(v)


def not_(v: Any) -> bool:
    return not truth(v)


# -- comparison -------------------------------------------------------------------------


def _fmt_s(v: Any) -> str:
    return gofmt.sprintf("%s", v)


_EQ_FAST = frozenset((str, float, int, GoInt, bool))


def eq(arg1: Any, *args: Any) -> bool:
    if len(args) == 1:
        t = arg1.__class__
        if t is args[0].__class__ and t in _EQ_FAST:
            return arg1 == args[0]
    arg1 = _indirect_iface(arg1)
    if not args:
        raise GoError("missing argument for comparison")
    k1 = go_kind_basic(arg1)
    for arg in args:
        arg = _indirect_iface(arg)
        k2 = go_kind_basic(arg)
        truth_ = False
        if k1 != k2:
            if k1 == "int" and k2 == "uint":
                truth_ = int(arg1) >= 0 and int(arg1) == int(arg)
            elif k1 == "uint" and k2 == "int":
                truth_ = int(arg) >= 0 and int(arg1) == int(arg)
            elif arg1 is not NOVALUE and arg is not NOVALUE:
                raise GoError(f"incompatible types for comparison: {gofmt_type(arg1)} and "
                              f"{gofmt_type(arg)}")
        elif k1 == "invalid":
            if not _can_compare(arg1, arg):
                raise GoError(f"non-comparable types {_fmt_s(arg1)}: {gofmt_type(arg1)}, "
                              f"{gofmt_type(arg)}: {gofmt.format_value(arg)}")
            nil1 = arg1 is NOVALUE or is_nil_collection(arg1)  # Go's isNil: nil slices too
            nil2 = arg is NOVALUE or is_nil_collection(arg)
            if nil1 or nil2:
                truth_ = nil1 == nil2
            else:
                if isinstance(arg, (list, dict, bytes, bytearray)) or callable(arg):
                    raise GoError(f"non-comparable type {_fmt_s(arg)}: {gofmt_type(arg)}")
                truth_ = arg1 is arg or arg1 == arg
        else:
            truth_ = arg1 == arg
        if truth_:
            return True
    return False


def _kind(v: Any) -> str:
    if v is NOVALUE:
        return "invalid"
    if isinstance(v, (list, tuple, bytes, bytearray)):
        return "slice"
    if isinstance(v, dict):
        return "map"
    return go_kind(v)


def _can_compare(a: Any, b: Any) -> bool:
    ka, kb = _kind(a), _kind(b)
    return ka == kb or ka == "invalid" or kb == "invalid"


def ne(a: Any, b: Any) -> bool:
    t = a.__class__
    if t is b.__class__ and t in _EQ_FAST:
        return a != b
    return not eq(a, b)


def lt(arg1: Any, arg2: Any) -> bool:
    arg1 = _indirect_iface(arg1)
    k1 = go_kind_basic(arg1)
    if k1 == "invalid":
        raise GoError("invalid type for comparison")
    arg2 = _indirect_iface(arg2)
    k2 = go_kind_basic(arg2)
    if k2 == "invalid":
        raise GoError("invalid type for comparison")
    if k1 != k2:
        if k1 == "int" and k2 == "uint":
            return int(arg1) < 0 or int(arg1) < int(arg2)
        if k1 == "uint" and k2 == "int":
            return int(arg2) >= 0 and int(arg1) < int(arg2)
        raise GoError(f"incompatible types for comparison: {gofmt_type(arg1)} and "
                      f"{gofmt_type(arg2)}")
    if k1 in ("bool", "complex"):
        raise GoError("invalid type for comparison")
    if k1 == "string":
        # Go compares bytes; code point order is the same for valid UTF-8.
        return arg1 < arg2
    return arg1 < arg2


def le(a: Any, b: Any) -> bool:
    if lt(a, b):
        return True
    return eq(a, b)


def gt(a: Any, b: Any) -> bool:
    return not le(a, b)


def ge(a: Any, b: Any) -> bool:
    return not lt(a, b)


# -- escaping ---------------------------------------------------------------------------


def _eval_args(args: tuple[Any, ...]) -> str:
    if len(args) == 1 and type(args[0]) is str:
        return args[0]
    conv = ["<no value>" if (a is None or a is NOVALUE) else a for a in args]
    return gofmt.sprint(*conv)


_HTML = {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}


def html_escape(s: str) -> str:
    if not any(c in s for c in "'\"&<>\0"):
        return s
    return "".join(_HTML.get(c, c) for c in s)


def html(*args: Any) -> str:
    return html_escape(_eval_args(args))


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026",
       "=": "\\u003D"}


def js_escape(s: str) -> str:
    from .lexer import is_print

    out = []
    for c in s:
        r = _JS.get(c)
        if r is not None:
            out.append(r)
        elif c < " ":
            out.append(f"\\u00{ord(c):02X}")
        elif ord(c) < 0x80 or is_print(c):
            out.append(c)
        else:
            out.append(f"\\u{ord(c):04X}")
    return "".join(out)


def js(*args: Any) -> str:
    return js_escape(_eval_args(args))


_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def query_escape(s: str) -> str:
    out = []
    for b in s.encode("utf-8", "surrogateescape"):
        c = chr(b)
        if c in _URL_SAFE:
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append(f"%{b:02X}")
    return "".join(out)


def urlquery(*args: Any) -> str:
    return query_escape(_eval_args(args))


def _print(*args: Any) -> str:
    return gofmt.sprint(*args)


_FMT_CACHE: dict[str, tuple | None] = {}


def _simple_format(fmt: str) -> tuple | None:
    """Split a format made only of plain %s/%v/%d/%q verbs (no flags, width, %%)."""
    parts: list[str] = []
    verbs: list[str] = []
    i = 0
    while True:
        j = fmt.find("%", i)
        if j < 0:
            parts.append(fmt[i:])
            break
        if j + 1 >= len(fmt) or fmt[j + 1] not in "svdq":
            return None
        parts.append(fmt[i:j])
        verbs.append(fmt[j + 1])
        i = j + 2
    return tuple(parts), tuple(verbs)


def _printf(fmt: str, *args: Any) -> str:
    """fmt.Sprintf, with a fast path for simple verbs on plain strings and ints."""
    try:
        spec = _FMT_CACHE[fmt]
    except KeyError:
        spec = _FMT_CACHE[fmt] = _simple_format(fmt) if len(_FMT_CACHE) < 4096 else None
    if spec is not None and len(args) == len(spec[1]):
        parts, verbs = spec
        out = [parts[0]]
        for k, verb in enumerate(verbs):
            a = args[k]
            t = a.__class__
            if t is str and verb in "sv":
                out.append(a)
            elif t is str and verb == "q":
                out.append(gofmt.quote(a))
            elif (t is int or t is GoInt) and verb in "dv":
                out.append(int.__repr__(a))
            else:
                return gofmt.sprintf(fmt, *args)
            out.append(parts[k + 1])
        return "".join(out)
    return gofmt.sprintf(fmt, *args)


def _println(*args: Any) -> str:
    return gofmt.sprintln(*args)


def _unreachable(*args: Any) -> Any:  # pragma: no cover - special forms
    raise AssertionError("special form")


BUILTINS: dict[str, GoFunc] = {
    "and": GoFunc(_unreachable, (RV, "..." + RV), RV),
    "or": GoFunc(_unreachable, (RV, "..." + RV), RV),
    "call": GoFunc(_unreachable, (RV, "..." + RV), RV, True),
    "html": GoFunc(html, ("...interface {}",), "string"),
    "index": GoFunc(index, (RV, "..." + RV), RV, True),
    "slice": GoFunc(slice_, (RV, "..." + RV), RV, True),
    "js": GoFunc(js, ("...interface {}",), "string"),
    "len": GoFunc(length, (RV,), "int", True),
    "not": GoFunc(not_, (RV,), "bool"),
    "print": GoFunc(_print, ("...interface {}",), "string"),
    "printf": GoFunc(_printf, ("string", "...interface {}"), "string"),
    "println": GoFunc(_println, ("...interface {}",), "string"),
    "urlquery": GoFunc(urlquery, ("...interface {}",), "string"),
    "eq": GoFunc(eq, (RV, "..." + RV), "bool", True),
    "ge": GoFunc(ge, (RV, RV), "bool", True),
    "gt": GoFunc(gt, (RV, RV), "bool", True),
    "le": GoFunc(le, (RV, RV), "bool", True),
    "lt": GoFunc(lt, (RV, RV), "bool", True),
    "ne": GoFunc(ne, (RV, RV), "bool", True),
}

# Silence "imported but unused" for names re-exported for callers.
__all__ = ["BUILTINS", "is_unsigned", "truth", "html_escape", "js_escape", "query_escape"]
