"""Golden cases for semver/semverCompare recorded from Helm v4.1.4."""

import pytest

from tests.funcs.golden import load_cases, run_case

CASES = load_cases("semver")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden(case):
    run_case(case)
