"""One bounded HTTP GET for the chart layers (``-f URL`` values, a schema's remote ``$ref``),
its failures in Go's net/http words (``Get "URL": dial tcp 127.0.0.1:1: connect: connection
refused``) so a dead or silent server gives Helm's one line instead of a hang or a trace."""

from __future__ import annotations


class HTTPGetError(Exception):
    """``str()``: Go's ``*url.Error`` text for the request."""


def http_get(url: str, timeout: float) -> tuple[int, str, bytes]:
    """``(status, reason, body)`` of ``GET url``; the whole exchange bounded by ``timeout``."""
    import httpx

    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=10) as client:
            resp = client.get(url, headers={"User-Agent": "Helm/4.1.4"})
    except httpx.TimeoutException as e:
        if isinstance(e, httpx.ConnectTimeout):
            raise HTTPGetError(f'Get "{url}": dial tcp {_hostport(url)}: i/o timeout') from None
        raise HTTPGetError(f'Get "{url}": context deadline exceeded (Client.Timeout exceeded '
                           "while awaiting headers)") from None
    except httpx.TooManyRedirects:
        raise HTTPGetError(f'Get "{url}": stopped after 10 redirects') from None
    except httpx.ConnectError as e:
        raise HTTPGetError(f'Get "{url}": {_dial_error(url, str(e))}') from None
    except (httpx.HTTPError, OSError) as e:
        raise HTTPGetError(f'Get "{url}": {e or type(e).__name__}') from None
    return resp.status_code, resp.reason_phrase, resp.content


def _hostport(url: str) -> str:
    from urllib.parse import urlsplit

    u = urlsplit(url)
    return f"{u.hostname or ''}:{u.port or (443 if u.scheme == 'https' else 80)}"


def _dial_error(url: str, text: str) -> str:
    """Go's net.Dial wording for the usual connection failures."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    low = text.lower()
    if "name or service not known" in low or "name resolution" in low or "nodename" in low:
        return f"dial tcp: lookup {host}: no such host"
    if "certificate verify failed" in low:
        return "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    if "refused" in low:
        return f"dial tcp {_hostport(url)}: connect: connection refused"
    if "unreachable" in low:
        return f"dial tcp {_hostport(url)}: connect: network is unreachable"
    return f"dial tcp {_hostport(url)}: {text}"


__all__ = ["HTTPGetError", "http_get"]
