"""Direct tests of kelm.funcs.regex: Go regexp semantics (iteration, expansion, errors)
on RE2; expected values are Helm v4.1.4 outputs."""

from __future__ import annotations

import pytest

from kelm.funcs.regex import FUNCS, compile_go, quote_meta
from kelm.golang.value import GoError, GoInt, go_type


def call(name, *args):
    return FUNCS[name](*args)


ALL = GoInt(-1)


def test_find_all_skips_empty_match_after_match():
    assert call("regexFindAll", "a*", "baaac", ALL) == ["", "aaa", ""]
    assert call("regexFindAll", "", "abc", ALL) == ["", "", "", ""]
    assert call("regexFindAll", "[0-9]+", "a1b22c333", GoInt(2)) == ["1", "22"]
    assert call("regexFindAll", "[0-9]+", "a1b22c333", GoInt(0)) == []
    assert call("regexFindAll", ".", "héllo", ALL) == ["h", "é", "l", "l", "o"]
    assert go_type(call("mustRegexFindAll", "a", "aa", ALL)) == "[]string"


def test_replace_all_expansion():
    assert call("regexReplaceAll", "a(x*)b", "-ab-axxb-", "${1}W") == "-W-xxW-"
    assert call("regexReplaceAll", "a(x*)b", "-ab-axxb-", "$1W") == "---"  # group "1W"
    assert call("regexReplaceAll", "a(?P<n>x*)b", "-axb-", "${n}$$") == "-x$-"
    assert call("regexReplaceAll", "(?P<n>a)|(?P<n>b)", "ab", "<$n>") == "<a><b>"
    assert call("regexReplaceAll", "(b)", "abc", "$01") == "ac"
    assert call("regexReplaceAll", "b", "abc", "${") == "a${c"
    assert call("regexReplaceAll", "a*", "baaac", "X") == "XbXcX"
    assert call("regexReplaceAll", "", "hé", ".") == ".h.é."
    assert call("regexReplaceAllLiteral", "a", "aa", "$1$$") == "$1$$$1$$"


def test_split():
    assert call("regexSplit", "z+", "pizza", ALL) == ["pi", "a"]
    assert call("regexSplit", "z+", "pizza", GoInt(0)) == []
    assert call("regexSplit", "z+", "pizza", GoInt(1)) == ["pizza"]
    assert call("regexSplit", "", "abc", ALL) == ["a", "b", "c"]
    assert call("regexSplit", ",", ",a,,b,", ALL) == ["", "a", "", "b", ""]
    assert call("regexSplit", "x", "", ALL) == [""]
    assert call("regexSplit", "", "", ALL) == []


def test_match_and_find():
    assert call("regexMatch", "^a$", "a\n") is False
    assert call("regexMatch", "(?i)k", "\u212a") is True
    assert call("regexMatch", "^\\w+$", "é") is False
    assert call("regexMatch", "(", "x") is False
    assert call("regexFind", "a|ab", "ab") == "a"
    assert call("regexFind", "x", "abc") == ""
    assert quote_meta("1.2+[x]-#") == "1\\.2\\+\\[x\\]-#"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(", "missing closing ): `(`"),
        ("a)", "unexpected ): `a)`"),
        ("[a", "missing closing ]: `[a`"),
        ("*", "missing argument to repetition operator: `*`"),
        ("a**", "invalid nested repetition operator: `**`"),
        ("x{1001}", "invalid repeat count: `{1001}`"),
        ("[z-a]", "invalid character class range: `z-a`"),
        ("\\8", "invalid escape sequence: `\\8`"),
        ("\\C", "invalid escape sequence: `\\C`"),
        ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
        ("(?P<>a)", "invalid named capture: `(?P<>`"),
        ("\\", "trailing backslash at end of expression: ``"),
    ],
)
def test_go_error_texts(pattern, message):
    with pytest.raises(GoError) as must:
        call("mustRegexFind", pattern, "x")
    assert str(must.value) == "error parsing regexp: " + message
    with pytest.raises(GoError) as panics:
        call("regexFind", pattern, "x")
    assert str(panics.value).startswith("regexp: Compile(")
    assert str(panics.value).endswith("error parsing regexp: " + message)


def test_compile_quotes_pattern_like_go():
    with pytest.raises(GoError) as e:
        call("regexSplit", "a`(", "x", ALL)
    assert str(e.value).startswith('regexp: Compile("a`("): ')
    assert compile_go("\\Q\\C\\E").search(b"\\C", 0) is not None


def test_invalid_utf8_bytes_match_as_replacement_runes():
    bad = b"\xff\xfe\xfd".decode("utf-8", "surrogateescape")
    assert len(call("regexFindAll", ".", bad, ALL)) == 3
    assert call("regexReplaceAll", ".", bad, "x") == "xxx"
    assert call("regexMatch", "^.+$", bad) is True
    assert call("regexMatch", "\\x{FFFD}", "\udcff") is True
    assert call("regexFind", "[^a]", "\udcff") == "\udcff"
