"""Base classes for the plain ``__slots__`` classes that replace dataclasses on start-up paths.

Creating a dataclass costs about a millisecond per class (plus ~15 ms for importing
``dataclasses`` and ``inspect``), paid by every ``kelm template`` process.  Classes on that
path declare ``__slots__`` (their fields, in order) and an explicit ``__init__`` instead, and
inherit a dataclass's equality and repr from :class:`Record`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


def slot_values(obj: Record) -> tuple[Any, ...]:
    """The field values in declaration order (what a dataclass's ``__eq__`` compares)."""
    return tuple(getattr(obj, k) for k in obj.__slots__)


class Record:
    """Equality (same class, equal fields) and ``Name(field=value, ...)`` repr over
    ``__slots__``; unhashable, like a mutable dataclass."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__ or not isinstance(other, Record):
            return NotImplemented
        return slot_values(self) == slot_values(other)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__)
        return f"{type(self).__qualname__}({inner})"


class ValueRecord(Record):
    """A :class:`Record` never changed after construction, hashable by its fields (a frozen
    dataclass's contract, kept by convention)."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(slot_values(self))
