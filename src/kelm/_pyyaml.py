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

from kelm.lazyre import LazyPattern

_HUGE_CLASS_MARK = "\uD7FF"  # only Unicode-wide character classes contain it


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
