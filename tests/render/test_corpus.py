"""Every case of the shared public-chart corpus must render byte-identically to Helm v4.1.4.

Prints the match rate and every mismatch; fails below THRESHOLD.  Skipped when the corpus
(../shared/charts) is absent.  Run the corpus alone with ``python tests/render/corpus.py``.
"""

from __future__ import annotations

import pytest

from tests.render import corpus
from tests.shared import needs_shared

THRESHOLD = 1.0  # fraction of cases that must match


@needs_shared(corpus.CORPUS / "cases.json", "the shared chart corpus")
def test_corpus_byte_identical(capsys: pytest.CaptureFixture[str]) -> None:
    passed, failed, dt = corpus.run_all()
    total = len(passed) + len(failed)
    rate = len(passed) / max(total, 1)
    with capsys.disabled():
        for cid, reason in failed:
            print(f"MISMATCH {cid}: {reason}")
        print(f"\ncorpus: {len(passed)}/{total} byte-identical ({100 * rate:.1f}%) in {dt:.0f}s")
    assert rate >= THRESHOLD, f"{len(failed)} mismatches: " + ", ".join(c for c, _ in failed)
