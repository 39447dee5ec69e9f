"""The oracle's Helm for the live interop tests (skipped, loudly, when it cannot be had)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.shared import OracleTool, under_ci

HELM_BIN = OracleTool("helm", "KELM_ORACLE_HELM_BIN")  # plain helm: config dirs set per test


class Helm:
    """``helm`` with its own config dirs, a storage driver and an API address."""

    def __init__(self, binary: str, home: Path, env: dict[str, str]) -> None:
        self.binary = binary
        self.env = {
            **os.environ, "HELM_CONFIG_HOME": str(home / "config"),
            "HELM_CACHE_HOME": str(home / "cache"), "HELM_DATA_HOME": str(home / "data"),
            "KUBECONFIG": os.devnull, "TZ": "UTC", **env,
        }
        self.api: str | None = None

    def run(self, *args: str) -> str:
        cmd = [self.binary, *(["--kube-apiserver", self.api] if self.api else []), *args]
        done = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"helm {' '.join(args)}: {done.stderr}"
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "-o", "json"))


@pytest.fixture(scope="session")
def helm_binary() -> str:
    """The oracle's helm; absent: a loud skip, or a failure under CI."""
    if not HELM_BIN.available():
        why = f"the oracle's helm is not available: {OracleTool.error or HELM_BIN}"
        if under_ci():
            pytest.fail(why, pytrace=False)
        pytest.skip(f"NOT TESTED: {why}")
    return str(HELM_BIN)
