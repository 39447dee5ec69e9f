"""Deprecated API check (Helm's ``validateNoDeprecations``), k8s ``deprecation`` wording."""

from __future__ import annotations

from kelm.lint.apitable import DEPRECATED_APIS


def deprecation_warning(api_version: str, kind: str, major: int, minor: int) -> str | None:
    """The warning for ``api_version kind`` on Kubernetes ``major.minor`` (None if fine)."""
    if not api_version or not kind:
        return None
    entry = DEPRECATED_APIS.get((api_version, kind))
    if entry is None:
        return None
    (dmaj, dmin), (rmaj, rmin), repl = entry
    if (dmaj, dmin) == (0, 0):
        return None
    if (major, minor) != (0, 0) and (dmaj > major or (dmaj == major and dmin > minor)):
        return None
    msg = f"{api_version} {kind} is deprecated in v{dmaj}.{dmin}+"
    if (rmaj, rmin) != (0, 0):
        msg += f", unavailable in v{rmaj}.{rmin}+"
    if repl is not None:
        msg += f"; use {repl[0]} {repl[1]}"
    return msg
