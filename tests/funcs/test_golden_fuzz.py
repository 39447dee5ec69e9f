"""Regression goldens for differences found by differential fuzzing against Helm v4.1.4
(template language and functions with unusual inputs; specs in tests/funcs/specs/fuzz.json)."""

import pytest

from tests.funcs.golden import load_cases, run_case

CASES = load_cases("fuzz")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden(case):
    run_case(case)
