"""A streaming reader for the block YAML that repository indexes are written in.

Helm writes ``index.yaml`` with go-yaml v2: block mappings and sequences, two-space indents,
plain, quoted and block scalars, empty flow collections.  Building a full YAML node graph for
a large public index costs seconds and hundreds of MiB (helm#11509), so this reader walks the
lines once and hands over one chart version at a time; nothing else of the text is kept.

Anything outside that subset (anchors, aliases, tags, nested flow collections, tabs,
directives, several documents...) raises :class:`Unsupported`: the caller then reads the file
with the general (and guarded) YAML loader instead.  Scalars stay strings (the index's fields
are strings, as sigs.k8s.io/yaml keeps them for string targets); ``null``/``~``/empty are None.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any


class Unsupported(Exception):
    """The text uses YAML this reader does not handle (line number in ``args[0]``)."""


class DuplicateKey(Exception):
    """A mapping names a key twice (go-yaml: ``key "x" already set in map``)."""

    def __init__(self, line: int, key: str) -> None:
        super().__init__(line, key)
        self.line = line
        self.key = key


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {**dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On",
                           "ON"), True),
          **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off",
                           "OFF"), False)}
_SPECIAL_FLOATS = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
                   "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
                   "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
                   ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}
_MAYBE_TYPED = frozenset("0123456789+-.yYnNtTfFoO")
_FLOW_START = frozenset("[{")
_KEY_SPECIAL = frozenset("\"'&*!%@`|>?[{-#,]}")  # keys starting so take the careful path
_VALUE_SPECIAL = frozenset("\"'|>[{#&*!%@`?")  # values that are no plain scalar
_SPECIAL = frozenset("&*!%@`|>?")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
            "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
            "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}


_NUMBER: Any = None


def plain_scalar(text: str) -> Any:
    """A plain scalar as go-yaml v2 types it: null, bool, int, float, else the string."""
    if text in _NULLS:
        return None
    if text[0] not in _MAYBE_TYPED:
        return text
    b = _BOOLS.get(text)
    if b is not None:
        return b
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    global _NUMBER
    if _NUMBER is None:
        import re

        _NUMBER = (re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)"
                              r"\Z"),
                   re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z"))
    t = text.replace("_", "")
    m = _NUMBER[0].match(t)
    if m is not None:
        digits = m.group(1)
        sign = -1 if t[0] == "-" else 1
        if digits[:2] in ("0x", "0X"):
            return sign * int(digits[2:], 16)
        if digits[:2] in ("0b", "0B"):
            return sign * int(digits[2:], 2)
        if digits[:1] == "0" and len(digits) > 1:
            return sign * int(digits.lstrip("0oO") or "0", 8)
        return sign * int(digits)
    if _NUMBER[1].match(t):
        return float(t)
    return text


class _Lines:
    """Raw lines with one-line lookahead; ``significant`` skips blanks and comments."""

    __slots__ = ("_it", "_next", "lineno", "_pushed", "_sig", "gap")

    def __init__(self, lines: Iterable[str]) -> None:
        self._it = iter(lines)
        self._next: str | None = None
        self.lineno = 0  # number of the line ``peek_raw`` returns
        self._pushed: tuple[int, str] | None = None
        self._sig: tuple[int, str] | None = None  # significant() of the peeked line
        self.gap = False  # whether significant() skipped blank or comment lines to get there

    def peek_raw(self) -> str | None:
        if self._next is None:
            try:
                line = next(self._it)
            except StopIteration:
                return None
            line = line.rstrip("\r\n")
            self.lineno += 1
            if "\r" in line or (not line.isascii() and (
                    "\u2028" in line or "\u2029" in line or "\x85" in line)):
                raise Unsupported(self.lineno)  # a YAML line break inside a text line
            self._next = line
        return self._next

    def take_raw(self) -> None:
        self._next = None
        self._sig = None

    def push(self, indent: int, content: str) -> None:
        """A virtual line (the mapping inside ``- key: value``)."""
        self._pushed = (indent, content)

    def significant(self) -> tuple[int, str] | None:
        """(indent, content) of the next line that is neither blank nor a comment."""
        if self._pushed is not None:
            return self._pushed
        if self._sig is not None:
            return self._sig
        gap = False
        while True:
            line = self.peek_raw()
            if line is None:
                self.gap = gap
                return None
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                self.take_raw()
                gap = True
                continue
            if content[0] == "\t":
                raise Unsupported(self.lineno)
            self.gap = gap
            self._sig = (len(line) - len(content), content)
            return self._sig

    def take(self) -> None:
        if self._pushed is not None:
            self._pushed = None
        else:
            self.take_raw()


def _split_key(content: str, lineno: int) -> tuple[str, str] | None:
    """``key: rest`` -> (key, rest); None when the line is no mapping entry."""
    c0 = content[0]
    if c0 == '"' or c0 == "'":
        end = _quoted_end(content, 0)
        if end < 0 or content[end + 1:end + 2] != ":":
            return None
        key = _unquote(content[:end + 1], lineno)
        rest = content[end + 2:]
        if rest and rest[0] != " ":
            return None
        return key, rest.strip()
    if c0 in _SPECIAL or c0 in _FLOW_START or c0 in "-#,]}":
        raise Unsupported(lineno)
    i = content.find(": ")
    if i < 0:
        if content.endswith(":"):
            return content[:-1].rstrip(), ""
        return None
    key = content[:i].rstrip()
    if " #" in key:
        return None
    return key, content[i + 2:].strip()


def _quoted_end(s: str, start: int) -> int:
    """Index of the closing quote of the quoted scalar starting at ``start`` (-1: none)."""
    q = s[start]
    i = start + 1
    n = len(s)
    while i < n:
        c = s[i]
        if q == '"' and c == "\\":
            i += 2
            continue
        if c == q:
            if q == "'" and i + 1 < n and s[i + 1] == "'":
                i += 2
                continue
            return i
        i += 1
    return -1


def _unquote(s: str, lineno: int) -> str:
    if s[0] == "'":
        return s[1:-1].replace("''", "'")
    body = s[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = body[i + 1:i + 2]
        if e in _ESCAPES:
            out.append(_ESCAPES[e])
            i += 2
        elif e in ("x", "u", "U"):
            width = {"x": 2, "u": 4, "U": 8}[e]
            digits = body[i + 2:i + 2 + width]
            try:
                out.append(chr(int(digits, 16)))
            except ValueError:
                raise Unsupported(lineno) from None
            i += 2 + width
        else:
            raise Unsupported(lineno)
    return "".join(out)


def _strip_comment(s: str) -> str:
    i = s.find(" #")
    return s[:i].rstrip() if i >= 0 else s


class Reader:
    """Parse nodes of the block subset from :class:`_Lines`."""

    __slots__ = ("src",)

    def __init__(self, src: _Lines) -> None:
        self.src = src

    def duplicate(self, key: str, rest: str) -> None:
        """Raise :class:`DuplicateKey` at the line go-yaml names: where the value starts."""
        src = self.src
        line = src.lineno
        if not rest or rest[0] == "#":
            src.take()
            if src.significant() is not None:
                line = src.lineno
        raise DuplicateKey(line, key)

    # -- nodes ---------------------------------------------------------------------------

    def block(self, parent_indent: int, allow_seq_at_parent: bool) -> Any:
        """The node on the following lines (more indented than ``parent_indent``; a
        sequence may sit at the parent's indent), or None when there is none."""
        nxt = self.src.significant()
        if nxt is None:
            return None
        indent, content = nxt
        is_seq = content[0] == "-" and content[1:2] in ("", " ")
        if indent > parent_indent or (is_seq and allow_seq_at_parent and
                                      indent == parent_indent):
            if is_seq:
                return self.sequence(indent)
            return self.mapping(indent)
        return None

    def mapping(self, indent: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        src = self.src
        while True:
            nxt = src.significant()
            if nxt is None or nxt[0] != indent:
                if nxt is not None and nxt[0] > indent:
                    raise Unsupported(src.lineno)
                return out
            content = nxt[1]
            c0 = content[0]
            if c0 == "-" and content[1:2] in ("", " "):
                return out
            i = content.find(": ")
            if i > 0 and c0 not in _KEY_SPECIAL and " #" not in content[:i]:
                key, rest = content[:i].rstrip(), content[i + 2:].strip()
            elif i < 0 and content[-1] == ":" and c0 not in _KEY_SPECIAL and " #" not in content:
                key, rest = content[:-1].rstrip(), ""
            else:
                kv = _split_key(content, src.lineno)
                if kv is None:
                    raise Unsupported(src.lineno)
                key, rest = kv
            if key in out:
                self.duplicate(key, rest)
            src.take()
            if rest and rest[0] not in _VALUE_SPECIAL:
                out[key] = self.plain(rest, indent)
            else:
                out[key] = self.value(rest, indent, True)

    def sequence(self, indent: int) -> list[Any]:
        out: list[Any] = []
        src = self.src
        while True:
            nxt = src.significant()
            if nxt is None or nxt[0] != indent:
                if nxt is not None and nxt[0] > indent:
                    raise Unsupported(src.lineno)
                return out
            content = nxt[1]
            if not (content[0] == "-" and content[1:2] in ("", " ")):
                return out
            src.take()
            out.append(self.item(indent, content[2:].lstrip(" "), len(content[2:]) -
                                 len(content[2:].lstrip(" ")) + 2))
            continue

    def item(self, indent: int, rest: str, offset: int) -> Any:
        """A sequence item whose text after ``- `` is ``rest`` (at column indent+offset)."""
        if not rest or rest[0] == "#":
            return self.block(indent, False)
        if rest[0] == "-" and rest[1:2] in ("", " "):
            raise Unsupported(self.src.lineno)
        if rest[0] not in "\"'" or _quoted_end(rest, 0) >= 0:
            kv = _split_key(rest, self.src.lineno) if rest[0] not in _FLOW_START else None
            if kv is not None:
                self.src.push(indent + offset, rest)
                return self.mapping(indent + offset)
        return self.value(rest, indent, False)

    def value(self, rest: str, indent: int, in_mapping: bool) -> Any:
        """The value after ``key:`` (or ``-``) whose line sits at ``indent``."""
        if not rest or rest[0] == "#":
            return self.block(indent, in_mapping)
        c0 = rest[0]
        if c0 == '"' or c0 == "'":
            return self.quoted(rest, indent)
        if c0 == "|" or c0 == ">":
            return self.block_scalar(rest, indent)
        if c0 in _FLOW_START:
            return self.flow(_strip_comment(rest))
        if c0 in _SPECIAL:
            raise Unsupported(self.src.lineno)
        return self.plain(rest, indent)

    def plain(self, rest: str, indent: int) -> Any:
        """A plain scalar starting with ``rest``, folded over more-indented lines."""
        text = _strip_comment(rest) if " #" in rest else rest
        if ": " in text or text[-1] == ":":
            raise Unsupported(self.src.lineno)
        src = self.src
        nxt = src.significant()
        if nxt is None or nxt[0] <= indent:
            return plain_scalar(text)
        parts = [text]
        while nxt is not None and nxt[0] > indent:
            if src.gap:
                raise Unsupported(src.lineno)  # a line break kept in the scalar
            more = _strip_comment(nxt[1])
            if ": " in more or more.endswith(":") or more[0] in "-[]{}&*!|>'\"%@`":
                raise Unsupported(src.lineno)
            parts.append(more)
            src.take()
            nxt = src.significant()
        return " ".join(parts)

    def quoted(self, rest: str, indent: int) -> str:
        src = self.src
        end = _quoted_end(rest, 0)
        if end >= 0:
            tail = rest[end + 1:].strip()
            if tail and tail[0] != "#":
                raise Unsupported(src.lineno)
            return _unquote(rest[:end + 1], src.lineno)
        raise Unsupported(src.lineno)  # multi-line quoted scalars: rare, left to the loader

    def block_scalar(self, header: str, indent: int) -> str:
        h = _strip_comment(header)
        if h[0] != "|":
            raise Unsupported(self.src.lineno)  # folded scalars: left to the loader
        flags = h[1:]
        chomp = ""
        explicit = 0
        for ch in flags:
            if ch in "+-" and not chomp:
                chomp = ch
            elif ch.isdigit() and not explicit and ch != "0":
                explicit = int(ch)
            else:
                raise Unsupported(self.src.lineno)
        src = self.src
        lines: list[str] = []
        block_indent = indent + explicit if explicit else 0
        while True:
            raw = src.peek_raw()
            if raw is None:
                break
            stripped = raw.lstrip(" ")
            ind = len(raw) - len(stripped)
            if not stripped:
                lines.append("")
                src.take_raw()
                continue
            if not block_indent:
                if ind <= indent:
                    break
                block_indent = ind
            if ind < block_indent:
                if stripped[0] == "\t":
                    raise Unsupported(src.lineno)
                break
            lines.append(raw[block_indent:])
            src.take_raw()
        trailing = 0
        while lines and lines[-1] == "":
            lines.pop()
            trailing += 1
        body = "\n".join(lines)
        if not lines:
            return "" if chomp != "+" else "\n" * trailing
        if chomp == "-":
            return body
        if chomp == "+":
            return body + "\n" + "\n" * trailing
        return body + "\n"

    def flow(self, text: str) -> list[Any] | dict[str, Any]:
        if text in ("[]", "{}"):
            return [] if text == "[]" else {}
        if text[0] == "[" and text[-1] == "]":
            inner = text[1:-1]
            if any(c in inner for c in "[]{}\"'&*!#"):
                raise Unsupported(self.src.lineno)
            items = [p.strip() for p in inner.split(",")]
            if items and items[-1] == "":
                items.pop()
            if any(not p or ": " in p for p in items):
                raise Unsupported(self.src.lineno)
            return [plain_scalar(p) for p in items]
        raise Unsupported(self.src.lineno)


def read_index(lines: Iterable[str]) -> Iterator[tuple[str, Any]]:
    """Stream an index: ``("top", (key, value))`` for top-level keys other than
    ``entries``, ``("chart", name)`` when a chart's list starts, ``("version", (name, node))``
    for each of its items, ``("empty", name)`` when a chart has no list."""
    src = _Lines(lines)
    first = src.peek_raw()
    if first is not None and first.startswith("\ufeff"):
        raise Unsupported(1)
    r = Reader(src)
    seen: set[str] = set()
    while True:
        nxt = src.significant()
        if nxt is None:
            return
        indent, content = nxt
        if indent != 0 or content.startswith(("---", "...", "%")):
            raise Unsupported(src.lineno)
        kv = _split_key(content, src.lineno)
        if kv is None:
            raise Unsupported(src.lineno)
        key, rest = kv
        if key in seen:
            raise DuplicateKey(src.lineno, key)
        seen.add(key)
        src.take()
        if key != "entries" or (rest and rest[0] != "#"):
            yield "top", (key, r.value(rest, 0, True))
            continue
        yield from _entries(r, src)


def _entries(r: Reader, src: _Lines) -> Iterator[tuple[str, Any]]:
    nxt = src.significant()
    if nxt is None or nxt[0] == 0:
        yield "top", ("entries", None)
        return
    indent = nxt[0]
    names: set[str] = set()
    while True:
        nxt = src.significant()
        if nxt is None or nxt[0] < indent:
            return
        if nxt[0] > indent:
            raise Unsupported(src.lineno)
        kv = _split_key(nxt[1], src.lineno)
        if kv is None:
            raise Unsupported(src.lineno)
        name, rest = kv
        if name in names:
            r.duplicate(name, rest)
        names.add(name)
        src.take()
        if rest and rest[0] != "#":
            value = r.value(rest, indent, True)
            if value is None or value == []:
                yield "empty", name
                continue
            raise Unsupported(src.lineno)
        yield "chart", name
        seq = src.significant()
        if seq is None or not (seq[1][0] == "-" and seq[1][1:2] in ("", " ")) or \
                seq[0] < indent:
            if seq is not None and seq[0] > indent:
                raise Unsupported(src.lineno)
            continue
        seq_indent = seq[0]
        while True:
            nxt = src.significant()
            if nxt is None or nxt[0] != seq_indent or not (
                    nxt[1][0] == "-" and nxt[1][1:2] in ("", " ")):
                if nxt is not None and nxt[0] > seq_indent:
                    raise Unsupported(src.lineno)
                break
            content = nxt[1]
            src.take()
            after = content[2:]
            rest = after.lstrip(" ")
            yield "version", (name, r.item(seq_indent, rest, len(after) - len(rest) + 2))


__all__ = ["DuplicateKey", "Unsupported", "plain_scalar", "read_index"]
