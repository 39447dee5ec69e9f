"""encoding/json writer/reader and BurntSushi TOML writer (texts recorded from Helm)."""

from __future__ import annotations

import pytest

from kelm.yaml import JSONError, dump_json, dump_toml, load_toml
from kelm.yaml.jsondec import GoJSONSyntaxError, parse


def test_dump_json() -> None:
    v = {"s": "<a&b> \u2028 é", "n": [1000000.0, 1e-7, 1e21, -0.0, 5], "e": {}, "l": [], "z": None}
    assert dump_json(v) == (
        '{"e":{},"l":[],"n":[1000000,1e-7,1e+21,-0,5],"s":"\\u003ca\\u0026b\\u003e \\u2028 é",'
        '"z":null}'
    )
    assert dump_json({"h": "<&>"}, escape_html=False) == '{"h":"<&>"}'
    assert dump_json({"a": [1, {}]}, indent=2) == '{\n  "a": [\n    1,\n    {}\n  ]\n}'
    assert dump_json(b"abc") == '"YWJj"'
    with pytest.raises(JSONError, match=r"\+Inf"):
        dump_json(float("inf"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "unexpected end of JSON input"),
        ("{", "unexpected end of JSON input"),
        ('{"a":}', "invalid character '}' looking for beginning of value"),
        ('{"a" 1}', "invalid character '1' after object key"),
        ("{a: 1}", "invalid character 'a' looking for beginning of object key string"),
        ('{"a": tru}', "invalid character '}' in literal true (expecting 'e')"),
        ("nul", "invalid character ' ' in literal null (expecting 'l')"),
        ('{"a": 01}', "invalid character '1' after object key:value pair"),
        ('{"a": 1.}', "invalid character '}' after decimal point in numeric literal"),
        ('{"a": [1, 2}', "invalid character '}' after array element"),
        ('{"a": "tab\there"}', "invalid character '\\t' in string literal"),
        ("\ufeff{}", "invalid character 'ï' looking for beginning of value"),
        ('{"a": 1} x', "invalid character 'x' after top-level value"),
    ],
)
def test_json_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(GoJSONSyntaxError) as ei:
        parse(text)
    assert str(ei.value) == message


def test_json_values() -> None:
    assert parse('{"a": 1e400, "b": "\\ud83d\\ude00\\ud800"}') == (
        {"a": None, "b": "😀\ufffd"},
        "json: cannot unmarshal number 1e400 into Go value of type float64",
    )


def test_dump_toml() -> None:
    v = {"e": 3.0, "a": {"b": {"c": 1.0}, "d": 2.0}, "l": [1, "x", {"y": None, "z": 1}],
         "t": [{"x": 1}, {"x": 2}]}
    assert dump_toml(v) == (
        'e = 3.0\nl = [1, "x", {z = 1}]\n\n[a]\n  d = 2.0\n  [a.b]\n    c = 1.0\n'
        "\n[[t]]\n  x = 1\n\n[[t]]\n  x = 2\n"
    )
    assert dump_toml({"f": [1e6, -0.0, 1.0, 0.1]}) == "f = [1e+06, -0.0, 1.0, 0.1]\n"


def test_load_toml() -> None:
    assert load_toml('a = 1\nb = 1.5\n[t]\nx = "y"') == {"a": 1, "b": 1.5, "t": {"x": "y"}}
    with pytest.raises(ValueError, match=r"^toml: line 2"):
        load_toml("a = 1\na = 2")


class _KubeVersion:
    """Shaped like a Go struct exposed to templates (fields in declaration order)."""

    _go_fields = ("Version", "Major", "Minor")
    Version, Major, Minor = "v1.35.0", "1", "35"


class _BuildInfo:
    _go_fields = ("Version", "GitCommit")
    _go_json_names = {"Version": "version", "GitCommit": "git_commit"}
    Version, GitCommit = "v4.1.4", "05fa"


def test_structs_keep_field_order_in_json_only() -> None:
    # Helm: toJson/toPrettyJson/toYaml/toYamlPretty of .Capabilities.KubeVersion
    from kelm.yaml import dump_v2, dump_v3

    kv = _KubeVersion()
    assert dump_json(kv) == '{"Version":"v1.35.0","Major":"1","Minor":"35"}'
    assert dump_json(kv, indent=2) == '{\n  "Version": "v1.35.0",\n  "Major": "1",\n  "Minor": "35"\n}'
    assert dump_v2(kv) == 'Major: "1"\nMinor: "35"\nVersion: v1.35.0\n'
    assert dump_v3(kv) == 'version: v1.35.0\nmajor: "1"\nminor: "35"\n'
    assert dump_json(_BuildInfo()) == '{"version":"v4.1.4","git_commit":"05fa"}'


def test_bytes_that_are_not_utf8() -> None:
    # b64dec "/2Fi" in Helm: toJson "\ufffdab", toYaml "�ab", toYamlPretty "!!binary /2Fi"
    from kelm.yaml import dump_v2, dump_v3

    s = b"\xffab".decode("utf-8", "surrogateescape")
    assert dump_json(s) == '"\\ufffdab"'
    assert dump_v2(s) == "\ufffdab\n"
    assert dump_v3({"k": s}) == "k: !!binary /2Fi\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [  # Helm v4.1.4 fromToml errors (BurntSushi/toml)
        ("a = ", 'toml: line 1 (last key "a"): unexpected EOF; expected value'),
        ("a = 1\na = 2", "toml: line 2 (last key \"a\"): Key 'a' has already been defined."),
        ("[x\n", "toml: line 2: expected '.' or ']' to end table name, but got '\\n' instead"),
        ("a = 1\nb = \n", "toml: line 2 (last key \"b\"): expected value but found '\\n' instead"),
        ("a = [\n1,\n2\n", 'toml: line 3 (last key "a"): expected a comma (\',\') or array '
                           "terminator (']'), but got end of file"),
        ("a = 07", 'toml: line 1 (last key "a"): Invalid integer "07": cannot have leading zeroes'),
        ("a = 1e400", 'toml: line 1 (last key "a"): 1e400 is out of range for float64'),
        ("a = 6.626e-", 'toml: line 1 (last key "a"): Invalid float "6.626e-": underscores '
                        "must be surrounded by digits"),
        ("[t]\nx = 1\ny = tru", 'toml: line 3 (last key "t.y"): expected value but found "tru" '
                                "instead"),
        ("x = [1, inline]", 'toml: line 1 (last key "x"): expected value but found "nline" '
                            "instead"),
        ("a = {\nx = 1", 'toml: line 2 (last key "a.x"): expected a comma or an inline table '
                         "terminator '}', but got end of file instead"),
        ("a = 1979-05- 7", 'toml: line 1 (last key "a"): invalid datetime: "1979-05-T7"'),
    ],
)
def test_toml_errors_like_burntsushi(text: str, message: str) -> None:
    with pytest.raises(ValueError) as ei:
        load_toml(text)
    assert str(ei.value) == message


def test_toml_burntsushi_leniency() -> None:
    # accepted by Helm although strict TOML 1.0 (tomllib) refuses them
    assert load_toml("a = {x = 1,}") == {"a": {"x": 1}}
    assert load_toml("a = {x = 1\n}") == {"a": {"x": 1}}
    assert load_toml("a.b = 1\na = 2") == {"a": {"b": 1}}
    assert load_toml('a = {b = 1}\na.c = 2') == {"a": {"b": 1, "c": 2}}
    assert load_toml('a = "\\e\\x41"') == {"a": "\x1bA"}
