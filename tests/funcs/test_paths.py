"""Direct tests of kelm.funcs.paths (Go's path and path/filepath on Linux)."""

import pytest

from kelm.funcs.paths import FUNCS


@pytest.mark.parametrize(
    ("p", "base", "dir_", "clean", "ext", "abs_"),
    [
        ("", ".", ".", ".", "", False),
        ("/", "/", "/", "/", "", True),
        ("//", "/", "/", "/", "", True),
        ("/a/b.txt", "b.txt", "/a", "/a/b.txt", ".txt", True),
        ("a/b/", "b", "a/b", "a/b", "", False),
        ("a//b/../c", "c", "a", "a/c", "", False),
        ("/../a", "a", "/", "/a", "", True),
        ("../../a/..", "..", "../../a", "../..", ".", False),
        ("/a/b.tar.gz", "b.tar.gz", "/a", "/a/b.tar.gz", ".gz", True),
        ("a.b/c", "c", "a.b", "a.b/c", "", False),
        ("x/../..", "..", ".", "..", ".", False),
        ("a\\b.c", "a\\b.c", ".", "a\\b.c", ".c", False),
    ],
)
def test_path_functions(p, base, dir_, clean, ext, abs_):
    for prefix in ("", "os"):
        def fn(name, prefix=prefix):
            return FUNCS[prefix + name[0].upper() + name[1:] if prefix else name]
        assert fn("base")(p) == base
        assert fn("dir")(p) == dir_
        assert fn("clean")(p) == clean
        assert fn("ext")(p) == ext
        assert fn("isAbs")(p) is abs_
