"""Fixtures for the emulator's tests: a running cluster, an HTTP client, the oracle's tools."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kelm.testing import Cluster, cluster
from tests.shared import KUBECTL, OracleTool, under_ci


@pytest.fixture
def kc() -> Iterator[Cluster]:
    with cluster() as c:
        yield c


@pytest.fixture
def http(kc: Cluster) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=kc.url, timeout=10) as client:
        yield client


def oracle_tool(name: str) -> str:
    """The oracle's binary, or a skip (a failure under CI) naming why it is missing."""
    tool = KUBECTL if name == "kubectl" else OracleTool(name)
    if not tool.available():
        why = OracleTool.error or f"{tool} is not installed"
        message = f"the oracle's {name} is needed: {why}"
        if under_ci():
            pytest.fail(message)
        pytest.skip(message)
    return str(tool)


@pytest.fixture
def kubectl(kc: Cluster, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run the oracle's kubectl against ``kc``: returns the CompletedProcess."""
    binary = oracle_tool("kubectl")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "KUBECONFIG": str(kc.kubeconfig_path), "KUBECACHEDIR": str(tmp_path / "cache")}

    def run(*args: str, input: str | None = None, check: bool = True,
            timeout: float = 30) -> subprocess.CompletedProcess[str]:
        p = subprocess.run([binary, *args], input=input, capture_output=True, text=True,
                           env=env, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({p.returncode}):\n"
                                 f"{p.stdout}\n{p.stderr}")
        return p
    return run


@pytest.fixture
def helm(kc: Cluster, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run the oracle's helm (own config dirs under tmp_path) against ``kc``."""
    binary = oracle_tool("helm")
    home = tmp_path / "helm"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "KUBECONFIG": str(kc.kubeconfig_path), "HELM_CACHE_HOME": str(home / "cache"),
           "HELM_CONFIG_HOME": str(home / "config"), "HELM_DATA_HOME": str(home / "data")}

    def run(*args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        p = subprocess.run([binary, *args], capture_output=True, text=True, env=env,
                           timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"helm {' '.join(args)} failed ({p.returncode}):\n"
                                 f"{p.stdout}\n{p.stderr}")
        return p
    return run


def has_diff() -> bool:
    return shutil.which("diff") is not None
