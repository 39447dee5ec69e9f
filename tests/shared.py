"""Where the shared test data and the reference tools live.

The data is ``../shared`` next to the checkout (overridable with ``KELM_SHARED``); the real Helm
and kubectl come from ``../shared/tools/oracle``, which installs them once and prints their
directory.  Nothing here names a machine-specific path.

Tests that need the data declare it with :func:`needs_shared`: when it is absent they are
skipped with the reason spelled out and counted in a banner at the end of the run, and under CI
(``CI=true``) they fail, since the corpus is the main compatibility evidence.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    env = os.environ.get("KELM_SHARED")
    return Path(env) if env else REPO.parent / "shared"


SHARED = shared_dir()


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_reason(path: Path, what: str) -> str:
    return (f"{what} absent: {path} does not exist (the shared test data belongs at "
            f"{REPO.parent / 'shared'}, or set KELM_SHARED)")


def needs_shared(path: Path, what: str = "shared test data"):  # type: ignore[no-untyped-def]
    """A mark for tests that need ``path`` under ``../shared`` (see tests/conftest.py)."""
    import pytest

    return pytest.mark.needs_shared(path=Path(path), what=what)


class OracleTool(os.PathLike):  # type: ignore[type-arg]
    """A reference binary (``helm``, ``helm-isolated``, ``kubectl``) of the oracle, installed on
    first use; usable wherever a path is (``subprocess``, ``os.path.exists``, f-strings)."""

    _bin_dir: Path | None = None
    error = ""

    def __init__(self, name: str, env: str = "") -> None:
        self.name = name
        self.env = env

    @classmethod
    def bin_dir(cls) -> Path | None:
        if cls._bin_dir is None and not cls.error:
            script = SHARED / "tools" / "oracle"
            try:
                out = subprocess.run([str(script)], check=True, capture_output=True, text=True,
                                     timeout=600).stdout
                cls._bin_dir = Path(out.strip().splitlines()[-1])
            except (OSError, subprocess.SubprocessError, IndexError) as e:
                OracleTool.error = f"the oracle ({script}) could not be installed: {e}"
        return cls._bin_dir

    def __fspath__(self) -> str:
        if self.env and os.environ.get(self.env):
            return os.environ[self.env]
        d = self.bin_dir()
        return str(d / self.name) if d else f"/nonexistent/oracle/{self.name}"

    def __str__(self) -> str:
        return self.__fspath__()

    def available(self) -> bool:
        return os.path.exists(self)


HELM = OracleTool("helm-isolated", "KELM_ORACLE_HELM")
KUBECTL = OracleTool("kubectl", "KELM_ORACLE_KUBECTL")
