"""Golden cases of sprig's strings/conversion/math/defaults groups, evaluated by calling the
functions directly (independent of the template engine; see golden.py for the engine run)."""

from __future__ import annotations

import pytest

from kelm.funcs import sprig_funcs
from kelm.gotemplate.govalue import GoError

from .direct import run
from .golden import _error_key, load_cases

GROUPS = ("strings", "conversion", "math", "defaults")
CASES = [(g, c) for g in GROUPS for c in load_cases(g)]
FUNCS = sprig_funcs()


@pytest.mark.parametrize(("group", "case"), CASES, ids=[f"{g}:{c['id']}" for g, c in CASES])
def test_direct(group: str, case: dict) -> None:
    try:
        out = run(case, FUNCS)
    except GoError as e:
        assert "error" in case, f"kelm failed: {e}; Helm printed {case.get('output')!r}"
        key = _error_key(case["error"])
        assert key in str(e) or str(e) in key
        return
    if out is None:
        pytest.skip("needs the template engine")
    assert "error" not in case, f"Helm failed with {case['error']!r}; kelm printed {out!r}"
    assert out == case["output"]
