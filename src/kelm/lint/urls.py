"""URL and e-mail checks used by the Chart.yaml rules (the govalidator checks Helm calls).

``is_request_url`` follows Go's ``url.ParseRequestURI`` acceptance plus a non-empty scheme;
``is_url`` and ``is_email`` accept the usual shapes of a web address and a mail address.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")
_HOST_CHARS = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=%\[\]:]*$")


def _valid_authority(auth: str) -> bool:
    if "@" in auth:
        auth = auth.rsplit("@", 1)[1]
    if auth.startswith("["):
        end = auth.find("]")
        if end < 0:
            return False
        port = auth[end + 1 :]
        if port and not re.fullmatch(r":[0-9]*", port):
            return False
        return True
    host, _, port = auth.partition(":")
    if ":" in port or (port and not port.isdigit()):
        return False
    return bool(_HOST_CHARS.match(host))


def is_request_url(raw: str) -> bool:
    """Go's ``url.ParseRequestURI`` succeeds and the URL has a scheme."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        return False
    m = _SCHEME.match(raw)
    if m is None:
        return False
    rest = raw[m.end() :]
    if _BAD_ESCAPE.search(rest.split("#", 1)[0] if "#" not in rest else rest):
        return False
    if not rest.startswith("/"):
        return True  # opaque form such as mailto:x
    if rest.startswith("//"):
        auth = rest[2:].split("/", 1)[0].split("?", 1)[0]
        if not _valid_authority(auth):
            return False
    return True


_ATEXT = r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]"
_LABEL_CH = r"[A-Za-z0-9\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]"
_EMAIL = re.compile(
    rf"^{_ATEXT}+(\.{_ATEXT}+)*@"
    rf"(({_LABEL_CH}|{_LABEL_CH}[A-Za-z0-9\-._~\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]*{_LABEL_CH})\.)+"
    r"([A-Za-z\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]"
    r"([A-Za-z0-9\-_~\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]*"
    r"[A-Za-z\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef])?)\.?$"
)


def is_email(s: str) -> bool:
    return _EMAIL.match(s) is not None


_URL = re.compile(
    r"^((ftp|tcp|udp|wss?|https?)://)?(\S+(:\S*)?@)?"
    r"(\[[0-9a-fA-F:.%]+\]|[A-Za-z0-9\u00a1-\uffff]([A-Za-z0-9\u00a1-\uffff_\-.]*"
    r"[A-Za-z0-9\u00a1-\uffff])?)\.?(:\d{1,5})?([/?#]\S*)?$"
)


def is_url(s: str) -> bool:
    """A web address with an optional scheme (what maintainers' ``url`` must look like)."""
    if not s or len(s) <= 3 or len(s) >= 2083 or s.startswith("."):
        return False
    tmp = s if ("://" in s or ":" not in s) else "http://" + s
    host = tmp.split("://", 1)[1] if "://" in tmp else ""
    host = host.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if host.startswith("."):
        return False
    if "://" not in tmp and "/" in s and "." not in s:
        return False
    return _URL.match(s) is not None
