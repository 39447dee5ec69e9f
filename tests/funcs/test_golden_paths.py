"""Golden cases for kelm.funcs.paths, recorded from Helm v4.1.4 (specs in tests/funcs/specs)."""

import pytest

from tests.funcs.golden import load_cases, run_case

CASES = load_cases("paths")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden(case):
    run_case(case)
