"""The persistent cache of generated template code (kelm.gotemplate.codecache)."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from kelm import cachefiles
from kelm.gotemplate import codecache

SRC = "def f(x):\n    return x * 2\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("KELM_NO_CACHE", raising=False)
    monkeypatch.setattr(cachefiles, "_ACTIVE", [True])  # as in a kelm command
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
    path = Path(codecache.entry_path(f"<t>\0{SRC}"))
    assert path.parent.parent == tmp_path / "kelm" and path.is_file()
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
    assert len(codecache.entries()) == 2
    assert not [p for p in os.listdir(codecache.cache_dir()) if p.endswith(".tmp")]


def test_disabled_by_kelm_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KELM_NO_CACHE", "1")
    assert _run(codecache.compile_cached(SRC, "<t>")) == 42
    codecache.flush()
    assert not Path(codecache.cache_dir()).exists()


@pytest.mark.parametrize("content", [b"\x00garbage", None])
def test_corrupt_or_colliding_entry_is_ignored_and_replaced(content: bytes | None) -> None:
    import marshal

    key = f"<t>\0{SRC}"
    path = Path(codecache.entry_path(key))
    if content is None:  # another source under the same (correctly signed) file name: unused
        other = ("<t>\0other", compile("def f(x): return 0", "<t>", "exec"))
        cachefiles.write_atomic(str(path), marshal.dumps(other))
    else:
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
    assert _run(codecache.compile_cached(SRC, "<t>")) == 42
    codecache.flush()
    codecache.reset()
    assert codecache.entries() == [key]


def test_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codecache, "MAX_ENTRIES", 3)
    for i in range(3):
        codecache.compile_cached(SRC.replace("2", str(i + 10)), "<t>")
    codecache.flush()
    codecache.reset()
    codecache.compile_cached(SRC, "<t>")
    codecache.flush()
    codecache.reset()
    assert len(codecache.entries()) == 1


def test_unwritable_cache_dir_only_costs_speed(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _run(codecache.compile_cached(SRC, "<t>")) == 42
    codecache.flush()  # must not raise


def test_a_new_cache_directory_replaces_stale_ones(tmp_path: Path) -> None:
    root = tmp_path / "kelm"
    stale = root / "gotemplate-code-0.0.9-cpython-311-4"
    stale.mkdir(parents=True)
    (stale / "x.code").write_bytes(b"")
    (root / "gotemplate-code-0.0.9-abc.marshal").write_bytes(b"")
    (root / "regex-0.0.9.marshal").write_bytes(b"")  # another cache family: kept
    codecache.compile_cached(SRC, "<t>")
    codecache.flush()
    assert sorted(p.name for p in root.iterdir()) == sorted(
        [Path(codecache.cache_dir()).name, cachefiles.KEY_FILE, "regex-0.0.9.marshal"])
