"""Go's ``fmt`` and ``strconv`` formatting over kelm's Go value model.

Templates print values through Go's ``fmt`` (``{{ .x }}`` is ``%v``, ``print``/``printf`` are
``fmt.Sprint``/``fmt.Sprintf``) and sprig builds on the same rules (``toString``, ``quote``).
This module reproduces those rules: verbs, flags, width/precision, argument indexes, the
``%!verb(type=value)`` error forms, and float formatting with shortest round-trip digits.

Values follow :mod:`kelm.golang.value` (``None`` is nil, ``int`` is int64, ``float`` is
float64, ``dict`` is a map, ``GoStruct`` a struct, ``__go_string__`` a ``fmt.Stringer``).
"""

from __future__ import annotations

import math
import struct
import unicodedata

from kelm.golang.value import (
    GoIntKind,
    GoStruct,
    GoUint,
    GoUint8,
    GoUint32,
    GoUint64,
    TypedList,
    TypedMap,
    go_type,
    is_nil_collection,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any

__all__ = [
    "format_value",
    "format_printable",
    "sprint",
    "sprintln",
    "sprintf",
    "go_format_float",
    "quote",
    "quote_rune",
    "is_print",
    "format_int",
]

_LOWER = "0123456789abcdefx"
_UPPER = "0123456789ABCDEFX"
_UNSIGNED = (GoUint, GoUint8, GoUint32, GoUint64)
_MAX_RUNE = 0x10FFFF


# --------------------------------------------------------------------------------------------
# strconv: floats


def _shortest_digits(x: float) -> tuple[str, int]:
    """Shortest round-trip digits of ``abs(x)`` as ``(digits, dp)``: value = 0.DIGITS * 10**dp."""
    if x == 0:
        return "", 0
    r = repr(abs(x))
    mant, _, exp_s = r.partition("e")
    exp = int(exp_s) if exp_s else 0
    ip, _, fp = mant.partition(".")
    digits = ip + fp
    dp = len(ip) + exp
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    return stripped.rstrip("0"), dp


def _decimal_digits(d: Decimal) -> tuple[str, int]:
    sign, dig, exp = d.as_tuple()
    assert isinstance(exp, int)
    digits = "".join(map(str, dig))
    dp = len(digits) + exp
    stripped = digits.lstrip("0")
    if not stripped:
        return "", 0
    dp -= len(digits) - len(stripped)
    return stripped.rstrip("0"), dp


def _rounded_digits(x: float, sig: int) -> tuple[str, int]:
    """``abs(x)`` correctly rounded (half even on the exact binary value) to ``sig`` digits."""
    if x == 0:
        return "", 0
    if sig <= 0:
        return "", 0
    from decimal import ROUND_HALF_EVEN, Context, Decimal  # rarely needed: imported on first use

    d = Decimal(abs(x))
    d = Context(prec=sig, rounding=ROUND_HALF_EVEN).plus(d)
    return _decimal_digits(d)


def _fixed_digits(x: float, frac: int) -> tuple[str, int]:
    """``abs(x)`` rounded to ``frac`` digits after the decimal point."""
    if x == 0:
        return "", 0
    from decimal import ROUND_HALF_EVEN, Context, Decimal  # rarely needed: imported on first use

    d = Decimal(abs(x)).quantize(
        Decimal(1).scaleb(-frac), context=Context(prec=1100, rounding=ROUND_HALF_EVEN)
    )
    return _decimal_digits(d)


def _fmt_e(neg: bool, digits: str, dp: int, prec: int, ch: str) -> str:
    out = ["-"] if neg else []
    out.append(digits[0] if digits else "0")
    if prec > 0:
        out.append(".")
        tail = digits[1 : 1 + prec]
        out.append(tail + "0" * (prec - len(tail)))
    out.append(ch)
    exp = dp - 1 if digits else 0
    out.append("-" if exp < 0 else "+")
    exp = abs(exp)
    out.append(f"{exp:02d}")
    return "".join(out)


def _fmt_f(neg: bool, digits: str, dp: int, prec: int) -> str:
    out = ["-"] if neg else []
    if dp > 0:
        ip = digits[:dp]
        out.append(ip + "0" * (dp - len(ip)))
    else:
        out.append("0")
    if prec > 0:
        out.append(".")
        frac = []
        for i in range(prec):
            j = dp + i
            frac.append(digits[j] if 0 <= j < len(digits) else "0")
        out.append("".join(frac))
    return "".join(out)


def _fmt_b(x: float) -> str:
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    neg = bits >> 63
    exp = (bits >> 52) & 0x7FF
    mant = bits & ((1 << 52) - 1)
    if exp == 0:
        exp = 1
    else:
        mant |= 1 << 52
    exp -= 1023 + 52
    return ("-" if neg else "") + f"{mant}p{'-' if exp < 0 else '+'}{abs(exp)}"


def _fmt_x(x: float, prec: int, ch: str) -> str:
    neg = math.copysign(1.0, x) < 0
    x = abs(x)
    if x == 0:
        mant, exp = 0, 0
    else:
        m, e = math.frexp(x)
        mant = int(m * (1 << 53)) << 8  # leading 1 at bit 60
        exp = e - 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if (extra | (mant & 1)) > (1 << 59):
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    hexd = _LOWER if ch == "x" else _UPPER
    out = ["-"] if neg else []
    out.append("0" + ch + str((mant >> 60) & 1))
    mant = (mant << 4) & ((1 << 64) - 1)
    if prec < 0 and mant != 0:
        out.append(".")
        while mant != 0:
            out.append(hexd[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    elif prec > 0:
        out.append(".")
        for _ in range(prec):
            out.append(hexd[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    out.append("p" if ch == "x" else "P")
    out.append("-" if exp < 0 else "+")
    exp = abs(exp)
    out.append(f"{exp:02d}")
    return "".join(out)


def go_format_float(x: float, fmt: str = "g", prec: int = -1, bitsize: int = 64) -> str:
    """``strconv.FormatFloat(x, fmt, prec, bitsize)``; ``prec == -1`` means shortest round-trip."""
    if bitsize == 32:
        from kelm.golang.floats import float32_value

        x = float32_value(x, shortest=prec < 0 and fmt not in ("b", "x", "X"))
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    if fmt == "b":
        return _fmt_b(x)
    if fmt in ("x", "X"):
        return _fmt_x(x, prec, fmt)
    neg = math.copysign(1.0, x) < 0
    shortest = prec < 0
    if shortest:
        digits, dp = _shortest_digits(x)
        nd = len(digits)
        if fmt in ("e", "E"):
            prec = max(nd - 1, 0)
        elif fmt == "f":
            prec = max(nd - dp, 0)
        elif fmt in ("g", "G"):
            prec = nd
    elif fmt in ("e", "E"):
        digits, dp = _rounded_digits(x, prec + 1)
    elif fmt == "f":
        digits, dp = _fixed_digits(x, prec)
    elif fmt in ("g", "G"):
        if prec == 0:
            prec = 1
        digits, dp = _rounded_digits(x, prec)
    else:
        return "%" + fmt
    if fmt in ("e", "E"):
        return _fmt_e(neg, digits, dp, prec, fmt)
    if fmt == "f":
        return _fmt_f(neg, digits, dp, prec)
    if fmt in ("g", "G"):
        nd = len(digits)
        eprec = prec
        if eprec > nd and nd >= dp:
            eprec = nd
        if shortest:
            eprec = 6
        exp = dp - 1
        if exp < -4 or exp >= eprec:
            if prec > nd:
                prec = nd
            return _fmt_e(neg, digits, dp, prec - 1, "e" if fmt == "g" else "E")
        if prec > dp:
            prec = nd
        return _fmt_f(neg, digits, dp, max(prec - dp, 0))
    return "%" + fmt


def _format_float_v(x: float) -> str:
    """Fast path for ``%v`` of a float64 (``'g'``, shortest)."""
    if x != x:
        return "NaN"
    if x in (math.inf, -math.inf):
        return "+Inf" if x > 0 else "-Inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    if 1e-4 <= abs(x) < 1e6:
        # Python's repr is positional with the same shortest digits in this range
        r = repr(x)
        return r[:-2] if r.endswith(".0") else r
    digits, dp = _shortest_digits(x)
    neg = x < 0
    exp = dp - 1
    if exp < -4 or exp >= 6:
        return _fmt_e(neg, digits, dp, len(digits) - 1, "e")
    return _fmt_f(neg, digits, dp, max(len(digits) - dp, 0))


# --------------------------------------------------------------------------------------------
# strconv: quoting

_PRINT_CATS = frozenset("LMNPS")


def is_print(r: int) -> bool:
    """Go's ``strconv.IsPrint``: letters, marks, numbers, punctuation, symbols and ASCII space."""
    if r < 0x80:
        return 0x20 <= r < 0x7F
    if r > _MAX_RUNE or 0xD800 <= r <= 0xDFFF:
        return False
    return unicodedata.category(chr(r))[0] in _PRINT_CATS


def _escape_rune(out: list[str], r: int, q: str, ascii_only: bool) -> None:
    if r == ord(q) or r == 0x5C:
        out.append("\\" + chr(r))
        return
    if ascii_only:
        if r < 0x80 and is_print(r):
            out.append(chr(r))
            return
    elif is_print(r):
        out.append(chr(r))
        return
    esc = _SIMPLE_ESC.get(r)
    if esc is not None:
        out.append(esc)
    elif r < 0x20 or r == 0x7F:
        out.append(f"\\x{r:02x}")
    else:
        if r > _MAX_RUNE or 0xD800 <= r <= 0xDFFF:
            r = 0xFFFD
        out.append(f"\\u{r:04x}" if r < 0x10000 else f"\\U{r:08x}")


_SIMPLE_ESC = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}


def _quote_with(s: str, q: str, ascii_only: bool) -> str:
    out = [q]
    for ch in s:
        r = ord(ch)
        if 0xDC80 <= r <= 0xDCFF:  # an invalid UTF-8 byte kept by surrogateescape
            out.append(f"\\x{r - 0xDC00:02x}")
        elif 0xD800 <= r <= 0xDFFF:
            out.append("\\ufffd" if ascii_only else "\ufffd")
        else:
            _escape_rune(out, r, q, ascii_only)
    out.append(q)
    return "".join(out)


def quote(s: str) -> str:
    """``strconv.Quote``: a double-quoted Go string literal."""
    if s.isascii() and s.isprintable() and '"' not in s and "\\" not in s:
        return '"' + s + '"'
    return _quote_with(s, '"', False)


def quote_ascii(s: str) -> str:
    """``strconv.QuoteToASCII``."""
    return _quote_with(s, '"', True)


def quote_rune(r: int, ascii_only: bool = False) -> str:
    """``strconv.QuoteRune``: a single-quoted Go rune literal."""
    if r > _MAX_RUNE or r < 0 or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    out = ["'"]
    _escape_rune(out, r, "'", ascii_only)
    out.append("'")
    return "".join(out)


def _can_backquote(s: str) -> bool:
    for ch in s:
        r = ord(ch)
        if r == 0xFEFF or ch == "`" or 0xD800 <= r <= 0xDFFF:
            return False
        if r < 0x20 and ch != "\t" or r == 0x7F:
            return False
    return True


def format_int(n: int, base: int = 10) -> str:
    """``strconv.FormatInt``."""
    if base == 10:
        return str(n)
    neg = n < 0
    n = abs(n)
    digs = []
    while True:
        n, d = divmod(n, base)
        digs.append("0123456789abcdefghijklmnopqrstuvwxyz"[d])
        if n == 0:
            break
    return ("-" if neg else "") + "".join(reversed(digs))


# --------------------------------------------------------------------------------------------
# fmt


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _has_stringer(v: Any) -> bool:
    return getattr(type(v), "__go_string__", None) is not None


class _Printer:
    """State of one ``fmt`` call (Go's ``pp`` plus its ``fmt`` flags)."""

    __slots__ = (
        "buf",
        "wid",
        "prec",
        "wid_present",
        "prec_present",
        "minus",
        "plus",
        "sharp",
        "space",
        "zero",
        "plus_v",
        "sharp_v",
        "erroring",
        "arg",
        "reordered",
        "good_argnum",
    )

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.erroring = False
        self.arg: Any = None
        self.reordered = False
        self.good_argnum = True
        self.clear()

    def clear(self) -> None:
        self.wid = 0
        self.prec = 0
        self.wid_present = False
        self.prec_present = False
        self.minus = False
        self.plus = False
        self.sharp = False
        self.space = False
        self.zero = False
        self.plus_v = False
        self.sharp_v = False

    # ---- padding
    def _padding(self, n: int) -> str:
        if n <= 0:
            return ""
        return ("0" if self.zero and not self.minus else " ") * n

    def pad(self, s: str) -> None:
        if not self.wid_present or self.wid == 0:
            self.buf.append(s)
            return
        width = self.wid - len(s)
        if width <= 0:
            self.buf.append(s)
        elif not self.minus:
            self.buf.append(self._padding(width))
            self.buf.append(s)
        else:
            self.buf.append(s)
            self.buf.append(" " * width)

    def trunc(self, s: str) -> str:
        if self.prec_present and self.prec < len(s):
            return s[: self.prec]
        return s

    def fmt_s(self, s: str) -> None:
        self.pad(self.trunc(s))

    # ---- integers
    def fmt_integer(self, n: int, base: int, signed: bool, verb: str, digits: str) -> None:
        negative = signed and n < 0
        if not signed and n < 0:
            n &= (1 << 64) - 1
        u = -n if negative else n
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and u == 0:
                old = self.zero
                self.zero = False
                self.buf.append(self._padding(self.wid))
                self.zero = old
                return
        elif self.zero and not self.minus and self.wid_present:
            prec = self.wid
            if negative or self.plus or self.space:
                prec -= 1
        if base == 10:
            s = str(u)
        elif base == 16:
            s = format(u, "x")
            if digits is _UPPER:
                s = s.upper()
        elif base == 8:
            s = format(u, "o")
        else:
            s = format(u, "b")
        if len(s) < prec:
            s = "0" * (prec - len(s)) + s
        if self.sharp:
            if base == 2:
                s = "0b" + s
            elif base == 8:
                if s[0] != "0":
                    s = "0" + s
            elif base == 16:
                s = "0" + digits[16] + s
        if verb == "O":
            s = "0o" + s
        if negative:
            s = "-" + s
        elif self.plus:
            s = "+" + s
        elif self.space:
            s = " " + s
        old = self.zero
        self.zero = False
        self.pad(s)
        self.zero = old

    def fmt_0x64(self, n: int, leading: bool) -> None:
        sharp = self.sharp
        self.sharp = leading
        self.fmt_integer(n, 16, False, "v", _LOWER)
        self.sharp = sharp

    def fmt_c(self, n: int) -> None:
        r = n if 0 <= n <= _MAX_RUNE and not 0xD800 <= n <= 0xDFFF else 0xFFFD
        self.pad(chr(r))

    def fmt_qc(self, n: int) -> None:
        r = n if 0 <= n <= _MAX_RUNE else 0xFFFD
        self.pad(quote_rune(r, self.plus))

    def fmt_unicode(self, n: int) -> None:
        u = n & ((1 << 64) - 1)
        prec = 4
        if self.prec_present and self.prec > 4:
            prec = self.prec
        s = "U+" + format(u, "X").rjust(prec, "0")
        if self.sharp and u <= _MAX_RUNE and is_print(u):
            s += " '" + chr(u) + "'"
        old = self.zero
        self.zero = False
        self.pad(s)
        self.zero = old

    def int_verb(self, n: int, signed: bool, verb: str) -> None:
        if verb == "v":
            if self.sharp_v and not signed:
                self.fmt_0x64(n, True)
            else:
                self.fmt_integer(n, 10, signed, verb, _LOWER)
        elif verb == "d":
            self.fmt_integer(n, 10, signed, verb, _LOWER)
        elif verb == "b":
            self.fmt_integer(n, 2, signed, verb, _LOWER)
        elif verb in ("o", "O"):
            self.fmt_integer(n, 8, signed, verb, _LOWER)
        elif verb == "x":
            self.fmt_integer(n, 16, signed, verb, _LOWER)
        elif verb == "X":
            self.fmt_integer(n, 16, signed, verb, _UPPER)
        elif verb == "c":
            self.fmt_c(n)
        elif verb == "q":
            self.fmt_qc(n)
        elif verb == "U":
            self.fmt_unicode(n)
        else:
            self.bad_verb(verb)

    # ---- floats
    def fmt_float(self, v: float, verb: str, prec: int) -> None:
        if self.prec_present:
            prec = self.prec
        num = go_format_float(v, verb, prec)
        if num[0] not in "+-":
            num = "+" + num
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] in "IN":
            old = self.zero
            self.zero = False
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self.pad(num)
            self.zero = old
            return
        if self.sharp and verb != "b":
            num = self._sharp_float(num, verb, prec)
        if self.plus or num[0] != "+":
            if self.zero and not self.minus and self.wid_present and self.wid > len(num):
                self.buf.append(num[0])
                self.buf.append("0" * (self.wid - len(num)))
                self.buf.append(num[1:])
                return
            self.pad(num)
            return
        self.pad(num[1:])

    @staticmethod
    def _sharp_float(num: str, verb: str, prec: int) -> str:
        digits = 0
        if verb in ("v", "g", "G", "x"):
            digits = 6 if prec == -1 else prec
        tail = ""
        has_point = False
        saw_nonzero = False
        body = num
        i = 1
        while i < len(body):
            c = body[i]
            if c == ".":
                has_point = True
            elif c in "pP":
                tail = body[i:]
                body = body[:i]
                break
            elif c in "eE" and verb not in ("x", "X"):
                tail = body[i:]
                body = body[:i]
                break
            else:
                if c != "0":
                    saw_nonzero = True
                if saw_nonzero:
                    digits -= 1
            i += 1
        if not has_point:
            if len(body) == 2 and body[1] == "0":
                digits -= 1
            body += "."
        if digits > 0:
            body += "0" * digits
        return body + tail

    def float_verb(self, v: float, verb: str) -> None:
        if verb == "v":
            self.fmt_float(v, "g", -1)
        elif verb in ("b", "g", "G", "x", "X"):
            self.fmt_float(v, verb, -1)
        elif verb in ("f", "e", "E"):
            self.fmt_float(v, verb, 6)
        elif verb == "F":
            self.fmt_float(v, "f", 6)
        else:
            self.bad_verb(verb)

    def complex_verb(self, v: complex, verb: str) -> None:
        """Go's fmtComplex: "(real+imagi)", each part formatted like a float64."""
        if verb not in ("v", "b", "g", "G", "x", "X", "f", "F", "e", "E"):
            self.bad_verb(verb)
            return
        plus = self.plus
        self.buf.append("(")
        self.float_verb(v.real, verb)
        self.plus = True
        self.float_verb(v.imag, verb)
        self.buf.append("i)")
        self.plus = plus

    # ---- strings and bytes
    def fmt_sbx(self, data: bytes, digits: str) -> None:
        length = len(data)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width > 0:
            if self.space:
                if self.sharp:
                    width *= 2
                width += length - 1
            elif self.sharp:
                width += 2
        else:
            if self.wid_present:
                self.buf.append(self._padding(self.wid))
            return
        if self.wid_present and self.wid > width and not self.minus:
            self.buf.append(self._padding(self.wid - width))
        out = []
        if self.sharp:
            out.append("0" + digits[16])
        for i in range(length):
            if self.space and i > 0:
                out.append(" ")
                if self.sharp:
                    out.append("0" + digits[16])
            c = data[i]
            out.append(digits[c >> 4] + digits[c & 15])
        self.buf.append("".join(out))
        if self.wid_present and self.wid > width and self.minus:
            self.buf.append(" " * (self.wid - width))

    def fmt_q(self, s: str) -> None:
        s = self.trunc(s)
        if self.sharp and _can_backquote(s):
            self.pad("`" + s + "`")
        elif self.plus:
            self.pad(quote_ascii(s))
        else:
            self.pad(quote(s))

    def string_verb(self, s: str, verb: str) -> None:
        if verb == "v":
            if self.sharp_v:
                self.fmt_q(s)
            else:
                self.fmt_s(s)
        elif verb == "s":
            self.fmt_s(s)
        elif verb == "x":
            self.fmt_sbx(_utf8(s), _LOWER)
        elif verb == "X":
            self.fmt_sbx(_utf8(s), _UPPER)
        elif verb == "q":
            self.fmt_q(s)
        else:
            self.bad_verb(verb)

    def bytes_verb(self, b: bytes | bytearray, verb: str, depth: int) -> None:
        if verb in ("v", "d"):
            if self.sharp_v:  # fmt names the static []byte, reflection the type []uint8
                self.buf.append("[]byte{" if depth == 0 else "[]uint8{")
                for i, c in enumerate(b):
                    if i:
                        self.buf.append(", ")
                    self.fmt_0x64(c, True)
                self.buf.append("}")
            else:
                self.buf.append("[")
                for i, c in enumerate(b):
                    if i:
                        self.buf.append(" ")
                    self.fmt_integer(c, 10, False, verb, _LOWER)
                self.buf.append("]")
        elif verb == "s":
            self.fmt_s(bytes(b).decode("utf-8", "surrogateescape"))
        elif verb == "x":
            self.fmt_sbx(bytes(b), _LOWER)
        elif verb == "X":
            self.fmt_sbx(bytes(b), _UPPER)
        elif verb == "q":
            self.fmt_q(bytes(b).decode("utf-8", "surrogateescape"))
        else:
            self.buf.append("[")
            for i, c in enumerate(b):
                if i:
                    self.buf.append(" ")
                self.print_value(GoUint8(c), verb, depth + 1)
            self.buf.append("]")

    # ---- errors
    def bad_verb(self, verb: str, nil: bool = False) -> None:
        arg = self.arg
        self.erroring = True
        self.buf.append("%!" + verb + "(")
        if nil:
            self.buf.append("<nil>")
        else:
            self.buf.append(go_type(arg) + "=")
            self.print_arg(arg, "v")
        self.buf.append(")")
        self.erroring = False

    # ---- dispatch
    def print_arg(self, arg: Any, verb: str) -> None:
        self.arg = arg
        if arg is None:
            if verb in ("T", "v"):
                self.pad("<nil>")
            else:
                self.bad_verb(verb, nil=True)
            return
        if verb == "T":
            self.fmt_s(go_type(arg))
            return
        if verb == "p":
            self.fmt_pointer(arg, verb)
            return
        self.print_value(arg, verb, 0)

    def fmt_pointer(self, v: Any, verb: str) -> None:
        if isinstance(v, (list, dict)) or callable(v) or go_type(v).startswith("*"):
            addr = 0 if is_nil_collection(v) else 0xC000000000 + (id(v) & 0xFFFFFFF)
            if verb == "v" and self.sharp_v:
                self.buf.append("(" + go_type(v) + ")(")
                self.buf.append(hex(addr))
                self.buf.append(")")
            else:
                self.fmt_0x64(addr, not self.sharp)
        else:
            self.bad_verb(verb)

    def handle_methods(self, v: Any, verb: str) -> bool:
        if self.erroring:
            return False
        if self.sharp_v:
            gs = getattr(v, "__go_gostring__", None)
            if gs is not None:
                self.buf.append(gs())
                return True
            return False
        if verb in ("v", "s", "x", "X", "q"):
            s = getattr(v, "__go_string__", None)
            # a String method with a pointer receiver is not in a struct value's method set
            if s is not None and not getattr(v, "go_stringer_ptr", False):
                self.string_verb(s(), verb)
                return True
        return False

    def print_value(self, v: Any, verb: str, depth: int) -> None:
        self.arg = v
        if v is None:
            # a nil interface inside a collection
            if depth == 0:
                self.print_arg(v, verb)
            elif self.sharp_v:
                self.buf.append("interface {}(nil)")
            else:
                self.buf.append("<nil>")
            return
        if isinstance(v, str):
            if type(v) is str or not _has_stringer(v) or not self.handle_methods(v, verb):
                self.string_verb(v, verb)
            return
        if v is True or v is False:
            if verb in ("t", "v"):
                self.pad("true" if v else "false")
            else:
                self.bad_verb(verb)
            return
        if isinstance(v, int):
            if isinstance(v, GoIntKind) and _has_stringer(v) and self.handle_methods(v, verb):
                return
            self.int_verb(int(v), not isinstance(v, _UNSIGNED), verb)
            return
        if isinstance(v, float):
            self.float_verb(v, verb)
            return
        if isinstance(v, complex):
            self.complex_verb(v, verb)
            return
        if _has_stringer(v) and self.handle_methods(v, verb):
            return
        if isinstance(v, (bytes, bytearray)):
            self.bytes_verb(v, verb, depth)
            return
        if isinstance(v, dict):
            self.print_map(v, verb, depth)
            return
        if isinstance(v, (list, tuple)):
            self.print_list(v, verb, depth)
            return
        if isinstance(v, GoStruct):
            self.print_struct(v, verb, depth)
            return
        if callable(v):
            self.fmt_pointer(v, verb)
            return
        self.string_verb(str(v), verb)

    def print_map(self, m: dict, verb: str, depth: int) -> None:
        if self.sharp_v and is_nil_collection(m):
            self.buf.append(go_type(m) + "(nil)")
            return
        if self.sharp_v:
            self.buf.append(go_type(m) + "{")
        else:
            self.buf.append("map[")
        for i, k in enumerate(sorted(m, key=_sort_key)):
            if i:
                self.buf.append(", " if self.sharp_v else " ")
            self.print_value(k, verb, depth + 1)
            self.buf.append(":")
            self.print_value(m[k], verb, depth + 1)
        self.buf.append("}" if self.sharp_v else "]")

    def print_list(self, seq: list | tuple, verb: str, depth: int) -> None:
        if verb in ("s", "q", "x", "X") and isinstance(seq, TypedList):
            if seq.go_type == "[]uint8":
                self.bytes_verb(bytes(seq), verb, depth)
                return
        if self.sharp_v and is_nil_collection(seq):
            self.buf.append(go_type(seq) + "(nil)")
            return
        if self.sharp_v:
            self.buf.append(go_type(seq) + "{")
            for i, e in enumerate(seq):
                if i:
                    self.buf.append(", ")
                self.print_value(e, verb, depth + 1)
            self.buf.append("}")
            return
        self.buf.append("[")
        for i, e in enumerate(seq):
            if i:
                self.buf.append(" ")
            self.print_value(e, verb, depth + 1)
        self.buf.append("]")

    def print_struct(self, s: GoStruct, verb: str, depth: int, amp: bool = True) -> None:
        t = go_type(s)
        if t.startswith("*"):
            if depth == 0 and amp:
                self.buf.append("&")
            t = t[1:]
        if self.sharp_v:
            self.buf.append(t)
        self.buf.append("{")
        # fmt prints every field, unexported ones too: ``_go_print_fields`` may list them
        # as names or (Go name, Python attribute) pairs
        fields = getattr(s, "_go_print_fields", None) or s._go_fields
        for i, field in enumerate(fields):
            name, attr = (field, field) if isinstance(field, str) else field
            if i:
                self.buf.append(", " if self.sharp_v else " ")
            if self.plus_v or self.sharp_v:
                self.buf.append(name + ":")
            self.print_value(getattr(s, attr, None), verb, depth + 1)
        self.buf.append("}")

    # ---- Printf
    def arg_index(self, argnum: int, fmt: str, i: int, nargs: int) -> tuple[int, int, bool]:
        """Go's ``argNumber``: an explicit ``[n]`` index at ``i``, if any."""
        argnum, i, found, ok = _arg_number(argnum, fmt, i, nargs)
        if ok is not None:
            self.reordered = True
            if not ok:
                self.good_argnum = False
        return argnum, i, found

    def do_printf(self, fmt: str, args: tuple[Any, ...]) -> None:
        end = len(fmt)
        argnum = 0
        after_index = False
        self.reordered = False
        nargs = len(args)
        buf = self.buf
        i = 0
        while i < end:
            self.good_argnum = True
            j = fmt.find("%", i)
            if j < 0:
                buf.append(fmt[i:])
                break
            if j > i:
                buf.append(fmt[i:j])
            i = j + 1
            self.clear()
            simple = False
            while i < end:
                c = fmt[i]
                if c == "#":
                    self.sharp = True
                elif c == "0":
                    self.zero = True
                elif c == "+":
                    self.plus = True
                elif c == "-":
                    self.minus = True
                elif c == " ":
                    self.space = True
                else:
                    if "a" <= c <= "z" and argnum < nargs:
                        if c == "v":
                            self.sharp_v, self.sharp = self.sharp, False
                            self.plus_v, self.plus = self.plus, False
                        self.print_arg(args[argnum], c)
                        argnum += 1
                        i += 1
                        simple = True
                    break
                i += 1
            if simple:
                continue

            # explicit argument index
            argnum, i, after_index = self.arg_index(argnum, fmt, i, nargs)
            # width
            if i < end and fmt[i] == "*":
                i += 1
                self.wid, self.wid_present, argnum = _int_from_arg(args, argnum)
                if not self.wid_present:
                    buf.append("%!(BADWIDTH)")
                if self.wid < 0:
                    self.wid = -self.wid
                    self.minus = True
                    self.zero = False
                after_index = False
            else:
                self.wid, self.wid_present, i = _parse_num(fmt, i, end)
                if after_index and self.wid_present:
                    self.good_argnum = False
            # precision
            if i + 1 < end and fmt[i] == ".":
                i += 1
                if after_index:
                    self.good_argnum = False
                argnum, i, after_index = self.arg_index(argnum, fmt, i, nargs)
                if i < end and fmt[i] == "*":
                    i += 1
                    self.prec, self.prec_present, argnum = _int_from_arg(args, argnum)
                    if self.prec < 0:
                        self.prec = 0
                        self.prec_present = False
                    if not self.prec_present:
                        buf.append("%!(BADPREC)")
                    after_index = False
                else:
                    self.prec, self.prec_present, i = _parse_num(fmt, i, end)
                    if not self.prec_present:
                        self.prec = 0
                        self.prec_present = True
            if not after_index:
                argnum, i, after_index = self.arg_index(argnum, fmt, i, nargs)
            if i >= end:
                buf.append("%!(NOVERB)")
                break
            verb = fmt[i]
            i += 1
            if verb == "%":
                buf.append("%")
            elif not self.good_argnum:
                buf.append("%!" + verb + "(BADINDEX)")
            elif argnum >= nargs:
                buf.append("%!" + verb + "(MISSING)")
            else:
                if verb == "v":
                    self.sharp_v, self.sharp = self.sharp, False
                    self.plus_v, self.plus = self.plus, False
                elif verb == "w":
                    pass
                self.print_arg(args[argnum], verb)
                argnum += 1
        if not self.reordered and argnum < nargs:
            self.clear()
            buf.append("%!(EXTRA ")
            for k, arg in enumerate(args[argnum:]):
                if k:
                    buf.append(", ")
                if arg is None:
                    buf.append("<nil>")
                else:
                    buf.append(go_type(arg) + "=")
                    self.print_arg(arg, "v")
            buf.append(")")


def _utf8(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _parse_num(s: str, start: int, end: int) -> tuple[int, bool, int]:
    if start >= end:
        return 0, False, end
    num = 0
    isnum = False
    i = start
    while i < end and "0" <= s[i] <= "9":
        if num > 1_000_000:
            return 0, False, end
        num = num * 10 + ord(s[i]) - 48
        isnum = True
        i += 1
    return num, isnum, i


def _arg_number(argnum: int, fmt: str, i: int, nargs: int) -> tuple[int, int, bool, bool | None]:
    """Go's ``argNumber``: returns (argnum, i, found, ok) with ok None when no ``[`` follows."""
    if len(fmt) <= i or fmt[i] != "[":
        return argnum, i, False, None
    sub = fmt[i:]
    index, wid, ok = 0, 1, False
    if len(sub) >= 3:
        for k in range(1, len(sub)):
            if sub[k] == "]":
                num, isnum, newi = _parse_num(sub, 1, k)
                if not isnum or newi != k:
                    index, wid, ok = 0, k + 1, False
                else:
                    index, wid, ok = num - 1, k + 1, True
                break
    if ok and 0 <= index < nargs:
        return index, i + wid, True, True
    return argnum, i + wid, ok, False


def _int_from_arg(args: tuple[Any, ...], argnum: int) -> tuple[int, bool, int]:
    num, is_int = 0, False
    if argnum < len(args):
        a = args[argnum]
        if isinstance(a, int) and not isinstance(a, bool):
            num, is_int = int(a), True
        argnum += 1
        if num > 1_000_000 or num < -1_000_000:
            num, is_int = 0, False
    return num, is_int, argnum


def _sort_key(k: Any) -> tuple:
    """Go's internal/fmtsort order for map keys of mixed or uniform types."""
    if k is None:
        return (0, 0)
    if k is True or k is False:
        return (1, int(k))
    if isinstance(k, int):
        return (2, int(k))
    if isinstance(k, float):
        return (3, -math.inf if k != k else k)
    if isinstance(k, str):
        return (4, k)
    return (5, str(k))


# --------------------------------------------------------------------------------------------
# public API


def format_value(v: Any) -> str:
    """``fmt.Sprint(v)`` / ``%v`` of one value."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is float:
        return _format_float_v(v)
    if t is bool:
        return "true" if v else "false"
    if v is None:
        return "<nil>"
    if isinstance(v, GoIntKind) and not _has_stringer(v):
        return str(int(v))
    p = _Printer()
    p.print_arg(v, "v")
    return "".join(p.buf)


def format_printable(v: Any) -> str:
    """Text of a template action's value (``{{ x }}``): Go's ``printableValue`` dereferences a
    pointer and applies a ``String`` method even when its receiver is a pointer."""
    s = getattr(v, "__go_string__", None)
    if s is not None:
        return s()
    if isinstance(v, GoStruct) and go_type(v).startswith("*"):
        p = _Printer()
        p.arg = v
        p.print_struct(v, "v", 0, amp=False)
        return "".join(p.buf)
    return format_value(v)


def sprint(*args: Any) -> str:
    """``fmt.Sprint``: a space between operands when neither side is a string."""
    p = _Printer()
    prev_string = False
    for n, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if n > 0 and not is_string and not prev_string:
            p.buf.append(" ")
        p.print_arg(arg, "v")
        prev_string = is_string
    return "".join(p.buf)


def sprintln(*args: Any) -> str:
    """``fmt.Sprintln``: operands separated by spaces, newline appended."""
    p = _Printer()
    for n, arg in enumerate(args):
        if n > 0:
            p.buf.append(" ")
        p.print_arg(arg, "v")
    p.buf.append("\n")
    return "".join(p.buf)


def sprintf(fmt: str, *args: Any) -> str:
    """``fmt.Sprintf``."""
    p = _Printer()
    p.do_printf(fmt, args)
    return "".join(p.buf)


# TypedMap is printed like dict; keep the name referenced for readers of the value model.
_ = TypedMap
