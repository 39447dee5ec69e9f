"""``helm list``: the newest revision of each release, filtered by name (regular
expression), state and count, sorted by name (or date), as Helm's ``action.List`` does;
and the table/JSON/YAML Helm prints for them."""

from __future__ import annotations

import re
from typing import Any

from kelm._slots import Record

STATES = ("deployed", "failed", "pending", "superseded", "uninstalled", "uninstalling")
_PENDING = ("pending-install", "pending-upgrade", "pending-rollback")


class ListError(Exception):
    """``str()`` is Helm's message."""


class ListOptions(Record):
    __slots__ = ("filter", "states", "by_date", "reverse", "limit", "offset")

    def __init__(self, filter: str = "", states: tuple[str, ...] = (), by_date: bool = False,
                 reverse: bool = False, limit: int = 256, offset: int = 0) -> None:
        self.filter = filter
        self.states = states
        self.by_date = by_date
        self.reverse = reverse
        self.limit = limit
        self.offset = offset


def _state_of(status: str) -> str:
    return "pending" if status in _PENDING else status


def select_releases(releases: list[Any], opts: ListOptions) -> list[Any]:
    """Helm's ``List.Run`` over the stored releases."""
    try:
        pattern = re.compile(opts.filter) if opts.filter else None
    except re.error as e:
        raise ListError(f"error parsing regexp: {e}") from None
    rels = [r for r in releases if pattern is None or pattern.search(r.name)]
    latest: dict[tuple[str, str], Any] = {}
    for r in rels:
        key = (r.name, r.namespace)
        if key not in latest or latest[key].version < r.version:
            latest[key] = r
    rels = list(latest.values())
    if opts.states:
        rels = [r for r in rels if _state_of(r.status) in opts.states]
    if opts.by_date:
        rels.sort(key=_unix, reverse=not opts.reverse)  # -d: newest first
    else:
        rels.sort(key=lambda r: r.name, reverse=opts.reverse)
    if opts.offset >= len(rels):
        return []
    end = len(rels) if opts.limit <= 0 else min(len(rels), opts.offset + opts.limit)
    return rels[opts.offset:end]


def _unix(r: Any) -> int:
    """Whole seconds, as Helm compares them (ties keep the storage order: a stable sort)."""
    t = r.info.last_deployed if r.info is not None else None
    return int(t.UnixNano()) // 1_000_000_000 if t is not None else 0


def _updated(r: Any) -> str:
    t = r.info.last_deployed if r.info is not None else None
    if t is None:
        return ""
    text = t.__go_string__()
    return text.split(" m=", 1)[0]  # Go's String() drops the monotonic reading once stored


def _row(r: Any) -> dict[str, str]:
    md = r.chart.metadata if r.chart is not None else None
    chart = f"{md.name}-{md.version}" if md is not None else "MISSING"
    return {"name": r.name, "namespace": r.namespace, "revision": str(r.version),
            "updated": _updated(r), "status": r.status, "chart": chart,
            "app_version": (md.app_version or "") if md is not None else "MISSING"}


_HEAD = ("NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION")
_KEYS = ("name", "namespace", "revision", "updated", "status", "chart", "app_version")


def list_table(rels: list[Any], headers: bool = True) -> str:
    """gosuri/uitable as Helm sets it up (``MaxColWidth`` 60)."""
    from kelm.action.uitable import uitable

    rows = [[_row(r)[k] for k in _KEYS] for r in rels]
    if headers:
        rows.insert(0, list(_HEAD))
    if not rows:
        return ""
    return uitable(rows, 60) + "\n"


def list_json(rels: list[Any]) -> str:
    import json

    return json.dumps([_row(r) for r in rels], separators=(",", ":")) + "\n"


def list_yaml(rels: list[Any]) -> str:
    from kelm.yaml import dump_v2

    return dump_v2([_row(r) for r in rels])


__all__ = ["STATES", "ListError", "ListOptions", "list_json", "list_table", "list_yaml",
           "select_releases"]
