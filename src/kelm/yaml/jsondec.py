"""encoding/json Unmarshal into ``interface{}`` with Go's exact error texts.

Go first scans the whole input for syntax (so a syntax error leaves the target untouched),
then decodes; a number too big for float64 is not fatal: the value becomes nil and the error
is reported at the end.  Numbers are float64.
"""

from __future__ import annotations

import math

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

_WS = " \t\r\n"
_ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_EOF = "unexpected end of JSON input"


class GoJSONSyntaxError(ValueError):
    pass


class _Eof(Exception):
    """End of input; ``feed`` is the state's verdict on Go's synthetic trailing space."""

    def __init__(self, what: str | None = None) -> None:
        super().__init__(what)
        self.what = what


def quote_char(c: str) -> str:
    """Go's scanner quoteChar for the offending byte (non-ASCII: its first UTF-8 byte)."""
    if 0xDC80 <= ord(c) <= 0xDCFF:  # a raw non-UTF-8 byte (surrogateescape)
        c = chr(ord(c) - 0xDC00)
    elif ord(c) > 0x7F:
        c = chr(c.encode("utf-8", "surrogatepass")[0])
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    o = ord(c)
    named = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
             "\v": "\\v", "\\": "\\\\"}.get(c)
    if named:
        return "'" + named + "'"
    if o < 0x20 or o == 0x7F:
        return f"'\\x{o:02x}'"
    if 0x80 <= o <= 0xA0 or o == 0xAD:
        return f"'\\u{o:04x}'"
    return "'" + c + "'"


def _bad(c: str, ctx: str) -> GoJSONSyntaxError:
    return GoJSONSyntaxError(f"invalid character {quote_char(c)} {ctx}")


class _Parser:
    __slots__ = ("s", "n", "errors")

    def __init__(self, s: str) -> None:
        self.s = s
        self.n = len(s)
        self.errors: list[str] = []

    def ws(self, i: int) -> int:
        s, n = self.s, self.n
        while i < n and s[i] in _WS:
            i += 1
        return i

    def value(self, i: int) -> tuple[Any, int]:
        if i >= self.n:
            raise _Eof()
        c = self.s[i]
        if c == "{":
            return self.obj(i + 1)
        if c == "[":
            return self.arr(i + 1)
        if c == '"':
            return self.string(i + 1)
        if c == "-" or "0" <= c <= "9":
            return self.number(i)
        if c == "t":
            return True, self.lit(i, "true")
        if c == "f":
            return False, self.lit(i, "false")
        if c == "n":
            return None, self.lit(i, "null")
        raise _bad(c, "looking for beginning of value")

    def lit(self, i: int, word: str) -> int:
        for k in range(1, len(word)):
            j = i + k
            if j >= self.n:
                raise _Eof(f"invalid character ' ' in literal {word} (expecting '{word[k]}')")
            if self.s[j] != word[k]:
                raise _bad(self.s[j], f"in literal {word} (expecting '{word[k]}')")
        return i + len(word)

    def number(self, i: int) -> tuple[Any, int]:
        s, n = self.s, self.n
        start = i
        if s[i] == "-":
            i += 1
            if i >= n:
                raise _Eof("invalid character ' ' in numeric literal")
            if not "0" <= s[i] <= "9":
                raise _bad(s[i], "in numeric literal")
        if s[i] == "0":
            i += 1
        else:
            while i < n and "0" <= s[i] <= "9":
                i += 1
        if i < n and s[i] == ".":
            i += 1
            if i >= n:
                raise _Eof("invalid character ' ' after decimal point in numeric literal")
            if not "0" <= s[i] <= "9":
                raise _bad(s[i], "after decimal point in numeric literal")
            while i < n and "0" <= s[i] <= "9":
                i += 1
        if i < n and s[i] in "eE":
            i += 1
            if i < n and s[i] in "+-":
                i += 1
            if i >= n:
                raise _Eof("invalid character ' ' in exponent of numeric literal")
            if not "0" <= s[i] <= "9":
                raise _bad(s[i], "in exponent of numeric literal")
            while i < n and "0" <= s[i] <= "9":
                i += 1
        text = s[start:i]
        f = float(text)
        if math.isinf(f):
            self.errors.append(f"json: cannot unmarshal number {text} into Go value of type float64")
            return None, i
        return f, i

    def string(self, i: int) -> tuple[str, int]:
        s, n = self.s, self.n
        j = s.find('"', i)
        if j >= 0:
            chunk = s[i:j]
            if "\\" not in chunk and not any(ord(c) < 0x20 for c in chunk):
                return _fix_surrogates(chunk), j + 1
        out: list[str] = []
        while True:
            if i >= n:
                raise _Eof()
            c = s[i]
            if c == '"':
                return _fix_surrogates("".join(out)), i + 1
            if c == "\\":
                i += 1
                if i >= n:
                    raise _Eof()
                e = s[i]
                if e == "u":
                    h = s[i + 1:i + 5]
                    for k, hc in enumerate(h):
                        if hc not in "0123456789abcdefABCDEF":
                            raise _bad(hc, "in \\u hexadecimal character escape")
                        del k
                    if len(h) < 4:
                        raise _Eof()
                    out.append(chr(int(h, 16)))
                    i += 5
                    continue
                r = _ESC.get(e)
                if r is None:
                    raise _bad(e, "in string escape code")
                out.append(r)
                i += 1
                continue
            if ord(c) < 0x20:
                raise _bad(c, "in string literal")
            out.append(c)
            i += 1

    def obj(self, i: int) -> tuple[dict, int]:
        s = self.s
        out: dict[str, Any] = {}
        i = self.ws(i)
        if i >= self.n:
            raise _Eof()
        if s[i] == "}":
            return out, i + 1
        while True:
            if i >= self.n:
                raise _Eof()
            if s[i] != '"':
                raise _bad(s[i], "looking for beginning of object key string")
            key, i = self.string(i + 1)
            i = self.ws(i)
            if i >= self.n:
                raise _Eof()
            if s[i] != ":":
                raise _bad(s[i], "after object key")
            v, i = self.value(self.ws(i + 1))
            out[key] = v
            i = self.ws(i)
            if i >= self.n:
                raise _Eof()
            if s[i] == "}":
                return out, i + 1
            if s[i] != ",":
                raise _bad(s[i], "after object key:value pair")
            i = self.ws(i + 1)

    def arr(self, i: int) -> tuple[list, int]:
        s = self.s
        out: list[Any] = []
        i = self.ws(i)
        if i >= self.n:
            raise _Eof()
        if s[i] == "]":
            return out, i + 1
        while True:
            v, i = self.value(self.ws(i))
            out.append(v)
            i = self.ws(i)
            if i >= self.n:
                raise _Eof()
            if s[i] == "]":
                return out, i + 1
            if s[i] != ",":
                raise _bad(s[i], "after array element")
            i += 1


def _fix_surrogates(s: str) -> str:
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in s):
        return s
    out: list[str] = []
    i = 0
    while i < len(s):
        o = ord(s[i])
        if 0xD800 <= o <= 0xDBFF and i + 1 < len(s) and 0xDC00 <= ord(s[i + 1]) <= 0xDFFF:
            out.append(chr(0x10000 + ((o - 0xD800) << 10) + (ord(s[i + 1]) - 0xDC00)))
            i += 2
            continue
        out.append("\ufffd" if 0xD800 <= o <= 0xDFFF else s[i])
        i += 1
    return "".join(out)


_KIND = {dict: "object", list: "array", str: "string", float: "number", bool: "bool"}


def go_json_kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    return _KIND.get(type(v), "number")


def go_string_field(v: Any) -> str | None:
    """A YAML scalar read into a Go string field by sigs.k8s.io/yaml (floats printed with
    32-bit precision); None for nil and for values that are not scalars."""
    if isinstance(v, str):
        return v
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        from kelm.golang.floats import format_float32_g

        return format_float32_g(v)
    return None


def parse(text: str) -> tuple[Any, str | None]:
    """(value, deferred error) of a JSON text; raises GoJSONSyntaxError with Go's message."""
    p = _Parser(text)
    try:
        v, i = p.value(p.ws(0))
    except _Eof as e:
        raise GoJSONSyntaxError(e.what or _EOF) from None
    i = p.ws(i)
    if i < p.n:
        raise _bad(p.s[i], "after top-level value")
    return v, (p.errors[0] if p.errors else None)
