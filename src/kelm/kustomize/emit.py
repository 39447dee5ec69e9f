"""Serialising build output exactly as kubectl kustomize does (go-yaml v2, ``---`` joins)."""

from __future__ import annotations

from typing import Any

from kelm.kustomize.build import Options, build


def to_yaml(objects: list[dict[str, Any]]) -> str:
    from kelm.yaml import dump_v2

    return "---\n".join(dump_v2(o, json_roundtrip=False) for o in objects)


def build_yaml(path: str, opts: Options | None = None,
               warnings: list[str] | None = None) -> str:
    return to_yaml(build(path, opts, warnings))
