"""The shared test data is there: without it the corpus tests cannot run (see tests/conftest.py:
absent, they are skipped loudly, and under CI=true they fail)."""

from __future__ import annotations

import pytest

from tests.shared import SHARED, needs_shared

PARTS = ["charts/cases.json", "charts/charts", "kustomize-cases", "docs/helm-functions.tsv",
         "tools/oracle"]


@pytest.mark.parametrize(
    "part", [pytest.param(p, marks=needs_shared(SHARED / p, f"../shared/{p}")) for p in PARTS]
)
def test_shared_part_present(part: str) -> None:
    path = SHARED / part
    assert any(path.iterdir()) if path.is_dir() else path.stat().st_size > 0
