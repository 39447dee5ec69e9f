"""Sprig's type conversions: ``int``, ``int64``, ``float64`` (spf13/cast v1.7.0) and
``toDecimal``.  cast never fails in sprig: anything it cannot convert becomes 0."""

from __future__ import annotations

from kelm.golang.fmt import format_value
from kelm.golang.value import GoFunc, GoInt, gofunc

from .floatmath import parse_int, to_float64, to_int

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FUNCS", "to_int64", "to_go_int", "to_float64"]


def to_int64(v: Any) -> int:
    """``cast.ToInt64`` (errors give 0)."""
    return to_int(v)


def to_go_int(v: Any) -> GoInt:
    """``cast.ToInt`` as a Go ``int``."""
    return GoInt(to_int(v))


@gofunc("func(interface {}) int64")
def int64_(v: Any) -> int:
    return to_int64(v)


@gofunc("func(interface {}) int")
def int_(v: Any) -> GoInt:
    return to_go_int(v)


@gofunc("func(interface {}) float64")
def float64_(v: Any) -> float:
    return to_float64(v)


@gofunc("func(interface {}) int64")
def to_decimal(v: Any) -> int:
    """Parses ``fmt.Sprint(v)`` as an octal number (``"777"`` → 511); errors give 0."""
    s = format_value(v)
    n = parse_int(s, 8)
    return 0 if n is None else n


FUNCS: dict[str, GoFunc] = {
    "int64": int64_,
    "int": int_,
    "float64": float64_,
    "toDecimal": to_decimal,
}
