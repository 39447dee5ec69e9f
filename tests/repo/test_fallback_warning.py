"""A version constraint on a chart reference (``REPO/NAME --version ^0.1.0``, ``--repo URL``,
``--devel``) that selects another version than the text asked for: Helm logs "unable to find
exact version requested; falling back to closest available version" on stderr (slog text
format) for ``template``, ``install``, ``show`` and ``pull``; an exact version or none says
nothing.  Compared with the oracle's helm (golden fallback_warning.json).

Re-record: python -m tests.repo.test_fallback_warning  (needs ../shared/tools/oracle)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.repo.httprepo import charts, serve
from tests.repo.test_repo_commands import home as home  # noqa: F401 - a fixture
from tests.repo.test_repo_commands import normalise
from tests.repo.test_repo_config_callers import Run, record_with_helm

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "repo" / "fallback_warning.json"
COMMANDS = [
    ["template", "x", "r/web", "--version", "^0.1.0"],
    ["template", "x", "r/web", "--version", "0.1.0"],
    ["template", "x", "r/web"],
    ["template", "x", "r/web", "--devel"],
    ["template", "x", "web", "--repo", "$URL", "--version", "~0.1"],
    ["template", "x", "web", "--repo", "$URL", "--version", "0.2.0"],
    ["show", "chart", "r/web", "--version", "<0.2.0"],
    ["show", "values", "web", "--repo", "$URL", "--version", ">=0.1 <1"],
    ["install", "x", "r/web", "--version", "^0.1.0", "--dry-run=client"],
    ["install", "x", "r/web", "--version", "0.2.0", "--dry-run=client"],
    ["pull", "r/web", "--version", "^0.1.0", "-d", "$TMP"],
    ["template", "x", "r/web", "--version", "^9.0.0"],
    ["template", "x", "r/nope"],
    ["show", "chart", "r/nope", "--version", "1.0.0"],
    ["template", "x", "nope", "--repo", "$URL"],
    ["template", "x", "web", "--repo", "$URL", "--version", "^9"],
]
_CHART_VERSION = re.compile(r'^(?:  version: "[^"]*"|version: \S+)$', re.M)


def run_cases(run: Run, url: str, tmp: str) -> list[dict[str, Any]]:
    out = []
    for cmd in COMMANDS:
        o, e, code = run([a.replace("$URL", url).replace("$TMP", tmp) for a in cmd])
        out.append({"args": cmd, "stderr": normalise(e, url, tmp), "code": code,
                    "versions": _CHART_VERSION.findall(o)})
    return out


def test_fallback_warning_as_helm(tmp_path: Path, home: Path) -> None:
    from tests.cli.runner import invoke

    golden = json.loads(GOLDEN.read_text())["cases"]
    tmp = tmp_path.resolve()

    def run(args: list[str]) -> tuple[str, str, int]:
        res = invoke(args)
        return res.stdout, res.stderr, res.exit_code

    charts(tmp / "srv")
    with serve(tmp / "srv") as srv:
        assert invoke(["repo", "add", "r", srv.url]).exit_code == 0
        got = run_cases(run, srv.url, str(tmp))
    assert sum("falling back" in g["stderr"] for g in golden) >= 6
    for g, k in zip(golden, got, strict=True):
        assert k == g, g["args"]


def test_upgrade_warns_as_install(tmp_path: Path, home: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """``upgrade`` (``--install`` of a new release, and of an existing one) locates the chart
    once and logs the same line as Helm's ``install`` (the oracle's helm, run against the
    emulator, printed exactly this)."""
    import kelm.testing
    from tests.cli.runner import invoke

    golden = json.loads(GOLDEN.read_text())["cases"]
    want = next(g["stderr"] for g in golden if g["args"][0] == "install" and g["stderr"])
    charts(tmp_path / "srv")
    with kelm.testing.cluster() as c, serve(tmp_path / "srv") as srv:
        for k, v in c.env().items():
            monkeypatch.setenv(k, v)
        assert invoke(["repo", "add", "r", srv.url]).exit_code == 0
        for _ in range(2):
            res = invoke(["upgrade", "--install", "x", "r/web", "--version", "^0.1.0"])
            assert (res.exit_code, res.stderr) == (0, want)
        res = invoke(["upgrade", "x", "r/web", "--version", "0.2.0"])
        assert (res.exit_code, res.stderr) == (0, "")


def record() -> None:
    def cases(run: Run, url: str, tmp: str) -> list[dict[str, Any]]:
        assert run(["repo", "add", "r", url])[2] == 0
        return run_cases(run, url, tmp)

    record_with_helm(GOLDEN, cases)


if __name__ == "__main__":
    sys.exit(record())
