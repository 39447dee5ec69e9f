"""Errors raised for invalid presets: one line, naming the file and document."""

from __future__ import annotations


class PresetError(ValueError):
    """An invalid PodPreset (or preset file); ``str()`` is a one-line message."""

    def __init__(self, message: str, *, source: str = "", problems: list[str] | None = None):
        self.message = message
        self.source = source
        self.problems = list(problems or [])
        super().__init__(f"{source}: {message}" if source else message)
