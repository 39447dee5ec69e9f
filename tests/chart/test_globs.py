"""The two glob dialects share one translator; where Helm's libraries differ, so do they.

Helm's own answers for many patterns are golden cases (tests/golden/charts/globs.json,
recorded by tests/chart/record_globs.py and replayed by tests/render/test_golden.py).
"""

from __future__ import annotations

import pytest

from kelm.chart.globs import FILES_GLOB, PATH_MATCH, GlobError, compile_glob


def _matches(pattern: str, name: str, dialect: object) -> bool:
    return compile_glob(pattern, dialect).match(name) is not None  # type: ignore[arg-type]


@pytest.mark.parametrize(("pattern", "name", "files", "ignore"), [
    ("*.txt", "a.txt", True, True),
    ("*.txt", "x/a.txt", False, False),
    ("**.txt", "x/a.txt", True, False),  # gobwas "**" crosses "/", filepath's is two stars
    ("{a,b}.txt", "b.txt", True, False),  # braces are literal for filepath.Match
    ("{a,b}.txt", "{a,b}.txt", False, True),
    ("[!a].txt", "a.txt", False, True),  # gobwas negates with "!", filepath with "^"
    ("[!a].txt", "b.txt", True, False),
    ("[^a].txt", "a.txt", True, False),
    ("[^a].txt", "b.txt", False, True),
    ("[a\\-c].txt", "-.txt", True, True),
])
def test_dialects(pattern: str, name: str, files: bool, ignore: bool) -> None:
    assert _matches(pattern, name, FILES_GLOB) is files
    assert _matches(pattern, name, PATH_MATCH) is ignore


@pytest.mark.parametrize(("pattern", "files_ok", "ignore_ok"), [
    ("a\\", True, False),  # gobwas drops a trailing backslash
    ("[a-c0-9]", False, True),  # a gobwas class is one range or one list
    ("[z-a]", False, True),  # filepath.Match accepts an empty range
    ("[]a]", False, False),
    ("[a-]", False, False),
    ("[-]", True, False),
    ("{a,b", True, True),
    ("[", False, False),
])
def test_syntax_errors(pattern: str, files_ok: bool, ignore_ok: bool) -> None:
    for dialect, ok in ((FILES_GLOB, files_ok), (PATH_MATCH, ignore_ok)):
        if ok:
            compile_glob(pattern, dialect)
        else:
            with pytest.raises(GlobError):
                compile_glob(pattern, dialect)
