"""Moved to kelm.golang.fmt; kept for modules being rewritten this session."""

from kelm.golang.fmt import *  # noqa: F403
from kelm.golang.fmt import quote

__all__ = ["quote"]
