"""Sprig's defaults / flow functions: ``default``, ``empty``, ``coalesce``, ``all``, ``any``,
``ternary``.  Emptiness is sprig's: the zero value of the value's kind (nil, false, 0, 0.0,
"" and empty collections); structs and other non-nil values are never empty."""

from __future__ import annotations

from kelm.golang.value import GoFunc, go_kind, gofunc

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FUNCS", "empty_value"]


def empty_value(v: Any) -> bool:
    """Sprig's ``empty``."""
    if v is None:
        return True
    if isinstance(v, (bool, int, float)):
        return not v
    if isinstance(v, (str, bytes, bytearray, list, tuple, dict)):
        return len(v) == 0
    # Go-typed objects: maps, slices and strings are empty when their length is 0
    if go_kind(v) in ("map", "slice", "array", "string") and hasattr(v, "__len__"):
        return len(v) == 0
    return False


@gofunc("func(interface {}, ...interface {}) interface {}")
def default(d: Any, *given: Any) -> Any:
    if not given or empty_value(given[0]):
        return d
    return given[0]


@gofunc("func(interface {}) bool")
def empty(v: Any) -> bool:
    return empty_value(v)


@gofunc("func(...interface {}) interface {}")
def coalesce(*vs: Any) -> Any:
    for v in vs:
        if not empty_value(v):
            return v
    return None


@gofunc("func(...interface {}) bool")
def all_(*vs: Any) -> bool:
    return all(not empty_value(v) for v in vs)


@gofunc("func(...interface {}) bool")
def any_(*vs: Any) -> bool:
    return any(not empty_value(v) for v in vs)


@gofunc("func(interface {}, interface {}, bool) interface {}")
def ternary(vt: Any, vf: Any, cond: bool) -> Any:
    return vt if cond else vf


FUNCS: dict[str, GoFunc] = {
    "default": default,
    "empty": empty,
    "coalesce": coalesce,
    "all": all_,
    "any": any_,
    "ternary": ternary,
}
