"""Direct tests of kelm.funcs.lists (Sprig v3.3.0 semantics, checked against Helm v4.1.4)."""

from __future__ import annotations

import pytest

from kelm.funcs.lists import FUNCS
from kelm.golang.value import GoError, GoInt, GoUint8, TypedList, go_type

NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference"


def call(name, *args):
    return FUNCS[name](*args)


def strs(*items):
    return TypedList(items, "[]string")


def test_append_copies_and_widens_to_interface_slice():
    src = [1.0, 2.0]
    out = call("append", src, 3)
    assert out == [1.0, 2.0, 3] and src == [1.0, 2.0]
    typed = call("push", strs("a", "b"), "c")
    assert go_type(typed) == "[]interface {}" and typed == ["a", "b", "c"]
    assert call("prepend", [1], 0) == [0, 1]


@pytest.mark.parametrize(
    ("name", "arg", "msg"),
    [
        ("append", "abc", "Cannot push on type string"),
        ("mustPush", {}, "Cannot push on type map"),
        ("prepend", 1.5, "Cannot prepend on type float64"),
        ("first", "abc", "Cannot find first on type string"),
        ("mustLast", {}, "Cannot find last on type map"),
        ("rest", 5, "Cannot find rest on type int64"),
        ("initial", GoInt(5), "Cannot find initial on type int"),
        ("reverse", "x", "Cannot find reverse on type string"),
        ("compact", "x", "Cannot compact on type string"),
        ("uniq", "x", "Cannot find uniq on type string"),
        ("concat", "x", "Cannot concat type string as list"),
        ("first", None, NIL_DEREF),
        ("concat", None, NIL_DEREF),
    ],
)
def test_errors(name, arg, msg):
    args = (arg, 1) if name in ("append", "mustPush", "prepend") else (arg,)
    with pytest.raises(GoError) as e:
        call(name, *args)
    assert str(e.value) == msg


def test_chunk():
    out = call("chunk", GoInt(2), [1, 2, 3, 4, 5])
    assert out == [[1, 2], [3, 4], [5]] and go_type(out) == "[][]interface {}"
    assert call("mustChunk", GoInt(2), []) == []
    assert call("chunk", GoInt(-1), [1, 2]) == []
    with pytest.raises(GoError, match="makeslice: len out of range"):
        call("chunk", GoInt(0), [1, 2])
    with pytest.raises(GoError, match="Cannot chunk type string"):
        call("chunk", GoInt(2), "abcd")


def test_first_last_rest_initial():
    assert call("first", []) is None and call("mustLast", []) is None
    assert call("first", strs("a", "b")) == "a"
    assert call("last", b"ab") == GoUint8(98) and go_type(call("last", b"ab")) == "uint8"
    assert call("rest", [1, 2, 3]) == [2, 3] and call("initial", [1, 2, 3]) == [1, 2]
    assert go_type(call("rest", strs("a", "b"))) == "[]interface {}"
    assert call("reverse", [1, 2, 3]) == [3, 2, 1]


def test_compact_uniq_without_has_use_go_equality():
    assert call("compact", [1, 0, "", "a", None, False, True, [], {}, 0.0]) == [1, "a", True]
    # int, float64, int64 and string 1 are four different values to reflect.DeepEqual
    assert call("uniq", [GoInt(1), 1.0, "1", 1.5, 1.5, 5, GoInt(5)]) == [1, 1.0, "1", 1.5, 5, 5]
    assert call("uniq", [[1], [1], {"a": 1}, {"a": 1}, None, None]) == [[1], {"a": 1}, None]
    assert call("without", [1.0, 2.0, 3.0], GoInt(1)) == [1.0, 2.0, 3.0]
    assert call("without", [1.0, 2.0, 3.0], 1.0) == [2.0, 3.0]
    assert call("has", GoInt(2), [GoInt(1), GoInt(2)]) is True
    assert call("has", "2", [GoInt(1), GoInt(2)]) is False
    assert call("mustHas", GoInt(1), None) is False
    assert call("has", None, [None]) is True


def test_slice_keeps_type_and_checks_bounds():
    assert call("slice", [1, 2, 3, 4], GoInt(1)) == [2, 3, 4]
    assert call("slice", [1, 2, 3, 4], GoInt(1), GoInt(3)) == [2, 3]
    assert call("slice", [1, 2, 3, 4], 1.9) == [2, 3, 4]
    assert call("slice", [1, 2, 3, 4], "0x1", "3.0") == [2, 3]
    assert call("slice", [1, 2, 3, 4], True) == [2, 3, 4]
    typed = call("mustSlice", strs("a", "b", "c"), GoInt(1))
    assert go_type(typed) == "[]string" and typed == ["b", "c"]
    assert call("slice", []) is None
    for args in ((GoInt(1), GoInt(5)), (GoInt(-1),), (GoInt(2), GoInt(1))):
        with pytest.raises(GoError, match="reflect.Value.Slice: slice index out of bounds"):
            call("slice", [1, 2, 3], *args)
    with pytest.raises(GoError, match="list should be type of slice or array but string"):
        call("slice", "abc", GoInt(1))


def test_list_concat():
    assert call("list", 1, "a") == [1, "a"] and call("tuple") == []
    assert call("concat", [1], strs("x"), []) == [1, "x"]
    a = [1, 2]
    assert call("concat", a, [3]) == [1, 2, 3] and a == [1, 2]


def test_must_variants_declare_error_results():
    assert FUNCS["mustFirst"].returns_error and not FUNCS["first"].returns_error
    assert FUNCS["chunk"].params == ("int", "interface {}")
    assert FUNCS["list"].result == "[]interface {}"
    assert {"mustAppend", "mustPush", "mustSlice", "mustHas"} <= FUNCS.keys()
