"""Masterminds/semver v3.4.0 (what Helm v4.1.4 and sprig use): versions, constraints, errors.

Shared by chart dependency/kubeVersion matching and sprig's ``semver``/``semverCompare``.
Constraints follow Masterminds: ``^``/``~``/x-ranges/hyphen ranges/``||``, comma or space for
AND, and prereleases only match when the AND group mentions one.  The parsing regexes are Go
RE2 ones, written with ASCII classes and absolute anchors so Python's ``re`` matches exactly
like Go's.  Errors are :class:`~kelm.golang.value.GoError` with Masterminds' texts.
"""

from __future__ import annotations

from functools import lru_cache

from kelm._slots import ValueRecord
from kelm.golang.value import GoError
from kelm.lazyre import lazy_compile

_S = r"[\t\n\f\r ]"  # Go's \s
_LOOSE = lazy_compile(
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?\Z"
)
_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
_CONSTRAINT = lazy_compile(rf"{_S}*({_OPS}){_S}*({_CV}){_S}*\Z")
_RANGE = lazy_compile(rf"{_S}*({_CV}){_S}+-{_S}+({_CV}){_S}*")
_FIND = lazy_compile(rf"({_OPS}){_S}*({_CV})")
_VALID = lazy_compile(
    rf"({_S}*({_OPS}){_S}*({_CV}){_S}*)((?:{_S}+|,{_S}*)({_OPS}){_S}*({_CV}){_S}*)*\Z"
)
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")

INVALID = "invalid semantic version"
SEGMENT_ZERO = "version segment starts with 0"
INVALID_PRE = "invalid prerelease string"
INVALID_META = "invalid metadata string"


def _parse_uint(s: str) -> int:
    n = int(s)
    if n >= 2**64:
        raise GoError(
            f'error parsing version segment: strconv.ParseUint: parsing "{s}": value out of range'
        )
    return n


def validate_prerelease(p: str) -> None:
    for part in p.split("."):
        if part == "":
            raise GoError(INVALID_PRE)
        if part.isascii() and part.isdigit():
            if len(part) > 1 and part[0] == "0":
                raise GoError(SEGMENT_ZERO)
        elif not set(part) <= _ALLOWED:
            raise GoError(INVALID_PRE)


def validate_metadata(m: str) -> None:
    for part in m.split("."):
        if part == "" or not set(part) <= _ALLOWED:
            raise GoError(INVALID_META)


class Version(ValueRecord):
    """A parsed version (immutable: never assigned to after construction; hashable)."""

    __slots__ = ("major", "minor", "patch", "pre", "metadata", "original")

    def __init__(
        self, major: int, minor: int, patch: int, pre: str, metadata: str, original: str
    ) -> None:
        self.major = major
        self.minor = minor
        self.patch = patch
        self.pre = pre
        self.metadata = metadata
        self.original = original

    def __str__(self) -> str:
        s = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            s += "-" + self.pre
        if self.metadata:
            s += "+" + self.metadata
        return s

    def compare(self, o: Version) -> int:
        return compare(self, o)


@lru_cache(maxsize=1024)
def parse(v: str) -> Version:
    m = _LOOSE.match(v)
    if m is None:
        raise GoError(INVALID)
    major = _parse_uint(m.group(1))
    minor = _parse_uint(m.group(2)[1:]) if m.group(2) else 0
    patch = _parse_uint(m.group(3)[1:]) if m.group(3) else 0
    pre, meta = m.group(5) or "", m.group(8) or ""
    if pre:
        validate_prerelease(pre)
    if meta:
        validate_metadata(meta)
    return Version(major, minor, patch, pre, meta, v)


def _compare_pre_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if s == "":
        return -1
    if o == "":
        return 1
    si, oi = _uint_or_none(s), _uint_or_none(o)
    if si is None and oi is None:
        return 1 if s > o else -1
    if oi is None:
        return -1
    if si is None:
        return 1
    return 1 if si > oi else -1


def _uint_or_none(s: str) -> int | None:
    if s.isascii() and s.isdigit() and int(s) < 2**64:
        return int(s)
    return None


def compare_prerelease(a: str, b: str) -> int:
    sa, sb = a.split("."), b.split(".")
    for i in range(max(len(sa), len(sb))):
        d = _compare_pre_part(sa[i] if i < len(sa) else "", sb[i] if i < len(sb) else "")
        if d:
            return d
    return 0


def compare(a: Version, b: Version) -> int:
    """Masterminds ``Compare``: X.Y.Z, then a prerelease sorts before its release."""
    for x, y in ((a.major, b.major), (a.minor, b.minor), (a.patch, b.patch)):
        if x != y:
            return -1 if x < y else 1
    if not a.pre and not b.pre:
        return 0
    if not a.pre:
        return 1
    if not b.pre:
        return -1
    return compare_prerelease(a.pre, b.pre)


# ---- constraints ---------------------------------------------------------------------------


class Constraint(ValueRecord):
    """One parsed constraint (immutable: never assigned to after construction; hashable)."""

    __slots__ = ("op", "con", "minor_dirty", "patch_dirty", "dirty")

    def __init__(
        self, op: str, con: Version, minor_dirty: bool, patch_dirty: bool, dirty: bool
    ) -> None:
        self.op = op
        self.con = con
        self.minor_dirty = minor_dirty
        self.patch_dirty = patch_dirty
        self.dirty = dirty

    def check(self, v: Version, include_pre: bool) -> bool:
        if v.pre and not include_pre:
            return False
        return _OPS_CHECK[self.op](self, v)


def _c_tilde(c: Constraint, v: Version) -> bool:
    k = c.con
    if compare(v, k) < 0:
        return False
    if k.major == 0 and k.minor == 0 and k.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return True
    if v.major != k.major:
        return False
    return not (v.minor != k.minor and not c.minor_dirty)


def _c_equal(c: Constraint, v: Version) -> bool:
    if c.dirty:
        return _c_tilde(c, v)
    return compare(v, c.con) == 0


def _c_not_equal(c: Constraint, v: Version) -> bool:
    k = c.con
    if c.dirty:
        if k.major != v.major:
            return True
        if k.minor != v.minor and not c.minor_dirty:
            return True
        if c.minor_dirty:
            return False
        if k.patch != v.patch and not c.patch_dirty:
            return True
        if c.patch_dirty:
            if v.pre or k.pre:
                return compare_prerelease(v.pre, k.pre) != 0
            return False
    return compare(v, k) != 0


def _c_greater(c: Constraint, v: Version) -> bool:
    k = c.con
    if not c.dirty:
        return compare(v, k) == 1
    if v.major > k.major:
        return True
    if v.major < k.major or c.minor_dirty:
        return False
    if c.patch_dirty:
        return v.minor > k.minor
    return compare(v, k) == 1


def _c_less_equal(c: Constraint, v: Version) -> bool:
    k = c.con
    if not c.dirty:
        return compare(v, k) <= 0
    if v.major > k.major:
        return False
    return not (v.major == k.major and v.minor > k.minor and not c.minor_dirty)


def _c_caret(c: Constraint, v: Version) -> bool:
    k = c.con
    if compare(v, k) < 0:
        return False
    if k.major > 0 or c.minor_dirty:
        return v.major == k.major
    if v.major > 0:
        return False
    if k.minor > 0 or c.patch_dirty:
        return v.minor == k.minor
    if v.minor > 0:
        return False
    return k.patch == v.patch


_OPS_CHECK = {
    "": _c_equal,
    "=": _c_equal,
    "!=": _c_not_equal,
    ">": _c_greater,
    "<": lambda c, v: compare(v, c.con) < 0,
    ">=": lambda c, v: compare(v, c.con) >= 0,
    "=>": lambda c, v: compare(v, c.con) >= 0,
    "<=": _c_less_equal,
    "=<": _c_less_equal,
    "~": _c_tilde,
    "~>": _c_tilde,
    "^": _c_caret,
}


def _is_x(s: str) -> bool:
    return s in ("x", "*", "X")


def _parse_constraint(s: str) -> Constraint:
    if not s:
        return Constraint("", Version(0, 0, 0, "", "", "0.0.0"), False, False, True)
    m = _CONSTRAINT.match(s)
    if m is None:
        raise GoError(f"improper constraint: {s}")
    op, ver = m.group(1), m.group(2)
    major, minor, patch, rest = m.group(3), m.group(4) or "", m.group(5) or "", m.group(6) or ""
    minor_dirty = patch_dirty = dirty = False
    if _is_x(major) or major == "":
        ver, dirty = "0.0.0" + rest, True
    elif _is_x(minor[1:]) or minor == "":
        minor_dirty = dirty = True
        ver = f"{major}.0.0{rest}"
    elif _is_x(patch[1:]) or patch == "":
        dirty = patch_dirty = True
        ver = f"{major}{minor}.0{rest}"
    try:
        con = parse(ver)
    except GoError:
        raise GoError("constraint parser error") from None
    return Constraint(op, con, minor_dirty, patch_dirty, dirty)


def _rewrite_range(s: str) -> str:
    out = s
    for m in _RANGE.finditer(s):
        out = out.replace(m.group(0), f">= {m.group(1)}, <= {m.group(11)} ", 1)
    return out


@lru_cache(maxsize=1024)
def new_constraint(text: str) -> tuple[tuple[tuple[Constraint, ...], bool], ...]:
    """Masterminds ``NewConstraint``: OR groups of AND constraints, with "mentions a
    prerelease" per group; GoError ``improper constraint: ...`` when it does not parse."""
    groups = []
    for part in _rewrite_range(text).split("||"):
        if not _VALID.match(part):
            raise GoError(f"improper constraint: {part}")
        found = [m.group(0) for m in _FIND.finditer(part)] or [part]
        cs = tuple(_parse_constraint(f) for f in found)
        groups.append((cs, any(c.con.pre for c in cs)))
    return tuple(groups)


def check(constraint: str, version: str) -> bool:
    """``semverCompare``: constraint errors first, then version errors."""
    groups = new_constraint(constraint)
    v = parse(version)
    return any(all(c.check(v, has_pre) for c in cs) for cs, has_pre in groups)
