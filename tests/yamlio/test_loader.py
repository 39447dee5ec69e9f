"""Helm's YAML reading (go-yaml v2 + JSON step); error texts as Helm printed them."""

from __future__ import annotations

import math

import pytest

from kelm.yaml import YAMLError, load_all_helm, load_helm
from kelm.yaml.loader import load_go, make_loader

PREFIX = "error converting YAML to JSON: "


def test_yaml11_typing_and_json_numbers() -> None:
    v = load_helm(
        "a: off\nc: Y\nq: yes\nd: NULL\nn: 1\ny: 2\non: x\nh: 0x1F\no: 010\noo: 0o17\n"
        "u: 1_000\ne: 1e6\nz: -0.0\nt: 2020-01-01\ns: 1:20\nbig: 9007199254740993\n"
        "k: !foo 12\n1.5: f\n0x10: hex\n"
    )
    assert v == {
        "a": False, "c": True, "q": True, "d": None, "false": 1.0, "true": "x", "h": 31.0,
        "o": 8.0, "oo": 15.0, "u": 1000.0, "e": 1e6, "z": -0.0, "t": "2020-01-01", "s": "1:20",
        "big": 9007199254740992.0, "k": "12", "1.5": "f", "16": "hex",
    }
    assert math.copysign(1, v["z"]) < 0
    assert all(isinstance(x, float) for x in (v["h"], v["o"], v["e"]))


def test_merge_keys_and_aliases_are_copies() -> None:
    v = load_helm("base: &b {x: 1, l: [1]}\nm:\n  <<: *b\n  x: 3\nr: *b\n")
    assert v["m"] == {"x": 3.0, "l": [1.0]}
    v["r"]["l"].append(2)
    assert v["base"]["l"] == [1.0]


def test_duplicate_keys_last_wins_and_only_first_document() -> None:
    assert load_helm("a: 1\na: 2\n") == {"a": 2.0}
    assert load_helm("a: 1\n---\nb: 2\n") == {"a": 1.0}
    assert load_all_helm("a: 1\n---\n---\nb: 2\n") == [{"a": 1.0}, None, {"b": 2.0}]
    assert load_helm("") is None and load_helm("# c\n") is None


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\nb: [1\n", "yaml: line 2: did not find expected ',' or ']'", 2),
        ("a: b: c", "yaml: mapping values are not allowed in this context", 0),
        ("a: 1\nb:\n  c: 1\n d: 2\n", "yaml: line 3: did not find expected key", 3),
        ("a:\n  - b\n  c: d\n", "yaml: line 2: did not find expected '-' indicator", 2),
        ('a: "x\n', "yaml: line 2: found unexpected end of stream", 2),
        ("x: 1\ny: 2\nz: [a, b\nw: 3\n", "yaml: line 3: did not find expected ',' or ']'", 3),
        ("x: *nope", "yaml: unknown anchor 'nope' referenced", 0),
        ("x: .inf", "json: unsupported value: +Inf", 0),
        ("x: 1\n\x01", "yaml: control characters are not allowed", 0),
        (b"a: \xff\n", "yaml: invalid leading UTF-8 octet", 0),
        (b"a: 1\nb: \xc3\n", "yaml: invalid trailing UTF-8 octet", 0),
        ("a: 1\n\tb: 2\n", "yaml: line 2: found a tab character that violates indentation", 2),
        ("y: &a\n  - 1\n  - 2z: *a\n", "yaml: anchor 'a' value contains itself", 0),
        ("? [a, 1, ~]\n: x", "yaml: invalid map key: []interface {}{\"a\", 1, interface {}(nil)}", 0),
        ("~: x", "unsupported map key of type: %!s(<nil>), key: <nil>, value: \"x\"", 0),
    ],
)
def test_errors_like_go(text: str | bytes, message: str, line: int) -> None:
    with pytest.raises(YAMLError) as ei:
        load_helm(text)
    assert str(ei.value) == PREFIX + message
    assert ei.value.line == line


def test_nan_dropped_by_a_duplicate_key_is_no_error() -> None:
    assert load_helm("a: .nan\na: 1\n") == {"a": 1.0}


def test_float_keys_use_float32_text_and_binary_is_text() -> None:
    assert list(load_helm("0.1: a\n3.14159265358979: b\n1e6: c\n.inf: d\n")) == [
        "0.1", "3.1415927", "1e+06", ".inf"]
    assert load_helm("a: !!binary aGVsbG8=\nb: \ufeffx") == {"a": "hello", "b": "\ufeffx"}


def test_other_flavours() -> None:
    typed = make_loader(json_numbers=False, json_keys=False)
    assert load_go("a: 1\nb: 1.5\n1: x\nc: .inf\n", typed) == {
        "a": 1, "b": 1.5, 1: "x", "c": math.inf}
    v3 = make_loader(v3=True, json_numbers=False)
    assert load_go("a: yes\nb: on\nc: true\n", v3) == {"a": "yes", "b": "on", "c": True}


def test_merge_keys_in_document_order_like_go_yaml_v2() -> None:
    # Helm: a later "<<" overrides earlier keys; in a merged list the first map wins
    v = load_helm(
        "b: &b {x: 1, k: 1}\nc: &c {x: 2, z: 2}\nm1:\n  x: 0\n  <<: *b\n"
        "m2:\n  <<: [*b, *c]\nm3:\n  <<: [*c, *b]\n  z: 9\nm4:\n  <<: *b\n  <<: *c\n"
    )
    assert v["m1"] == {"x": 1.0, "k": 1.0}
    assert v["m2"] == {"x": 1.0, "k": 1.0, "z": 2.0}
    assert v["m3"] == {"x": 2.0, "k": 1.0, "z": 9.0}
    assert v["m4"] == {"x": 2.0, "k": 1.0, "z": 2.0}
    with pytest.raises(YAMLError, match="map merge requires map or sequence of maps"):
        load_helm("a: {<<: [1]}")
