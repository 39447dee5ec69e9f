"""Helpers for the plain ``__slots__`` classes that replace dataclasses on hot start-up paths.

Creating a dataclass costs about a millisecond per class (plus ~15 ms for importing
``dataclasses`` and ``inspect``), paid by every ``kelm template`` process.  Classes on that
path are written out by hand instead; these two functions give them a dataclass's equality
and repr over their ``__slots__`` (in declaration order).
"""

from __future__ import annotations


def slot_values(obj: object) -> tuple[object, ...]:
    """The field values in declaration order (what a dataclass's ``__eq__`` compares)."""
    return tuple(getattr(obj, k) for k in obj.__slots__)  # type: ignore[attr-defined]


def slot_repr(obj: object) -> str:
    """``Name(field=value, ...)`` like a dataclass's repr."""
    inner = ", ".join(f"{k}={getattr(obj, k)!r}" for k in obj.__slots__)  # type: ignore[attr-defined]
    return f"{type(obj).__qualname__}({inner})"
