"""Direct tests of kelm.funcs.reflection (Go's %T, reflect.Kind and reflect.DeepEqual)."""

from __future__ import annotations

import math

from kelm.funcs.reflection import FUNCS, deep_equal
from kelm.funcs.semver import new_version
from kelm.golang.value import GoInt, TypedList, TypedMap


def call(name, *args):
    return FUNCS[name](*args)


def test_type_of_and_kind_of():
    cases = [
        (None, "<nil>", "invalid"),
        (GoInt(1), "int", "int"),
        (1, "int64", "int64"),
        (1.5, "float64", "float64"),
        ("s", "string", "string"),
        (True, "bool", "bool"),
        ([], "[]interface {}", "slice"),
        (TypedList([], "[]string"), "[]string", "slice"),
        ({}, "map[string]interface {}", "map"),
        (TypedMap({}, "map[string]string"), "map[string]string", "map"),
        (b"x", "[]uint8", "slice"),
        (new_version("1.2.3"), "*semver.Version", "ptr"),
    ]
    for v, typ, kind in cases:
        assert call("typeOf", v) == typ
        assert call("kindOf", v) == kind
        assert call("typeIs", typ, v) and call("kindIs", kind, v)


def test_type_is_like_accepts_pointer():
    v = new_version("1.2.3")
    assert call("typeIsLike", "semver.Version", v)
    assert call("typeIsLike", "*semver.Version", v)
    assert not call("typeIs", "semver.Version", v)


def test_deep_equal_is_typed():
    assert not deep_equal(GoInt(1), 1.0) and not deep_equal(GoInt(1), 1)
    assert deep_equal([1.0, {"a": [None]}], [1.0, {"a": [None]}])
    assert not deep_equal([], TypedList([], "[]string"))
    assert not deep_equal(math.nan, math.nan)
    assert deep_equal(None, None) and not deep_equal(None, [])
    assert deep_equal(new_version("1.2.3"), new_version("1.2.3"))
    assert not deep_equal(new_version("v1.2.3"), new_version("1.2.3"))
    assert call("deepEqual", {"a": GoInt(1)}, {"a": GoInt(1)}) is True
