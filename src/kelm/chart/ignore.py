""".helmignore rules, matched exactly as Helm's ``pkg/ignore`` does (quirks included).

Patterns use Go's ``filepath.Match`` syntax; a pattern without ``/`` matches the base name,
``dir/`` matches directories only, ``**`` is rejected, and a negated pattern ``!p`` ignores
every path that does NOT match ``p`` (Helm's behaviour, surprising as it is).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from kelm._slots import Record
from kelm.chart.globs import PATH_MATCH, GlobError, compile_glob
from kelm.chart.model import ChartError


class BadPattern(ChartError):
    pass


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    """A Go filepath.Match pattern (``/``-separated) as a regex (raises BadPattern)."""
    try:
        return compile_glob(pattern, PATH_MATCH)
    except GlobError as e:
        raise BadPattern(str(e)) from None


_META = frozenset("*?[\\")


@lru_cache(maxsize=512)
def _matcher(pattern: str) -> Callable[[str], bool]:
    """The test ``filepath.Match(pattern, name)`` for one pattern (raises BadPattern).

    Most .helmignore lines are plain names or ``*.ext``: those are tested without a regex
    (a chart's files are each tested against every line, and each compile costs start-up).
    """
    if _META.isdisjoint(pattern):
        return pattern.__eq__
    suffix = pattern[1:]
    if pattern[0] == "*" and "/" not in pattern and _META.isdisjoint(suffix):

        def star_suffix(name: str) -> bool:  # "*" matches any run of non-"/" characters
            return name.endswith(suffix) and "/" not in name[: len(name) - len(suffix)]

        return star_suffix
    rx = _compile(pattern)
    return lambda name: rx.match(name) is not None


def go_match(pattern: str, name: str) -> bool:
    """Go ``filepath.Match`` on ``/``-separated names."""
    return _matcher(pattern)(name)


class _Rule(Record):
    __slots__ = ("raw", "pattern", "negate", "must_dir", "kind")

    def __init__(self, raw: str, pattern: str, negate: bool, must_dir: bool, kind: str) -> None:
        self.raw = raw
        self.pattern = pattern
        self.negate = negate
        self.must_dir = must_dir
        self.kind = kind  # "root", "path" or "base"

    def match(self, path: str) -> bool:
        if self.kind == "base":
            path = path.rstrip("/").rsplit("/", 1)[-1]
        return self.test(path)

    def test(self, name: str) -> bool:
        """The pattern against ``name`` (the base name already taken for "base" rules)."""
        try:
            return _matcher(self.pattern)(name)
        except BadPattern:
            return False


class Rules:
    """A parsed .helmignore plus Helm's default ``templates/.?*``."""

    def __init__(self) -> None:
        self.rules: list[_Rule] = []

    @classmethod
    def parse(cls, text: str) -> Rules:
        r = cls()
        if text.startswith("\ufeff"):
            text = text[1:]
        for line in text.splitlines():
            r.add(line)
        return r

    def add_defaults(self) -> None:
        self.add("templates/.?*")

    def add(self, rule: str) -> None:
        rule = rule.strip()
        if not rule or rule.startswith("#"):
            return
        if "**" in rule:
            raise BadPattern("double-star (**) syntax is not supported")
        if "[" in rule or "\\" in rule:  # the only syntax errors filepath.Match reports
            _compile(rule)  # syntax check, like filepath.Match(rule, "abc")
        raw = rule
        negate = rule.startswith("!")
        if negate:
            rule = rule[1:]
        must_dir = rule.endswith("/")
        if must_dir:
            rule = rule[:-1]
        if rule.startswith("/"):
            kind, rule = "root", rule[1:]
        elif "/" in rule:
            kind = "path"
        else:
            kind = "base"
        self.rules.append(_Rule(raw, rule, negate, must_dir, kind))

    def ignore(self, path: str, is_dir: bool) -> bool:
        if path in ("", ".", "./"):
            return False
        base = None
        for r in self.rules:
            if r.must_dir and not is_dir:
                if r.negate:  # a negated directory rule ignores every file
                    return True
                continue
            if r.kind == "base":
                if base is None:
                    base = path.rstrip("/").rsplit("/", 1)[-1]
                hit = r.test(base)
            else:
                hit = r.test(path)
            if hit != r.negate:  # a match ignores; for "!p", a non-match does
                return True
        return False
