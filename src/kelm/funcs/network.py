"""Sprig's network functions: ``urlParse``/``urlJoin`` on Go's ``net/url`` rules, and Helm's
``getHostByName`` (always "" unless DNS lookups are enabled, which kelm does not do).

Go strings are bytes: escaping and unescaping work on UTF-8 bytes, and text that decodes to
invalid UTF-8 travels through ``surrogateescape``.
"""

from __future__ import annotations

from kelm._slots import Record
from kelm.golang.value import GoError, GoFunc, gofunc

from .encoding import from_bytes, to_bytes
from .reflection import kind_of

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

_PATH, _SEGMENT, _HOST, _ZONE, _USERINFO, _QUERY, _FRAGMENT = range(1, 8)
_HEX = "0123456789ABCDEF"


class URLError(Exception):
    """A net/url parse error (the inner text, before ``parse "URL": ``)."""


def _should_escape(c: int, mode: int) -> bool:
    """Go's ``shouldEscape`` (RFC 3986 with Go's exceptions)."""
    ch = chr(c)
    if ch.isascii() and ch.isalnum():
        return False
    if mode in (_HOST, _ZONE) and ch in "!$&'()*+,;=:[]<>\"":
        return False
    if ch in "-_.~":
        return False
    if ch in "$&+,/:;=?@":
        if mode == _PATH:
            return ch == "?"
        if mode == _SEGMENT:
            return ch in "/;,?"
        if mode == _USERINFO:
            return ch in "@/?:"
        if mode == _QUERY:
            return True
        if mode == _FRAGMENT:
            return False
    if mode == _FRAGMENT and ch in "!()*":
        return False
    return True


def _escape(s: str, mode: int) -> str:
    out = []
    for b in to_bytes(s):
        if _should_escape(b, mode):
            if b == 0x20 and mode == _QUERY:
                out.append("+")
            else:
                out.append("%" + _HEX[b >> 4] + _HEX[b & 15])
        else:
            out.append(chr(b))
    return "".join(out)


def _is_hex(b: int) -> bool:
    return chr(b) in "0123456789abcdefABCDEF"


def _unescape(s: str, mode: int) -> str:
    data = to_bytes(s)
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x25:  # %
            if i + 2 >= len(data) or not _is_hex(data[i + 1]) or not _is_hex(data[i + 2]):
                bad = from_bytes(data[i : i + 3])
                raise URLError(f"invalid URL escape {_go_quote(bad)}")
            v = int(data[i + 1 : i + 3], 16)
            if mode == _HOST and int(chr(data[i + 1]), 16) < 8 and data[i : i + 3] != b"%25":
                raise URLError(f"invalid URL escape {_go_quote(from_bytes(data[i : i + 3]))}")
            if mode == _ZONE and data[i : i + 3] != b"%25" and v != 0x20 and _should_escape(
                v, _HOST
            ):
                raise URLError(f"invalid URL escape {_go_quote(from_bytes(data[i : i + 3]))}")
            i += 3
        else:
            if mode in (_HOST, _ZONE) and b < 0x80 and _should_escape(b, mode):
                raise URLError(f"invalid character {_go_quote(chr(b))} in host name")
            i += 1
    out = bytearray()
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x25:
            out.append(int(data[i + 1 : i + 3], 16))
            i += 3
            continue
        out.append(0x20 if b == 0x2B and mode == _QUERY else b)
        i += 1
    return from_bytes(bytes(out))


def _go_quote(s: str) -> str:
    from kelm.golang.fmt import quote

    return quote(s)


class URL(Record):
    """The fields of Go's ``url.URL`` that sprig reads or writes."""

    __slots__ = ("scheme", "opaque", "user", "host", "path", "raw_path", "force_query",
                 "raw_query", "fragment", "raw_fragment")

    def __init__(self, scheme: str = "", opaque: str = "",
                 user: tuple[str, str | None] | None = None, host: str = "", path: str = "",
                 raw_path: str = "", force_query: bool = False, raw_query: str = "",
                 fragment: str = "", raw_fragment: str = "") -> None:
        self.scheme = scheme
        self.opaque = opaque
        self.user = user  # (username, password or None)
        self.host = host
        self.path = path
        self.raw_path = raw_path
        self.force_query = force_query
        self.raw_query = raw_query
        self.fragment = fragment
        self.raw_fragment = raw_fragment

    def hostname(self) -> str:
        host = self.host
        colon = host.rfind(":")
        if colon != -1 and _valid_port(host[colon:]):
            host = host[:colon]
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        return host

    def userinfo(self) -> str:
        if self.user is None:
            return ""
        name, password = self.user
        s = _escape(name, _USERINFO)
        if password is not None:
            s += ":" + _escape(password, _USERINFO)
        return s

    def escaped_path(self) -> str:
        if self.raw_path and _valid_encoded(self.raw_path, _PATH):
            try:
                if _unescape(self.raw_path, _PATH) == self.path:
                    return self.raw_path
            except URLError:
                pass
        if self.path == "*":
            return "*"
        return _escape(self.path, _PATH)

    def escaped_fragment(self) -> str:
        if self.raw_fragment and _valid_encoded(self.raw_fragment, _FRAGMENT):
            try:
                if _unescape(self.raw_fragment, _FRAGMENT) == self.fragment:
                    return self.raw_fragment
            except URLError:
                pass
        return _escape(self.fragment, _FRAGMENT)

    def string(self) -> str:
        """Go's ``URL.String``."""
        buf = []
        if self.scheme:
            buf.append(self.scheme + ":")
        if self.opaque:
            buf.append(self.opaque)
        else:
            if self.scheme or self.host or self.user is not None:
                if self.host or self.path or self.user is not None:
                    buf.append("//")
                if self.user is not None:
                    buf.append(self.userinfo() + "@")
                if self.host:
                    buf.append(_escape(self.host, _HOST))
            path = self.escaped_path()
            if path and path[0] != "/" and self.host:
                buf.append("/")
            if not buf and ":" in path.split("/", 1)[0]:
                buf.append("./")
            buf.append(path)
        if self.force_query or self.raw_query:
            buf.append("?" + self.raw_query)
        if self.fragment:
            buf.append("#" + self.escaped_fragment())
        return "".join(buf)


def _valid_encoded(s: str, mode: int) -> bool:
    for b in to_bytes(s):
        if chr(b) in "!$&'()*+,;=:@[]%":
            continue
        if _should_escape(b, mode):
            return False
    return True


def _valid_port(port: str) -> bool:
    if port == "":
        return True
    return port[0] == ":" and all("0" <= c <= "9" for c in port[1:])


def _get_scheme(raw: str) -> tuple[str, str]:
    for i, ch in enumerate(raw):
        if "a" <= ch <= "z" or "A" <= ch <= "Z":
            continue
        if "0" <= ch <= "9" or ch in "+-.":
            if i == 0:
                return "", raw
            continue
        if ch == ":":
            if i == 0:
                raise URLError("missing protocol scheme")
            return raw[:i], raw[i + 1 :]
        return "", raw
    return "", raw


def _valid_userinfo(s: str) -> bool:
    for ch in s:
        if ch.isascii() and ch.isalnum():
            continue
        if ch not in "-._:~!$&'()*+,;=%@":
            return False
    return True


def _parse_host(host: str) -> str:
    """Go 1.25's ``parseHost``: ``host[:port]``, where a bracketed host must be an IPv6
    literal (optionally with a ``%25``-escaped zone)."""
    bracket = host.rfind("[")
    if bracket > 0:
        raise URLError("invalid IP-literal")
    if bracket == 0:
        close = host.rfind("]")
        if close < 0:
            raise URLError("missing ']' in host")
        colon_port = host[close + 1 :]
        if not _valid_port(colon_port):
            raise URLError(f"invalid port {_go_quote(colon_port)} after host")
        colon_port = _unescape(colon_port, _HOST)
        literal = host[1:close]
        zone = literal.find("%25")
        if zone >= 0:
            name = _unescape(literal[:zone], _HOST) + _unescape(literal[zone:], _ZONE)
        else:
            name = _unescape(literal, _HOST)
        try:
            is4 = parse_addr(name) == 4
        except URLError as e:
            raise URLError(f"invalid host: {e}") from None
        if is4:
            raise URLError("invalid IP-literal")
        return "[" + name + "]" + colon_port
    i = host.rfind(":")
    if i != -1 and not _valid_port(host[i:]):
        raise URLError(f"invalid port {_go_quote(host[i:])} after host")
    return _unescape(host, _HOST)


def _addr_error(text: str, msg: str, at: str = "") -> URLError:
    tail = f" (at {_go_quote(at)})" if at else ""
    return URLError(f"ParseAddr({_go_quote(text)}): {msg}{tail}")


def parse_addr(s: str) -> int:
    """Go's ``netip.ParseAddr`` as a validator: 4 or 6, or URLError with Go's text."""
    for ch in s:
        if ch == ".":
            _parse_ipv4(s)
            return 4
        if ch == ":":
            _parse_ipv6(s)
            return 6
        if ch == "%":
            raise _addr_error(s, "missing IPv6 address")
    raise _addr_error(s, "unable to parse IP")


def _parse_ipv4(s: str, text: str | None = None) -> None:
    """IPv4 dotted quad; errors name ``text`` (the whole address an embedded IPv4 ends)."""
    full = s if text is None else text
    val = pos = digits = 0
    for i, ch in enumerate(s):
        if "0" <= ch <= "9":
            if digits == 1 and val == 0:
                raise _addr_error(full, "IPv4 field has octet with leading zero")
            val = val * 10 + ord(ch) - 48
            digits += 1
            if val > 255:
                raise _addr_error(full, "IPv4 field has value >255")
        elif ch == ".":
            if i == 0 or i == len(s) - 1 or s[i - 1] == ".":
                raise _addr_error(full, "IPv4 field must have at least one digit", s[i:])
            if pos == 3:
                raise _addr_error(full, "IPv4 address too long")
            pos += 1
            val = digits = 0
        else:
            raise _addr_error(full, "unexpected character", s[i:])
    if pos < 3:
        raise _addr_error(full, "IPv4 address too short")


def _parse_ipv6(text: str) -> None:
    s = text
    if "%" in s:
        s, zone = s.split("%", 1)
        if zone == "":
            raise _addr_error(text, "zone must be a non-empty string")
    ellipsis = -1
    if s.startswith("::"):
        ellipsis = 0
        s = s[2:]
        if not s:
            return
    i = 0
    while i < 16:
        off = 0
        acc = 0
        while off < len(s) and s[off] in "0123456789abcdefABCDEF":
            if off > 3:
                raise _addr_error(text, "each group must have 4 or less digits", s)
            acc = acc * 16 + int(s[off], 16)
            off += 1
        if off == 0:
            raise _addr_error(text, "each colon-separated field must have at least one digit", s)
        if off < len(s) and s[off] == ".":
            if ellipsis < 0 and i != 12:
                raise _addr_error(
                    text, "embedded IPv4 address must replace the final 2 fields of the address", s
                )
            if i + 4 > 16:
                raise _addr_error(
                    text, "too many hex fields to fit an embedded IPv4 at the end of the address", s
                )
            _parse_ipv4(s, text)
            s = ""
            i += 4
            break
        i += 2
        s = s[off:]
        if not s:
            break
        if s[0] != ":":
            raise _addr_error(text, "unexpected character, want colon", s)
        if len(s) == 1:
            raise _addr_error(text, "colon must be followed by more characters", s)
        s = s[1:]
        if s[0] == ":":
            if ellipsis >= 0:
                raise _addr_error(text, "multiple :: in address", s)
            ellipsis = i
            s = s[1:]
            if not s:
                break
    if s:
        raise _addr_error(text, "trailing garbage after address", s)
    if i < 16 and ellipsis < 0:
        raise _addr_error(text, "address string too short")
    if i >= 16 and ellipsis >= 0:
        raise _addr_error(text, "the :: must expand to at least one field of zeros")


def _parse_authority(authority: str) -> tuple[tuple[str, str | None] | None, str]:
    i = authority.rfind("@")
    host = _parse_host(authority if i < 0 else authority[i + 1 :])
    if i < 0:
        return None, host
    userinfo = authority[:i]
    if not _valid_userinfo(userinfo):
        raise URLError("net/url: invalid userinfo")
    if ":" not in userinfo:
        return (_unescape(userinfo, _USERINFO), None), host
    name, _, password = userinfo.partition(":")
    return (_unescape(name, _USERINFO), _unescape(password, _USERINFO)), host


def _parse(raw: str) -> URL:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise URLError("net/url: invalid control character in URL")
    url = URL()
    if raw == "*":
        url.path = "*"
        return url
    scheme, rest = _get_scheme(raw)
    url.scheme = scheme.lower()
    if rest.endswith("?") and rest.count("?") == 1:
        url.force_query = True
        rest = rest[:-1]
    else:
        rest, _, url.raw_query = rest.partition("?")
    if not rest.startswith("/"):
        if url.scheme:
            url.opaque = rest
            return url
        if ":" in rest.split("/", 1)[0]:
            raise URLError("first path segment in URL cannot contain colon")
    if (url.scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, rest = rest[2:], ""
        slash = authority.find("/")
        if slash >= 0:
            authority, rest = authority[:slash], authority[slash:]
        url.user, url.host = _parse_authority(authority)
    url.path = _unescape(rest, _PATH)
    url.raw_path = "" if _escape(url.path, _PATH) == rest else rest
    return url


def parse_url(raw: str) -> URL:
    """Go's ``url.Parse``; GoError ``parse "URL": reason`` on failure."""
    u, _, frag = raw.partition("#")
    try:
        url = _parse(u)
    except URLError as e:
        raise GoError(f"parse {_go_quote(u)}: {e}") from None
    if frag:
        try:
            url.fragment = _unescape(frag, _FRAGMENT)
        except URLError as e:
            raise GoError(f"parse {_go_quote(raw)}: {e}") from None
        url.raw_fragment = "" if _escape(url.fragment, _FRAGMENT) == frag else frag
    return url


@gofunc("func(string) map[string]interface {}")
def url_parse(v: str) -> dict[str, Any]:
    try:
        u = parse_url(v)
    except GoError as e:
        raise GoError(f"unable to parse url: {e}") from None
    return {
        "scheme": u.scheme,
        "host": u.host,
        "hostname": u.hostname(),
        "path": u.path,
        "query": u.raw_query,
        "opaque": u.opaque,
        "fragment": u.fragment,
        "userinfo": u.userinfo(),
    }


def _dict_string(d: dict | None, key: str) -> str:
    if d is None or key not in d:
        return ""
    v = d[key]
    kind = kind_of(v)
    if not isinstance(v, str):
        raise GoError(
            f"unable to parse {key} key, must be of type string, but {kind} found"
        )
    return v


@gofunc("func(map[string]interface {}) string")
def url_join(d: dict | None) -> str:
    u = URL(
        scheme=_dict_string(d, "scheme"),
        host=_dict_string(d, "host"),
        path=_dict_string(d, "path"),
        raw_query=_dict_string(d, "query"),
        opaque=_dict_string(d, "opaque"),
        fragment=_dict_string(d, "fragment"),
    )
    userinfo = _dict_string(d, "userinfo")
    if userinfo:
        try:
            u.user = parse_url(f"proto://{userinfo}@host").user
        except GoError as e:
            raise GoError(f"unable to parse userinfo in dict: {e}") from None
    return u.string()


@gofunc("func(string) string")
def get_host_by_name(_name: str) -> str:
    """Helm replaces sprig's DNS lookup with this unless ``--enable-dns`` is given."""
    return ""


FUNCS: dict[str, GoFunc] = {
    "urlParse": url_parse,
    "urlJoin": url_join,
    "getHostByName": get_host_by_name,
}
