"""Golden cases for Go-semantics corners recorded from Helm v4.1.4 (specs/gaps.json): nil typed
slices and maps (``regexFindAll`` without a match, ``.Chart.Annotations``), named map types
after ``merge``/``set``, struct names in ``toToml``, and what probing found besides."""

import pytest

from tests.funcs.golden import load_cases, run_case

CASES = load_cases("gaps")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden(case):
    run_case(case)
