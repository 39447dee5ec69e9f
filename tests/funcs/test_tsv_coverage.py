"""Every template function Helm v4.1.4 offers (../shared/docs/helm-functions.tsv) has at least
five golden cases recorded from the real Helm, and kelm defines every one of them (except
the two Helm removes)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from tests.shared import SHARED, needs_shared

TSV = SHARED / "docs" / "helm-functions.tsv"
GOLDEN = Path(__file__).resolve().parent.parent / "golden"
REMOVED = {"env", "expandenv"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

pytestmark = needs_shared(TSV, "the Helm function list")


def _tsv_names() -> list[str]:
    lines = TSV.read_text().splitlines()[1:]
    return [ln.split("\t")[0] for ln in lines if ln.strip()]


def _golden_templates() -> list[str]:
    texts: list[str] = []
    for path in (GOLDEN / "funcs").glob("*.json"):
        texts += [c["template"] for c in json.loads(path.read_text())["cases"]]
    conf = GOLDEN / "gotemplate" / "conformance.json"
    if conf.is_file():
        texts += [c["tpl"] for c in json.loads(conf.read_text())["cases"]]
    gofmt = GOLDEN / "gofmt" / "cases.json"
    if gofmt.is_file():
        texts += [c["func"] for c in json.loads(gofmt.read_text())]
    return texts


def test_every_function_has_five_golden_cases():
    uses: Counter[str] = Counter()
    for text in _golden_templates():
        uses.update(set(_IDENT.findall(text)))
    short = {n: uses[n] for n in _tsv_names() if uses[n] < 5}
    assert not short, f"functions with fewer than 5 golden cases: {short}"


def test_kelm_defines_every_function():
    from kelm.funcs import all_funcs
    from kelm.gotemplate.builtins import BUILTINS
    from kelm.render.helmfuncs import helm_funcs

    defined = set(all_funcs()) | set(BUILTINS) | set(helm_funcs())
    missing = [n for n in _tsv_names() if n not in defined and n not in REMOVED]
    assert not missing
    assert not (REMOVED & defined), "env/expandenv must stay undefined, as in Helm"
