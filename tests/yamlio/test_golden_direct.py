"""Run the simple yamljson golden cases (``{{ F .Values.x }}``, ``{{ F .Values.s | toJson }}``)
straight through kelm.yaml + kelm.funcs.yamljson, without the template engine.

The values file goes through kelm's own Helm loader, so these cases check the loader's
typing as well as every writer against the real Helm output.
"""

from __future__ import annotations

import re

import pytest

from kelm.funcs.yamljson import FUNCS
from kelm.yaml import load_helm
from tests.funcs.golden import load_cases

_FORM = re.compile(r"\{\{ (\w+) \.Values(?:\.(\w+))?( \| toJson)? \}\}\Z")

KNOWN_DIFFERENT: set[str] = set()


def _simple_cases() -> list:
    out = []
    for c in load_cases("yamljson"):
        m = _FORM.match(c["template"])
        if not m or c.get("set") or c.get("set_string"):
            continue
        marks = []
        if c["id"] in KNOWN_DIFFERENT:
            marks = [pytest.mark.xfail(reason="known difference from Helm", strict=True)]
        out.append(pytest.param(c, m.groups(), id=c["id"], marks=marks))
    return out


@pytest.mark.parametrize(("case", "form"), _simple_cases())
def test_direct(case: dict, form: tuple) -> None:
    fn, key, tojson = form
    try:
        values = load_helm(case.get("values") or "") or {}
        v = values.get(key) if key else values
        out = FUNCS[fn](v)
        if tojson:
            out = FUNCS["toJson"](out)
    except Exception as e:  # noqa: BLE001 - compared with Helm's error text
        assert "error" in case, f"kelm failed: {e}"
        assert str(e) in case["error"]
        return
    assert "error" not in case, f"Helm failed with {case['error']!r}, kelm gave {out!r}"
    assert out == case["output"]


def test_enough_direct_cases() -> None:
    assert len(_simple_cases()) > 600
