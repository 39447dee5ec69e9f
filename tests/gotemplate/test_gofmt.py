"""Go fmt semantics checked against outputs recorded from Helm v4.1.4 (printf/print/println)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gofmt_cases import ARGS  # noqa: E402

from kelm.golang.fmt import (  # noqa: E402
    format_printable,
    format_value,
    go_format_float,
    quote,
    sprint,
    sprintf,
    sprintln,
)
from kelm.golang.value import GoStruct, GoUint64  # noqa: E402

GOLDEN = json.loads(
    (Path(__file__).resolve().parents[1] / "golden" / "gofmt" / "cases.json").read_text()
)


def _run(case: dict) -> str:
    args = [ARGS[n][1] for n in case["args"]]
    if case["func"] == "printf":
        return sprintf(case["fmt"], *args)
    if case["func"] == "print":
        return sprint(*args)
    return sprintln(*args)


@pytest.mark.parametrize(
    "case", GOLDEN, ids=[f"{c['func']}:{c.get('fmt', '')}:{','.join(c['args'])}" for c in GOLDEN]
)
def test_golden(case: dict) -> None:
    assert _run(case) == case["out"]


@pytest.mark.parametrize(
    ("x", "want"),
    [
        (999999.0, "999999"),
        (1000000.0, "1e+06"),
        (123456.7, "123456.7"),
        (1234567.5, "1.2345675e+06"),
        (100000.5, "100000.5"),
        (0.000099, "9.9e-05"),
        (0.00012345, "0.00012345"),
        (12345678901234567890123.0, "1.2345678901234568e+22"),
        (-0.0, "-0"),
        (float("inf"), "+Inf"),
        (float("-inf"), "-Inf"),
        (float("nan"), "NaN"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
    ],
)
def test_format_value_float(x: float, want: str) -> None:
    assert format_value(x) == want
    assert go_format_float(x, "g", -1) == want


def test_format_value_kinds() -> None:
    assert format_value(None) == "<nil>"
    assert format_value(True) == "true"
    assert format_value(b"k=v") == "[107 61 118]"
    assert format_value(["a", "b", None]) == "[a b <nil>]"
    assert format_value({"b": 2, "a": 1}) == "map[a:1 b:2]"
    assert format_value({"x": {"y": [1, {}]}}) == "map[x:map[y:[1 map[]]]]"


class _Ver(GoStruct):
    go_type = "*semver.Version"
    _go_fields = ("Major",)

    def __init__(self, s: str) -> None:
        self.s = s
        self.Major = 1

    def __go_string__(self) -> str:
        return self.s


class _Pair(GoStruct):
    go_type = "chartutil.Pair"
    _go_fields = ("Name", "Value")

    def __init__(self) -> None:
        self.Name = "n"
        self.Value = 1.5


def test_structs_and_stringers() -> None:
    assert format_value(_Pair()) == "{n 1.5}"
    assert sprintf("%+v", _Pair()) == "{Name:n Value:1.5}"
    assert sprintf("%#v", _Pair()) == 'chartutil.Pair{Name:"n", Value:1.5}'
    v = _Ver("1.2.3")
    assert format_value(v) == "1.2.3"
    assert sprintf("%q|%s|%x", v, v, v) == '"1.2.3"|1.2.3|312e322e33'
    assert format_value([v, {"k": v}]) == "[1.2.3 map[k:1.2.3]]"
    assert sprintf("%d", v) == "&{1}"
    assert sprint("a", v, v) == "a1.2.3 1.2.3"


def test_bytes() -> None:
    assert sprintf("%s|%x|%X|%q|%d", b"hi", b"hi", b"hi", b"hi", b"hi") == (
        'hi|6869|6869|"hi"|[104 105]'
    )
    assert sprintf("%o", b"\x08\x09") == "[10 11]"
    assert sprintf("%5d", b"\x01") == "[    1]"
    assert sprintf("%#v", b"\x01\x02") == "[]byte{0x1, 0x2}"
    assert sprintf("%T", b"") == "[]uint8"


def test_quote() -> None:
    assert quote("a\"b\\") == '"a\\"b\\\\"'
    assert quote("\a\b\f\n\r\t\v") == '"\\a\\b\\f\\n\\r\\t\\v"'
    assert quote("\x00\x7f\u00a0\u2028") == '"\\x00\\x7f\\u00a0\\u2028"'
    assert quote("\U000e0001") == '"\\U000e0001"'
    assert quote("é日😀") == '"é日😀"'
    invalid = b"a\xffb".decode("utf-8", "surrogateescape")
    assert quote(invalid) == '"a\\xffb"'


def test_format_float_modes() -> None:
    assert go_format_float(1.5, "e", 3) == "1.500e+00"
    assert go_format_float(1e100, "e", -1) == "1e+100"
    assert go_format_float(123.456, "f", 1) == "123.5"
    assert go_format_float(0.5, "f", 0) == "0"
    assert go_format_float(1.5, "f", 0) == "2"
    assert go_format_float(123456789.0, "G", 3) == "1.23E+08"
    assert go_format_float(1.0, "x", -1) == "0x1p+00"
    assert go_format_float(1.0, "b", -1) == "4503599627370496p-52"


class _KubeVersion(GoStruct):
    """Like Helm's common.KubeVersion: String() has a pointer receiver."""

    go_type = "common.KubeVersion"
    go_stringer_ptr = True
    _go_fields = ("Version", "Major", "Minor")
    _go_print_fields = ("Version", ("normalizedVersion", "normalized"), "Major", "Minor")

    def __init__(self) -> None:
        self.Version, self.normalized, self.Major, self.Minor = "v1.35.0", "v1.35.0", "1", "35"

    def __go_string__(self) -> str:
        return self.normalized


class _Caps(GoStruct):
    go_type = "*common.Capabilities"
    _go_fields = ("KubeVersion", "APIVersions")

    def __init__(self) -> None:
        self.KubeVersion = _KubeVersion()
        self.APIVersions = ["v1", "apps/v1"]


class _Semver(GoStruct):
    go_type = "*semver.Version"
    _go_print_fields = (("major", "a"), ("minor", "b"), ("patch", "c"), ("pre", "p"),
                        ("metadata", "m"), ("original", "o"))

    def __init__(self) -> None:
        self.a, self.b, self.c = GoUint64(1), GoUint64(2), GoUint64(3)
        self.p, self.m, self.o = "", "", "1.2.3"

    def __go_string__(self) -> str:
        return "1.2.3"


def test_pointer_receiver_stringer() -> None:
    # expected texts recorded from Helm v4.1.4 (printf/toString/list vs {{ x }})
    kv = _KubeVersion()
    assert format_value(kv) == "{v1.35.0 v1.35.0 1 35}"
    assert sprintf("%+v", kv) == "{Version:v1.35.0 normalizedVersion:v1.35.0 Major:1 Minor:35}"
    assert sprintf("%q", kv) == '{"v1.35.0" "v1.35.0" "1" "35"}'
    assert format_value([kv]) == "[{v1.35.0 v1.35.0 1 35}]"
    assert format_printable(kv) == "v1.35.0"
    caps = _Caps()
    assert format_value(caps) == "&{{v1.35.0 v1.35.0 1 35} [v1 apps/v1]}"
    assert format_printable(caps) == "{{v1.35.0 v1.35.0 1 35} [v1 apps/v1]}"
    sv = _Semver()
    assert sprintf("%d", sv) == "&{1 2 3 %!d(string=) %!d(string=) %!d(string=1.2.3)}"
    assert format_value(sv) == format_printable(sv) == "1.2.3"
