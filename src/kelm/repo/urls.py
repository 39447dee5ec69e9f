"""URL helpers with Go ``net/url`` semantics where Helm relies on them."""

from __future__ import annotations

import posixpath
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit


def _clean(p: str) -> str:
    c = posixpath.normpath(p) if p else "."
    if c.startswith("//"):
        c = "/" + c.lstrip("/")
    return c


def url_equal(a: str, b: str) -> bool:
    """Helm's ``urlutil.Equal``: compare after cleaning the paths (empty path = ``/``)."""
    try:
        ua, ub = urlsplit(a), urlsplit(b)
    except ValueError:
        return _clean(a) == _clean(b)

    def norm(u: SplitResult) -> str:
        parts = list(u)
        parts[2] = _clean(parts[2] or "/")
        return urlunsplit(parts)

    return norm(ua) == norm(ub)


def url_join(base: str, *paths: str) -> str:
    """``urlutil.URLJoin``: join path elements onto the URL's path."""
    u = urlsplit(base)
    joined = posixpath.join(u.path, *paths) if (u.path or paths) else ""
    joined = _clean(joined) if joined else joined
    return urlunsplit((u.scheme, u.netloc, joined, u.query, u.fragment))


def resolve_reference_url(base: str, ref: str) -> str:
    """``repo.ResolveReferenceURL``: absolute refs stay; relative ones resolve under base/."""
    r = urlsplit(ref)
    if r.scheme:
        return ref
    b = urlsplit(base)
    path = b.path.rstrip("/") + "/"
    resolved = urljoin(urlunsplit((b.scheme, b.netloc, path, "", "")), ref)
    ru = urlsplit(resolved)
    return urlunsplit((ru.scheme, ru.netloc, ru.path, b.query, ru.fragment))
