"""Builtins and Helm functions with few cases elsewhere (call, ge, println, fail, required,
lookup) and the functions Helm removed (env, expandenv)."""

import pytest

from tests.funcs.golden import load_cases, run_case

CASES = load_cases("extra")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden(case):
    run_case(case)
