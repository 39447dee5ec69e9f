"""Helm v4 releases: the record (:mod:`.model`), its storage form (:mod:`.codec`), the
storage drivers (memory, secret, configmap, sql) and the :class:`Storage` facade.

Imports are lazy: ``from kelm.release import Release`` loads only the model.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

_EXPORTS = {
    "Release": "model",
    "Info": "model",
    "Hook": "model",
    "HookExecution": "model",
    "Status": "model",
    "HookPhase": "model",
    "ReleaseDecodeError": "errors",
    "encode_release": "model",
    "decode_release": "model",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'kelm.release' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"kelm.release.{mod}"), name)
