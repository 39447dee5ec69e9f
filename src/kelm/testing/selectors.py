"""Label and field selectors (``app=web,tier in (a,b),!legacy`` / ``metadata.name=web``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from kelm.testing.errors import bad_request

Matcher = Callable[[Mapping[str, str]], bool]

_KEY = r"[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?"
_SET = re.compile(rf"^\s*({_KEY})\s+(in|notin)\s+\(([^)]*)\)\s*$")
_EQ = re.compile(rf"^\s*({_KEY})\s*(==|=|!=)\s*([-A-Za-z0-9_.]*)\s*$")
_EXISTS = re.compile(rf"^\s*(!?)\s*({_KEY})\s*$")
_CMP = re.compile(rf"^\s*({_KEY})\s*(<|>)\s*(\d+)\s*$")


def _split(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p for p in parts if p.strip()]


def _requirement(part: str) -> Matcher:
    if m := _SET.match(part):
        key, op = m[1], m[3]
        values = {v.strip() for v in m[4].split(",") if v.strip()}
        if op == "in":
            return lambda labels: labels.get(key) in values
        return lambda labels: labels.get(key) not in values
    if m := _EQ.match(part):
        key, op, value = m[1], m[3], m[4]
        if op == "!=":
            return lambda labels: labels.get(key) != value
        return lambda labels: labels.get(key) == value
    if m := _CMP.match(part):
        key, op, num = m[1], m[3], int(m[4])

        def cmp(labels: Mapping[str, str]) -> bool:
            v = labels.get(key)
            if v is None or not v.isdigit():
                return False
            return int(v) < num if op == "<" else int(v) > num
        return cmp
    if m := _EXISTS.match(part):
        neg, key = m[1], m[2]
        if neg:
            return lambda labels: key not in labels
        return lambda labels: key in labels
    raise bad_request(f"unable to parse requirement: {part.strip()!r}")


def label_selector(text: str | None) -> Matcher:
    if not text:
        return lambda labels: True
    reqs = [_requirement(p) for p in _split(text)]
    return lambda labels: all(r(labels) for r in reqs)


def _field_value(obj: Mapping[str, Any], path: str) -> str | None:
    cur: Any = obj
    for part in path.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return None
        cur = cur[part]
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return None if isinstance(cur, (Mapping, list)) else str(cur)


def field_selector(text: str | None) -> Callable[[Mapping[str, Any]], bool]:
    """Equality-based field selectors over any scalar path (the real server allows only
    a few per kind; the emulator is more lenient, see docs/testing.md)."""
    if not text:
        return lambda obj: True
    reqs: list[tuple[str, bool, str]] = []
    for part in text.split(","):
        if not part.strip():
            continue
        m = re.fullmatch(r"\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*", part)
        if not m:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{part}'")
        reqs.append((m[1], m[2] == "!=", m[3]))

    def match(obj: Mapping[str, Any]) -> bool:
        for path, neg, value in reqs:
            got = _field_value(obj, path)
            got = "" if got is None else got
            if (got == value) == neg:
                return False
        return True
    return match
