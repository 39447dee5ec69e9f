"""Typed Kubernetes API errors.

``str(error)`` is the line kubectl and Helm print: the server's ``Status`` message when the
server sent one, else client-go's wording for the HTTP code, else (no answer at all) the
request and what failed, e.g. ``Get "https://127.0.0.1:6443/version": dial tcp ...``.
"""

from __future__ import annotations

from typing import Any


class KubeError(Exception):
    """An API request that failed; ``code`` is the HTTP status (0 when none came back)."""

    code = 0

    def __init__(self, message: str, code: int | None = None, reason: str = "",
                 status: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.reason = reason
        self.status = status or {}

    def __str__(self) -> str:
        return self.message


class BadRequest(KubeError):
    code = 400


class Unauthorized(KubeError):
    code = 401


class Forbidden(KubeError):
    code = 403


class NotFound(KubeError):
    code = 404


class MethodNotAllowed(KubeError):
    code = 405


class Conflict(KubeError):
    """409: a stale resourceVersion (AlreadyExists is the other 409)."""

    code = 409


class AlreadyExists(Conflict):
    pass


class Gone(KubeError):
    """410: the requested resourceVersion is too old (a watch must re-list)."""

    code = 410


class Invalid(KubeError):
    code = 422


class TooManyRequests(KubeError):
    code = 429


class ServerError(KubeError):
    """5xx."""

    code = 500


class Unreachable(KubeError):
    """No HTTP answer: connection refused, TLS failure, timeout, dropped connection."""

    code = 0


class ConfigError(KubeError):
    """A kubeconfig or flag combination that cannot be used."""

    code = 0


# client-go's messages when the body of an error answer is not a Status
_GENERIC = {
    400: ("BadRequest", "the server rejected our request for an unknown reason"),
    401: ("Unauthorized", "the server has asked for the client to provide credentials"),
    403: ("Forbidden", "the server does not allow access to the requested resource"),
    404: ("NotFound", "the server could not find the requested resource"),
    405: ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
    406: ("NotAcceptable",
          "the server was unable to respond with a content type that the client supports"),
    409: ("Conflict", "the server reported a conflict"),
    410: ("Gone", "the server has asked for the client to retry the request"),
    415: ("UnsupportedMediaType",
          "the server does not support the content type sent by the client"),
    422: ("Invalid", "the server rejected our request due to an error in our request"),
    429: ("TooManyRequests",
          "the server has received too many requests and has asked us to try again later"),
    503: ("ServiceUnavailable", "the server is currently unable to handle the request"),
    504: ("Timeout", "the server was unable to return a response in the time allotted, "
                     "but may still be processing the request"),
}


def _class_for(code: int, reason: str) -> type[KubeError]:
    if code == 409:
        return AlreadyExists if reason == "AlreadyExists" else Conflict
    if code >= 500:
        return ServerError
    return {400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound,
            405: MethodNotAllowed, 410: Gone, 422: Invalid,
            429: TooManyRequests}.get(code, KubeError)


def error_from_status(status: dict[str, Any], code: int | None = None) -> KubeError:
    """The typed error for a ``Status`` object (from a response body or a watch ERROR event)."""
    code = int(status.get("code") or code or 500)
    reason = str(status.get("reason") or "")
    message = str(status.get("message") or "") or _GENERIC.get(code, ("", ""))[1]
    if not message:
        message = f"an error on the server ({reason or 'unknown'}) has prevented the request from succeeding"
    return _class_for(code, reason)(message, code, reason, status)


def error_from_response(code: int, body: bytes, content_type: str = "") -> KubeError:
    """The typed error for an HTTP error answer, as client-go words it."""
    if "json" in content_type or body[:1] == b"{":
        import json

        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get("kind") == "Status":
            return error_from_status(data, code)
    reason, message = _GENERIC.get(code, ("", ""))
    text = body.decode("utf-8", "replace").strip()
    if code >= 500 and code not in (503, 504) or not message:
        shown = text if text and len(text) < 1024 else "unknown"
        message = f"an error on the server ({_go_quote(shown)}) has prevented the request from succeeding"
        reason = reason or "InternalError"
    return _class_for(code, reason)(message, code, reason, {})


def _go_quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
