"""Lint messages and the per-chart collector (Helm's ``lint/support``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kelm.gotemplate.lexer import go_quote

if TYPE_CHECKING:
    from kelm.chart.model import Chart

UNKNOWN, INFO, WARNING, ERROR = 0, 1, 2, 3
_SEV = ("UNKNOWN", "INFO", "WARNING", "ERROR")
__all__ = ["ERROR", "INFO", "UNKNOWN", "WARNING", "Linter", "LoadedChart", "Message", "go_quote"]


@dataclass
class Message:
    severity: int
    path: str
    err: str

    def __str__(self) -> str:
        return f"[{_SEV[self.severity]}] {self.path}: {self.err}"


@dataclass
class Linter:
    """Messages found in one chart directory (``chart_dir`` is absolute)."""

    chart_dir: str
    messages: list[Message] = field(default_factory=list)
    highest: int = UNKNOWN

    def rule(self, severity: int, path: str, err: str | None) -> bool:
        """Record ``err`` (if any) at ``severity``; True when the rule passed."""
        if err is None:
            return True
        self.messages.append(Message(severity, path, err))
        self.highest = max(self.highest, severity)
        return False


def load_chart_v2(path: str) -> Chart:
    """Helm's chart/v2 ``loader.Load``: like ``load_chart`` but with no apiVersion gate."""
    import os

    from kelm.chart.ignore import Rules
    from kelm.chart.loader import load_file, load_files, walk_files
    from kelm.chart.model import ChartError

    if not os.path.isdir(path):
        return load_file(path)
    topdir = os.path.abspath(path)
    rules = Rules()
    ignore = os.path.join(topdir, ".helmignore")
    if os.path.exists(ignore):
        with open(ignore, encoding="utf-8", errors="replace") as fh:
            rules = Rules.parse(fh.read())
    rules.add_defaults()
    try:
        return load_files(walk_files(topdir, rules))
    except RecursionError:
        raise ChartError("chart is nested too deeply") from None


@dataclass
class LoadedChart:
    """The chart loaded once for all rules, plus what the later rules need from it untouched
    (the templates rule processes dependencies in place)."""

    chart: Any = None
    error: str = ""
    declared: list[tuple[str, str]] = field(default_factory=list)  # (name, alias)
    present: list[str] = field(default_factory=list)
    crds: list[tuple[str, bytes]] = field(default_factory=list)

    @classmethod
    def load(cls, chart_dir: str) -> LoadedChart:
        from kelm.chart.model import ChartError

        try:
            chart: Any = load_chart_v2(chart_dir)
        except ChartError as e:
            return cls(error=str(e))
        return cls(
            chart=chart,
            declared=[(d.name, d.alias) for d in chart.metadata.dependencies if d is not None],
            present=[c.name for c in chart.dependencies],
            crds=[(f.name, f.data) for _p, f in chart.crd_objects()],
        )
