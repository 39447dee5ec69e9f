"""TOML as Helm's ``toToml``/``fromToml`` see it (BurntSushi/toml encoder and decoder).

Encoder layout: in each table, plain keys first (sorted), then sub-tables and arrays of
tables (sorted); nested headers are indented two spaces per level; a blank line precedes
top-level tables and every ``[[array]]`` entry.  Floats print with Go's ``%g`` and gain
``.0`` when they would look like integers.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from kelm.golang.floats import format_g
from kelm.golang.value import RawText

from .jsonenc import StructObject, to_plain

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

_BARE = re.compile(r"[A-Za-z0-9_-]+\Z")
_TOML_ESC = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
             "\r": "\\r", "\x7f": "\\u007f"}
_NEEDS_ESC = re.compile(r'["\\\x00-\x1f\x7f]')


class TOMLError(ValueError):
    """Encoder/decoder failure; ``fatal`` ones abort rendering (Go panics in Helm)."""

    def __init__(self, message: str, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


def _quote(s: str) -> str:
    def esc(m: re.Match[str]) -> str:
        c = m.group()
        return _TOML_ESC.get(c) or f"\\u{ord(c):04x}"

    return '"' + _NEEDS_ESC.sub(esc, s) + '"'


def _key(k: str) -> str:
    return k if _BARE.match(k) else _quote(k)


def _is_table(v: Any) -> bool:
    return isinstance(v, dict)


def _is_array_of_tables(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _float(f: float) -> str:
    if f != f:
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    s = format_g(f)
    if "." not in s and "e" not in s:
        s += ".0"
    return s


def _value(v: Any) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, RawText):
        return str(v)
    if isinstance(v, str):
        return _quote(v)
    if isinstance(v, float):
        return _float(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        if any(x is None for x in v):
            raise TOMLError("toml: cannot encode array with nil element")
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        # BurntSushi writes ", " after every entry but the last of each group, counting
        # the nil entries it skips (hence "{a = 1, }").
        direct, sub = _groups(v)
        out = []
        for keys, trail in ((direct, bool(sub)), (sub, False)):
            for i, k in enumerate(keys):
                if v[k] is None:
                    continue
                out.append(f"{_key(k)} = {_value(v[k])}")
                if trail or i != len(keys) - 1:
                    out.append(", ")
        return "{" + "".join(out) + "}"
    raise TOMLError(f"toml: unsupported type {type(v).__name__}")


def _groups(d: dict) -> tuple[list[str], list[str]]:
    order = (lambda ks: list(ks)) if type(d) is StructObject else sorted  # structs: field order
    direct = order(k for k, v in d.items() if not (_is_table(v) or _is_array_of_tables(v)))
    sub = order(k for k, v in d.items() if _is_table(v) or _is_array_of_tables(v))
    return direct, sub


def _ordered(d: dict) -> list[tuple[str, Any]]:
    direct, sub = _groups(d)
    return [(k, d[k]) for k in direct + sub]


class _Enc:
    def __init__(self) -> None:
        self.out: list[str] = []

    def newline(self) -> None:
        if self.out:
            self.out.append("\n")

    def table_body(self, path: list[str], d: dict) -> None:
        for k, v in _ordered(d):
            if v is None:
                continue
            key = [*path, k]
            if _is_table(v):
                if len(key) == 1:
                    self.newline()
                self.out.append("  " * (len(key) - 1) + "[" + ".".join(map(_key, key)) + "]")
                self.newline()
                self.table_body(key, v)
            elif _is_array_of_tables(v):
                for item in v:
                    self.newline()
                    self.out.append(
                        "  " * (len(key) - 1) + "[[" + ".".join(map(_key, key)) + "]]"
                    )
                    self.newline()
                    self.table_body(key, item)
            else:
                self.out.append("  " * (len(key) - 1) + f"{_key(k)} = {_value(v)}")
                self.newline()


def dump_toml(obj: Any) -> str:
    """BurntSushi/toml ``Encoder.Encode`` text of a Go value (Helm ``toToml``)."""
    if obj is None:
        raise TOMLError("reflect: call of reflect.Value.Type on zero Value", fatal=True)
    try:
        data = to_plain(obj, nonfinite_ok=True, tag="toml")
    except ValueError as e:
        raise TOMLError(str(e)) from None
    if _is_array_of_tables(data):
        raise TOMLError("toml: top-level values must be Go maps or structs")
    if not isinstance(data, dict):
        return _value(data)
    enc = _Enc()
    enc.table_body([], data)
    return "".join(enc.out)


# -- reading ---------------------------------------------------------------------------------

def _convert(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _convert(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_convert(x) for x in v]
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        if not -(2**63) <= v < 2**63:
            raise TOMLError(f"toml: {v} is out of range for int64")
        return v
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        return _go_time(v)
    return v


def _go_time(v: Any) -> Any:
    from kelm.golang.time import UTC, GoTime, fixed_zone

    if isinstance(v, _dt.datetime):
        if v.tzinfo is None:
            loc = fixed_zone("datetime-local", 0)
            off = 0
        else:
            delta = v.utcoffset()
            off = int(delta.total_seconds()) if delta is not None else 0
            loc = UTC if off == 0 and v.tzinfo is _dt.UTC else fixed_zone("", off)
        naive = v.replace(tzinfo=None)
        sec = int((naive - _dt.datetime(1970, 1, 1)).total_seconds() // 1) - off
        return GoTime(sec, naive.microsecond * 1000, loc)
    if isinstance(v, _dt.date):
        days = (v - _dt.date(1970, 1, 1)).days
        return GoTime(days * 86400, 0, fixed_zone("date-local", 0))
    secs = v.hour * 3600 + v.minute * 60 + v.second
    year0 = -62167219200  # 0000-01-01T00:00:00Z: Go parses a bare time into year 0
    return GoTime(year0 + secs, v.microsecond * 1000, fixed_zone("time-local", 0))


def load_toml(text: str) -> dict:
    """Decode TOML (Helm ``fromToml``): ints int64, floats float64, datetimes time.Time.

    Strict TOML 1.0 goes through tomllib; what it refuses (or a float literal out of range,
    which tomllib reads as inf) is left to :mod:`kelm.yaml.tomlgo`, which accepts what
    BurntSushi accepts and words errors as BurntSushi does.
    """
    import tomllib

    from .tomlgo import TomlSyntaxError, loads

    try:
        data = tomllib.loads(text)
        if not _needs_go(data):
            return _convert(data)
    except tomllib.TOMLDecodeError:
        pass
    try:
        return _convert(loads(text))
    except TomlSyntaxError as e:
        raise TOMLError(str(e)) from None


def _needs_go(v: Any) -> bool:
    """Values tomllib took that BurntSushi rejects or reads differently (inf/nan literals go
    through the Go-like reader too, which keeps them)."""
    if isinstance(v, float):
        return math.isinf(v) or v != v
    if isinstance(v, int) and not isinstance(v, bool):
        return not -(2**63) <= v < 2**63
    if isinstance(v, dict):
        return any(_needs_go(x) for x in v.values())
    if isinstance(v, list):
        return any(_needs_go(x) for x in v)
    return False
