"""Golden cases of sprig's strings/conversion/math/defaults groups rendered through the template
engine (skips until kelm.gotemplate.render exists)."""

from __future__ import annotations

import pytest

from .golden import load_cases, run_case

GROUPS = ("strings", "conversion", "math", "defaults")
CASES = [(g, c) for g in GROUPS for c in load_cases(g)]


@pytest.mark.parametrize(("group", "case"), CASES, ids=[f"{g}:{c['id']}" for g, c in CASES])
def test_golden(group: str, case: dict) -> None:
    if case.get("volatile"):
        pytest.skip("random output")
    run_case(case)
