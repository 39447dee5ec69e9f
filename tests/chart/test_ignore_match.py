"""go_match's regex-free paths (plain names, ``*suffix``) agree with filepath.Match semantics."""

from __future__ import annotations

import pytest

from kelm.chart.ignore import BadPattern, Rules, _compile, go_match

PATTERNS = ["*", "*.swp", "OWNERS", "a/b", "*.tar.gz", ".git", "*/x", "*a*", "", "x/*", "*~"]
NAMES = ["", "a", "a/b", "x.swp", "d/x.swp", ".git", "d/.git", "a.tar.gz", "b/a.tar.gz", "/",
         "ab", "x/y", "swp", ".swp", "a*", "f~", "OWNERS", "x/OWNERS"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_fast_paths_match_like_the_regex(pattern: str) -> None:
    rx = _compile(pattern)
    for name in NAMES:
        assert go_match(pattern, name) == (rx.match(name) is not None), (pattern, name)


def test_bad_pattern_raises_on_match_and_never_ignores() -> None:
    with pytest.raises(BadPattern):
        go_match("a\\", "a")
    rules = Rules.parse("\\\\/\n")  # the rule's pattern is a lone backslash once "/" is cut
    assert not rules.ignore("x", True)


def test_base_name_negated_and_directory_rules() -> None:
    rules = Rules.parse("*.bak\n!*.yaml\nbuild/\n")
    assert rules.ignore("a/b/c.bak", False)
    assert rules.ignore("notes.txt", False)  # a negated rule ignores what it does not match
    assert not rules.ignore("deep/dir/v.yaml", False)
    only_dirs = Rules.parse("!keep/\n")
    assert only_dirs.ignore("file.txt", False)  # a negated directory rule ignores every file
    assert not only_dirs.ignore("keep", True)
    assert only_dirs.ignore("other", True)
