"""``kelm push`` and ``kelm registry login|logout`` as commands: what they print (stdout and
stderr), their exit codes and errors, against Helm's (tests/golden/oci/cli.json, login.json,
push.json) and a real registry on loopback.

Re-record cli.json: python -m tests.repo.test_registry_cli  (needs the oracle)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import invoke, kelm_named
from tests.repo.registry import Registry, registry_fixture
from tests.shared import HELM

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "oci"
RICH = "rich-1.0.0+meta.tgz"
CREATED_EPOCH = 1767323045  # 2026-01-02T03:04:05Z, the mtime the golden push had


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cfg = tmp_path / "registry" / "config.json"
    monkeypatch.setenv("HELM_REGISTRY_CONFIG", str(cfg))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    monkeypatch.setenv("HELM_CONTENT_CACHE", str(tmp_path / "content"))
    return cfg


@pytest.fixture(scope="module")
def reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from registry_fixture(tmp_path_factory, "cli-plain")


@pytest.fixture(scope="module")
def auth_reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from registry_fixture(tmp_path_factory, "cli-auth", auth="htpasswd")


def _golden(name: str) -> dict[str, str]:
    return json.loads((GOLDEN / name).read_text())


def _rich(tmp_path: Path) -> Path:
    """The golden archive with the modification time Helm's push saw (TZ=UTC)."""
    a = tmp_path / RICH
    shutil.copy(GOLDEN / RICH, a)
    shutil.copy(GOLDEN / (RICH + ".prov"), tmp_path / (RICH + ".prov"))
    os.utime(a, (CREATED_EPOCH, CREATED_EPOCH))
    return a


def test_push_prints_what_helm_prints(reg: Registry, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    g = _golden("push.json")
    res = invoke(["push", str(_rich(tmp_path)), f"oci://{reg.host}/g", "--plain-http"])
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert res.stderr.replace(reg.host, "$HOST") == g["stderr"]
    # the registry holds Helm's manifest, byte for byte (same digest), with the prov layer
    from kelm.repo.oci import pull
    from kelm.repo.ociclient import RegistryOptions

    pulled = pull(f"oci://{reg.host}/g/rich", "1.0.0+meta", RegistryOptions(plain_http=True),
                  with_prov=True)
    assert pulled.manifest_digest == g["digest"]
    assert pulled.prov == (GOLDEN / (RICH + ".prov")).read_bytes()


def test_push_to_a_trailing_slash_and_a_nested_path(reg: Registry, tmp_path: Path) -> None:
    a = _rich(tmp_path)
    res = invoke(["push", str(a), f"oci://{reg.host}/a/b/", "--plain-http"])
    assert res.exit_code == 0, res.stderr
    assert res.stderr.startswith(f"Pushed: {reg.host}/a/b/rich:1.0.0_meta\nDigest: sha256:")


@pytest.mark.parametrize("case", ["no-file", "directory", "https-scheme", "no-scheme",
                                  "yaml-file", "one-argument", "bad-repository"])
def test_push_errors_are_helms(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                               ) -> None:
    monkeypatch.chdir(tmp_path)
    _cli_case_files(tmp_path)
    res = invoke(CLI_CASES[case])
    want = _golden("cli.json")[case]
    assert res.exit_code == want["code"]
    assert res.stdout == kelm_named(want["stdout"])
    assert res.stderr == kelm_named(want["stderr"])


def test_login_and_logout_as_helm(auth_reg: Registry, tmp_path: Path,
                                  _isolated_config: Path) -> None:
    g = _golden("login.json")
    cfg = _isolated_config
    res = invoke(["registry", "login", auth_reg.host, "-u", auth_reg.username,
                  "--password-stdin", "--plain-http"], input=auth_reg.password)
    assert (res.exit_code, res.stdout) == (0, g["login_stdout"])
    assert res.stderr.replace(auth_reg.host, "$HOST") == g["login_stderr"]
    # same user and password as the recording: the same file, byte for byte
    assert (auth_reg.username, auth_reg.password) == (g["username"], g["password"])
    assert cfg.read_text().replace(auth_reg.host, "$HOST") == g["config_after_login"]
    assert oct(cfg.stat().st_mode & 0o777) == "0o600"
    bad = invoke(["registry", "login", auth_reg.host, "-u", auth_reg.username, "-p", "wrong",
                  "--plain-http"])
    assert bad.exit_code == 1
    assert bad.stderr.replace(auth_reg.host, "$HOST") == g["bad_login_stderr"]
    # a failed login leaves the stored credentials alone
    assert cfg.read_text().replace(auth_reg.host, "$HOST") == g["config_after_login"]
    out = invoke(["registry", "logout", auth_reg.host])
    assert out.exit_code == 0
    assert out.stderr.replace(auth_reg.host, "$HOST") == g["logout_stderr"]
    assert cfg.read_text() == g["config_after_logout"]


def test_login_keeps_other_entries_and_fields(auth_reg: Registry, _isolated_config: Path
                                              ) -> None:
    cfg = _isolated_config
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text('{"auths": {"other.example": {"auth": "eDp5"}}, "HttpHeaders": {"X": "1"}}')
    res = invoke(["registry", "login", auth_reg.host, "-u", auth_reg.username, "-p",
                  auth_reg.password, "--plain-http"])
    assert res.exit_code == 0, res.stderr
    doc = json.loads(cfg.read_text())
    assert doc["HttpHeaders"] == {"X": "1"}
    assert set(doc["auths"]) == {"other.example", auth_reg.host}
    assert cfg.read_text().startswith('{\n\t"HttpHeaders": {\n\t\t"X": "1"\n\t},\n\t"auths"')


def test_login_prompts_and_refusals(auth_reg: Registry) -> None:
    # no terminal for the password prompt: Helm's error, after the prompt
    res = invoke(["registry", "login", auth_reg.host, "-u", "u", "--plain-http"])
    assert (res.exit_code, res.stdout) == (1, "Password: ")
    assert res.stderr == "Error: inappropriate ioctl for device\n"
    res = invoke(["registry", "login", f"{auth_reg.host}/repo", "-u", "u", "-p", "p"])
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1] == (f'Error: invalid reference: invalid registry '
                                           f'"{auth_reg.host}/repo"')
    assert "not a repository path" in res.stderr
    res = invoke(["registry", "login", "127.0.0.1:1", "-u", "u", "-p", "p", "--plain-http"])
    assert res.stderr.splitlines()[-1] == (
        'Error: authenticating to "127.0.0.1:1": Get "http://127.0.0.1:1/v2/": dial tcp '
        "127.0.0.1:1: connect: connection refused")


def test_push_with_login_credentials(auth_reg: Registry, tmp_path: Path) -> None:
    a = _rich(tmp_path)
    res = invoke(["push", str(a), f"oci://{auth_reg.host}/p", "--plain-http"])
    assert res.exit_code == 1
    assert res.stderr.endswith("basic credential not found\n")
    assert invoke(["registry", "login", auth_reg.host, "-u", auth_reg.username,
                   "--password-stdin", "--plain-http"], input=auth_reg.password).exit_code == 0
    res = invoke(["push", str(a), f"oci://{auth_reg.host}/p", "--plain-http"])
    assert res.exit_code == 0, res.stderr
    res = invoke(["template", "r", f"oci://{auth_reg.host}/p/rich", "--plain-http"])
    assert res.exit_code == 0, res.stderr
    assert "name: rich" in res.stdout
    # the flags win over the stored credentials
    res = invoke(["template", "r", f"oci://{auth_reg.host}/p/rich", "--plain-http",
                  "--username", auth_reg.username, "--password", "wrong"])
    assert res.exit_code == 1 and "401" in res.stderr


def test_bad_tls_files_fail_first(tmp_path: Path) -> None:
    res = invoke(["push", str(_rich(tmp_path)), "oci://127.0.0.1:1/x", "--ca-file",
                  str(tmp_path / "missing.pem")])
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: missing registry client: can't create TLS config for "
                                 "client: can't read CA file")


def test_a_chart_by_digest_comes_from_the_content_cache(reg: Registry, tmp_path: Path) -> None:
    """As Helm's ValidateReference/DownloadToCache (checked with helm v4.1.4): a by-digest
    reference is served from the content cache under the manifest digest only when a version
    names a tag resolving to that digest; a bare digest is pulled every time."""
    from kelm.repo.oci import push_chart
    from kelm.repo.ociclient import RegistryOptions

    res = push_chart(_rich(tmp_path).read_bytes(), f"{reg.host}/dg/rich:1.0.0+meta",
                     RegistryOptions(plain_http=True))
    ref = f"oci://{reg.host}/dg/rich@{res.manifest_digest}"
    for args in ([ref], [ref], [ref, "--version", "1.0.0+meta"]):
        first = invoke(["template", "r", *args, "--plain-http"])
        assert first.exit_code == 0, first.stderr
        assert f"Digest: {res.manifest_digest}\n" in first.stderr
    again = invoke(["template", "r", ref, "--version", "1.0.0+meta", "--plain-http"])
    assert (again.exit_code, again.stdout, again.stderr) == (0, first.stdout, "")
    gone = invoke(["template", "r", f"oci://127.0.0.1:1/dg/rich@{res.manifest_digest}",
                   "--version", "1.0.0+meta", "--plain-http"])
    assert gone.exit_code == 1 and "127.0.0.1:1" in gone.stderr


def test_repo_flag_naming_a_registry(reg: Registry) -> None:
    # helm v4.1.4 says this for --repo oci://... (a registry is no chart repository)
    res = invoke(["template", "r", "demo", "--repo", f"oci://{reg.host}/k", "--plain-http"])
    assert res.exit_code == 1
    assert res.stderr == (f'Error: looks like "oci://{reg.host}/k" is not a valid chart '
                          'repository or cannot be reached: failed to perform "FetchReference" '
                          "on source: invalid reference\n")


# -- recording ----------------------------------------------------------------------------------

CLI_CASES = {
    "no-file": ["push", "nofile.tgz", "oci://127.0.0.1:1/x"],
    "directory": ["push", "adir", "oci://127.0.0.1:1/x"],
    "https-scheme": ["push", RICH, "https://127.0.0.1:1/x"],
    "no-scheme": ["push", RICH, "127.0.0.1:1/x"],
    "yaml-file": ["push", "Chart.yaml", "oci://127.0.0.1:1/x"],
    "one-argument": ["push", RICH],
    "bad-repository": ["push", RICH, "oci://127.0.0.1:1/X"],
}


def _cli_case_files(d: Path) -> None:
    (d / "adir").mkdir(exist_ok=True)
    (d / "Chart.yaml").write_text("apiVersion: v2\nname: x\nversion: 1.0.0\n")
    shutil.copy(GOLDEN / RICH, d / RICH)


def record() -> None:
    import tempfile

    out = {}
    with tempfile.TemporaryDirectory() as td:
        _cli_case_files(Path(td))
        env = {**os.environ, "HELM_REGISTRY_CONFIG": str(Path(td) / "cfg.json")}
        for name, args in CLI_CASES.items():
            p = subprocess.run([str(HELM), *args], capture_output=True, text=True, cwd=td,
                               env=env, timeout=60, check=False)
            out[name] = {"code": p.returncode, "stdout": p.stdout, "stderr": p.stderr}
    (GOLDEN / "cli.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"{len(out)} cases -> {GOLDEN / 'cli.json'}")


if __name__ == "__main__":
    record()
