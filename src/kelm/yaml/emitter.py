"""Block-style YAML writer reproducing go-yaml's emitter (the libyaml port) byte for byte.

Two flavours:

* ``v2`` - go-yaml v2 as used by sigs.k8s.io/yaml (Helm ``toYaml``, kustomize output):
  sequences under a mapping key are not indented, long scalars fold at 80 columns.
* ``v3`` - go-yaml v3 ``Encoder`` with ``SetIndent(2)`` (Helm ``toYamlPretty``): sequences are
  indented under their key and scalars are never folded.

Input is plain data (None, bool, int, float, str, list, dict with str keys); callers that
start from Go values convert first (see :mod:`kelm.yaml.jsonenc`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from kelm import recache
from kelm.golang.floats import format_g, format_yaml_v2

from .analyze import DOUBLE, LITERAL, PLAIN, SINGLE, analyze
from .jsonenc import StructObject
from .resolve import needs_quotes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

BEST_WIDTH = 80

_DQ_ESCAPE = recache.compile(
    r'[\x00-\x1f"\\\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]'
)
_DQ_ANY = recache.compile(".", re.S)
_DQ_NAMED = {
    "\0": "\\0", "\x07": "\\a", "\x08": "\\b", "\t": "\\t", "\n": "\\n", "\x0b": "\\v",
    "\x0c": "\\f", "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N",
    "\xa0": "\\_", "\u2028": "\\L", "\u2029": "\\P",
}


def _dq_char(m: re.Match[str]) -> str:
    c = m.group()
    named = _DQ_NAMED.get(c)
    if named is not None:
        return named
    o = ord(c)
    if o <= 0xFF:
        return f"\\x{o:02X}"
    if o <= 0xFFFF:
        return f"\\u{o:04X}"
    return f"\\U{o:08X}"


def _fold(t: str, col: int, indent: int, dq: bool) -> str:
    """libyaml's folding of a plain/quoted scalar: at a single space, once the column passed
    the best width, write a line break plus indentation instead of the space.

    ``t`` is the text as written (quotes doubled / escapes applied); ``col`` the column of
    ``t[0]``.  Single-quoted and plain scalars skip a space followed by another space;
    double-quoted ones break there and escape the next space with a backslash.
    """
    n = len(t)
    if col + n <= BEST_WIDTH + 1 or " " not in t:
        return t
    out: list[str] = []
    start = 0  # index in t of the first char on the current line
    base = col  # column of t[start]
    pad = "\n" + " " * indent
    i = start + max(0, BEST_WIDTH + 1 - base)
    while True:
        i = t.find(" ", i)
        if i < 0 or i >= n - 1:
            break
        if i == 0 or t[i - 1] == " ":
            i += 1
            continue
        if base + (i - start) <= BEST_WIDTH:
            i = start + BEST_WIDTH + 1 - base
            continue
        if t[i + 1] == " ":
            if not dq:
                i += 1
                continue
            out.append(t[start:i])
            out.append(pad + "\\")
            start = i + 1
            base = indent + 1
        else:
            out.append(t[start:i])
            out.append(pad)
            start = i + 1
            base = indent
        i = start + max(0, BEST_WIDTH + 1 - base)
    if not out:
        return t
    out.append(t[start:])
    return "".join(out)


def _literal(s: str, indent: int) -> str:
    """A ``|`` block: indentation hint when the text starts with a space or break, chomping
    ``-`` without final break, ``+`` with two or more (or a lone break)."""
    head = "|"
    if s[0] in " \n\x85\u2028\u2029\r":
        head += "2"
    if s[-1] != "\n" and s[-1] not in "\x85\u2028\u2029\r":
        head += "-"
    elif len(s) == 1 or s[-2] in "\n\x85\u2028\u2029\r":
        head += "+"
    pad = " " * indent
    if "\u2028" in s or "\u2029" in s or "\x85" in s:
        lines = re.split("(?<=[\n\u2028\u2029\x85])", s)
        body = "".join(pad + ln if ln and ln[0] not in "\n\u2028\u2029\x85" else ln
                       for ln in lines)
        return head + "\n" + body
    body = s.replace("\n", "\n" + pad)
    if s[0] != "\n":
        body = pad + body
    empty = "\n" + pad + "\n"
    while empty in body:  # empty lines carry no indentation
        body = body.replace(empty, "\n\n")
    if s[-1] == "\n":
        body = body[: len(body) - indent]
    return head + "\n" + body


_STYLE_CACHE: dict[tuple[str, bool], tuple[int, str, bool]] = {}


def _style(s: str, v3: bool) -> tuple[int, str, bool]:
    """(style, body as written before folding, multiline) for a string scalar; cached."""
    key = (s, v3)
    hit = _STYLE_CACHE.get(key)
    if hit is not None:
        return hit
    multiline = False
    if needs_quotes(s, v3):
        style = DOUBLE
    else:
        a = analyze(s, v3)
        multiline = a.multiline
        if "\n" in s:
            style = LITERAL if a.block else DOUBLE
        elif a.block_plain:
            style = PLAIN
        elif a.single:
            style = SINGLE
        else:
            style = DOUBLE
    if style == PLAIN or style == LITERAL:
        body = s
    elif style == SINGLE:
        body = s.replace("'", "''")
    else:
        # go-yaml's is_bom looks at the first byte of the whole string, not the current
        # one: a leading BOM makes every character an escape.
        body = _DQ_ANY.sub(_dq_char, s) if s[:1] == "\ufeff" else _DQ_ESCAPE.sub(_dq_char, s)
        multiline = False
    res = (style, body, multiline)
    if len(s) <= 256:
        if len(_STYLE_CACHE) > 100_000:
            _STYLE_CACHE.clear()
        _STYLE_CACHE[key] = res
    return res


_COMPLEX = ""  # marker: the key needs "? key" / ": value" form
_KEY_CACHE: dict[tuple[str, bool], str] = {}


def _key_text(k: str, v3: bool) -> str:
    """``key:`` as written for a simple key (never folded), or _COMPLEX."""
    if (len(k) > 32 and len(k.encode()) > 128) or _has_break(k):
        text = _COMPLEX
    else:
        style, body, _ = _style(k, v3)
        q = "'" if style == SINGLE else ('"' if style == DOUBLE else "")
        text = q + body + q + ":"
    if len(_KEY_CACHE) > 100_000:
        _KEY_CACHE.clear()
    _KEY_CACHE[(k, v3)] = text
    return text


class _Writer:
    """Emits one document, tracking libyaml's column / whitespace / indention state."""

    __slots__ = ("parts", "col", "ws", "ind", "v3", "fold")

    def __init__(self, v3: bool) -> None:
        self.parts: list[str] = []
        self.col = 0
        self.ws = True  # last thing written was whitespace (libyaml "whitespace")
        self.ind = True  # only indentation/indicators on this line so far ("indention")
        self.v3 = v3
        self.fold = not v3

    def scalar_text(self, v: Any) -> str | None:
        """Text of a non-string scalar, None for strings."""
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, int):
            return str(int(v))
        if isinstance(v, float):
            if self.v3:
                s = format_g(v)
                return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s)
            return format_yaml_v2(v)
        return None

    def write_str(self, s: str, indent: int, key: bool) -> None:
        """Write string scalar ``s`` (libyaml process_scalar); ``indent`` for continuations."""
        style, body, multiline = _style(s, self.v3)
        if not self.ws:
            self.parts.append(" ")
            self.col += 1
        col = self.col
        if style == LITERAL:
            text = _literal(s, indent)
            self.parts.append(text)
            self.ws = True
            if text[-1] in "\n\u2028\u2029":
                self.col = 0
                self.ind = True
            else:
                self.col = len(text) - text.rfind("\n") - 1
                self.ind = False
            return
        fold = self.fold and not key and col + len(body) > BEST_WIDTH - 1
        if style == PLAIN:
            text = _fold(body, col, indent, False) if fold else body
        elif style == SINGLE:
            if multiline:
                text = "'" + self._single_breaks(body, indent) + "'"
            else:
                text = "'" + (_fold(body, col + 1, indent, False) if fold else body) + "'"
        else:
            text = '"' + (_fold(body, col + 1, indent, True) if fold else body) + '"'
        self.parts.append(text)
        if fold or multiline:
            nl = text.rfind("\n")
            self.col = col + len(text) if nl < 0 else len(text) - nl - 1
        else:
            self.col = col + len(text)
        self.ws = False
        self.ind = False

    def _single_breaks(self, body: str, indent: int) -> str:
        # Rare: single-quoted text holding U+2028/U+2029 breaks: written raw, next line indented.
        pad = " " * indent
        return re.sub("([\u2028\u2029])(?=[^\u2028\u2029])", lambda m: m.group(1) + pad, body)

    def write_indent(self, indent: int) -> None:
        if not self.ind or self.col > indent or (self.col == indent and not self.ws):
            self.parts.append("\n")
            self.col = 0
        if self.col < indent:
            self.parts.append(" " * (indent - self.col))
            self.col = indent
        self.ws = True
        self.ind = True

    def indicator(self, text: str, need_ws: bool, is_ws: bool, is_ind: bool) -> None:
        if need_ws and not self.ws:
            self.parts.append(" ")
            self.col += 1
        self.parts.append(text)
        self.col += len(text)
        self.ws = is_ws
        self.ind = self.ind and is_ind

    def node(self, v: Any, indent: int, mapping_value: bool = False) -> None:
        """Write a node after an indicator; ``indent`` is the enclosing collection's."""
        if isinstance(v, str):
            tag = getattr(v, "yaml_tag", None) if type(v) is not str else None
            if tag:
                self.indicator(tag, True, False, False)  # e.g. "!!binary BASE64"
                self.indicator(" " + v, False, False, False)
                return
            self.write_str(v, indent + 2 if indent >= 0 else 2, False)
        elif isinstance(v, dict):
            if v:
                self.mapping(v, indent + 2 if indent >= 0 else 0)
            else:
                self.indicator("{", True, True, False)
                self.indicator("}", False, False, False)
        elif isinstance(v, (list, tuple)):
            if not v:
                self.indicator("[", True, True, False)
                self.indicator("]", False, False, False)
            elif indent < 0:
                self.sequence(v, 0)
            elif not self.v3 and mapping_value and not self.ind:
                self.sequence(v, indent)  # go-yaml v2: indentless under a mapping key
            else:
                self.sequence(v, indent + 2)
        else:
            text = self.scalar_text(v)
            if text is None:
                raise TypeError(f"cannot emit {type(v).__name__}")
            if not self.ws:
                text = " " + text
            self.parts.append(text)
            self.col += len(text)
            self.ws = False
            self.ind = False

    def mapping(self, d: dict, indent: int) -> None:
        keys = list(d) if self.v3 and type(d) is StructObject else sorted_keys(d, self.v3)
        for k in keys:
            self.write_indent(indent)
            kt = _KEY_CACHE.get((k, self.v3)) or _key_text(k, self.v3)
            if kt is _COMPLEX:
                self.indicator("?", True, False, True)
                self.node(k, indent)
                self.write_indent(indent)
                self.indicator(":", True, False, True)
            else:
                self.parts.append(kt)
                self.col += len(kt)
                self.ws = False
                self.ind = False
            self.node(d[k], indent, True)

    def sequence(self, seq: list | tuple, indent: int) -> None:
        for item in seq:
            self.write_indent(indent)
            self.indicator("-", True, False, True)
            self.node(item, indent)

    def document(self, v: Any) -> str:
        self.node(v, -1)
        self.write_indent(0)
        return "".join(self.parts)


_BREAK_CHARS = recache.compile("[\n\r\x85\u2028\u2029]")


def _has_break(s: str) -> bool:
    return _BREAK_CHARS.search(s) is not None


# -- key order -------------------------------------------------------------------------------


def _natural_less(a: str, b: str, v3: bool) -> bool:
    """go-yaml's keyList.Less for two strings (v3 adds the after-digits letter rule)."""
    digits = False
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            digits = ca.isdecimal()
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            if v3 and digits:
                return al
            return bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdecimal():
            an = an * 10 + (ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = bn * 10 + (ord(b[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _cmp_v2(a: str, b: str) -> int:
    return -1 if _natural_less(a, b, False) else (1 if _natural_less(b, a, False) else 0)


def _cmp_v3(a: str, b: str) -> int:
    return -1 if _natural_less(a, b, True) else (1 if _natural_less(b, a, True) else 0)


_KEY_V2: Callable[[str], Any] = functools.cmp_to_key(_cmp_v2)
_KEY_V3: Callable[[str], Any] = functools.cmp_to_key(_cmp_v3)
_DIGIT = recache.compile(r"\d")
_nodigit_cache: dict[str, tuple[int, ...]] = {}


def _nodigit_key(k: str) -> tuple[int, ...]:
    # Without digits the order is: per rune, non-letters before letters, then code point.
    t = _nodigit_cache.get(k)
    if t is None:
        t = tuple(ord(c) + (0x110000 if c.isalpha() else 0) for c in k)
        if len(_nodigit_cache) > 100_000:
            _nodigit_cache.clear()
        _nodigit_cache[k] = t
    return t


def sorted_keys(d: dict, v3: bool = False) -> list:
    keys = list(d)
    if len(keys) < 2:
        return keys
    if all(k.isalpha() for k in keys):
        keys.sort()
        return keys
    if not any(_DIGIT.search(k) for k in keys):
        keys.sort(key=_nodigit_key)
        return keys
    keys.sort(key=_KEY_V3 if v3 else _KEY_V2)
    return keys


def emit(data: Any, v3: bool = False) -> str:
    """One YAML document for plain data, ending with a newline."""
    return _Writer(v3).document(data)
