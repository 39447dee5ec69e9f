"""The template set Helm renders with: builtins, sprig, and Helm's own functions.

The function map is built once per process and reused, so the engine's parse/compile cache
(keyed by the map's identity) is shared by every render and every ``tpl`` call.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

    from kelm.gotemplate import TemplateSet


@lru_cache(maxsize=1)
def helm_funcs() -> Mapping[str, Any]:
    """Sprig plus Helm's functions (one shared, read-only map object that imports a function
    group only when a template calls one of its functions)."""
    from kelm.funcs import lazy_funcs

    return lazy_funcs()


def resolve_host(name: str) -> str:
    """``getHostByName`` with ``--enable-dns``: one of the addresses the system resolver gives
    for ``name``, picked at random as Helm does (no address: Go's ``rand.Intn`` panic)."""
    import random
    import socket

    from kelm.golang.value import GoError

    try:
        infos = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        infos = []
    addrs = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addrs:
        raise GoError("invalid argument to Intn")
    return random.choice(addrs)


@lru_cache(maxsize=1)
def helm_funcs_with_dns() -> Mapping[str, Any]:
    """:func:`helm_funcs` with ``getHostByName`` doing real lookups (``--enable-dns``; a plain
    copy: the template set would copy this map anyway)."""
    from kelm.golang.value import GoFunc

    return {**helm_funcs(), "getHostByName": GoFunc(resolve_host, ("string",), "string")}


def build_template_set(strict: bool, lint_mode: bool, enable_dns: bool,
                       lookup: Any = None) -> TemplateSet:
    """A fresh set over the shared function map, with one render's options (``lookup``:
    what answers the ``lookup`` function, None for Helm's offline empty map)."""
    from kelm.funcs.helm import RenderContext
    from kelm.gotemplate import TemplateSet

    funcs = helm_funcs_with_dns() if enable_dns else helm_funcs()
    ts = TemplateSet(funcs, "error" if strict else "zero", "gotpl")
    ts.host = RenderContext(lint_mode=lint_mode, strict=strict, lookup=lookup)
    return ts
