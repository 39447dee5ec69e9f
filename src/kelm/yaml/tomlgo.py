"""A TOML reader with BurntSushi/toml's leniency and error texts (Helm ``fromToml``).

Python's tomllib reads strict TOML 1.0; BurntSushi also takes TOML 1.1 forms (newlines and a
trailing comma in inline tables, ``\\e``/``\\xHH`` escapes), lets dotted keys extend tables and
inline tables, and words its errors its own way (``toml: line 2 (last key "b"): unexpected EOF;
expected value``).  :mod:`kelm.yaml.toml` uses tomllib first and this reader when tomllib
refuses a document, so valid documents never depend on it.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_WS = " \t"
_ESC = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\",
        "e": "\x1b"}


class TomlSyntaxError(ValueError):
    def __init__(self, line: int, last_key: str, message: str) -> None:
        where = f"toml: line {line}"
        if last_key:
            where += f" (last key {_goq(last_key)})"
        super().__init__(f"{where}: {message}")


def _goq(s: str) -> str:
    """Go's %q of a string."""
    out = []
    for c in s:
        o = ord(c)
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _goq_rune(c: str) -> str:
    """Go's %q of a rune."""
    if c == "'":
        return "'\\''"
    q = _goq(c)[1:-1]
    if q == '\\"':
        q = '"'
    return "'" + q + "'"


class _Table(dict):
    """A table; ``implicit`` when created by a dotted key or a sub-table header only."""

    __slots__ = ("implicit", "header")

    def __init__(self, implicit: bool = False) -> None:
        super().__init__()
        self.implicit = implicit
        self.header = False


class _ArrayOfTables(list):
    pass


_FLOAT = re.compile(r"[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\Z")
_HEX = frozenset("0123456789abcdefABCDEF")


def _underscores_ok(s: str) -> bool:
    """Each "_" sits right after a (hex) digit, and the text ends with one."""
    accept = False
    for c in s:
        if c == "_" and not accept:
            return False
        accept = c in _HEX
    return accept


def _leading_zero(s: str) -> bool:
    body = s[1:] if s[:1] in "+-" else s
    return len(body) > 1 and body[0] == "0" and body[1] not in "xob"
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?"
    r"(Z|z|[-+]\d{2}:\d{2})?)?\Z"
)
_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\Z")


class Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.line = 1
        self.root = _Table()
        self.context: list[str] = []
        self.current_key = ""
        self.pending: str | None = None  # an error found by decoding a finished string
        self.key_line = 1

    # -- errors ------------------------------------------------------------------------------

    def last_key(self) -> str:
        """BurntSushi's "last key": the table in scope plus the key being read, if any."""
        parts = [*self.context, self.current_key] if self.current_key else self.context
        return ".".join(parts)

    def fail(self, msg: str, line: int | None = None) -> TomlSyntaxError:
        if line is None:
            line = self.line
            if (msg.startswith("unexpected EOF") or "got end of file" in msg) and \
                    self.s.endswith("\n"):
                line -= 1  # having read past the end, BurntSushi names the last char's line
        return TomlSyntaxError(line, self.last_key(), msg)

    # -- characters --------------------------------------------------------------------------

    def peek(self) -> str:
        return self.s[self.i] if self.i < self.n else ""

    def take(self) -> str:
        if self.i >= self.n:
            return ""
        c = self.s[self.i]
        o = ord(c)
        if (o < 0x20 and c not in "\t\n\r") or o == 0x7F or (
            c == "\r" and self.s[self.i + 1:self.i + 2] != "\n"
        ):
            raise self.fail(f"TOML files cannot contain control characters: '0x{o:02x}'")
        self.i += 1
        if c == "\n":
            self.line += 1
        return c

    def skip_ws(self) -> None:
        while self.i < self.n and self.s[self.i] in _WS:
            self.i += 1

    def skip_comment(self) -> None:
        while self.i < self.n and self.s[self.i] not in "\r\n":
            self.take()

    def skip_ws_nl_comments(self) -> None:
        while self.i < self.n:
            c = self.s[self.i]
            if c in _WS:
                self.i += 1
            elif c in "\r\n":
                self.take()
            elif c == "#":
                self.skip_comment()
            else:
                return

    # -- document ----------------------------------------------------------------------------

    def parse(self) -> dict:
        while True:
            self.skip_ws_nl_comments()
            if self.i >= self.n:
                return self.root
            if self.peek() == "[":
                self.take()
                self.table_header()
            else:
                self.current_key = ""
                self.key_line = self.line
                key = self.key()
                self.current_key = ".".join(key)
                value = self.value()
                self.assign(self.table(), key, value)
                self.current_key = ""
                self.end_of_item()

    def end_of_item(self) -> None:
        self.skip_ws()
        c = self.peek()
        if c == "" or c in "\r\n":
            return
        if c == "#":
            self.skip_comment()
            return
        self.take()
        raise self.fail("expected a top-level item to end with a newline, comment, or EOF, "
                        f"but got {_goq_rune(c)} instead")

    # -- keys --------------------------------------------------------------------------------

    def key(self, in_inline: bool = False) -> list[str]:
        self.skip_ws()
        c = self.peek()
        if c == "=" or c == "":
            raise self.fail("unexpected '=': key name appears blank")
        if c == ".":
            raise self.fail("unexpected '.': keys cannot start with a '.'")
        parts = [self.key_part()]
        while True:
            self.skip_ws()
            c = self.take()
            if c == "":
                raise self.fail("unexpected EOF; expected key separator '='")
            if c == ".":
                self.skip_ws()
                c2 = self.peek()
                if c2 == "=" or c2 == "":
                    raise self.fail("unexpected '='")
                if c2 == ".":
                    raise self.fail("unexpected '.'")
                parts.append(self.key_part())
                continue
            if c == "=":
                return parts
            line = self.line - 1 if c == "\n" else None
            raise self.fail(f"expected '.' or '=', but got {_goq_rune(c)} instead", line=line)

    def key_part(self) -> str:
        c = self.peek()
        if c == '"':
            self.take()
            return self.basic_string()
        if c == "'":
            self.take()
            return self.literal_string()
        start = self.i
        while self.i < self.n and self.s[self.i] in _BARE:
            self.i += 1
        return self.s[start:self.i]

    def table_header(self) -> None:
        array = False
        if self.peek() == "[":
            self.take()
            array = True
        self.current_key = ""
        parts: list[str] = []
        while True:
            self.skip_ws()
            c = self.peek()
            if c in ("]", ""):
                raise self.fail("unexpected end of table name (table names cannot be empty)")
            if c == ".":
                raise self.fail("unexpected table separator (table names cannot be empty)")
            parts.append(self.key_part())
            self.skip_ws()
            c = self.take()
            if c == ".":
                continue
            if c == "]":
                break
            raise self.fail(f"expected '.' or ']' to end table name, but got "
                            f"{_goq_rune(c) if c else 'EOF'} instead")
        if array:
            c = self.take()
            if c != "]":
                raise self.fail("expected end of table array name delimiter ']', but got "
                                f"{_goq_rune(c)} instead")
        self.open_table(parts, array)
        self.end_of_item()

    # -- tables ------------------------------------------------------------------------------

    def table(self) -> dict:
        t: Any = self.root
        for k in self.context:
            t = t[k]
            if isinstance(t, _ArrayOfTables):
                t = t[-1]
        return t

    def open_table(self, parts: list[str], array: bool) -> None:
        self.context = parts[:-1]  # errors below name the parent as the last key
        t: Any = self.root
        for k in parts[:-1]:
            if k not in t:
                t[k] = _Table(implicit=True)
            t = t[k]
            if isinstance(t, _ArrayOfTables):
                t = t[-1]
            elif not isinstance(t, dict):
                raise self.fail(f"Key '{k}' was already created as a hash.")
        last = parts[-1]
        if array:
            cur = t.get(last)
            if cur is None:
                cur = t[last] = _ArrayOfTables()
            elif not isinstance(cur, _ArrayOfTables):
                raise self.fail(f"Key '{'.'.join(parts)}' was already created and cannot be "
                                "used as an array.")
            cur.append(_Table())
        else:
            cur = t.get(last)
            if cur is None:
                new = _Table()
                new.header = True
                t[last] = new
            elif isinstance(cur, _Table) and cur.implicit:
                cur.implicit = False
                cur.header = True
            else:
                raise self.fail(f"Key '{'.'.join(parts)}' has already been defined.")
        self.context = parts

    def assign(self, t: dict, key: list[str], value: Any) -> None:
        for k in key[:-1]:
            cur = t.get(k)
            if cur is None:
                cur = t[k] = _Table(implicit=True)
            elif isinstance(cur, _ArrayOfTables):
                cur = cur[-1]
            elif not isinstance(cur, dict):
                full = ".".join([*self.context, *key[: key.index(k) + 1]])
                raise self.fail(f"Key '{full}' has already been defined.")
            t = cur
        last = key[-1]
        if last in t:
            cur = t[last]
            if isinstance(cur, _Table) and cur.implicit:
                return  # BurntSushi keeps the implicit table and drops the value
            full = ".".join([*self.context, *key])
            raise self.fail(f"Key '{full}' has already been defined.", line=self.key_line)
        t[last] = value

    # -- values ------------------------------------------------------------------------------

    def value(self) -> Any:
        self.skip_ws()
        c = self.peek()
        if c == "":
            raise self.fail("unexpected EOF; expected value")
        if c in "\r\n":
            line = self.line
            self.take()
            raise self.fail(f"expected value but found {_goq_rune(c)} instead", line=line)
        if c == '"':
            self.take()
            if self.s.startswith('""', self.i):
                self.i += 2
                return self.ml_basic_string()
            return self.basic_string()
        if c == "'":
            self.take()
            if self.s.startswith("''", self.i):
                self.i += 2
                return self.ml_literal_string()
            return self.literal_string()
        if c == "[":
            self.take()
            return self.array()
        if c == "{":
            self.take()
            return self.inline_table()
        if c == ".":
            self.take()
            raise self.fail("floats must start with a digit, not '.'")
        if c.isdigit() or c in "+-":
            return self.number_or_date()
        if c in "in":
            # BurntSushi tries "inf"/"nan" letter by letter and backs up only one rune
            # when that fails, so the word it then reports may lose its first letters.
            j = self.i + 1
            nxt = self.s[j:j + 1]
            if nxt == "n":
                j += 1
                if self.s[j:j + 1] == "f":
                    self.i = j + 1
                    return math.inf
                if self.s[j:j + 1] == "a":
                    j += 1
                    if self.s[j:j + 1] == "n":
                        self.i = j + 1
                        return math.nan
            elif nxt == "a":
                j += 1
                if self.s[j:j + 1] == "n":
                    self.i = j + 1
                    return math.nan
            self.i = j - 1
            c = self.s[self.i]
        if c.isalpha():
            start = self.i
            while self.i < self.n and self.s[self.i].isalpha():
                self.i += 1
            word = self.s[start:self.i]
            if word == "true":
                return True
            if word == "false":
                return False
            raise self.fail(f"expected value but found {_goq(word)} instead")
        self.take()
        raise self.fail(f"expected value but found {_goq_rune(c)} instead")

    def basic_string(self) -> str:
        start = self.i
        out: list[str] = []
        while True:
            c = self.take()
            if c == "":
                raise self.fail("unexpected EOF; expected '\"'")
            if c in "\r\n":
                raise self.fail("strings cannot contain newlines", line=self.line - 1)
            if c == '"':
                return self.finish("".join(out))
            if c == "\\":
                out.append(self.escape(start))
            else:
                out.append(c)

    def finish(self, text: str) -> str:
        if self.pending is not None:
            msg, self.pending = self.pending, None
            raise self.fail(msg)
        return text

    def escape(self, start: int) -> str:
        c = self.take()
        if c in _ESC:
            return _ESC[c]
        if c in " \t":  # passes BurntSushi's lexer, refused when the string is decoded
            if self.pending is None:
                self.pending = f"invalid escape: '\\{c}'"
            return c
        width = {"x": 2, "u": 4, "U": 8}.get(c)
        if width is None:
            raise self.fail(f"invalid escape in string '\\{c}'")
        digits = ""
        for _ in range(width):
            d = self.take()
            if d == "" or d not in "0123456789abcdefABCDEF":
                words = {2: "two", 4: "four", 8: "eight"}[width]
                raise self.fail(f"expected {words} hexadecimal digits after '\\{c}', but got "
                                f"{_goq(self.s[start:self.i])} instead")
            digits += d
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise self.fail(f"Escaped character '\\{c}{digits}' is not valid UTF-8.")
        return chr(code)

    def ml_basic_string(self) -> str:
        start = self.i
        if self.peek() == "\n":
            self.take()
        elif self.s.startswith("\r\n", self.i):
            self.take()
            self.take()
        out: list[str] = []
        while True:
            if self.s.startswith('"""', self.i):
                extra = 0
                while self.s.startswith('"', self.i + 3 + extra) and extra < 2:
                    extra += 1
                out.append('"' * extra)
                self.i += 3 + extra
                return self.finish("".join(out))
            c = self.take()
            if c == "":
                raise self.fail("unexpected EOF; expected '\"\"\"'")
            if c == "\\":
                j = self.i
                while j < self.n and self.s[j] in _WS:
                    j += 1
                if j < self.n and self.s[j] in "\r\n":
                    self.i = j
                    self.skip_ws_nl_only()
                    continue
                out.append(self.escape(start))
            else:
                out.append(c)

    def skip_ws_nl_only(self) -> None:
        while self.i < self.n and self.s[self.i] in " \t\r\n":
            self.take()

    def literal_string(self) -> str:
        start = self.i
        while True:
            c = self.take()
            if c == "":
                raise self.fail("unexpected EOF; expected \"'\"")
            if c in "\r\n":
                raise self.fail("strings cannot contain newlines", line=self.line - 1)
            if c == "'":
                return self.s[start:self.i - 1]

    def ml_literal_string(self) -> str:
        if self.peek() == "\n":
            self.take()
        elif self.s.startswith("\r\n", self.i):
            self.take()
            self.take()
        start = self.i
        while True:
            if self.s.startswith("'''", self.i):
                extra = 0
                while self.s.startswith("'", self.i + 3 + extra) and extra < 2:
                    extra += 1
                text = self.s[start:self.i + extra]
                self.i += 3 + extra
                return text
            if self.take() == "":
                raise self.fail("unexpected EOF; expected \"'''\"")

    def array(self) -> list:
        out: list[Any] = []
        while True:
            self.skip_ws_nl_comments()
            c = self.peek()
            if c == ",":
                self.take()
                raise self.fail("unexpected comma")
            if c == "]":
                self.take()
                return out
            out.append(self.value())
            self.skip_ws_nl_comments()
            c = self.take()
            if c == ",":
                continue
            if c == "]":
                return out
            got = "end of file" if c == "" else "'" + c + "'"
            raise self.fail(f"expected a comma (',') or array terminator (']'), but got {got}")

    def inline_table(self) -> dict:
        t = _Table()
        outer_ctx, outer_key = self.context, self.current_key
        self.context = [*outer_ctx, *outer_key.split(".")] if outer_key else list(outer_ctx)
        self.current_key = ""
        saved_root = self.root
        try:
            while True:
                self.skip_ws_nl_comments()
                c = self.peek()
                if c == ",":
                    self.take()
                    raise self.fail("unexpected comma")
                if c == "}":
                    self.take()
                    return t
                key = self.key()  # errors here still name the previous pair's key
                self.current_key = ".".join(key)
                value = self.value()
                self.root = t
                ctx = self.context
                self.context = []
                try:
                    self.assign(t, key, value)
                finally:
                    self.context = ctx
                    self.root = saved_root
                self.skip_ws_nl_comments()
                c = self.take()
                if c == ",":
                    self.skip_ws_nl_comments()
                    if self.peek() == "}":
                        self.take()
                        return t
                    continue
                if c == "}":
                    return t
                got = "end of file" if c == "" else "'" + c + "'"
                raise self.fail("expected a comma or an inline table terminator '}', but got "
                                f"{got} instead")
        finally:
            self.context, self.current_key = outer_ctx, outer_key

    def number_or_date(self) -> Any:
        """BurntSushi's number lexing: a permissive token, validated afterwards."""
        s, n = self.s, self.n
        start = self.i
        c = s[self.i]
        mode = "numdate"
        if c in "+-":
            self.i += 1
            rest = s[self.i:self.i + 3]
            if rest[:1] in ("i", "n"):
                if rest in ("inf", "nan"):
                    self.i += 3
                    v = math.inf if rest == "inf" else math.nan
                    return -v if c == "-" else v
                raise self.fail(f"invalid float: '{s[start:self.i + 1]}'")
            if rest[:1] == "0" and rest[1:2] in ("x", "o", "b"):
                raise self.fail(f"cannot use sign with non-decimal numbers: '{c}0{rest[1]}'")
            if rest[:1] == ".":
                raise self.fail("floats must start with a digit, not '.'")
            if not rest[:1].isdigit():
                got = rest[:1]
                raise self.fail(f"expected a digit but got {_goq_rune(got) if got else 'EOF'}")
            mode = "dec"
        elif c == "0":
            self.i += 1
            nxt = s[self.i:self.i + 1]
            if nxt in ("x", "o", "b"):
                return self.based_int(start, nxt)
            if nxt.isdigit():
                mode = "numdate"
            elif nxt == "_":
                mode = "dec"
            elif nxt and nxt in ".eE":
                mode = "float"
            else:
                return self.check_int("0", None, "0")
        if mode == "numdate":
            while self.i < n and s[self.i].isdigit():
                self.i += 1
            nxt = s[self.i:self.i + 1]
            if nxt and nxt in "-:":
                j = self.i
                while j < n and s[j] in "0123456789-:Tt .Zz+":
                    j += 1
                self.i = j
                return self.datetime(s[start:j].rstrip(" "))
            mode = "dec" if nxt == "_" else ("float" if nxt and nxt in ".eE" else "int")
        if mode == "dec":
            while self.i < n and (s[self.i].isdigit() or s[self.i] == "_"):
                self.i += 1
            nxt = s[self.i:self.i + 1]
            mode = "float" if nxt and nxt in ".eE" else "int"
        if mode == "float":
            while self.i < n and (s[self.i].isdigit() or s[self.i] in "_.+-eE"):
                self.i += 1
            return self.check_float(s[start:self.i])
        text = s[start:self.i]
        return self.check_int(text, None, text)

    def based_int(self, start: int, kind: str) -> int:
        base = {"x": 16, "o": 8, "b": 2}[kind]
        self.i += 1
        digits = {16: "0123456789abcdefABCDEF", 8: "01234567", 2: "01"}[base]
        if self.peek() == "" or self.peek() not in digits:
            name = {16: "hexadecimal", 8: "octal", 2: "binary"}[base]
            nxt = self.peek() or "\x00"
            raise self.fail(f"not a {name} number: '{self.s[start:self.i]}{nxt}'")
        while self.i < self.n and (self.s[self.i] in digits or self.s[self.i] == "_"):
            self.i += 1
        text = self.s[start:self.i]
        return self.check_int(text, int(text[2:].replace("_", ""), base), text)

    def check_int(self, text: str, value: int | None, shown: str) -> int:
        if not _underscores_ok(text):
            raise self.fail(f"Invalid integer {_goq(shown)}: underscores must be surrounded "
                            "by digits")
        if _leading_zero(text):
            raise self.fail(f"Invalid integer {_goq(shown)}: cannot have leading zeroes")
        if value is None:
            value = int(text.replace("_", ""))
        if not -(2**63) <= value < 2**63:
            raise self.fail(f"{shown} is out of range for int64")
        return value

    def check_float(self, text: str) -> float:
        parts = [p for p in re.split("[.eE]", text) if p]
        if not all(_underscores_ok(p) for p in parts):
            raise self.fail(f"Invalid float {_goq(text)}: underscores must be surrounded by "
                            "digits")
        if parts and _leading_zero(parts[0]):
            raise self.fail(f"Invalid float {_goq(text)}: cannot have leading zeroes")
        if re.search(r"\.(?![0-9])", text):
            raise self.fail(f"Invalid float {_goq(text)}: '.' must be followed by one or more "
                            "digits")
        plain = text.replace("_", "")
        if not _FLOAT.match(plain):
            raise self.fail(f"Invalid float value: {_goq(text)}")
        f = float(plain)
        if math.isinf(f):
            raise self.fail(f"{text} is out of range for float64")
        return f

    def datetime(self, text: str) -> Any:
        m = _DATETIME.match(text)
        try:
            if m:
                y, mo, d, hh, mi, ss, frac, zone = m.groups()
                date = _dt.date(int(y), int(mo), int(d))
                if hh is None:
                    return date
                micro = int((frac or ".0")[1:7].ljust(6, "0"))
                tz = None
                if zone:
                    if zone in "Zz":
                        tz = _dt.UTC
                    else:
                        sign = -1 if zone[0] == "-" else 1
                        off = _dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
                        tz = _dt.timezone(sign * off)
                return _dt.datetime(date.year, date.month, date.day, int(hh), int(mi),
                                    int(ss or 0), micro, tzinfo=tz)
            m = _TIME.match(text)
            if m:
                hh, mi, ss, frac = m.groups()
                micro = int((frac or ".0")[1:7].ljust(6, "0"))
                return _dt.time(int(hh), int(mi), int(ss or 0), micro)
        except ValueError:
            pass
        shown = text.replace("t", "T").replace(" ", "T").replace("z", "Z")
        raise self.fail(f"invalid datetime: {_goq(shown)}")


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def loads(text: str) -> dict:
    """Parse like BurntSushi/toml; raises TomlSyntaxError with its error text."""
    return _plain(Parser(text).parse())
