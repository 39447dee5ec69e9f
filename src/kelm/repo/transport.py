"""Fetching repository files: http(s) with httpx (basic auth, TLS options), file:// paths.

Errors are one line naming the URL; without network the message says so instead of a trace.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ssl
    from typing import Any


class RepoError(Exception):
    """A repository operation failed; ``str()`` is the user-facing message."""


@dataclass
class Credentials:
    username: str = ""
    password: str = ""
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    insecure_skip_tls_verify: bool = False
    pass_credentials_all: bool = False
    repo_url: str = ""


def _same_host(a: str, b: str) -> bool:
    return urlsplit(a).netloc == urlsplit(b).netloc


def fetch(url: str, creds: Credentials | None = None, accept: str = "") -> bytes:
    """The body at ``url`` (http, https or file)."""
    creds = creds or Credentials()
    u = urlsplit(url)
    if u.scheme == "file":
        path = unquote(u.path)
        try:
            with open(path, "rb") as fh:
                return fh.read()
        except OSError as e:
            raise RepoError(f"open {path}: {(e.strerror or '').lower()}") from None
    if u.scheme not in ("http", "https"):
        raise RepoError(f'scheme "{u.scheme}" not supported')
    import httpx

    verify = _tls_context(creds)
    auth, headers = _auth_headers(url, creds, accept)
    timeout = float(os.environ.get("KELM_HTTP_TIMEOUT", "120"))
    try:
        with httpx.Client(verify=verify, timeout=timeout, follow_redirects=True) as client:
            resp = client.get(url, auth=auth, headers=headers)
    except httpx.ConnectError as e:
        raise RepoError(f'Get "{url}": {_dial_error(u, e)}') from None
    except httpx.TimeoutException:
        raise RepoError(f'Get "{url}": dial tcp {_hostport(u)}: i/o timeout') from None
    except httpx.HTTPError as e:
        raise RepoError(f'Get "{url}": {e or type(e).__name__}') from None
    except OSError as e:
        raise RepoError(f'Get "{url}": {e}') from None
    if resp.status_code != 200:
        raise RepoError(f"failed to fetch {url} : {resp.status_code} {resp.reason_phrase}")
    return resp.content


def _auth_headers(url: str, creds: Credentials,
                  accept: str) -> tuple[tuple[str, str] | None, dict[str, str]]:
    """Basic auth (only for the repository's own host unless ``pass_credentials_all``) and
    the request headers of a download."""
    auth = None
    if creds.username or creds.password:
        if creds.pass_credentials_all or not creds.repo_url or _same_host(url, creds.repo_url):
            auth = (creds.username, creds.password)
    headers = {"User-Agent": "Helm/4.1.4"}
    if accept:
        headers["Accept"] = accept
    return auth, headers


def _tls_context(creds: Credentials) -> bool | ssl.SSLContext:
    """The TLS settings of a download: only ``ca_file``'s certificates are trusted when it is
    given (as Helm's tlsutil), ``insecure_skip_tls_verify`` checks nothing, and the client
    certificate pair is presented when both files are given.  (httpx's own ``cert=`` is
    ignored when ``verify`` names a CA file.)"""
    import ssl

    pair = (creds.cert_file, creds.key_file) if creds.cert_file and creds.key_file else None
    if not creds.insecure_skip_tls_verify and not creds.ca_file and pair is None:
        return True
    try:
        if creds.insecure_skip_tls_verify:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        elif creds.ca_file:
            ctx = ssl.create_default_context(cafile=creds.ca_file)
        else:
            import certifi

            ctx = ssl.create_default_context(cafile=certifi.where())
        if pair is not None:
            ctx.load_cert_chain(*pair)
    except (OSError, ssl.SSLError) as e:
        raise RepoError(f"can't create TLS config for client: {e}") from None
    return ctx


def _hostport(u: object) -> str:
    host = getattr(u, "hostname", "") or ""
    port = getattr(u, "port", None) or (443 if getattr(u, "scheme", "") == "https" else 80)
    return f"{host}:{port}"


def _tls_error(text: str) -> str | None:
    """Go's crypto/tls wording for a certificate OpenSSL refused."""
    if "CERTIFICATE_VERIFY_FAILED" not in text and "certificate verify failed" not in text:
        return None
    import re

    prefix = "tls: failed to verify certificate: x509: "
    m = re.search(r"certificate verify failed: ([^(]*?)\s*(\(_ssl|$)", text)
    why = f" (certificate verify failed: {m.group(1)})" if m else ""
    if "expired" in text or "not yet valid" in text:
        return prefix + "certificate has expired or is not yet valid" + why
    if "mismatch" in text:
        return prefix + "certificate is not valid for this host" + why
    return prefix + "certificate signed by unknown authority" + why


def tls_name_error(err: Exception, url: str) -> str | None:
    """Go's words when the server's certificate does not name the host: Go checks the names
    before the issuer, as the kube client does (None when the names match)."""
    import httpx

    from kelm.kube.transport import describe_failure

    try:
        go = describe_failure(err, httpx.URL(url))
    except Exception:  # noqa: BLE001 - the caller's plain wording still names the failure
        return None
    names = ("IP SANs", "is valid for", "not valid for any names")
    return go if go.startswith("tls: ") and any(n in go for n in names) else None


def _dial_error(u: object, err: Exception) -> str:
    """Go's net.Dial wording for the usual connection failures."""
    import socket

    text = str(err)
    tls = _tls_error(text)
    if tls is not None:
        return tls_name_error(err, getattr(u, "geturl", lambda: "")()) or tls
    host = getattr(u, "hostname", "") or ""
    if "Name or service not known" in text or "nodename nor servname" in text or (
        "Temporary failure in name resolution" in text
    ):
        return f"dial tcp: lookup {host}: no such host"
    try:
        ip = socket.gethostbyname(host)
    except OSError:
        ip = host
    port = getattr(u, "port", None) or (443 if getattr(u, "scheme", "") == "https" else 80)
    if "refused" in text.lower():
        return f"dial tcp {ip}:{port}: connect: connection refused"
    if "unreachable" in text.lower():
        return f"dial tcp {ip}:{port}: connect: network is unreachable"
    return f"dial tcp {ip}:{port}: {text}"


DEFAULT_TIMEOUT = 120.0  # seconds: Helm's --timeout default for repository downloads


def default_timeout() -> float:
    try:
        return float(os.environ.get("KELM_HTTP_TIMEOUT", "") or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT


def download(url: str, sink: Any, creds: Credentials | None = None, accept: str = "",
             timeout: float | None = None) -> int:
    """Stream the body at ``url`` into the binary file ``sink``; returns its size.

    The whole transfer (connection, headers, body) is bounded by ``timeout`` seconds, as
    Go's ``http.Client.Timeout``: a server that never answers or trickles its bytes is cut
    off by a watchdog.  Redirects are followed up to 10 times (Go's limit); credentials go to
    the repository's own host only unless ``pass_credentials_all``, and never survive a
    redirect to another host.
    """
    creds = creds or Credentials()
    u = urlsplit(url)
    if u.scheme == "file":
        path = unquote(u.path)
        try:
            with open(path, "rb") as fh:
                n = 0
                while chunk := fh.read(1 << 20):
                    sink.write(chunk)
                    n += len(chunk)
                return n
        except OSError as e:
            raise RepoError(f"open {path}: {(e.strerror or '').lower()}") from None
    if u.scheme not in ("http", "https"):
        raise RepoError(f'scheme "{u.scheme}" not supported')
    import threading
    import time

    import httpx

    limit = default_timeout() if timeout is None else timeout
    verify = _tls_context(creds)
    auth, headers = _auth_headers(url, creds, accept)
    expired = threading.Event()
    deadline = time.monotonic() + limit
    client = httpx.Client(verify=verify, timeout=max(limit, 0.001), follow_redirects=True,
                          max_redirects=10)

    def expire() -> None:
        expired.set()
        try:
            client.close()
        except Exception:  # noqa: BLE001 - closing under a reader may complain
            pass

    watchdog = threading.Timer(max(limit, 0.001), expire)
    watchdog.daemon = True
    watchdog.start()
    n = 0
    phase = "awaiting headers"
    try:
        with client.stream("GET", url, auth=auth, headers=headers) as resp:
            if resp.status_code != 200:
                raise RepoError(f"failed to fetch {url} : {resp.status_code} "
                                f"{resp.reason_phrase}")
            phase = "reading body"
            for chunk in resp.iter_bytes():
                if expired.is_set() or time.monotonic() > deadline:
                    raise TimeoutError
                sink.write(chunk)
                n += len(chunk)
    except RepoError:
        raise
    except httpx.TooManyRedirects:
        raise RepoError(f'Get "{url}": stopped after 10 redirects') from None
    except Exception as e:
        if expired.is_set() or isinstance(e, TimeoutError | httpx.TimeoutException):
            what = ("context deadline exceeded (Client.Timeout or context cancellation while "
                    "reading body)" if phase == "reading body" else
                    "context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
            raise RepoError(f'Get "{url}": {what}' if phase != "reading body" else what) \
                from None
        if isinstance(e, httpx.ConnectError):
            raise RepoError(f'Get "{url}": {_dial_error(u, e)}') from None
        if isinstance(e, httpx.HTTPError | OSError):
            raise RepoError(f'Get "{url}": {e or type(e).__name__}') from None
        raise
    finally:
        watchdog.cancel()
        client.close()
    return n
