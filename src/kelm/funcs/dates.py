"""Sprig's date functions over Go's ``time`` model (kelm.golang.time)."""

from __future__ import annotations

from kelm.golang import time as gotime
from kelm.golang.time import NS, GoTime
from kelm.golang.value import GoError, GoFunc, GoInt, GoInt32, GoIntKind, gofunc

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound=Callable[..., Any])

FUNCS: dict[str, GoFunc] = {}


def _register(*names: str, sig: str) -> Callable[[_F], _F]:
    def wrap(fn: _F) -> _F:
        f = gofunc(sig)(fn)
        for n in names:
            FUNCS[n] = f
        return fn

    return wrap


def _is_int64(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, (bool, GoIntKind))


def _as_time(v: Any, *, int32: bool = True) -> GoTime:
    """Sprig's date argument: a time.Time, or Unix seconds as int/int64 (int32), else now."""
    if isinstance(v, GoTime):
        return v
    if _is_int64(v) or type(v) is GoInt or (int32 and type(v) is GoInt32):
        return gotime.unix(int(v))
    return gotime.now()


def _zone(name: str) -> gotime.Location:
    try:
        return gotime.load_location(name)
    except GoError:
        return gotime.UTC


@_register("date", sig="func(string, interface {}) string")
def date(layout: str, t: Any) -> str:
    return date_in_zone(layout, t, "Local")


@_register("dateInZone", "date_in_zone", sig="func(string, interface {}, string) string")
def date_in_zone(layout: str, t: Any, zone: str) -> str:
    return gotime.format_time(_as_time(t).In(_zone(zone)), layout)


@_register("htmlDate", sig="func(interface {}) string")
def html_date(t: Any) -> str:
    return date_in_zone("2006-01-02", t, "Local")


@_register("htmlDateInZone", sig="func(interface {}, string) string")
def html_date_in_zone(t: Any, zone: str) -> str:
    return date_in_zone("2006-01-02", t, zone)


@_register("dateModify", "date_modify", sig="func(string, time.Time) time.Time")
def date_modify(spec: str, t: GoTime) -> GoTime:
    try:
        d = gotime.parse_duration(spec)
    except GoError:
        return t
    return t.Add(d)


@_register("mustDateModify", "must_date_modify", sig="func(string, time.Time) (time.Time, error)")
def must_date_modify(spec: str, t: GoTime) -> GoTime:
    return t.Add(gotime.parse_duration(spec))


def _since(t: GoTime) -> int:
    return int(gotime.now().Sub(t))


@_register("ago", sig="func(interface {}) string")
def ago(t: Any) -> str:
    d = _since(_as_time(t, int32=False))
    return gotime.duration_string(gotime.round_duration(d, NS))


@_register("duration", sig="func(interface {}) string")
def duration(sec: Any) -> str:
    """Seconds (a decimal string or an int64 only) as a Go duration; anything else is 0s."""
    n = 0
    if isinstance(sec, str):
        n = _parse_int64(sec)
    elif _is_int64(sec):
        n = int(sec)
    return gotime.duration_string(gotime._wrap64(n * NS))


def _parse_int64(s: str) -> int:
    """strconv.ParseInt(s, 10, 64), ignoring the error like Sprig (out of range saturates)."""
    body = s[1:] if s[:1] in "+-" else s
    if not body or not body.isascii() or not body.isdigit():
        return 0
    n = int(s)
    return max(gotime.INT64_MIN, min(gotime.INT64_MAX, n))


_HOUR = 3600 * NS
_ROUND_UNITS = (
    (365 * 24 * _HOUR, "y"),
    (30 * 24 * _HOUR, "mo"),
    (24 * _HOUR, "d"),
    (_HOUR, "h"),
    (60 * NS, "m"),
    (NS, "s"),
)


@_register("durationRound", sig="func(interface {}) string")
def duration_round(v: Any) -> str:
    d = 0
    if isinstance(v, str):
        try:
            d = gotime.parse_duration(v)
        except GoError:
            d = 0
    elif _is_int64(v):
        d = int(v)
    elif isinstance(v, GoTime):
        d = _since(v)
    u = abs(d)
    for size, unit in _ROUND_UNITS:
        if u > size:
            return f"{u // size}{unit}"
    return "0s"


@_register("now", sig="func() time.Time")
def now() -> GoTime:
    return gotime.now()


@_register("toDate", sig="func(string, string) time.Time")
def to_date(layout: str, s: str) -> GoTime:
    try:
        return gotime.parse_time(layout, s, gotime.local())
    except GoError:
        return gotime.zero_time()


@_register("mustToDate", sig="func(string, string) (time.Time, error)")
def must_to_date(layout: str, s: str) -> GoTime:
    return gotime.parse_time(layout, s, gotime.local())


@_register("unixEpoch", sig="func(time.Time) string")
def unix_epoch(t: GoTime) -> str:
    return str(t.sec)
