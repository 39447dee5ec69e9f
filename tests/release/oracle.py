"""The oracle's Helm for the live interop tests (skipped, loudly, when it cannot be had)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.shared import SHARED

DEFAULT = Path.home() / ".cache" / "k8s-oracle" / "bin" / "helm"


def find_helm() -> str | None:
    env = os.environ.get("KELM_ORACLE_HELM_BIN")
    if env:
        return env
    if DEFAULT.is_file():
        return str(DEFAULT)
    script = SHARED / "tools" / "oracle"
    if script.is_file():
        try:
            out = subprocess.run(["bash", str(script)], capture_output=True, text=True,
                                 timeout=600, check=True).stdout
        except (subprocess.SubprocessError, OSError):
            return None
        helm = Path(out.strip().splitlines()[-1]) / "helm"
        if helm.is_file():
            return str(helm)
    return None


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
    helm = find_helm()
    if helm is None:
        pytest.skip("the oracle's helm is not available (../shared/tools/oracle)")
    return helm
