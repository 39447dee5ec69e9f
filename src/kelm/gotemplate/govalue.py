"""Moved to kelm.golang.value; kept for modules being rewritten this session."""

from kelm.golang.value import *  # noqa: F403
from kelm.golang.value import GoInt

__all__ = ["GoInt"]
