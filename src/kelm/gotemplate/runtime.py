"""Go value semantics the executor needs: missing values, argument conversion, field access.

Two kinds of "nothing" exist in Go templates and both are modelled:

* :data:`NOVALUE`: an invalid ``reflect.Value`` (a missing map key, a nil pipeline result).
  It prints ``<no value>`` and a field access on it quietly yields :data:`NOVALUE` again.
* ``None``: a nil ``interface {}`` stored in a map or a slice.  A field access on it is the
  ``nil pointer evaluating interface {}.x`` error.

Every pipeline command's result goes through Go's "dig into the interface" step, which turns
``None`` into :data:`NOVALUE`.
"""

from __future__ import annotations

from kelm.golang.value import (
    GoFunc,
    GoInt,
    GoInt32,
    GoIntKind,
    GoStruct,
    GoUint,
    GoUint8,
    GoUint32,
    GoUint64,
    TypedList,
    TypedMap,
    go_type,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class _NoValue:
    """Go's invalid reflect.Value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOVALUE"

    def __bool__(self) -> bool:
        return False

    def __go_truth__(self) -> bool:
        return False


NOVALUE: Any = _NoValue()


class TypeMismatch(Exception):
    """An argument cannot be converted to a parameter type; ``str`` is Go's message."""


UNSIGNED = (GoUint, GoUint8, GoUint32, GoUint64)
_INT_TYPES = {
    "int": GoInt,
    "int32": GoInt32,
    "rune": GoInt32,
    "uint8": GoUint8,
    "byte": GoUint8,
    "uint": GoUint,
    "uint32": GoUint32,
    "uint64": GoUint64,
}
_NILLABLE_PREFIXES = ("[]", "map[", "*", "func", "chan", "...")


def can_be_nil(typ: str) -> bool:
    return typ == "interface {}" or typ == "any" or typ.startswith(_NILLABLE_PREFIXES) or (
        typ == "reflect.Value" or typ == "error")


def type_name(v: Any) -> str:
    return go_type(v)


def zero_for(typ: str) -> Any:
    """The zero value a nil result of a typed function stands for."""
    if typ.startswith("[]"):
        return [] if typ == "[]interface {}" else TypedList([], typ)
    if typ.startswith("map["):
        return {} if typ == "map[string]interface {}" else TypedMap({}, typ)
    if typ == "string":
        return ""
    if typ == "bool":
        return False
    if typ == "float64":
        return 0.0
    if typ == "int64":
        return 0
    cls = _INT_TYPES.get(typ)
    if cls is not None:
        return cls(0)
    return None


def assignable(v: Any, typ: str) -> bool:
    """Is a non-nil concrete value assignable to Go type ``typ``?"""
    t = type(v)
    if typ == "string":
        return t is str
    if typ == "int":
        return t is GoInt
    if typ == "int64":
        return t is int
    if typ == "float64":
        return t is float
    if typ == "bool":
        return t is bool
    if typ == "[]interface {}":
        return t is list
    if typ == "map[string]interface {}":
        # a named map type over the same underlying type (Helm's common.Values) is too
        return t is dict or (issubclass(t, dict) and not issubclass(t, TypedMap))
    if typ in ("interface {}", "any", "reflect.Value"):
        return True
    if typ == "error":
        return isinstance(v, BaseException)
    if typ.startswith("func"):
        return callable(v)
    return go_type(v) == typ


def convert(v: Any, typ: str) -> Any:
    """Go's validateType: check a computed argument against a parameter type."""
    if v is NOVALUE:
        if typ == "reflect.Value":
            return NOVALUE
        if can_be_nil(typ):
            return None
        raise TypeMismatch(f"invalid value; expected {typ}")
    if typ == "interface {}" or typ == "any" or typ == "reflect.Value":
        return v
    if v is None:
        raise TypeMismatch(f"wrong type for value; expected {typ}; got interface {{}}")
    if assignable(v, typ):
        return v
    raise TypeMismatch(f"wrong type for value; expected {typ}; got {go_type(v)}")


def prepare_arg(v: Any, typ: str) -> Any:
    """Go's prepareArg (used by ``call`` and ``index``): nil to zero, int kinds convert."""
    if v is NOVALUE or v is None:
        if not can_be_nil(typ):
            raise TypeMismatch(f"value is nil; should be of type {typ}")
        return None
    if assignable(v, typ):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        if typ == "int64":
            return int(v)
        cls = _INT_TYPES.get(typ)
        if cls is not None:
            return cls(v)
    raise TypeMismatch(f"value has type {go_type(v)}; should be {typ}")


def go_kind_basic(v: Any) -> str:
    """text/template's basicKind: bool, int, uint, float, complex, string or invalid."""
    t = type(v)
    if t is bool:
        return "bool"
    if t is int or t is GoInt:
        return "int"
    if t is float:
        return "float"
    if t is str:
        return "string"
    if isinstance(v, GoIntKind):
        return "uint" if isinstance(v, UNSIGNED) else "int"
    if t is complex:
        return "complex"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    return "invalid"


def is_unsigned(v: Any) -> bool:
    return isinstance(v, UNSIGNED)


def struct_member(obj: Any, name: str) -> tuple[str, Any]:
    """Look up ``name`` on a Go struct-like object: ("method", callable-or-GoFunc),
    ("field", value) or ("none", None).  Methods win, as in Go."""
    cls = type(obj)
    if name[:1].isupper() and name not in getattr(obj, "_go_fields", ()):
        attr = getattr(cls, name, None)
        if isinstance(attr, GoFunc):
            return "method", attr
        if attr is not None and callable(attr) and not isinstance(attr, type):
            return "method", getattr(obj, name)
    if name in getattr(obj, "_go_fields", ()):
        return "field", getattr(obj, name)
    return "none", None


def map_methods(obj: Any) -> tuple[str, ...]:
    return getattr(obj, "_go_methods", ())


def is_struct(v: Any) -> bool:
    return isinstance(v, GoStruct)
