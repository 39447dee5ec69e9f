"""Sprig's reflection functions (typeOf, kindOf, deepEqual, ...) on kelm's Go value model.

Also home of the reflection helpers the other sprig groups share: Go's ``reflect.DeepEqual``
and the "is this a slice or array" test sprig's list functions start with.
"""

from __future__ import annotations

import math

from kelm.golang.value import (
    GoError,
    GoFunc,
    GoStruct,
    GoUint8,
    go_kind,
    go_type,
    gofunc,
    is_nil_collection,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"


def kind_of(v: Any) -> str:
    """``reflect.TypeOf(v).Kind().String()``; Go panics (nil dereference) for nil."""
    if v is None:
        raise GoError(NIL_DEREF)
    return go_kind(v)


def is_slice(v: Any) -> bool:
    """Kind is slice or array (Go strings are not)."""
    return isinstance(v, (list, bytes, bytearray))


def slice_items(v: Any) -> list[Any]:
    """The elements of a slice as ``reflect.Value.Index(i).Interface()`` gives them."""
    if isinstance(v, (bytes, bytearray)):
        return [GoUint8(b) for b in v]
    return list(v)


def same_type(v: Any, items: Any) -> Any:
    """A new typed slice or map of ``v``'s own Go type holding ``items``: a named type
    (``common.VersionSet``, ``engine.files``) keeps its methods, as reflect's Slice and
    copystructure keep the type."""
    cls = type(v)
    base = list if isinstance(v, list) else dict
    out = base.__new__(cls)
    base.__init__(out, items)
    out.go_type = v.go_type
    return out


def deep_equal(a: Any, b: Any) -> bool:
    """Go's ``reflect.DeepEqual``: same dynamic type, then deep comparison."""
    if a is None or b is None:
        return a is None and b is None
    if go_type(a) != go_type(b):
        return False
    if isinstance(a, float):
        return a == b and not math.isnan(a)
    if isinstance(a, (bytes, bytearray)):
        return bytes(a) == bytes(b)
    if isinstance(a, list):
        if a is b:
            return True
        if is_nil_collection(a) != is_nil_collection(b):
            return False
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        if a is b:
            return True
        if is_nil_collection(a) != is_nil_collection(b) or len(a) != len(b):
            return False
        return all(k in b and deep_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, GoStruct):
        fields = getattr(a, "_go_state", None) or a._go_fields
        if a is b or not fields:
            return a is b or bool(a == b)
        return all(deep_equal(getattr(a, f, None), getattr(b, f, None)) for f in fields)
    return bool(a == b)


@gofunc("func(interface {}) string")
def type_of(v: Any) -> str:
    return go_type(v)


@gofunc("func(string, interface {}) bool")
def type_is(target: str, v: Any) -> bool:
    return target == go_type(v)


@gofunc("func(string, interface {}) bool")
def type_is_like(target: str, v: Any) -> bool:
    t = go_type(v)
    return target == t or "*" + target == t


@gofunc("func(interface {}) string")
def kind_of_func(v: Any) -> str:
    return go_kind(v)


@gofunc("func(string, interface {}) bool")
def kind_is(target: str, v: Any) -> bool:
    return target == go_kind(v)


@gofunc("func(interface {}, interface {}) bool")
def deep_equal_func(a: Any, b: Any) -> bool:
    return deep_equal(a, b)


FUNCS: dict[str, GoFunc] = {
    "typeOf": type_of,
    "typeIs": type_is,
    "typeIsLike": type_is_like,
    "kindOf": kind_of_func,
    "kindIs": kind_is,
    "deepEqual": deep_equal_func,
}
