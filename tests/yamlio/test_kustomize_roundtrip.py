"""Re-emit kustomize's own expected output: loading each expected.yaml and dumping it again
with the v2 emitter must give the same bytes (a wide test of quoting, folding, ordering)."""

from __future__ import annotations

import pytest

from kelm.yaml import dump_v2
from kelm.yaml.loader import make_loader
from tests.shared import SHARED, needs_shared

CASES = SHARED / "kustomize-cases"
_LOADER = make_loader(json_numbers=False)


def _expected_files() -> list:
    if not CASES.is_dir():
        return []
    return sorted(p for p in CASES.glob("*/expected.yaml") if p.read_text().strip())


@needs_shared(CASES, "the shared kustomize cases")
@pytest.mark.parametrize("path", _expected_files(), ids=lambda p: p.parent.name)
def test_reemit_identical(path) -> None:
    text = path.read_text()
    loader = _LOADER(text)
    docs = []
    try:
        while loader.check_node():
            docs.append(loader.construct_document(loader.get_node()))
    finally:
        loader.dispose()
    assert "---\n".join(dump_v2(d, json_roundtrip=False) for d in docs) == text
