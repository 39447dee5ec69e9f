"""`kelm create`: write a new chart from kelm's scaffold.

The scaffold (``scaffold/``) renders the same manifests as Helm's ``helm create`` chart so
that users moving between the tools get the same starting point; ``<CHARTNAME>`` in every
file is replaced by the chart's name.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

PLACEHOLDER = "<CHARTNAME>"
# Helm's rule for chart names given to `create`.
_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", re.IGNORECASE)
# scaffold file -> path inside the new chart (package data cannot start with a dot).
_RENAMES = {"helmignore": ".helmignore"}


class CreateError(Exception):
    """A chart cannot be created (bad name, existing non-directory path)."""


def _scaffold_files() -> list[tuple[str, str]]:
    root = resources.files("kelm.action").joinpath("scaffold")
    out: list[tuple[str, str]] = []

    def walk(node, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            elif not child.name.endswith((".py", ".pyc")):
                out.append((_RENAMES.get(rel, rel), child.read_text(encoding="utf-8")))

    walk(root, "")
    return out


def create_chart(path: str | Path) -> Path:
    """Create a chart directory at ``path`` (its last element is the chart name).

    Existing files of the same names are overwritten, as Helm does; other files are kept.
    """
    target = Path(path)
    name = target.name
    if not name or not _NAME_RE.match(name):
        raise CreateError(
            f'chart name must match the regular expression "{_NAME_RE.pattern}": {name!r}'
        )
    if target.exists() and not target.is_dir():
        raise CreateError(f"file {target} already exists and is not a directory")
    for rel, text in _scaffold_files():
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text.replace(PLACEHOLDER, name), encoding="utf-8")
    return target
