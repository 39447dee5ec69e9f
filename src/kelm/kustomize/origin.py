"""buildMetadata origin and transformer annotations (their exact YAML text)."""

from __future__ import annotations

import os
from typing import Any

from kelm.kustomize.resource import Resource


def join(*parts: str) -> str:
    """Go's filepath.Join: skip empty parts, clean the result."""
    ps = [p for p in parts if p]
    return os.path.normpath(os.path.join(*ps)) if ps else ""


def plugin_origin(cfg: Resource) -> dict[str, Any] | None:
    if cfg.origin is None:
        return None
    by = {"apiVersion": cfg.api_version, "kind": cfg.kind, "name": cfg.name}
    if cfg.namespace:
        by["namespace"] = cfg.namespace
    out: dict[str, Any] = {}
    for key in ("repo", "ref"):
        if cfg.origin.get(key):
            out[key] = cfg.origin[key]
    out["configuredIn"] = cfg.origin.get("path", "")
    out["configuredBy"] = by
    return out


def format_origin(o: dict[str, Any]) -> str:
    lines = []
    for key in ("path", "repo", "ref", "configuredIn"):
        if o.get(key):
            lines.append(f"{key}: {o[key]}")
    by = o.get("configuredBy")
    if by:
        lines.append("configuredBy:")
        for key in ("apiVersion", "kind", "name", "namespace"):
            if by.get(key):
                lines.append(f"  {key}: {by[key]}")
    return "\n".join(lines) + "\n"


def format_transformations(ts: list[dict[str, Any]]) -> str:
    out = []
    for o in ts:
        body = format_origin(o).rstrip("\n").split("\n")
        out.append("- " + body[0])
        out.extend("  " + x for x in body[1:])
    return "\n".join(out) + "\n"
