"""Sprig's path functions: Go's ``path`` (base, dir, clean, ext, isAbs) and ``path/filepath``
(the os* variants), which on Linux behave identically: purely lexical, ``/`` separated."""

from __future__ import annotations

from kelm.golang.value import GoFunc, gofunc


def clean(p: str) -> str:
    """Go's ``path.Clean``: shortest equivalent path, "." for empty, never a trailing slash."""
    if p == "":
        return "."
    rooted = p.startswith("/")
    out: list[str] = []
    for part in p.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    body = "/".join(out)
    if rooted:
        return "/" + body
    return body or "."


def base(p: str) -> str:
    """Go's ``path.Base``: last element after dropping trailing slashes."""
    if p == "":
        return "."
    p = p.rstrip("/")
    if p == "":
        return "/"
    return p.rsplit("/", 1)[-1]


def dir_(p: str) -> str:
    """Go's ``path.Dir``: everything up to the last slash, cleaned."""
    return clean(p[: p.rfind("/") + 1])


def ext(p: str) -> str:
    """Go's ``path.Ext``: from the last dot of the last element, or ""."""
    for i in range(len(p) - 1, -1, -1):
        if p[i] == "/":
            break
        if p[i] == ".":
            return p[i:]
    return ""


def is_abs(p: str) -> bool:
    return p.startswith("/")


_STR = gofunc("func(string) string")
_BOOL = gofunc("func(string) bool")

FUNCS: dict[str, GoFunc] = {
    "base": _STR(base),
    "dir": _STR(dir_),
    "clean": _STR(clean),
    "ext": _STR(ext),
    "isAbs": _BOOL(is_abs),
    "osBase": _STR(base),
    "osDir": _STR(dir_),
    "osClean": _STR(clean),
    "osExt": _STR(ext),
    "osIsAbs": _BOOL(is_abs),
}
