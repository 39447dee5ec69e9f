"""The persistent cache of generated template code (kelm.gotemplate.codecache)."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from kelm.gotemplate import codecache

SRC = "def f(x):\n    return x * 2\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("KELM_NO_CACHE", raising=False)
    codecache.reset()
    yield
    codecache.reset()


def _run(code: object) -> int:
    ns: dict = {}
    exec(code, ns)  # noqa: S102 - test source
    return ns["f"](21)


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = builtins.compile

    def counting(src, *a, **k):  # type: ignore[no-untyped-def]
        calls.append(src)
        return real(src, *a, **k)

    monkeypatch.setattr(builtins, "compile", counting)
    return calls


def test_entries_survive_the_process_and_skip_compilation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(codecache.compile_cached(SRC, "<t>")) == 42
    codecache.flush()
    path = Path(codecache.cache_file())
    assert path.parent == tmp_path / "kelm" and path.is_file()
    codecache.reset()  # as a new process
    calls = _count_compiles(monkeypatch)
    code = codecache.compile_cached(SRC, "<t>")
    assert calls == [] and _run(code) == 42 and code.co_filename == "<t>"
    other = codecache.compile_cached(SRC.replace("2", "3"), "<t>")
    assert len(calls) == 1 and _run(other) == 63


def test_flush_merges_with_what_other_processes_wrote() -> None:
    codecache.compile_cached(SRC, "<t>")
    codecache.flush()
    codecache.reset()
    codecache.compile_cached(SRC.replace("2", "3"), "<t>")
    codecache.flush()
    codecache.reset()
    entries = codecache._entries()
    assert len(entries) == 2
    assert not [p for p in os.listdir(Path(codecache.cache_file()).parent) if p.endswith(".tmp")]


def test_disabled_by_kelm_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KELM_NO_CACHE", "1")
    assert _run(codecache.compile_cached(SRC, "<t>")) == 42
    codecache.flush()
    assert not Path(codecache.cache_file()).exists()


def test_corrupt_file_is_ignored_and_replaced() -> None:
    path = Path(codecache.cache_file())
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage")
    assert _run(codecache.compile_cached(SRC, "<t>")) == 42
    codecache.flush()
    codecache.reset()
    assert list(codecache._entries()) == [f"<t>\0{SRC}"]


def test_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codecache, "MAX_ENTRIES", 3)
    for i in range(3):
        codecache.compile_cached(SRC.replace("2", str(i + 10)), "<t>")
    codecache.flush()
    codecache.reset()
    codecache.compile_cached(SRC, "<t>")
    codecache.flush()
    codecache.reset()
    assert len(codecache._entries()) == 1


def test_unwritable_cache_dir_only_costs_speed(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _run(codecache.compile_cached(SRC, "<t>")) == 42
    codecache.flush()  # must not raise
