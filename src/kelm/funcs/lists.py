"""Sprig's list functions (list, append, first, slice, uniq, ...), Sprig v3.3.0 semantics.

Every function accepts any slice (``[]interface {}``, ``[]string``, ``[]uint8``...) and
returns a new ``[]interface {}``; none mutates its input (Go's copies), except that
``slice`` keeps the input's element type.  The panicking variants and their ``must``
twins produce the same text (Go's template engine turns a panic into the call's error).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from kelm.golang.value import GoError, GoFunc, TypedList, gofunc, is_empty
from kelm.yaml.jsonenc import NilList

from .gocap import appended_cap, grown_cap, spare_of, with_room, with_spare
from .reflection import deep_equal, is_slice, kind_of, same_type, slice_items

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


def _items(v: Any, what: str) -> list[Any]:
    """The elements of slice ``v``, or Sprig's ``Cannot WHAT type KIND`` error."""
    kind = kind_of(v)
    if not is_slice(v):
        raise GoError(what.format(kind=kind))
    return slice_items(v)


def _list(*items: Any) -> list[Any]:
    return list(items)


def _push(lst: Any, v: Any) -> list[Any]:
    items = _items(lst, "Cannot push on type {kind}")  # a copy with no room: append grows it
    return with_room([*items, v], grown_cap(len(items), len(items) + 1))


def _prepend(lst: Any, v: Any) -> list[Any]:
    items = _items(lst, "Cannot prepend on type {kind}")  # append([]interface {}{v}, items...)
    return with_room([v, *items], grown_cap(1, len(items) + 1) if items else 1)


def _chunk(size: int, lst: Any) -> TypedList:
    items = _items(lst, "Cannot chunk type {kind}")
    n = len(items)
    # Go computes the count in float64: size 0 gives Inf/NaN, which become MinInt64
    count = math.floor((n - 1) / size) + 1 if size else -1
    if count < 0:
        raise GoError(_MAKESLICE)
    out = TypedList((), "[][]interface {}")
    for i in range(count):
        clen = size
        if i == count - 1:
            clen = int(math.fmod(n, size)) or size
        if clen < 0:
            raise GoError(_MAKESLICE)
        out.append(items[i * size : i * size + clen])
    return out


_MAKESLICE = "runtime error: makeslice: len out of range"


def _last(lst: Any) -> Any:
    items = _items(lst, "Cannot find last on type {kind}")
    return items[-1] if items else None


def _first(lst: Any) -> Any:
    items = _items(lst, "Cannot find first on type {kind}")
    return items[0] if items else None


def _rest(lst: Any) -> list[Any]:
    items = _items(lst, "Cannot find rest on type {kind}")
    return items[1:] if items else nil_list()


def _initial(lst: Any) -> list[Any]:
    items = _items(lst, "Cannot find initial on type {kind}")
    return items[:-1] if items else nil_list()


def nil_list() -> list[Any]:
    """A nil ``[]interface {}`` (prints ``[]``, but ``toJson`` gives ``null``)."""
    return NilList()


def _reverse(lst: Any) -> list[Any]:
    return _items(lst, "Cannot find reverse on type {kind}")[::-1]


def _compact(lst: Any) -> list[Any]:
    out = [x for x in _items(lst, "Cannot compact on type {kind}") if not is_empty(x)]
    return with_room(out, appended_cap(len(out)))


def _in_list(haystack: list[Any], needle: Any) -> bool:
    return any(deep_equal(needle, h) for h in haystack)


def _uniq(lst: Any) -> list[Any]:
    out: list[Any] = []
    for x in _items(lst, "Cannot find uniq on type {kind}"):
        if not _in_list(out, x):
            out.append(x)
    return with_room(out, appended_cap(len(out)))


def _without(lst: Any, *omit: Any) -> list[Any]:
    items = _items(lst, "Cannot find without on type {kind}")
    out = [x for x in items if not _in_list(list(omit), x)]
    return with_room(out, appended_cap(len(out)))


def _has(needle: Any, haystack: Any) -> bool:
    if haystack is None:
        return False
    return _in_list(_items(haystack, "Cannot find has on type {kind}"), needle)


def _slice(lst: Any, *indices: Any) -> Any:
    kind = kind_of(lst)
    if not is_slice(lst):
        raise GoError(f"list should be type of slice or array but {kind}")
    n = len(lst)
    if n == 0:
        return None
    from .floatmath import to_int

    start = to_int(indices[0]) if indices else 0
    end = to_int(indices[1]) if len(indices) >= 2 else n
    spare = spare_of(lst)  # Go slices up to the capacity, into the array's unused rest
    if start < 0 or end < start or end > n + len(spare):
        raise GoError("reflect.Value.Slice: slice index out of bounds")
    whole = lst[:] + spare if spare else lst
    part = whole[start:end]
    if isinstance(lst, TypedList):
        part = same_type(lst, part)
    elif isinstance(lst, bytearray):
        return bytes(part)
    return with_spare(part, whole[end:])


def _concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for lst in lists:
        out.extend(_items(lst, "Cannot concat type {kind} as list"))
    return with_room(out, appended_cap(len(out))) if out else nil_list()


def _pair(name: str, fn: Callable[..., Any], params: str, result: str) -> dict[str, GoFunc]:
    """Sprig's ``X``/``mustX`` pair: same behaviour, the must form declares an error result."""
    return {
        name: gofunc(f"func({params}) {result}")(fn),
        "must" + name[0].upper() + name[1:]: gofunc(f"func({params}) ({result}, error)")(fn),
    }


FUNCS: dict[str, GoFunc] = {
    "list": gofunc("func(...interface {}) []interface {}")(_list),
    "tuple": gofunc("func(...interface {}) []interface {}")(_list),
    **_pair("append", _push, "interface {}, interface {}", "[]interface {}"),
    **_pair("push", _push, "interface {}, interface {}", "[]interface {}"),
    **_pair("prepend", _prepend, "interface {}, interface {}", "[]interface {}"),
    **_pair("chunk", _chunk, "int, interface {}", "[][]interface {}"),
    **_pair("first", _first, "interface {}", "interface {}"),
    **_pair("last", _last, "interface {}", "interface {}"),
    **_pair("rest", _rest, "interface {}", "[]interface {}"),
    **_pair("initial", _initial, "interface {}", "[]interface {}"),
    **_pair("reverse", _reverse, "interface {}", "[]interface {}"),
    **_pair("compact", _compact, "interface {}", "[]interface {}"),
    **_pair("uniq", _uniq, "interface {}", "[]interface {}"),
    **_pair("without", _without, "interface {}, ...interface {}", "[]interface {}"),
    **_pair("has", _has, "interface {}, interface {}", "bool"),
    **_pair("slice", _slice, "interface {}, ...interface {}", "interface {}"),
    "concat": gofunc("func(...interface {}) interface {}")(_concat),
}
