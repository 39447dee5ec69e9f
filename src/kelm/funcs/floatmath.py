"""Sprig's float math (addf, subf, mulf, divf, add1f, maxf, minf).

Sprig converts every argument with spf13/cast's ``ToFloat64`` (errors become 0), turns it
into a shopspring ``decimal.Decimal`` (the shortest decimal that round-trips the float, so
``addf 1.1 2.2`` is exactly 3.3), computes exactly (division: 16 decimal places, half
away from zero) and converts back to the nearest float64.  This module also holds the
cast conversions (``to_float64``, ``to_int``) the other groups need.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kelm.golang.value import GoError, GoFunc, GoIntKind, GoUint64, gofunc

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from fractions import Fraction
    from typing import Any

_DIV_PRECISION = 16
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


# ---- spf13/cast -------------------------------------------------------------------------


def underscore_ok(s: str) -> bool:
    """Go's strconv rule: ``_`` only between digits or after a base prefix."""
    saw = "^"
    if s[:1] in ("+", "-"):
        s = s[1:]
    i = 0
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i, saw, hexa = 2, "0", s[1].lower() == "x"
    for ch in s[i:]:
        if ch.isascii() and (ch.isdigit() or (hexa and ch.lower() in "abcdef")):
            saw = "0"
            continue
        if ch == "_":
            if saw != "0":
                return False
            saw = "_"
            continue
        if saw == "_":
            return False
        saw = "!"
    return saw != "_"


def _special_float(s: str) -> float | None:
    body, sign = s, 1.0
    if body[:1] in ("+", "-"):
        sign = -1.0 if body[0] == "-" else 1.0
        body = body[1:]
        if body.lower() in ("inf", "infinity"):
            return math.copysign(math.inf, sign)
        return None
    if body.lower() in ("inf", "infinity"):
        return math.inf
    if body.lower() == "nan":
        return math.nan
    return None


def parse_float(s: str) -> float | None:
    """``strconv.ParseFloat(s, 64)``; None where Go returns an error (syntax or range)."""
    if not s or any(ch.isspace() for ch in s):
        return None
    special = _special_float(s)
    if special is not None:
        return special
    body = s[1:] if s[:1] in ("+", "-") else s
    neg = s[:1] == "-"
    if "_" in body and not underscore_ok(s):
        return None
    clean = body.replace("_", "")
    if clean[:2].lower() == "0x":
        return _parse_hex_float(clean[2:], neg)
    if not _is_decimal_float(clean):
        return None
    f = float(clean)
    if math.isinf(f):
        return None
    return -f if neg else f


def _is_decimal_float(s: str) -> bool:
    mant, _, exp = s.lower().partition("e")
    if "e" in s.lower():
        e = exp[1:] if exp[:1] in ("+", "-") else exp
        if not (e.isascii() and e.isdigit()):
            return False
    whole, dot, frac = mant.partition(".")
    digits = whole + frac
    if not digits or not (digits.isascii() and digits.isdigit()):
        return False
    return "." not in frac


def _parse_hex_float(s: str, neg: bool) -> float | None:
    mant, p, _ = s.lower().partition("p")
    if not p or not mant.replace(".", "", 1) or "-" in mant or "+" in mant:
        return None
    try:
        f = float.fromhex(("-" if neg else "") + "0x" + s)
    except (ValueError, OverflowError):
        return None
    return None if math.isinf(f) else f


def parse_int(s: str, base: int = 0, bits: int = 64) -> int | None:
    """``strconv.ParseInt(s, base, bits)``; None on any error."""
    if not s:
        return None
    neg = s[0] == "-"
    body = s[1:] if s[0] in "+-" else s
    if base == 0:
        base = 10
        low = body[:2].lower()
        if low in ("0x", "0o", "0b"):
            base = {"0x": 16, "0o": 8, "0b": 2}[low]
            body = body[2:]
        elif body[:1] == "0" and len(body) > 1:
            base, body = 8, body[1:]
        if "_" in body and not underscore_ok(s):
            return None
        body = body.replace("_", "")
    if not body or any(_DIGITS.find(ch.lower()) not in range(base) for ch in body):
        return None
    n = int(body, base)
    n = -n if neg else n
    if not -(2 ** (bits - 1)) <= n < 2 ** (bits - 1):
        return None
    return n


def float_to_int(f: float) -> int:
    """Go's float64 to int64 conversion as amd64 does it (NaN/overflow give MinInt64)."""
    if math.isnan(f) or not -(2.0**63) <= f < 2.0**63:
        return -(2**63)
    return int(f)


def _trim_zero_decimal(s: str) -> str:
    found_zero = False
    for i in range(len(s), 0, -1):
        ch = s[i - 1]
        if ch == ".":
            if found_zero:
                return s[: i - 1]
        elif ch == "0":
            found_zero = True
        else:
            return s
    return s


def to_int(v: Any) -> int:
    """``cast.ToInt``: numbers truncate, strings parse (base prefixes), anything else 0."""
    if v is True or v is False:
        return int(v)
    if isinstance(v, GoUint64) and v >= 2**63:
        return int(v) - 2**64
    if isinstance(v, int):
        return int(v)
    if isinstance(v, float):
        return float_to_int(v)
    if isinstance(v, str):
        n = parse_int(_trim_zero_decimal(v))
        return 0 if n is None else n
    return 0


def to_float64(v: Any) -> float:
    """``cast.ToFloat64``: numbers convert, strings parse, bool is 0/1, anything else 0."""
    if v is True or v is False:
        return float(v)
    if isinstance(v, (int, GoIntKind)):
        return float(v)
    if isinstance(v, float):
        return v
    if isinstance(v, str):
        f = parse_float(v)
        return 0.0 if f is None else f
    return 0.0


# ---- shopspring/decimal -----------------------------------------------------------------


def _go_v(f: float) -> str:
    if math.isnan(f):
        return "NaN"
    return "+Inf" if f > 0 else "-Inf"


def _decimal(v: Any) -> Fraction:
    """``decimal.NewFromFloat(cast.ToFloat64(v))``, held exactly as a fraction."""
    f = to_float64(v)
    if math.isnan(f) or math.isinf(f):
        raise GoError(f"Cannot create a Decimal from {_go_v(f)}")
    # repr() is the shortest round-tripping decimal, the digits NewFromFloat keeps
    from fractions import Fraction  # with decimal ~4 ms to import: only for these functions

    return Fraction(repr(f)) if f else Fraction(0)


def _div(a: Fraction, b: Fraction) -> Fraction:
    if b == 0:
        raise GoError("decimal division by 0")
    scaled = a / b * 10**_DIV_PRECISION
    q = math.trunc(scaled)
    if abs(scaled - q) * 2 >= 1:
        q += 1 if scaled > 0 else -1
    from fractions import Fraction

    return Fraction(q, 10**_DIV_PRECISION)


def _to_float(x: Fraction) -> float:
    """``Decimal.Float64()``: the nearest float64, infinity when out of range."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def _decimal_op(
    first: Any, rest: tuple[Any, ...], op: Callable[[Fraction, Fraction], Fraction]
) -> float:
    acc = _decimal(first)
    for x in rest:
        acc = op(acc, _decimal(x))
    return _to_float(acc)


@gofunc("func(interface {}) float64")
def add1f(v: Any) -> float:
    return _decimal_op(v, (1,), lambda a, b: a + b)


@gofunc("func(...interface {}) float64")
def addf(*vs: Any) -> float:
    return _decimal_op(0.0, vs, lambda a, b: a + b)


@gofunc("func(interface {}, ...interface {}) float64")
def subf(a: Any, *vs: Any) -> float:
    return _decimal_op(a, vs, lambda x, y: x - y)


@gofunc("func(interface {}, ...interface {}) float64")
def mulf(a: Any, *vs: Any) -> float:
    return _decimal_op(a, vs, lambda x, y: x * y)


@gofunc("func(interface {}, ...interface {}) float64")
def divf(a: Any, *vs: Any) -> float:
    return _decimal_op(a, vs, _div)


def go_max(x: float, y: float) -> float:
    """``math.Max``: +Inf wins, then NaN, and +0 beats -0."""
    if math.isinf(x) and x > 0 or math.isinf(y) and y > 0:
        return math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and y == 0:
        return y if math.copysign(1, x) < 0 else x
    return x if x > y else y


def go_min(x: float, y: float) -> float:
    """``math.Min``: -Inf wins, then NaN, and -0 beats +0."""
    if math.isinf(x) and x < 0 or math.isinf(y) and y < 0:
        return -math.inf
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0 and y == 0:
        return x if math.copysign(1, x) < 0 else y
    return x if x < y else y


@gofunc("func(interface {}, ...interface {}) float64")
def maxf(a: Any, *vs: Any) -> float:
    acc = to_float64(a)
    for v in vs:
        acc = go_max(acc, to_float64(v))
    return acc


@gofunc("func(interface {}, ...interface {}) float64")
def minf(a: Any, *vs: Any) -> float:
    acc = to_float64(a)
    for v in vs:
        acc = go_min(acc, to_float64(v))
    return acc


FUNCS: dict[str, GoFunc] = {
    "add1f": add1f,
    "addf": addf,
    "subf": subf,
    "mulf": mulf,
    "divf": divf,
    "maxf": maxf,
    "minf": minf,
}
