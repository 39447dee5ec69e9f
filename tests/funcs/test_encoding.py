"""Direct tests of kelm.funcs.encoding (Go's base64/base32 StdEncoding, sprig error-as-result)."""

import pytest

from kelm.funcs.encoding import FUNCS


def test_encode():
    assert FUNCS["b64enc"]("é€😀") == "w6nigqzwn5iA"
    assert FUNCS["b32enc"]("hi") == "NBUQ===="
    assert FUNCS["b64enc"]("") == ""


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("YWJj\nZGVm", "abcdef"),
        ("YW\r\nJj", "abc"),
        ("YQ==\n", "a"),
        ("!!", "illegal base64 data at input byte 0"),
        ("YQ", "illegal base64 data at input byte 0"),
        ("YQ=", "illegal base64 data at input byte 3"),
        ("YQ===", "illegal base64 data at input byte 4"),
        ("Y", "illegal base64 data at input byte 0"),
        ("YQ==x", "illegal base64 data at input byte 4"),
        ("YQ=x", "illegal base64 data at input byte 2"),
        ("YWJjZA", "illegal base64 data at input byte 4"),
        ("YWJjZGVm!", "illegal base64 data at input byte 8"),
        ("\n\n", ""),
    ],
)
def test_b64dec(text, want):
    assert FUNCS["b64dec"](text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("MFRGG===", "abc"),
        ("MF\nRGG===", "abc"),
        ("ME", "illegal base32 data at input byte 0"),
        ("ME=====", "illegal base32 data at input byte 7"),
        ("M=======", "illegal base32 data at input byte 1"),
        ("MFRGG====", "abc"),
        ("MFRGGZDFMFRA", "illegal base32 data at input byte 8"),
        ("mfrgg===", "illegal base32 data at input byte 0"),
        ("MFRGG=x=", "illegal base32 data at input byte 5"),
        ("ME======ME======", "illegal base32 data at input byte 2"),
        ("MFRGGZDFME======", "abcdea"),
        ("MFRGGZD=", "abcd"),
    ],
)
def test_b32dec(text, want):
    assert FUNCS["b32dec"](text) == want


def test_invalid_utf8_round_trips():
    raw = FUNCS["b64dec"]("//79")
    assert FUNCS["b64enc"](raw) == "//79"
