"""Direct tests of kelm.funcs.floatmath; expected values are Helm v4.1.4 outputs
(tests/golden/funcs/floatmath.json holds the full template cases)."""

from __future__ import annotations

import math

import pytest

from kelm.funcs import floatmath as fm
from kelm.funcs.floatmath import FUNCS
from kelm.golang.value import GoError, GoInt

INF = math.inf


def call(name: str, *args):
    return FUNCS[name](*args)


@pytest.mark.parametrize(
    ("name", "args", "want"),
    [
        ("addf", (1.1, 2.2), 3.3),
        ("addf", (0.1, 0.2), 0.3),
        ("addf", (), 0.0),
        ("addf", (1.5, 5, "1.25", True, None), 8.75),
        ("addf", ("2.5", "abc", [1]), 2.5),
        ("addf", ("1_000", 0), 1000.0),
        ("addf", ("0x1p-2", 0), 0.25),
        ("addf", (" 1", 0), 0.0),
        ("addf", ("0x10", 0), 0.0),
        ("addf", (".5", "5."), 5.5),
        ("addf", ("1e400", 0), 0.0),
        ("addf", ("1e3", "-1E-1"), 999.9),
        ("addf", (1e16, GoInt(1)), 1e16),
        ("add1f", (1.5,), 2.5),
        ("add1f", (0.1,), 1.1),
        ("add1f", (5,), 6.0),
        ("add1f", ("2.2",), 3.2),
        ("add1f", (1e300,), 1e300),
        ("add1f", (0.000001,), 1.000001),
        ("subf", (GoInt(5), 1.1, GoInt(1)), 2.9),
        ("subf", (0.3, 0.1), 0.2),
        ("subf", (1.5, 5), -3.5),
        ("subf", (1e20, 1), 1e20),
        ("mulf", (1.1, GoInt(3)), 3.3),
        ("mulf", (0.1, 0.1), 0.01),
        ("mulf", ("2.5", 2), 5.0),
        ("mulf", (1e200, 1e200), INF),
        ("mulf", (-1e200, 1e200), -INF),
        ("mulf", (1e-200, 1e-200), 0.0),
        ("divf", (10, 4), 2.5),
        ("divf", (1, 3), 0.3333333333333333),
        ("divf", (2, 3), 0.6666666666666667),
        ("divf", (-2, 3), -0.6666666666666667),
        ("divf", (1, 7), 0.1428571428571429),
        ("divf", (0.00005, 3), 1.66666666667e-05),
        ("divf", (1e-17, 3), 0.0),
        ("divf", (-1, 6), -0.1666666666666667),
        ("divf", (5, 1.5), 3.3333333333333335),
        ("divf", (100, 2, 5), 10.0),
        ("divf", (1e300, 1e-300), INF),
        ("maxf", (1, 2.5, "3"), 3.0),
        ("maxf", ("abc", -5), 0.0),
        ("maxf", (5, 4.9), 5.0),
        ("maxf", ("inf", "nan"), INF),
        ("maxf", ("-inf", -1e308), -1e308),
        ("minf", (1, 2.5, "3"), 1.0),
        ("minf", (True, 1.5), 1.0),
        ("minf", ("-inf", "nan"), -INF),
        ("minf", (1e-308, 5e-324), 5e-324),
    ],
)
def test_results(name, args, want):
    got = call(name, *args)
    assert type(got) is float
    assert got == want


def test_nan_and_signed_zero():
    assert math.isnan(call("maxf", "nan", 1))
    assert math.isnan(call("minf", "nan", 1))
    assert math.copysign(1, call("maxf", -0.0, GoInt(0))) == 1
    assert math.copysign(1, call("minf", -0.0, GoInt(0))) == -1
    assert math.copysign(1, call("addf", -0.0)) == 1


@pytest.mark.parametrize(
    ("name", "args", "msg"),
    [
        ("addf", ("inf", 0), "Cannot create a Decimal from +Inf"),
        ("addf", ("NaN", 1), "Cannot create a Decimal from NaN"),
        ("add1f", ("-Infinity",), "Cannot create a Decimal from -Inf"),
        ("mulf", (2, "+inf"), "Cannot create a Decimal from +Inf"),
        ("divf", (1, 0), "decimal division by 0"),
        ("divf", (1.5, 0.0), "decimal division by 0"),
    ],
)
def test_errors(name, args, msg):
    with pytest.raises(GoError) as e:
        call(name, *args)
    assert str(e.value) == msg


@pytest.mark.parametrize(
    ("text", "want"),
    [("0x1", 1), ("3.0", 3), ("1_0", 10), ("0b1", 1), ("01", 1), ("0755", 493), ("x", 0),
     ("0x", 0), ("0x0x5", 0), ("-0x10", -16), ("9223372036854775808", 0), ("1.5", 0)],
)
def test_to_int_strings(text, want):
    assert fm.to_int(text) == want


def test_to_int_other_kinds():
    assert fm.to_int(1.9) == 1
    assert fm.to_int(-1.9) == -1
    assert fm.to_int(True) == 1
    assert fm.to_int(None) == 0
    assert fm.to_int([1]) == 0
    assert fm.to_int(math.nan) == -(2**63)


@pytest.mark.parametrize(
    ("text", "want"),
    [("1_0.5", 10.5), ("_1", None), ("1__0", None), ("Infinity", INF), ("-inf", -INF),
     ("+nan", None), ("0x1.8p1", 3.0), ("0x1p", None), ("1e", None), ("", None),
     ("1.5 ", None), ("١", None)],
)
def test_parse_float(text, want):
    assert fm.parse_float(text) == want
