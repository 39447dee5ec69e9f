"""Coalescing chart defaults with user values exactly as Helm does (pkg/chart/common/util).

Semantics worth knowing (all reproduced on purpose):

* user ``null`` deletes a default key (coalesce mode) but is kept in merge mode;
* maps merge deeply, lists and scalars replace;
* subchart values live under the subchart's name; ``global`` is copied downwards with the
  parent winning, and nested global maps are shared, not copied (so a child's nested global
  keys may show up in the parent's map, as in Helm);
* the functions mutate their destination like Go's maps do.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any, Protocol

    class _ChartLike(Protocol):
        values: dict[str, Any] | None
        dependencies: list[Any]

        @property
        def name(self) -> str: ...


GLOBAL_KEY = "global"


def _log(msg: str) -> None:
    """Helm's coalescing warnings go through Go's log package, which Helm routes to slog at
    INFO level on stderr, as they happen (so every pass repeats them)."""
    import sys

    from kelm.golang.slog import text_value

    sys.stderr.write(f"level=INFO msg={text_value(msg)}\n")


def _v(x: Any) -> str:
    from kelm.golang.fmt import sprintf

    return sprintf("%v", x)


def copy_values(v: Any) -> Any:
    """Deep copy of a values tree (maps and slices; scalars shared)."""
    if isinstance(v, dict):
        return {k: copy_values(x) if isinstance(x, (dict, list)) else x for k, x in v.items()}
    if isinstance(v, list):
        return [copy_values(x) if isinstance(x, (dict, list)) else x for x in v]
    return v


def _prefix(a: str, b: str) -> str:
    return b if not a else f"{a}.{b}"


def coalesce_values(chart: _ChartLike, vals: dict[str, Any] | None) -> dict[str, Any]:
    """Helm's ``CoalesceValues``: user values over chart defaults, recursively for subcharts."""
    dest = copy_values(vals) if vals is not None else {}
    return _coalesce(chart, dest, "", False)


def merge_values(chart: _ChartLike, vals: dict[str, Any] | None) -> dict[str, Any]:
    """Helm's ``MergeValues``: like coalescing but nulls are kept."""
    dest = copy_values(vals) if vals is not None else {}
    return _coalesce(chart, dest, "", True)


def _coalesce(ch: _ChartLike, dest: dict[str, Any], prefix: str, merge: bool) -> dict[str, Any]:
    _coalesce_chart_values(ch, dest, prefix, merge)
    return _coalesce_deps(ch, dest, prefix, merge)


class CoalesceError(ValueError):
    pass


def _go_t(v: Any) -> str:
    """fmt's %t of a non-bool value, e.g. ``%!t(string=x)``."""
    from kelm.golang.fmt import go_format_float as format_float_g

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return f"%!t(int64={v})"
    if isinstance(v, float):
        return f"%!t(float64={format_float_g(v)})"
    if isinstance(v, str):
        return f"%!t(string={v})"
    if isinstance(v, list):
        return "[" + " ".join(_go_t(x) for x in v) + "]"
    return "%!t(<nil>)" if v is None else f"%!t({v})"


def _coalesce_deps(
    ch: _ChartLike, dest: dict[str, Any], prefix: str, merge: bool
) -> dict[str, Any]:
    for sub in ch.dependencies:
        name = sub.name
        if name not in dest:
            dest[name] = {}
        elif not isinstance(dest[name], dict):
            raise CoalesceError(f"type mismatch on {name}: {_go_t(dest[name])}")
        dvmap = dest[name]
        sub_prefix = _prefix(prefix, ch.name)
        _coalesce_globals(dvmap, dest, sub_prefix)
        dest[name] = _coalesce(sub, dvmap, sub_prefix, merge)
    return dest


def _coalesce_globals(dest: dict[str, Any], src: dict[str, Any], prefix: str) -> None:
    if GLOBAL_KEY not in dest:
        dg: dict[str, Any] = {}
    else:
        dg = dest[GLOBAL_KEY]
        if not isinstance(dg, dict):
            _log(f"warning: skipping globals because destination {GLOBAL_KEY} is not a table.")
            return
    if GLOBAL_KEY not in src:
        sg: dict[str, Any] = {}
    else:
        sg = src[GLOBAL_KEY]
        if not isinstance(sg, dict):
            _log(f"warning: skipping globals because source {GLOBAL_KEY} is not a table.")
            return
    for key, val in sg.items():
        if isinstance(val, dict):
            vv = dict(val)
            if key not in dg:
                dg[key] = vv
            else:
                destv = dg[key]
                if isinstance(destv, dict):
                    _coalesce_tables(vv, destv, _prefix(prefix, key), True)
                    dg[key] = vv
                else:
                    from kelm.golang.fmt import quote

                    _log(f"Conflict: cannot merge map onto non-map for {quote(key)}. Skipping.")
        elif isinstance(dg.get(key), dict):
            _log(f"key {key} is table. Skipping")
        else:
            dg[key] = val
    dest[GLOBAL_KEY] = dg


def _child_merge(ch: _ChartLike, key: str, merge: bool) -> bool:
    for sub in ch.dependencies:
        if sub.name == key:
            return True
    return merge


def _coalesce_chart_values(ch: _ChartLike, v: dict[str, Any], prefix: str, merge: bool) -> None:
    sub_prefix = _prefix(prefix, ch.name)
    vc = copy_values(ch.values) if ch.values is not None else {}
    for key, val in vc.items():
        if key in v:
            value = v[key]
            if value is None and not merge:
                del v[key]
            elif isinstance(value, dict):
                if isinstance(val, dict):
                    m = _child_merge(ch, key, merge)
                    _coalesce_tables(value, val, _prefix(sub_prefix, key), m)
                elif val is not None:
                    _log(f"warning: skipped value for {sub_prefix}.{key}: Not a table.")
        else:
            v[key] = val


def coalesce_tables(dst: dict[str, Any] | None, src: dict[str, Any] | None) -> Any:
    """Helm's ``CoalesceTables`` (src fills dst; nulls in dst delete)."""
    return _coalesce_tables(dst, src, "", False)


def merge_tables(dst: dict[str, Any] | None, src: dict[str, Any] | None) -> Any:
    """Helm's ``MergeTables``."""
    return _coalesce_tables(dst, src, "", True)


def _coalesce_tables(
    dst: dict[str, Any] | None, src: dict[str, Any] | None, prefix: str, merge: bool
) -> Any:
    if src is None:
        return dst
    if dst is None:
        return src
    src_non_nil = {k for k, x in src.items() if x is not None}
    for key, val in dst.items():
        if val is None:
            src[key] = None
    for key, val in list(src.items()):
        if key in dst:
            dv = dst[key]
            if not merge and dv is None and key in src_non_nil:
                del dst[key]
            elif isinstance(val, dict):
                if isinstance(dv, dict):
                    _coalesce_tables(dv, val, _prefix(prefix, key), merge)
                else:
                    _log(f"warning: cannot overwrite table with non table for "
                         f"{_prefix(prefix, key)} ({_v(val)})")
            elif isinstance(dv, dict) and val is not None:
                _log(f"warning: destination for {_prefix(prefix, key)} is a table. "
                     f"Ignoring non-table value ({_v(val)})")
        else:
            dst[key] = val
    return dst
