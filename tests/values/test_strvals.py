"""--set parsing: typing and syntax as verified against Helm v4.1.4 (helm-compat.md §1.1)."""

import pytest

from kelm.values import strvals
from kelm.values.options import ValueOptions, ValuesError


def _set(s: str) -> dict:
    out: dict = {}
    strvals.parse_into(s, out)
    return out


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a=1000000", 1000000),
        ("a=1.5", "1.5"),
        ("a=1e6", "1e6"),
        ("a=-0", 0),
        ("a=9007199254740993", 9007199254740993),
        ("a=010", "010"),
        ("a=00", "00"),
        ("a=+5", 5),
        ("a=-5", -5),
        ("a=99999999999999999999", "99999999999999999999"),
        ("a=TRUE", True),
        ("a=Null", None),
        ("a=yes", "yes"),
        ("a=", ""),
    ],
)
def test_set_typing(text: str, expected: object) -> None:
    got = _set(text)["a"]
    assert got == expected and type(got) is type(expected)


def test_set_syntax() -> None:
    assert _set("a={1,2,b}") == {"a": [1, 2, "b"]}
    assert _set("b[1]=x") == {"b": [None, "x"]}
    assert _set(r"c.d\.e=1") == {"c": {"d.e": 1}}
    assert _set(r"e=a\,b") == {"e": "a,b"}
    assert _set("a=1,b=2") == {"a": 1, "b": 2}
    assert _set("a[0].b=c,a[0].d=e") == {"a": [{"b": "c", "d": "e"}]}
    assert _set("a[0][1]=x") == {"a": [[None, "x"]]}


def test_set_string_and_literal() -> None:
    out: dict = {}
    strvals.parse_into_string("a=null,b=1", out)
    assert out == {"a": "null", "b": "1"}
    out = {}
    strvals.parse_literal_into("a.b=x,y=z\\n", out)
    assert out == {"a": {"b": "x,y=z\\n"}}


def test_set_json() -> None:
    out: dict = {}
    strvals.parse_json('a={"x":[1,2]},b=9007199254740993', out)
    assert out == {"a": {"x": [1.0, 2.0]}, "b": 9007199254740992.0}


@pytest.mark.parametrize(
    "text,message",
    [
        ("a", 'key "a" has no value'),
        ("a,b=1", 'key "a" has no value (cannot end with ,)'),
        ("a[x]=1", 'error parsing index: strconv.Atoi: parsing "x": invalid syntax'),
        ("a[-1]=1", "negative -1 index not allowed"),
        ("a[70000]=1", "index of 70000 is greater than maximum supported index of 65536"),
        ("a={1,2", "list must terminate with '}'"),
        ("a=1,a.b=2", "unable to parse key: interface conversion: interface {} is int64, "
         "not map[string]interface {}"),
    ],
)
def test_set_errors(text: str, message: str) -> None:
    with pytest.raises(strvals.StrvalsError) as e:
        _set(text)
    assert str(e.value) == message


def test_merge_order_is_fixed() -> None:
    opts = ValueOptions(values=["a=8"], string_values=["a=9"])
    assert opts.merge_values() == {"a": "9"}
    opts = ValueOptions(json_values=["a=3"], values=["a=8"], string_values=["a=x"])
    assert opts.merge_values() == {"a": "x"}
    opts = ValueOptions(json_values=['{"a":1,"b":{"c":2}}'])
    assert opts.merge_values() == {"a": 1.0, "b": {"c": 2.0}}


def test_merge_errors(tmp_path) -> None:
    with pytest.raises(ValuesError, match="failed parsing --set data: key \"a\" has no value"):
        ValueOptions(values=["a"]).merge_values()
    bad = tmp_path / "v.yaml"
    bad.write_text("a: .inf\n")
    with pytest.raises(ValuesError) as e:
        ValueOptions(value_files=[str(bad)]).merge_values()
    assert str(e.value) == (
        f"failed to parse {bad}: cannot unmarshal yaml document: error converting YAML to "
        "JSON: json: unsupported value: +Inf"
    )
