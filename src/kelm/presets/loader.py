"""Reading presets and manifests from YAML files and directories.

Each document keeps ``file:line`` of its start so errors can point at it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kelm.presets.errors import PresetError
from kelm.presets.model import PodPreset, is_preset_document, parse_preset

YAML_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Document:
    data: Any
    source: str  # "file:line"


def load_documents(text: str, name: str) -> list[Document]:
    """Every non-empty YAML document of ``text``, read as kubectl reads manifests
    (:mod:`kelm.yaml.loader`'s ``k8s`` flavour); raises PresetError on invalid YAML."""
    from kelm.yaml.loader import YAMLError, go_loader, load_all_go

    try:
        pairs = load_all_go(text, go_loader("k8s"), lines=True)
    except YAMLError as e:
        where = f"{name}:{e.line}" if e.line else name
        raise PresetError(f"invalid YAML: {e.message}", source=where) from None
    return [Document(data, f"{name}:{line}") for line, data in pairs if data is not None]


def yaml_files(directory: Path) -> list[Path]:
    """YAML/JSON files below ``directory``, sorted; hidden files and directories are skipped
    (a ConfigMap volume keeps its real files under ``..data``, with symlinks at the top)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [
            Path(root, f) for f in sorted(files)
            if not f.startswith(".") and f.endswith(YAML_SUFFIXES)
        ]
    return found


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; directories expanded to their YAML/JSON files (recursive, sorted)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += yaml_files(path)
        elif path.exists():
            out.append(path)
        else:
            raise PresetError("no such file or directory", source=str(path))
    return out


def load_paths(paths: Iterable[str | Path]) -> list[Document]:
    docs: list[Document] = []
    for path in expand_paths(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise PresetError(f"cannot read: {e}", source=str(path)) from None
        docs += load_documents(text, str(path))
    return docs


def flatten_lists(docs: Iterable[Document]) -> list[Document]:
    """Expand ``kind: PodPresetList`` into its items (other lists stay as they are)."""
    out: list[Document] = []
    for doc in docs:
        data = doc.data
        if isinstance(data, dict) and data.get("kind") == "PodPresetList":
            out += [Document(item, doc.source) for item in data.get("items") or ()]
        else:
            out.append(doc)
    return out


def presets_from_documents(docs: Iterable[Document], *, strict: bool = True) -> list[PodPreset]:
    """Parse the PodPreset documents; other kinds are ignored unless ``strict``."""
    presets: list[PodPreset] = []
    for doc in flatten_lists(docs):
        if is_preset_document(doc.data):
            presets.append(parse_preset(doc.data, source=doc.source))
        elif strict:
            kind = doc.data.get("kind") if isinstance(doc.data, dict) else type(doc.data).__name__
            raise PresetError(f"expected a PodPreset, got kind {kind!r}", source=doc.source)
    return presets


def load_presets(paths: Iterable[str | Path]) -> list[PodPreset]:
    """All presets in the given files/directories; raises PresetError for any invalid one."""
    from kelm.presets.apply import coerce_presets

    return coerce_presets(presets_from_documents(load_paths(paths)))
