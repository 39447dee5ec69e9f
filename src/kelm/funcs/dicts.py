"""Sprig's dict functions (dict, get, set, merge, dig, keys, ...), Sprig v3.3.0 semantics.

Go maps are references: ``set``, ``unset`` and the ``merge`` family change their first
argument in place and return it, and a merged-in sub-map is shared, not copied (as with
mergo).  ``keys`` and ``values`` are in random order in Go; kelm returns them sorted by
key so output is at least deterministic.
"""

from __future__ import annotations

from kelm.golang.fmt import format_value
from kelm.golang.value import (
    GoError,
    GoFunc,
    GoStruct,
    TypedList,
    TypedMap,
    go_kind,
    go_type,
    gofunc,
    is_nil_collection,
)

from .gocap import appended_cap, spare_of, with_room, zero_value
from .reflection import is_slice, same_type

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, TypeGuard

_MAP = "map[string]interface {}"


def strval(v: Any) -> str:
    """Sprig's ``strval``: strings as is, bytes decoded, errors and Stringers by their text."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", "surrogateescape")
    if isinstance(v, BaseException):
        return str(v)
    return format_value(v)


class WriteThroughMap(dict):
    """One Go map seen under a second type.  Python cannot share one dict under two types, so
    this is a copy whose top-level writes go through to the original."""

    __slots__ = ("_target",)

    def __init__(self, target: dict) -> None:
        super().__init__(target)
        self._target = target

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._target[key] = value

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._target.pop(key, None)

    def pop(self, key: str, *default: Any) -> Any:
        self._target.pop(key, None)
        return super().pop(key, *default)


class PlainMapView(WriteThroughMap):
    """A named map (Helm's ``common.Values``) as a ``map[string]interface {}`` parameter sees
    it: Go converts the argument, so ``set``/``unset``/``merge`` return the plain type (typeOf,
    dig)."""

    __slots__ = ()


def as_plain_map(d: dict) -> dict:
    """``d`` converted to ``map[string]interface {}`` (a view when it is a named map type)."""
    if type(d) is dict or not hasattr(d, "go_type") or isinstance(d, TypedMap):
        return d
    return PlainMapView(d)


def _get(d: dict | None, key: str) -> Any:
    if d is not None and key in d:
        return d[key]
    return ""


def _set(d: dict | None, key: str, value: Any) -> dict:
    if d is None:
        raise GoError("assignment to entry in nil map")
    d[key] = value
    return as_plain_map(d)


def _unset(d: dict | None, key: str) -> dict | None:
    if d is not None:
        d.pop(key, None)
        return as_plain_map(d)
    return d


def _has_key(d: dict | None, key: str) -> bool:
    return d is not None and key in d


def _pluck(key: str, *dicts: dict | None) -> list[Any]:
    out = [d[key] for d in dicts if d is not None and key in d]
    return with_room(out, appended_cap(len(out)))


def _keys(*dicts: dict | None) -> TypedList:
    return TypedList(sorted(k for d in dicts if d for k in d), "[]string")


def _pick(d: dict | None, *keys: str) -> dict:
    return {k: d[k] for k in keys if d is not None and k in d}


def _omit(d: dict | None, *keys: str) -> dict:
    drop = set(keys)
    return {k: v for k, v in (d or {}).items() if k not in drop}


def _dict(*kv: Any) -> dict:
    out: dict[str, Any] = {}
    for i in range(0, len(kv), 2):
        out[strval(kv[i])] = kv[i + 1] if i + 1 < len(kv) else ""
    return out


def _values(d: dict | None) -> list[Any]:
    return [d[k] for k in sorted(d)] if d else []


# ---- mergo ------------------------------------------------------------------------------


def _is_map(v: Any) -> TypeGuard[dict[Any, Any]]:
    return isinstance(v, dict)


def mergo_empty(v: Any) -> bool:
    """mergo's isEmptyValue (pointers dereferenced): zero scalars, empty collections, nil."""
    if v is None:
        return True
    if isinstance(v, GoStruct):
        return False
    if isinstance(v, (str, list, dict, bytes, bytearray)):
        return len(v) == 0
    if isinstance(v, (bool, int, float)):
        return not v
    return False


def _merge_map(dst: dict, src: dict, overwrite: bool) -> None:
    """mergo's deepMerge for two ``map[string]interface {}`` values."""
    for key, s in list(src.items()):
        present = key in dst
        d = dst.get(key)
        if s is None:
            if overwrite:
                dst[key] = None
            continue
        if is_slice(s) and overwrite:  # mergo stores the src slice, then skips the rest
            dst[key] = s
            continue
        if _is_map(s) and present and _is_map(d):
            _merge_map(d, s, overwrite)
        elif _is_map(s) and not overwrite and _is_pointer(d):
            raise GoError("src and dst must be of same type")
        if present and not mergo_empty(d):
            if is_slice(s) or (_is_map(s) and _is_map(d)):
                continue
        if overwrite or not present or mergo_empty(d):
            dst[key] = s


def _is_pointer(v: Any) -> bool:
    return isinstance(v, GoStruct) and go_kind(v) == "ptr"


def _merge_all(dst: dict | None, srcs: tuple[dict | None, ...], overwrite: bool) -> dict:
    if dst is None:
        dst = {}
    for src in srcs:
        if src:
            _merge_map(dst, src, overwrite)
    return as_plain_map(dst)


def _merge_quiet(overwrite: bool) -> Any:
    def merge(dst: dict | None, *srcs: dict | None) -> Any:
        try:
            return _merge_all(dst, srcs, overwrite)
        except GoError:
            return ""

    return merge


def _merge_strict(overwrite: bool) -> Any:
    def merge(dst: dict | None, *srcs: dict | None) -> Any:
        return _merge_all(dst, srcs, overwrite)

    return merge


# ---- copystructure / dig -------------------------------------------------------------


def deep_copy(v: Any) -> Any:
    """copystructure.Copy: new maps and slices all the way down, same element types.

    Structs copy only their exported fields: a struct type says how through
    ``__go_deepcopy__`` (a ``*semver.Version``, all unexported, becomes 0.0.0)."""
    if is_nil_collection(v):
        return v  # a nil map or slice stays nil (and holds nothing to share)
    if isinstance(v, TypedMap):
        return same_type(v, {k: deep_copy(x) for k, x in v.items()})
    if isinstance(v, dict):
        m = {k: deep_copy(x) for k, x in v.items()}
        return type(v)(m) if hasattr(v, "go_type") else m  # a named map keeps its type
    if isinstance(v, TypedList):
        room = len(v) + len(spare_of(v))  # copystructure keeps the capacity, not what is there
        return with_room(same_type(v, [deep_copy(x) for x in v]), room, zero_value(v))
    if isinstance(v, list):
        return with_room([deep_copy(x) for x in v], len(v) + len(spare_of(v)))
    if isinstance(v, bytearray):
        return bytes(v)
    copier = getattr(v, "__go_deepcopy__", None)
    return copier() if copier is not None else v


def _deep_copy(v: Any) -> Any:
    if v is None:
        raise GoError("reflect: call of reflect.Value.Type on zero Value")
    return deep_copy(v)


def _assert_type(v: Any, want: str) -> None:
    """Go's ``x.(T)`` on an interface: panics with runtime.TypeAssertionError's text."""
    got = "nil" if v is None else go_type(v)
    if got != want:
        raise GoError(f"interface conversion: interface {{}} is {got}, not {want}")


def _dig(*ps: Any) -> Any:
    if len(ps) < 3:
        raise GoError("dig needs at least three arguments")
    d = ps[-1]
    _assert_type(d, _MAP)
    default = ps[-2]
    keys = ps[:-2]
    for k in keys:
        _assert_type(k, "string")
    for i, k in enumerate(keys):
        if k not in d:
            return default
        step = d[k]
        if i == len(keys) - 1:
            return step
        _assert_type(step, _MAP)
        d = step
    return default


_M = _MAP
FUNCS: dict[str, GoFunc] = {
    "get": gofunc(f"func({_M}, string) interface {{}}")(_get),
    "set": gofunc(f"func({_M}, string, interface {{}}) {_M}")(_set),
    "unset": gofunc(f"func({_M}, string) {_M}")(_unset),
    "hasKey": gofunc(f"func({_M}, string) bool")(_has_key),
    "pluck": gofunc(f"func(string, ...{_M}) []interface {{}}")(_pluck),
    "keys": gofunc(f"func(...{_M}) []string")(_keys),
    "pick": gofunc(f"func({_M}, ...string) {_M}")(_pick),
    "omit": gofunc(f"func({_M}, ...string) {_M}")(_omit),
    "dict": gofunc(f"func(...interface {{}}) {_M}")(_dict),
    "values": gofunc(f"func({_M}) []interface {{}}")(_values),
    "merge": gofunc(f"func({_M}, ...{_M}) interface {{}}")(_merge_quiet(False)),
    "mustMerge": gofunc(f"func({_M}, ...{_M}) (interface {{}}, error)")(_merge_strict(False)),
    "mergeOverwrite": gofunc(f"func({_M}, ...{_M}) interface {{}}")(_merge_quiet(True)),
    "mustMergeOverwrite": gofunc(f"func({_M}, ...{_M}) (interface {{}}, error)")(
        _merge_strict(True)
    ),
    "deepCopy": gofunc("func(interface {}) interface {}")(_deep_copy),
    "mustDeepCopy": gofunc("func(interface {}) (interface {}, error)")(_deep_copy),
    "dig": gofunc("func(...interface {}) (interface {}, error)")(_dig),
}
