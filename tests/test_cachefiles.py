"""kelm.cachefiles: what the machine caches read back is used only when it is trustworthy."""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import kelm
from kelm import cachefiles
from kelm.gotemplate import codecache

SRC = "def f(x):\n    return x * 2\n"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("KELM_NO_CACHE", raising=False)
    monkeypatch.setattr(cachefiles, "_ACTIVE", [True])  # as in a kelm command
    cachefiles.reset()
    codecache.reset()
    yield
    cachefiles.reset()
    codecache.reset()


def _entry(tmp_path: Path, name: str = "x.bin", data: bytes = b"payload") -> Path:
    path = tmp_path / "kelm" / "sub" / name
    cachefiles.write_atomic(str(path), data)
    cachefiles.reset()  # as a new process
    return path


def test_written_entries_read_back_and_files_are_private(tmp_path: Path) -> None:
    path = _entry(tmp_path)
    assert cachefiles.read_verified(str(path)) == b"payload"
    key = tmp_path / "kelm" / cachefiles.KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    assert path.stat().st_mode & 0o077 == 0
    assert (tmp_path / "kelm" / "sub").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("offset", [0, 31, 32, -1])
def test_a_tampered_byte_voids_the_entry(tmp_path: Path, offset: int) -> None:
    path = _entry(tmp_path)
    data = bytearray(path.read_bytes())
    data[offset] ^= 1
    path.write_bytes(bytes(data))
    assert cachefiles.read_verified(str(path)) is None


def test_truncated_renamed_or_unsigned_entries_are_ignored(tmp_path: Path) -> None:
    path = _entry(tmp_path)
    good = path.read_bytes()
    path.write_bytes(good[:20])
    assert cachefiles.read_verified(str(path)) is None
    other = path.with_name("y.bin")  # a valid entry under another entry's name
    other.write_bytes(good)
    assert cachefiles.read_verified(str(other)) is None
    path.write_bytes(b"payload")  # the former, unsigned format
    assert cachefiles.read_verified(str(path)) is None


def test_another_kelm_version_or_key_voids_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _entry(tmp_path)
    monkeypatch.setattr(kelm, "__version__", "9.9.9")
    assert cachefiles.read_verified(str(path)) is None
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cachefiles.reset()
    assert cachefiles.read_verified(str(path)) == b"payload"
    (tmp_path / "kelm" / cachefiles.KEY_FILE).write_bytes(os.urandom(32))  # copied elsewhere
    cachefiles.reset()
    assert cachefiles.read_verified(str(path)) is None


@pytest.mark.parametrize("target", ["root", "sub", "file"])
def test_group_or_world_writable_caches_are_ignored_and_not_written(
    tmp_path: Path, target: str
) -> None:
    path = _entry(tmp_path)
    victim = {"root": tmp_path / "kelm", "sub": path.parent, "file": path}[target]
    victim.chmod(victim.stat().st_mode | 0o020)
    assert cachefiles.read_verified(str(path)) is None
    victim.chmod(victim.stat().st_mode & ~0o020 | 0o002)
    cachefiles.reset()
    assert cachefiles.read_verified(str(path)) is None
    if target != "file":
        with pytest.raises(PermissionError):
            cachefiles.write_atomic(str(path.with_name("z.bin")), b"new")


def test_a_key_readable_by_others_is_not_trusted(tmp_path: Path) -> None:
    path = _entry(tmp_path)
    (tmp_path / "kelm" / cachefiles.KEY_FILE).chmod(0o644)
    assert cachefiles.read_verified(str(path)) is None


def test_files_of_another_owner_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _entry(tmp_path)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(path).st_uid + 1)  # as another user
    assert cachefiles.read_verified(str(path)) is None


def test_tampered_code_entry_is_recompiled_not_executed(tmp_path: Path) -> None:
    codecache.compile_cached(SRC, "<t>")
    codecache.flush()
    path = Path(codecache.entry_path(f"<t>\0{SRC}"))
    evil = compile("def f(x):\n    return 'evil'\n", "<t>", "exec")
    signed = path.read_bytes()
    path.write_bytes(signed[: cachefiles.DIGEST_SIZE] + marshal.dumps((f"<t>\0{SRC}", evil)))
    codecache.reset()
    cachefiles.reset()
    ns: dict[str, object] = {}
    exec(codecache.compile_cached(SRC, "<t>"), ns)  # noqa: S102 - test source
    assert ns["f"](21) == 42  # type: ignore[operator] # f is the function just defined
