"""Sprig's ``semver`` and ``semverCompare`` over :mod:`kelm.golang.semver`.

``semver`` returns a ``*semver.Version`` whose methods templates call (``.Major``,
``.Prerelease``, ``.LessThan (semver "2.0")``, ``.IncPatch``...); it prints through its
``String`` method (``semver "v1.2"`` prints ``1.2.0``).
"""

from __future__ import annotations

from kelm.golang.semver import (
    Version,
    check,
    compare,
    parse,
    validate_metadata,
    validate_prerelease,
)
from kelm.golang.value import GoError, GoFunc, GoInt, GoStruct, GoUint64, gofunc

# ---- the *semver.Version object ----------------------------------------------------------


class SemverValue(GoStruct):
    """A ``semver.Version`` value (what ``IncPatch`` returns): value-receiver methods only."""

    go_type = "semver.Version"
    go_kind = "struct"
    _go_fields: tuple[str, ...] = ()
    _go_state = ("parts",)

    def __init__(self, parts: Version) -> None:
        self.parts = parts

    def __go_string__(self) -> str:
        return str(self.parts)

    def __go_json__(self) -> str:
        """``MarshalJSON``: the version string as JSON text."""
        import json

        return json.dumps(str(self.parts))

    def __repr__(self) -> str:
        return f"{self.go_type}({self.parts})"

    def __go_deepcopy__(self) -> SemverValue:
        """copystructure copies exported fields only; Version has none."""
        return type(self)(Version(0, 0, 0, "", "", ""))

    def _next(self, parts: Version) -> SemverValue:
        prefix = "v" if self.parts.original[:1] == "v" else ""
        p = Version(parts.major, parts.minor, parts.patch, parts.pre, parts.metadata, "")
        return SemverValue(Version(p.major, p.minor, p.patch, p.pre, p.metadata, prefix + str(p)))

    @gofunc("func() string")
    def String(self) -> str:
        return str(self.parts)

    @gofunc("func() uint64")
    def Major(self) -> GoUint64:
        return GoUint64(self.parts.major)

    @gofunc("func() uint64")
    def Minor(self) -> GoUint64:
        return GoUint64(self.parts.minor)

    @gofunc("func() uint64")
    def Patch(self) -> GoUint64:
        return GoUint64(self.parts.patch)

    @gofunc("func() string")
    def Prerelease(self) -> str:
        return self.parts.pre

    @gofunc("func() string")
    def Metadata(self) -> str:
        return self.parts.metadata

    @gofunc("func() semver.Version")
    def IncPatch(self) -> SemverValue:
        p = self.parts
        patch = p.patch if p.pre else p.patch + 1
        return self._next(Version(p.major, p.minor, patch, "", "", ""))

    @gofunc("func() semver.Version")
    def IncMinor(self) -> SemverValue:
        p = self.parts
        return self._next(Version(p.major, p.minor + 1, 0, "", "", ""))

    @gofunc("func() semver.Version")
    def IncMajor(self) -> SemverValue:
        return self._next(Version(self.parts.major + 1, 0, 0, "", "", ""))

    @gofunc("func(string) (semver.Version, error)")
    def SetPrerelease(self, pre: str) -> SemverValue:
        if pre:
            validate_prerelease(pre)
        p = self.parts
        return self._next(Version(p.major, p.minor, p.patch, pre, p.metadata, ""))

    @gofunc("func(string) (semver.Version, error)")
    def SetMetadata(self, meta: str) -> SemverValue:
        if meta:
            validate_metadata(meta)
        p = self.parts
        return self._next(Version(p.major, p.minor, p.patch, p.pre, meta, ""))

    @gofunc("func() ([]uint8, error)")
    def MarshalJSON(self) -> bytes:
        return self.__go_json__().encode()

    @gofunc("func() ([]uint8, error)")
    def MarshalText(self) -> bytes:
        return str(self.parts).encode()


class Semver(SemverValue):
    """``*semver.Version``, what ``semver`` returns: adds the pointer-receiver methods."""

    go_type = "*semver.Version"
    go_kind = "ptr"

    @gofunc("func() string")
    def Original(self) -> str:
        return self.parts.original

    @gofunc("func(*semver.Version) int")
    def Compare(self, o: Semver) -> GoInt:
        return GoInt(compare(self.parts, _deref(o)))

    @gofunc("func(*semver.Version) bool")
    def LessThan(self, o: Semver) -> bool:
        return compare(self.parts, _deref(o)) < 0

    @gofunc("func(*semver.Version) bool")
    def LessThanEqual(self, o: Semver) -> bool:
        return compare(self.parts, _deref(o)) <= 0

    @gofunc("func(*semver.Version) bool")
    def GreaterThan(self, o: Semver) -> bool:
        return compare(self.parts, _deref(o)) > 0

    @gofunc("func(*semver.Version) bool")
    def GreaterThanEqual(self, o: Semver) -> bool:
        return compare(self.parts, _deref(o)) >= 0

    @gofunc("func(*semver.Version) bool")
    def Equal(self, o: Semver | None) -> bool:
        if o is None:
            return False
        return self is o or compare(self.parts, o.parts) == 0


def _deref(o: Semver | None) -> Version:
    if o is None:
        raise GoError("runtime error: invalid memory address or nil pointer dereference")
    return o.parts


def new_version(v: str) -> Semver:
    """Masterminds ``NewVersion`` (loose: ``v1``, ``1.2``, leading zeros coerced)."""
    return Semver(parse(v))


@gofunc("func(string) (*semver.Version, error)")
def semver(v: str) -> Semver:
    return new_version(v)


@gofunc("func(string, string) (bool, error)")
def semver_compare(constraint: str, version: str) -> bool:
    return check(constraint, version)


FUNCS: dict[str, GoFunc] = {"semver": semver, "semverCompare": semver_compare}
