"""``helm history``: the newest ``--max`` revisions of a release, oldest first, and the table,
JSON and YAML Helm prints for them (``releaseInfo`` rows, gosuri/uitable)."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from kelm.action.status import ANSIC, StatusError, debug_line, valid_release_name

if TYPE_CHECKING:
    from collections.abc import Callable

RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00"
_HEAD = ("REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION")
_ANSI = re.compile(r"[\x1b\x9b][\[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[a-zA-Z\d]*)*)?\x07)"
                   r"|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))")


def release_history(client: Any, storage: Any, name: str, maximum: int,
                    debug: Callable[[str], Any] | None = None) -> list[Any]:
    """``History.Run`` and the ``--max`` cut: the newest ``maximum`` revisions, ascending."""
    from kelm.kube import KubeError
    from kelm.release.errors import StorageError

    try:
        client.check_reachable()
    except KubeError as e:
        raise StatusError(str(e)) from None
    if not valid_release_name(name):
        raise StatusError(f"release name is invalid: {name}")
    if debug is not None:
        debug(debug_line("getting history for release", release=name))
    try:
        revisions = storage.history(name)
    except StorageError as e:
        raise StatusError(str(e)) from None
    newest = sorted(revisions, key=lambda r: r.version, reverse=True)[:max(maximum, 0)]
    return newest[::-1]


def _chart(rel: Any, what: str) -> str:
    md = rel.chart.metadata if rel.chart is not None else None
    if md is None:
        return "MISSING"  # a release stored without its chart (helm/helm#1347)
    return f"{md.name}-{md.version}" if what == "chart" else md.app_version or ""


def history_rows(rels: list[Any]) -> list[dict[str, Any]]:
    """``releaseInfo`` of each revision (``updated``: a GoTime, None when zero)."""
    return [{"revision": r.version, "updated": r.info.last_deployed, "status": r.info.status,
             "chart": _chart(r, "chart"), "app_version": _chart(r, "app"),
             "description": r.info.description} for r in rels]


def _json_rows(rows: list[dict[str, Any]]) -> list[Any]:
    from kelm.yaml.jsonenc import StructObject

    out = []
    for row in rows:
        item = StructObject(row)
        if row["updated"] is None:
            del item["updated"]  # omitzero
        else:
            item["updated"] = row["updated"].Format(RFC3339_NANO)
        out.append(item)
    return out


def history_json(rows: list[dict[str, Any]]) -> str:
    from kelm.release.model import write_json

    return write_json(_json_rows(rows)) + "\n" if rows else "[]\n"


def history_yaml(rows: list[dict[str, Any]]) -> str:
    from kelm.yaml import dump_v2

    return dump_v2([dict(r) for r in _json_rows(rows)])


def history_table(rows: list[dict[str, Any]]) -> str:
    from kelm.golang.time import zero_time

    cells = [list(_HEAD)]
    for r in rows:
        cells.append([str(r["revision"]), (r["updated"] or zero_time()).Format(ANSIC),
                      r["status"], r["chart"], r["app_version"], r["description"]])
    return uitable(cells) + "\n"


# ---- gosuri/uitable (no width limit, as ``helm history`` leaves it)


def _width(s: str) -> int:
    """go-runewidth's width of ``s`` without ANSI colours (wide characters count 2)."""
    w = 0
    for ch in _ANSI.sub("", s):
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def _resize(s: str, n: int) -> str:
    """uitable's ``Resize``: pad to ``n`` columns, or cut and end with ``...``."""
    width = _width(s)
    if width == n:
        return s
    if width < n:
        return s + " " * (n - width)
    out, w = [], 0
    for ch in s:
        out.append(ch)
        rw = _width(ch)
        if w + rw >= n - 3:
            break
        w += rw
    return "".join(out) + "..."


def uitable(rows: list[list[str]]) -> str:
    """Cells padded to their column's widest line, tab-separated; a cell with several lines
    makes its row several lines (as uitable does: resized whole first, then split)."""
    widths: list[int] = []
    for row in rows:
        for i, cell in enumerate(row):
            if i == len(widths):
                widths.append(0)
            widths[i] = max(widths[i], *(_width(line) for line in cell.split("\n")))
    lines = []
    for row in rows:
        cells = [_resize(c, widths[i]) if widths[i] else c for i, c in enumerate(row)]
        parts = [c.split("\n") for c in cells]
        for x in range(max(len(p) for p in parts)):
            # a cell out of lines is uitable's nil cell: a space padded to the width
            lines.append("\t".join(
                (_resize(p[x], widths[i]) if widths[i] else p[x]) if x < len(p)
                else " ".ljust(widths[i]) for i, p in enumerate(parts)))
    return "\n".join(lines)


__all__ = ["history_json", "history_rows", "history_table", "history_yaml",
           "release_history", "uitable"]
