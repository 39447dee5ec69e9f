"""``Status`` failure bodies worded as the real API server words them."""

from __future__ import annotations

from typing import Any

from kelm.testing.registry import ResourceType


class ApiError(Exception):
    """An API failure: raised anywhere in request handling, written as a Status body."""

    def __init__(self, code: int, reason: str, message: str,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details

    def status(self) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": {},
                                "status": "Failure", "message": self.message}
        if self.reason:  # an error that is no API status has no reason (StatusReasonUnknown)
            body["reason"] = self.reason
        if self.details is not None:
            body["details"] = self.details
        body["code"] = self.code
        return body


def _details(t: ResourceType, name: str) -> dict[str, Any]:
    d: dict[str, Any] = {"name": name}
    if t.group:
        d["group"] = t.group
    d["kind"] = t.plural
    return d


def not_found(t: ResourceType, name: str) -> ApiError:
    return ApiError(404, "NotFound", f'{t.qualified} "{name}" not found', _details(t, name))


def already_exists(t: ResourceType, name: str) -> ApiError:
    return ApiError(409, "AlreadyExists", f'{t.qualified} "{name}" already exists',
                    _details(t, name))


def conflict(t: ResourceType, name: str, why: str) -> ApiError:
    return ApiError(409, "Conflict", f'Operation cannot be fulfilled on {t.qualified} "{name}": {why}',
                    _details(t, name))


STALE = "the object has been modified; please apply your changes to the latest version and try again"


def invalid(t: ResourceType, name: str, causes: list[tuple[str, str, str]]) -> ApiError:
    """422 from (field, reason, message) causes, e.g.
    ("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")."""
    text = ", ".join(f"{f}: {m}" if f else m for f, _, m in causes)
    if len(causes) > 1:
        text = "[" + text + "]"
    details = {"name": name, **({"group": t.group} if t.group else {}), "kind": t.kind,
               "causes": [{"reason": r, "message": m, "field": f} for f, r, m in causes]}
    return ApiError(422, "Invalid", f'{t.kind_qualified} "{name}" is invalid: {text}', details)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def path_not_found() -> ApiError:
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


def method_not_allowed() -> ApiError:
    return ApiError(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource", {})


def unsupported_media(content_type: str) -> ApiError:
    return ApiError(415, "UnsupportedMediaType",
                    'the body of the request was in an unknown format - accepted media types '
                    'include: application/json, application/yaml, '
                    'application/vnd.kubernetes.protobuf, application/cbor', {})


def too_large(limit: int) -> ApiError:
    return ApiError(413, "RequestEntityTooLarge", f"Request entity too large: limit is {limit}")


def gone(message: str) -> ApiError:
    return ApiError(410, "Expired", message)


def internal(message: str) -> ApiError:
    return ApiError(500, "InternalError", f"Internal error occurred: {message}",
                    {"causes": [{"message": message}]})


def forbidden_terminating(t: ResourceType, name: str, namespace: str) -> ApiError:
    return ApiError(403, "Forbidden",
                    f'{t.qualified} "{name}" is forbidden: unable to create new content in '
                    f'namespace {namespace} because it is being terminated', _details(t, name))


# The real server's wording for the failures a fault storm injects.
_INJECTED = {
    429: ("TooManyRequests", "the server has received too many requests and has asked us to try "
          "again later"),
    500: ("InternalError", "Internal error occurred: injected fault (kelm.testing)"),
    503: ("ServiceUnavailable", "the server is currently unable to handle the request"),
    504: ("Timeout", "the server was unable to return a response in the time allotted, but may "
          "still be processing the request"),
}


def injected(code: int) -> ApiError:
    reason, message = _INJECTED.get(code, ("InternalError", f"injected fault {code}"))
    details: dict[str, Any] = {"retryAfterSeconds": 1} if code in (429, 503, 504) else {}
    return ApiError(code, reason, message, details)
