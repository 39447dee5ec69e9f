"""The live ``--wait`` display: on a terminal, a table of what is ready and what is not, with
the time spent; nowhere else (logs and pipes get Helm's plain lines instead).

rich is imported only here, and only when the display is shown, so commands that never wait
(``kelm --version``, ``kelm template``) never load it.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Protocol

Row = tuple[str, str, str, str, str, bool]  # kind, namespace, name, status, reason, ready


class Display(Protocol):
    def update(self, rows: list[Row]) -> None: ...

    def log(self, line: str) -> None: ...

    def close(self) -> None: ...


def wanted(progress: bool | None, stream: Any = None) -> bool:
    """Whether to show the live display: asked for, or (None) stderr is a terminal."""
    if progress is not None:
        return progress
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class LiveTable:
    """A rich Live table on ``stream``, refreshed a few times a second (the clock runs)."""

    def __init__(self, title: str, timeout: float, stream: Any = None) -> None:
        from rich.console import Console
        from rich.live import Live

        self.title, self.timeout = title, timeout
        self.started = time.monotonic()
        self.rows: list[Row] = []
        self.console = Console(file=sys.stderr if stream is None else stream)
        self.live = Live(get_renderable=self._render, console=self.console,
                         refresh_per_second=4, transient=False)
        self.live.start()

    def _render(self) -> Any:
        from rich.table import Table

        elapsed = time.monotonic() - self.started
        ready = sum(1 for r in self.rows if r[5])
        limit = f" of {self.timeout:.0f}s" if self.timeout > 0 else ""
        table = Table(title=f"{self.title}: {ready}/{len(self.rows)} ready, "
                            f"{elapsed:.0f}s{limit}",
                      title_justify="left", box=None, pad_edge=False)
        for col in ("", "KIND", "NAMESPACE", "NAME", "STATUS", "MESSAGE"):
            table.add_column(col, no_wrap=col != "MESSAGE")
        for kind, ns, name, status, reason, ok in self.rows:
            mark = "[green]✓[/]" if ok else ("[red]✗[/]" if status == "Failed" else "[yellow]…[/]")
            table.add_row(mark, kind, ns or "-", name, status, reason)
        return table

    def update(self, rows: list[Row]) -> None:
        self.rows = list(rows)
        self.live.refresh()

    def log(self, line: str) -> None:
        self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        self.live.stop()


def open_display(progress: bool | None, title: str, timeout: float,
                 stream: Any = None) -> Display | None:
    """The live display when :func:`wanted`, else None."""
    if not wanted(progress, stream):
        return None
    return LiveTable(title, timeout, stream)


__all__ = ["Display", "LiveTable", "Row", "open_display", "wanted"]
