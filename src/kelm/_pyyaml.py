"""Import PyYAML without paying for a regular expression kelm never uses.

``yaml.reader.Reader.NON_PRINTABLE`` (one huge Unicode class) costs ~10 ms to compile at import
time on every run, yet only PyYAML's pure-Python reader uses it (kelm parses with the C
loader).  Importing ``yaml`` through :func:`import_pyyaml` compiles that pattern on first use
instead; every other pattern is compiled as usual.
"""

from __future__ import annotations

import re
import sys
from typing import Any

_HUGE_CLASS_MARK = "\uD7FF"  # only Unicode-wide character classes contain it


class LazyPattern:
    """A ``re.Pattern`` stand-in compiled on first attribute access."""

    __slots__ = ("_args", "_pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._pattern: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._pattern is None:
            self._pattern = re.compile(*self._args)
        return getattr(self._pattern, name)


def import_pyyaml() -> None:
    """Import ``yaml`` (once), deferring the compilation of its Unicode-wide patterns."""
    if "yaml" in sys.modules:
        return
    real = re.compile

    def lazy_compile(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and _HUGE_CLASS_MARK in pattern:
            return LazyPattern(pattern, flags)
        return real(pattern, flags)

    re.compile = lazy_compile  # type: ignore[assignment]
    try:
        import yaml  # noqa: F401
    finally:
        re.compile = real
