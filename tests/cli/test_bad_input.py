"""Bad input never gives a traceback, a hang or a half-written state.

Each case of tests/cli/bad_input_cases.py (a broken chart, values file, template, archive,
kustomization, repository file, kubeconfig, a refused or silent server) runs through the
real command line in-process; kelm must exit as Helm does (non-zero: Helm's code), print
Helm's error (recorded in tests/golden/badinput/answers.json, kubectl's for ``kustomize``),
never a Python traceback, finish within a bound, and leave nothing behind in the case's
directory but its inputs.  Where Helm hangs or dies (mode ``beyond``) kelm's own one-line
error is checked.  Re-record: python -m tests.cli.record_bad_input
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.bad_input_cases import (
    Case,
    cases,
    error_block,
    load_goldens,
    normalise,
    prepare,
    tls_server,
)
from tests.cli.runner import invoke, kelm_named

GOLDENS = load_goldens()
BOUND = 20.0  # seconds a bad input may take at most


@pytest.fixture(scope="module")
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    yield s.getsockname()[1]
    s.close()


@pytest.fixture(scope="module")
def tls_port() -> Iterator[int]:
    """An https server on loopback with a certificate for another name."""
    srv, port = tls_server()
    yield port
    srv.shutdown()  # type: ignore[attr-defined]


def _files(d: Path) -> set[str]:
    return {str(p.relative_to(d)) for p in d.rglob("*") if p.is_file()}


def _kelm_words(text: str) -> str:
    return kelm_named(text).replace("`helm dependency build`", "`kelm dependency build`")


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.id)
def test_bad_input(case: Case, tmp_path: Path, silent_port: int, tls_port: int,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    golden = GOLDENS.get(case.id)
    assert golden is not None, f"no recorded answer for {case.id}: python -m tests.cli.record_bad_input"
    argv, env = prepare(case, tmp_path, silent_port, tls_port)
    before = _files(tmp_path)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    import kelm.chart.schema

    monkeypatch.setattr(kelm.chart.schema, "REF_TIMEOUT", 1.0)  # Helm's is 15 s
    t0 = time.monotonic()
    r = invoke(argv)
    took = time.monotonic() - t0
    assert "Traceback" not in r.output, r.output
    assert took < BOUND, f"{case.id} took {took:.1f}s"
    block = normalise(error_block(r.stderr), tmp_path, silent_port, tls_port)
    if golden["rc"] == 0:  # Helm takes this input: so does kelm
        assert r.exit_code == 0, r.stderr
    else:
        assert r.exit_code != 0, r.output
        if isinstance(golden["rc"], int):
            assert r.exit_code == golden["rc"] or case.mode == "beyond", (r.exit_code, golden)
        first = block.splitlines()[0] if block else ""
        assert first.startswith(("Error: ", "error: ")), r.stderr
        helm = _kelm_words(str(golden["error"]))
        if case.mode == "same":
            assert block == helm
        elif case.mode == "prefix":
            assert first.startswith(helm.splitlines()[0]), (first, helm)
        else:
            assert case.expect.replace("{D}", "{D}") in block, block
    leftovers = _files(tmp_path) - before - set(case.keep)
    leftovers = {f for f in leftovers if not f.startswith(("home/.cache/kelm", ".cache/kelm"))}
    assert not leftovers, f"{case.id} left {sorted(leftovers)}"


def test_every_case_has_an_answer() -> None:
    assert sorted(GOLDENS) == sorted(c.id for c in cases())


def test_kelm_exits_non_zero_as_a_process(tmp_path: Path) -> None:
    """The real console script: exit code 1 and one ``Error:`` line on stderr."""
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "kelm"
    if not exe.exists():
        pytest.skip("the kelm console script is not installed next to python")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "Chart.yaml").write_text("name: [unclosed\n")
    p = subprocess.run([str(exe), "template", "r", str(tmp_path / "c")], capture_output=True,
                       text=True, timeout=60, env={**os.environ, "HOME": str(tmp_path)})
    assert p.returncode == 1
    assert p.stderr.splitlines() == [
        "Error: cannot load Chart.yaml: error converting YAML to JSON: yaml: line 1: did not "
        "find expected ',' or ']'"]
