"""Import PyYAML without paying for regular expressions kelm never uses.

PyYAML compiles about ten patterns at import time (``yaml.reader.Reader.NON_PRINTABLE``, one
huge Unicode class, alone costs ~10 ms; the resolver's implicit-tag patterns a few more), yet
kelm parses with the C loader and resolves scalars itself.  Importing ``yaml`` through
:func:`import_pyyaml` compiles each of them on first use instead.
"""

from __future__ import annotations

import re
import sys

from kelm.lazyre import LazyPattern

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


def import_pyyaml() -> None:
    """Import ``yaml`` (once), deferring the compilation of its patterns to their first use."""
    if "yaml" in sys.modules:
        return
    real = re.compile

    def lazy_compile(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str):
            return LazyPattern(pattern, flags)
        return real(pattern, flags)

    re.compile = lazy_compile  # type: ignore[assignment]
    try:
        import yaml  # noqa: F401
    finally:
        re.compile = real
