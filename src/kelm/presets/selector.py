"""Label selectors (metav1.LabelSelector): validation and matching against pod labels."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")

_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def label_key_problem(key: object) -> str | None:
    """Why ``key`` is not a valid label key (``[prefix/]name``), or None."""
    if not isinstance(key, str) or not key:
        return "label key must be a non-empty string"
    prefix, _, name = key.rpartition("/")
    if "/" in key and (not prefix or len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        return f"label key {key!r} has an invalid prefix (must be a DNS subdomain)"
    if len(name) > 63 or not _NAME.match(name):
        return (
            f"label key {key!r} is invalid (name part: at most 63 alphanumerics, '-', '_' or '.', "
            "starting and ending with an alphanumeric)"
        )
    return None


def label_value_problem(value: object) -> str | None:
    """Why ``value`` is not a valid label value, or None (empty values are valid)."""
    if not isinstance(value, str):
        return f"label value {value!r} must be a string"
    if value and (len(value) > 63 or not _NAME.match(value)):
        return (
            f"label value {value!r} is invalid (at most 63 alphanumerics, '-', '_' or '.', "
            "starting and ending with an alphanumeric)"
        )
    return None


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        present = self.key in labels
        if self.operator == "Exists":
            return present
        if self.operator == "DoesNotExist":
            return not present
        if self.operator == "In":
            return present and labels[self.key] in self.values
        return not present or labels[self.key] not in self.values  # NotIn

    def describe(self) -> str:
        if self.operator in ("Exists", "DoesNotExist"):
            return f"{self.key} {self.operator}"
        return f"{self.key} {self.operator} [{', '.join(self.values)}]"


@dataclass(frozen=True)
class LabelSelector:
    """matchLabels and matchExpressions, ANDed; the empty selector matches everything."""

    match_labels: tuple[tuple[str, str], ...] = ()
    match_expressions: tuple[Requirement, ...] = field(default=())

    def matches(self, labels: dict[str, str] | None) -> bool:
        return self.first_mismatch(labels) is None

    def first_mismatch(self, labels: dict[str, str] | None) -> str | None:
        """The first requirement the labels fail, described for humans; None on a match."""
        labels = labels if isinstance(labels, dict) else {}
        for key, value in self.match_labels:
            if labels.get(key) != value:
                have = f"has {key}={labels[key]}" if key in labels else f"has no {key}"
                return f"needs {key}={value}, pod {have}"
        for req in self.match_expressions:
            if not req.matches(labels):
                have = f"{req.key}={labels[req.key]}" if req.key in labels else f"no {req.key}"
                return f"needs {req.describe()}, pod has {have}"
        return None

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in self.match_labels]
        parts += [r.describe() for r in self.match_expressions]
        return ", ".join(parts) if parts else "<everything>"


def parse_selector(raw: Any, where: str = "spec.selector") -> tuple[LabelSelector, list[str]]:
    """Parse a LabelSelector mapping; returns the selector and a list of problems."""
    problems: list[str] = []
    if raw is None:
        return LabelSelector(), problems
    if not isinstance(raw, dict):
        return LabelSelector(), [f"{where}: must be a mapping, got {_type(raw)}"]
    for extra in sorted(set(raw) - {"matchLabels", "matchExpressions"}):
        problems.append(f"{where}: unknown field {extra!r}")
    labels: list[tuple[str, str]] = []
    ml = raw.get("matchLabels")
    if ml is not None and not isinstance(ml, dict):
        problems.append(f"{where}.matchLabels: must be a mapping, got {_type(ml)}")
    elif ml:
        for key, value in ml.items():
            p = label_key_problem(key) or label_value_problem(value)
            if p:
                problems.append(f"{where}.matchLabels: {p}")
            else:
                labels.append((key, value))
    reqs: list[Requirement] = []
    me = raw.get("matchExpressions")
    if me is not None and not isinstance(me, list):
        problems.append(f"{where}.matchExpressions: must be a list, got {_type(me)}")
    elif me:
        for i, item in enumerate(me):
            req, probs = _parse_requirement(item, f"{where}.matchExpressions[{i}]")
            problems += probs
            if req is not None:
                reqs.append(req)
    return LabelSelector(tuple(labels), tuple(reqs)), problems


def _parse_requirement(item: Any, where: str) -> tuple[Requirement | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"{where}: must be a mapping, got {_type(item)}"]
    problems = [f"{where}: unknown field {k!r}" for k in sorted(set(item) - {"key", "operator", "values"})]
    key, op, values = item.get("key"), item.get("operator"), item.get("values")
    p = label_key_problem(key)
    if p:
        problems.append(f"{where}.key: {p}")
    if op not in OPERATORS:
        problems.append(f"{where}.operator: {op!r} is not one of {', '.join(OPERATORS)}")
    if values is not None and not isinstance(values, list):
        problems.append(f"{where}.values: must be a list, got {_type(values)}")
        values = None
    vals = tuple(values or ())
    if op in ("In", "NotIn") and not vals:
        problems.append(f"{where}.values: operator {op} needs at least one value")
    if op in ("Exists", "DoesNotExist") and vals:
        problems.append(f"{where}.values: operator {op} takes no values")
    for v in vals:
        vp = label_value_problem(v)
        if vp:
            problems.append(f"{where}.values: {vp}")
    if problems or not isinstance(key, str) or not isinstance(op, str):
        return None, problems  # (a key or operator of another type is always a problem)
    return Requirement(key, op, vals), []


_TYPE_NAMES: dict[type, str] = {dict: "a mapping", list: "a list", str: "a string"}


def _type(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)
