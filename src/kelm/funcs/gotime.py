"""Moved to kelm.golang.time; kept for modules being rewritten this session."""

from kelm.golang.time import *  # noqa: F403
from kelm.golang.time import GoTime, local, now, parse_time, zero_time

__all__ = ["GoTime", "local", "now", "parse_time", "zero_time"]
