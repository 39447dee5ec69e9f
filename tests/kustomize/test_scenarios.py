"""Replay oracle-recorded scenarios (tests/golden/kustomize/*.json) offline."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kelm.kustomize import KustomizeError, Options, build_yaml

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "kustomize"
CASES = sorted(GOLDEN.glob("*.json"))


def _options(flags: list[str]) -> Options:
    opts = Options()
    if "--load-restrictor" in flags:
        opts.load_restrictor = flags[flags.index("--load-restrictor") + 1]
    opts.enable_helm = "--enable-helm" in flags
    return opts


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_scenario(path: Path, tmp_path: Path) -> None:
    data, result = _run(path, tmp_path)
    if data["exit_code"] != 0:
        assert isinstance(result, KustomizeError)
        return
    assert result == data["stdout"]


def _run(path: Path, root: Path) -> tuple[dict, str | KustomizeError]:
    """The scenario written under root and built there: kelm's output or its error."""
    data = json.loads(path.read_text())
    for rel, text in data["files"].items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    old = os.getcwd()
    os.chdir(root)
    try:
        return data, build_yaml(data["entry"], _options(data["flags"]), [])
    except KustomizeError as e:
        return data, e
    finally:
        os.chdir(old)


# Scenarios whose error message kelm reproduces word for word (kubectl's last "error: " line).
EXACT_ERRORS = sorted(
    p for p in CASES
    if p.stem.startswith(("error_iam_", "error_empty_patch", "error_comment_only_patch"))
)


@pytest.mark.parametrize("path", EXACT_ERRORS, ids=[p.stem for p in EXACT_ERRORS])
def test_scenario_error_message(path: Path, tmp_path: Path) -> None:
    data, result = _run(path, tmp_path)
    assert isinstance(result, KustomizeError)
    want = data["stderr"].split("error: ", 1)[1].rstrip("\n")
    assert str(result).rstrip("\n") == want
