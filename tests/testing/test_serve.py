"""``python -m kelm.testing serve``: a standalone emulator with a kubeconfig."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import yaml


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    p = subprocess.Popen([sys.executable, "-m", "kelm.testing", "serve", *args],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout is not None
    line = p.stdout.readline()
    assert line.startswith("kelm.testing: serving "), line + (p.stderr.read() if p.stderr else "")
    return p, line.split()[-1]


def _stop(p: subprocess.Popen[str]) -> int:
    p.send_signal(signal.SIGTERM)
    return p.wait(timeout=10)


def test_serve_writes_a_kubeconfig(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kc" / "config"
    p, url = _start("--kubeconfig", str(kubeconfig))
    try:
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(url + "/version", timeout=5).json()["gitVersion"] == "v1.35.2"
        doc = yaml.safe_load(kubeconfig.read_text())
        assert doc["current-context"] == "kelm-testing"
        assert doc["clusters"][0]["cluster"]["server"] == url
    finally:
        assert _stop(p) == 0


def test_serve_tls(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "config"
    p, url = _start("--tls", "--kubeconfig", str(kubeconfig))
    try:
        assert url.startswith("https://127.0.0.1:")
        doc = yaml.safe_load(kubeconfig.read_text())
        assert doc["clusters"][0]["cluster"]["certificate-authority-data"]
    finally:
        assert _stop(p) == 0


def test_serve_on_a_busy_port_is_a_one_line_error(tmp_path: Path) -> None:
    p, url = _start("--kubeconfig", str(tmp_path / "a"))
    try:
        port = url.rsplit(":", 1)[1]
        busy = subprocess.run([sys.executable, "-m", "kelm.testing", "serve", "--port", port,
                               "--kubeconfig", str(tmp_path / "b")],
                              capture_output=True, text=True, timeout=30)
        assert busy.returncode == 1
        assert busy.stderr.startswith(f"kelm.testing: cannot listen on 127.0.0.1:{port}: ")
        assert len(busy.stderr.strip().splitlines()) == 1
    finally:
        _stop(p)
