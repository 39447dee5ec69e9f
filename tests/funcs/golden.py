"""Run golden function cases (recorded by record.py from the real Helm) through kelm.

Each case is the same one-template chart the recorder gave Helm (``templates/NOTES.txt``,
``values.yaml``, ``--set``/``--set-string``), rendered by kelm's real install pipeline
(chart loading, values coalescing, engine, Helm functions, Helm's error rewriting); the
rendered notes or the error message must equal Helm's exactly.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "funcs"
TEMPLATE_NAME = "t/templates/NOTES.txt"


def load_cases(group: str) -> list[dict]:
    path = GOLDEN / f"{group}.json"
    return json.loads(path.read_text())["cases"]


def scope(case: dict) -> dict:
    """The top-level scope the case's template sees (for evaluators that bypass the engine)."""
    from kelm.values.options import ValueOptions
    from kelm.yaml import load_helm

    values = load_helm(case.get("values") or "") or {}
    user = ValueOptions(
        values=list(case.get("set", [])), string_values=list(case.get("set_string", []))
    ).merge_values()
    values.update(user)
    return {
        "Values": values,
        "Release": {
            "Name": "r", "Namespace": "default", "IsInstall": True, "IsUpgrade": False,
            "Revision": 1, "Service": "Helm",
        },
        "Chart": {"Name": "t", "Version": "0.1.0", "APIVersion": "v2", "AppVersion": ""},
        "Template": {"Name": TEMPLATE_NAME, "BasePath": "t/templates"},
    }


def render_case(case: dict) -> tuple[str | None, str | None]:
    """(notes, None) on success, (None, Helm-style error message) on failure."""
    from kelm.chart import ChartError, load_chart
    from kelm.render import ActionError, InstallOptions, render_chart
    from kelm.values.options import ValueOptions
    from tests.funcs.record import write_chart

    with tempfile.TemporaryDirectory() as tmp:
        chart_dir = write_chart(Path(tmp), case)
        try:
            chart = load_chart(str(chart_dir))
            values = ValueOptions(
                values=list(case.get("set", [])), string_values=list(case.get("set_string", []))
            ).merge_values()
            rel = render_chart(chart, values, InstallOptions(release_name="r"))
        except (ActionError, ChartError) as e:
            return None, str(e)
        except Exception as e:  # noqa: BLE001 - values errors and the like, as Helm prints them
            return None, str(e)
    return rel.notes, None


# Functions whose result can depend on the wall clock (a non-time argument means "now").
_CLOCK_FUNCS = re.compile(
    r"\b(now|date|dateInZone|date_in_zone|htmlDate|htmlDateInZone|ago|durationRound|"
    r"dateModify|date_modify|mustDateModify|must_date_modify|unixEpoch|genCA|genSelfSignedCert|"
    r"genSignedCert|genCAWithKey|genSelfSignedCertWithKey|genSignedCertWithKey)\b"
)
# A clock far from the real one: 3 years, 5 months, 11 days and 7 hours ahead.
_FAR_SHIFT = ((3 * 365 + 5 * 30 + 11) * 24 + 7) * 3600.0


def clock_dependent(case: dict) -> bool:
    """Whether the case's output changes with the day it runs (rendered at two clocks)."""
    if not _CLOCK_FUNCS.search(case.get("template", "")):
        return False
    from kelm import clock

    first = render_case(case)
    old = clock.shift(_FAR_SHIFT)
    try:
        second = render_case(case)
    finally:
        clock.shift(old)
    return first != second


def shape(text: str) -> re.Pattern[str]:
    """The text with every run of digits standing for any run of digits."""
    return re.compile("".join(
        r"\d+" if part.isdigit() else re.escape(part) for part in re.split(r"(\d+)", text)
    ) + r"\Z")


def run_case(case: dict) -> None:
    """Compare kelm with Helm's recording: exactly, or by shape where the clock decides."""
    out, err = render_case(case)
    if "error" in case:
        assert err is not None, f"{case['id']}: Helm failed with {case['error']!r}, kelm printed {out!r}"
        assert err.rstrip() == case["error"].rstrip(), case["id"]  # recorder strips stderr
        return
    assert err is None, f"{case['id']}: kelm failed: {err}"
    if out != case["output"] and clock_dependent(case):
        # Recorded on another day: same text, digits aside.
        assert shape(case["output"]).match(out), (case["id"], out, case["output"])
        return
    assert out == case["output"], case["id"]
