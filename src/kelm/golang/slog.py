"""Go's log/slog text handler value form: bare when safe, quoted otherwise.

Helm logs through slog's TextHandler (lint-mode ``required`` warnings, skipped hook types,
schema notes), and kelm prints the same lines.
"""

from __future__ import annotations


def text_value(s: str) -> str:
    """A string value as slog's text handler writes it (quoted if empty, spaced or special)."""
    if s and all(c.isprintable() and c not in ' ="\\' for c in s):
        return s
    if s == "":
        return '""'
    import json

    return json.dumps(s, ensure_ascii=False)
