"""Golden cases for kelm.funcs.dates, recorded from Helm v4.1.4 (spec: specs/dates.json)."""

from __future__ import annotations

import pytest

from tests.funcs.golden import load_cases, run_case

CASES = load_cases("dates")


@pytest.fixture(autouse=True)
def _utc_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    # The oracle runs with $TZ unset and a UTC /etc/localtime: Go's "Local" zone at +0000.
    # kelm's local zone is $TZ, or that same UTC "Local" when $TZ is unset.
    monkeypatch.delenv("TZ", raising=False)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden(case: dict) -> None:
    run_case(case)
