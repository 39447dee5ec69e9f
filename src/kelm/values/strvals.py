"""Helm's ``--set`` syntax (pkg/strvals): ``a.b=c,d[0].e={x,y}``, with Helm's typing and errors.

Four flavours share the parser: ``--set`` (typed: int64, bool, null), ``--set-string``
(everything a string), ``--set-json`` (JSON values) and ``--set-file`` (value = file path read
by a callback).  ``--set-literal`` has its own parser (:func:`parse_literal_into`): the whole
right-hand side is one string.  Errors are :class:`StrvalsError` with Helm's message.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

MAX_INDEX = 65536
MAX_NESTED_NAME_LEVEL = 30


class StrvalsError(ValueError):
    pass


class _EOF(Exception):
    """io.EOF: the input ended (not an error at the top level)."""


class _NotList(Exception):
    pass


class _Panic(Exception):
    """A Go runtime panic (recovered by the parser into ``unable to parse key: ...``)."""


def _go_type(v: Any) -> str:
    """The dynamic type Go's interface-conversion panic names (a nil interface is ``nil``)."""
    from kelm.golang.value import go_type

    return "nil" if v is None else go_type(v)


def _assert(v: Any, want: type, want_name: str) -> Any:
    if isinstance(v, want):
        return v
    raise _Panic(f"interface conversion: interface {{}} is {_go_type(v)}, not {want_name}")


def _goquote(s: str) -> str:
    """Go's %q (strconv.Quote); imported on error paths only."""
    from kelm.golang.fmt import quote

    return quote(s)


def typed_val(v: str, as_string: bool) -> Any:
    """``--set`` typing: bools and null case-insensitively, int64 without leading 0."""
    if as_string:
        return v
    low = v.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    if low == "null":
        return None
    if v == "0":
        return 0
    if v and v[0] != "0":
        try:
            body = v[1:] if v[0] in "+-" else v
            if body and body.isascii() and body.isdigit():
                iv = int(v)
                if -(2**63) <= iv < 2**63:
                    return iv
        except ValueError:
            pass
    return v


class _Scanner:
    def __init__(self, s: str) -> None:
        self.s = s
        self.i = 0

    def read(self) -> str | None:
        if self.i >= len(self.s):
            return None
        c = self.s[self.i]
        self.i += 1
        return c

    def unread(self) -> None:
        self.i -= 1

    def rest(self) -> str:
        return self.s[self.i :]


def _runes_until(sc: _Scanner, stop: str, escapes: bool = True) -> tuple[str, str | None, bool]:
    """Read until a stop rune; returns (text, stop rune or None, eof)."""
    out: list[str] = []
    while True:
        c = sc.read()
        if c is None:
            return "".join(out), None, True
        if c in stop:
            return "".join(out), c, False
        if escapes and c == "\\":
            n = sc.read()
            if n is None:
                return "".join(out), None, True
            out.append(n)
        else:
            out.append(c)


def _atoi(s: str) -> int:
    t = s[1:] if s[:1] in ("+", "-") else s
    if not t or not t.isascii() or not t.isdigit():
        raise StrvalsError(f'strconv.Atoi: parsing {_goquote(s)}: invalid syntax')
    v = int(s)
    if not -(2**63) <= v < 2**63:
        raise StrvalsError(f'strconv.Atoi: parsing {_goquote(s)}: value out of range')
    return v


def _set_index(lst: list[Any], index: int, val: Any) -> list[Any]:
    if index < 0:
        raise StrvalsError(f"negative {index} index not allowed")
    if index > MAX_INDEX:
        raise StrvalsError(
            f"index of {index} is greater than maximum supported index of {MAX_INDEX}"
        )
    if len(lst) <= index:
        lst = lst + [None] * (index + 1 - len(lst))
    lst[index] = val
    return lst


Reader = Callable[[str], "Any"]  # (a string: typing stays unimported)


class _Parser:
    def __init__(self, s: str, data: dict[str, Any], reader: Reader | None, jsonval: bool,
                 literal: bool = False) -> None:
        self.sc = _Scanner(s)
        self.data = data
        self.reader = reader
        self.jsonval = jsonval
        self.literal = literal

    def parse(self) -> None:
        while True:
            try:
                self.key(self.data, 0)
            except _EOF:
                return
            except RecursionError:  # Go's stack grows; kelm names the input instead
                raise StrvalsError("value is nested too deeply to parse") from None

    # -- keys ---------------------------------------------------------------------------
    def key(self, data: dict[str, Any], level: int) -> None:
        try:
            self._key(data, level)
        except _Panic as p:
            raise StrvalsError(f"unable to parse key: {p}") from None

    def _key(self, data: dict[str, Any], level: int) -> None:
        stop = "=[." if self.literal else "=[,."
        k, last, eof = _runes_until(self.sc, stop, escapes=not self.literal)
        if eof:
            if not k:
                raise _EOF()
            raise StrvalsError(f"key {_goquote(k)} has no value")
        if last == "[":
            try:
                i = self.key_index()
            except StrvalsError as e:
                raise StrvalsError(f"error parsing index: {e}") from None
            lst: list[Any] = []
            if k in data:
                lst = _assert(data[k], list, "[]interface {}")
            try:
                lst = self.list_item(lst, i, level)
            except _ListErr as le:
                if k:
                    data[k] = le.lst
                raise le.err from None
            if k:
                data[k] = lst
            return
        if last == "=":
            if self.literal:
                v = self.sc.rest()
                self.sc.i = len(self.sc.s)
                if k:
                    data[k] = v
                return
            if self.jsonval:
                if self.empty_val():
                    if k:
                        data[k] = None
                    return
                val = self.json_value()
                if k:
                    data[k] = val
                self.empty_val()
                return
            try:
                vl = self.val_list()
            except _EOF:
                if k:
                    data[k] = ""
                raise
            except _NotList:
                rs, _ = self.val()
                v = self.read_value(rs)
                if k:
                    data[k] = v
                return
            if k:
                data[k] = vl
            return
        if last == ",":
            if k:
                data[k] = ""
            raise StrvalsError(f"key {_goquote(k)} has no value (cannot end with ,)")
        # last == "."
        level += 1
        if level > MAX_NESTED_NAME_LEVEL:
            raise StrvalsError(
                "value name nested level is greater than maximum supported nested level "
                f"of {MAX_NESTED_NAME_LEVEL}"
            )
        inner: dict[str, Any] = {}
        if k in data:
            inner = _assert(data[k], dict, "map[string]interface {}")
        err: BaseException | None = None
        try:
            self.key(inner, level)
        except (StrvalsError, _EOF) as e:
            err = e
        if err is None and not inner:
            raise StrvalsError(f"key map {_goquote(k)} has no value")
        if inner and k:
            data[k] = inner
        if err is not None:
            raise err

    def key_index(self) -> int:
        v, _, eof = _runes_until(self.sc, "]", escapes=not self.literal)
        if eof:
            raise _EOF()
        return _atoi(v)

    def read_value(self, rs: str) -> Any:
        assert self.reader is not None
        return self.reader(rs)

    # -- list items -----------------------------------------------------------------------
    def list_item(self, lst: list[Any], i: int, level: int) -> list[Any]:
        if i < 0:
            raise _ListErr(lst, StrvalsError(f"negative {i} index not allowed"))
        k, last, eof = _runes_until(self.sc, "[.=", escapes=not self.literal)
        if k:
            raise _ListErr(
                lst, StrvalsError(f"unexpected data at end of array index: {_quote_runes(k)}")
            )
        if eof:
            raise _ListErr(lst, _EOF())
        try:
            if last == "=":
                if self.literal:
                    v = self.sc.rest()
                    self.sc.i = len(self.sc.s)
                    return _set_index(lst, i, v)
                if self.jsonval:
                    if self.empty_val():
                        return _set_index(lst, i, None)
                    val = self.json_value()
                    lst = _set_index(lst, i, val)
                    self.empty_val()
                    return lst
                try:
                    vl = self.val_list()
                except _EOF:
                    return _set_index(lst, i, "")
                except _NotList:
                    rs, _ = self.val()
                    return _set_index(lst, i, self.read_value(rs))
                return _set_index(lst, i, vl)
            if last == "[":
                try:
                    next_i = self.key_index()
                except StrvalsError as e:
                    raise StrvalsError(f"error parsing index: {e}") from None
                crt: list[Any] = []
                if len(lst) > i and lst[i] is not None:
                    crt = _assert(lst[i], list, "[]interface {}")
                try:
                    lst2 = self.list_item(crt, next_i, level)
                except _ListErr as le:
                    raise le.err from None
                return _set_index(lst, i, lst2)
            # "."
            inner: dict[str, Any] = {}
            if len(lst) > i:
                if isinstance(lst[i], dict):
                    inner = lst[i]
                else:
                    lst[i] = inner
            self.key(inner, level)
            return _set_index(lst, i, inner)
        except _ListErr:
            raise
        except (StrvalsError, _EOF) as e:
            raise _ListErr(lst, e) from None

    # -- values ---------------------------------------------------------------------------
    def empty_val(self) -> bool:
        while True:
            c = self.sc.read()
            if c is None:
                return True
            if c == ",":
                return True
            if not c.isspace():
                self.sc.unread()
                return False

    def json_value(self) -> Any:
        import json

        text = self.sc.rest()
        dec = json.JSONDecoder()
        stripped = len(text) - len(text.lstrip(" \t\r\n"))
        try:
            val, end = dec.raw_decode(text, stripped)
        except ValueError as e:
            raise StrvalsError(_json_error(text, e)) from None
        self.sc.i += end
        from kelm.values.yamlload import to_float64

        return to_float64(val)

    def val(self) -> tuple[str, bool]:
        v, _, eof = _runes_until(self.sc, ",")
        return v, eof

    def val_list(self) -> list[Any]:
        c = self.sc.read()
        if c is None:
            raise _EOF()
        if c != "{":
            self.sc.unread()
            raise _NotList()
        out: list[Any] = []
        while True:
            rs, last, eof = _runes_until(self.sc, ",}")
            if eof:
                raise StrvalsError("list must terminate with '}'")
            if last == "}":
                c = self.sc.read()
                if c is not None and c != ",":
                    self.sc.unread()
                out.append(self.read_value(rs))
                return out
            out.append(self.read_value(rs))


class _ListErr(Exception):
    """An error from list_item carrying the list as it was (Go returns both)."""

    def __init__(self, lst: list[Any], err: BaseException) -> None:
        self.lst = lst
        self.err = err


def _json_error(text: str, e: Any) -> str:
    if e.pos >= len(text.rstrip()):
        return "unexpected EOF"
    ch = text[e.pos]
    return f"invalid character {_goquote_char(ch)} looking for beginning of value"


def _quote_runes(s: str) -> str:
    """Go's %q of a []rune: each rune as a quoted character literal."""
    return "[" + " ".join(_goquote_char(c) for c in s) + "]"


def _goquote_char(ch: str) -> str:
    if ch == "'":
        return "'\\''"
    return f"'{ch}'"


def _typed_reader(as_string: bool) -> Reader:
    return lambda rs: typed_val(rs, as_string)


def parse_into(s: str, dest: dict[str, Any]) -> None:
    """``--set``: typed values merged into ``dest``."""
    _Parser(s, dest, _typed_reader(False), False).parse()


def parse_into_string(s: str, dest: dict[str, Any]) -> None:
    """``--set-string``."""
    _Parser(s, dest, _typed_reader(True), False).parse()


def parse_json(s: str, dest: dict[str, Any]) -> None:
    """``--set-json`` in ``key=JSON`` form."""
    _Parser(s, dest, None, True).parse()


def parse_into_file(s: str, dest: dict[str, Any], reader: Reader) -> None:
    """``--set-file``: the value is a path handed to ``reader``."""
    _Parser(s, dest, reader, False).parse()


def parse_literal_into(s: str, dest: dict[str, Any]) -> None:
    """``--set-literal``: the whole value after ``=`` is one string, no escapes."""
    _Parser(s, dest, None, False, literal=True).parse()


def parse(s: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    parse_into(s, out)
    return out
