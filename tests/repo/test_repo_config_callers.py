"""Commands that name a chart as ``REPO/NAME`` (``template``, ``show``, ``install``) read
repositories.yaml as Helm's ``repo.LoadFile`` does (kelm.repo.config, the only reader): a file
that does not parse or has Go type errors (``repositories: 5``) gives Helm's one-line error,
never a traceback; compared with what the oracle's helm printed (golden config_callers.json).

Re-record: python -m tests.repo.test_repo_config_callers  (needs ../shared/tools/oracle)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.repo.httprepo import charts, plain_helm, serve
from tests.repo.httprepo import helm_env as isolated_env
from tests.repo.test_repo_commands import BROKEN_CONFIGS, normalise
from tests.repo.test_repo_commands import home as home  # noqa: F401 - a fixture

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "repo" / "config_callers.json"
CONFIGS = [*BROKEN_CONFIGS, "apiVersion: v1\nrepositories:\n- name: a\n  url: $URL\n"]
COMMANDS = [["template", "x", "a/web"], ["template", "x", "7/web"], ["show", "chart", "a/web"],
            ["install", "x", "a/web", "--dry-run=client"]]

Run = Callable[[list[str]], tuple[str, str, int]]


def run_cases(run: Run, url: str, tmp: str, config: Path) -> list[dict[str, Any]]:
    out = []
    for text in CONFIGS:
        for cmd in COMMANDS:
            config.parent.mkdir(parents=True, exist_ok=True)
            config.write_text(text.replace("$URL", url))
            o, e, code = run(cmd)
            out.append({"config": text, "args": cmd, "stdout": normalise(o, url, tmp),
                        "stderr": normalise(e, url, tmp), "code": code})
    return out


def test_chart_references_read_repositories_yaml_as_helm(tmp_path: Path, home: Path) -> None:
    from tests.cli.runner import invoke

    golden = json.loads(GOLDEN.read_text())["cases"]

    def run(args: list[str]) -> tuple[str, str, int]:
        res = invoke(args)
        return res.stdout, res.stderr, res.exit_code

    tmp = tmp_path.resolve()
    charts(tmp / "srv")
    with serve(tmp / "srv") as srv:
        got = run_cases(run, srv.url, str(tmp), home / "config" / "repositories.yaml")
    assert any("repo.File" in g["stderr"] for g in golden)  # the golden covers type errors
    for g, k in zip(golden, got, strict=True):
        assert k == g, (g["config"], g["args"])


def test_one_reader_of_repositories_yaml() -> None:
    """kelm.repo.files holds the data model only; every reader goes through repo.config."""
    import kelm.repo.files as files

    assert not hasattr(files, "load_repo_file")
    from kelm.repo import load_repositories
    from kelm.repo.config import load_repositories as reader

    assert load_repositories is reader


def record_with_helm(golden: Path, cases_of: Callable[[Run, str, str], list[dict[str, Any]]]
                     ) -> None:
    """Run ``cases_of(run, repository URL, scratch dir)`` with the oracle's helm in its own
    homes against a fresh loopback repository, and write the golden."""
    import tempfile

    helm = plain_helm()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d).resolve()
        env = isolated_env(tmp / "home")

        def run(args: list[str]) -> tuple[str, str, int]:
            p = subprocess.run([helm, *args], capture_output=True, text=True, env=env,
                               timeout=120, cwd=tmp, stdin=subprocess.DEVNULL)
            return p.stdout, p.stderr, p.returncode

        charts(tmp / "srv")
        with serve(tmp / "srv") as srv:
            cases = cases_of(run, srv.url, str(tmp))
    golden.write_text(json.dumps({"helm": "v4.1.4", "cases": cases}, indent=1) + "\n")


def record() -> None:
    record_with_helm(GOLDEN, lambda run, url, tmp: run_cases(
        run, url, tmp, Path(tmp) / "home" / "config" / "repositories.yaml"))


if __name__ == "__main__":
    sys.exit(record())
