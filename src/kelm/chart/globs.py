"""Chart-file glob patterns as regexes, in the two dialects Helm matches chart paths with.

Helm uses two libraries whose syntaxes legitimately differ, so one translator serves both and
the differences are a :class:`Dialect`:

``FILES_GLOB``  gobwas/glob with ``/`` as separator (``.Files.Glob``): ``**`` crosses ``/``,
    ``{a,b}`` alternatives (an unclosed ``{`` ends with the pattern), a class is one range
    ``[a-z]`` or one list ``[abc]`` (escapes allowed in a list), negated by ``!``; a
    trailing ``\\`` is dropped.
``PATH_MATCH``  Go's ``filepath.Match`` (``.helmignore``): ``**`` is two stars, no braces, a
    class mixes chars and ranges (escapes allowed), negated by ``^``; every malformed part is
    an error.

Shared: ``*`` is a run of non-``/`` characters, ``?`` one non-``/`` character, ``\\`` escapes
the next character, anything else is literal, and the pattern matches the whole name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kelm._slots import ValueRecord


class GlobError(ValueError):
    """A pattern the dialect's library rejects."""


class Dialect(ValueRecord):
    __slots__ = ("name", "super_star", "braces", "lenient_escape", "char_class")

    def __init__(self, name: str, super_star: bool, braces: bool, lenient_escape: bool,
                 char_class: Callable[[str, int], tuple[str, int]]) -> None:
        self.name = name
        self.super_star = super_star  # "**" matches across "/"
        self.braces = braces  # "{a,b}" alternatives
        self.lenient_escape = lenient_escape  # a trailing "\" is dropped, not an error
        self.char_class = char_class  # (pattern, index after "[") -> (regex, index of "]")


def _class_regex(negated: bool, ranges: list[tuple[str, str]]) -> str:
    body = "".join(re.escape(lo) if lo == hi else f"{re.escape(lo)}-{re.escape(hi)}"
                   for lo, hi in ranges if lo <= hi)
    if not body:  # only empty ranges such as "z-a": nothing matches, negated: anything
        return "[\\s\\S]" if negated else "(?!)"
    return ("[^" if negated else "[") + body + "]"


def _gobwas_class(p: str, i: int) -> tuple[str, int]:
    """gobwas's lexer: ``[`` [``!``] then either ``lo-hi`` or a run of (escaped) chars, ``]``."""
    n = len(p)
    negated = i < n and p[i] == "!"
    if negated:
        i += 1
    if i + 1 < n and p[i + 1] == "-":  # a range takes its two characters raw
        if i + 3 >= n or p[i + 3] != "]":
            raise GlobError("expected close range character")
        lo, hi = p[i], p[i + 2]
        if hi < lo:
            raise GlobError(f"hi character '{hi}' should be greater than lo '{lo}'")
        return _class_regex(negated, [(lo, hi)]), i + 3
    chars: list[str] = []
    while i < n and p[i] != "]":
        if p[i] == "\\":
            i += 1
            if i == n:
                break
        chars.append(p[i])
        i += 1
    if i >= n:
        raise GlobError("unexpected end of input")
    if not chars:
        raise GlobError("could not parse range")
    return _class_regex(negated, [(c, c) for c in chars]), i


def _go_class_char(p: str, i: int) -> tuple[str, int]:
    """filepath.Match's getEsc: one (escaped) class character; ``-`` and ``]`` are not."""
    n = len(p)
    if i >= n or p[i] in "-]":
        raise GlobError("syntax error in pattern")
    if p[i] == "\\":
        i += 1
        if i >= n:
            raise GlobError("syntax error in pattern")
    if i + 1 >= n:
        raise GlobError("syntax error in pattern")
    return p[i], i + 1


def _path_match_class(p: str, i: int) -> tuple[str, int]:
    """filepath.Match: ``[`` [``^``] then one or more chars or ``lo-hi`` ranges, ``]``."""
    negated = i < len(p) and p[i] == "^"
    if negated:
        i += 1
    ranges: list[tuple[str, str]] = []
    while not (ranges and i < len(p) and p[i] == "]"):
        lo, i = _go_class_char(p, i)
        hi = lo
        if p[i] == "-":
            hi, i = _go_class_char(p, i + 1)
        ranges.append((lo, hi))  # Go accepts "z-a" (it matches nothing)
    return _class_regex(negated, ranges), i


FILES_GLOB = Dialect("gobwas/glob", True, True, True, _gobwas_class)
PATH_MATCH = Dialect("filepath.Match", False, False, False, _path_match_class)


def translate(pattern: str, dialect: Dialect) -> str:
    """The regex source matching what ``pattern`` matches (raises :class:`GlobError`)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    depth = 0  # open "{" alternatives
    while i < n:
        c = pattern[i]
        if c == "*":
            if dialect.super_star and pattern.startswith("*", i + 1):
                out.append(".*")
                i += 1
            else:
                out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\":
            i += 1
            if i == n:
                if dialect.lenient_escape:
                    break
                raise GlobError("syntax error in pattern")
            out.append(re.escape(pattern[i]))
        elif c == "[":
            rx, i = dialect.char_class(pattern, i + 1)
            out.append(rx)
        elif dialect.braces and c == "{":
            depth += 1
            out.append("(?:")
        elif dialect.braces and depth and c in ",}":
            if c == "}":
                depth -= 1
            out.append("|" if c == "," else ")")
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out) + ")" * depth


def compile_glob(pattern: str, dialect: Dialect) -> re.Pattern[str]:
    """``pattern`` as a compiled whole-name regex (raises :class:`GlobError`)."""
    return re.compile(translate(pattern, dialect) + r"\Z", re.S)
