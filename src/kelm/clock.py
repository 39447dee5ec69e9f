"""The wall clock kelm reads, in one place.

Template functions (``now``, ``date`` of a non-time, ``ago``, generated certificates) read the
time through here so a test can move the clock (:func:`shift`) and prove that nothing depends on
the day it runs.  Monotonic time is not affected.
"""

from __future__ import annotations

import time as _time

_offset_ns = 0


def time_ns() -> int:
    """Nanoseconds since the Unix epoch, as ``time.time_ns`` plus the test offset."""
    return _time.time_ns() + _offset_ns


def time() -> float:
    """Seconds since the Unix epoch, as ``time.time`` plus the test offset."""
    return _time.time() + _offset_ns / 1e9


def shift(seconds: float) -> float:
    """Move the clock ``seconds`` ahead of the real one (0 restores it); returns the old shift."""
    global _offset_ns
    old = _offset_ns / 1e9
    _offset_ns = int(seconds * 1e9)
    return old
