"""Go's float64 text forms: ``strconv.FormatFloat(f, 'g', -1, 64)`` and encoding/json's.

Both start from the shortest digit string that round-trips, which Python's ``repr`` also
produces, so only the layout differs.
"""

from __future__ import annotations

import math
import struct


def shortest_digits(f: float) -> tuple[str, int]:
    """Digits and decimal-point position of ``abs(f)`` (``0.DIGITS x 10**dp``); f finite, != 0."""
    r = repr(abs(f))
    mant, _, exp_s = r.partition("e")
    exp = int(exp_s) if exp_s else 0
    ip, _, fp = mant.partition(".")
    if fp == "0":
        fp = ""
    digits = ip + fp
    dp = len(ip) + exp
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    return stripped.rstrip("0") or "0", dp


def _exp_form(digits: str, dp: int, neg: bool, pad: bool) -> str:
    e = dp - 1
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if e < 0 else "+"
    ae = abs(e)
    es = f"{ae:02d}" if pad else str(ae)
    return ("-" if neg else "") + mant + "e" + sign + es


def _fixed_form(digits: str, dp: int, neg: bool) -> str:
    nd = len(digits)
    if dp <= 0:
        s = "0." + "0" * (-dp) + digits
    elif dp >= nd:
        s = digits + "0" * (dp - nd)
    else:
        s = digits[:dp] + "." + digits[dp:]
    return ("-" if neg else "") + s


def format_g(f: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)`` (what ``%v`` and go-yaml print)."""
    if f != f:
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    neg = math.copysign(1.0, f) < 0
    if f == 0:
        return "-0" if neg else "0"
    digits, dp = shortest_digits(f)
    e = dp - 1
    if e < -4 or e >= 6:
        return _exp_form(digits, dp, neg, True)
    return _fixed_form(digits, dp, neg)


def format_json(f: float) -> str:
    """encoding/json's float64 text; caller rejects NaN/Inf."""
    neg = math.copysign(1.0, f) < 0
    if f == 0:
        return "-0" if neg else "0"
    digits, dp = shortest_digits(f)
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        s = _exp_form(digits, dp, neg, False)
        return s
    return _fixed_form(digits, dp, neg)


_INT64_MIN = -(2**63)
_UINT64_MAX = 2**64 - 1


def format_yaml_v2(f: float) -> str:
    """How sigs.k8s.io/yaml prints a float64: JSON text re-read by go-yaml v2, then printed."""
    if f != f or math.isinf(f):
        raise ValueError("unsupported float")
    if f == int(f) and abs(f) < 1e21:
        n = int(_fixed_form(*shortest_digits(f), False)) if f != 0 else 0
        if f < 0:
            n = -n
        if _INT64_MIN <= n <= _UINT64_MAX:
            return str(n)
    return format_g(f)


def float32_value(f: float, shortest: bool = True) -> float:
    """Go's ``float32(f)`` as a float64 (overflow gives Inf).  ``shortest``: the float64 of the
    shortest decimal that reads back as that float32, whose shortest 64-bit digits are the
    32-bit ones (what ``FormatFloat(f, fmt, -1, 32)`` prints)."""
    if f != f or math.isinf(f):
        return f
    try:
        f32 = struct.unpack("f", struct.pack("f", f))[0]
    except OverflowError:
        return math.inf if f > 0 else -math.inf
    if not shortest or f32 == 0:
        return f32
    for prec in range(1, 10):
        s = f"{f32:.{prec}g}"
        if struct.unpack("f", struct.pack("f", float(s)))[0] == f32:
            return float(s)
    return f32


def format_float32_g(f: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 32)`` (sigs.k8s.io/yaml's float map keys)."""
    return format_g(float32_value(f))
