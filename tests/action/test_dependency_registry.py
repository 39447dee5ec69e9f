"""``dependency update|build`` with the registry flags Helm v4.1.4 gives them (``--plain-http``,
``--ca-file``, ``--cert-file``, ``--key-file``, ``--insecure-skip-tls-verify``, ``--username``,
``--password``) and ``--registry-config`` for dependencies and chart references, against real
docker-registry instances on loopback (htpasswd basic auth; TLS with a test CA).

As in Helm the flags make the registry client only: ``oci://`` dependencies use them, HTTP
repositories keep the credentials of their repositories.yaml entries.  The expected messages
were checked against the oracle's helm; when it is present the same command lines are also run
by helm and the outputs compared.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.runner import invoke
from tests.repo.httprepo import AUTH, PASSWORD, USER, helm_env, plain_helm, serve
from tests.repo.registry import Registry, registry_fixture
from tests.shared import HELM

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "provenance"
ARCHIVE = "signed-0.1.0.tgz"
needs_helm = pytest.mark.skipif(not HELM.available(), reason="the oracle's helm is unavailable")


@pytest.fixture(scope="module")
def auth_reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from _with_chart(registry_fixture(tmp_path_factory, "dep-htpasswd", auth="htpasswd"))


@pytest.fixture(scope="module")
def tls_reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from _with_chart(registry_fixture(tmp_path_factory, "dep-tls", tls=True))


def _with_chart(regs: Iterator[Registry]) -> Iterator[Registry]:
    """The registry with oci://HOST/c/signed:0.1.0 pushed into it."""
    from kelm.repo.oci import RegistryOptions, push_chart

    for reg in regs:
        opts = RegistryOptions(plain_http=reg.plain_http, username=reg.username,
                               password=reg.password, registry_config="/nonexistent/k.json",
                               ca_file=str(reg.certs.ca) if reg.certs else "")
        push_chart((GOLDEN / ARCHIVE).read_bytes(), f"{reg.host}/c/signed:0.1.0", opts)
        yield reg


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HELM_* homes, registry and docker config in ``tmp_path``; commands run there."""
    for k in list(os.environ):
        if k.startswith(("HELM_", "KELM_")):
            monkeypatch.delenv(k)
    for k, v in _env(tmp_path).items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("KELM_HTTP_TIMEOUT", "20")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _env(root: Path) -> dict[str, str]:
    return {"HELM_CONFIG_HOME": str(root / "home" / "config"),
            "HELM_CACHE_HOME": str(root / "home" / "cache"),
            "HELM_DATA_HOME": str(root / "home" / "data"),
            "HELM_REGISTRY_CONFIG": str(root / "home" / "registry.json"),
            "DOCKER_CONFIG": str(root / "home" / "docker")}


def _parent(root: Path, name: str, repository: str) -> Path:
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "Chart.yaml").write_text(
        f"apiVersion: v2\nname: {name}\nversion: 1.0.0\ndependencies:\n- name: signed\n"
        f'  version: "0.1.0"\n  repository: "{repository}"\n')
    return d


def _dep(*args: str) -> tuple[int, str, str]:
    res = invoke(["dependency", *args])
    return res.exit_code, res.stdout, res.stderr


def test_basic_auth_from_the_flags(auth_reg: Registry, home: Path) -> None:
    chart = _parent(home, "p", f"oci://{auth_reg.host}/c")
    code, out, err = _dep("update", "p", "--plain-http", "--skip-refresh")
    assert code == 1
    assert err == (f"Error: could not download oci://{auth_reg.host}/c/signed: failed to "
                   f'perform "FetchReference" on source: GET "http://{auth_reg.host}/v2/c/'
                   'signed/manifests/0.1.0": basic credential not found\n')
    assert not (chart / "charts").exists() or os.listdir(chart / "charts") == []
    code, out, err = _dep("update", "p", "--plain-http", "--skip-refresh", "--username",
                          auth_reg.username, "--password", auth_reg.password)
    assert code == 0, err
    assert out == (f"Saving 1 charts\nDownloading signed from repo oci://{auth_reg.host}/c\n"
                   "Deleting outdated charts\n")
    assert err.startswith(f"Pulled: {auth_reg.host}/c/signed:0.1.0\nDigest: sha256:")
    assert os.listdir(chart / "charts") == [ARCHIVE]
    os.remove(chart / "charts" / ARCHIVE)
    code, _, err = _dep("build", "p", "--plain-http", "--skip-refresh", "--username",
                        auth_reg.username, "--password", auth_reg.password)
    assert code == 0, err
    assert os.listdir(chart / "charts") == [ARCHIVE]


def test_registry_config_for_dependencies_and_chart_references(auth_reg: Registry,
                                                                 home: Path) -> None:
    """``--registry-config`` names the credentials file for ``dependency`` as for ``template``
    and ``show`` (the default one, HELM_REGISTRY_CONFIG here, holds nothing)."""
    from kelm.repo.registryauth import Credential, login

    cfg = home / "elsewhere" / "config.json"
    login(auth_reg.host, Credential(auth_reg.username, auth_reg.password), str(cfg))
    ref = f"oci://{auth_reg.host}/c/signed"
    res = invoke(["template", "r", ref, "--plain-http"])
    assert res.exit_code == 1 and "basic credential not found" in res.stderr
    for cmd in (["template", "r"], ["show", "chart"]):
        res = invoke([*cmd, ref, "--plain-http", "--registry-config", str(cfg)])
        assert res.exit_code == 0, res.stderr
        assert "signed" in res.stdout
    chart = _parent(home, "p", f"oci://{auth_reg.host}/c")
    code, _, err = _dep("update", "p", "--plain-http", "--skip-refresh",
                        "--registry-config", str(cfg))
    assert code == 0, err
    assert os.listdir(chart / "charts") == [ARCHIVE]


def test_tls_flags(tls_reg: Registry, home: Path) -> None:
    assert tls_reg.certs is not None
    chart = _parent(home, "p", f"oci://{tls_reg.host}/c")
    code, _, err = _dep("update", "p", "--skip-refresh")
    assert code == 1
    assert err == (f"Error: could not download oci://{tls_reg.host}/c/signed: failed to perform "
                   f'"FetchReference" on source: Get "https://{tls_reg.host}/v2/c/signed/'
                   'manifests/0.1.0": tls: failed to verify certificate: x509: certificate '
                   "signed by unknown authority\n")
    for flags in (["--ca-file", str(tls_reg.certs.ca)], ["--insecure-skip-tls-verify"],
                  ["--ca-file", str(tls_reg.certs.ca), "--plain-http"]):  # TLS files win
        code, _, err = _dep("update", "p", "--skip-refresh", *flags)
        assert code == 0, (flags, err)
        assert os.listdir(chart / "charts") == [ARCHIVE]
        os.remove(chart / "charts" / ARCHIVE)


@pytest.mark.parametrize("flags,message", [
    (["--ca-file", "/nonexistent/ca.pem"],
     'can\'t read CA file: "/nonexistent/ca.pem": open /nonexistent/ca.pem: no such file or '
     "directory"),
    (["--cert-file", "{certs}/client.pem", "--key-file", "/nonexistent/k.pem"],
     'unable to read key file: "/nonexistent/k.pem": open /nonexistent/k.pem: no such file or '
     "directory"),
])
def test_bad_tls_files_fail_first(flags: list[str], message: str, tls_reg: Registry,
                                  home: Path) -> None:
    assert tls_reg.certs is not None
    flags = [f.replace("{certs}", str(tls_reg.certs.ca.parent)) for f in flags]
    _parent(home, "p", "oci://127.0.0.1:1/c")
    for sub in ("update", "build"):
        code, out, err = _dep(sub, "p", "--skip-refresh", *flags)
        assert (code, out) == (1, "")
        assert err == ("Error: missing registry client: can't create TLS config for client: "
                       f"{message}\n")


def test_http_repositories_keep_their_own_credentials(home: Path) -> None:
    """Helm passes the command line's credentials to the registry client only: an unmanaged
    HTTP repository is read without them, an added one with its entry's."""
    from tests.repo.httprepo import index

    srv_root = home / "srv"
    srv_root.mkdir()
    for suffix in ("", ".prov"):
        (srv_root / (ARCHIVE + suffix)).write_bytes((GOLDEN / (ARCHIVE + suffix)).read_bytes())
    index(srv_root)
    with serve(srv_root) as srv:
        srv.need_auth = True
        chart = _parent(home, "p", srv.url)
        code, out, err = _dep("update", "p", "--username", USER, "--password", PASSWORD)
        assert code == 1
        assert f"\tfailed to fetch {srv.url}/index.yaml : 401 Unauthorized\n" in out
        assert err.startswith("Error: no cached repository for helm-manager-")
        assert all(a == "" for p, a, _ in srv.requests)
        assert invoke(["repo", "add", "r", srv.url, "--username", USER, "--password",
                       PASSWORD]).exit_code == 0
        code, out, err = _dep("update", "p", "--username", USER, "--password", "wrong",
                              "--verify", "--keyring", str(GOLDEN / "pubring.gpg"))
        assert code == 0, err
        assert os.listdir(chart / "charts") == [ARCHIVE]
        assert {p for p, a, _ in srv.requests if a == AUTH} >= {f"/{ARCHIVE}",
                                                                  f"/{ARCHIVE}.prov"}


@needs_helm
@pytest.mark.parametrize("flags", [
    [],
    ["--username", "{user}", "--password", "{password}"],
    ["--username", "{user}", "--password", "wrong", "--verify", "--keyring", "{keyring}"],
    ["--username", "{user}", "--password", "{password}", "--verify", "--keyring", "{keyring}"],
])
def test_same_as_helm(flags: list[str], auth_reg: Registry, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    subs = {"{user}": auth_reg.username, "{password}": auth_reg.password,
            "{keyring}": str(GOLDEN / "pubring.gpg")}
    flags = [subs.get(f, f) for f in flags]
    results = []
    for tool in ("helm", "kelm"):
        root = tmp_path / tool
        root.mkdir()
        _parent(root, "p", f"oci://{auth_reg.host}/c")
        args = ["dependency", "update", "p", "--plain-http", "--skip-refresh", *flags]
        if tool == "helm":
            env = {**helm_env(root / "home"), **_env(root)}
            res = subprocess.run([plain_helm(), *args], capture_output=True, text=True,
                                 env=env, cwd=root, timeout=120, check=False)
            code, out, err = res.returncode, res.stdout, res.stderr
        else:
            with monkeypatch.context() as mp:
                for k, v in _env(root).items():
                    mp.setenv(k, v)
                mp.chdir(root)
                r = invoke(args)
            code, out, err = r.exit_code, r.stdout, r.stderr
        charts = sorted(os.listdir(root / "p" / "charts")) if (root / "p" / "charts").is_dir() \
            else []
        results.append((code, re.sub(r"tmpcharts-\d+", "tmpcharts-PID", out), err, charts))
    helm, kelm = results
    assert kelm == helm


@pytest.mark.parametrize("content,message", [
    ("repositories: 5\n", "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
     "number into Go struct field File.repositories of type []*repo.Entry"),
    ("repositories:\n- name: good\n  url: http://127.0.0.1:1\n  insecure_skip_tls_verify: "
     '"yes"\n', "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string "
     "into Go struct field Entry.repositories.insecure_skip_tls_verify of type bool"),
    ("[]\n", "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into "
     "Go value of type repo.File"),
    ("repositories:\n- name: 7\n  url: http://127.0.0.1:1\n",
     "no cached repository for 7 found. (try 'helm repo update'): open "
     "$HOME/cache/repository/7-index.yaml: no such file or directory"),
])
def test_repositories_file_read_as_helm(content: str, message: str, home: Path) -> None:
    """repositories.yaml as Helm's repo.LoadFile reads it (messages from helm v4.1.4); the
    dependency points at the repository by URL, so a readable file finds ``7`` by it."""
    cfg = home / "home" / "config" / "repositories.yaml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(content)
    _parent(home, "p", "http://127.0.0.1:1")
    for sub in ("update", "build"):
        code, out, err = _dep(sub, "p", "--skip-refresh")
        assert (code, out) == (1, "")
        assert err == "Error: " + message.replace("$HOME", str(home / "home")) + "\n"
