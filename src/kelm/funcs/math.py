"""Sprig's integer math (``add``, ``sub``, ``mul``, ``div``, ``mod``, ``max``, ``min``, ...),
``floor``/``ceil``/``round``, and the sequence builders ``until``, ``untilStep``, ``seq``.

Arguments go through ``cast.ToInt64`` (floats truncate, unparsable strings give 0) and results
wrap around like Go's int64; Go's runtime panics (division by zero) become template errors.
"""

from __future__ import annotations

import math

from kelm.golang.value import GoError, GoFunc, GoInt, TypedList, gofunc

from .floatmath import to_float64, to_int
from .gocap import INT, appended_cap, with_room

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FUNCS", "wrap64", "go_floor", "go_ceil", "until_step"]


def wrap64(n: int) -> int:
    """Two's-complement wrap-around of an int64 result."""
    return ((n + 2**63) % 2**64) - 2**63


def _quo(a: int, b: int) -> int:
    if b == 0:
        raise GoError("runtime error: integer divide by zero")
    q = abs(a) // abs(b)
    return wrap64(q if (a < 0) == (b < 0) else -q)


@gofunc("func(interface {}) int64")
def add1(v: Any) -> int:
    return wrap64(to_int(v) + 1)


@gofunc("func(...interface {}) int64")
def add(*vs: Any) -> int:
    acc = 0
    for v in vs:
        acc = wrap64(acc + to_int(v))
    return acc


@gofunc("func(interface {}, interface {}) int64")
def sub(a: Any, b: Any) -> int:
    return wrap64(to_int(a) - to_int(b))


@gofunc("func(interface {}, interface {}) int64")
def div(a: Any, b: Any) -> int:
    return _quo(to_int(a), to_int(b))


@gofunc("func(interface {}, interface {}) int64")
def mod(a: Any, b: Any) -> int:
    x, y = to_int(a), to_int(b)
    q = _quo(x, y)
    return wrap64(x - y * q)


def _fold(a: Any, vs: tuple[Any, ...], op: Any) -> int:
    acc = to_int(a)
    for v in vs:
        acc = op(acc, to_int(v))
    return acc


@gofunc("func(interface {}, ...interface {}) int64")
def mul(a: Any, *vs: Any) -> int:
    return _fold(a, vs, lambda x, y: wrap64(x * y))


@gofunc("func(interface {}, ...interface {}) int64")
def max_(a: Any, *vs: Any) -> int:
    return _fold(a, vs, max)


@gofunc("func(interface {}, ...interface {}) int64")
def min_(a: Any, *vs: Any) -> int:
    return _fold(a, vs, min)


@gofunc("func(int, int) int")
def rand_int(lo: int, hi: int) -> GoInt:
    n = hi - lo
    if n <= 0:
        raise GoError("invalid argument to Intn")
    import secrets  # ~8 ms to import (hmac, hashlib): only when randInt runs

    return GoInt(secrets.randbelow(n) + lo)


def go_floor(x: float) -> float:
    """``math.Floor`` (keeps -0, infinities and NaN)."""
    if x == 0 or math.isinf(x) or math.isnan(x):
        return x
    return float(math.floor(x))


def go_ceil(x: float) -> float:
    """``math.Ceil``: ``ceil(-0.5)`` is -0."""
    if x == 0 or math.isinf(x) or math.isnan(x):
        return x
    return -float(math.floor(-x))


@gofunc("func(interface {}) float64")
def floor(v: Any) -> float:
    return go_floor(to_float64(v))


@gofunc("func(interface {}) float64")
def ceil(v: Any) -> float:
    return go_ceil(to_float64(v))


def _go_div(a: float, b: float) -> float:
    """IEEE division as Go does it (no exception on zero)."""
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        neg = (math.copysign(1.0, a) < 0) != (math.copysign(1.0, b) < 0)
        return -math.inf if neg else math.inf
    return a / b


def _go_pow10(p: float) -> float:
    try:
        return math.pow(10.0, p)
    except OverflowError:
        return math.inf


@gofunc("func(interface {}, int, ...float64) float64")
def round_(v: Any, places: int, *opt: float) -> float:
    round_on = opt[0] if opt else 0.5
    pow_ = _go_pow10(float(places))
    digit = pow_ * to_float64(v)
    frac = math.nan if math.isinf(digit) or math.isnan(digit) else math.modf(digit)[0]
    r = go_ceil(digit) if frac >= round_on else go_floor(digit)
    return _go_div(r, pow_)


def until_step(start: int, stop: int, step: int) -> list[int]:
    """Sprig's ``untilStep`` on Go ints."""
    if stop < start:
        if step >= 0:
            return []
        return list(range(start, stop, step))
    if step <= 0:
        return []
    return list(range(start, stop, step))


def _int_list(items: list[int]) -> TypedList:
    # sprig appends one by one to []int{}: the slice has Go's growth room
    out = TypedList([GoInt(i) for i in items], "[]int")
    return with_room(out, appended_cap(len(out), INT), GoInt(0))


@gofunc("func(int) []int")
def until(count: int) -> TypedList:
    return _int_list(until_step(0, count, -1 if count < 0 else 1))


@gofunc("func(int, int, int) []int")
def until_step_(start: int, stop: int, step: int) -> TypedList:
    return _int_list(until_step(start, stop, step))


@gofunc("func(...int) string")
def seq(*params: int) -> str:
    inc = 1
    if len(params) == 1:
        start, end = 1, params[0]
        if end < start:
            inc = -1
        items = until_step(start, end + inc, inc)
    elif len(params) == 2:
        start, end = params
        step = -1 if end < start else 1
        items = until_step(start, end + step, step)
    elif len(params) == 3:
        start, step, end = params
        if end < start:
            inc = -1
            if step > 0:
                return ""
        items = until_step(start, end + inc, step)
    else:
        return ""
    return " ".join(str(i) for i in items)


FUNCS: dict[str, GoFunc] = {
    "add1": add1,
    "add": add,
    "sub": sub,
    "div": div,
    "mod": mod,
    "mul": mul,
    "max": max_,
    "biggest": max_,
    "min": min_,
    "randInt": rand_int,
    "floor": floor,
    "ceil": ceil,
    "round": round_,
    "until": until,
    "untilStep": until_step_,
    "seq": seq,
}
