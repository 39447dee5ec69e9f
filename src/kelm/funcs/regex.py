"""Sprig's regex functions on Go's ``regexp`` semantics, run by RE2 (google-re2).

Go's regexp and C++ RE2 share their syntax (Go rejects only ``\\C``) and both return the
leftmost-first match, so RE2 finds the same matches.  What Go adds on top is written here:
the iteration rules of ``FindAll``/``ReplaceAll``/``Split`` (no empty match right after a
match), ``$1``/``${name}`` expansion in replacements, ``QuoteMeta``, and Go's parse error
texts (``error parsing regexp: missing closing ): `(```), which RE2's own codes map onto.
The non-``must`` functions panic on a bad pattern with ``regexp.MustCompile``'s message.
Matching works on UTF-8 bytes, as Go strings are.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

from kelm.golang.value import GoError, GoFunc, NilTypedList, TypedList, gofunc

from .encoding import from_bytes, to_bytes
from .gocap import STRING, appended_cap, with_room

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

# RE2 (C++) error code text -> Go's regexp/syntax ErrorCode text
_CODES = {
    "missing )": "missing closing )",
    "unexpected )": "unexpected )",
    "missing ]": "missing closing ]",
    "no argument for repetition operator": "missing argument to repetition operator",
    "bad repetition operator": "invalid nested repetition operator",
    "invalid repetition size": "invalid repeat count",
    "invalid character class range": "invalid character class range",
    "invalid character class": "invalid character class",
    "invalid escape sequence": "invalid escape sequence",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid named capture group": "invalid named capture",
    "invalid UTF-8": "invalid UTF-8",
    "trailing \\": "trailing backslash at end of expression",
    "pattern too large - compile failed": "expression too large",
    "pattern too large - reverse compile failed": "expression too large",
}
_META = frozenset(b"\\.+*?()|[]{}^$")


class RegexpSyntaxError(GoError):
    """Go's ``*syntax.Error`` from ``regexp.Compile``."""


def _go_error(re2_message: str) -> str:
    for code in sorted(_CODES, key=len, reverse=True):
        if re2_message == code or re2_message.startswith(code + ": "):
            arg = re2_message[len(code) + 2 :]
            if code == "trailing \\":
                arg = ""
            return f"error parsing regexp: {_CODES[code]}: `{arg}`"
    return f"error parsing regexp: {re2_message}"


def _check_go_only(pattern: bytes) -> None:
    r"""Go has no ``\C`` (any byte) escape, RE2 has."""
    i = 0
    while i < len(pattern) - 1:
        if pattern[i] == 0x5C:  # backslash
            nxt = pattern[i + 1]
            if nxt == ord("Q"):
                end = pattern.find(b"\\E", i + 2)
                if end < 0:
                    return
                i = end + 2
                continue
            if nxt == ord("C"):
                raise RegexpSyntaxError("error parsing regexp: invalid escape sequence: `\\C`")
            i += 2
            continue
        i += 1


class Regexp:
    """A compiled Go regexp: RE2 program plus the capture group names."""

    def __init__(self, expr: str) -> None:
        from re2 import _re2

        self.expr = expr
        pattern = to_bytes(expr)
        options = _re2.RE2.Options()
        options.log_errors = False
        self._re = _re2.RE2(pattern, options)
        if not self._re.ok():
            raise RegexpSyntaxError(_go_error(self._re.error().decode("utf-8", "replace")))
        _check_go_only(pattern)
        self.num_groups = self._re.NumberOfCapturingGroups()
        names = _group_names(expr)
        if len(names) != self.num_groups + 1:  # scanner disagrees: trust RE2's first-name map
            names = [""] * (self.num_groups + 1)
            for name, index in self._re.NamedCapturingGroups():
                names[index] = name.decode("utf-8", "surrogateescape")
        self.names = names
        self._unanchored = _re2.RE2.Anchor.UNANCHORED
        self._last: tuple[bytes, tuple[bytes, list[int], list[int]] | None] | None = None

    def search(self, text: bytes, pos: int) -> list[tuple[int, int]] | None:
        """Leftmost-first match at or after ``pos``; ``text`` before ``pos`` is context."""
        subject = self._subject(text)
        if subject is None:
            spans = self._re.Match(self._unanchored, text, pos, len(text))
            return None if spans[0][0] < 0 else list(spans)
        work, to_work, to_orig = subject
        spans = self._re.Match(self._unanchored, work, to_work[pos], len(work))
        if spans[0][0] < 0:
            return None
        return [(to_orig[a], to_orig[b]) if a >= 0 else (a, b) for a, b in spans]

    def _subject(self, text: bytes) -> tuple[bytes, list[int], list[int]] | None:
        """For text that is not valid UTF-8: Go reads each bad byte as U+FFFD (so ``.``
        matches it), RE2 matches nothing there; match on a copy with the bytes replaced,
        with offset maps both ways.  None for valid UTF-8 (the usual case)."""
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        try:
            text.decode("utf-8")
            subject = None
        except UnicodeDecodeError:
            subject = _replace_invalid(text)
        self._last = (text, subject)
        return subject

    def find_all(self, text: bytes, n: int) -> list[list[tuple[int, int]]]:
        """Go's allMatches: at most ``n`` matches (``n < 0``: all), no empty match that
        directly follows the previous match."""
        if n < 0:
            n = len(text) + 1
        out: list[list[tuple[int, int]]] = []
        pos, prev_end = 0, -1
        while len(out) < n and pos <= len(text):
            m = self.search(text, pos)
            if m is None:
                break
            start, end = m[0]
            accept = True
            if end == pos:
                if start == prev_end:
                    accept = False
                pos += _rune_width(text, pos) or 1
            else:
                pos = end
            prev_end = end
            if accept:
                out.append(m)
        return out

    def replace_all(self, text: bytes, repl: Callable[[list[tuple[int, int]]], bytes]) -> bytes:
        """Go's replaceAll loop (an empty match right after a match is not replaced)."""
        out = bytearray()
        last_end = 0
        pos = 0
        while pos <= len(text):
            m = self.search(text, pos)
            if m is None:
                break
            start, end = m[0]
            out += text[last_end:start]
            if end > last_end or start == 0:
                out += repl(m)
            last_end = end
            width = _rune_width(text, pos)
            if pos + width > end:
                pos += width
            elif pos + 1 > end:
                pos += 1
            else:
                pos = end
        out += text[last_end:]
        return bytes(out)

    def expand(self, template: bytes, text: bytes, m: list[tuple[int, int]]) -> bytes:
        """Go's ``Regexp.Expand``: ``$1``, ``${1}``, ``$name``, ``${name}``, ``$$``."""
        out = bytearray()
        while template:
            i = template.find(b"$")
            if i < 0:
                break
            out += template[:i]
            template = template[i + 1 :]
            if template[:1] == b"$":
                out += b"$"
                template = template[1:]
                continue
            parsed = _extract(template)
            if parsed is None:
                out += b"$"
                continue
            name, num, template = parsed
            if num >= 0:
                if num <= self.num_groups and m[num][0] >= 0:
                    out += text[m[num][0] : m[num][1]]
                continue
            for idx, group_name in enumerate(self.names):
                if group_name == name and m[idx][0] >= 0:
                    out += text[m[idx][0] : m[idx][1]]
                    break
        out += template
        return bytes(out)

    def split(self, text: bytes, n: int) -> list[bytes]:
        """Go's ``Regexp.Split``."""
        if n == 0:
            return []
        if self.expr and not text:
            return [b""]
        parts: list[bytes] = []
        beg = end = 0
        for m in self.find_all(text, n):
            if n > 0 and len(parts) == n - 1:
                break
            end = m[0][0]
            if m[0][1] != 0:
                parts.append(text[beg:end])
            beg = m[0][1]
        if end != len(text):
            parts.append(text[beg:])
        return parts


def _group_names(expr: str) -> list[str]:
    """Name of every capture group, by index (index 0 is the whole match), from a pattern
    that compiled; Go allows one name on several groups, RE2's name map keeps only one."""
    names = [""]
    i, n = 0, len(expr)
    while i < n:
        ch = expr[i]
        if ch == "\\":
            if expr[i + 1 : i + 2] == "Q":
                end = expr.find("\\E", i + 2)
                i = n if end < 0 else end + 2
            else:
                i += 2
        elif ch == "[":
            i = _skip_class(expr, i)
        elif ch == "(":
            if expr.startswith("(?P<", i) or expr.startswith("(?<", i):
                start = expr.index("<", i) + 1
                end = expr.index(">", start)
                names.append(expr[start:end])
                i = end + 1
            else:
                if not expr.startswith("(?", i):
                    names.append("")
                i += 1
        else:
            i += 1
    return names


def _skip_class(expr: str, i: int) -> int:
    """Index just after the character class that starts at ``expr[i] == "["``."""
    i += 1
    if expr[i : i + 1] == "^":
        i += 1
    if expr[i : i + 1] == "]":
        i += 1
    while i < len(expr):
        if expr[i] == "\\":
            i += 2
        elif expr.startswith("[:", i) and ":]" in expr[i + 2 :]:
            i = expr.index(":]", i + 2) + 2
        elif expr[i] == "]":
            return i + 1
        else:
            i += 1
    return i


def _replace_invalid(text: bytes) -> tuple[bytes, list[int], list[int]]:
    """``text`` with every byte that is not part of valid UTF-8 replaced by U+FFFD, and maps
    from original to new offsets and back."""
    work = bytearray()
    to_work = [0] * (len(text) + 1)
    to_orig: list[int] = []
    i = 0
    while i < len(text):
        width = _rune_width(text, i)
        to_work[i] = len(work)
        if width == 1 and text[i] >= 0x80:
            work += "\ufffd".encode()
            to_orig += [i, i, i]
        else:
            work += text[i : i + width]
            to_orig += range(i, i + width)
            for k in range(1, width):
                to_work[i + k] = len(work) - width + k
        i += width
    to_work[len(text)] = len(work)
    to_orig.append(len(text))
    return bytes(work), to_work, to_orig


def _rune_width(text: bytes, pos: int) -> int:
    """Width of the UTF-8 sequence at ``pos`` as Go's DecodeRune sees it (0 at the end)."""
    if pos >= len(text):
        return 0
    lead = text[pos]
    size = 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    if lead >= 0xF8 or (0x80 <= lead < 0xC0):
        return 1
    chunk = text[pos : pos + size]
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return 1
    return size


def _extract(template: bytes) -> tuple[str, int, bytes] | None:
    """Go's ``extract``: the name after ``$`` (braced or not), its number (-1 if it is not a
    number without leading zeros) and the rest of the template; None if malformed."""
    s = from_bytes(template)
    brace = s[:1] == "{"
    if brace:
        s = s[1:]
    i = 0
    while i < len(s) and (s[i].isalpha() or unicodedata.category(s[i]) == "Nd" or s[i] == "_"):
        i += 1
    if i == 0:
        return None
    name = s[:i]
    if brace:
        if i >= len(s) or s[i] != "}":
            return None
        i += 1
    num = 0
    for ch in name:
        if not "0" <= ch <= "9" or num >= 100_000_000:
            num = -1
            break
        num = num * 10 + ord(ch) - 48
    if name[0] == "0" and len(name) > 1:
        num = -1
    return name, num, to_bytes(s[i:])


@lru_cache(maxsize=256)
def _compile_cached(expr: str) -> Regexp | RegexpSyntaxError:
    try:
        return Regexp(expr)
    except RegexpSyntaxError as e:
        return e


def compile_go(expr: str) -> Regexp:
    """``regexp.Compile``: raises :class:`RegexpSyntaxError` with Go's message."""
    r = _compile_cached(expr)
    if isinstance(r, RegexpSyntaxError):
        raise RegexpSyntaxError(str(r))
    return r


def must_compile(expr: str) -> Regexp:
    """``regexp.MustCompile``: the panic text names the pattern."""
    try:
        return compile_go(expr)
    except RegexpSyntaxError as e:
        raise GoError(f"regexp: Compile({_quote(expr)}): {e}") from None


def _quote(s: str) -> str:
    if _can_backquote(s):
        return "`" + s + "`"
    from kelm.golang.fmt import quote

    return quote(s)


def _can_backquote(s: str) -> bool:
    """``strconv.CanBackquote``: no backquote, no control character but tab, valid UTF-8."""
    for ch in s:
        c = ord(ch)
        if ch == "`" or ch == "\ufeff" or 0xD800 <= c <= 0xDFFF:
            return False
        if (c < 0x20 and ch != "\t") or c == 0x7F:
            return False
    return True


def quote_meta(s: str) -> str:
    """Go's ``regexp.QuoteMeta``: backslash before each of ``\\.+*?()|[]{}^$``."""
    out = bytearray()
    for b in to_bytes(s):
        if b in _META:
            out.append(0x5C)
        out.append(b)
    return from_bytes(bytes(out))


# ---- the sprig functions -------------------------------------------------------------------


def _find_all(r: Regexp, s: str, n: int) -> TypedList:
    text = to_bytes(s)
    found = [from_bytes(text[m[0][0] : m[0][1]]) for m in r.find_all(text, n)]
    if not found:
        return NilTypedList()  # Go returns nil for no match
    # Go allocates room for 10 matches, then appends
    return with_room(TypedList(found), appended_cap(len(found), STRING, 10), "")


def _find(r: Regexp, s: str) -> str:
    text = to_bytes(s)
    m = r.search(text, 0)
    return "" if m is None else from_bytes(text[m[0][0] : m[0][1]])


def _replace(r: Regexp, s: str, repl: str) -> str:
    text, template = to_bytes(s), to_bytes(repl)
    return from_bytes(r.replace_all(text, lambda m: r.expand(template, text, m)))


def _replace_literal(r: Regexp, s: str, repl: str) -> str:
    text, literal = to_bytes(s), to_bytes(repl)
    return from_bytes(r.replace_all(text, lambda m: literal))


def _split(r: Regexp, s: str, n: int) -> TypedList:
    if n == 0:
        return NilTypedList()  # Go's Split returns nil for n == 0
    text = to_bytes(s)
    parts = TypedList([from_bytes(p) for p in r.split(text, n)])
    if len(text) == 0 and parts == [""]:
        return parts
    # Go allocates room for one piece per match, then appends
    return with_room(parts, appended_cap(len(parts), STRING, len(r.find_all(text, n))), "")


def _with(compile_fn: Callable[[str], Regexp], op: Callable[..., Any]) -> Callable[..., Any]:
    def run(expr: str, *args: Any) -> Any:
        return op(compile_fn(expr), *args)

    return run


def _regex_match(expr: str, s: str) -> bool:
    try:
        return compile_go(expr).search(to_bytes(s), 0) is not None
    except RegexpSyntaxError:
        return False


def _must_regex_match(expr: str, s: str) -> bool:
    return compile_go(expr).search(to_bytes(s), 0) is not None


def _pair(name: str, op: Callable[..., Any], params: str, result: str) -> dict[str, GoFunc]:
    must = "must" + name[0].upper() + name[1:]
    return {
        name: gofunc(f"func({params}) {result}")(_with(must_compile, op)),
        must: gofunc(f"func({params}) ({result}, error)")(_with(compile_go, op)),
    }


FUNCS: dict[str, GoFunc] = {
    "regexMatch": gofunc("func(string, string) bool")(_regex_match),
    "mustRegexMatch": gofunc("func(string, string) (bool, error)")(_must_regex_match),
    **_pair("regexFindAll", _find_all, "string, string, int", "[]string"),
    **_pair("regexFind", _find, "string, string", "string"),
    **_pair("regexReplaceAll", _replace, "string, string, string", "string"),
    **_pair("regexReplaceAllLiteral", _replace_literal, "string, string, string", "string"),
    **_pair("regexSplit", _split, "string, string, int", "[]string"),
    "regexQuoteMeta": gofunc("func(string) string")(quote_meta),
}
