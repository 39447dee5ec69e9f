"""``repo add|list|remove|update|index``, ``search repo`` and ``pull`` against a chart
repository on loopback, compared step by step with what the oracle's helm printed in the same
scenario (tests/golden/repo/scenario.json), plus the files both leave behind.

Re-record: python -m tests.repo.test_repo_commands  (needs ../shared/tools/oracle)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_commands import helm_env as helm_env  # noqa: F401 - a fixture
from tests.repo.httprepo import charts, isolate, plain_helm, serve
from tests.repo.httprepo import helm_env as isolated_env

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "repo"
SCENARIO = GOLDEN / "scenario.json"

# each step: a command line ($URL: the repository, $TMP: the scratch directory), or
# ["@files", DIR] (the sorted files under DIR) or ["@cat", FILE]; "sort": lines in any order
STEPS: list[dict[str, Any]] = [
    {"run": ["repo", "list"]},
    {"run": ["repo", "list", "-o", "json"]},
    {"run": ["repo", "remove", "x"]},
    {"run": ["repo", "update"]},
    {"run": ["search", "repo", "x"]},
    {"run": ["repo", "add", "r1", "$URL"]},
    {"run": ["repo", "add", "r1", "$URL"]},
    {"run": ["repo", "add", "r1", "$URL/other"]},
    {"run": ["repo", "add", "r2", "$URL", "--username", "u", "--password", "p"]},
    {"run": ["repo", "add", "r2", "$URL", "--force-update"]},
    {"run": ["repo", "add", "bad", "$URL/nothere"]},
    {"run": ["repo", "add", "a/b", "$URL"]},
    {"run": ["repo", "add", "f", "ftp://example.invalid/charts"]},
    {"run": ["repo", "add", "old", "https://kubernetes-charts.storage.googleapis.com"]},
    {"run": ["repo", "add", "one"]},
    {"run": ["repo", "add", "nu", "$URL", "--no-update"]},
    {"run": ["repo", "add", "pw", "$URL", "--username", "u"]},
    {"run": ["repo", "add", "t", "$URL", "--timeout", "soon"]},
    {"run": ["repo", "add", "s", "$URL", "--ca-file", "$TMP/none.pem"]},
    {"run": ["@cat", "$TMP/home/config/repositories.yaml"]},
    {"run": ["@files", "$TMP/home/cache/repository"]},
    {"run": ["repo", "list"]},
    {"run": ["repo", "ls", "--no-headers"]},
    {"run": ["repo", "list", "-o", "json"]},
    {"run": ["repo", "list", "-o", "yaml"]},
    {"run": ["repo", "list", "-o", "wide"]},
    {"run": ["repo", "list", "extra"]},
    {"run": ["repo", "update"], "sort": True},
    {"run": ["repo", "up", "r1"]},
    {"run": ["repo", "update", "r1", "nope"]},
    {"run": ["search", "repo"]},
    {"run": ["search", "repo", "web"]},
    {"run": ["search", "repo", "web", "-l"]},
    {"run": ["search", "repo", "web", "--devel"]},
    {"run": ["search", "repo", "web", "--devel", "-l"]},
    {"run": ["search", "repo", "web", "--version", "<0.2.0"]},
    {"run": ["search", "repo", "web", "--version", "^0.1 || >=1.0.0-0", "-l"]},
    {"run": ["search", "repo", "web", "--version", "bad!!"]},
    {"run": ["search", "repo", "web", "-o", "json"]},
    {"run": ["search", "repo", "-o", "yaml"]},
    {"run": ["search", "repo", "w.b", "-r"]},
    {"run": ["search", "repo", "^r2/", "-r"]},
    {"run": ["search", "repo", "w[", "-r"]},
    {"run": ["search", "repo", "DATABASE"]},
    {"run": ["search", "repo", "r1/"]},
    {"run": ["search", "repo", "a", "web"]},
    {"run": ["search", "repo", "nothing"]},
    {"run": ["search", "repo", "nothing", "--fail-on-no-result"]},
    {"run": ["search", "repo", "nothing", "-o", "json"]},
    {"run": ["search", "repo", "nothing", "-o", "yaml", "--fail-on-no-result"]},
    {"run": ["search", "repo", "web", "--max-col-width", "5"]},
    {"run": ["search", "repo", "web", "--max-col-width", "0"]},
    {"run": ["search", "repo", "web", "--max-col-width", "-1"]},
    {"run": ["pull", "r1/web", "-d", "$TMP/p1"]},
    {"run": ["@files", "$TMP/p1"]},
    {"run": ["pull", "r1/web", "--version", "0.1.0", "-d", "$TMP/missing"]},
    {"run": ["pull", "r1/nope", "-d", "$TMP/p1"]},
    {"run": ["pull", "r1/web", "--version", "9", "-d", "$TMP/p1"]},
    {"run": ["pull", "nope/web", "-d", "$TMP/p1"]},
    {"run": ["pull", "web", "-d", "$TMP/p1"]},
    {"run": ["pull", "r1/web", "--version", "^0.1", "--untar", "-d", "$TMP/p2"]},
    {"run": ["@files", "$TMP/p2"]},
    {"run": ["pull", "r1/web", "--untar", "-d", "$TMP/p2"]},
    {"run": ["pull", "r1/web", "--untar", "--untardir", "u", "-d", "$TMP/p3"]},
    {"run": ["@files", "$TMP/p3"]},
    {"run": ["pull", "web", "--repo", "$URL", "--devel", "-d", "$TMP/p4"]},
    {"run": ["pull", "web", "--repo", "$URL", "--version", "7", "-d", "$TMP/p4"]},
    {"run": ["pull", "web", "--repo", "$URL/nothere", "-d", "$TMP/p4"]},
    {"run": ["pull", "$URL/db-0.1.0.tgz", "-d", "$TMP/p4"]},
    {"run": ["pull", "$URL/missing-0.1.0.tgz", "-d", "$TMP/p4"]},
    {"run": ["fetch", "r1/db", "--prov", "-d", "$TMP/p4"]},
    {"run": ["pull", "r1/web", "--verify", "-d", "$TMP/p5"]},
    {"run": ["@files", "$TMP/p4"]},
    {"run": ["pull", "r1/web", "r1/db", "-d", "$TMP/p5"]},
    {"run": ["pull"]},
    {"run": ["repo", "remove", "r2", "nope"]},
    {"run": ["repo", "rm", "nope"]},
    {"run": ["repo", "remove"]},
    {"run": ["@files", "$TMP/home/cache/repository"]},
    {"run": ["@cat", "$TMP/home/config/repositories.yaml"]},
    {"run": ["repo", "index", "$TMP/none"]},
    {"run": ["repo", "index"]},
]

_RAND = re.compile(r"(\.tgz|\.yaml)\d+(: no such file)")


def normalise(text: str, url: str, tmp: str) -> str:
    """The scenario's port and scratch directory as placeholders; Go's temporary-file digits
    masked; the helm/kelm command name unified."""
    text = text.replace(url, "$URL").replace(tmp, "$TMP")
    text = _RAND.sub(r"\1$RAND\2", text)
    return (text.replace('"helm ', '"$CMD ').replace("Usage:  helm ", "Usage:  $CMD ")
            .replace('"kelm ', '"$CMD ').replace("Usage:  kelm ", "Usage:  $CMD "))


def _expand(args: list[str], url: str, tmp: str) -> list[str]:
    return [a.replace("$URL", url).replace("$TMP", tmp) for a in args]


def _special(args: list[str]) -> str:
    kind, path = args
    if kind == "@cat":
        return Path(path).read_text() if os.path.exists(path) else "<missing>\n"
    if not os.path.isdir(path):
        return "<missing>\n"
    out = []
    for d, dirs, files in os.walk(path):
        dirs.sort()
        for f in sorted(files):
            out.append(os.path.relpath(os.path.join(d, f), path))
    return "".join(f"{p}\n" for p in sorted(out))


def run_scenario(run: Any, url: str, tmp: str) -> list[dict[str, Any]]:
    """Each step's (stdout, stderr, exit code) through ``run(args) -> (out, err, code)``."""
    results = []
    for step in STEPS:
        args = _expand(step["run"], url, tmp)
        if args[0].startswith("@"):
            out, err, code = _special(args), "", 0
        else:
            out, err, code = run(args)
        out, err = normalise(out, url, tmp), normalise(err, url, tmp)
        if step.get("sort"):
            out = "".join(sorted(out.splitlines(keepends=True)))
        results.append({"args": step["run"], "stdout": out, "stderr": err, "code": code})
    return results


def _serve_scenario(tmp: Path) -> Any:
    charts(tmp / "srv")
    (tmp / "p1").mkdir()
    (tmp / "p2").mkdir()
    (tmp / "p3").mkdir()
    (tmp / "p4").mkdir()
    (tmp / "p5").mkdir()
    return serve(tmp / "srv")


HELP_TOP = ("repo", "search", "pull")  # tests/golden/cli/help, checked by tests/cli
HELP_SUB = ("repo add", "repo index", "repo list", "repo remove", "repo update", "search repo",
            "search hub")


def record_help() -> None:
    from tests.cli.record import GOLDEN as CLI_GOLDEN
    from tests.cli.record import normalise_help
    from tests.shared import HELM

    (GOLDEN / "help").mkdir(parents=True, exist_ok=True)
    for cmd in HELP_TOP + HELP_SUB:
        out = subprocess.run([str(HELM), *cmd.split(), "--help"], capture_output=True,
                             text=True, check=True, timeout=60).stdout
        where = CLI_GOLDEN / "help" if cmd in HELP_TOP else GOLDEN / "help"
        (where / (cmd.replace(" ", "-") + ".txt")).write_text(normalise_help(out))


BROKEN_CONFIGS = [
    "repositories: [\n", "repositories: 5\n", "repositories: [5]\n", "[1]\n",
    "apiVersion: v1\nrepositories:\n- name: a\n  url: $URL\n  bogus: 1\n"
    "  insecure_skip_tls_verify: maybe\n",
    "apiVersion: v1\nrepositories:\n- name: 7\n  url: $URL\n",
]
BROKEN_COMMANDS = [["repo", "list"], ["repo", "update"], ["search", "repo", "x"],
                   ["repo", "add", "z", "$URL"], ["repo", "remove", "a"],
                   ["pull", "a/web", "-d", "$TMP"]]
BROKEN_GOLDEN = GOLDEN / "broken_config.json"


def run_broken(run: Any, url: str, tmp: str, config: Path) -> list[dict[str, Any]]:
    """Each command on a fresh copy of each broken repositories.yaml: output and the file
    it leaves."""
    out = []
    for text in BROKEN_CONFIGS:
        for cmd in BROKEN_COMMANDS:
            config.parent.mkdir(parents=True, exist_ok=True)
            config.write_text(text.replace("$URL", url))
            o, e, code = run(_expand(cmd, url, tmp))
            out.append({"config": text, "args": cmd, "stdout": normalise(o, url, tmp),
                        "stderr": normalise(e, url, tmp), "code": code,
                        "after": normalise(config.read_text(), url, tmp)})
    return out


def record() -> None:
    import tempfile

    record_help()
    helm = plain_helm()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d).resolve()
        env = isolated_env(tmp / "home")

        def run_helm(args: list[str]) -> tuple[str, str, int]:
            p = subprocess.run([helm, *args], capture_output=True, text=True, env=env,
                               timeout=120, cwd=tmp, stdin=subprocess.DEVNULL)
            return p.stdout, p.stderr, p.returncode

        charts(tmp / "srv")
        with serve(tmp / "srv") as srv:
            cases = run_broken(run_helm, srv.url, str(tmp),
                               tmp / "home" / "config" / "repositories.yaml")
    BROKEN_GOLDEN.write_text(json.dumps({"helm": "v4.1.4", "cases": cases}, indent=1) + "\n")
    helm = plain_helm()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d).resolve()
        env = isolated_env(tmp / "home")

        def run(args: list[str]) -> tuple[str, str, int]:
            p = subprocess.run([helm, *args], capture_output=True, text=True, env=env,
                               timeout=120, cwd=tmp, stdin=subprocess.DEVNULL)
            return p.stdout, p.stderr, p.returncode

        with _serve_scenario(tmp) as srv:
            steps = run_scenario(run, srv.url, str(tmp))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    SCENARIO.write_text(json.dumps({"helm": "v4.1.4", "steps": steps}, indent=1,
                                   ensure_ascii=False) + "\n")
    print(f"{len(steps)} steps -> {SCENARIO}")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    h = isolate(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    return h


def test_scenario_matches_helm(tmp_path: Path, home: Path) -> None:
    from tests.cli.runner import invoke

    golden = json.loads(SCENARIO.read_text())["steps"]

    def run(args: list[str]) -> tuple[str, str, int]:
        res = invoke(args)
        return res.stdout, res.stderr, res.exit_code

    with _serve_scenario(tmp_path.resolve()) as srv:
        got = run_scenario(run, srv.url, str(tmp_path.resolve()))
    assert len(got) == len(golden)
    for g, k in zip(golden, got, strict=True):
        assert k == g, json.dumps(g["args"])


def test_broken_repositories_yaml_as_helm(tmp_path: Path, home: Path) -> None:
    """A repositories.yaml that does not parse or has wrong types: each command reads what
    Go's decoder would and answers as Helm (golden broken_config.json)."""
    from tests.cli.runner import invoke

    golden = json.loads(BROKEN_GOLDEN.read_text())["cases"]

    def run(args: list[str]) -> tuple[str, str, int]:
        res = invoke(args)
        return res.stdout, res.stderr, res.exit_code

    tmp = tmp_path.resolve()
    charts(tmp / "srv")
    with serve(tmp / "srv") as srv:
        got = run_broken(run, srv.url, str(tmp), home / "config" / "repositories.yaml")
    for g, k in zip(golden, got, strict=True):
        assert k == g, (g["config"], g["args"])


@pytest.mark.parametrize("cmd", HELP_SUB)
def test_subcommand_help_layout_matches_helm(cmd: str, helm_env: None) -> None:
    from tests.cli.runner import invoke
    from tests.cli.test_commands import layout

    helm = (GOLDEN / "help" / (cmd.replace(" ", "-") + ".txt")).read_text()
    res = invoke([*cmd.split(), "--help"])
    assert res.exit_code == 0, res.stderr
    assert layout(res.stdout) == layout(helm)


if __name__ == "__main__":
    sys.exit(record())


# -- interop with the oracle's helm ------------------------------------------------------------

_TIME = re.compile(r'(created|generated)("?): "?[0-9T:.+\-Z]+"?')


def _helm() -> str:
    helm = plain_helm()
    if not os.path.exists(helm):
        pytest.skip("the oracle's helm is not installed")
    return helm


def _masked(text: str) -> str:
    return _TIME.sub(r"\1\2: $TIME", text)


def _archives(root: Path) -> None:
    """Archives at the top and one directory down (Helm indexes both levels)."""
    charts(root)
    (root / "sub").mkdir()
    (root / "web-0.1.0.tgz").rename(root / "sub" / "web-0.1.0.tgz")
    (root / "index.yaml").unlink()
    (root / "not-a-chart.tgz").write_bytes(b"junk")


@pytest.mark.parametrize("flags", [[], ["--url", "https://charts.example.com/stable/"],
                                   ["--json"]], ids=["relative", "url", "json"])
def test_repo_index_matches_helm(flags: list[str], tmp_path: Path, home: Path) -> None:
    import shutil

    from tests.cli.runner import invoke

    helm = _helm()
    _archives(tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    p = subprocess.run([helm, "repo", "index", str(tmp_path / "a"), *flags],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    res = invoke(["repo", "index", str(tmp_path / "b"), *flags])
    assert res.exit_code == 0 and res.stdout == "", res.stderr
    assert _masked((tmp_path / "b" / "index.yaml").read_text()) == \
        _masked((tmp_path / "a" / "index.yaml").read_text())


def test_repo_index_merge_matches_helm(tmp_path: Path, home: Path) -> None:
    import shutil

    from tests.cli.runner import invoke

    helm = _helm()
    old = tmp_path / "old"
    charts(old, charts=(("web", "0.2.0", "replaced by the local one"),
                        ("cache", "3.0.0", "only in the old index")))
    (old / "index.yaml").write_text((old / "index.yaml").read_text().replace(
        "web-0.2.0.tgz", "https://elsewhere.example.com/web-0.2.0.tgz"))
    # the archives are built once and copied: packaging stamps times, so two builds
    # a second apart have different digests
    charts(tmp_path / "a", charts=(("web", "0.2.0", "local"), ("web", "0.3.0", "local")))
    (tmp_path / "a" / "index.yaml").unlink()
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    for d in ("a", "b"):
        shutil.copy(old / "index.yaml", tmp_path / f"{d}-merge.yaml")
    p = subprocess.run([helm, "repo", "index", str(tmp_path / "a"), "--merge",
                        str(tmp_path / "a-merge.yaml"), "--url", "http://x.io"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    res = invoke(["repo", "index", str(tmp_path / "b"), "--merge", str(tmp_path / "b-merge.yaml"),
                  "--url", "http://x.io"])
    assert res.exit_code == 0, res.stderr
    a = _masked((tmp_path / "a" / "index.yaml").read_text())
    assert _masked((tmp_path / "b" / "index.yaml").read_text()) == a
    assert "only in the old index" in a and "replaced by the local one" not in a
    # a --merge target that does not exist is created empty first
    res = invoke(["repo", "index", str(tmp_path / "b"), "--merge", str(tmp_path / "new.yaml")])
    assert res.exit_code == 0 and "entries: {}" in (tmp_path / "new.yaml").read_text()


def test_helm_built_repository_used_by_kelm(tmp_path: Path, home: Path) -> None:
    from tests.cli.runner import invoke

    helm = _helm()
    charts(tmp_path / "srv", tool=helm)
    with serve(tmp_path / "srv") as srv:
        assert invoke(["repo", "add", "h", srv.url]).exit_code == 0
        res = invoke(["search", "repo", "h/", "--devel", "-o", "json"])
        assert json.loads(res.stdout) == [
            {"name": "h/db", "version": "0.1.0", "app_version": "1.16.0",
             "description": "A database"},
            {"name": "h/web", "version": "1.0.0-rc.1", "app_version": "1.16.0",
             "description": "A web chart for tests"}]
        res = invoke(["pull", "h/web", "--version", "0.1.0", "-d", str(tmp_path)])
        assert res.exit_code == 0 and (tmp_path / "web-0.1.0.tgz").is_file(), res.stderr
        res = invoke(["install", "demo", "h/web", "--dry-run=client"])
        assert res.exit_code == 0, res.stderr
        assert 'version: "0.2.0"' in res.stdout and "name: demo-cm" in res.stdout


def test_kelm_built_repository_used_by_helm(tmp_path: Path, home: Path) -> None:
    helm = _helm()
    charts(tmp_path / "srv", url="")
    env = isolated_env(tmp_path / "helm-home")
    with serve(tmp_path / "srv") as srv:
        def h(*args: str) -> str:
            p = subprocess.run([helm, *args], capture_output=True, text=True, env=env,
                               timeout=60, cwd=tmp_path)
            assert p.returncode == 0, (args, p.stderr)
            return p.stdout

        h("repo", "add", "k", srv.url)
        assert h("search", "repo", "k/", "-l", "--devel").splitlines()[1:] == [
            "k/db \t0.1.0        \t1.16.0     \tA database           ",
            "k/web\t1.0.0-rc.1   \t1.16.0     \tA web chart for tests",
            "k/web\t0.2.0        \t1.16.0     \tA web chart for tests",
            "k/web\t0.1.0        \t1.16.0     \tA web chart for tests"]
        h("pull", "k/db", "--untar", "-d", str(tmp_path / "out"))
        assert (tmp_path / "out" / "db" / "Chart.yaml").is_file()
        out = h("template", "x", "k/web", "--version", "0.1.0")
        assert 'version: "0.1.0"' in out


def test_repositories_yaml_shared_both_ways(tmp_path: Path, home: Path) -> None:
    """Each tool reads and edits what the other wrote (one repositories.yaml, one cache)."""
    from tests.cli.runner import invoke

    helm = _helm()
    charts(tmp_path / "srv")
    env = isolated_env(home)  # the same homes as the in-process kelm

    def h(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([helm, *args], capture_output=True, text=True, env=env,
                              timeout=60)

    with serve(tmp_path / "srv") as srv:
        assert invoke(["repo", "add", "bykelm", srv.url, "--username", "u",
                       "--password", "p"]).exit_code == 0
        assert h("repo", "add", "byhelm", srv.url).returncode == 0
        assert h("repo", "add", "bykelm", srv.url, "--username", "u",
                 "--password", "p").stdout == (
            '"bykelm" already exists with the same configuration, skipping\n')
        assert invoke(["repo", "list", "-o", "json"]).stdout == (
            f'[{{"name":"bykelm","url":"{srv.url}"}},{{"name":"byhelm","url":"{srv.url}"}}]\n')
        assert "byhelm/web" in invoke(["search", "repo", "web"]).stdout
        assert "bykelm/web" in h("search", "repo", "web").stdout
        assert invoke(["repo", "remove", "byhelm"]).exit_code == 0
        assert h("repo", "list", "-o", "yaml").stdout == f"- name: bykelm\n  url: {srv.url}\n"
        assert h("repo", "update").returncode == 0
        assert invoke(["repo", "update"]).exit_code == 0


def test_concurrent_adds_keep_every_entry(tmp_path: Path, home: Path) -> None:
    """kelm and helm processes adding at once: the lock serialises the edits."""
    helm = plain_helm()
    charts(tmp_path / "srv")
    env = isolated_env(home)
    with serve(tmp_path / "srv") as srv:
        procs = [subprocess.Popen([sys.executable, "-m", "kelm", "repo", "add", f"k{i}",
                                   srv.url], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for i in range(4)]
        if os.path.exists(helm):
            procs += [subprocess.Popen([helm, "repo", "add", f"h{i}", srv.url], env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                      for i in range(2)]
        for p in procs:
            assert p.wait(timeout=120) == 0, p.stderr.read() if p.stderr else ""
    from kelm.repo.config import load_repositories

    names = sorted(r.name for r in load_repositories(str(home / "config" /
                                                      "repositories.yaml")).repositories)
    assert names == sorted([f"k{i}" for i in range(4)] +
                           ([f"h{i}" for i in range(2)] if os.path.exists(helm) else []))


def test_update_shows_progress_on_a_terminal_only(tmp_path: Path, home: Path) -> None:
    """On a terminal a one-line count is redrawn on stderr; Helm's lines are unchanged."""
    import pty
    import select

    from tests.cli.runner import invoke

    charts(tmp_path / "srv")
    with serve(tmp_path / "srv") as srv:
        for name in ("a", "b"):
            assert invoke(["repo", "add", name, srv.url]).exit_code == 0
        res = invoke(["repo", "update"])  # not a terminal: no progress line
        assert "repositories updated" not in res.stdout + res.stderr
        leader, follower = pty.openpty()
        p = subprocess.Popen([sys.executable, "-m", "kelm", "repo", "update"],
                             stdout=follower, stderr=follower, stdin=subprocess.DEVNULL,
                             env=isolated_env(home))
        os.close(follower)
        out = b""
        while True:
            ready, _, _ = select.select([leader], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        assert p.wait(timeout=30) == 0
        os.close(leader)
    text = out.decode()
    assert "\r\x1b[2K2/2 repositories updated" in text
    assert "Hang tight while we grab the latest from your chart repositories..." in text
    assert "Update Complete. \u2388Happy Helming!\u2388" in text


@pytest.mark.parametrize("config_name,lock_name", [("repos.yaml", "repos.lock"),
                                                   ("repos", "repos.lock"),
                                                   (".repos", ".lock")])
def test_config_and_cache_locations_from_flags_and_environment(
        config_name: str, lock_name: str, tmp_path: Path, home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """--repository-config/--repository-cache (and HELM_REPOSITORY_*) move the files; the
    lock sits beside the config with its extension replaced, as Helm's."""
    from tests.cli.runner import invoke

    charts(tmp_path / "srv")
    cfg, cache = tmp_path / "elsewhere" / config_name, tmp_path / "idx"
    flags = ["--repository-config", str(cfg), "--repository-cache", str(cache)]
    with serve(tmp_path / "srv") as srv:
        assert invoke(["repo", "add", "r", srv.url, *flags]).exit_code == 0
        assert sorted(os.listdir(cfg.parent)) == sorted([config_name, lock_name])
        assert sorted(os.listdir(cache)) == ["r-charts.txt", "r-index.yaml"]
        assert not (home / "config").exists()
        assert invoke(["search", "repo", "web", *flags]).stdout.startswith("NAME")
        monkeypatch.setenv("HELM_REPOSITORY_CONFIG", str(cfg))
        monkeypatch.setenv("HELM_REPOSITORY_CACHE", str(cache))
        assert invoke(["repo", "list", "--no-headers"]).stdout == f"r\t{srv.url}\n"
        assert invoke(["repo", "update"]).exit_code == 0
        assert invoke(["pull", "r/db", "-d", str(tmp_path)]).exit_code == 0
        assert invoke(["repo", "remove", "r"]).exit_code == 0
        assert os.listdir(cache) == []


RICH_CHART = """apiVersion: v2
name: rich
version: 1.2.3+build.7
appVersion: "1.0"
kubeVersion: ">=1.20.0-0"
description: A rich chart with every field, and a description long enough to be folded by the YAML writer at eighty columns
type: application
deprecated: true
home: https://example.com/rich
icon: https://example.com/rich.png
keywords: [rich, "key: word", "#hash"]
sources: [https://github.com/example/rich]
maintainers:
- name: Jane
  email: jane@example.com
  url: https://jane.example.com
- name: Bob
annotations:
  category: Database
  "artifacthub.io/changes": |
    - kind: added
      description: something
dependencies:
- name: dep
  version: "~1.0"
  repository: https://charts.example.com
  condition: dep.enabled
  tags: [a, b]
  alias: dep-alias
  import-values: [data]
"""


def test_every_chart_field_indexed_and_read_as_helm(tmp_path: Path, home: Path) -> None:
    """Maintainers, dependencies, annotations (a block scalar), keywords needing quotes, a
    description go-yaml folds, build metadata: helm's index and kelm's are the same, and the
    streaming reader reads helm's as the general loader does."""
    import shutil

    from kelm.action.package import PackageOptions, package_chart
    from kelm.repo.index import _general, load_index  # noqa: PLC2701 - both readers
    from tests.cli.runner import invoke

    helm = _helm()
    src = tmp_path / "src" / "rich"
    (src / "charts" / "dep").mkdir(parents=True)
    (src / "Chart.yaml").write_text(RICH_CHART)
    (src / "values.yaml").write_text("x: 1\n")
    (src / "charts" / "dep" / "Chart.yaml").write_text("apiVersion: v2\nname: dep\n"
                                                      "version: 1.0.1\n")
    package_chart(str(src), PackageOptions(destination=str(tmp_path / "a")))
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    texts = []
    for flags in (["--json"], []):
        assert subprocess.run([helm, "repo", "index", str(tmp_path / "a"), *flags],
                              capture_output=True, timeout=60).returncode == 0
        assert invoke(["repo", "index", str(tmp_path / "b"), *flags]).exit_code == 0
        texts.append((tmp_path / "a" / "index.yaml").read_text())
        assert _masked((tmp_path / "b" / "index.yaml").read_text()) == _masked(texts[-1])
    data = texts[-1].encode()  # helm's YAML
    assert data.startswith(b"apiVersion: v1\nentries:\n")
    fast, general = load_index(data), _general(data, "", False)
    assert fast.entries == general.entries
    cv = fast.entries["rich"][0]
    assert (cv.version, cv.deprecated, cv.keywords) == ("1.2.3+build.7", True,
                                                        ["rich", "key: word", "#hash"])
