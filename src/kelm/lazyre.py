"""Regular expressions compiled on first use: module-level patterns cost start-up time on
every run (several milliseconds each for the large ones) even when never matched."""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class LazyPattern:
    """A ``re.Pattern`` stand-in compiled on first attribute access."""

    __slots__ = ("_args", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._pattern: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._pattern is None:
            from kelm import recache

            self._pattern = recache.compile(*self._args)
        return getattr(self._pattern, name)


def lazy_compile(pattern: str, flags: int = 0) -> Any:
    """``re.compile`` deferred until the pattern is first used."""
    return LazyPattern(pattern, flags)
