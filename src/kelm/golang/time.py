"""Go's ``time`` package as templates see it: ``time.Time``, ``time.Duration``, layouts.

``GoTime`` is an instant (Unix seconds + nanoseconds, any year) with a location; calendar
arithmetic is done here (proleptic Gregorian, like Go) so years outside Python's datetime
range behave.  Zone offsets come from ``zoneinfo``.  Formatting and parsing follow Go's layout
language (reference time ``Mon Jan 2 15:04:05 MST 2006``) including its error messages.
"""

from __future__ import annotations

import datetime as _dt
import os
import time as _time
from collections.abc import Callable
from functools import lru_cache, partial

from kelm import clock
from kelm._slots import ValueRecord
from kelm.golang.value import (
    GoError,
    GoFunc,
    GoInt,
    GoIntKind,
    GoStruct,
    RawText,
    parse_signature,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

NS = 1_000_000_000
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
UNIX_TO_ABS = 62135596800  # seconds from 0001-01-01 to 1970-01-01
ZERO_UNIX = -UNIX_TO_ABS


# Go declares these parameters time.Duration (an int64 kind).  The engine converts template
# integer literals only for built-in integer type names, so they are declared int64 here.
_DURATION_ARG = "func(int64) time.Time"


class GoMethod(GoFunc):
    """A typed Go method on a value type: the engine binds it like any GoFunc class attribute
    (checking arguments against the signature); Python code calls it as a normal method."""

    __slots__ = ()

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        return partial(self.fn, obj)


def gomethod(sig: str) -> Callable[[Callable[..., Any]], GoMethod]:
    """Declare a method's Go signature (receiver excluded), e.g. ``func(string) string``."""
    params, result, returns_error = parse_signature(sig)

    def wrap(fn: Callable[..., Any]) -> GoMethod:
        return GoMethod(fn, params, result, returns_error, False)

    return wrap


def _wrap64(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


def _quote(s: str) -> str:
    """Go time's own quoting for error messages (non-ASCII/control bytes as \\xNN)."""
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ch < " ":
            for byte in ch.encode("utf-8", "surrogateescape"):
                out.append(f"\\x{byte:02x}")
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------- calendar

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_DAYS_BEFORE = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365)


def is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in(month: int, year: int) -> int:
    if month == 2 and is_leap(year):
        return 29
    return _DAYS_BEFORE[month] - _DAYS_BEFORE[month - 1]


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


class Month(GoIntKind):
    go_type = "time.Month"
    _go_fields = ()  # no fields, but methods: let templates call .String
    __slots__ = ()

    @gomethod("func() string")
    def String(self) -> str:  # noqa: N802 - Go method name
        return self.__go_string__()

    def __go_string__(self) -> str:
        if 1 <= self <= 12:
            return _MONTHS[self - 1]
        return f"%!Month({int(self)})"


class Weekday(GoIntKind):
    go_type = "time.Weekday"
    _go_fields = ()  # no fields, but methods: let templates call .String
    __slots__ = ()

    @gomethod("func() string")
    def String(self) -> str:  # noqa: N802 - Go method name
        return self.__go_string__()

    def __go_string__(self) -> str:
        if 0 <= self <= 6:
            return _DAYS[self]
        return f"%!Weekday({int(self)})"


# --------------------------------------------------------------------------- locations

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_MIN_PY, _MAX_PY = -62135596800 + 86400, 253402300799 - 86400


class Location(GoStruct):
    """Go's ``*time.Location``: a name plus a way to find (abbreviation, offset) at an instant."""

    go_type = "*time.Location"
    _go_fields = ()

    def __init__(self, name: str, fixed: tuple[str, int] | None = None, zone: Any = None) -> None:
        self.name = name
        self._fixed = fixed
        self._zone = zone

    def lookup(self, unix: int) -> tuple[str, int]:
        if self._fixed is not None:
            return self._fixed
        u = min(max(unix, _MIN_PY), _MAX_PY)
        dt = (_EPOCH + _dt.timedelta(seconds=u)).astimezone(self._zone)
        off = dt.utcoffset()
        return dt.tzname() or "", int(off.total_seconds()) if off is not None else 0

    def is_dst(self, unix: int) -> bool:
        if self._fixed is not None:
            return False
        u = min(max(unix, _MIN_PY), _MAX_PY)
        dst = (_EPOCH + _dt.timedelta(seconds=u)).astimezone(self._zone).dst()
        return bool(dst)

    def lookup_name(self, abbr: str, unix: int) -> int | None:
        """The offset of zone abbreviation ``abbr`` near ``unix`` (Go's lookupName), if any."""
        if self._fixed is not None:
            return self._fixed[1] if self._fixed[0] == abbr else None
        for probe in (0, 182 * 86400, -182 * 86400):
            name, off = self.lookup(unix + probe)
            if name == abbr:
                return off
        return None

    def __repr__(self) -> str:
        return f"Location({self.name!r})"

    def __go_string__(self) -> str:
        return self.name

    @gomethod("func() string")
    def String(self) -> str:  # noqa: N802 - Go method name
        return self.name


UTC = Location("UTC", fixed=("UTC", 0))


def fixed_zone(name: str, offset: int) -> Location:
    return Location(name, fixed=(name, offset))


@lru_cache(maxsize=256)
def _zoneinfo(name: str) -> Any:
    import zoneinfo

    # Like Go, read the file the name points at (Go joins paths: "Asia//Tokyo" works).
    paths = [name] if name.startswith("/") else [os.path.join(d, name) for d in zoneinfo.TZPATH]
    for path in paths:
        if os.path.isfile(path):
            with open(path, "rb") as f:
                return zoneinfo.ZoneInfo.from_file(f, key=name)
    return zoneinfo.ZoneInfo(name)


@lru_cache(maxsize=16)
def _local_for(tz: str | None) -> Location:
    if tz is None:
        # Go reads /etc/localtime here; kelm renders reproducibly in UTC (Go's name: "Local").
        return Location("Local", fixed=("UTC", 0))
    name = tz[1:] if tz.startswith(":") else tz
    if name and name != "UTC":
        try:
            return Location(name, zone=_zoneinfo(name))
        except Exception:  # noqa: BLE001 - Go falls back to UTC for any load failure
            pass
    return Location("UTC", fixed=("UTC", 0))


def local() -> Location:
    """Go's ``time.Local``: the zone named by $TZ; UTC when $TZ is unset, empty or unknown."""
    return _local_for(os.environ.get("TZ"))


def load_location(name: str) -> Location:
    """Go's ``time.LoadLocation``; raises GoError like Go when the zone is unknown."""
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return local()
    bad = ".." in name.split("/") or name.startswith("/") or "\\" in name or "\0" in name
    if not bad:
        try:
            return Location(name, zone=_zoneinfo(name))
        except Exception:  # noqa: BLE001
            pass
    if bad:
        raise GoError("time: invalid location name")
    raise GoError(f"unknown time zone {name}")


# --------------------------------------------------------------------------- durations


class Duration(GoIntKind):
    """Go's ``time.Duration`` (int64 nanoseconds) printing as ``1h2m3.5s``."""

    go_type = "time.Duration"
    _go_fields = ()  # no fields, but methods (.Hours, .String) callable from templates
    __slots__ = ()

    def __go_string__(self) -> str:
        return duration_string(int(self))

    def _split(self, unit: int) -> float:
        d = int(self)
        whole = abs(d) // unit * (1 if d >= 0 else -1)  # Go's / and % truncate toward zero
        return float(whole) + float(d - whole * unit) / unit

    @gomethod("func() float64")
    def Seconds(self) -> float:  # noqa: N802 - Go method name
        return self._split(NS)

    @gomethod("func() float64")
    def Minutes(self) -> float:  # noqa: N802
        return self._split(60 * NS)

    @gomethod("func() float64")
    def Hours(self) -> float:  # noqa: N802
        return self._split(3600 * NS)

    @gomethod("func() int64")
    def Milliseconds(self) -> int:  # noqa: N802
        return int(int(self) / 1_000_000)

    @gomethod("func() string")
    def String(self) -> str:  # noqa: N802
        return duration_string(int(self))


def _fmt_frac(v: int, prec: int) -> tuple[str, int]:
    digits = []
    printed = False
    for _ in range(prec):
        digit = v % 10
        printed = printed or digit != 0
        if printed:
            digits.append(str(digit))
        v //= 10
    s = ("." + "".join(reversed(digits))) if printed else ""
    return s, v


def duration_string(d: int) -> str:
    """Go's ``Duration.String``: ``72h3m0.5s``, ``1.5µs``, ``0s``."""
    d = int(d)
    neg = d < 0
    u = -d if neg else d
    if u < NS:
        if u == 0:
            return "0s"
        if u < 1_000:
            prec, unit = 0, "ns"
        elif u < 1_000_000:
            prec, unit = 3, "µs"
        else:
            prec, unit = 6, "ms"
        frac, u = _fmt_frac(u, prec)
        s = f"{u}{frac}{unit}"
    else:
        frac, u = _fmt_frac(u, 9)
        s = f"{u % 60}{frac}s"
        u //= 60
        if u > 0:
            s = f"{u % 60}m{s}"
            u //= 60
            if u > 0:
                s = f"{u}h{s}"
    return "-" + s if neg else s


_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": NS,
    "m": 60 * NS,
    "h": 3600 * NS,
}


def _leading_int(s: str) -> tuple[int, str, bool]:
    """Go's leadingInt: (value, rest, overflow)."""
    i, x = 0, 0
    while i < len(s) and "0" <= s[i] <= "9":
        if x > (1 << 63) // 10:
            return 0, s[i:], True
        x = x * 10 + ord(s[i]) - 48
        if x > 1 << 63:
            return 0, s[i:], True
        i += 1
    return x, s[i:], False


def parse_duration(s: str) -> int:
    """Go's ``time.ParseDuration`` (nanoseconds); GoError with Go's message on bad input."""
    orig = s
    invalid = GoError("time: invalid duration " + _quote(orig))
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if s == "":
        raise invalid
    d = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise invalid
        before = len(s)
        v, s, overflow = _leading_int(s)
        if overflow:
            raise invalid
        pre = before != len(s)
        post = False
        f, scale = 0, 1.0
        if s and s[0] == ".":
            s = s[1:]
            before = len(s)
            i, over = 0, False
            while i < len(s) and "0" <= s[i] <= "9":
                if not over:
                    if f > INT64_MAX // 10:
                        over = True
                    else:
                        y = f * 10 + ord(s[i]) - 48
                        if y > 1 << 63:
                            over = True
                        else:
                            f = y
                            scale *= 10
                i += 1
            s = s[i:]
            post = before != len(s)
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise GoError("time: missing unit in duration " + _quote(orig))
        u, s = s[:i], s[i:]
        unit = _UNITS.get(u)
        if unit is None:
            raise GoError("time: unknown unit " + _quote(u) + " in duration " + _quote(orig))
        if v > (1 << 63) // unit:
            raise invalid
        v *= unit
        if f > 0:
            v += int(float(f) * (float(unit) / scale))
            if v > 1 << 63:
                raise invalid
        d += v
        if d > 1 << 63:
            raise invalid
    if neg:
        return _wrap64(-d)
    if d > INT64_MAX:
        raise invalid
    return d


def round_duration(d: int, m: int) -> int:
    """Go's ``Duration.Round``."""
    if m <= 0:
        return d
    r = abs(d) % m  # Go's % truncates toward zero; work on magnitudes
    if d < 0:
        if r + r < m:
            return d + r
        d1 = d - m + r
        return d1 if d1 >= INT64_MIN else INT64_MIN
    if r + r < m:
        return d - r
    d1 = d + m - r
    return d1 if d1 <= INT64_MAX else INT64_MAX


# --------------------------------------------------------------------------- layouts

# std chunk kinds
(
    LONG_MONTH,
    MONTH,
    NUM_MONTH,
    ZERO_MONTH,
    LONG_WEEKDAY,
    WEEKDAY,
    DAY,
    UNDER_DAY,
    ZERO_DAY,
    UNDER_YEARDAY,
    ZERO_YEARDAY,
    HOUR,
    HOUR12,
    ZERO_HOUR12,
    MINUTE,
    ZERO_MINUTE,
    SECOND,
    ZERO_SECOND,
    LONG_YEAR,
    YEAR,
    PM,
    LPM,
    TZ,
    ISO_TZ,
    ISO_SECONDS_TZ,
    ISO_SHORT_TZ,
    ISO_COLON_TZ,
    ISO_COLON_SECONDS_TZ,
    NUM_TZ,
    NUM_SECONDS_TZ,
    NUM_SHORT_TZ,
    NUM_COLON_TZ,
    NUM_COLON_SECONDS_TZ,
    FRAC0,
    FRAC9,
) = range(1, 36)

_STD0X = (ZERO_MONTH, ZERO_DAY, ZERO_HOUR12, ZERO_MINUTE, ZERO_SECOND, YEAR)
_ISO = (ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ)


class Std(ValueRecord):
    """One layout element: its kind, and for fractional seconds the digits and separator."""

    __slots__ = ("kind", "ndigits", "sep")

    def __init__(self, kind: int, ndigits: int = 0, sep: str = ".") -> None:
        self.kind = kind
        self.ndigits = ndigits  # fractional seconds: digits in the layout
        self.sep = sep  # fractional seconds: '.' or ','


def _lower_start(s: str) -> bool:
    return bool(s) and "a" <= s[0] <= "z"


def _isdigit(s: str, i: int) -> bool:
    return i < len(s) and "0" <= s[i] <= "9"


def next_std_chunk(layout: str) -> tuple[str, Std | None, str]:
    """Split ``layout`` at its first layout element: (prefix, element, suffix)."""
    n = len(layout)
    for i, c in enumerate(layout):
        rest = layout[i:]
        if c == "J":
            if rest.startswith("Jan"):
                if rest.startswith("January"):
                    return layout[:i], Std(LONG_MONTH), layout[i + 7 :]
                if not _lower_start(layout[i + 3 :]):
                    return layout[:i], Std(MONTH), layout[i + 3 :]
        elif c == "M":
            if rest.startswith("Mon"):
                if rest.startswith("Monday"):
                    return layout[:i], Std(LONG_WEEKDAY), layout[i + 6 :]
                if not _lower_start(layout[i + 3 :]):
                    return layout[:i], Std(WEEKDAY), layout[i + 3 :]
            if rest.startswith("MST"):
                return layout[:i], Std(TZ), layout[i + 3 :]
        elif c == "0":
            if i + 1 < n and "1" <= layout[i + 1] <= "6":
                return layout[:i], Std(_STD0X[ord(layout[i + 1]) - 49]), layout[i + 2 :]
            if rest.startswith("002"):
                return layout[:i], Std(ZERO_YEARDAY), layout[i + 3 :]
        elif c == "1":
            if rest.startswith("15"):
                return layout[:i], Std(HOUR), layout[i + 2 :]
            return layout[:i], Std(NUM_MONTH), layout[i + 1 :]
        elif c == "2":
            if rest.startswith("2006"):
                return layout[:i], Std(LONG_YEAR), layout[i + 4 :]
            return layout[:i], Std(DAY), layout[i + 1 :]
        elif c == "_":
            if rest.startswith("_2"):
                if rest.startswith("_2006"):
                    return layout[: i + 1], Std(LONG_YEAR), layout[i + 5 :]
                return layout[:i], Std(UNDER_DAY), layout[i + 2 :]
            if rest.startswith("__2"):
                return layout[:i], Std(UNDER_YEARDAY), layout[i + 3 :]
        elif c == "3":
            return layout[:i], Std(HOUR12), layout[i + 1 :]
        elif c == "4":
            return layout[:i], Std(MINUTE), layout[i + 1 :]
        elif c == "5":
            return layout[:i], Std(SECOND), layout[i + 1 :]
        elif c == "P":
            if rest.startswith("PM"):
                return layout[:i], Std(PM), layout[i + 2 :]
        elif c == "p":
            if rest.startswith("pm"):
                return layout[:i], Std(LPM), layout[i + 2 :]
        elif c == "-":
            for pat, kind in (
                ("-070000", NUM_SECONDS_TZ),
                ("-07:00:00", NUM_COLON_SECONDS_TZ),
                ("-0700", NUM_TZ),
                ("-07:00", NUM_COLON_TZ),
                ("-07", NUM_SHORT_TZ),
            ):
                if rest.startswith(pat):
                    return layout[:i], Std(kind), layout[i + len(pat) :]
        elif c == "Z":
            for pat, kind in (
                ("Z070000", ISO_SECONDS_TZ),
                ("Z07:00:00", ISO_COLON_SECONDS_TZ),
                ("Z0700", ISO_TZ),
                ("Z07:00", ISO_COLON_TZ),
                ("Z07", ISO_SHORT_TZ),
            ):
                if rest.startswith(pat):
                    return layout[:i], Std(kind), layout[i + len(pat) :]
        elif c in ".,":
            if i + 1 < n and layout[i + 1] in "09":
                ch = layout[i + 1]
                j = i + 1
                while j < n and layout[j] == ch:
                    j += 1
                if not _isdigit(layout, j):
                    kind = FRAC0 if ch == "0" else FRAC9
                    return layout[:i], Std(kind, j - (i + 1), c), layout[j:]
    return layout, None, ""


def _pad(v: int, width: int) -> str:
    if v < 0:
        return "-" + str(-v).rjust(width, "0")
    return str(v).rjust(width, "0")


def _frac(nsec: int, std: Std) -> str:
    trim = std.kind == FRAC9
    n = std.ndigits
    if trim and (n == 0 or nsec == 0):
        return ""
    digits = _pad(nsec, 9)
    if n < 9:
        digits = digits[:n]
    s = std.sep + digits
    if trim:
        s = s.rstrip("0")
        if s == std.sep:
            return ""
    return s


def _tz_num(offset: int, kind: int) -> str:
    if offset == 0 and kind in _ISO:
        return "Z"
    zone = offset // 60 if offset >= 0 else -((-offset) // 60)
    absoff = offset
    out = []
    if zone < 0:
        out.append("-")
        zone = -zone
        absoff = -absoff
    else:
        out.append("+")
    out.append(_pad(zone // 60, 2))
    if kind in (ISO_COLON_TZ, NUM_COLON_TZ, ISO_COLON_SECONDS_TZ, NUM_COLON_SECONDS_TZ):
        out.append(":")
    if kind not in (NUM_SHORT_TZ, ISO_SHORT_TZ):
        out.append(_pad(zone % 60, 2))
    if kind in (ISO_SECONDS_TZ, NUM_SECONDS_TZ, NUM_COLON_SECONDS_TZ, ISO_COLON_SECONDS_TZ):
        if kind in (NUM_COLON_SECONDS_TZ, ISO_COLON_SECONDS_TZ):
            out.append(":")
        out.append(_pad(absoff % 60, 2))
    return "".join(out)


# --------------------------------------------------------------------------- time.Time


_TOML_LOCAL = {  # BurntSushi/toml's zone-less kinds (what fromToml gives those values)
    "datetime-local": "2006-01-02T15:04:05.999999999",
    "date-local": "2006-01-02",
    "time-local": "15:04:05.999999999",
}


class GoTime(GoStruct):
    """Go's ``time.Time``: ``sec``/``nsec`` since the Unix epoch, a location, maybe a
    monotonic reading (``mono``, ns since process start; only ``now`` sets it)."""

    go_type = "time.Time"
    _go_fields = ()
    _go_state = ("sec", "nsec", "mono", "loc_name")  # what reflect.DeepEqual compares
    __slots__ = ("sec", "nsec", "loc", "mono")

    @property
    def loc_name(self) -> str:
        return self.loc.name

    def __init__(
        self, sec: int, nsec: int = 0, loc: Location | None = None, mono: int | None = None
    ):
        sec += nsec // NS
        self.sec = sec
        self.nsec = nsec % NS
        self.loc = loc if loc is not None else UTC
        self.mono = mono

    # ---- helpers
    def _zone(self) -> tuple[str, int]:
        return self.loc.lookup(self.sec)

    def _local_sec(self) -> int:
        return self.sec + self._zone()[1]

    def _date(self) -> tuple[int, int, int]:
        return civil_from_days(self._local_sec() // 86400)

    def _clock(self) -> tuple[int, int, int]:
        s = self._local_sec() % 86400
        return s // 3600, s % 3600 // 60, s % 60

    def _with(self, sec: int, nsec: int, loc: Location | None = None, keep_mono: bool = False):
        return GoTime(sec, nsec, loc or self.loc, self.mono if keep_mono else None)

    def __repr__(self) -> str:
        return f"GoTime({self.__go_string__()!r})"

    def __eq__(self, other: object) -> bool:
        # Go's == on time.Time compares wall, ext and location pointer.
        return isinstance(other, GoTime) and (self.sec, self.nsec, self.loc.name, self.mono) == (
            other.sec,
            other.nsec,
            other.loc.name,
            other.mono,
        )

    def __hash__(self) -> int:
        return hash((self.sec, self.nsec))

    def __go_truth__(self) -> bool:
        return True  # a struct is never "empty" for if/with

    def __go_string__(self) -> str:
        s = self.Format("2006-01-02 15:04:05.999999999 -0700 MST")
        if self.mono is not None:
            m = self.mono
            sign = "+" if m >= 0 else "-"
            m = abs(m)
            m1, m2 = divmod(m, NS)
            m0, m1 = divmod(m1, NS)
            head = f"{m0}{m1:09d}" if m0 else str(m1)
            s += f" m={sign}{head}.{m2:09d}"
        return s

    def __go_json__(self) -> str:
        """MarshalJSON: RFC 3339 with nanoseconds, quoted."""
        return '"' + self.Format("2006-01-02T15:04:05.999999999Z07:00") + '"'

    def __go_gostring__(self) -> str:
        """GoString (``%#v``): ``time.Date(2020, time.January, 2, 3, 4, 5, 0, time.UTC)``."""
        from kelm.golang.fmt import quote

        y, mo, d = self._date()
        h, mi, sec = self._clock()
        if self.loc is UTC:
            zone = "time.UTC"
        elif self.loc is local():
            zone = "time.Local"
        else:
            zone = f"time.Location({quote(self.loc.name)})"
        return f"time.Date({y}, time.{_MONTHS[mo - 1]}, {d}, {h}, {mi}, {sec}, {self.nsec}, {zone})"

    def __go_toml__(self) -> Any:
        """BurntSushi/toml writes a time.Time as a bare datetime (local kinds from fromToml
        without their zone)."""
        layout = _TOML_LOCAL.get(self.loc_name)
        if layout is None:
            return RawText(self.Format("2006-01-02T15:04:05.999999999Z07:00"))
        return RawText(format_time(self._with(self.sec, self.nsec, UTC), layout))

    # ---- Go methods
    @gomethod("func() string")
    def GoString(self) -> str:  # noqa: N802 - Go method name
        return self.__go_gostring__()

    @gomethod("func() ([]uint8, error)")
    def MarshalJSON(self) -> bytes:  # noqa: N802
        return self.__go_json__().encode()

    @gomethod("func() ([]uint8, error)")
    def MarshalText(self) -> bytes:  # noqa: N802
        return self.Format("2006-01-02T15:04:05.999999999Z07:00").encode()

    @gomethod("func([]uint8, string) []uint8")
    def AppendFormat(self, b: bytes, layout: str) -> bytes:  # noqa: N802
        return bytes(b) + self.Format(layout).encode()

    @gomethod("func(string) string")
    def Format(self, layout: str) -> str:  # noqa: N802 - Go method name
        return format_time(self, layout)

    @gomethod("func() string")
    def String(self) -> str:  # noqa: N802
        return self.__go_string__()

    @gomethod("func() int64")
    def Unix(self) -> int:  # noqa: N802
        return self.sec

    @gomethod("func() int64")
    def UnixMilli(self) -> int:  # noqa: N802
        return self.sec * 1000 + self.nsec // 1_000_000

    @gomethod("func() int64")
    def UnixMicro(self) -> int:  # noqa: N802
        return self.sec * 1_000_000 + self.nsec // 1000

    @gomethod("func() int64")
    def UnixNano(self) -> int:  # noqa: N802
        return _wrap64(self.sec * NS + self.nsec)

    @gomethod("func() time.Time")
    def UTC(self) -> GoTime:  # noqa: N802
        return self._with(self.sec, self.nsec, UTC)

    @gomethod("func() time.Time")
    def Local(self) -> GoTime:  # noqa: N802
        return self._with(self.sec, self.nsec, local())

    @gomethod("func(*time.Location) time.Time")
    def In(self, loc: Location) -> GoTime:  # noqa: N802
        return self._with(self.sec, self.nsec, loc)

    @gomethod("func() *time.Location")
    def Location(self) -> Location:  # noqa: N802
        return self.loc

    @gomethod("func() int")
    def Year(self) -> int:  # noqa: N802
        return _goint(self._date()[0])

    @gomethod("func() time.Month")
    def Month(self) -> Month:  # noqa: N802
        return Month(self._date()[1])

    @gomethod("func() int")
    def Day(self) -> int:  # noqa: N802
        return _goint(self._date()[2])

    @gomethod("func() int")
    def Hour(self) -> int:  # noqa: N802
        return _goint(self._clock()[0])

    @gomethod("func() int")
    def Minute(self) -> int:  # noqa: N802
        return _goint(self._clock()[1])

    @gomethod("func() int")
    def Second(self) -> int:  # noqa: N802
        return _goint(self._clock()[2])

    @gomethod("func() int")
    def Nanosecond(self) -> int:  # noqa: N802
        return _goint(self.nsec)

    @gomethod("func() int")
    def YearDay(self) -> int:  # noqa: N802
        y, m, d = self._date()
        return _goint(_yday(y, m, d))

    @gomethod("func() time.Weekday")
    def Weekday(self) -> Weekday:  # noqa: N802
        return Weekday((self._local_sec() // 86400 + 4) % 7)

    @gomethod("func() bool")
    def IsDST(self) -> bool:  # noqa: N802
        return self.loc.is_dst(self.sec)

    @gomethod("func() bool")
    def IsZero(self) -> bool:  # noqa: N802
        return self.sec == ZERO_UNIX and self.nsec == 0

    @gomethod(_DURATION_ARG)
    def Add(self, d: int) -> GoTime:  # noqa: N802
        mono = self.mono + d if self.mono is not None else None
        return GoTime(self.sec + d // NS, self.nsec + d % NS, self.loc, mono)

    @gomethod("func(time.Time) time.Duration")
    def Sub(self, u: GoTime) -> Duration:  # noqa: N802
        if self.mono is not None and u.mono is not None:
            d = self.mono - u.mono
        else:
            d = (self.sec - u.sec) * NS + (self.nsec - u.nsec)
        return Duration(max(INT64_MIN, min(INT64_MAX, d)))

    @gomethod("func(int, int, int) time.Time")
    def AddDate(self, years: int, months: int, days: int) -> GoTime:  # noqa: N802
        y, m, d = self._date()
        hh, mm, ss = self._clock()
        return date(y + years, m + months, d + days, hh, mm, ss, self.nsec, self.loc)

    @gomethod("func(time.Time) bool")
    def Before(self, u: GoTime) -> bool:  # noqa: N802
        return (self.sec, self.nsec) < (u.sec, u.nsec)

    @gomethod("func(time.Time) bool")
    def After(self, u: GoTime) -> bool:  # noqa: N802
        return (self.sec, self.nsec) > (u.sec, u.nsec)

    @gomethod("func(time.Time) bool")
    def Equal(self, u: GoTime) -> bool:  # noqa: N802
        return (self.sec, self.nsec) == (u.sec, u.nsec)

    @gomethod("func(time.Time) int")
    def Compare(self, u: GoTime) -> int:  # noqa: N802
        a, b = (self.sec, self.nsec), (u.sec, u.nsec)
        return _goint((a > b) - (a < b))

    @gomethod(_DURATION_ARG)
    def Truncate(self, d: int) -> GoTime:  # noqa: N802
        if d <= 0:
            return self._with(self.sec, self.nsec)
        r = self._abs_ns() % d
        return self._with(self.sec, self.nsec - r)

    @gomethod(_DURATION_ARG)
    def Round(self, d: int) -> GoTime:  # noqa: N802
        if d <= 0:
            return self._with(self.sec, self.nsec)
        r = self._abs_ns() % d
        if r + r < d:
            return self._with(self.sec, self.nsec - r)
        return self._with(self.sec, self.nsec + d - r)

    def _abs_ns(self) -> int:
        return (self.sec + UNIX_TO_ABS) * NS + self.nsec


def _goint(n: int) -> int:
    return GoInt(n)


def _yday(y: int, m: int, d: int) -> int:
    yd = _DAYS_BEFORE[m - 1] + d
    if m > 2 and is_leap(y):
        yd += 1
    return yd


def zero_time() -> GoTime:
    return GoTime(ZERO_UNIX, 0, UTC)


_MONO_START = _time.monotonic_ns()


def now() -> GoTime:
    ns = clock.time_ns()
    return GoTime(ns // NS, ns % NS, local(), _time.monotonic_ns() - _MONO_START + 1)


def unix(sec: int, nsec: int = 0) -> GoTime:
    """Go's ``time.Unix`` (in the local zone)."""
    return GoTime(sec, nsec, local())


def date(
    year: int, month: int, day: int, hour: int, minute: int, sec: int, nsec: int, loc: Location
) -> GoTime:
    """Go's ``time.Date``: normalizes overflowing fields, resolves the wall clock in ``loc``."""
    m = month - 1
    year += m // 12
    m %= 12
    sec += nsec // NS
    nsec %= NS
    minute += sec // 60
    sec %= 60
    hour += minute // 60
    minute %= 60
    day += hour // 24
    hour %= 24
    days = days_from_civil(year, m + 1, 1) + day - 1
    wall = days * 86400 + hour * 3600 + minute * 60 + sec
    _, off = loc.lookup(wall)
    if off:
        utc = wall - off
        _, off2 = loc.lookup(utc)
        if off2 != off:
            off = off2
        wall -= off
    return GoTime(wall, nsec, loc)


def format_time(t: GoTime, layout: str) -> str:
    """Go's ``Time.Format``."""
    name, offset = t._zone()
    lsec = t.sec + offset
    days = lsec // 86400
    year, month, day = civil_from_days(days)
    s = lsec % 86400
    hour, minute, second = s // 3600, s % 3600 // 60, s % 60
    out: list[str] = []
    while layout:
        prefix, std, layout = next_std_chunk(layout)
        out.append(prefix)
        if std is None:
            break
        k = std.kind
        if k == YEAR:
            out.append(_pad(abs(year) % 100, 2))
        elif k == LONG_YEAR:
            out.append(_pad(year, 4))
        elif k == MONTH:
            out.append(_MONTHS[month - 1][:3])
        elif k == LONG_MONTH:
            out.append(_MONTHS[month - 1])
        elif k == NUM_MONTH:
            out.append(str(month))
        elif k == ZERO_MONTH:
            out.append(_pad(month, 2))
        elif k == WEEKDAY:
            out.append(_DAYS[(days + 4) % 7][:3])
        elif k == LONG_WEEKDAY:
            out.append(_DAYS[(days + 4) % 7])
        elif k == DAY:
            out.append(str(day))
        elif k == UNDER_DAY:
            out.append(str(day).rjust(2))
        elif k == ZERO_DAY:
            out.append(_pad(day, 2))
        elif k == UNDER_YEARDAY:
            out.append(str(_yday(year, month, day)).rjust(3))
        elif k == ZERO_YEARDAY:
            out.append(_pad(_yday(year, month, day), 3))
        elif k == HOUR:
            out.append(_pad(hour, 2))
        elif k in (HOUR12, ZERO_HOUR12):
            hr = hour % 12 or 12
            out.append(str(hr) if k == HOUR12 else _pad(hr, 2))
        elif k == MINUTE:
            out.append(str(minute))
        elif k == ZERO_MINUTE:
            out.append(_pad(minute, 2))
        elif k == SECOND:
            out.append(str(second))
        elif k == ZERO_SECOND:
            out.append(_pad(second, 2))
        elif k == PM:
            out.append("PM" if hour >= 12 else "AM")
        elif k == LPM:
            out.append("pm" if hour >= 12 else "am")
        elif k == TZ:
            if name:
                out.append(name)
            else:
                zone = offset // 60 if offset >= 0 else -((-offset) // 60)
                sign = "-" if zone < 0 else "+"
                zone = abs(zone)
                out.append(sign + _pad(zone // 60, 2) + _pad(zone % 60, 2))
        elif k in (FRAC0, FRAC9):
            out.append(_frac(t.nsec, std))
        else:
            out.append(_tz_num(offset, k))
    return "".join(out)


# --------------------------------------------------------------------------- parsing


class _Bad(Exception):
    pass


def _getnum(s: str, fixed: bool) -> tuple[int, str]:
    if not _isdigit(s, 0):
        raise _Bad
    if not _isdigit(s, 1):
        if fixed:
            raise _Bad
        return ord(s[0]) - 48, s[1:]
    return (ord(s[0]) - 48) * 10 + ord(s[1]) - 48, s[2:]


def _getnum3(s: str, fixed: bool) -> tuple[int, str]:
    n, i = 0, 0
    while i < 3 and _isdigit(s, i):
        n = n * 10 + ord(s[i]) - 48
        i += 1
    if i == 0 or (fixed and i != 3):
        raise _Bad
    return n, s[i:]


def _atoi(s: str) -> int:
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    q, rem, overflow = _leading_int(s)
    if overflow or rem:
        raise _Bad
    return -q if neg else q


def _lookup(tab: tuple[str, ...], val: str) -> tuple[int, str]:
    for i, v in enumerate(tab):
        if len(val) >= len(v) and val[: len(v)].lower() == v.lower():
            return i, val[len(v) :]
    raise _Bad


def _cutspace(s: str) -> str:
    return s.lstrip(" ")


def _skip(value: str, prefix: str) -> tuple[str, bool]:
    """Consume ``prefix`` from ``value`` (a space matches any run of spaces); the value left
    where matching stopped, and whether it all matched."""
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                return value, False
            prefix = _cutspace(prefix)
            value = _cutspace(value)
            continue
        if not value or value[0] != prefix[0]:
            return value, False
        prefix, value = prefix[1:], value[1:]
    return value, True


def _parse_nanos(value: str, nbytes: int) -> tuple[int, str]:
    """(nanoseconds, range error) of ``.ddd`` in the first ``nbytes`` characters."""
    if value[0] not in ".,":
        raise _Bad
    if nbytes > 10:
        value = value[:10]
        nbytes = 10
    ns = _atoi(value[1:nbytes])
    if ns < 0:
        return 0, "fractional second"
    return ns * 10 ** (10 - nbytes), ""


def _parse_signed_offset(value: str) -> int:
    if not value or value[0] not in "+-":
        return 0
    x, rem, overflow = _leading_int(value[1:])
    if overflow or value[1:] == rem or x > 23:
        return 0
    return len(value) - len(rem)


def _parse_tz_name(value: str) -> int:
    """Length of a zone abbreviation at the start of ``value`` (0 if none)."""
    if len(value) < 3:
        return 0
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value[:3] == "GMT":
        return 3 + (_parse_signed_offset(value[3:]) if len(value) > 3 else 0)
    if value[0] in "+-":
        return _parse_signed_offset(value)
    n = 0
    while n < 6 and n < len(value) and "A" <= value[n] <= "Z":
        n += 1
    if n == 5 and value[4] == "T":
        return 5
    if n == 4 and (value[3] == "T" or value[:4] == "WITA"):
        return 4
    if n == 3:
        return 3
    return 0


_SHORT_MONTHS = tuple(m[:3] for m in _MONTHS)
_SHORT_DAYS = tuple(d[:3] for d in _DAYS)


def _unbytes(s: str) -> str:
    return s.encode("latin-1").decode("utf-8", "surrogateescape")


def _perr(layout: str, value: str, lelem: str, velem: str, msg: str = "") -> GoError:
    layout, value, lelem, velem = map(_unbytes, (layout, value, lelem, velem))
    if msg:
        return GoError("parsing time " + _quote(value) + msg)
    return GoError(
        "parsing time "
        + _quote(value)
        + " as "
        + _quote(layout)
        + ": cannot parse "
        + _quote(velem)
        + " as "
        + _quote(lelem)
    )


def parse_time(layout: str, value: str, loc: Location | None = None) -> GoTime:
    """Go's ``time.ParseInLocation`` (``loc`` defaults to UTC, as ``time.Parse``)."""
    # Go compares bytes: work on one character per UTF-8 byte.
    layout = layout.encode("utf-8", "surrogateescape").decode("latin-1")
    value = value.encode("utf-8", "surrogateescape").decode("latin-1")
    default = loc if loc is not None else UTC
    zone_local = loc if loc is not None else local()
    alayout, avalue = layout, value
    am = pm = False
    year, month, day, yday = 0, -1, -1, -1
    hour = minute = sec = nsec = 0
    z: Location | None = None
    zone_offset = -1
    zone_name = ""
    while True:
        prefix, std, suffix = next_std_chunk(layout)
        stdstr = layout[len(prefix) : len(layout) - len(suffix)]
        value, ok = _skip(value, prefix)
        if not ok:
            raise _perr(alayout, avalue, prefix, value)
        if std is None:
            if value:
                raise _perr(alayout, avalue, "", value, ": extra text: " + _quote(_unbytes(value)))
            break
        layout = suffix
        hold = value
        range_err = ""
        k = std.kind
        try:
            if k == YEAR:
                if len(value) < 2:
                    raise _Bad
                p, value = value[:2], value[2:]
                year = _atoi(p)
                year += 1900 if year >= 69 else 2000
            elif k == LONG_YEAR:
                if len(value) < 4 or not _isdigit(value, 0):
                    raise _Bad
                p, value = value[:4], value[4:]
                year = _atoi(p)
            elif k == MONTH:
                month, value = _lookup(_SHORT_MONTHS, value)
                month += 1
            elif k == LONG_MONTH:
                month, value = _lookup(_MONTHS, value)
                month += 1
            elif k in (NUM_MONTH, ZERO_MONTH):
                month, value = _getnum(value, k == ZERO_MONTH)
                if not 1 <= month <= 12:
                    range_err = "month"
            elif k == WEEKDAY:
                _, value = _lookup(_SHORT_DAYS, value)
            elif k == LONG_WEEKDAY:
                _, value = _lookup(_DAYS, value)
            elif k in (DAY, UNDER_DAY, ZERO_DAY):
                if k == UNDER_DAY and value[:1] == " ":
                    value = value[1:]
                day, value = _getnum(value, k == ZERO_DAY)
            elif k in (UNDER_YEARDAY, ZERO_YEARDAY):
                for _ in range(2):
                    if k == UNDER_YEARDAY and value[:1] == " ":
                        value = value[1:]
                yday, value = _getnum3(value, k == ZERO_YEARDAY)
            elif k == HOUR:
                hour, value = _getnum(value, False)
                if not 0 <= hour < 24:
                    range_err = "hour"
            elif k in (HOUR12, ZERO_HOUR12):
                hour, value = _getnum(value, k == ZERO_HOUR12)
                if not 0 <= hour <= 12:
                    range_err = "hour"
            elif k in (MINUTE, ZERO_MINUTE):
                minute, value = _getnum(value, k == ZERO_MINUTE)
                if not 0 <= minute < 60:
                    range_err = "minute"
            elif k in (SECOND, ZERO_SECOND):
                sec, value = _getnum(value, k == ZERO_SECOND)
                if not 0 <= sec < 60:
                    range_err = "second"
                elif len(value) >= 2 and value[0] in ".," and _isdigit(value, 1):
                    _, nstd, _ = next_std_chunk(layout)
                    if not (nstd is not None and nstd.kind in (FRAC0, FRAC9)):
                        n = 2
                        while n < len(value) and _isdigit(value, n):
                            n += 1
                        nsec, range_err = _parse_nanos(value, n)
                        value = value[n:]
            elif k in (PM, LPM):
                if len(value) < 2:
                    raise _Bad
                p, value = value[:2], value[2:]
                hi, lo = ("PM", "AM") if k == PM else ("pm", "am")
                if p == hi:
                    pm = True
                elif p == lo:
                    am = True
                else:
                    raise _Bad
            elif k in _ISO and value[:1] == "Z":
                value = value[1:]
                z = UTC
            elif k in _ISO or k in (
                NUM_TZ,
                NUM_SHORT_TZ,
                NUM_COLON_TZ,
                NUM_SECONDS_TZ,
                NUM_COLON_SECONDS_TZ,
            ):
                if k in (ISO_COLON_TZ, NUM_COLON_TZ):
                    if len(value) < 6 or value[3] != ":":
                        raise _Bad
                    sign, hh, mm, ss, value = value[0], value[1:3], value[4:6], "00", value[6:]
                elif k in (NUM_SHORT_TZ, ISO_SHORT_TZ):
                    if len(value) < 3:
                        raise _Bad
                    sign, hh, mm, ss, value = value[0], value[1:3], "00", "00", value[3:]
                elif k in (ISO_COLON_SECONDS_TZ, NUM_COLON_SECONDS_TZ):
                    if len(value) < 9 or value[3] != ":" or value[6] != ":":
                        raise _Bad
                    sign, hh, mm, ss, value = (
                        value[0],
                        value[1:3],
                        value[4:6],
                        value[7:9],
                        value[9:],
                    )
                elif k in (ISO_SECONDS_TZ, NUM_SECONDS_TZ):
                    if len(value) < 7:
                        raise _Bad
                    sign, hh, mm, ss, value = (
                        value[0],
                        value[1:3],
                        value[3:5],
                        value[5:7],
                        value[7:],
                    )
                else:
                    if len(value) < 5:
                        raise _Bad
                    sign, hh, mm, ss, value = value[0], value[1:3], value[3:5], "00", value[5:]
                hr = mi = se = 0
                bad = False
                try:  # Go checks the ranges of what parsed before reporting a bad field
                    hr, _ = _getnum(hh, True)
                    mi, _ = _getnum(mm, True)
                    se, _ = _getnum(ss, True)
                except _Bad:
                    bad = True
                if hr > 24:
                    range_err = "time zone offset hour"
                if mi > 60:
                    range_err = "time zone offset minute"
                if se > 60:
                    range_err = "time zone offset second"
                if bad:
                    raise _Bad
                zone_offset = (hr * 60 + mi) * 60 + se
                if sign == "-":
                    zone_offset = -zone_offset
                elif sign != "+":
                    raise _Bad
            elif k == TZ:
                if value[:3] == "UTC":
                    z = UTC
                    value = value[3:]
                else:
                    n = _parse_tz_name(value)
                    if n == 0:
                        raise _Bad
                    zone_name, value = value[:n], value[n:]
            elif k == FRAC0:
                ndigit = 1 + std.ndigits
                if len(value) < ndigit:
                    raise _Bad
                nsec, range_err = _parse_nanos(value, ndigit)
                value = value[ndigit:]
            elif k == FRAC9:
                if len(value) >= 2 and value[0] in ".," and "0" <= value[1] <= "9":
                    i = 0
                    while i + 1 < len(value) and "0" <= value[i + 1] <= "9":
                        i += 1
                    nsec, range_err = _parse_nanos(value, 1 + i)
                    value = value[1 + i :]
        except _Bad:
            if range_err:
                raise _perr(alayout, avalue, stdstr, value, f": {range_err} out of range") from None
            raise _perr(alayout, avalue, stdstr, hold) from None
        if range_err:
            raise _perr(alayout, avalue, stdstr, value, f": {range_err} out of range")
    if pm and hour < 12:
        hour += 12
    elif am and hour == 12:
        hour = 0
    if yday >= 0:
        m = d = 0
        if is_leap(year):
            if yday == 31 + 29:
                m, d = 2, 29
            elif yday > 31 + 29:
                yday -= 1
        if yday < 1 or yday > 365:
            raise _perr(alayout, avalue, "", value, ": day-of-year out of range")
        if m == 0:
            m = (yday - 1) // 31 + 1
            if _DAYS_BEFORE[m] < yday:
                m += 1
            d = yday - _DAYS_BEFORE[m - 1]
        if month >= 0 and month != m:
            raise _perr(alayout, avalue, "", value, ": day-of-year does not match month")
        month = m
        if day >= 0 and day != d:
            raise _perr(alayout, avalue, "", value, ": day-of-year does not match day")
        day = d
    else:
        if month < 0:
            month = 1
        if day < 0:
            day = 1
    if day < 1 or day > days_in(month, year):
        raise _perr(alayout, avalue, "", value, ": day out of range")
    if z is not None:
        return date(year, month, day, hour, minute, sec, nsec, z)
    if zone_offset != -1:
        t = date(year, month, day, hour, minute, sec, nsec, UTC)
        t.sec -= zone_offset
        name, off = zone_local.lookup(t.sec)
        if off == zone_offset and (zone_name == "" or name == zone_name):
            t.loc = zone_local
            return t
        t.loc = fixed_zone(zone_name, zone_offset)
        return t
    if zone_name:
        t = date(year, month, day, hour, minute, sec, nsec, UTC)
        found = zone_local.lookup_name(zone_name, t.sec)
        if found is not None:
            t.sec -= found
            t.loc = zone_local
            return t
        off = 0
        if len(zone_name) > 3 and zone_name[:3] == "GMT":
            off = _atoi(zone_name[3:]) * 3600
        t.loc = fixed_zone(zone_name, off)
        return t
    return date(year, month, day, hour, minute, sec, nsec, default)
