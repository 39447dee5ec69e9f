"""Go slice capacity, for sprig's ``slice`` with indexes past the length.

A Go slice may have room beyond its length (``append`` grows the array by Go's growth rule,
``regexp`` starts with room for 10 matches, slicing keeps the rest of the array), and
``slice $l 0 N`` may reach into it: zero values, or the elements a shorter slice left behind.
kelm's slices are plain Python lists (the engine relies on ``type(v) is list``), so the room
is recorded beside them: a small table from ``id(list)`` to the list (kept alive so the id
stays its own), its length when recorded, and the elements past the length.  A list without
an entry has no room; a list changed in place since loses its entry.  The table is small and
skips long lists, so a loop appending thousands of items keeps no copies alive.
"""

from __future__ import annotations

from bisect import bisect_left

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

_MAX_ENTRIES = 256
_MAX_LEN = 1024  # longer lists are not recorded (slicing past their length fails instead)
_ROOM: dict[int, tuple[list[Any], int, list[Any]]] = {}

# runtime size classes (Go 1.25, malloc.go/sizeclasses.go): allocation sizes up to 32 KiB
_SIZE_CLASSES = (
    8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
    352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
    2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472,
    9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264,
    28672, 32768,
)
_PAGE = 8192
_HEADER = 8  # malloc header of pointerful objects over 512 bytes

# element sizes of the slices sprig builds: interface {} and string are two words with
# pointers, int is one word without
IFACE = (16, True)
STRING = (16, True)
INT = (8, False)


def _roundupsize(size: int, pointers: bool) -> int:
    if size <= 32768 - _HEADER:
        req = size + _HEADER if pointers and size > 512 else size
        return _SIZE_CLASSES[bisect_left(_SIZE_CLASSES, req)] - (req - size)
    return (size + _PAGE - 1) // _PAGE * _PAGE


def grown_cap(old_cap: int, new_len: int, elem: tuple[int, bool] = IFACE) -> int:
    """The capacity ``append`` gives when ``new_len`` exceeds ``old_cap`` (runtime.growslice)."""
    newcap = old_cap * 2
    if new_len > newcap:
        newcap = new_len
    elif old_cap >= 256:
        newcap = old_cap
        while newcap < new_len:
            newcap += (newcap + 3 * 256) >> 2
    size, pointers = elem
    return _roundupsize(newcap * size, pointers) // size


def appended_cap(n: int, elem: tuple[int, bool] = IFACE, start_cap: int = 0) -> int:
    """Capacity after appending ``n`` elements one by one to an empty slice with room for
    ``start_cap``."""
    cap = start_cap
    while cap < n:
        cap = grown_cap(cap, cap + 1, elem)
    return cap


def zero_value(lst: Any) -> Any:
    """The zero value of a slice's element type (what its unused room holds)."""
    from kelm.golang.value import GoInt, TypedList

    if isinstance(lst, TypedList):
        elem = lst.go_type[2:] if lst.go_type.startswith("[]") else ""
        if elem == "string":
            return ""
        if elem == "int":
            return GoInt(0)
    return None


def with_room(lst: Any, cap: int, zero: Any = None) -> Any:
    """Record that ``lst`` has capacity ``cap``, the room past its length holding ``zero``."""
    if len(lst) > _MAX_LEN or cap <= len(lst):
        return lst
    return with_spare(lst, [zero] * (cap - len(lst)))


def with_spare(lst: Any, spare: list[Any]) -> Any:
    """Record the elements past ``lst``'s length (its backing array's rest)."""
    if spare and isinstance(lst, list) and len(lst) <= _MAX_LEN:
        if len(_ROOM) >= _MAX_ENTRIES:
            del _ROOM[next(iter(_ROOM))]
        _ROOM[id(lst)] = (lst, len(lst), spare)
    return lst


def spare_of(lst: Any) -> list[Any]:
    """The elements between ``lst``'s length and its capacity ([] when none are known)."""
    entry = _ROOM.get(id(lst))
    if entry is None or entry[0] is not lst or entry[1] != len(lst):
        return []
    return entry[2]
