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
    auth = None
    if creds.username or creds.password:
        if creds.pass_credentials_all or not creds.repo_url or _same_host(url, creds.repo_url):
            auth = (creds.username, creds.password)
    headers = {"User-Agent": "Helm/4.1.4"}
    if accept:
        headers["Accept"] = accept
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


def _dial_error(u: object, err: Exception) -> str:
    """Go's net.Dial wording for the usual connection failures."""
    import socket

    text = str(err)
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
