"""Go's ``unicode`` predicates and simple case mappings, and byte views of strings.

Python's ``str.upper()`` applies full case mappings (``ß`` → ``SS``) and ``isupper`` counts
``Other_Uppercase`` symbols; Go maps one rune to one rune and tests general categories, so
sprig's string functions need these versions.  Go strings are bytes: functions that slice by
byte offset go through :func:`to_bytes`/:func:`from_bytes` (invalid UTF-8 survives as
``surrogateescape`` code points).
"""

from __future__ import annotations

import unicodedata

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable

_LATIN1_SPACE = frozenset((0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0))


def to_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def from_bytes(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def is_space(r: int) -> bool:
    """``unicode.IsSpace``."""
    if r < 0x100:
        return r in _LATIN1_SPACE
    if 0xD800 <= r <= 0xDFFF or r > 0x10FFFF:
        return False
    return chr(r).isspace()


def _cat(r: int) -> str:
    if 0xD800 <= r <= 0xDFFF or r > 0x10FFFF or r < 0:
        return "Cn"
    return unicodedata.category(chr(r))


def is_upper(r: int) -> bool:
    return _cat(r) == "Lu"


def is_lower(r: int) -> bool:
    return _cat(r) == "Ll"


def is_title(r: int) -> bool:
    return _cat(r) == "Lt"


def is_letter(r: int) -> bool:
    return _cat(r)[0] == "L"


def is_digit(r: int) -> bool:
    return _cat(r) == "Nd"


def is_number(r: int) -> bool:
    return _cat(r)[0] == "N"


def is_punct(r: int) -> bool:
    return _cat(r)[0] == "P"


def _simple(r: int, mapped: str) -> int:
    return ord(mapped) if len(mapped) == 1 else r


def to_upper(r: int) -> int:
    """``unicode.ToUpper`` (simple mapping: one rune to one rune)."""
    if r < 0x80:
        return r - 32 if 0x61 <= r <= 0x7A else r
    if 0xD800 <= r <= 0xDFFF or r > 0x10FFFF:
        return r
    up = chr(r).upper()
    if len(up) == 1:
        return ord(up)
    # full mapping expands (ᾳ → ΑΙ); the simple one is the title case when that is one rune
    return _simple(r, chr(r).title())


def to_lower(r: int) -> int:
    """``unicode.ToLower``."""
    if r < 0x80:
        return r + 32 if 0x41 <= r <= 0x5A else r
    if r == 0x130:  # İ: full mapping is i + combining dot, simple mapping is i
        return 0x69
    if 0xD800 <= r <= 0xDFFF or r > 0x10FFFF:
        return r
    return _simple(r, chr(r).lower())


def to_title(r: int) -> int:
    """``unicode.ToTitle``."""
    if r < 0x80:
        return to_upper(r)
    if 0xD800 <= r <= 0xDFFF or r > 0x10FFFF:
        return r
    return _simple(r, chr(r).title())


def valid_runes(s: str) -> str:
    """Go's ``[]rune(s)`` view: each invalid UTF-8 byte becomes U+FFFD."""
    if s.isascii():
        return s
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)


def map_runes(fn: Callable[[int], int], s: str) -> str:
    """``strings.Map`` with a rune function (invalid bytes come out as U+FFFD)."""
    return "".join(chr(fn(ord(c))) for c in valid_runes(s))


def go_upper(s: str) -> str:
    """``strings.ToUpper``."""
    if s.isascii():
        return s.upper()
    return map_runes(to_upper, s)


def go_lower(s: str) -> str:
    """``strings.ToLower``."""
    if s.isascii():
        return s.lower()
    return map_runes(to_lower, s)


def trim_space(s: str) -> str:
    """``strings.TrimSpace``."""
    start, end = 0, len(s)
    while start < end and is_space(ord(s[start])):
        start += 1
    while end > start and is_space(ord(s[end - 1])):
        end -= 1
    return s[start:end]


def go_split(s: str, sep: str, n: int = -1) -> list[str]:
    """``strings.SplitN`` (``n < 0``: all parts; empty ``sep`` splits into runes)."""
    if n == 0:
        return []
    if sep == "":
        chars = list(s)
        if n > 0 and len(chars) > n:
            chars = chars[: n - 1] + ["".join(chars[n - 1 :])]
        return chars
    if n < 0:
        return s.split(sep)
    return s.split(sep, n - 1)
