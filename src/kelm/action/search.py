"""``search repo``: Helm's search over the cached indexes of repositories.yaml, its version
constraints (``--version``, ``--devel``), and its table/JSON/YAML output."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TextIO

from kelm.repo.search import Result, SearchIndex, sort_results


class SearchError(Exception):
    """``str()`` is Helm's message."""


@dataclass
class SearchOptions:
    repo_file: str
    repo_cache: str
    terms: tuple[str, ...] = ()
    regexp: bool = False
    versions: bool = False
    devel: bool = False
    version: str = ""
    max_col_width: int = 50
    fail_on_no_result: bool = False


def _warn(msg: str, **attrs: str) -> str:
    from kelm.golang.slog import text_value

    return "level=WARN msg=" + text_value(msg) + "".join(
        f" {k}={text_value(v)}" for k, v in attrs.items()) + "\n"


def build_index(o: SearchOptions, version: str, err: TextIO) -> SearchIndex:
    """The search lines of every configured repository; unreadable caches are warned about
    (Helm's wording) and skipped."""
    from kelm.repo.config import RepoFileError, load_repositories
    from kelm.repo.index import load_index_file
    from kelm.repo.paths import cache_index_file
    from kelm.repo.transport import RepoError

    try:
        rf = load_repositories(o.repo_file, partial=True)
    except (FileNotFoundError, RepoFileError):  # Helm: an unreadable file has no repositories
        raise SearchError("no repositories configured") from None
    if not rf.repositories:
        raise SearchError("no repositories configured")
    index = SearchIndex()
    for r in rf.repositories:
        path = os.path.join(o.repo_cache, cache_index_file(r.name))
        try:
            idx = load_index_file(path)
        except OSError as e:
            err.write(_warn("repo is corrupt or missing", repo=r.name,
                            error=f"open {path}: {(e.strerror or '').lower()}"))
            continue
        except RepoError as e:
            err.write(_warn("repo is corrupt or missing", repo=r.name, error=str(e)))
            continue
        for w in idx.warnings:
            err.write(_warn(w))
        index.add_repo(r.name, idx, o.versions or bool(version))
    return index


def _constrained(results: list[Result], version: str, all_versions: bool) -> list[Result]:
    """Helm's ``applyConstraint``: versions in the range; without ``--versions`` the first
    (newest) of each chart only."""
    from kelm.chart.semver import parse_constraints, parse_version

    groups = parse_constraints(version)
    if groups is None:
        from kelm.golang.semver import new_constraint
        from kelm.golang.value import GoError

        try:
            new_constraint(version)
        except GoError as e:
            raise SearchError(f"an invalid version/constraint format: {e}") from None
        raise SearchError(f"an invalid version/constraint format: improper constraint: "
                          f"{version}")
    out = []
    found: set[str] = set()
    for r in results:
        if not all_versions and r.name in found:
            continue
        v = parse_version(r.chart.version)
        if v is None:
            continue
        if any(all(c.check(v, pre) for c in cs) for cs, pre in groups):
            out.append(r)
            found.add(r.name)
    return out


def search(o: SearchOptions, err: TextIO) -> list[Result]:
    version = o.version or (">0.0.0-0" if o.devel else ">0.0.0")
    index = build_index(o, version, err)
    if not o.terms:
        results = index.all()
    elif o.regexp:
        from kelm.funcs.regex import RegexpSyntaxError

        try:
            results = index.search_regexp(" ".join(o.terms))
        except RegexpSyntaxError as e:
            raise SearchError(str(e)) from None
    else:
        results = index.search_literal(" ".join(o.terms))
    sort_results(results)
    return _constrained(results, version, o.versions)


class ChartElement:
    """Helm's ``repoChartElement`` (JSON in field order)."""

    __slots__ = ("name", "version", "app_version", "description")
    _go_fields = __slots__

    def __init__(self, r: Result) -> None:
        self.name = r.name
        self.version = r.chart.version
        self.app_version = r.chart.app_version
        self.description = r.chart.description


def _elements(results: list[Result]) -> list[ChartElement]:
    return [ChartElement(r) for r in results]


def render(results: list[Result], fmt: str, max_col_width: int, fail_on_no_result: bool) -> str:
    if not results and fail_on_no_result:
        raise SearchError("no results found")
    if fmt == "json":
        from kelm.yaml import dump_json

        return dump_json(_elements(results)) + "\n"
    if fmt == "yaml":
        from kelm.yaml import dump_v2

        return dump_v2(_elements(results))
    if not results:
        return "No results found\n"
    from kelm.action.uitable import uitable

    rows = [["NAME", "CHART VERSION", "APP VERSION", "DESCRIPTION"]]
    rows += [[r.name, r.chart.version, r.chart.app_version, r.chart.description]
             for r in results]
    return uitable(rows, max_col_width) + "\n"


__all__ = ["SearchError", "SearchOptions", "render", "search"]
