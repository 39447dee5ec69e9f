"""Chart download flags of ``template``/``install``/``show`` against a loopback chart
repository started here: ``--repo``, ``--version``, ``--devel``, basic auth (sent to the
repository's own host only unless ``--pass-credentials``), TLS (``--ca-file``,
``--insecure-skip-tls-verify``, ``--cert-file``/``--key-file``), URLs and REPO/NAME."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import json
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import invoke

VERSIONS = ("0.1.0", "0.2.0", "0.3.0-rc.1")
AUTH = "Basic " + base64.b64encode(b"user:secret").decode()


class Repo:
    """A chart repository on 127.0.0.1: its files, the requests it saw (path, auth header)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[tuple[str, str]] = []
        self.need_auth = False
        self.url = ""

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        repo = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                auth = self.headers.get("Authorization") or ""
                repo.requests.append((self.path, auth))
                if repo.need_auth and auth != AUTH:
                    self.send_response(401)
                    self.end_headers()
                    return
                f = repo.root / self.path.lstrip("/")
                if not f.is_file():
                    self.send_response(404)
                    self.end_headers()
                    return
                data = f.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _charts(root: Path, chart_host: str = "") -> None:
    """Archives of chart ``c`` in three versions and an index.yaml naming them (relative
    URLs, or absolute ones on ``chart_host``)."""
    from kelm.action.package import PackageOptions, package_chart

    src = root / "src" / "c"
    (src / "templates").mkdir(parents=True, exist_ok=True)
    (src / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
        "data:\n  version: {{ .Chart.Version | quote }}\n")
    entries = []
    for v in VERSIONS:
        (src / "Chart.yaml").write_text(f"apiVersion: v2\nname: c\nversion: {v}\n")
        path = Path(package_chart(str(src), PackageOptions(destination=str(root))))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        url = f"{chart_host}/{path.name}" if chart_host else path.name
        entries.append({"apiVersion": "v2", "name": "c", "version": v, "urls": [url],
                        "digest": digest})
    index = {"apiVersion": "v1", "entries": {"c": entries}}
    (root / "index.yaml").write_text(json.dumps(index))


@contextlib.contextmanager
def serve(root: Path, tls: ssl.SSLContext | None = None) -> Iterator[Repo]:
    repo = Repo(root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), repo.handler())
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    scheme = "https" if tls is not None else "http"
    repo.url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield repo
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Private Helm config and cache directories; no proxy, short timeouts."""
    home = tmp_path / "home"
    monkeypatch.setenv("HELM_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("HELM_CONFIG_HOME", str(home / "config"))
    for name in ("KELM_CACHE_HOME", "KELM_CONFIG_HOME", "HELM_REPOSITORY_CACHE",
                 "HELM_REPOSITORY_CONFIG", "HELM_CONTENT_CACHE", "KELM_REPOSITORY_CACHE",
                 "KELM_REPOSITORY_CONFIG", "KELM_CONTENT_CACHE", "HTTP_PROXY", "HTTPS_PROXY",
                 "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KELM_HTTP_TIMEOUT", "20")
    return home


def _version(res: object) -> str:
    out = res.stdout  # type: ignore[attr-defined]
    assert res.exit_code == 0, res.stderr  # type: ignore[attr-defined]
    return out.split("version: ", 1)[1].split("\n", 1)[0].strip('"')


def test_repo_version_and_devel(tmp_path: Path, cache: Path) -> None:
    _charts(tmp_path / "repo")
    with serve(tmp_path / "repo") as repo:
        base = ["template", "r", "c", "--repo", repo.url]
        assert _version(invoke(base)) == "0.2.0"  # newest stable
        assert _version(invoke([*base, "--version", "0.1.0"])) == "0.1.0"
        assert _version(invoke([*base, "--version", "~0.1"])) == "0.1.0"
        assert _version(invoke([*base, "--devel"])) == "0.3.0-rc.1"
        assert _version(invoke([*base, "--devel", "--version", "0.1.0"])) == "0.1.0"
        res = invoke([*base, "--version", "9.9.9"])
        assert res.exit_code == 1
        assert res.stderr == (f'Error: chart "c" version "9.9.9" not found in {repo.url} '
                              "repository\n")
        res = invoke(["install", "r", "c", "--repo", repo.url, "--dry-run=client"])
        assert res.exit_code == 0 and "STATUS: pending-install" in res.stdout
        contents = tmp_path / "contents"
        assert _version(invoke([*base, "--content-cache", str(contents)])) == "0.2.0"
        assert len(list(contents.glob("*/*.chart"))) == 1  # the archive, under its digest
        res = invoke(["show", "chart", "c", "--repo", repo.url, "--devel"])
        assert res.stdout == "apiVersion: v2\nname: c\nversion: 0.3.0-rc.1\n\n"
        assert all(not auth for _, auth in repo.requests)


def test_chart_url_and_repo_name(tmp_path: Path, cache: Path) -> None:
    _charts(tmp_path / "repo")
    with serve(tmp_path / "repo") as repo:
        assert _version(invoke(["template", "r", f"{repo.url}/c-0.1.0.tgz"])) == "0.1.0"
        res = invoke(["template", "r", "myrepo/c"])
        assert (res.exit_code, res.stderr) == (1, "Error: repo myrepo not found\n")
        (cache / "config").mkdir(parents=True)
        (cache / "config" / "repositories.yaml").write_text(
            f"apiVersion: v1\nrepositories:\n- name: myrepo\n  url: {repo.url}\n")
        (cache / "cache" / "repository").mkdir(parents=True)
        (cache / "cache" / "repository" / "myrepo-index.yaml").write_bytes(
            (tmp_path / "repo" / "index.yaml").read_bytes())
        assert _version(invoke(["template", "r", "myrepo/c", "--version", "0.1.0"])) == "0.1.0"
        # the same through the flags, from other places
        (tmp_path / "cfg").mkdir()
        (cache / "config" / "repositories.yaml").rename(tmp_path / "cfg" / "repos.yaml")
        (cache / "cache" / "repository").rename(tmp_path / "idx")
        assert _version(invoke(["template", "r", "myrepo/c",
                                "--repository-config", str(tmp_path / "cfg" / "repos.yaml"),
                                "--repository-cache", str(tmp_path / "idx")])) == "0.2.0"


def test_basic_auth_only_to_the_repository_host(tmp_path: Path, cache: Path) -> None:
    root = tmp_path / "repo"
    with serve(root) as repo:
        port = repo.url.rsplit(":", 1)[1]
        _charts(root, chart_host=f"http://localhost:{port}")  # same server, another host name
        repo.need_auth = True
        base = ["template", "r", "c", "--repo", repo.url, "--version", "0.1.0"]
        res = invoke(base)
        assert res.exit_code == 1 and "401 Unauthorized" in res.stderr
        repo.requests.clear()
        res = invoke([*base, "--username", "user", "--password", "secret"])
        # the index came with credentials; the chart on localhost was asked for without
        assert repo.requests[0] == ("/index.yaml", AUTH)
        assert repo.requests[1] == ("/c-0.1.0.tgz", "")
        assert res.exit_code == 1 and "401 Unauthorized" in res.stderr
        repo.requests.clear()
        res = invoke([*base, "--username", "user", "--password", "secret", "--pass-credentials"])
        assert _version(res) == "0.1.0"
        assert [auth for _, auth in repo.requests] == [AUTH, AUTH]


def _tls_files(tmp_path: Path) -> dict[str, Path]:
    """A CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    from kelm.presets import certs

    bundle = certs.generate(["127.0.0.1"], days=1)
    files = {"ca": tmp_path / "ca.pem", "cert": tmp_path / "server.pem",
             "key": tmp_path / "server.key"}
    files["ca"].write_bytes(bundle.ca_cert)
    files["cert"].write_bytes(bundle.cert)
    files["key"].write_bytes(bundle.key)
    # a client certificate signed by its own CA
    client_ca_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "client-ca")])
    now = datetime.datetime.now(datetime.UTC)
    client_ca = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                 .public_key(client_ca_key.public_key()).serial_number(1)
                 .not_valid_before(now - datetime.timedelta(minutes=5))
                 .not_valid_after(now + datetime.timedelta(days=1))
                 .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                 .sign(client_ca_key, hashes.SHA256()))
    client_key = ec.generate_private_key(ec.SECP256R1())
    client = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kelm")]))
              .issuer_name(name).public_key(client_key.public_key()).serial_number(2)
              .not_valid_before(now - datetime.timedelta(minutes=5))
              .not_valid_after(now + datetime.timedelta(days=1))
              .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
                             critical=False)
              .sign(client_ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    files["client-ca"] = tmp_path / "client-ca.pem"
    files["client-ca"].write_bytes(client_ca.public_bytes(pem))
    files["client-cert"] = tmp_path / "client.pem"
    files["client-cert"].write_bytes(client.public_bytes(pem))
    files["client-key"] = tmp_path / "client.key"
    files["client-key"].write_bytes(client_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return files


def test_tls_ca_file_insecure_and_client_certificates(tmp_path: Path, cache: Path) -> None:
    _charts(tmp_path / "repo")
    files = _tls_files(tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(files["cert"], files["key"])
    with serve(tmp_path / "repo", ctx) as repo:
        base = ["template", "r", "c", "--repo", repo.url]
        res = invoke(base)
        assert res.exit_code == 1 and "certificate verify failed" in res.stderr
        assert _version(invoke([*base, "--ca-file", str(files["ca"])])) == "0.2.0"
        assert _version(invoke([*base, "--insecure-skip-tls-verify"])) == "0.2.0"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(files["cert"], files["key"])
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(files["client-ca"])
    with serve(tmp_path / "repo", ctx) as repo:
        base = ["template", "r", "c", "--repo", repo.url, "--ca-file", str(files["ca"])]
        assert invoke(base).exit_code == 1  # no client certificate
        res = invoke([*base, "--cert-file", str(files["client-cert"]),
                      "--key-file", str(files["client-key"])])
        assert _version(res) == "0.2.0"
