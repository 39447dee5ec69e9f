"""Lexer for Go's text/template: turns template text into a flat token list.

It follows Go's state machine (text, ``{{``/``}}`` with trim markers, comments, the tokens
inside actions) but scans with ``str.find`` and compiled regexes over indexes, never slicing
the remaining input, so a template of megabytes lexes in linear time.  A lexical error ends
the list with an ERROR token whose value is Go's message.

Speed: most actions of real charts (``{{ .Values.x }}``, ``{{- include "x" . | nindent 4 }}``,
``{{ if and .a (not .b) }}``, ``{{ end }}``) match one regex, :data:`_ACTION`, as a whole; the
parser builds their nodes from that match (:meth:`Lexer.whole_action`), and only the other
actions are lexed token by token (:meth:`Lexer.action`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from kelm import recache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, Protocol

    class _Run(Protocol):
        """A pattern of one possibly empty run: it matches at every position."""

        def match(self, string: str, pos: int = 0) -> re.Match[str]: ...

# Token types.  Keywords come after KEYWORD, as in Go (item.String() depends on it).
ERROR = 0
BOOL = 1
CHAR = 2  # printable ASCII grab bag: ',' etc.
CHARCONST = 3
COMMENT = 4
COMPLEX = 5
ASSIGN = 6  # '='
DECLARE = 7  # ':='
EOF = 8
FIELD = 9
IDENT = 10
LEFT = 11
LPAREN = 12
NUMBER = 13
PIPE = 14
RAWSTRING = 15
RIGHT = 16
RPAREN = 17
SPACE = 18
STRING = 19
TEXT = 20
VARIABLE = 21
KEYWORD = 30
BLOCK = 31
BREAK = 32
CONTINUE = 33
DOT = 34
DEFINE = 35
ELSE = 36
END = 37
IF = 38
NIL = 39
RANGE = 40
TEMPLATE = 41
WITH = 42
# A whole action in one token ({{ .a.b }}, {{- include "x" . | nindent 4 }}, {{ if $x }},
# {{ else if eq .a 1 }}, {{ range $k, $v := .m }}, {{ template "x" . }}, {{ end }} ...): val is
# the match of _ACTION.  Pure fast path: the parser builds exactly the nodes the
# token-by-token path would.  run() (``lex``) makes one only when every identifier is a known
# function (or true/false/nil); the parser, which scans for whole actions itself, checks the
# names as it builds the nodes.
SIMPLE = 50

KEYWORDS = {
    ".": DOT,
    "block": BLOCK,
    "break": BREAK,
    "continue": CONTINUE,
    "define": DEFINE,
    "else": ELSE,
    "end": END,
    "if": IF,
    "range": RANGE,
    "nil": NIL,
    "template": TEMPLATE,
    "with": WITH,
}

SPACE_CHARS = " \t\r\n"
_SPACES = frozenset(SPACE_CHARS)


def _run(pattern: str) -> _Run:
    """``pattern`` (a ``[...]*`` run) compiled, typed as the never-failing matcher it is."""
    return recache.compile(pattern)  # type: ignore[return-value]  # match() of a run never fails


_ALNUM_RUN = _run(r"[\w]*")  # \w = letters, digits, underscore (unicode)
_SPACE_RUN = _run(r"[ \t\r\n]*")
_DIGIT_SETS = {
    10: _run(r"[0-9_]*"),
    16: _run(r"[0-9a-fA-F_]*"),
    8: _run(r"[0-7_]*"),
    2: _run(r"[01_]*"),
}
_DEC_RUN = _run(r"[0-9_]*")


# Common tokens inside an action, matched in one step (the general code handles the rest,
# including every error).
_FAST = recache.compile(r"""
 (?P<right>\}\})
|(?P<space>[ \t\r\n]+)
|(?P<field>\.[^\W\d]\w*)
|(?P<var>\$\w*)
|(?P<ident>[^\W\d]\w*)
|(?P<string>"(?:[^"\\\n]|\\[^\n])*")
|(?P<pipe>\|)
|(?P<lparen>\()
""", re.X)


_WS = "[ \t\r\n]"
_ID = r"[A-Za-z_]\w*+"
# One operand of a pipeline, lexed as the token-by-token path would (ASCII names only:
# the rest goes token by token).  Atomic: no shorter match of a word could be followed by a
# separator, so backtracking into it is only wasted time.
_PLAIN_WORD = rf"""(?>\.{_ID}(?:\.{_ID})*+|\$\w*+(?:\.{_ID})*+|\.|{_ID}
|"(?:[^"\\\n]++|\\[^\n])*+"|`[^`]*+`|[+-]?[0-9]++(?:\.[0-9]++)?)"""
_SEP = rf"(?:{_WS}++\|?+{_WS}*+|\|{_WS}*+)"  # between words: spaces and/or a pipe
_WORD = _PLAIN_WORD
for _ in range(2):  # or a parenthesized pipeline of such words, maybe with fields, 2 deep
    # (deeper ones are rare: one more level doubles the pattern and its compile time)
    _WORD = rf"""(?>{_PLAIN_WORD}
|\({_WS}*+{_WORD}(?:{_SEP}{_WORD})*+{_WS}*+\)(?:\.{_ID})*+)"""
_NAME = r"""(?:"(?:[^"\\\n]++|\\[^\n])*+"|`[^`]*+`)"""
# A whole action: operands separated by spaces or pipes, optionally declaring variables and
# led by if/range/with/else if/else with/template.
_ACTION = recache.compile(rf"""\{{\{{(?:-{_WS})?{_WS}*+
(?:(?P<kw>end|else)
|template{_WS}+(?P<tpl0>{_NAME})
|(?:(?:(?P<ctl>if|range|with)|else{_WS}+(?P<ectl>if|with)|template{_WS}+(?P<tpl>{_NAME})){_WS}+)?
 (?:(?P<d1>\$\w*+)(?:{_WS}*+,{_WS}*+(?P<d2>\$\w*+))?{_WS}*+(?P<op>:=|=){_WS}*+)?
 (?P<cmds>{_WORD}(?P<more>(?:{_SEP}{_WORD})++)?))
(?:{_WS}*+\}}\}}|{_WS}*?(?P<rt>{_WS}-)\}}\}}{_WS}*+)""", re.X | re.A)
# Identifiers of an _ACTION body (the group is empty for strings and field/variable names).
_IDENTS = recache.compile(r""""(?:[^"\\\n]++|\\[^\n])*+"|`[^`]*+`|[.$][\w.]*+|([A-Za-z_]\w*+)""",
                     re.A)
# Words that are never identifiers (keywords; break/continue are names when in funcs).
_RESERVED = frozenset(("block", "define", "else", "end", "if", "range", "template", "with"))
_LITERALS = frozenset(("true", "false", "nil"))
_NOT_NAMES = frozenset(".$\"`+-0123456789")  # a word starting so is no identifier
_TERMINATORS = frozenset(" \t\r\n.,|:)(}")


class Token:
    __slots__ = ("typ", "pos", "val")

    def __init__(self, typ: int, pos: int, val: Any) -> None:
        self.typ = typ
        self.pos = pos
        self.val = val

    def __repr__(self) -> str:
        return f"Token({self.typ}, {self.pos}, {self.val!r})"

    def describe(self) -> str:
        """Go's item.String(), used in ``unexpected X in Y`` messages."""
        if self.typ == EOF:
            return "EOF"
        if self.typ == ERROR:
            return self.val
        if self.typ > KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return go_quote(self.val[:10]) + "..."
        return go_quote(self.val)


def go_quote(s: str) -> str:
    """strconv.Quote: Go-syntax double-quoted string."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        elif ch == "\a":
            out.append("\\a")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\v":
            out.append("\\v")
        elif o < 0x80:
            out.append(f"\\x{o:02x}")
        elif is_print(ch):
            out.append(ch)
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def is_print(ch: str) -> bool:
    """unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space."""
    if ch == " ":
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "LMNPS"


def is_alnum(ch: str) -> bool:
    return ch == "_" or ch.isalpha() or unicodedata.category(ch) == "Nd"


def _unicode_repr(ch: str) -> str:
    """Go's %#U: U+0023 '#'."""
    o = ord(ch)
    s = f"U+{o:04X}"
    if is_print(ch):
        s += f" '{ch}'"
    return s


class Lexer:
    """Scans the whole input eagerly into ``tokens``."""

    def __init__(self, text: str, left: str = "{{", right: str = "}}",
                 break_ok: bool = True, continue_ok: bool = True,
                 funcs: Container[str] | None = None, whole_actions: bool = True) -> None:
        self.text = text
        self.funcs = funcs
        self.whole_actions = whole_actions
        self.known = set(_LITERALS) | {""}  # names vouch() has checked
        self.left = left or "{{"
        self.right = right or "}}"
        self.break_ok = break_ok
        self.continue_ok = continue_ok
        self.tokens: list[Token] = []
        self.paren_depth = 0

    # -- helpers ---------------------------------------------------------------
    def _emit(self, typ: int, start: int, end: int) -> None:
        self.tokens.append(Token(typ, start, self.text[start:end]))

    def _error(self, pos: int, msg: str) -> None:
        self.tokens.append(Token(ERROR, pos, msg))

    def _has_left_trim(self, i: int) -> bool:
        t = self.text
        return i + 1 < len(t) and t[i] == "-" and t[i + 1] in SPACE_CHARS

    def _at_right_delim(self, i: int) -> tuple[bool, bool]:
        t = self.text
        if (i + 1 < len(t) and t[i] in SPACE_CHARS and t[i + 1] == "-"
                and t.startswith(self.right, i + 2)):
            return True, True
        if t.startswith(self.right, i):
            return True, False
        return False, False

    def _skip_space(self, i: int) -> int:
        return _SPACE_RUN.match(self.text, i).end()

    # -- driver ----------------------------------------------------------------
    def run(self) -> list[Token]:
        """Lex the whole text (the parser's token-by-token mode; also ``lex``)."""
        t = self.text
        n = len(t)
        pos = 0
        tokens = self.tokens
        whole = self.whole_actions and self.left == "{{" and self.right == "}}"
        while True:
            x = t.find(self.left, pos)
            if x < 0:
                if pos < n:
                    tokens.append(Token(TEXT, pos, t[pos:]))
                tokens.append(Token(EOF, n, ""))
                return tokens
            if x > pos:
                text = self.text_before(pos, x)
                if text:
                    tokens.append(Token(TEXT, pos, text))
            if whole:
                m = self.whole_action(x)
                if m is not None:
                    tokens.append(Token(SIMPLE, x, m))  # at the "{{", as LEFT would be
                    pos = m.end()  # right trim included
                    continue
            pos = self.action(x)
            if pos < 0:
                return tokens

    def text_before(self, pos: int, x: int) -> str:
        """The text from pos to the left delimiter at x, without the spaces a trim marker
        after the delimiter removes."""
        t = self.text
        i = x + len(self.left)
        if t.startswith("-", i) and t[i + 1:i + 2] in _SPACES:
            return t[pos:x].rstrip(SPACE_CHARS)
        return t[pos:x]

    def whole_action(self, x: int) -> re.Match | None:
        """The match of a whole action at x (see SIMPLE), if there is one."""
        m = _ACTION.match(self.text, x)
        if m is None:
            return None
        words, more = m.group("cmds", "more")
        if words is None or (more is None and words[0] in _NOT_NAMES) or self.vouch(m):
            return m
        return None

    def vouch(self, m: re.Match) -> bool:
        """Every identifier of a whole action is a function (or true/false/nil): else the
        action goes token by token, where the parser reports the unknown name."""
        names = _IDENTS.findall(self.text, *m.span("cmds"))
        known = self.known
        if known.issuperset(names):
            return True
        funcs = self.funcs
        for w in names:
            if w not in known:
                if funcs is None or w not in funcs or w in _RESERVED:
                    return False
                known.add(w)
        return True

    def action(self, x: int) -> int:
        """Lex the action or comment at x (a left delimiter) token by token; return the
        offset after it, or -1 after an error token."""
        t = self.text
        i = x + len(self.left)
        after = i + 2 if self._has_left_trim(i) else i
        if t.startswith("/*", after):  # lexComment
            j = t.find("*/", after + 2)
            if j < 0:
                self._error(after, "unclosed comment")
                return -1
            j += 2
            delim, trim_r = self._at_right_delim(j)
            if not delim:
                self._error(after, "comment ends before closing delimiter")
                return -1
            if trim_r:
                j += 2
            j += len(self.right)
            if trim_r:
                j = self._skip_space(j)
            return j
        self.tokens.append(Token(LEFT, x, self.left))
        self.paren_depth = 0
        return self._inside_action(after)

    def _inside_action(self, i: int) -> int:
        """Lex an action body from i; return the position after the right delimiter,
        or -1 after emitting an error token."""
        t = self.text
        n = len(t)
        right = self.right
        emit = self._emit
        fast = _FAST.match if right == "}}" else None
        tokens = self.tokens
        while True:
            if fast is not None:
                m = fast(t, i)
                if m is not None:
                    kind = m.lastgroup
                    j = m.end()
                    if kind == "space":
                        if t.startswith("-}}", j):
                            j -= 1  # that space belongs to the " -}}" marker
                            if j == i:
                                m = None
                        if m is not None:
                            tokens.append(Token(SPACE, i, t[i:j]))
                            i = j
                            continue
                    elif kind == "right":
                        if self.paren_depth == 0:
                            tokens.append(Token(RIGHT, i, "}}"))
                            return j
                    elif kind == "string":
                        tokens.append(Token(STRING, i, t[i:j]))
                        i = j
                        continue
                    elif kind == "pipe":
                        tokens.append(Token(PIPE, i, "|"))
                        i = j
                        continue
                    elif kind == "lparen":
                        self.paren_depth += 1
                        tokens.append(Token(LPAREN, i, "("))
                        i = j
                        continue
                    elif j >= n or t[j] in _TERMINATORS and (
                            t[j] != "}" or t.startswith("}}", j)):  # a lone "}" is bad
                        word = t[i:j]
                        if kind == "field":
                            tokens.append(Token(FIELD, i, word))
                        elif kind == "var":
                            tokens.append(Token(VARIABLE, i, word))
                        else:
                            kw = KEYWORDS.get(word)
                            if kw is not None and kw > KEYWORD:
                                if (kw == BREAK and not self.break_ok) or (
                                        kw == CONTINUE and not self.continue_ok):
                                    kw = IDENT
                                tokens.append(Token(kw, i, word))
                            elif word == "true" or word == "false":
                                tokens.append(Token(BOOL, i, word))
                            else:
                                tokens.append(Token(IDENT, i, word))
                        i = j
                        continue
            delim, trim = self._at_right_delim(i)
            if delim:
                if self.paren_depth == 0:
                    start = i
                    if trim:
                        i += 2
                    rend = i + len(right)
                    self.tokens.append(Token(RIGHT, start if not trim else i, right))
                    if trim:
                        rend = self._skip_space(rend)
                    return rend
                self._error(i, "unclosed left paren")
                return -1
            if i >= n:
                self._error(i, "unclosed action")
                return -1
            c = t[i]
            if c in SPACE_CHARS:
                j = self._skip_space(i)
                # " -}}": the space belongs to the trim marker.
                d2, tr2 = self._at_right_delim(j - 1)
                if d2 and tr2:
                    if j - 1 == i:
                        continue  # only that one space: go to the delimiter
                    emit(SPACE, i, j - 1)
                    i = j - 1
                    continue
                emit(SPACE, i, j)
                i = j
                continue
            if c == "=":
                emit(ASSIGN, i, i + 1)
                i += 1
            elif c == ":":
                if i + 1 >= n or t[i + 1] != "=":
                    self._error(i, "expected :=")
                    return -1
                emit(DECLARE, i, i + 2)
                i += 2
            elif c == "|":
                emit(PIPE, i, i + 1)
                i += 1
            elif c == '"':
                j = i + 1
                while True:
                    if j >= n or t[j] == "\n":
                        self._error(i, "unterminated quoted string")
                        return -1
                    ch = t[j]
                    if ch == "\\":
                        if j + 1 >= n or t[j + 1] == "\n":
                            self._error(i, "unterminated quoted string")
                            return -1
                        j += 2
                        continue
                    j += 1
                    if ch == '"':
                        break
                emit(STRING, i, j)
                i = j
            elif c == "`":
                j = t.find("`", i + 1)
                if j < 0:
                    self._error(i, "unterminated raw quoted string")
                    return -1
                emit(RAWSTRING, i, j + 1)
                i = j + 1
            elif c == "$":
                i = self._field_or_var(i, VARIABLE)
                if i < 0:
                    return -1
            elif c == "'":
                j = i + 1
                while True:
                    if j >= n or t[j] == "\n":
                        self._error(i, "unterminated character constant")
                        return -1
                    ch = t[j]
                    if ch == "\\":
                        if j + 1 >= n or t[j + 1] == "\n":
                            self._error(i, "unterminated character constant")
                            return -1
                        j += 2
                        continue
                    j += 1
                    if ch == "'":
                        break
                emit(CHARCONST, i, j)
                i = j
            elif c == "." and not (i + 1 < n and "0" <= t[i + 1] <= "9"):
                i = self._field_or_var(i, FIELD)
                if i < 0:
                    return -1
            elif c in "+-.0123456789":
                i = self._number(i)
                if i < 0:
                    return -1
            elif is_alnum(c):
                j = _ALNUM_RUN.match(t, i).end()
                if not self._at_terminator(j):
                    self._error(i, f"bad character {_unicode_repr(t[j])}")
                    return -1
                word = t[i:j]
                kw = KEYWORDS.get(word)
                if kw is not None and kw > KEYWORD:
                    if (kw == BREAK and not self.break_ok) or (
                            kw == CONTINUE and not self.continue_ok):
                        emit(IDENT, i, j)
                    else:
                        emit(kw, i, j)
                elif word in ("true", "false"):
                    emit(BOOL, i, j)
                else:
                    emit(IDENT, i, j)
                i = j
            elif c == "(":
                self.paren_depth += 1
                emit(LPAREN, i, i + 1)
                i += 1
            elif c == ")":
                self.paren_depth -= 1
                if self.paren_depth < 0:
                    self._error(i, "unexpected right paren")
                    return -1
                emit(RPAREN, i, i + 1)
                i += 1
            elif ord(c) < 0x80 and is_print(c):
                emit(CHAR, i, i + 1)
                i += 1
            else:
                self._error(i, f"unrecognized character in action: {_unicode_repr(c)}")
                return -1

    def _at_terminator(self, j: int) -> bool:
        t = self.text
        if j >= len(t):
            return True
        r = t[j]
        if r in SPACE_CHARS or r in ".,|:)(":
            return True
        return t.startswith(self.right, j)

    def _field_or_var(self, i: int, typ: int) -> int:
        """Scan ``$name``/``.name`` (or bare ``$``/``.``) starting at the sigil at i."""
        j = i + 1
        if self._at_terminator(j):
            self._emit(VARIABLE if typ == VARIABLE else DOT, i, j)
            return j
        k = _ALNUM_RUN.match(self.text, j).end()
        if not self._at_terminator(k):
            self._error(i, f"bad character {_unicode_repr(self.text[k])}")
            return -1
        self._emit(typ, i, k)
        return k

    def _scan_number(self, i: int) -> tuple[bool, int]:
        t = self.text
        n = len(t)
        if i < n and t[i] in "+-":
            i += 1
        base = 10
        if i < n and t[i] == "0":
            i += 1
            if i < n and t[i] in "xX":
                base, i = 16, i + 1
            elif i < n and t[i] in "oO":
                base, i = 8, i + 1
            elif i < n and t[i] in "bB":
                base, i = 2, i + 1
        digits = _DIGIT_SETS[base]
        i = digits.match(t, i).end()
        if i < n and t[i] == ".":
            i = digits.match(t, i + 1).end()
        if base == 10 and i < n and t[i] in "eE":
            i += 1
            if i < n and t[i] in "+-":
                i += 1
            i = _DEC_RUN.match(t, i).end()
        if base == 16 and i < n and t[i] in "pP":
            i += 1
            if i < n and t[i] in "+-":
                i += 1
            i = _DEC_RUN.match(t, i).end()
        if i < n and t[i] == "i":
            i += 1
        if i < n and is_alnum(t[i]):
            return False, i + 1
        return True, i

    def _number(self, i: int) -> int:
        ok, j = self._scan_number(i)
        if not ok:
            self._error(i, f"bad number syntax: {go_quote(self.text[i:j])}")
            return -1
        t = self.text
        if j < len(t) and t[j] in "+-":
            ok, k = self._scan_number(j)
            if not ok or t[k - 1] != "i":
                self._error(i, f"bad number syntax: {go_quote(t[i:k])}")
                return -1
            self._emit(COMPLEX, i, k)
            return k
        self._emit(NUMBER, i, j)
        return j


def lex(text: str, break_ok: bool = True, continue_ok: bool = True) -> list[Token]:
    return Lexer(text, break_ok=break_ok, continue_ok=continue_ok).run()
