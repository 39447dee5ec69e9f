"""Run golden function cases (recorded by record.py from the real Helm) through kelm.

The scope mimics what a one-template chart sees at install time: ``.Values`` from
values.yaml (numbers are float64, as Helm's YAML->JSON loading makes them) overlaid with
``--set`` values (int64/bool/null/string typing), plus ``.Release``, ``.Chart``,
``.Template``.  Until kelm.render provides the real pipeline this is a faithful stand-in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "funcs"
TEMPLATE_NAME = "t/templates/NOTES.txt"


def load_cases(group: str) -> list[dict]:
    path = GOLDEN / f"{group}.json"
    return json.loads(path.read_text())["cases"]


def _floatify(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, dict):
        return {str(k).lower() if isinstance(k, bool) else str(k): _floatify(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_floatify(x) for x in v]
    return v


def _set_scalar(text: str, string: bool) -> Any:
    if string:
        return text
    low = text.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    if low == "null":
        return None
    body = text[1:] if text[:1] in "+-" else text
    if body.isdigit() and not (len(body) > 1 and body.startswith("0")) and body == text.lstrip("+-"):
        n = int(text)
        if -(2**63) <= n < 2**63:
            return n
    return text


def _apply_set(values: dict, assignment: str, string: bool) -> None:
    key, _, raw = assignment.partition("=")
    parts = key.split(".")
    cur = values
    for p in parts[:-1]:
        nxt = cur.get(p)
        if not isinstance(nxt, dict):
            nxt = cur[p] = {}
        cur = nxt
    cur[parts[-1]] = _set_scalar(raw, string)


def scope(case: dict) -> dict:
    try:  # Helm's own reading of values.yaml (go-yaml v2 typing, JSON step)
        from kelm.yaml import load_helm

        values = load_helm(case.get("values") or "") or {}
    except ImportError:
        import yaml

        values = _floatify(yaml.safe_load(case.get("values") or "") or {})
    for s in case.get("set", []):
        _apply_set(values, s, False)
    for s in case.get("set_string", []):
        _apply_set(values, s, True)
    return {
        "Values": values,
        "Release": {
            "Name": "r", "Namespace": "default", "IsInstall": True, "IsUpgrade": False,
            "Revision": 1, "Service": "Helm",
        },
        "Chart": {"Name": "t", "Version": "0.1.0", "APIVersion": "v2", "AppVersion": ""},
        "Template": {"Name": TEMPLATE_NAME, "BasePath": "t/templates"},
    }


def _error_key(helm_error: str) -> str:
    """The part of Helm's (reformatted) error text that kelm's raw Go error must contain."""
    last = helm_error.strip().splitlines()[-1].strip()
    if last.startswith("execution error at (") or last.startswith("parse error at ("):
        return last.split("): ", 1)[1]
    return last


def run_case(case: dict) -> None:
    gotemplate = pytest.importorskip("kelm.gotemplate")
    if not hasattr(gotemplate, "render"):
        pytest.skip("kelm.gotemplate.render not available yet")
    from kelm.funcs import all_funcs

    try:
        out = gotemplate.render(
            case["template"], scope(case), all_funcs(), name=TEMPLATE_NAME, missingkey="zero"
        ).replace("<no value>", "")
    except Exception as e:  # noqa: BLE001 - compared against Helm's error below
        if "error" not in case:
            raise
        assert _error_key(case["error"]) in str(e), f"{case['id']}: {e!s}"
        return
    assert "error" not in case, f"{case['id']}: Helm failed with {case['error']!r}, kelm printed {out!r}"
    assert out == case["output"], case["id"]
