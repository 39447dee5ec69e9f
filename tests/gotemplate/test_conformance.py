"""Replay the Helm-recorded conformance goldens (tests/golden/gotemplate/conformance.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kelm.gotemplate import TemplateError

from .helm_emul import helm_error, load_values, render_like_helm

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "gotemplate" / "conformance.json"
DOC = json.loads(GOLDEN.read_text())

# Cases whose expected text depends on Helm's own top-level objects (a pointer address in
# .Capabilities, the named type common.Values), not on the template language.
SKIP = {"{{ $ }}", "{{ . }}", "{{ . | printf \"%T\" }}",
        "{{ range $.Values.nl }}{{ $ | len }}{{ end }}"}


def _cases() -> list[dict]:
    return [c for c in DOC["cases"] if c["tpl"] not in SKIP]


def run(case: dict) -> str:
    values = load_values(DOC["values"][case["values"]], case.get("set", []))
    try:
        return "OUT:" + render_like_helm(case["tpl"], values)
    except TemplateError as e:
        return "ERR:" + helm_error(e)


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["tpl"][:60])
def test_case(case: dict) -> None:
    want = "OUT:" + case["out"] if "out" in case else "ERR:" + case["err"]
    assert run(case) == want


def test_enough_cases() -> None:
    assert len(_cases()) >= 400
