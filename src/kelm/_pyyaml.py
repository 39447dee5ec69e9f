"""Import PyYAML without paying for regular expressions kelm never uses (CLI processes only).

PyYAML compiles about ten patterns at import time (``yaml.reader.Reader.NON_PRINTABLE``, one
huge Unicode class, alone costs ~10 ms; the resolver's implicit-tag patterns a few more), yet
kelm parses with the C loader and resolves scalars itself.  In a ``kelm`` command
(:func:`kelm.cli.process.prepare`), :func:`defer_pyyaml_patterns` makes the coming import of
``yaml`` compile each of them on first use instead, by swapping ``re.compile`` for the
duration of that one import.  A library caller's process never sees the swap.
"""

from __future__ import annotations

import re
import sys

from kelm.lazyre import LazyPattern

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType
    from typing import Any


def _lazy_compile(pattern: Any, flags: int = 0) -> Any:
    if isinstance(pattern, str):
        return LazyPattern(pattern, flags)
    return _REAL_COMPILE[0](pattern, flags)


_REAL_COMPILE = [re.compile]


def _exec_with_lazy_patterns(run: Any) -> None:
    real = _REAL_COMPILE[0] = re.compile
    re.compile = _lazy_compile  # restored below
    try:
        run()
    finally:
        re.compile = real


class _Loader:
    """Wraps PyYAML's own loader: executes the package with lazy ``re.compile``."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.real  # as if kelm had not been there
        if module.__spec__ is not None:
            module.__spec__.loader = self.real
        _exec_with_lazy_patterns(lambda: self.real.exec_module(module))


class _Finder:
    """A one-shot ``sys.meta_path`` entry that catches the first ``import yaml``."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name != "yaml":
            return None
        _remove_finder()
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None  # let the other finders handle it, as without kelm
        spec.loader = _Loader(spec.loader)  # type: ignore[assignment]  # a duck-typed Loader
        return spec


def _remove_finder() -> None:
    try:
        sys.meta_path.remove(_Finder)
    except ValueError:
        pass


def defer_pyyaml_patterns() -> None:
    """Have the next ``import yaml`` of this process compile PyYAML's patterns on first use
    (nothing is imported now: commands that never read YAML pay nothing)."""
    if "yaml" in sys.modules or _Finder in sys.meta_path:
        return
    sys.meta_path.insert(0, _Finder)  # a class, as PathFinder
