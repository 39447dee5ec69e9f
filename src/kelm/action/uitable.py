"""gosuri/uitable, the table layout Helm prints its lists with (``list``, ``history``,
``dependency list``, ``repo list``, ``search``): cells padded to their column's widest line
(go-runewidth widths, ANSI colours not counted), tab-separated, cut with ``...`` past the
column limit."""

from __future__ import annotations

import re
import unicodedata

_ANSI = re.compile(r"[\x1b\x9b][\[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[a-zA-Z\d]*)*)?\x07)"
                   r"|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))")


def display_width(s: str) -> int:
    """go-runewidth's width of ``s`` without ANSI colours (wide characters count 2)."""
    w = 0
    for ch in _ANSI.sub("", s):
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def resize(s: str, n: int) -> str:
    """uitable's ``Resize``: pad to ``n`` columns, or cut and end with ``...``."""
    width = display_width(s)
    if width == n:
        return s
    if width < n:
        return s + " " * (n - width)
    out, w = [], 0
    for ch in s:
        out.append(ch)
        rw = display_width(ch)
        if w + rw >= n - 3:
            break
        w += rw
    return "".join(out) + "..."


def uitable(rows: list[list[str]], max_width: int = 0) -> str:
    """The table's text (no final newline): a column is as wide as its widest cell line, at
    most ``max_width`` (uitable's ``MaxColWidth``; 0: no limit).  A cell with several lines
    makes its row several lines (as uitable does: resized whole first, then split)."""
    widths: list[int] = []
    for row in rows:
        for i, cell in enumerate(row):
            if i == len(widths):
                widths.append(0)
            w = max(display_width(line) for line in cell.split("\n"))
            widths[i] = max(widths[i], min(w, max_width) if max_width else w)
    lines = []
    for row in rows:
        cells = [resize(c, widths[i]) if widths[i] else c for i, c in enumerate(row)]
        parts = [c.split("\n") for c in cells]
        for x in range(max(len(p) for p in parts)):
            # a cell out of lines is uitable's nil cell: a space padded to the width
            lines.append("\t".join(
                (resize(p[x], widths[i]) if widths[i] else p[x]) if x < len(p)
                else " ".ljust(widths[i]) for i, p in enumerate(parts)))
    return "\n".join(lines)


__all__ = ["display_width", "resize", "uitable"]
