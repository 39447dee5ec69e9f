"""Semantic versions and range constraints with Masterminds/semver v3.4 semantics.

Helm uses them to match ``dependencies[].version`` to the charts in ``charts/`` and to check
``kubeVersion``: loose versions (``1``, ``v1.2``), x-ranges, ``~``/``^``, hyphen ranges, ``||``,
and release-only matching unless the constraint mentions a prerelease.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_LOOSE = re.compile(
    r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
)
_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"


@lru_cache(maxsize=1)
def _regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(constraint, range, find, valid): compiled on first use (they are slow to compile)."""
    return (
        re.compile(rf"^\s*({_OPS})\s*({_CV})\s*$"),
        re.compile(rf"\s*({_CV})\s+-\s+({_CV})\s*"),
        re.compile(rf"({_OPS})\s*({_CV})"),
        re.compile(rf"^(\s*({_OPS})\s*({_CV})\s*)((?:\s+|,\s*)({_OPS})\s*({_CV})\s*)*$"),
    )


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: str = ""
    metadata: str = ""
    original: str = ""

    def __str__(self) -> str:
        s = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            s += "-" + self.pre
        if self.metadata:
            s += "+" + self.metadata
        return s

    def compare(self, o: Version) -> int:
        for a, b in ((self.major, o.major), (self.minor, o.minor), (self.patch, o.patch)):
            if a != b:
                return -1 if a < b else 1
        if not self.pre and not o.pre:
            return 0
        if not self.pre:
            return 1
        if not o.pre:
            return -1
        return _compare_pre(self.pre, o.pre)


def _compare_pre_part(s: str, o: str) -> int:
    if s == o:
        return 0
    if s == "":
        return -1
    if o == "":
        return 1
    sn, on = s.isdigit(), o.isdigit()
    if not sn and not on:
        return 1 if s > o else -1
    if not on:
        return -1
    if not sn:
        return 1
    return 1 if int(s) > int(o) else -1


def _compare_pre(v: str, o: str) -> int:
    sp, op = v.split("."), o.split(".")
    for i in range(max(len(sp), len(op))):
        d = _compare_pre_part(sp[i] if i < len(sp) else "", op[i] if i < len(op) else "")
        if d:
            return d
    return 0


def _valid_pre(pre: str) -> bool:
    for p in pre.split("."):
        if p.isdigit() and len(p) > 1 and p[0] == "0":
            return False
    return True


@lru_cache(maxsize=1024)
def parse_version(v: str) -> Version | None:
    """Masterminds ``NewVersion`` (coercing loose forms); None if invalid."""
    m = _LOOSE.match(v)
    if m is None:
        return None
    pre = m.group(5) or ""
    if pre and not _valid_pre(pre):
        return None
    return Version(
        int(m.group(1)),
        int(m.group(2)[1:]) if m.group(2) else 0,
        int(m.group(3)[1:]) if m.group(3) else 0,
        pre,
        m.group(8) or "",
        v,
    )


@dataclass(frozen=True)
class _Constraint:
    op: str
    con: Version
    minor_dirty: bool
    patch_dirty: bool
    dirty: bool

    def check(self, v: Version, include_pre: bool) -> bool:
        if v.pre and not include_pre:
            return False
        c = self.con
        op = self.op
        if op in ("", "="):
            if self.dirty:
                return self._tilde(v)
            return v.compare(c) == 0
        if op == "!=":
            if self.dirty:
                if c.major != v.major:
                    return True
                if c.minor != v.minor and not self.minor_dirty:
                    return True
                if self.minor_dirty:
                    return False
                if c.patch != v.patch and not self.patch_dirty:
                    return True
                if self.patch_dirty:
                    if v.pre or c.pre:
                        return _compare_pre(v.pre, c.pre) != 0
                    return False
            return v.compare(c) != 0
        if op == ">":
            if not self.dirty:
                return v.compare(c) == 1
            if v.major > c.major:
                return True
            if v.major < c.major or self.minor_dirty:
                return False
            if self.patch_dirty:
                return v.minor > c.minor
            return v.compare(c) == 1
        if op == "<":
            return v.compare(c) < 0
        if op in (">=", "=>"):
            return v.compare(c) >= 0
        if op in ("<=", "=<"):
            if not self.dirty:
                return v.compare(c) <= 0
            if v.major > c.major:
                return False
            if v.major == c.major and v.minor > c.minor and not self.minor_dirty:
                return False
            return True
        if op in ("~", "~>"):
            return self._tilde(v)
        if op == "^":
            if v.compare(c) < 0:
                return False
            if c.major > 0 or self.minor_dirty:
                return v.major == c.major
            if c.major == 0 and v.major > 0:
                return False
            if c.minor > 0 or self.patch_dirty:
                return v.minor == c.minor
            if c.minor == 0 and v.minor > 0:
                return False
            return c.patch == v.patch
        return False

    def _tilde(self, v: Version) -> bool:
        c = self.con
        if v.compare(c) < 0:
            return False
        if c.major == 0 and c.minor == 0 and c.patch == 0 and not self.minor_dirty and not (
            self.patch_dirty
        ):
            return True
        if v.major != c.major:
            return False
        if v.minor != c.minor and not self.minor_dirty:
            return False
        return True


def _is_x(s: str) -> bool:
    return s in ("x", "*", "X")


def _parse_constraint(s: str) -> _Constraint | None:
    if not s:
        return _Constraint("", Version(0, 0, 0), False, False, True)
    m = _regexes()[0].match(s)
    if m is None:
        return None
    op = m.group(1)
    major, minor, patch = m.group(3), m.group(4) or "", m.group(5) or ""
    rest = m.group(6) or ""
    ver = m.group(2)
    minor_dirty = patch_dirty = dirty = False
    if _is_x(major) or major == "":
        ver, dirty = "0.0.0" + rest, True
    elif _is_x(minor[1:]) or minor == "":
        minor_dirty = dirty = True
        ver = f"{major}.0.0{rest}"
    elif _is_x(patch[1:]) or patch == "":
        dirty = patch_dirty = True
        ver = f"{major}{minor}.0{rest}"
    con = parse_version(ver)
    if con is None:
        return None
    return _Constraint(op, con, minor_dirty, patch_dirty, dirty)


def _rewrite_range(s: str) -> str:
    out = s
    for m in _regexes()[1].finditer(s):
        out = out.replace(m.group(0), f">= {m.group(1)}, <= {m.group(11)} ", 1)
    return out


@lru_cache(maxsize=1024)
def parse_constraints(text: str) -> tuple[tuple[tuple[_Constraint, ...], bool], ...] | None:
    """Masterminds ``NewConstraint``; None when the constraint is improper."""
    text = _rewrite_range(text)
    groups = []
    for part in text.split("||"):
        if not _regexes()[3].match(part):
            return None
        found = [m.group(0) for m in _regexes()[2].finditer(part)] or [part]
        cs = []
        has_pre = False
        for f in found:
            c = _parse_constraint(f)
            if c is None:
                return None
            has_pre = has_pre or bool(c.con.pre)
            cs.append(c)
        groups.append((tuple(cs), has_pre))
    return tuple(groups)


def check(constraint: str, version: str) -> bool:
    """Helm's ``IsCompatibleRange``: false if either side does not parse."""
    v = parse_version(version)
    if v is None:
        return False
    groups = parse_constraints(constraint)
    if groups is None:
        return False
    for cs, has_pre in groups:
        if all(c.check(v, has_pre) for c in cs):
            return True
    return False
