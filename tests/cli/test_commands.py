"""The command layer: cobra's help layout against Helm's (tests/golden/cli/help), cobra's and
Helm's error texts naming kelm, ``kelm help``, ``version``, ``env``, ``completion``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import invoke

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "cli"
# flags kelm adds to Helm's commands
KELM_EXTRAS = {"template": {"preset"}, "install": {"preset"}}
_FLAG_LINE = re.compile(r"^(  (?:-\w, |    )--[\w-]+(?: \S+)?) +(.*?)(?: (\(default .*\)))?$")


@pytest.fixture
def helm_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locations as the recorded goldens show them ($HELM_CACHE_HOME, $HOME placeholders)."""
    for name in ("KELM_CACHE_HOME", "KELM_CONFIG_HOME", "KELM_DATA_HOME", "KELM_CONTENT_CACHE",
                 "KELM_REPOSITORY_CACHE", "KELM_REPOSITORY_CONFIG", "HELM_REPOSITORY_CACHE",
                 "HELM_REPOSITORY_CONFIG", "HELM_CONTENT_CACHE", "HELM_REGISTRY_CONFIG",
                 "HELM_NAMESPACE", "HELM_DEBUG", "HELM_COLOR", "HELM_KUBECONTEXT",
                 "HELM_KUBEAPISERVER", "HELM_PLUGINS", "HELM_MAX_HISTORY", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HELM_CACHE_HOME", "$HELM_CACHE_HOME")
    monkeypatch.setenv("HELM_CONFIG_HOME", "$HELM_CONFIG_HOME")
    monkeypatch.setenv("HELM_DATA_HOME", "$HELM_DATA_HOME")
    monkeypatch.setenv("HOME", "$HOME")


def layout(text: str, drop: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """The help from ``Usage:`` on, with the wording of help texts left out: flag columns and
    defaults, command names, section headers."""
    out = []
    body = text[text.index("Usage:"):]
    for line in body.splitlines():
        m = _FLAG_LINE.match(line)
        if m:
            name = re.search(r"--([\w-]+)", m.group(1)).group(1)  # type: ignore[union-attr]
            if name not in drop:
                out.append(f"{m.group(1)} {m.group(3) or ''}".rstrip())
        elif re.match(r"^  [\w-]+ {2,}\S", line):
            out.append(line.split()[0])
        else:
            out.append(line.replace("helm", "kelm"))
    return out


HELP_CASES = sorted(p.stem for p in (GOLDEN / "help").glob("*.txt") if p.stem != "help")


@pytest.mark.parametrize("name", HELP_CASES)
def test_help_layout_matches_helm(name: str, helm_env: None) -> None:
    helm = (GOLDEN / "help" / f"{name}.txt").read_text()
    words = name.split("-", 1) if name.startswith(("show-", "dependency-", "completion-", "registry-")) \
        else [name]
    res = invoke([*words, "--help"])
    assert res.exit_code == 0, res.stderr
    drop = KELM_EXTRAS.get(name, set())
    assert layout(res.stdout, drop) == layout(helm)
    # every flag line has a help text, on one line
    for line in res.stdout.splitlines():
        m = _FLAG_LINE.match(line)
        if m:
            assert m.group(2).strip(), line


def test_every_command_has_help_with_its_flags(helm_env: None) -> None:
    from kelm.cli.root import root_command

    def walk(cmd: Any) -> Iterator[Any]:
        yield cmd
        for s in cmd.subcommands():
            yield from walk(s)

    for cmd in walk(root_command()):
        if cmd.hidden:
            continue
        path = cmd.path().split()[1:]
        res = invoke([*path, "--help"])
        assert res.exit_code == 0, (path, res.stderr)
        assert "Usage:" in res.stdout and "-h, --help" in res.stdout, path
        for f in cmd.flags:
            if not f.hidden:
                assert f"--{f.name}" in res.stdout, (path, f.name)
                assert f.help, (path, f.name)


def test_help_command_and_unknown_topic() -> None:
    assert invoke(["help", "show", "chart"]).stdout == invoke(["show", "chart", "--help"]).stdout
    res = invoke(["help", "bogus"])
    assert res.exit_code == 0
    assert res.stdout.startswith("Unknown help topic [`bogus`]\nUsage:\n  kelm [command]\n")
    assert invoke([]).stdout == invoke(["--help"]).stdout


@pytest.mark.parametrize("args,code,err", [
    (["templat"], 1, 'Error: unknown command "templat" for "kelm"\n\nDid you mean this?\n'
                     "\ttemplate\n\nRun 'kelm --help' for usage.\n"),
    (["bogus"], 1, "Error: unknown command \"bogus\" for \"kelm\"\nRun 'kelm --help' for usage.\n"),
    (["--bogus"], 1, "Error: unknown flag: --bogus\n"),
    (["template"], 1, 'Error: "kelm template" requires at least 1 argument\n\n'
                      "Usage:  kelm template [NAME] [CHART] [flags]\n"),
    (["template", "--debug"], 1, 'Error: "kelm template" requires at least 1 argument\n\n'
                                 "Usage:  kelm template [NAME] [CHART] [flags]\n"),
    (["show", "chart", "a", "b"], 1, 'Error: "kelm show chart" requires 1 argument\n\n'
                                     "Usage:  kelm show chart [CHART] [flags]\n"),
    (["dep", "ls", "a", "b"], 1, 'Error: "kelm dependency list" accepts at most 1 argument\n\n'
                                 "Usage:  kelm dependency list CHART [flags]\n"),
    (["version", "x"], 1, 'Error: "kelm version" accepts no arguments\n\n'
                          "Usage:  kelm version [flags]\n"),
    (["env", "A", "B"], 1, 'Error: "kelm env" accepts at most 1 argument\n\n'
                           "Usage:  kelm env [flags]\n"),
    (["create"], 1, 'Error: "kelm create" requires 1 argument\n\nUsage:  kelm create NAME [flags]\n'),
    (["lint", "--bogus=1"], 1, "Error: unknown flag: --bogus\n"),
    (["template", "-Z"], 1, "Error: unknown shorthand flag: 'Z' in -Z\n"),
    (["package"], 1, "Error: need at least one argument, the path to the chart\n"),
])
def test_errors_as_helm_prints_them_naming_kelm(args: list[str], code: int, err: str) -> None:
    res = invoke(args)
    assert (res.exit_code, res.stdout, res.stderr) == (code, "", err)


def test_groups_without_a_subcommand_print_their_help() -> None:
    for args in (["show"], ["show", "bogus"], ["dependency"], ["completion"]):
        res = invoke(args)
        assert res.exit_code == 0 and res.stdout.startswith("\n"), args
        assert "Available Commands:" in res.stdout


def test_flags_before_the_command_name_and_aliases(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "templates" / "cm.yaml").write_text("ns: {{ .Release.Namespace }}\n")
    res = invoke(["-n", "prod", "template", "r", str(chart)])
    assert res.exit_code == 0 and "ns: prod" in res.stdout
    assert invoke(["inspect", "chart", str(chart)]).stdout == invoke(
        ["show", "chart", str(chart)]).stdout
    assert invoke(["dependencies", "list", str(chart)]).exit_code == 0


def test_version() -> None:
    from kelm import HELM_VERSION, KUSTOMIZE_VERSION, __version__

    assert invoke(["version", "--short"]).stdout == f"v{__version__}\n"
    res = invoke(["version", "--template", "{{ .Version }} {{ .HelmVersion }} {{ .KustomizeVersion }}"])
    assert res.stdout == f"v{__version__} {HELM_VERSION} {KUSTOMIZE_VERSION}"
    line = invoke(["version"]).stdout
    assert line.startswith(f'version.BuildInfo{{Version:"v{__version__}", HelmVersion:"{HELM_VERSION}"')
    assert invoke(["version", "--template", "{{ .Nope"]).exit_code == 1


def test_env_names_are_helms_and_values_follow_flags(helm_env: None) -> None:
    helm = dict(line.split("=", 1) for line in (GOLDEN / "env.txt").read_text().splitlines())
    res = invoke(["env"])
    kelm = dict(line.split("=", 1) for line in res.stdout.splitlines())
    assert sorted(kelm) == sorted(helm)
    same = set(helm) - {"HELM_BIN", "HELM_DATA_HOME", "HELM_PLUGINS"}
    assert {k: kelm[k] for k in same} == {k: helm[k] for k in same}
    assert invoke(["env", "-n", "team", "HELM_NAMESPACE"]).stdout == "team\n"
    assert invoke(["env", "--qps", "1.5", "HELM_QPS"]).stdout == "1.50\n"
    assert invoke(["env", "NOT_A_NAME"]).stdout == ""


def test_complete_candidates() -> None:
    assert invoke(["__complete", "templ"]).stdout == "template\n:4\n"
    out = invoke(["__complete", "template", "--set-"]).stdout.splitlines()
    assert out == ["--set-file", "--set-json", "--set-literal", "--set-string", ":4"]
    assert invoke(["__complete", "dependency", ""]).stdout == "build\nlist\nupdate\n:4\n"
    # a flag value or a chart path: the shell completes file names
    assert invoke(["__complete", "template", "-f", ""]).stdout == ":0\n"
    assert invoke(["__complete", "template", "r", ""]).stdout == ":0\n"
    assert "__complete" not in invoke(["__complete", ""]).stdout


def test_completion_scripts() -> None:
    for shell in ("bash", "zsh", "fish", "powershell"):
        res = invoke(["completion", shell])
        assert res.exit_code == 0 and "__complete" in res.stdout, shell


def test_bash_completion_completes_through_kelm(tmp_path: Path) -> None:
    wrapper = tmp_path / "kelm"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kelm "$@"\n')
    wrapper.chmod(0o755)
    script = tmp_path / "kelm.bash"
    script.write_text(invoke(["completion", "bash"]).stdout)
    env = dict(os.environ, PATH=f"{tmp_path}{os.pathsep}{os.environ['PATH']}")

    def complete(*words: str) -> list[str]:
        quoted = " ".join(f"'{w}'" for w in ("kelm", *words))
        code = (f"source {script}; COMP_WORDS=({quoted}); COMP_CWORD={len(words)}; "
                "_kelm_complete; printf '%s\\n' \"${COMPREPLY[@]}\"")
        out = subprocess.run(["bash", "-c", code], capture_output=True, text=True, env=env,
                             timeout=60, cwd=tmp_path)
        return [w for w in out.stdout.splitlines() if w]

    assert complete("templ") == ["template"]
    assert complete("show", "") == ["all", "chart", "crds", "readme", "values"]
    assert complete("install", "--dry") == ["--dry-run"]
    assert complete("template", "r", "kelm.b") == ["kelm.bash"]  # file names


def test_every_registered_command_module_names_its_command() -> None:
    """root.MODULE_OF sends a first word to one module: that module's command answers to it
    (its name or an alias), and SUBCOMMANDS lists every such module."""
    import importlib

    from kelm.cli.root import MODULE_OF, SUBCOMMANDS

    for word, module in MODULE_OF.items():
        assert module in SUBCOMMANDS, module
        cmd = importlib.import_module(module).COMMAND
        assert word in (cmd.name, *cmd.aliases), (word, module)
