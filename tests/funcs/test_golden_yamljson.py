"""Golden cases for the YAML/JSON/TOML template functions, recorded from Helm v4.1.4."""

from __future__ import annotations

import pytest

from tests.funcs.golden import load_cases, run_case

CASES = load_cases("yamljson")


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CASES])
def test_golden(case: dict) -> None:
    run_case(case)
