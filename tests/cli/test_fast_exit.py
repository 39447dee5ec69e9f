"""`kelm template`/`install` as a process end without interpreter teardown: output, exit codes
and the machine caches' writes must be exactly as with a normal exit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHART = "apiVersion: v2\nname: big\nversion: 0.1.0\n"
# ~1 MB of output: more than any pipe buffer, so a lost flush would show
TEMPLATE = """{{- range $i := until 2000 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{{ $i }}
data:
  text: {{ repeat 400 "x" | quote }}
{{- end }}
"""


def _chart(tmp_path: Path, template: str) -> Path:
    chart = tmp_path / "big"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(CHART)
    (chart / "templates" / "cm.yaml").write_text(template)
    return chart


def _kelm(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("KELM_NO_CACHE", None)
    return subprocess.run([sys.executable, "-m", "kelm", *args], capture_output=True, env=env,
                          cwd=tmp_path)


def test_large_output_is_complete_and_caches_are_written(tmp_path: Path) -> None:
    _chart(tmp_path, TEMPLATE)
    p = _kelm(tmp_path, "template", "r", "big")
    assert p.returncode == 0, p.stderr
    docs = p.stdout.decode().split("---\n# Source: big/templates/cm.yaml\n")
    assert len(docs) == 2001 and docs[-1].endswith('x"\n')
    assert len(p.stdout) > 1_000_000
    cache = tmp_path / "cache" / "kelm"
    written = {d.name.split("-")[0] for d in cache.iterdir() if d.is_dir() and any(d.iterdir())}
    assert "gotemplate" in written  # the exit handlers ran


def test_errors_keep_their_exit_code_and_message(tmp_path: Path) -> None:
    _chart(tmp_path, '{{ fail "boom" }}\n')
    p = _kelm(tmp_path, "template", "r", "big")
    assert p.returncode == 1
    assert p.stderr.decode().startswith("Error: execution error at (big/templates/cm.yaml:1:3)")
    p = _kelm(tmp_path, "install", "r", "big", "--dry-run", "--bogus-flag")
    assert p.returncode == 1 and b"unknown flag: --bogus-flag" in p.stderr


def test_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    _chart(tmp_path, TEMPLATE)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "kelm", "template", "r", "big"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()  # like `| head`
    err = proc.stderr.read()
    proc.wait()
    assert b"Traceback" not in err and b"Exception ignored" not in err
