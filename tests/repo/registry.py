"""A real OCI registry on loopback for the tests: the distribution's ``docker-registry``
(Debian package; installed with apt when absent and we are root), started on a free port with
a temporary storage directory and config file, stopped after.

Variants: plain HTTP; htpasswd basic auth (bcrypt hash made by the test with ``bcrypt``, or
crypt(3) when that library is absent); TLS with a CA and a
server certificate made with ``cryptography`` (optionally requiring a client certificate);
Bearer tokens from a small token server in this process (JWTs signed with a key whose
certificate the registry trusts, the ``x5c`` header naming it), so the ``WWW-Authenticate``
challenge flow runs against the registry's own token verification.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

BINARY = "docker-registry"
USER, PASSWORD = "kelm", "s3cret-pass"
REFRESH_TOKEN = "kelm-identity-token"  # what the token server trades for access (OAuth2)
START_TIMEOUT = 20.0


def registry_binary() -> str:
    """The registry program, installed with apt when absent (root with apt-get only);
    otherwise the test is skipped with the reason."""
    found = shutil.which(BINARY) or (f"/usr/bin/{BINARY}" if os.path.exists(f"/usr/bin/{BINARY}")
                                     else "")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(f"{BINARY} is not installed and cannot be installed here (needs root and "
                    "apt-get): apt-get install -y docker-registry")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", BINARY]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False)
    if res.returncode != 0:
        subprocess.run(["apt-get", "update"], capture_output=True, env=env, timeout=600,
                       check=False)
        res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600,
                             check=False)
    found = shutil.which(BINARY) or ""
    if res.returncode != 0 or not found:
        pytest.skip(f"apt-get install {BINARY} failed: {(res.stderr or res.stdout)[-300:]}")
    return found


def bcrypt_hash(password: str) -> str:
    """The bcrypt hash docker-registry's htpasswd wants: the ``bcrypt`` library, else the
    C library's crypt(3) through the stdlib ``crypt`` (Python < 3.13, libxcrypt's $2b$)."""
    try:
        import bcrypt

        return str(bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=5)).decode())
    except ImportError:
        pass
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import crypt
        except ImportError:
            pytest.skip("no bcrypt for the htpasswd file: pip install bcrypt")
        hashed = crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=32))
    if not hashed or not hashed.startswith("$2"):
        pytest.skip("no bcrypt for the htpasswd file (crypt(3) lacks it): pip install bcrypt")
    return hashed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- certificates ------------------------------------------------------------------------------


@dataclass
class Certs:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def _key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _cert(subject: str, key: Any, issuer_cert: Any, issuer_key: Any, *, ca: bool,
          server: bool = False, days: int = 2) -> Any:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = datetime.datetime.now(datetime.UTC)
    b = (x509.CertificateBuilder().subject_name(name)
         .issuer_name(issuer_cert.subject if issuer_cert is not None else name)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now - datetime.timedelta(minutes=5))
         .not_valid_after(now + datetime.timedelta(days=days))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if server:
        b = b.add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
    if not ca:
        b = b.add_extension(x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False)
    return b.sign(issuer_key if issuer_key is not None else key, hashes.SHA256())


def make_certs(d: Path) -> Certs:
    """A CA, a server certificate for 127.0.0.1/localhost and a client certificate."""
    from cryptography.hazmat.primitives import serialization

    d.mkdir(parents=True, exist_ok=True)
    ca_key = _key()
    ca = _cert("kelm test CA", ca_key, None, None, ca=True)
    out = Certs(d / "ca.pem", d / "server.pem", d / "server-key.pem", d / "client.pem",
                d / "client-key.pem")
    out.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for cert_path, key_path, server in ((out.server_cert, out.server_key, True),
                                        (out.client_cert, out.client_key, False)):
        k = _key()
        c = _cert("127.0.0.1" if server else "kelm client", k, ca, ca_key, ca=False,
                  server=server)
        cert_path.write_bytes(c.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(_pem_key(k))
    return out


# -- token server ---------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenServer:
    """Docker's token protocol: ``GET /token?service=&scope=`` with basic auth answers a JWT
    granting the asked actions to the test user (anonymous: pull only)."""

    def __init__(self, d: Path, service: str, issuer: str) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        self.service, self.issuer = service, issuer
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kelm token signer")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(minutes=5))
                .not_valid_after(now + datetime.timedelta(days=2))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(self.key, hashes.SHA256()))
        self.cert_file = d / "token-signer.pem"
        self.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        self.x5c = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                q = parse_qs(urlsplit(self.path).query)
                server.requests.append({"method": "GET", "query": q,
                                        "auth": self.headers.get("Authorization")})
                self.answer(server.check_basic(self.headers.get("Authorization", "")),
                            q.get("scope", []))

            def do_POST(self) -> None:  # noqa: N802
                """OAuth2: ``grant_type=password`` or ``refresh_token`` (an identity token)."""
                n = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(n).decode())
                server.requests.append({"method": "POST", "query": form, "auth": None})
                grant = form.get("grant_type", [""])[0]
                user: str | None = None
                if grant == "refresh_token" and form.get("refresh_token") == [REFRESH_TOKEN]:
                    user = USER
                elif grant == "password" and (form.get("username"), form.get("password")) == (
                        [USER], [PASSWORD]):
                    user = USER
                self.answer(user, [" ".join(form.get("scope", []))])

            def answer(self, user: str | None, scopes: list[str]) -> None:
                if user is None:
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                token = server.token(user, scopes)
                body = json.dumps({"token": token, "access_token": token,
                                   "expires_in": 300}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.realm = f"http://127.0.0.1:{self.httpd.server_address[1]}/token"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def check_basic(self, header: str) -> str | None:
        """The user name for good credentials, "" for none, None for bad ones."""
        if not header:
            return ""
        if not header.startswith("Basic "):
            return None
        user, _, pw = base64.b64decode(header[6:]).decode().partition(":")
        return user if (user, pw) == (USER, PASSWORD) else None

    def token(self, user: str, scopes: list[str]) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        access = []
        for scope in scopes:
            for one in scope.split(" ") if scope else []:
                kind, _, rest = one.partition(":")
                name, _, actions = rest.rpartition(":")
                granted = [a for a in actions.split(",") if user or a == "pull"]
                access.append({"type": kind, "name": name, "actions": granted})
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": user, "aud": self.service, "exp": now + 300,
                  "nbf": now - 60, "iat": now, "jti": hashlib.sha256(os.urandom(8)).hexdigest(),
                  "access": access}
        head = {"typ": "JWT", "alg": "RS256", "x5c": [self.x5c]}
        signing = f"{_b64url(json.dumps(head).encode())}.{_b64url(json.dumps(claims).encode())}"
        sig = self.key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing}.{_b64url(sig)}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- the registry ---------------------------------------------------------------------------------


@dataclass
class Registry:
    """One running registry: ``host`` is ``127.0.0.1:PORT``."""

    host: str
    scheme: str
    root: Path
    proc: subprocess.Popen[bytes] | None = None
    username: str = ""
    password: str = ""
    certs: Certs | None = None
    tokens: TokenServer | None = None
    log: Path = field(default_factory=Path)

    @property
    def plain_http(self) -> bool:
        return self.scheme == "http"

    def oci(self, path: str) -> str:
        return f"oci://{self.host}/{path}"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.tokens is not None:
            self.tokens.close()


def _config(root: Path, port: int, auth: str, certs: Certs | None, client_certs: bool,
            tokens: TokenServer | None) -> str:
    lines = ["version: 0.1", "log:", "  level: error", "  accesslog:", "    disabled: true",
             "storage:", "  filesystem:", f"    rootdirectory: {root / 'data'}", "  delete:",
             "    enabled: true", "http:", f"  addr: 127.0.0.1:{port}",
             "  secret: kelm-test-secret"]
    if certs is not None:
        lines += ["  tls:", f"    certificate: {certs.server_cert}", f"    key: {certs.server_key}"]
        if client_certs:
            lines += ["    clientcas:", f"      - {certs.ca}"]
    if auth == "htpasswd":
        lines += ["auth:", "  htpasswd:", "    realm: kelm-realm", f"    path: {root / 'htpasswd'}"]
    elif auth == "token" and tokens is not None:
        lines += ["auth:", "  token:", f"    realm: {tokens.realm}", f"    service: {tokens.service}",
                  f"    issuer: {tokens.issuer}", f"    rootcertbundle: {tokens.cert_file}"]
    return "\n".join(lines) + "\n"


def _wait_up(reg: Registry) -> None:
    """Poll ``/v2/`` until the registry answers (200, or 401 with auth), bounded."""
    import ssl

    ctx = None
    if reg.certs is not None:
        ctx = ssl.create_default_context(cafile=str(reg.certs.ca))
        ctx.load_cert_chain(str(reg.certs.client_cert), str(reg.certs.client_key))
    deadline = time.monotonic() + START_TIMEOUT
    url = f"{reg.scheme}://{reg.host}/v2/"
    last = ""
    while time.monotonic() < deadline:
        if reg.proc is not None and reg.proc.poll() is not None:
            raise RuntimeError(f"{BINARY} exited with {reg.proc.returncode}: "
                               f"{reg.log.read_text(errors='replace')[-800:]}")
        try:
            with urllib.request.urlopen(url, timeout=2, context=ctx) as resp:
                if resp.status == 200:
                    return
        except urllib.error.HTTPError as e:
            if e.code == 401:
                return
            last = str(e)
        except OSError as e:
            last = str(e)
        time.sleep(0.05)
    raise RuntimeError(f"{BINARY} at {url} did not answer within {START_TIMEOUT:.0f}s: {last}")


def start_registry(root: Path, auth: str = "", tls: bool = False,
                   client_certs: bool = False) -> Registry:
    """Start a registry (``auth``: "", "htpasswd" or "token") under ``root``."""
    binary = registry_binary()
    root.mkdir(parents=True, exist_ok=True)
    certs = make_certs(root / "certs") if tls else None
    tokens = TokenServer(root, "kelm-registry", "kelm-token-issuer") if auth == "token" else None
    if auth == "htpasswd":
        (root / "htpasswd").write_text(f"{USER}:{bcrypt_hash(PASSWORD)}\n")
    last_error = ""
    for _ in range(3):  # a port taken between free_port() and the bind: try another
        port = free_port()
        (root / "config.yml").write_text(_config(root, port, auth, certs, client_certs, tokens))
        log = root / "registry.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen([binary, "serve", str(root / "config.yml")], stdout=fh,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        reg = Registry(f"127.0.0.1:{port}", "https" if tls else "http", root, proc,
                       USER if auth else "", PASSWORD if auth else "", certs, tokens, log)
        try:
            _wait_up(reg)
            return reg
        except RuntimeError as e:
            last_error = str(e)
            reg.tokens = None
            reg.stop()
    if tokens is not None:
        tokens.close()
    raise RuntimeError(last_error)


def registry_fixture(tmp_path_factory: pytest.TempPathFactory, name: str,
                     **kwargs: Any) -> Iterator[Registry]:
    reg = start_registry(tmp_path_factory.mktemp(name), **kwargs)
    try:
        yield reg
    finally:
        reg.stop()


__all__ = ["PASSWORD", "REFRESH_TOKEN", "USER", "Certs", "Registry", "TokenServer", "free_port", "make_certs",
           "registry_binary", "registry_fixture", "start_registry"]
