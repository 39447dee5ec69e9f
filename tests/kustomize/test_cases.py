"""Every public kubectl-kustomize golden case must build byte for byte (or fail when expected)."""

from __future__ import annotations

import pytest

from tests.kustomize.cases import CASES, case_ids, run_case
from tests.shared import needs_shared

IDS = case_ids()

pytestmark = needs_shared(CASES, "the shared kustomize cases")


def test_all_cases_pass_rate(capsys: pytest.CaptureFixture[str]) -> None:
    results = [run_case(c) for c in IDS]
    failed = [r for r in results if not r.ok]
    with capsys.disabled():
        for r in failed:
            print(f"\n--- MISMATCH {r.case}\n{r.detail}")
        ok = len(results) - len(failed)
        print(f"\nkustomize cases: {ok}/{len(results)} passed ({100 * ok / len(results):.1f}%)")
    assert not failed, f"{len(failed)} kustomize case(s) differ: {[r.case for r in failed]}"
