"""Template function registry: sprig's groups plus Helm's own functions.

Each module listed in ``_MODULES`` defines ``FUNCS: dict[str, GoFunc]``.  Modules are imported
lazily on first use and the merged maps are cached.  A module that does not exist yet is
skipped, so groups can land independently.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from kelm.gotemplate.govalue import GoFunc

# sprig groups, in merge order (a later module wins on a name clash)
_MODULES: tuple[str, ...] = (
    "strings",
    "conversion",
    "math",
    "floatmath",
    "defaults",
    "lists",
    "dicts",
    "reflection",
    "paths",
    "regex",
    "semver",
    "network",
    "encoding",
    "crypto",
    "uuid",
    "dates",
    "yamljson",
)

# Helm's additions and overrides (include, tpl, required, toYaml, ...)
_HELM_MODULES: tuple[str, ...] = ("helm",)


def _load(names: tuple[str, ...]) -> dict[str, GoFunc]:
    merged: dict[str, GoFunc] = {}
    for name in names:
        full = f"{__name__}.{name}"
        try:
            mod = importlib.import_module(full)
        except ModuleNotFoundError as e:
            if e.name == full:
                continue
            raise
        merged.update(getattr(mod, "FUNCS", {}))
    return merged


@lru_cache(maxsize=1)
def _sprig() -> dict[str, GoFunc]:
    return _load(_MODULES)


@lru_cache(maxsize=1)
def _all() -> dict[str, GoFunc]:
    merged = dict(_sprig())
    merged.update(_load(_HELM_MODULES))
    return merged


def sprig_funcs() -> dict[str, GoFunc]:
    """Every sprig function available in Helm (a fresh copy; callers may extend it)."""
    return dict(_sprig())


def all_funcs() -> dict[str, GoFunc]:
    """Sprig plus Helm's functions: the map ``helm template`` renders with."""
    return dict(_all())
