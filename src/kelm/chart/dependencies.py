"""Subchart selection and import-values, as Helm's ``ProcessDependencies`` does it.

Runs before rendering: matches ``dependencies`` entries to the charts in ``charts/`` (by
name and version range, copying a chart once per alias), drops subcharts disabled by
``condition``/``tags``, then applies ``import-values`` bottom-up.  Like Helm, it rewrites the
charts' metadata (aliases become names) and the values of charts that declare dependencies.
"""

from __future__ import annotations

from kelm.chart.model import Chart, Dependency
from kelm.chart.semver import check as version_matches
from kelm.values.coalesce import (
    coalesce_values,
    copy_values,
    merge_tables,
    merge_values,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class MissingDependencies(Exception):
    pass


def check_dependencies(chart: Chart) -> None:
    """Every Chart.yaml dependency must be present in charts/ (by name)."""
    have = {d.name for d in chart.dependencies}
    missing = [
        d.name for d in chart.metadata.dependencies if d is not None and d.name not in have
    ]
    if missing:
        raise MissingDependencies(
            "found in Chart.yaml, but missing in charts/ directory: " + ", ".join(missing)
        )


def process_dependencies(chart: Chart, values: dict[str, Any]) -> None:
    """Helm's ``ProcessDependencies(chart, values)``: enable/disable, then import values."""
    _process_enabled(chart, values, "")
    _process_import_values_tree(chart)


def _path_value(vals: dict[str, Any], path: str) -> tuple[bool, Any]:
    """``Values.PathValue``: (found, value) for a dotted path ending in a non-table."""
    parts = path.split(".")
    table: Any = vals
    for p in parts[:-1]:
        if not isinstance(table, dict) or not isinstance(table.get(p), dict):
            return False, None
        table = table[p]
    last = parts[-1]
    if isinstance(table, dict) and last in table and not isinstance(table[last], dict):
        return True, table[last]
    return False, None


def _apply_conditions(reqs: list[Dependency], cvals: dict[str, Any], cpath: str) -> None:
    for r in reqs:
        for cond in r.condition.strip().split(","):
            if not cond:
                continue
            found, v = _path_value(cvals, cpath + cond)
            if found and isinstance(v, bool):
                r.enabled = v
                break
            if found:  # Helm warns on stderr and tries the next condition
                import sys

                from kelm.golang.slog import text_value

                sys.stderr.write(f'level=WARN msg="returned non-bool value" path={text_value(cond)}'
                                 f" chart={text_value(r.name)}\n")


def _apply_tags(reqs: list[Dependency], cvals: dict[str, Any]) -> None:
    tags = cvals.get("tags")
    if not isinstance(tags, dict):
        return
    for r in reqs:
        has_true = has_false = False
        for k in r.tags:
            if k in tags and isinstance(tags[k], bool):
                if tags[k]:
                    has_true = True
                else:
                    has_false = True
        if not has_true and has_false:
            r.enabled = False
        else:
            r.enabled = True


def _alias_copy(charts: list[Chart], dep: Dependency) -> Chart | None:
    for c in charts:
        if c.name != dep.name:
            continue
        if not version_matches(dep.version, c.metadata.version):
            continue
        out = c.shallow_copy()
        out.metadata = c.metadata.copy()
        out.dependencies = []
        for d in c.dependencies:
            out.add_dependency(d.shallow_copy())
        if dep.alias:
            out.metadata.name = dep.alias
        return out
    return None


def _process_enabled(c: Chart, v: dict[str, Any], path: str) -> None:
    md = c.metadata
    if "dependencies" not in md.present:
        return
    reqs = [r for r in md.dependencies if r is not None]
    chart_deps: list[Chart] = []
    for existing in c.dependencies:
        if any(
            existing.name == r.name and version_matches(r.version, existing.metadata.version)
            for r in reqs
        ):
            continue
        chart_deps.append(existing)
    for r in reqs:
        dep = _alias_copy(c.dependencies, r)
        if dep is not None:
            chart_deps.append(dep)
        if r.alias:
            r.name = r.alias
    c.set_dependencies(*chart_deps)
    for r in reqs:
        r.enabled = True
    cvals = coalesce_values(c, v)
    _apply_tags(reqs, cvals)
    _apply_conditions(reqs, cvals, path)
    removed = {r.name for r in reqs if not r.enabled}
    kept = [d for d in c.dependencies if d.metadata.name not in removed]
    kept_meta = [r for r in reqs if r.name not in removed]
    for t in kept:
        _process_enabled(t, cvals, path + t.metadata.name + ".")
    md.dependencies = list(kept_meta)
    if not kept_meta:
        md.present.discard("dependencies")
    c.set_dependencies(*kept)


def _path_to_map(path: str, data: dict[str, Any]) -> dict[str, Any]:
    if path == ".":
        return data
    cur: dict[str, Any] = data
    for p in reversed(path.split(".")):
        cur = {p: cur}
    return cur


def _table(vals: dict[str, Any], path: str) -> dict[str, Any] | None:
    table: Any = vals
    for p in path.split("."):
        if not isinstance(table, dict) or not isinstance(table.get(p), dict):
            return None
        table = table[p]
    return table


def _go_sprint(v: Any) -> str:
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        from kelm.golang.fmt import go_format_float

        return go_format_float(v)
    return str(v)


def _process_import_values(c: Chart) -> None:
    md = c.metadata
    if "dependencies" not in md.present:
        return
    cvals = merge_values(c, None)
    b: dict[str, Any] = {}
    for r in md.dependencies:
        if r is None:
            continue
        out_iv: list[Any] = []
        for iv in r.import_values:
            if isinstance(iv, dict):
                child = _go_sprint(iv.get("child"))
                parent = _go_sprint(iv.get("parent"))
                out_iv.append({"child": child, "parent": parent})
                vv = _table(cvals, r.name + "." + child)
                if vv is None:
                    continue
                b = merge_tables(b, _path_to_map(parent, vv))
            elif isinstance(iv, str):
                child = "exports." + iv
                out_iv.append({"child": child, "parent": "."})
                vm = _table(cvals, r.name + "." + child)
                if vm is None:
                    continue
                b = merge_tables(b, vm)
        r.import_values = out_iv
    c.values = merge_tables(copy_values(cvals), b)


def _process_import_values_tree(c: Chart) -> None:
    for d in c.dependencies:
        _process_import_values_tree(d)
    _process_import_values(c)
