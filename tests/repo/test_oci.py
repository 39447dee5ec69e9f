"""OCI registries: kelm's client against a real ``docker-registry`` on loopback (plain, basic
auth, TLS with and without client certificates, Bearer tokens), against Helm's goldens
(tests/golden/oci: the manifest and config Helm pushes for a chart, its error messages,
its registry config), and against the oracle's helm itself: what one pushes the other pulls.

Re-record the goldens: python -m tests.repo.test_oci  (needs the oracle and docker-registry)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kelm.repo.oci import (
    Reference,
    RegistryError,
    RegistryOptions,
    chart_filename,
    chart_manifest,
    parse_reference,
    pull,
    pull_chart,
    push_chart,
    semver_tags,
    tag_matching,
)
from kelm.repo.ociclient import RegistryClient
from tests.repo.registry import Registry, registry_fixture, start_registry
from tests.shared import HELM

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "oci"
RICH = "rich-1.0.0+meta.tgz"
CREATED = "2026-01-02T03:04:05Z"
CREATED_EPOCH = 1767323045  # CREATED as a Unix time (the archive's mtime when Helm pushed)
NO_CONFIG = "/nonexistent/kelm-test/registry/config.json"
needs_helm = pytest.mark.skipif(not HELM.available(), reason="the oracle's helm is unavailable")

RICH_CHART = """apiVersion: v2
name: rich
version: 1.0.0+meta
description: A chart with <every> & field — café
home: https://example.com/rich
sources:
  - https://example.com/src/one
  - https://example.com/src/two
keywords: [a, b]
maintainers:
  - name: Ann
    email: ann@example.com
  - name: Bob
  - email: only@example.com
annotations:
  org.opencontainers.image.title: not-the-title
  zeta: last
  alpha: "a<b&c"
appVersion: "2.0"
kubeVersion: ">=1.20.0-0"
type: application
"""


# -- helpers ----------------------------------------------------------------------------------


def make_chart(root: Path, name: str, version: str, extra: str = "") -> Path:
    """A small chart directory (one ConfigMap naming the chart and its version)."""
    d = root / f"{name}-{version}-src" / name
    (d / "templates").mkdir(parents=True, exist_ok=True)
    (d / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n{extra}")
    (d / "values.yaml").write_text("greeting: hello\n")
    (d / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}"
        "\ndata:\n  version: {{ .Chart.Version | quote }}\n  greeting: {{ .Values.greeting }}\n")
    return d


def package(root: Path, name: str, version: str, extra: str = "") -> Path:
    from kelm.action.package import PackageOptions, package_chart

    src = make_chart(root, name, version, extra)
    return Path(package_chart(str(src), PackageOptions(destination=str(root))))


def opts_for(reg: Registry, **kw: object) -> RegistryOptions:
    o = RegistryOptions(plain_http=reg.plain_http, username=reg.username,
                        password=reg.password, registry_config=NO_CONFIG)
    if reg.certs is not None:
        o.ca_file = str(reg.certs.ca)
    for k, v in kw.items():
        setattr(o, k, v)
    return o


def helm(*args: str, env: dict[str, str] | None = None, input: str | None = None,
         cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(HELM), *args], capture_output=True, text=True, input=input,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=120, check=False)


def normalise(text: str, reg: Registry) -> str:
    return text.replace(reg.host, "$HOST").replace(str(reg.root), "$ROOT")


def client_for(reg: Registry) -> RegistryClient:
    return RegistryClient(reg.host, opts_for(reg))


def stored_manifest(reg: Registry, repo: str, tag: str) -> bytes:
    with client_for(reg) as c:
        body, _, _ = c.manifest(repo, tag)
    return body


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the user's registry or docker config."""
    monkeypatch.setenv("HELM_REGISTRY_CONFIG", str(tmp_path / "registry" / "config.json"))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))


@pytest.fixture(scope="module")
def reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from registry_fixture(tmp_path_factory, "plain")


@pytest.fixture(scope="module")
def auth_reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from registry_fixture(tmp_path_factory, "htpasswd", auth="htpasswd")


@pytest.fixture(scope="module")
def tls_reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from registry_fixture(tmp_path_factory, "tls", tls=True)


@pytest.fixture(scope="module")
def mtls_reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from registry_fixture(tmp_path_factory, "mtls", tls=True, client_certs=True)


@pytest.fixture(scope="module")
def token_reg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    yield from registry_fixture(tmp_path_factory, "token", auth="token")


# -- references and versions (no registry) ----------------------------------------------------


@pytest.mark.parametrize("raw,want", [
    ("oci://r.example:5000/charts/app", Reference("r.example:5000", "charts/app")),
    ("oci://r.example/charts/app:1.2.3+build.4", Reference("r.example", "charts/app",
                                                          "1.2.3_build.4")),
    ("127.0.0.1:5000/a/b/app@sha256:" + "a" * 64,
     Reference("127.0.0.1:5000", "a/b/app", "", "sha256:" + "a" * 64)),
    ("oci://localhost/app:v1@sha256:" + "b" * 64,
     Reference("localhost", "app", "v1", "sha256:" + "b" * 64)),
])
def test_reference_parsing(raw: str, want: Reference) -> None:
    assert parse_reference(raw) == want


@pytest.mark.parametrize("raw,message", [
    ("oci://127.0.0.1:5000/Charts/demo", 'invalid reference: invalid repository "Charts/demo"'),
    ("oci://127.0.0.1:5000", "invalid reference: missing registry or repository"),
    ("oci://bad_host/app", 'invalid reference: invalid registry "bad_host"'),
    ("oci://r/app:-bad", 'invalid reference: invalid tag "-bad"'),
])
def test_reference_errors(raw: str, message: str) -> None:
    with pytest.raises(RegistryError, match="^" + message.replace("(", r"\(")):
        parse_reference(raw)


def test_tags_sorted_and_matched_as_helm() -> None:
    tags = semver_tags(["latest", "0.1.0", "1.0.0-rc.1", "0.10.0", "0.2.0_build.7", "v1.0.0",
                        "0.9"])
    # strict semver only, "_" read back as "+", highest first
    assert tags == ["1.0.0-rc.1", "0.10.0", "0.2.0+build.7", "0.1.0"]
    assert tag_matching(tags, "") == "0.10.0"  # "*" excludes prereleases
    assert tag_matching(tags, "^0.2") == "0.2.0+build.7"
    assert tag_matching(tags, "0.2.0+build.7") == "0.2.0+build.7"
    assert tag_matching(tags, ">=1.0.0-0") == "1.0.0-rc.1"
    with pytest.raises(RegistryError, match="could not locate a version matching provided "
                       "version string \\^2"):
        tag_matching(tags, "^2")


def test_download_names() -> None:
    assert chart_filename(Reference("h", "a/app", "1.0.0+x")) == "app-1.0.0+x.tgz"
    d = "sha256:" + "c" * 64
    assert chart_filename(Reference("h", "a/app", "", d)) == f"app@sha256-{'c' * 64}.tgz"


def test_manifest_and_config_are_helms_bytes() -> None:
    """The golden archive as Helm pushed it (annotations from home/sources/maintainers, the
    chart's own annotations minus title/version, a provenance layer, layers by digest)."""
    g = json.loads((GOLDEN / "push.json").read_text())
    data = (GOLDEN / RICH).read_bytes()
    prov = (GOLDEN / (RICH + ".prov")).read_bytes()
    cm = chart_manifest(data, prov, g["created"])
    assert cm.blobs[0][1].decode() == g["config"]
    assert cm.manifest.decode() == g["manifest"]
    assert cm.digest == g["digest"]


# -- against the registry ---------------------------------------------------------------------


def test_push_then_pull_round_trip(reg: Registry, tmp_path: Path) -> None:
    archives = {v: package(tmp_path, "app", v) for v in
                ("0.1.0", "0.2.0", "0.3.0+build.1", "1.0.0-rc.1")}
    out = []
    for v, a in archives.items():
        res = push_chart(a.read_bytes(), f"{reg.host}/rt/app:{v}", opts_for(reg))
        out.append(res)
        assert res.ref.tag == v.replace("+", "_")
    # highest non-prerelease by default; the name keeps "+"
    name, data = pull_chart(reg.oci("rt/app"), "", opts_for(reg))
    assert (name, data) == ("app-0.3.0+build.1.tgz", archives["0.3.0+build.1"].read_bytes())
    name, data = pull_chart(reg.oci("rt/app"), "~0.2", opts_for(reg))
    assert (name, data) == ("app-0.2.0.tgz", archives["0.2.0"].read_bytes())
    name, _ = pull_chart(reg.oci("rt/app"), ">0.0.0-0", opts_for(reg))
    assert name == "app-1.0.0-rc.1.tgz"
    name, _ = pull_chart(reg.oci("rt/app:0.1.0"), "", opts_for(reg))
    assert name == "app-0.1.0.tgz"
    # by digest
    first = out[0].manifest_digest
    name, data = pull_chart(reg.oci(f"rt/app@{first}"), "", opts_for(reg))
    assert name == f"app@{first.replace(':', '-')}.tgz"
    assert data == archives["0.1.0"].read_bytes()
    res = pull(reg.oci(f"rt/app@{first}"), "0.1.0", opts_for(reg))
    assert res.manifest_digest == first
    with pytest.raises(RegistryError, match="chart reference digest mismatch"):
        pull(reg.oci(f"rt/app@{first}"), "0.2.0", opts_for(reg))
    with pytest.raises(RegistryError, match="chart reference and version mismatch: 0.2.0 is "
                       "not 0.1.0"):
        pull(reg.oci("rt/app:0.1.0"), "0.2.0", opts_for(reg))


def test_pushing_twice_is_idempotent_and_strict(reg: Registry, tmp_path: Path) -> None:
    a = package(tmp_path, "twice", "1.0.0").read_bytes()
    one = push_chart(a, f"{reg.host}/t/twice:1.0.0", opts_for(reg), created=CREATED)
    two = push_chart(a, f"{reg.host}/t/twice:1.0.0", opts_for(reg), created=CREATED)
    assert one.manifest_digest == two.manifest_digest
    with pytest.raises(RegistryError, match="strict mode enabled"):
        push_chart(a, f"{reg.host}/t/other:1.0.0", opts_for(reg))


def test_pulled_output_lines(reg: Registry, tmp_path: Path) -> None:
    import io

    a = package(tmp_path, "say", "1.0.0+b")
    push_chart(a.read_bytes(), f"{reg.host}/s/say:1.0.0+b", opts_for(reg))
    buf = io.StringIO()
    res = pull(reg.oci("s/say"), "", opts_for(reg, out=buf))
    g = json.loads((GOLDEN / "errors.json").read_text())
    want = g["pull-underscore"].replace("$DIGEST", res.manifest_digest).replace(
        "$REF", "$HOST/s/say:1.0.0_b")
    assert normalise(buf.getvalue(), reg) == want


@pytest.mark.parametrize("how,message", [
    ("changed", r"digest mismatch: content has digest sha256:"),
    ("grown", r'^Get "http://[^"]+/blobs/sha256:[0-9a-f]+": the response exceeds \d+ bytes$'),
    ("shrunk", r"size mismatch: expected \d+ bytes, got \d+"),
])
def test_a_tampered_blob_is_refused(reg: Registry, tmp_path: Path, how: str,
                                    message: str) -> None:
    a = package(tmp_path, f"tamper{how}", "1.0.0")
    res = push_chart(a.read_bytes(), f"{reg.host}/bad/tamper{how}:1.0.0", opts_for(reg))
    hexd = res.chart_digest.split(":", 1)[1]
    blob = reg.root / "data" / "docker" / "registry" / "v2" / "blobs" / "sha256" / hexd[:2] / \
        hexd / "data"
    data = blob.read_bytes()
    blob.write_bytes({"changed": data[:-1] + b"X", "grown": data + b"\0" * 4096,
                      "shrunk": data[:-10]}[how])
    with pytest.raises(RegistryError, match=message):
        pull_chart(reg.oci(f"bad/tamper{how}"), "1.0.0", opts_for(reg))


@pytest.mark.parametrize("case", ["missing-repo", "missing-tag", "no-match", "https-to-http",
                                  "refused"])
def test_errors_are_helms(reg: Registry, tmp_path: Path, case: str) -> None:
    a = package(tmp_path, "demo", "1.0.0")
    push_chart(a.read_bytes(), f"{reg.host}/e/demo:1.0.0", opts_for(reg))
    want = json.loads((GOLDEN / "errors.json").read_text())[case]
    with pytest.raises(RegistryError) as e:
        _error_case(case, reg)
    assert "Error: " + normalise(str(e.value), reg) + "\n" == want


def _error_case(case: str, reg: Registry) -> None:
    plain = opts_for(reg)
    if case == "missing-repo":
        pull_chart(reg.oci("e/nope"), "", plain)
    elif case == "missing-tag":
        pull_chart(reg.oci("e/demo"), "9.9.9", plain)
    elif case == "no-match":
        pull_chart(reg.oci("e/demo"), "^2", plain)
    elif case == "https-to-http":
        pull_chart(reg.oci("e/demo"), "", opts_for(reg, plain_http=False))
    elif case == "refused":
        pull_chart("oci://127.0.0.1:1/e/demo", "", plain)


def test_basic_auth(auth_reg: Registry, tmp_path: Path) -> None:
    a = package(tmp_path, "sec", "1.0.0")
    push_chart(a.read_bytes(), f"{auth_reg.host}/p/sec:1.0.0", opts_for(auth_reg))
    assert pull_chart(auth_reg.oci("p/sec"), "", opts_for(auth_reg))[1] == a.read_bytes()
    anon = opts_for(auth_reg, username="", password="")
    with pytest.raises(RegistryError, match=r'^GET "http://[^"]+/v2/p/sec/tags/list": basic '
                       "credential not found$"):
        pull_chart(auth_reg.oci("p/sec"), "", anon)
    bad = opts_for(auth_reg, password="wrong")
    with pytest.raises(RegistryError, match="response status code 401: unauthorized: "
                       "authentication required"):
        pull_chart(auth_reg.oci("p/sec"), "", bad)


def test_credentials_from_the_registry_config(auth_reg: Registry, tmp_path: Path) -> None:
    from kelm.repo.registryauth import Credential, login

    cfg = tmp_path / "cfg" / "config.json"
    login(auth_reg.host, Credential(auth_reg.username, auth_reg.password), str(cfg))
    assert oct(cfg.stat().st_mode & 0o777) == "0o600"
    a = package(tmp_path, "cfgd", "1.0.0")
    o = opts_for(auth_reg, username="", password="", registry_config=str(cfg))
    push_chart(a.read_bytes(), f"{auth_reg.host}/c/cfgd:1.0.0", o)
    assert pull_chart(auth_reg.oci("c/cfgd"), "", o)[1] == a.read_bytes()


def test_docker_config_is_the_fallback(auth_reg: Registry, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    docker = tmp_path / "dockercfg"
    docker.mkdir()
    token = base64.b64encode(f"{auth_reg.username}:{auth_reg.password}".encode()).decode()
    (docker / "config.json").write_text(json.dumps({"auths": {
        f"https://{auth_reg.host}/v1/": {"auth": token}}}))
    monkeypatch.setenv("DOCKER_CONFIG", str(docker))
    a = package(tmp_path, "dock", "1.0.0")
    push_chart(a.read_bytes(), f"{auth_reg.host}/d/dock:1.0.0", opts_for(auth_reg))
    o = opts_for(auth_reg, username="", password="", registry_config=str(tmp_path / "none"))
    assert pull_chart(auth_reg.oci("d/dock"), "", o)[1] == a.read_bytes()


def test_credential_helper_programs(auth_reg: Registry, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """``credsStore: kelmtest`` runs ``docker-credential-kelmtest store|get|erase``."""
    from kelm.repo.registryauth import Credential, login, logout, lookup

    bindir, store = tmp_path / "bin", tmp_path / "helper-store.json"
    bindir.mkdir()
    helper = bindir / "docker-credential-kelmtest"
    helper.write_text(f"""#!{sys.executable}
import json, sys
path = {str(store)!r}
try:
    db = json.load(open(path))
except OSError:
    db = {{}}
action, data = sys.argv[1], sys.stdin.read()
if action == "store":
    c = json.loads(data); db[c["ServerURL"]] = c
elif action == "get":
    if data not in db:
        print("credentials not found in native keychain"); sys.exit(1)
    print(json.dumps(db[data]))
elif action == "erase":
    db.pop(data, None)
json.dump(db, open(path, "w"))
""")
    helper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    cfg = tmp_path / "config.json"
    cfg.write_text('{"credsStore": "kelmtest", "other": {"kept": true}}')
    login(auth_reg.host, Credential(auth_reg.username, auth_reg.password), str(cfg))
    assert json.loads(store.read_text())[auth_reg.host]["Secret"] == auth_reg.password
    assert "auths" not in json.loads(cfg.read_text())  # the file holds no secret
    assert lookup(auth_reg.host, str(cfg)) == Credential(auth_reg.username, auth_reg.password)
    a = package(tmp_path, "helped", "1.0.0")
    o = opts_for(auth_reg, username="", password="", registry_config=str(cfg))
    push_chart(a.read_bytes(), f"{auth_reg.host}/h/helped:1.0.0", o)
    logout(auth_reg.host, str(cfg))
    assert json.loads(store.read_text()) == {}
    assert lookup(auth_reg.host, str(cfg)) == Credential()


def test_tls_with_ca_insecure_and_client_certs(tls_reg: Registry, mtls_reg: Registry,
                                               tmp_path: Path) -> None:
    a = package(tmp_path, "tls", "1.0.0").read_bytes()
    push_chart(a, f"{tls_reg.host}/t/tls:1.0.0", opts_for(tls_reg))
    assert pull_chart(tls_reg.oci("t/tls"), "", opts_for(tls_reg))[1] == a
    with pytest.raises(RegistryError, match="x509: certificate signed by unknown authority"):
        pull_chart(tls_reg.oci("t/tls"), "", opts_for(tls_reg, ca_file=""))
    insecure = opts_for(tls_reg, ca_file="", insecure_skip_tls_verify=True)
    assert pull_chart(tls_reg.oci("t/tls"), "", insecure)[1] == a
    # a registry that wants a client certificate
    assert mtls_reg.certs is not None
    with pytest.raises(RegistryError, match=r'^failed to perform "Exists" on destination: '
                       r'Head "https://[^"]+/manifests/sha256:[0-9a-f]{64}": remote error: tls: '
                       r"(bad certificate|certificate required)$"):  # helm's message
        push_chart(a, f"{mtls_reg.host}/m/tls:1.0.0", opts_for(mtls_reg))
    with_cert = opts_for(mtls_reg, cert_file=str(mtls_reg.certs.client_cert),
                         key_file=str(mtls_reg.certs.client_key))
    push_chart(a, f"{mtls_reg.host}/m/tls:1.0.0", with_cert)
    assert pull_chart(mtls_reg.oci("m/tls"), "", with_cert)[1] == a


def test_bearer_token_flow(token_reg: Registry, tmp_path: Path) -> None:
    assert token_reg.tokens is not None
    a = package(tmp_path, "tok", "1.0.0").read_bytes()
    push_chart(a, f"{token_reg.host}/b/tok:1.0.0", opts_for(token_reg))
    scopes = {s for r in token_reg.tokens.requests for s in r["query"].get("scope", [])}
    assert "repository:b/tok:pull,push" in scopes
    assert all(r["query"].get("service") == ["kelm-registry"] for r in token_reg.tokens.requests)
    assert pull_chart(token_reg.oci("b/tok"), "", opts_for(token_reg))[1] == a
    # anonymous pull is granted by this token server, anonymous push is not
    anon = opts_for(token_reg, username="", password="")
    assert pull_chart(token_reg.oci("b/tok"), "1.0.0", anon)[1] == a
    with pytest.raises(RegistryError, match="response status code 401: unauthorized"):
        push_chart(a, f"{token_reg.host}/b/tok:1.0.0", anon)
    with pytest.raises(RegistryError, match=r'^GET "http://127\.0\.0\.1:\d+/token": response '
                       "status code 401"):
        pull_chart(token_reg.oci("b/tok"), "", opts_for(token_reg, password="wrong"))


def test_identity_tokens_are_traded_by_oauth2(token_reg: Registry, tmp_path: Path) -> None:
    """A config entry with an ``identitytoken`` (docker login's refresh token) is exchanged
    at the realm with a ``grant_type=refresh_token`` POST."""
    from tests.repo.registry import REFRESH_TOKEN

    assert token_reg.tokens is not None
    a = package(tmp_path, "ident", "1.0.0").read_bytes()
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"auths": {token_reg.host: {"identitytoken": REFRESH_TOKEN}}}))
    before = len(token_reg.tokens.requests)
    o = opts_for(token_reg, username="", password="", registry_config=str(cfg))
    push_chart(a, f"{token_reg.host}/i/ident:1.0.0", o)
    assert pull_chart(token_reg.oci("i/ident"), "", o)[1] == a
    posts = [r for r in token_reg.tokens.requests[before:] if r["method"] == "POST"]
    assert posts and all(r["query"]["grant_type"] == ["refresh_token"] for r in posts)
    assert any("repository:i/ident:pull,push" in r["query"]["scope"][0] for r in posts)


def test_a_registry_that_never_answers_times_out(tmp_path: Path) -> None:
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)  # accepted by the kernel, never answered
        host = f"127.0.0.1:{s.getsockname()[1]}"
        t = time.monotonic()
        with pytest.raises(RegistryError) as e:
            pull_chart(f"oci://{host}/x/y", "1.0.0", RegistryOptions(plain_http=True,
                                                                    timeout=0.5))
        assert time.monotonic() - t < 5
    assert str(e.value) == ('failed to perform "FetchReference" on source: '
                            f'Get "http://{host}/v2/x/y/manifests/1.0.0": net/http: request '
                            "canceled (Client.Timeout exceeded while awaiting headers)")


class _Hostile:
    """A fake registry: ``/v2/loop/...`` redirects to itself, ``/v2/err/...`` answers 500
    with a plain body, ``/v2/huge/...`` sends a tag list bigger than kelm reads."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/v2/loop/"):
                    self.send_response(302)
                    self.send_header("Location", self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path.startswith("/v2/huge/"):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"tags": [' + b'"1.0.0",' * (1 << 20))
                else:
                    self.send_response(500)
                    self.send_header("Content-Length", "4")
                    self.end_headers()
                    self.wfile.write(b"oops")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("path,version,message", [
    ("loop/app", "1.0.0", 'failed to perform "FetchReference" on source: Get '
                          '"/v2/loop/app/manifests/1.0.0": stopped after 10 redirects'),
    ("err/app", "", 'GET "http://$HOST/v2/err/app/tags/list": response status code 500: '
                    "Internal Server Error"),
    ("huge/app", "", 'Get "http://$HOST/v2/huge/app/tags/list": the response exceeds 4194304 '
                     "bytes"),
])
def test_a_misbehaving_registry_gets_one_line(path: str, version: str, message: str) -> None:
    """The loop and 500 messages are helm v4.1.4's for the same server."""
    srv = _Hostile()
    try:
        with pytest.raises(RegistryError) as e:
            pull_chart(f"oci://{srv.host}/{path}", version, RegistryOptions(plain_http=True))
        assert str(e.value) == message.replace("$HOST", srv.host)
    finally:
        srv.close()


def test_oci_dependencies(reg: Registry, tmp_path: Path) -> None:
    """``dependency update`` with ``repository: oci://...``: the highest matching tag is locked
    and its archive lands in charts/."""
    import io

    from kelm.action.dependency import Manager

    for v in ("1.0.0", "1.1.0", "2.0.0"):
        a = package(tmp_path, "sub", v)
        push_chart(a.read_bytes(), f"{reg.host}/deps/sub:{v}", opts_for(reg))
    parent = tmp_path / "parent"
    parent.mkdir()
    (parent / "Chart.yaml").write_text(
        "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n  - name: sub\n"
        f"    version: ^1.0.0\n    repository: oci://{reg.host}/deps\n")
    out = io.StringIO()
    Manager(str(parent), out=out, registry=opts_for(reg)).update()
    assert os.listdir(parent / "charts") == ["sub-1.1.0.tgz"]
    lock = (parent / "Chart.lock").read_text()
    assert f"- name: sub\n  repository: oci://{reg.host}/deps\n  version: 1.1.0\n" in lock
    assert f"Downloading sub from repo oci://{reg.host}/deps\n" in out.getvalue()
    # build from the lock
    (parent / "charts" / "sub-1.1.0.tgz").unlink()
    Manager(str(parent), out=io.StringIO(), registry=opts_for(reg)).build()
    assert os.listdir(parent / "charts") == ["sub-1.1.0.tgz"]


# -- interop with the oracle's helm -----------------------------------------------------------


@needs_helm
def test_helm_pulls_and_renders_what_kelm_pushed(reg: Registry, tmp_path: Path) -> None:
    from tests.cli.runner import invoke

    a = package(tmp_path, "interop", "0.4.0+k")
    os.utime(a, (CREATED_EPOCH, CREATED_EPOCH))
    res = invoke(["push", str(a), reg.oci("kp"), "--plain-http"])
    assert res.exit_code == 0, res.stderr
    env = {"HELM_CONTENT_CACHE": str(tmp_path / "hc"), "HELM_REGISTRY_CONFIG": NO_CONFIG}
    (tmp_path / "hp").mkdir()
    h = helm("pull", reg.oci("kp/interop"), "--plain-http", "-d", str(tmp_path / "hp"), env=env)
    assert h.returncode == 0, h.stderr
    assert (tmp_path / "hp" / "interop-0.4.0+k.tgz").read_bytes() == a.read_bytes()
    ht = helm("template", "r", reg.oci("kp/interop"), "--plain-http", env=env)
    assert ht.returncode == 0, ht.stderr
    kt = invoke(["template", "r", reg.oci("kp/interop"), "--plain-http",
                 "--content-cache", str(tmp_path / "kc")])
    assert kt.exit_code == 0, kt.stderr
    assert kt.stdout == ht.stdout and "version: \"0.4.0+k\"" in kt.stdout
    assert kt.stderr == ht.stderr  # Pulled:, Digest: and the underscore notice
    hi = helm("install", "r", reg.oci("kp/interop"), "--plain-http", "--dry-run=client",
              env=env)
    assert hi.returncode == 0, hi.stderr
    assert "kind: ConfigMap" in hi.stdout
    # the same archive pushed by helm gives the same manifest, byte for byte
    hp = helm("push", str(a), reg.oci("hp"), "--plain-http", env=env)
    assert hp.returncode == 0, hp.stderr
    assert stored_manifest(reg, "hp/interop", "0.4.0_k") == stored_manifest(
        reg, "kp/interop", "0.4.0_k")
    assert res.stderr == hp.stderr.replace("/hp/", "/kp/")


@needs_helm
def test_kelm_pulls_what_helm_pushed(reg: Registry, tmp_path: Path) -> None:
    from tests.cli.runner import invoke

    src = make_chart(tmp_path, "fromhelm", "2.1.0")
    h = helm("package", str(src), "-d", str(tmp_path))
    assert h.returncode == 0, h.stderr
    archive = tmp_path / "fromhelm-2.1.0.tgz"
    prov = tmp_path / "fromhelm-2.1.0.tgz.prov"
    prov.write_text("not a real signature; pushed as the provenance layer\n")
    h = helm("push", str(archive), reg.oci("hh"), "--plain-http",
             env={"HELM_REGISTRY_CONFIG": NO_CONFIG})
    assert h.returncode == 0, h.stderr
    res = pull(reg.oci("hh/fromhelm"), "", opts_for(reg), with_prov=True)
    assert res.chart == archive.read_bytes()
    assert res.prov == prov.read_bytes()
    assert res.meta["name"] == "fromhelm" and res.meta["version"] == "2.1.0"
    kt = invoke(["show", "chart", reg.oci("hh/fromhelm"), "--plain-http", "--version", "2.1.0",
                 "--content-cache", str(tmp_path / "kc")])
    assert kt.exit_code == 0, kt.stderr
    assert "name: fromhelm\n" in kt.stdout


@needs_helm
def test_login_config_is_shared_with_helm(auth_reg: Registry, tmp_path: Path) -> None:
    from tests.cli.runner import invoke

    cfg = tmp_path / "shared" / "config.json"
    env = {"HELM_REGISTRY_CONFIG": str(cfg), "HELM_CONTENT_CACHE": str(tmp_path / "hc")}
    a = package(tmp_path, "shared", "1.0.0")
    # helm logs in, kelm pushes with that config
    h = helm("registry", "login", auth_reg.host, "-u", auth_reg.username, "--password-stdin",
             "--plain-http", env=env, input=auth_reg.password)
    assert h.returncode == 0, h.stderr
    helm_written = cfg.read_text()
    res = invoke(["push", str(a), auth_reg.oci("sh"), "--plain-http", "--registry-config",
                  str(cfg)])
    assert res.exit_code == 0, res.stderr
    # kelm logs out and in again: the file is what helm wrote, helm pulls with it
    assert invoke(["registry", "logout", auth_reg.host, "--registry-config", str(cfg)]
                  ).exit_code == 0
    assert json.loads(cfg.read_text()) == {"auths": {}}
    h = helm("pull", auth_reg.oci("sh/shared"), "--plain-http", "-d", str(tmp_path), env=env)
    assert h.returncode != 0 and "basic credential not found" in h.stderr
    res = invoke(["registry", "login", auth_reg.host, "-u", auth_reg.username,
                  "--password-stdin", "--plain-http", "--registry-config", str(cfg)],
                 input=auth_reg.password + "\n")
    assert res.exit_code == 0, res.stderr
    assert cfg.read_text() == helm_written
    (tmp_path / "out").mkdir()
    h = helm("pull", auth_reg.oci("sh/shared"), "--plain-http", "-d", str(tmp_path / "out"),
             env=env)
    assert h.returncode == 0, h.stderr
    assert (tmp_path / "out" / "shared-1.0.0.tgz").read_bytes() == a.read_bytes()


@needs_helm
def test_token_registry_with_helm(token_reg: Registry, tmp_path: Path) -> None:
    """helm logs in to a token-auth registry (its OAuth2 password grant), kelm pushes with
    that config through the GET token flow, helm pulls it back."""
    cfg = tmp_path / "tok" / "config.json"
    env = {"HELM_REGISTRY_CONFIG": str(cfg), "HELM_CONTENT_CACHE": str(tmp_path / "hc")}
    h = helm("registry", "login", token_reg.host, "-u", token_reg.username, "--password-stdin",
             "--plain-http", env=env, input=token_reg.password)
    assert h.returncode == 0, h.stderr
    a = package(tmp_path, "tokhelm", "3.0.0")
    o = opts_for(token_reg, username="", password="", registry_config=str(cfg))
    push_chart(a.read_bytes(), f"{token_reg.host}/th/tokhelm:3.0.0", o)
    (tmp_path / "out").mkdir()
    h = helm("pull", token_reg.oci("th/tokhelm"), "--plain-http", "-d", str(tmp_path / "out"),
             env=env)
    assert h.returncode == 0, h.stderr
    assert (tmp_path / "out" / "tokhelm-3.0.0.tgz").read_bytes() == a.read_bytes()


# -- recording the goldens --------------------------------------------------------------------


def record() -> None:
    """Push the rich chart with helm and keep what the registry stored; record helm's
    messages for the error cases and its registry config after a login."""
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        reg = start_registry(tmp / "reg")
        auth = start_registry(tmp / "auth", auth="htpasswd")
        try:
            env = {"HELM_REGISTRY_CONFIG": str(tmp / "cfg.json"), "TZ": "UTC",
                   "HELM_CONTENT_CACHE": str(tmp / "cc")}
            src = tmp / "src" / "rich"
            (src / "templates").mkdir(parents=True)
            (src / "Chart.yaml").write_text(RICH_CHART)
            (src / "templates" / "cm.yaml").write_text(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\n")
            h = helm("package", str(src), "-d", str(GOLDEN), env=env)
            assert h.returncode == 0, h.stderr
            archive = GOLDEN / RICH
            (GOLDEN / (RICH + ".prov")).write_text("-----BEGIN PGP SIGNED MESSAGE-----\n"
                                                   "placeholder provenance bytes\n")
            os.utime(archive, (CREATED_EPOCH, CREATED_EPOCH))
            h = helm("push", str(archive), reg.oci("g"), "--plain-http", env=env)
            assert h.returncode == 0, h.stderr
            digest = h.stderr.split("Digest: ", 1)[1].split("\n", 1)[0]
            with client_for(reg) as c:
                body, _, _ = c.manifest("g/rich", "1.0.0_meta")
                m = json.loads(body)
                config = c.blob("g/rich", m["config"]["digest"])
            (GOLDEN / "push.json").write_text(json.dumps({
                "helm": "v4.1.4", "created": CREATED, "digest": digest,
                "manifest": body.decode(), "config": config.decode(),
                "stderr": normalise(h.stderr, reg)}, indent=1, ensure_ascii=False) + "\n")
            # messages
            demo = make_chart(tmp, "demo", "1.0.0")
            helm("package", str(demo), "-d", str(tmp), env=env)
            helm("push", str(tmp / "demo-1.0.0.tgz"), reg.oci("e"), "--plain-http", env=env)
            say = make_chart(tmp, "say", "1.0.0+b")
            helm("package", str(say), "-d", str(tmp), env=env)
            helm("push", str(tmp / "say-1.0.0+b.tgz"), reg.oci("s"), "--plain-http", env=env)
            cases = {
                "missing-repo": ["pull", reg.oci("e/nope"), "--plain-http"],
                "missing-tag": ["pull", reg.oci("e/demo"), "--version", "9.9.9", "--plain-http"],
                "no-match": ["pull", reg.oci("e/demo"), "--version", "^2", "--plain-http"],
                "https-to-http": ["pull", reg.oci("e/demo")],
                "refused": ["pull", "oci://127.0.0.1:1/e/demo", "--plain-http"],
                "pull-underscore": ["pull", reg.oci("s/say"), "--plain-http"],
            }
            errors = {}
            (tmp / "pulled").mkdir()
            for name, args in cases.items():
                h = helm(*args, "-d", str(tmp / "pulled"), env=env)
                text = normalise(h.stderr, reg)
                if name == "pull-underscore":
                    d = text.split("Digest: ", 1)[1].split("\n", 1)[0]
                    text = text.replace(d, "$DIGEST").replace("$HOST/s/say:1.0.0_b", "$REF")
                errors[name] = text
            (GOLDEN / "errors.json").write_text(json.dumps(errors, indent=1) + "\n")
            # login / logout
            cfg = tmp / "login.json"
            lenv = {**env, "HELM_REGISTRY_CONFIG": str(cfg)}
            li = helm("registry", "login", auth.host, "-u", auth.username, "--password-stdin",
                      "--plain-http", env=lenv, input=auth.password)
            after_login = cfg.read_text()
            bad = helm("registry", "login", auth.host, "-u", auth.username, "-p", "wrong",
                       "--plain-http", env=lenv)
            lo = helm("registry", "logout", auth.host, env=lenv)
            (GOLDEN / "login.json").write_text(json.dumps({
                "login_stderr": normalise(li.stderr, auth), "login_stdout": li.stdout,
                "config_after_login": normalise(after_login, auth),
                "bad_login_stderr": normalise(bad.stderr, auth),
                "logout_stderr": normalise(lo.stderr, auth),
                "config_after_logout": normalise(cfg.read_text(), auth),
                "password": auth.password, "username": auth.username}, indent=1) + "\n")
        finally:
            reg.stop()
            auth.stop()
    print(f"goldens -> {GOLDEN}")


if __name__ == "__main__":
    record()
