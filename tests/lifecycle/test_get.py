"""``kelm get values|manifest|hooks|notes|metadata|all`` against the emulator (the oracle's
``helm get`` for the same releases), the printers offline against what helm printed, and
``kelm get ... --help`` against helm's help (tests/golden/cli/help/get)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lifecycle.test_status import UNREACHABLE, Releases, releases, same_as_helm, stored

__all__ = ["releases"]  # the module's own cluster with the releases of test_status

ROOT = Path(__file__).resolve().parent.parent / "golden"
GOLDEN = ROOT / "lifecycle" / "get"
HELP = ROOT / "cli" / "help"

TEMPLATE = ("{{.Release.Name}} {{.Release.Info.Status}} {{.Release.Version}} "
            "{{.Release.Info.LastDeployed}} {{.Release.Chart.Metadata.Version}} "
            "{{.Release.Config}} {{.Release.Labels}} {{.Release.Info}} "
            "{{range .Release.Hooks}}{{.Name}} {{.LastRun.Phase}} {{.LastRun}},{{end}}")
CASES = [
    ["get", "values", "web"], ["get", "values", "web", "-a"], ["get", "values", "web", "-o", "json"],
    ["get", "values", "web", "--all", "-o", "yaml"], ["get", "values", "web", "-a", "-o", "json"],
    ["get", "values", "web", "--revision", "1"], ["get", "values", "web", "--revision", "1", "-o", "json"],
    ["get", "values", "old", "-o", "yaml"], ["get", "values", "one", "-n", "kube-system"],
    ["get", "manifest", "web"], ["get", "manifest", "old", "--revision", "1"],
    ["get", "hooks", "web"], ["get", "hooks", "two", "-n", "kube-system"],
    ["get", "notes", "web"], ["get", "notes", "two", "-n", "kube-system"],
    ["get", "metadata", "web"], ["get", "metadata", "web", "--revision", "1", "-o", "json"],
    ["get", "metadata", "two", "-n", "kube-system"], ["get", "metadata", "dep"],
    ["get", "metadata", "dep", "-o", "json"],
    ["get", "metadata", "two", "-n", "kube-system", "-o", "yaml"],
    ["get", "all", "web"], ["get", "all", "web", "--revision", "2"], ["get", "all", "old"],
    ["get", "all", "one", "-n", "kube-system"], ["get", "all", "web", "--color", "always"],
    ["get", "all", "web", "--template", TEMPLATE], ["get", "all", "bad"],
    ["get", "values", "one", "-n", "kube-system", "-o", "json"],
    ["get", "values", "two", "-n", "kube-system", "--revision", "2"],
    ["get", "all", "two", "-n", "kube-system", "--revision", "2"],
    ["get", "values", "one", "-n", "kube-system", "-a", "-o", "yaml"],
    # Helm's errors
    ["get", "values", "nope"], ["get", "manifest", "web", "--revision", "9"],
    ["get", "all", "BAD_name"], ["get", "metadata", "nope"], ["get", "values"],
    ["get", "all", "web", "--template", "{{.Release.Nope}}"],
    ["get", "all", "web", "--template", "{{.Release.Info.Nope}}"],
    ["get", "all", "web", "--template", "{{.Release.Name"],
    ["get", "notes", "web", "-o", "json"], ["get", "values", "web", "-o", "xml"],
    ["get", "hooks", "web", "--kube-apiserver", UNREACHABLE],
]


def test_get_prints_what_helm_prints(releases: Releases) -> None:  # noqa: F811
    same_as_helm(releases, CASES)


@pytest.mark.parametrize("name", ["web", "two"])
def test_get_printers_offline(name: str) -> None:
    from kelm.action.getinfo import (
        hooks_text,
        metadata_text,
        release_metadata,
        release_values,
        values_text,
    )
    from kelm.action.status import status_report

    rel = stored(name)
    assert status_report(rel, debug=True, show_metadata=True) == (
        GOLDEN / f"{name}-all.txt").read_text()
    assert values_text(release_values(rel, True), "table", True) == (
        GOLDEN / f"{name}-values-all.txt").read_text()
    assert hooks_text(rel) == (GOLDEN / f"{name}-hooks.txt").read_text()
    for fmt in ("table", "json", "yaml"):
        assert metadata_text(release_metadata(rel), fmt) == (
            GOLDEN / f"{name}-metadata.{fmt}").read_text(), fmt


def test_metadata_apply_methods_offline() -> None:
    from kelm.action.getinfo import metadata_text, release_metadata

    rel = stored("two")
    for method, text in (("", "client-side apply (defaulted)"), ("csa", "client-side apply"),
                         ("odd", 'unknown ("odd")')):
        rel.apply_method = method
        meta = release_metadata(rel)
        assert ("applyMethod" in meta) == bool(method)
        assert metadata_text(meta, "table").endswith(f"APPLY_METHOD: {text}\n")


HELP_CASES = [["status"], ["history"], ["hist"], ["get"],
              *[["get", p.stem] for p in sorted((HELP / "get").glob("*.txt"))]]


@pytest.mark.parametrize("words", HELP_CASES, ids="-".join)
def test_help_matches_helm_from_usage_on(words: list[str]) -> None:
    """Usage, aliases, flags and their help byte for byte (helm -> kelm); the description
    above Usage is kelm's own text."""
    golden = HELP / ("/".join(["history" if w == "hist" else w for w in words]) + ".txt")
    env = {"HELM_CACHE_HOME": "$HELM_CACHE_HOME", "HELM_CONFIG_HOME": "$HELM_CONFIG_HOME",
           "HELM_DATA_HOME": "$HELM_DATA_HOME", "HOME": "$HOME", "PATH": "/usr/bin:/bin"}
    got = subprocess.run([sys.executable, "-m", "kelm", *words, "--help"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert got.returncode == 0, got.stderr
    want = golden.read_text()
    usage = re.compile(r"(?s)^.*?(?=^Usage:)", re.M)
    assert usage.sub("", got.stdout) == usage.sub("", want).replace("helm", "kelm")
    assert got.stdout.startswith("\n") == want.startswith("\n")
