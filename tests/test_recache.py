"""kelm.recache: patterns built from cached matcher code behave exactly like re.compile's."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kelm import cachefiles, recache

PATTERNS = [
    (r"(?P<key>[A-Za-z_]\w*)\s*=\s*(?P<value>.*)", 0),
    (r"[\u0100-\uffff]+|\d+", re.I),
    (r"""^(["']?)(apiVersion|kind)\1:""", re.M),
    (r" # verbose\n (a|b)+ # end\n", re.X),
    (r"\w+", re.A),
    (".", re.S),
]
SUBJECTS = ["key = value", "kind: x", "'kind':", "ÄÖü 123", "abba", "a\nb", ""]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("KELM_NO_CACHE", raising=False)
    monkeypatch.setattr(cachefiles, "_ACTIVE", [True])  # as in a kelm command
    recache.reset()
    cachefiles.reset()
    yield
    recache.reset()
    cachefiles.reset()


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert a == b
    assert (a.flags, a.groups, a.groupindex) == (b.flags, b.groups, b.groupindex)
    for s in SUBJECTS:
        assert [m.groups() for m in a.finditer(s)] == [m.groups() for m in b.finditer(s)]
        assert a.sub("<\\g<0>>", s) == b.sub("<\\g<0>>", s)


def test_fresh_and_cached_patterns_equal_re_compile() -> None:
    for p, f in PATTERNS:
        _same(recache.compile(p, f), re.compile(p, f))
    recache.flush()
    assert os.path.exists(recache.cache_file())
    recache.reset()  # as a new process: everything comes from the file
    for p, f in PATTERNS:
        _same(recache.compile(p, f), re.compile(p, f))
    assert "new" not in recache._state


def test_invalid_pattern_raises_like_re() -> None:
    with pytest.raises(re.error, match="missing \\), unterminated subpattern"):
        recache.compile("(ab")


def test_no_cache_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KELM_NO_CACHE", "1")
    _same(recache.compile(r"x+y", 0), re.compile(r"x+y"))
    recache.flush()
    assert not os.path.exists(recache.cache_file())


def test_damaged_cache_file_is_ignored() -> None:
    path = Path(recache.cache_file())
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not marshal data")
    _same(recache.compile(r"a|b", 0), re.compile(r"a|b"))


def test_library_callers_get_plain_re_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cachefiles, "_ACTIVE", [])  # not a kelm command
    p = recache.compile(r"(?P<k>\w+)=", re.I)
    assert p is re.compile(r"(?P<k>\w+)=", re.I)  # re's own cache: the same object
    recache.flush()
    assert recache._state == {} and not os.path.exists(recache.cache_file())


def test_tampered_cache_file_is_ignored_and_rewritten() -> None:
    recache.compile(r"a+b", 0)
    recache.flush()
    path = Path(recache.cache_file())
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # inside the matcher code
    path.write_bytes(bytes(data))
    recache.reset()
    cachefiles.reset()
    _same(recache.compile(r"a+b", 0), re.compile(r"a+b"))
    assert recache._state["new"]  # recomputed, to be written again
    recache.flush()
    recache.reset()
    assert recache._read() == {(r"a+b", 0): recache._generate(r"a+b", 0)}
