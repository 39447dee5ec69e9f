"""Sprig's string functions as Helm v4.1.4 ships them (sprig v3.3.0, goutils v1.1.1,
xstrings v1.5.0).

Several of them work on Go's bytes rather than runes (``trunc``, ``substr``, ``abbrev``,
``wrap``, and goutils' ``initials``/``nospace`` which even re-encode each byte as a Latin-1
rune); they are reproduced as such, quirks included.
"""

from __future__ import annotations

from kelm.golang.fmt import format_value, sprintf
from kelm.golang.fmt import quote as go_quote
from kelm.golang.value import GoError, GoFunc, GoInt, GoStruct, TypedList, TypedMap, gofunc

from .gounicode import (
    from_bytes,
    go_lower,
    go_split,
    go_upper,
    is_digit,
    is_letter,
    is_lower,
    is_number,
    is_punct,
    is_space,
    is_title,
    is_upper,
    to_bytes,
    to_lower,
    to_title,
    to_upper,
    trim_space,
    valid_runes,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound=Callable[..., Any])

FUNCS: dict[str, GoFunc] = {}


def _register(name: str, sig: str) -> Callable[[_F], _F]:
    def deco(fn: _F) -> _F:
        FUNCS[name] = gofunc(sig)(fn)
        return fn

    return deco


# ---- values to strings (shared with other groups) -----------------------------------------


def strval(v: Any) -> str:
    """Sprig's ``strval``: strings as-is, bytes decoded, errors by message, else ``%v``."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return from_bytes(bytes(v))
    if isinstance(v, BaseException):  # a Go error: its message
        return str(v)
    return format_value(v)  # Stringers included (fmt calls String for %v)


def _is_slice(v: Any) -> bool:
    return isinstance(v, (list, tuple, bytes, bytearray))


def strslice(v: Any) -> list[str]:
    """Sprig's ``strslice``: elements via ``strval``, nil elements dropped."""
    if isinstance(v, TypedList) and v.go_type == "[]string":
        return v
    if isinstance(v, (bytes, bytearray)):
        return [str(b) for b in v]
    if _is_slice(v):
        return [strval(x) for x in v if x is not None]
    if v is None:
        return []
    return [strval(v)]


def _string_list(items: list[str]) -> TypedList:
    return items if isinstance(items, TypedList) else TypedList(items, "[]string")


def _panic_repeat(count: int, s: str) -> str:
    if count < 0:
        raise GoError("strings: negative Repeat count")
    if count and len(to_bytes(s)) * count > 2**63 - 1:
        raise GoError("strings: Repeat output length overflow")
    return s * count


# ---- simple wrappers ------------------------------------------------------------------------


@_register("hello", "func() string")
def hello() -> str:
    return "Hello!"


@_register("upper", "func(string) string")
def upper(s: str) -> str:
    return go_upper(s)


@_register("lower", "func(string) string")
def lower(s: str) -> str:
    return go_lower(s)


@_register("trim", "func(string) string")
def trim(s: str) -> str:
    return trim_space(s)


@_register("trimAll", "func(string, string) string")
def trim_all(cutset: str, s: str) -> str:
    return s.strip(cutset) if cutset else s


FUNCS["trimall"] = FUNCS["trimAll"]


@_register("trimPrefix", "func(string, string) string")
def trim_prefix(prefix: str, s: str) -> str:
    return s[len(prefix) :] if prefix and s.startswith(prefix) else s


@_register("trimSuffix", "func(string, string) string")
def trim_suffix(suffix: str, s: str) -> str:
    return s[: len(s) - len(suffix)] if suffix and s.endswith(suffix) else s


@_register("contains", "func(string, string) bool")
def contains(sub: str, s: str) -> bool:
    return sub in s


@_register("hasPrefix", "func(string, string) bool")
def has_prefix(prefix: str, s: str) -> bool:
    return s.startswith(prefix)


@_register("hasSuffix", "func(string, string) bool")
def has_suffix(suffix: str, s: str) -> bool:
    return s.endswith(suffix)


@_register("repeat", "func(int, string) string")
def repeat(count: int, s: str) -> str:
    return _panic_repeat(count, s)


@_register("replace", "func(string, string, string) string")
def replace(old: str, new: str, s: str) -> str:
    return s.replace(old, new)


@_register("plural", "func(string, string, int) string")
def plural(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


@_register("indent", "func(int, string) string")
def indent(spaces: int, s: str) -> str:
    pad = _panic_repeat(spaces, " ")
    return pad + s.replace("\n", "\n" + pad)


@_register("nindent", "func(int, string) string")
def nindent(spaces: int, s: str) -> str:
    return "\n" + indent(spaces, s)


@_register("toString", "func(interface {}) string")
def to_string(v: Any) -> str:
    return strval(v)


@_register("toStrings", "func(interface {}) []string")
def to_strings(v: Any) -> TypedList:
    return _string_list(strslice(v))


@_register("join", "func(string, interface {}) string")
def join(sep: str, v: Any) -> str:
    return sep.join(strslice(v))


@_register("sortAlpha", "func(interface {}) []string")
def sort_alpha(v: Any) -> TypedList:
    if isinstance(v, TypedList) and v.go_type == "[]string":
        v.sort(key=to_bytes)  # strslice hands a []string itself to sort.Strings: in place
        return v
    if _is_slice(v):
        return TypedList(sorted(strslice(v), key=to_bytes), "[]string")
    return TypedList([strval(v)], "[]string")


@_register("split", "func(string, string) map[string]string")
def split(sep: str, s: str) -> TypedMap:
    parts = go_split(s, sep)
    return TypedMap({f"_{i}": p for i, p in enumerate(parts)}, "map[string]string")


@_register("splitn", "func(string, int, string) map[string]string")
def splitn(sep: str, n: int, s: str) -> TypedMap:
    parts = go_split(s, sep, n)
    return TypedMap({f"_{i}": p for i, p in enumerate(parts)}, "map[string]string")


@_register("splitList", "func(string, string) []string")
def split_list(sep: str, s: str) -> TypedList:
    return TypedList(go_split(s, sep), "[]string")


@_register("atoi", "func(string) int")
def atoi(s: str) -> GoInt:
    body = s[1:] if s[:1] in ("+", "-") else s
    if not body or not (body.isascii() and body.isdigit()):
        return GoInt(0)
    # on overflow strconv.Atoi reports an error but returns the clamped value
    return GoInt(min(max(int(s), -(2**63)), 2**63 - 1))


# ---- quoting and joining ----------------------------------------------------------------------


@_register("quote", "func(...interface {}) string")
def quote(*args: Any) -> str:
    return " ".join(go_quote(strval(a)) for a in args if a is not None)


@_register("squote", "func(...interface {}) string")
def squote(*args: Any) -> str:
    return " ".join(sprintf("'%v'", a) for a in args if a is not None)


@_register("cat", "func(...interface {}) string")
def cat(*args: Any) -> str:
    return " ".join(sprintf("%v", a) for a in args if a is not None)


# ---- byte-offset functions -------------------------------------------------------------------


@_register("trunc", "func(int, string) string")
def trunc(c: int, s: str) -> str:
    b = to_bytes(s)
    if c < 0 and len(b) + c > 0:
        return from_bytes(b[len(b) + c :])
    if c >= 0 and len(b) > c:
        return from_bytes(b[:c])
    return s


def _bounds(msg: str) -> GoError:
    return GoError("runtime error: slice bounds out of range " + msg)


@_register("substr", "func(int, int, string) string")
def substr(start: int, end: int, s: str) -> str:
    start, end = int(start), int(end)
    b = to_bytes(s)
    n = len(b)
    if start < 0:
        if end < 0:
            raise _bounds(f"[:{end}]")
        if end > n:
            raise _bounds(f"[:{end}] with length {n}")
        return from_bytes(b[:end])
    if end < 0 or end > n:
        if start > n:
            raise _bounds(f"[{start}:{n}]")
        return from_bytes(b[start:])
    if start > end:
        raise _bounds(f"[{start}:{end}]")
    return from_bytes(b[start:end])


def _abbreviate_full(b: bytes, offset: int, width: int) -> bytes | None:
    """goutils ``AbbreviateFull`` on bytes; None where it returns an error."""
    if not b:
        return b""
    if width < 4:
        return None
    if len(b) <= width:
        return b
    if offset > len(b):
        offset = len(b)
    if len(b) - offset < width - 3:
        offset = len(b) - (width - 3)
    if offset <= 4:
        return b[: width - 3] + b"..."
    if width < 7:
        return None
    if offset + width - 3 < len(b):
        rest = _abbreviate_full(b[offset:], 0, width - 3)
        return b"..." + (rest if rest is not None else b"")
    return b"..." + b[len(b) - (width - 3) :]


@_register("abbrev", "func(int, string) string")
def abbrev(width: int, s: str) -> str:
    if width < 4:
        return s
    r = _abbreviate_full(to_bytes(s), 0, width)
    return from_bytes(r) if r is not None else ""


@_register("abbrevboth", "func(int, int, string) string")
def abbrevboth(left: int, right: int, s: str) -> str:
    if right < 4 or left > 0 and right < 7:
        return s
    r = _abbreviate_full(to_bytes(s), left, right)
    return from_bytes(r) if r is not None else ""


def _wrap_custom(s: str, width: int, newline: str, long_words: bool) -> str:
    """goutils ``WrapCustom`` (byte offsets, breaks at ASCII spaces only)."""
    if s == "":
        return ""
    nl = to_bytes(newline or "\n")
    width = max(width, 1)
    b = to_bytes(s)
    n = len(b)
    offset = 0
    out = bytearray()
    while n - offset > width:
        if b[offset] == 0x20:
            offset += 1
            continue
        end = width + offset + 1
        space = b.rfind(b" ", offset, end)
        if space >= offset:
            out += b[offset:space] + nl
            offset = space + 1
        elif long_words:
            end = width + offset
            out += b[offset:end] + nl
            offset += width
        else:
            end = width + offset
            idx = b.find(b" ", end)
            if idx == -1:
                out += b[offset:]
                offset = n
            else:
                out += b[offset:idx] + nl
                offset = idx + 1
    out += b[offset:]
    return from_bytes(bytes(out))


@_register("wrap", "func(int, string) string")
def wrap(width: int, s: str) -> str:
    return _wrap_custom(s, width, "", False)


@_register("wrapWith", "func(int, string, string) string")
def wrap_with(width: int, sep: str, s: str) -> str:
    return _wrap_custom(s, width, sep, True)


@_register("initials", "func(string) string")
def initials(s: str) -> str:
    # goutils walks bytes and writes each chosen byte as a rune (Latin-1)
    out = []
    gap = True
    for byte in to_bytes(s):
        if is_space(byte):
            gap = True
        elif gap:
            out.append(chr(byte))
            gap = False
    return "".join(out)


@_register("nospace", "func(string) string")
def nospace(s: str) -> str:
    b = to_bytes(s)
    kept = [byte for byte in b if not is_space(byte)]
    if len(kept) == len(b):
        return s
    return "".join(chr(byte) for byte in kept)


# ---- case conversions ------------------------------------------------------------------------


def _is_title_sep(r: int) -> bool:
    if r <= 0x7F:
        c = chr(r)
        return not (c.isalnum() or c == "_")
    if is_letter(r) or is_digit(r):
        return False
    return is_space(r)


@_register("title", "func(string) string")
def title(s: str) -> str:
    s = valid_runes(s)
    out = []
    prev = 0x20
    for ch in s:
        r = ord(ch)
        out.append(chr(to_title(r)) if _is_title_sep(prev) else ch)
        prev = r
    return "".join(out)


@_register("untitle", "func(string) string")
def untitle(s: str) -> str:
    s = valid_runes(s)
    out = []
    nxt = True
    for ch in s:
        r = ord(ch)
        if is_space(r):
            nxt = True
            out.append(ch)
        elif nxt:
            out.append(chr(to_lower(r)))
            nxt = False
        else:
            out.append(ch)
    return "".join(out)


@_register("swapcase", "func(string) string")
def swapcase(s: str) -> str:
    s = valid_runes(s)
    out = []
    ws = True
    for ch in s:
        r = ord(ch)
        if is_upper(r) or is_title(r):
            out.append(chr(to_lower(r)))
            ws = False
        elif is_lower(r):
            out.append(chr(to_title(r) if ws else to_upper(r)))
            ws = False
        else:
            ws = is_space(r)
            out.append(ch)
    return "".join(out)


@_register("shuffle", "func(string) string")
def shuffle(s: str) -> str:
    import secrets  # with hmac/hashlib ~8 ms to import: only for the random functions

    runes = list(valid_runes(s))
    for i in range(len(runes) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        runes[i], runes[j] = runes[j], runes[i]
    return "".join(runes)


def _is_connector(r: int) -> bool:
    return r in (0x2D, 0x5F) or is_space(r)


@_register("camelcase", "func(string) string")
def camelcase(s: str) -> str:
    """xstrings ``ToPascalCase``: words split at ``-``, ``_`` and spaces, each capitalised;
    an upper-case run after a capital is lowered (``GOLANG_IS_GREAT`` → ``GolangIsGreat``)."""
    if not s:
        return ""
    runes = [ord(c) for c in valid_runes(s)]
    out: list[int] = []
    i = 0
    r0 = 0
    first_upper = False
    # leading connectors are kept
    while i < len(runes):
        r0 = runes[i]
        i += 1
        if not _is_connector(r0):
            first_upper = is_upper(r0)
            r0 = to_upper(r0)
            break
        out.append(r0)
    if i >= len(runes):
        # xstrings writes the last rune read once more (so "-" becomes "--")
        out.append(r0)
        return "".join(map(chr, out))
    while i < len(runes):
        r1 = r0
        r0 = runes[i]
        i += 1
        if _is_connector(r0) and _is_connector(r1):
            out.append(r1)
            continue
        if _is_connector(r1):
            first_upper = is_upper(r0)
            r0 = to_upper(r0)
        else:
            if first_upper:
                if is_upper(r0):
                    r0 = to_lower(r0)
                else:
                    first_upper = False
            out.append(r1)
    out.append(r0)
    return "".join(map(chr, out))


# xstrings word splitting for snake/kebab case
_INVALID, _NUMBER, _UPPER, _ALPHA, _CONNECTOR, _PUNCT, _OTHER = range(7)


def _is_alphabet(r: int) -> bool:
    if not is_letter(r):
        return False
    if r < 0x3400:
        return True
    if 0x4E00 <= r <= 0x9FCC or 0x3400 <= r <= 0x4D85 or 0x20000 <= r <= 0x2B81D:
        return False
    return True


def _next_word(s: list[int], pos: int) -> tuple[int, int, int]:
    """Returns (word type, start, end) of the word at ``pos``."""
    n = len(s)
    r = s[pos]
    end = pos + 1

    def advance(pred: Callable[[int], bool]) -> int:
        e = end
        while e < n and pred(s[e]):
            e += 1
        return e

    if r == 0xFFFD:
        return _INVALID, pos, end
    if _is_connector(r):
        return _CONNECTOR, pos, advance(_is_connector)
    if is_punct(r):
        return _PUNCT, pos, advance(is_punct)
    if is_upper(r):
        if end >= n:
            return _UPPER, pos, end
        r2 = s[end]
        if is_upper(r2):
            e = advance(is_upper)
            # "HTTPStatus": the last capital starts the next word
            if e < n and _is_alphabet(s[e]):
                e -= 1
            return _UPPER, pos, e
        if _is_alphabet(r2):
            return _UPPER, pos, advance(lambda c: _is_alphabet(c) and not is_upper(c))
        return _UPPER, pos, end
    if _is_alphabet(r):
        return _ALPHA, pos, advance(lambda c: _is_alphabet(c) and not is_upper(c))
    if is_number(r):
        return _NUMBER, pos, advance(is_number)

    def other(c: int) -> bool:
        return not (_is_connector(c) or _is_alphabet(c) or is_number(c) or is_punct(c))

    return _OTHER, pos, advance(other)


def _invalid(c: str) -> bool:
    return c == "\ufffd" or 0xD800 <= ord(c) <= 0xDFFF


def _rune_groups(s: str) -> tuple[list[int], list[str]]:
    """xstrings reads past invalid UTF-8 (``nextValidRune``): a run of invalid bytes counts as
    the valid rune after it, or at the end as the rune before it."""
    runes: list[int] = []
    texts: list[str] = []
    pending = ""
    for c in s:
        if _invalid(c):
            pending += c
            continue
        runes.append(ord(c))
        texts.append(pending + c)
        pending = ""
    if pending:
        if texts:
            texts[-1] += pending
        else:
            runes.append(0xFFFD)
            texts.append(pending)
    return runes, texts


def _to_lower_case(s: str, connector: str) -> str:
    """xstrings ``camelCaseToLowerCase``."""
    if not s:
        return ""
    runes, texts = _rune_groups(s)
    n = len(runes)
    out: list[str] = []

    def emit(wt: int, a: int, b: int) -> None:
        if wt not in (_UPPER, _CONNECTOR):
            out.append("".join(texts[a:b]))
            return
        for ch in valid_runes("".join(texts[a:b])):
            r = ord(ch)
            if _is_connector(r):
                out.append(connector)
            elif is_upper(r):
                out.append(chr(to_lower(r)))
            else:
                out.append(ch)

    def nxt(pos: int) -> tuple[int, int, int]:
        if pos >= n:
            return _INVALID, n, n
        return _next_word(runes, pos)

    wt, a, b = nxt(0)
    while b < n:
        if wt != _CONNECTOR:
            emit(wt, a, b)
        prev, la, lb = wt, a, b
        wt, a, b = nxt(b)
        if prev == _NUMBER:
            while wt in (_ALPHA, _NUMBER):
                emit(wt, a, b)
                wt, a, b = nxt(b)
            if wt not in (_INVALID, _PUNCT, _CONNECTOR):
                out.append(connector)
        elif prev == _CONNECTOR:
            emit(prev, la, lb)
        elif prev == _PUNCT:
            pass
        else:
            if wt != _NUMBER:
                if wt not in (_CONNECTOR, _PUNCT):
                    out.append(connector)
                continue
            if b >= n:
                continue
            na, nb = a, b
            wt, a, b = nxt(b)
            if wt != _ALPHA:
                emit(_NUMBER, na, nb)
                if wt not in (_CONNECTOR, _PUNCT):
                    out.append(connector)
                continue
            out.append(connector)
            emit(_NUMBER, na, nb)
            while wt in (_ALPHA, _NUMBER):
                emit(wt, a, b)
                wt, a, b = nxt(b)
            if wt not in (_INVALID, _CONNECTOR, _PUNCT):
                out.append(connector)
    emit(wt, a, b)
    return "".join(out)


@_register("snakecase", "func(string) string")
def snakecase(s: str) -> str:
    return _to_lower_case(s, "_")


@_register("kebabcase", "func(string) string")
def kebabcase(s: str) -> str:
    return _to_lower_case(s, "-")


# ---- random strings ----------------------------------------------------------------------------


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"


def _random(count: int, alphabet: str) -> str:
    if count <= 0:
        return ""
    import secrets

    return "".join(secrets.choice(alphabet) for _ in range(count))


@_register("randAlphaNum", "func(int) string")
def rand_alpha_num(count: int) -> str:
    return _random(count, _LETTERS + _DIGITS)


@_register("randAlpha", "func(int) string")
def rand_alpha(count: int) -> str:
    return _random(count, _LETTERS)


@_register("randAscii", "func(int) string")
def rand_ascii(count: int) -> str:
    return _random(count, "".join(chr(c) for c in range(32, 127)))


@_register("randNumeric", "func(int) string")
def rand_numeric(count: int) -> str:
    return _random(count, _DIGITS)


_ = GoStruct  # structs reach strval through __go_string__ or %v
