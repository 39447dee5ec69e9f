"""Go's ``strconv.FormatFloat(x, 'g', -1, bits)``: shortest digits, exponent iff e < -4 or e >= 6.

Needed where Helm turns numbers into text outside templates (Chart.yaml numbers read into
string fields use 32-bit precision; non-string YAML keys use 64-bit).
"""

from __future__ import annotations

import math
import struct


def _to_f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def _shortest_digits(x: float, bits: int) -> tuple[str, int]:
    """(digits, decimal exponent) with x = 0.digits * 10**exp ... as sci: d.ddd e(exp)."""
    if bits == 64:
        s = f"{x:.17e}"
        for p in range(0, 18):
            t = f"{x:.{p}e}"
            if float(t) == x:
                s = t
                break
    else:
        target = _to_f32(x)
        s = f"{x:.9e}"
        for p in range(0, 10):
            t = f"{x:.{p}e}"
            if _to_f32(float(t)) == target:
                s = t
                break
    mant, _, exp = s.partition("e")
    digits = mant.replace(".", "").lstrip("-")
    digits = digits.rstrip("0") or "0"
    return digits, int(exp)


def format_float_g(x: float, bits: int = 64) -> str:
    """Go ``%v`` of a float64 (``bits=64``) or ``FormatFloat(x, 'g', -1, 32)``."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    sign = "-" if x < 0 else ""
    digits, exp = _shortest_digits(abs(x), bits)
    if exp < -4 or exp >= 6:  # shortest formatting always decides with precision 6
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        es = "-" if exp < 0 else "+"
        ev = abs(exp)
        return f"{sign}{mant}e{es}{ev:02d}"
    if exp < 0:
        return sign + "0." + "0" * (-exp - 1) + digits
    if len(digits) <= exp + 1:
        return sign + digits + "0" * (exp + 1 - len(digits))
    return sign + digits[: exp + 1] + "." + digits[exp + 1 :]
