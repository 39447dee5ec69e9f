"""Suite-wide settings.

``KELM_TEST_CLOCK_SHIFT_DAYS=N`` runs every in-process test with kelm's clock (``kelm.clock``)
moved N days ahead, to prove that nothing in the suite depends on the day it runs.
"""

from __future__ import annotations

import os

_SHIFT = os.environ.get("KELM_TEST_CLOCK_SHIFT_DAYS")
if _SHIFT:
    from kelm import clock

    clock.shift(float(_SHIFT) * 86400)


# -- tests that need ../shared (tests.shared.needs_shared) ------------------------------------

_MISSING: list[str] = []


def pytest_configure(config) -> None:  # type: ignore[no-untyped-def]
    config.addinivalue_line(
        "markers", "needs_shared(path, what): needs the shared test data at path (../shared)"
    )


def pytest_runtest_setup(item) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from tests.shared import missing_reason, under_ci

    for mark in item.iter_markers("needs_shared"):
        path, what = mark.kwargs["path"], mark.kwargs.get("what", "shared test data")
        if not path.exists():
            reason = missing_reason(path, what)
            if under_ci():
                pytest.fail(f"{reason}; under CI the shared data is required", pytrace=False)
            _MISSING.append(item.nodeid)
            pytest.skip(f"NOT TESTED: {reason}")


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if _MISSING:
        from tests.shared import SHARED

        tr = terminalreporter
        tr.section("SHARED TEST DATA MISSING", sep="!", red=True, bold=True)
        tr.line(f"{len(_MISSING)} tests were NOT run: {SHARED} is absent. These are the main", red=True)
        tr.line("compatibility evidence (the chart corpus, the kustomize cases). Under CI=true", red=True)
        tr.line("they fail instead. Put the shared data next to the checkout or set KELM_SHARED.",
                red=True)
