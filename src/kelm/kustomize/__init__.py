"""``kelm kustomize build``: kustomize v5.7.1 (as in kubectl v1.35.2) in pure Python.

API: ``build_yaml(path, options) -> str`` prints exactly what ``kubectl kustomize`` prints;
``build(path, options) -> list[dict]`` returns the objects; ``KustomizeError`` on failure.
"""

from __future__ import annotations

from kelm.kustomize.build import Options, build
from kelm.kustomize.emit import build_yaml, to_yaml
from kelm.kustomize.errors import KustomizeError

__all__ = ["KustomizeError", "Options", "build", "build_yaml", "to_yaml"]
