"""``helm history``: the newest ``--max`` revisions of a release, oldest first, and the table,
JSON and YAML Helm prints for them (``releaseInfo`` rows, gosuri/uitable)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kelm.action.status import (
    ANSIC,
    StatusError,
    debug_line,
    require_reachable,
    valid_release_name,
)
from kelm.action.uitable import uitable

if TYPE_CHECKING:
    from collections.abc import Callable

RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00"
_HEAD = ("REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION")


def release_history(client: Any, storage: Any, name: str, maximum: int,
                    debug: Callable[[str], Any] | None = None) -> list[Any]:
    """``History.Run`` and the ``--max`` cut: the newest ``maximum`` revisions, ascending."""
    from kelm.release.errors import StorageError

    require_reachable(client)
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


__all__ = ["history_json", "history_rows", "history_table", "history_yaml",
           "release_history", "uitable"]
