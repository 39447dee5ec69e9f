"""go-yaml emitter edge cases; every expected text below was produced by Helm v4.1.4
(``toYaml`` = dump_v2 minus the final newline, ``toYamlPretty`` = dump_v3)."""

from __future__ import annotations

import pytest

from kelm.yaml import JSONError, dump_v2, dump_v3
from kelm.yaml.emitter import sorted_keys

WORDS = " ".join(f"word{i}" for i in range(1, 40))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        ("", '""'),
        ("1", '"1"'),
        ("y", '"y"'),
        ("on", '"on"'),
        ("~", '"~"'),
        ("1_000", '"1_000"'),
        ("0x1F", '"0x1F"'),
        ("2020-01-01", '"2020-01-01"'),
        ("1:20", '"1:20"'),
        ("1e999", "1e999"),  # out of float64 range: Go reads it as a string
        ("0x", "0x"),
        ("<<", "<<"),
        ("a: b", "'a: b'"),
        ("a #b", "'a #b'"),
        ("- x", "'- x'"),
        ("-x", "-x"),
        ("it's", "it's"),
        ("'q'", "'''q'''"),
        (" lead", "' lead'"),
        ("trail ", "'trail '"),
        ("tab\there", '"tab\\there"'),
        ("\u0001", '"\\x01"'),
        ("ab😀", '"ab\\U0001F600"'),
        ("a\u2028b", "'a\u2028  b'"),
        ("\ufeffbom", '"\\uFEFF\\x62\\x6F\\x6D"'),
        ("ü日本", "ü日本"),
        ("a\nb", "|-\n  a\n  b"),
        ("a\nb\n", "|\n  a\n  b"),
        ("a\nb\n\n", "|+\n  a\n  b\n"),
        ("  indented\nline\n", "|2\n    indented\n  line"),
        ("\nlead", "|2-\n\n  lead"),
        ("trailing \nx\n", '"trailing \\nx\\n"'),
        ("a\r\nb\r\n", '"a\\r\\nb\\r\\n"'),
        (None, "null"),
        ({}, "{}"),
        ([], "[]"),
        (1000000.0, "1000000"),
        (1e-7, "1e-07"),
        (-0.0, "0"),
        (1.2345678901234567e19, "12345678901234567000"),
        (1e20, "1e+20"),
        (1000000.5, "1.0000005e+06"),
        (2**63 - 1, "9223372036854775807"),
    ],
)
def test_scalar_v2(value: object, expected: str) -> None:
    assert dump_v2(value) == expected + "\n"


def test_folding_at_80_columns() -> None:
    assert dump_v2({"s": "word " * 18 + "word"}) == (
        "s: word word word word word word word word word word word word word word word word\n"
        "  word word word\n"
    )
    # double quotes: a break before a second space escapes it with a backslash
    assert dump_v2({"dq": "\t" + "a" * 79 + "  b"}) == (
        'dq: "\\t' + "a" * 79 + '\n  \\ b"\n'
    )
    assert dump_v2("x" * 200) == "x" * 200 + "\n"


def test_collections_v2_and_v3() -> None:
    data = {"m": [1, {"true": ["a"]}], "p": [["b", "c"], {"k": [1]}], "e": {"x": {}, "y": []}}
    assert dump_v2(data) == (
        "e:\n  x: {}\n  \"y\": []\nm:\n- 1\n- \"true\":\n  - a\np:\n- - b\n  - c\n- k:\n  - 1\n"
    )
    assert dump_v3(data) == (
        "e:\n  x: {}\n  \"y\": []\nm:\n  - 1\n  - \"true\":\n      - a\n"
        "p:\n  - - b\n    - c\n  - k:\n      - 1\n"
    )


def test_v3_prints_floats_with_g_and_never_folds() -> None:
    k = "k" * 130
    assert dump_v3({"a": 1000000.0, "b": 2.0, "c": "w " * 60, k: "v", "a\nb": 1}) == (
        "a: 1e+06\n? |-\n  a\n  b\n: 1\nb: 2\nc: '" + "w " * 60 + f"'\n? {k}\n: v\n"
    )


def test_long_and_multiline_keys_are_complex() -> None:
    k = "k" * 130
    assert dump_v2({k: "v", "a\nb": 1}) == f"? |-\n  a\n  b\n: 1\n? {k}\n: v\n"


def test_natural_key_order() -> None:
    keys = ["-1", "_x", "1", "1.5", "9", "10", "A", "B2", "Z", "a-b", "a.b", "a_b", "a1", "a9",
            "a10", "ab", "b", "b9y", "b10x", "x1", "x2", "x02", "é"]
    assert sorted_keys(dict.fromkeys(reversed(keys))) == keys


def test_marshal_errors() -> None:
    with pytest.raises(JSONError, match=r"json: unsupported value: NaN"):
        dump_v2({"a": float("nan")})
