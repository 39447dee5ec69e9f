"""Helm's chart search over repository indexes (``cmd/helm/search``): one line per chart (or
per version) made of the chart name, ``repo/name``, description and keywords separated by
``\\v``; a match scores by the field it falls in (name 0, repo/name 1, ...), results are
ordered by score, then name, then newest version first.
"""

from __future__ import annotations

from dataclasses import dataclass

from kelm.repo.index import ChartVersion, IndexFile

SEP = "\v"
MAX_SCORE = 25  # searchMaxScore


@dataclass(slots=True)
class Result:
    name: str  # repo/chart
    score: int
    chart: ChartVersion


@dataclass(slots=True)
class _Line:
    key: str  # repo/chart, or repo/chart$$version
    name: str
    text: str
    chart: ChartVersion


class SearchIndex:
    """Lines of every chart (``all_versions``: every version) of the repositories added."""

    def __init__(self) -> None:
        self.lines: dict[str, _Line] = {}

    def add_repo(self, repo: str, idx: IndexFile, all_versions: bool) -> None:
        for name, versions in idx.entries.items():
            if not versions:
                continue
            full = f"{repo}/{name}" if repo else name
            for cv in versions if all_versions else versions[:1]:
                text = (f"{cv.name}{SEP}{repo}/{cv.name}{SEP}{cv.description}{SEP}"
                        f"{' '.join(cv.keywords)}")
                key = f"{full}$${cv.version}" if all_versions else full
                self.lines[key] = _Line(key, full, text, cv)

    def all(self) -> list[Result]:
        return [Result(ln.name, 0, ln.chart) for ln in self.lines.values()]

    def search_literal(self, term: str, threshold: int = MAX_SCORE) -> list[Result]:
        term = term.lower()
        out = []
        for ln in self.lines.values():
            text = ln.text.lower()
            i = text.find(term)
            if i < 0:
                continue
            score = text.count(SEP, 0, i)
            if score < threshold:
                out.append(Result(ln.name, score, ln.chart))
        return out

    def search_regexp(self, expr: str, threshold: int = MAX_SCORE) -> list[Result]:
        """Go ``regexp`` semantics (RE2); a bad pattern raises ``RegexpSyntaxError`` with
        Go's message."""
        from kelm.funcs.regex import compile_go

        r = compile_go(expr)
        sep = SEP.encode()
        out = []
        for ln in self.lines.values():
            text = ln.text.encode("utf-8", "surrogateescape")
            m = r.search(text, 0)
            if m is None:
                continue
            score = text.count(sep, 0, m[0][0])
            if score < threshold:
                out.append(Result(ln.name, score, ln.chart))
        return out


def sort_results(results: list[Result]) -> list[Result]:
    """Score, then name, then newest version first (two stable sorts)."""
    from kelm.repo.index import version_key

    def newest(r: Result) -> tuple[object, ...]:
        try:
            return (1, version_key(r.chart.version))
        except Exception:  # noqa: BLE001 - unparsable versions go last
            return (0, ())

    results.sort(key=newest, reverse=True)
    results.sort(key=lambda r: (r.score, r.name))
    return results


__all__ = ["MAX_SCORE", "Result", "SearchIndex", "sort_results"]
