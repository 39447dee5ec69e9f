"""Golden cases for the YAML/JSON/TOML template functions, recorded from Helm v4.1.4."""

from __future__ import annotations

import pytest

from tests.funcs.golden import load_cases, run_case

# Where kelm knowingly differs from Helm (see tests/yaml/test_golden_direct.py).
# values.yaml itself fails to load in Helm (a DEL character): the text comes from whichever
# values loader the runner uses; kelm.yaml.load_helm gives Helm's (tests/yamlio checks it).
VALUES_ERROR = {"toYaml-str-083", "toYaml-key-083"}


def _marks(case: dict) -> list:
    if case["id"] in VALUES_ERROR:
        return [pytest.mark.xfail(reason="values-file error text of the runner's loader",
                                  strict=False)]
    return []


CASES = load_cases("yamljson")


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c["id"], marks=_marks(c)) for c in CASES]
)
def test_golden(case: dict) -> None:
    run_case(case)
