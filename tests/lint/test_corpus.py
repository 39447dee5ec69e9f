"""``kelm lint`` on every chart of the shared corpus prints what Helm v4.1.4 printed.

The plain variant runs always; set KELM_LINT_FULL=1 to add ``--strict`` and
``--with-subcharts`` (three times the work).  Skipped when the corpus is absent.
"""

from __future__ import annotations

import os

import pytest

from tests.lint import corpus
from tests.shared import needs_shared


@needs_shared(corpus.BASE / "charts", "the shared chart corpus")
def test_lint_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    total, failed, dt = corpus.run(all_variants=bool(os.environ.get("KELM_LINT_FULL")))
    with capsys.disabled():
        for cid, why in failed:
            print(f"MISMATCH {cid}: {why}")
        print(f"\nlint corpus: {total - len(failed)}/{total} identical to helm in {dt:.0f}s")
    assert total > 0
    assert not failed
