"""TLS setup, a client-side rate limiter, and transport failures worded as Go's client does.

Client certificates given as data go through a private temporary directory (0700, file 0600)
that is removed as soon as ``ssl`` has loaded them.
"""

from __future__ import annotations

import os
import shutil
import ssl
import tempfile
import threading
import time
from typing import Any

from kelm.kube.config import RestConfig
from kelm.kube.errors import Unreachable


def import_httpx() -> Any:
    """``httpx``, without the command-line module its package imports (rich, click, pygments:
    ~40 ms of a short kelm run that never uses them)."""
    import sys

    if "httpx" not in sys.modules and "httpx._main" not in sys.modules:
        sys.modules["httpx._main"] = None  # type: ignore[assignment]  # httpx falls back
        try:
            import httpx
        finally:
            del sys.modules["httpx._main"]
        return httpx
    import httpx

    return httpx


def ssl_context(cfg: RestConfig, client_cert: tuple[bytes, bytes] | None = None) -> ssl.SSLContext:
    """The TLS context for ``cfg``: its CA (or the system's), its client certificate."""
    if cfg.insecure:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    elif cfg.ca_file or cfg.ca_data:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        try:
            if cfg.ca_file:
                ctx.load_verify_locations(cafile=cfg.ca_file)
            else:
                assert cfg.ca_data is not None
                ctx.load_verify_locations(cadata=cfg.ca_data.decode("ascii", "replace"))
        except (ssl.SSLError, OSError, ValueError) as e:
            where = cfg.ca_file or "certificate-authority-data"
            raise Unreachable(f"unable to load root certificates: {where}: {_ssl_reason(e)}") \
                from None
    else:
        ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if client_cert is None and (cfg.cert_data or cfg.cert_file):
        client_cert = (cfg.cert_data or _read(cfg.cert_file), cfg.key_data or _read(cfg.key_file))
    if client_cert is not None:
        _load_cert_chain(ctx, *client_cert)
    return ctx


def _read(path: str | None) -> bytes:
    if not path:
        return b""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as e:
        raise Unreachable(f"open {path}: {(e.strerror or str(e)).lower()}") from None


def _load_cert_chain(ctx: ssl.SSLContext, cert: bytes, key: bytes) -> None:
    tmp = tempfile.mkdtemp(prefix="kelm-cert-")
    try:
        cert_path, key_path = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        for path, data in ((cert_path, cert), (key_path, key)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        try:
            ctx.load_cert_chain(cert_path, key_path)
        except (ssl.SSLError, ValueError) as e:
            raise Unreachable(f"tls: failed to find any PEM data in certificate input or "
                              f"key does not match certificate ({_ssl_reason(e)})") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _ssl_reason(e: BaseException) -> str:
    return str(getattr(e, "reason", None) or e).lower().replace("_", " ")


def environment_proxy(server: str, env: dict[str, str] | None = None) -> str | None:
    """The proxy Go's ``ProxyFromEnvironment`` picks for ``server``: ``HTTPS_PROXY`` /
    ``HTTP_PROXY`` (either case) unless ``NO_PROXY`` matches; never for localhost/loopback."""
    import ipaddress
    from urllib.parse import urlsplit

    env = dict(os.environ) if env is None else env

    def get(name: str) -> str:
        return env.get(name) or env.get(name.lower()) or ""

    parts = urlsplit(server)
    host = (parts.hostname or "").lower()
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    proxy = get("HTTPS_PROXY") if parts.scheme == "https" else get("HTTP_PROXY")
    if not proxy:
        return None
    for entry in get("NO_PROXY").split(","):
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return None
        name = entry.split(":", 1)[0] if entry.count(":") == 1 else entry
        if "/" in name:
            try:
                if ipaddress.ip_address(host) in ipaddress.ip_network(name, strict=False):
                    return None
            except ValueError:
                pass
            continue
        name = name.lstrip("*")
        if host == name.lstrip(".") or (name.startswith(".") and host.endswith(name)) or \
                host.endswith("." + name):
            return None
    return proxy if "://" in proxy else f"http://{proxy}"


class RateLimiter:
    """A token bucket like client-go's: ``qps`` per second, bursts of ``burst``."""

    def __init__(self, qps: float, burst: int) -> None:
        self.qps = qps
        self.burst = max(1, burst)
        self._tokens = float(self.burst)
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        if self.qps <= 0:
            return
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.qps)
            self._last = now
            self._tokens -= 1
            delay = -self._tokens / self.qps if self._tokens < 0 else 0.0
        if delay > 0:
            time.sleep(delay)


# -- Go-worded transport failures ---------------------------------------------------------

def _hostport(url: Any) -> str:
    host = url.host or ""
    if host == "localhost":
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{host}:{port}"


def _errno_text(exc: BaseException) -> str:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen:
        seen.append(cur)
        cur = cur.__cause__ or cur.__context__
    return " ".join(str(e) for e in seen).lower()


def _peer_names(url: Any, sni: str | None) -> tuple[list[str], list[str]] | None:
    """The DNS and IP names of the server's certificate (an unverified look, for the message)."""
    import socket

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((url.host, url.port or 443), timeout=2) as sock, \
                ctx.wrap_socket(sock, server_hostname=sni or url.host) as tls:
            der = tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError):
        return None
    if not der:
        return None
    from cryptography import x509

    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return [], []
    return (list(san.get_values_for_type(x509.DNSName)),
            [str(ip) for ip in san.get_values_for_type(x509.IPAddress)])


def _name_mismatch(url: Any, sni: str | None) -> str | None:
    """Go's x509 hostname error for the server's certificate; None when the name matches."""
    import ipaddress

    names = _peer_names(url, sni)
    if names is None:
        return None
    host = sni or url.host
    dns, ips = names
    try:
        ipaddress.ip_address(host)
    except ValueError:
        wanted = host.lower().rstrip(".")
        if any(_dns_match(n, wanted) for n in dns):
            return None
        if not dns:
            return f"x509: certificate is not valid for any names, but wanted to match {host}"
        return f"x509: certificate is valid for {', '.join(dns)}, not {host}"
    if host in ips:
        return None
    if not ips:
        return f"x509: cannot validate certificate for {host} because it doesn't contain any IP SANs"
    return f"x509: certificate is valid for {', '.join(ips)}, not {host}"


def _dns_match(pattern: str, host: str) -> bool:
    pattern = pattern.lower().rstrip(".")
    if pattern.startswith("*."):
        return host.count(".") == pattern.count(".") and host.endswith(pattern[1:])
    return pattern == host


def describe_failure(exc: BaseException, url: Any, sni: str | None = None) -> str:
    """What went wrong, in the words of Go's net/http and crypto/tls."""
    httpx = import_httpx()

    text = _errno_text(exc)
    hp = _hostport(url)
    if isinstance(exc, httpx.ConnectTimeout):
        return f"dial tcp {hp}: i/o timeout"
    if isinstance(exc, httpx.TimeoutException):
        return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
    if "certificate verify failed" in text or isinstance(exc.__context__, ssl.SSLCertVerificationError):
        # Go checks the name first: report a wrong name even when the issuer is unknown too
        mismatch = _name_mismatch(url, sni)
        if mismatch:
            return f"tls: failed to verify certificate: {mismatch}"
        if "expired" in text or "not yet valid" in text:
            return "tls: failed to verify certificate: x509: certificate has expired or is not yet valid"
        return "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    if "wrong version number" in text or "record layer failure" in text or "http request" in text:
        return "tls: first record does not look like a TLS handshake"
    if "alert" in text and "ssl" in text:
        alert = text.split("alert", 1)[1].split("(")[0].split("]")[-1].strip(" _")
        return f"remote error: tls: {alert.replace('_', ' ') or 'handshake failure'}"
    if isinstance(exc, httpx.ConnectError):
        if "refused" in text:
            return f"dial tcp {hp}: connect: connection refused"
        if "name or service not known" in text or "nodename nor servname" in text \
                or "no address associated" in text or "temporary failure in name" in text:
            return f"dial tcp: lookup {url.host}: no such host"
        if "unreachable" in text:
            return f"dial tcp {hp}: connect: network is unreachable"
        if "reset" in text:
            return f"read tcp {hp}: read: connection reset by peer"
        if "ssl" in text:
            return f"tls: handshake failure ({text.strip()})"
        return f"dial tcp {hp}: {text.strip()}"
    if "reset" in text:
        return f"read tcp {hp}: read: connection reset by peer"
    if "without sending a response" in text or "server disconnected" in text:
        return "EOF"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return "unexpected EOF"
    return text.strip() or type(exc).__name__


def unreachable(method: str, url: Any, exc: BaseException, sni: str | None = None) -> Unreachable:
    """``Get "https://…": dial tcp …`` as the error Helm and kubectl print."""
    reason = describe_failure(exc, url, sni)
    return Unreachable(f'{method.capitalize()} "{url}": {reason}')
