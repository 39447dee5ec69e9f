"""Where the shared test data lives: ``../shared`` next to the repository (as the reference
tools' corpora are laid out), overridable with ``KELM_SHARED``."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    env = os.environ.get("KELM_SHARED")
    if env:
        return Path(env)
    for cand in (REPO.parent / "shared", Path("/work/shared")):
        if cand.is_dir():
            return cand
    return REPO.parent / "shared"


SHARED = shared_dir()
