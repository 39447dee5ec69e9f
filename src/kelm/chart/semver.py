"""Semantic versions and range constraints for charts (Masterminds/semver v3.4 semantics).

Helm uses them to match ``dependencies[].version`` to the charts in ``charts/`` and to check
``kubeVersion``.  The parsing and matching live in :mod:`kelm.golang.semver` (shared with
sprig's ``semver``/``semverCompare``); here a version or constraint that does not parse is
None / no match.
"""

from __future__ import annotations

from kelm.golang.semver import Constraint, Version, new_constraint, parse
from kelm.golang.value import GoError

__all__ = ["Version", "check", "parse_constraints", "parse_version"]

Constraints = tuple[tuple[tuple[Constraint, ...], bool], ...]


def parse_version(v: str) -> Version | None:
    """Masterminds ``NewVersion`` (coercing loose forms); None if invalid."""
    try:
        return parse(v)
    except GoError:
        return None


def parse_constraints(text: str) -> Constraints | None:
    """Masterminds ``NewConstraint``; None when the constraint is improper."""
    try:
        return new_constraint(text)
    except GoError:
        return None


def check(constraint: str, version: str) -> bool:
    """Helm's ``IsCompatibleRange``: false if either side does not parse."""
    v = parse_version(version)
    groups = parse_constraints(constraint) if v is not None else None
    if v is None or groups is None:
        return False
    return any(all(c.check(v, has_pre) for c in cs) for cs, has_pre in groups)
