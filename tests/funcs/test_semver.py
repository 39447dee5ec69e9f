"""Direct tests of kelm.funcs.semver and kelm.golang.semver (Masterminds/semver v3.4.0, Helm v4.1.4)."""

from __future__ import annotations

import pytest

from kelm.funcs.semver import FUNCS, Semver, SemverValue, new_version
from kelm.golang.fmt import format_value
from kelm.golang.semver import check
from kelm.golang.value import GoError, GoUint64, go_kind, go_type


def test_version_object():
    v = new_version("v1.2.3-rc.1+meta")
    assert isinstance(v, Semver) and go_type(v) == "*semver.Version" and go_kind(v) == "ptr"
    assert v.Major.fn(v) == GoUint64(1) and go_type(v.Major.fn(v)) == "uint64"
    assert v.Prerelease.fn(v) == "rc.1" and v.Metadata.fn(v) == "meta"
    assert v.Original.fn(v) == "v1.2.3-rc.1+meta"
    assert format_value(new_version("v1.2")) == "1.2.0"
    assert v.__go_json__() == '"1.2.3-rc.1+meta"'


def test_inc_returns_value_type():
    nxt = new_version("v1.2.3").IncMinor.fn(new_version("v1.2.3"))
    assert type(nxt) is SemverValue and go_type(nxt) == "semver.Version"
    assert not hasattr(nxt, "Original")
    assert format_value(nxt) == "1.3.0" and nxt.parts.original == "v1.3.0"
    pre = new_version("1.2.3-rc1")
    assert format_value(pre.IncPatch.fn(pre)) == "1.2.3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "invalid semantic version"),
        (" 1.2.3", "invalid semantic version"),
        ("1.2.3\n", "invalid semantic version"),
        ("1.2.3.4", "invalid semantic version"),
        ("1.2.3-01", "version segment starts with 0"),
        ("1.2.3+a..b", "invalid semantic version"),
        (
            "99999999999999999999.0.0",
            'error parsing version segment: strconv.ParseUint: parsing "99999999999999999999": '
            "value out of range",
        ),
    ],
)
def test_version_errors(text, message):
    with pytest.raises(GoError) as e:
        FUNCS["semver"](text)
    assert str(e.value) == message


def test_loose_versions_coerce():
    assert str(new_version("01.02.03").parts) == "1.2.3"
    assert str(new_version("1").parts) == "1.0.0"
    assert new_version("18446744073709551615.0.0").parts.major == 2**64 - 1


@pytest.mark.parametrize(
    ("constraint", "version", "want"),
    [
        ("^1.2", "1.9.0", True), ("^1.2", "2.0.0", False), ("^0.2.3", "0.3.0", False),
        ("^0.0.3", "0.0.4", False), ("^0", "0.9.0", True), ("~1.2.3", "1.3.0", False),
        ("~0.0.0", "5.0.0", True), ("1.x", "1.5.0", True), ("1.2.x", "1.3.0", False),
        (">1.x", "2.0.0", True), (">1.2.x", "1.2.9", False), ("<=1.2.x", "1.2.9", True),
        ("!=1.x", "1.5.0", False), ("1.2 - 1.4", "1.4.1", True), (">1.2,<2.0", "2.0.0", False),
        ("1.x || >=3", "2.0.0", False), ("> 1.2 < 2.0", "1.5", True),
        (">1.0", "1.1.0-alpha", False), (">1.0-0", "1.1.0-alpha", True),
        (">=1.20-0", "v1.29.3-gke.1", True), (">=1.20", "v1.29.3-gke.1", False),
        ("1.2.x-beta", "1.2.5-beta.2", True), ("<=1.2.0", "1.2.9", False),
        ("  >= 1.0  ", "1.0.0", True), ("x", "3.0.0", True),
    ],
)
def test_constraints(constraint, version, want):
    assert check(constraint, version) is want


@pytest.mark.parametrize(
    ("constraint", "version", "message"),
    [
        ("abc", "1.2.3", "improper constraint: abc"),
        ("", "1.2.3", "improper constraint: "),
        (">=1.2 <2 ||", "1.5", "improper constraint: "),
        (">>1", "1.2.3", "improper constraint: >>1"),
        ("\u00a0>1", "2.0.0", "improper constraint: \u00a0>1"),
        ("x", "y", "invalid semantic version"),
        (">1.0", "1.0.0-01", "version segment starts with 0"),
    ],
)
def test_compare_errors(constraint, version, message):
    with pytest.raises(GoError) as e:
        FUNCS["semverCompare"](constraint, version)
    assert str(e.value) == message
