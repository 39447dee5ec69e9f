"""Direct tests of kelm.funcs.network (Go 1.25 net/url as sprig uses it; Helm's DNS stub)."""

import pytest

from kelm.funcs.network import FUNCS
from kelm.golang.value import GoError


def test_url_parse():
    got = FUNCS["urlParse"]("https://u:p@host:8080/p/a?q=1#frag")
    assert got == {
        "scheme": "https", "host": "host:8080", "hostname": "host", "path": "/p/a",
        "query": "q=1", "opaque": "", "fragment": "frag", "userinfo": "u:p",
    }
    assert FUNCS["urlParse"]("HTTP://Example.COM/A%20b")["path"] == "/A b"
    assert FUNCS["urlParse"]("mailto:a@b.c")["opaque"] == "a@b.c"
    assert FUNCS["urlParse"]("http://u%40x:p%3A@h/")["userinfo"] == "u%40x:p%3A"
    assert FUNCS["urlParse"]("http://[fe80::1%25en0]:8080/")["hostname"] == "fe80::1%en0"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://h/%zz", 'invalid URL escape "%zz"'),
        ("http://a b.com/", 'invalid character " " in host name'),
        ("http://h:port/", 'invalid port ":port" after host'),
        (":foo", "missing protocol scheme"),
        ("x:y:z", None),
        ("1http://h", "first path segment in URL cannot contain colon"),
        ("http://u^@h/", "net/url: invalid userinfo"),
        ("http://[1.2.3.4]/", "invalid IP-literal"),
        ("http://[v1.x]/", 'invalid host: ParseAddr("v1.x"): unexpected character (at "v1.x")'),
        ("http://[12345::]/", 'invalid host: ParseAddr("12345::"): each group must have 4 or less '
                              'digits (at "12345::")'),
        ("http://[::1.2.3.04]/", 'invalid host: ParseAddr("::1.2.3.04"): IPv4 field has octet with '
                                 "leading zero"),
    ],
)
def test_url_parse_errors(url, reason):
    if reason is None:
        assert FUNCS["urlParse"](url)["opaque"] == "y:z"
        return
    with pytest.raises(GoError) as e:
        FUNCS["urlParse"](url)
    assert str(e.value) == f'unable to parse url: parse "{url}": {reason}'


def test_url_join():
    join = FUNCS["urlJoin"]
    assert join({"scheme": "https", "host": "h:1", "path": "/a", "query": "x=1", "fragment": "f"}) == (
        "https://h:1/a?x=1#f"
    )
    assert join({"path": "a:b/c"}) == "./a:b/c"
    assert join({"scheme": "http", "host": "h", "path": "/a b/é?", "fragment": "x y!"}) == (
        "http://h/a%20b/%C3%A9%3F#x%20y!"
    )
    assert join({"scheme": "http", "host": "h", "userinfo": "a:b:c"}) == "http://a:b%3Ac@h"
    with pytest.raises(GoError, match="unable to parse scheme key, must be of type string, but int"):
        join({"scheme": 1})
    with pytest.raises(GoError, match="invalid memory address"):
        join({"host": None})


def test_get_host_by_name_is_stubbed():
    assert FUNCS["getHostByName"]("localhost") == ""
