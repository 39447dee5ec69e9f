"""A real registry with basic auth on loopback, compared with the oracle's helm (golden
install_depup.json):

- ``template``/``install --dependency-update`` with an ``oci://`` dependency: the dependency
  manager gets the command's registry client (``--plain-http``, ``--username``/``--password``,
  TLS files) and keyring, as Helm's ``runInstall`` builds it;
- ``package --dependency-update`` with the same registry and TLS flags (bad TLS files fail
  every package, as Helm builds its registry client first);
- wrong or missing credentials: Helm's full messages, with oras' operation named
  (``failed to perform "FetchReference" on source: ``, ``"Exists" on destination`` for push).

Re-record: python -m tests.repo.test_install_depup  (needs ../shared/tools/oracle)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.repo.httprepo import helm_env as isolated_env
from tests.repo.httprepo import isolate, plain_helm, write_chart
from tests.repo.registry import Registry, registry_fixture, start_registry

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "repo" / "install_depup.json"
OK = ["--plain-http", "--username", "$USER", "--password", "$PASSWORD"]
WRONG = ["--plain-http", "--username", "$USER", "--password", "wrong"]
DEP = "oci://$HOST/charts/dep"
COMMANDS: list[list[str]] = [
    ["package", "$TMP/src/dep-0.1.0/dep", "-d", "$TMP"],
    ["push", "$TMP/dep-0.1.0.tgz", "oci://$HOST/charts", *WRONG],
    ["push", "$TMP/dep-0.1.0.tgz", "oci://$HOST/charts", "--plain-http"],
    ["push", "$TMP/dep-0.1.0.tgz", "oci://$HOST/charts", *OK],
    ["pull", DEP, "--version", "0.1.0", "-d", "$TMP", *WRONG],
    ["pull", DEP, "-d", "$TMP", *WRONG],
    ["template", "x", DEP, "--version", "0.1.0", *WRONG],
    ["template", "x", DEP + ":0.1.0", "--plain-http"],
    ["show", "chart", DEP, "--version", "0.1.0", *WRONG],
    ["install", "x", DEP, "--version", "0.1.0", "--dry-run=client", *WRONG],
    ["template", "x", "$TMP/p", "--dependency-update", "--plain-http"],
    ["template", "x", "$TMP/p", "--dependency-update", *WRONG],
    ["template", "x", "$TMP/p", "--dependency-update", *OK],
    ["@cat", "$TMP/p/Chart.lock"],
    ["@files", "$TMP/p/charts"],
    ["install", "y", "$TMP/q", "--dependency-update", "--dry-run=client", *OK],
    ["@files", "$TMP/q/charts"],
    ["package", "$TMP/src/dep-0.1.0/dep", "-d", "$TMP/out", "--ca-file", "$TMP/none.pem"],
    ["package", "$TMP/src/dep-0.1.0/dep", "-d", "$TMP/out", "--ca-file", "$TMP/p/Chart.yaml"],
    ["package", "$TMP/r", "-d", "$TMP/out", "-u", "--plain-http"],
    ["package", "$TMP/r", "-d", "$TMP/out", "-u", *WRONG],
    ["package", "$TMP/r", "-d", "$TMP/out", "-u", "--keyring", "$TMP/none.gpg", *OK],
    ["@files", "$TMP/r/charts"],
    ["@files", "$TMP/out"],
]

Run = Callable[[list[str]], tuple[str, str, int]]


def _parent(d: Path, name: str, host: str) -> None:
    (d / name / "templates").mkdir(parents=True)
    (d / name / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {name}\nversion: 1.0.0\ndependencies:\n- name: dep\n"
        f"  version: ~0.1.0\n  repository: oci://{host}/charts\n")
    (d / name / "templates" / "p.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-p\n")


def normalise(text: str, reg: Registry, tmp: str) -> str:
    text = text.replace(reg.host, "$HOST").replace(tmp, "$TMP")
    text = re.sub(r"sha256:[0-9a-f]{64}", "sha256:$DIGEST", text)
    text = re.sub(r"(generated|LAST DEPLOYED): .*", r"\1: $TIME", text)
    return re.sub(r"tmpcharts-\d+", "tmpcharts-$PID", text)


def run_cases(run: Run, reg: Registry, tmp: Path) -> list[dict[str, Any]]:
    write_chart(tmp / "src", "dep", "0.1.0", "A dependency")
    _parent(tmp, "p", reg.host)
    _parent(tmp, "q", reg.host)
    _parent(tmp, "r", reg.host)
    (tmp / "out").mkdir()
    out = []
    for cmd in COMMANDS:
        args = [a.replace("$HOST", reg.host).replace("$TMP", str(tmp))
                .replace("$USER", reg.username).replace("$PASSWORD", reg.password) for a in cmd]
        if args[0] == "@cat":
            o, e, code = Path(args[1]).read_text(), "", 0
        elif args[0] == "@files":
            o, e, code = "\n".join(sorted(os.listdir(args[1]))), "", 0
        else:
            o, e, code = run(args)
        out.append({"args": cmd, "stdout": normalise(o, reg, str(tmp)),
                    "stderr": normalise(e, reg, str(tmp)), "code": code})
    return out


@pytest.fixture(scope="module")
def auth_reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from registry_fixture(tmp_path_factory, "depup", auth="htpasswd")


def test_dependency_update_and_credentials_as_helm(auth_reg: Registry, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.cli.runner import invoke

    isolate(tmp_path, monkeypatch)
    monkeypatch.setenv("HELM_REGISTRY_CONFIG", str(tmp_path / "registry" / "config.json"))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    monkeypatch.chdir(tmp_path)
    golden = json.loads(GOLDEN.read_text())["cases"]

    def run(args: list[str]) -> tuple[str, str, int]:
        res = invoke(args)
        return res.stdout, res.stderr, res.exit_code

    got = run_cases(run, auth_reg, tmp_path.resolve())
    assert any('"FetchReference" on source' in g["stderr"] for g in golden)
    assert "dep-0.1.0.tgz" in golden[-2]["stdout"] and "r-1.0.0.tgz" in golden[-1]["stdout"]
    for g, k in zip(golden, got, strict=True):
        assert k == g, g["args"]


def record() -> None:
    import tempfile

    helm = plain_helm()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d).resolve()
        env = isolated_env(tmp / "home")
        env.update(HELM_REGISTRY_CONFIG=str(tmp / "registry" / "config.json"),
                   DOCKER_CONFIG=str(tmp / "docker"))

        def run(args: list[str]) -> tuple[str, str, int]:
            p = subprocess.run([helm, *args], capture_output=True, text=True, env=env,
                               timeout=120, cwd=tmp, stdin=subprocess.DEVNULL)
            return p.stdout, p.stderr, p.returncode

        reg = start_registry(tmp / "reg", auth="htpasswd")
        try:
            cases = run_cases(run, reg, tmp)
        finally:
            reg.stop()
    GOLDEN.write_text(json.dumps({"helm": "v4.1.4", "cases": cases}, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(record())
