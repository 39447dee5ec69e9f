"""The clock-sensitive tests pass on another day: they run again here with kelm's clock moved
400 days ahead (``KELM_TEST_CLOCK_SHIFT_DAYS``, tests/conftest.py).  The whole suite can be run
that way too: ``KELM_TEST_CLOCK_SHIFT_DAYS=400 make test``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Every test module that renders now/date/ago/genCA & co.
CLOCK_TESTS = [
    "tests/funcs/test_golden_gaps.py",
    "tests/funcs/test_golden_dates.py",
    "tests/funcs/test_golden_crypto.py",
    "tests/funcs/test_crypto.py",
    "tests/funcs/test_dates.py",
    "tests/funcs/test_gotime.py",
]


@pytest.mark.skipif(bool(os.environ.get("KELM_TEST_CLOCK_SHIFT_DAYS")), reason="already shifted")
def test_clock_tests_pass_a_year_ahead() -> None:
    env = {**os.environ, "KELM_TEST_CLOCK_SHIFT_DAYS": "400"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-x", *CLOCK_TESTS],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout.splitlines()[-1], proc.stdout[-500:]
