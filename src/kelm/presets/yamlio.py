"""YAML output for presets' CLI: kelm.yaml's go-yaml v2 style (as kubectl prints)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def dump_documents(docs: Sequence[Any]) -> str:
    """Multi-document YAML, documents separated by ``---``; key order kept."""
    return "---\n".join(dump_document(d) for d in docs)


def dump_document(doc: Any) -> str:
    from kelm.yaml import dump_v2

    return dump_v2(doc)
