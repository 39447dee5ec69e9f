"""Direct tests of kelm.funcs.dicts (Sprig v3.3.0 + mergo v1.0.1 semantics, checked against
Helm v4.1.4)."""

from __future__ import annotations

import pytest

from kelm.funcs.dicts import FUNCS
from kelm.funcs.semver import new_version
from kelm.golang.value import GoError, GoInt, TypedList, go_type


def call(name, *args):
    return FUNCS[name](*args)


def test_dict_keys_go_through_strval():
    assert call("dict", "a") == {"a": ""}
    assert call("dict", GoInt(1), GoInt(2)) == {"1": GoInt(2)}
    assert call("dict", 1e6, 1, 1e-5, 2) == {"1e+06": 1, "1e-05": 2}
    assert call("dict", True, 1, None, 2) == {"true": 1, "<nil>": 2}
    assert call("dict", [GoInt(1), GoInt(2)], "v") == {"[1 2]": "v"}
    assert call("dict", new_version("v1.2"), "v") == {"1.2.0": "v"}


def test_get_set_unset_haskey():
    d = {"a": 1.0, "z": None}
    assert call("get", d, "missing") == "" and call("get", d, "z") is None
    assert call("set", d, "b", 2) is d and d["b"] == 2
    assert call("unset", d, "a") is d and "a" not in d
    assert call("hasKey", d, "z") is True and call("hasKey", d, "q") is False
    with pytest.raises(GoError, match="assignment to entry in nil map"):
        call("set", None, "a", 1)


def test_pluck_pick_omit_keys_values():
    assert call("pluck", "a", {"a": 1}, {"a": 9, "b": 2}, {"b": 3}) == [1, 9]
    d = {"a": 1, "b": 2}
    p = call("pick", d, "a", "missing")
    p["c"] = 3
    assert d == {"a": 1, "b": 2} and p == {"a": 1, "c": 3}
    assert call("omit", d, "a") == {"b": 2}
    k = call("keys", {"b": 1}, {"a": 2, "b": 3})
    assert isinstance(k, TypedList) and go_type(k) == "[]string" and k == ["a", "b", "b"]
    assert call("values", {"b": "y", "a": "x"}) == ["x", "y"]


def test_merge_dst_wins_and_fills_empties():
    dst = {"a": "", "b": 0, "c": False, "d": None, "e": [], "f": {}, "g": "x"}
    src = {k: i for i, k in enumerate("abcdefg", 1)} | {"h": None}
    out = call("merge", dst, src)
    assert out is dst
    assert dst == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": "x"}
    lists = call("merge", {"l": [1], "m": {"x": 1}, "s": "str"},
                 {"l": [2, 3], "m": "scalar", "s": {"k": 1}})
    assert lists == {"l": [1], "m": {"x": 1}, "s": "str"}


def test_merge_deep_and_shared_submaps():
    src = {"n": {"x": 1}}
    out = call("merge", {}, src)
    assert out["n"] is src["n"]  # mergo stores the src map itself
    own = {"n": {}}
    call("merge", own, src)
    assert own["n"] is not src["n"] and own["n"] == {"x": 1}
    deep = call("merge", {"a": {"b": {"c": 1, "d": ""}}}, {"a": {"b": {"c": 2, "d": "z", "e": 3}}})
    assert deep == {"a": {"b": {"c": 1, "d": "z", "e": 3}}}


def test_merge_overwrite():
    d = {"a": "x", "b": {"c": 1}, "l": [1], "k": 1}
    call("mergeOverwrite", d, {"a": None, "b": {"d": 2}, "l": [], "k": ""})
    assert d == {"a": None, "b": {"c": 1, "d": 2}, "l": [], "k": ""}
    s = {"n": {}}
    out = call("mustMergeOverwrite", {"n": {}}, s)
    assert out["n"] is s["n"]


def test_merge_pointer_mismatch():
    v = new_version("1.2.3")
    with pytest.raises(GoError, match="src and dst must be of same type"):
        call("mustMerge", {"a": v}, {"a": {"x": 1}})
    assert call("merge", {"a": v}, {"a": {"x": 1}}) == ""
    assert call("mergeOverwrite", {"a": v}, {"a": {"x": 1}}) == {"a": {"x": 1}}


def test_deep_copy():
    d = {"a": {"b": 1}, "l": [1], "t": TypedList(["x"], "[]string")}
    c = call("deepCopy", d)
    assert c == d and c["a"] is not d["a"] and c["l"] is not d["l"]
    assert go_type(c["t"]) == "[]string"
    with pytest.raises(GoError, match="reflect: call of reflect.Value.Type on zero Value"):
        call("mustDeepCopy", None)


def test_dig():
    nested = {"x": {"p": {"q": "deep"}}}
    assert call("dig", "x", "p", "q", "def", nested) == "deep"
    assert call("dig", "x", "q", "def", nested) == "def"
    with pytest.raises(GoError, match="dig needs at least three arguments"):
        call("dig", "a", {})
    with pytest.raises(GoError) as e:
        call("dig", "a", "b", "d", {"a": 1.0})
    assert str(e.value) == (
        "interface conversion: interface {} is float64, not map[string]interface {}"
    )
    with pytest.raises(GoError, match="interface {} is int, not string"):
        call("dig", GoInt(1), "d", {})
    with pytest.raises(GoError, match="interface {} is nil, not map"):
        call("dig", "a", "d", None)


def test_deep_copy_of_struct_keeps_exported_fields_only():
    c = call("deepCopy", new_version("1.2.3"))
    assert go_type(c) == "*semver.Version" and str(c.parts) == "0.0.0"
    inner = {"v": new_version("2.0.0")}
    assert str(call("mustDeepCopy", inner)["v"].parts) == "0.0.0"
