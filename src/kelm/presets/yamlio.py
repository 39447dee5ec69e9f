"""YAML output for presets' CLI: kelm.yaml's go-yaml v2 style when available, else PyYAML."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def dump_documents(docs: Sequence[Any]) -> str:
    """Multi-document YAML, documents separated by ``---``; key order kept."""
    return "---\n".join(dump_document(d) for d in docs)


def dump_document(doc: Any) -> str:
    try:
        from kelm.yaml import dump_v2  # type: ignore[attr-defined]
    except ImportError:
        dump_v2 = None
    if dump_v2 is not None:
        return str(dump_v2(doc))
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(doc, Dumper=dumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=1 << 20)
