"""AdmissionReview (admission.k8s.io/v1) handling, independent of the HTTP server.

Never blocks a pod on its own failure: a valid review always gets ``allowed: true``;
a body that is not an AdmissionReview gets an HTTP error with an error review, which the
API server treats per the webhook's failurePolicy (Ignore by default).
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from typing import Any

from kelm.presets.apply import APPLIED, CONFLICT, DEFAULT_NAMESPACE, apply_to_object
from kelm.presets.jsonpatch import diff
from kelm.presets.source import PresetSource

log = logging.getLogger("kelm.presets.webhook")

REVIEW_VERSIONS = ("admission.k8s.io/v1", "admission.k8s.io/v1beta1")
MAX_WARNING = 250


@dataclass(frozen=True)
class Reply:
    status: int  # HTTP status
    body: dict[str, Any]

    def encode(self) -> bytes:
        return json.dumps(self.body, separators=(",", ":")).encode()


def error_reply(status: int, message: str, uid: str = "", api_version: str = REVIEW_VERSIONS[0]) -> Reply:
    return Reply(
        status,
        {
            "apiVersion": api_version,
            "kind": "AdmissionReview",
            "response": {
                "uid": uid,
                "allowed": True,
                "status": {"code": status, "message": message},
            },
        },
    )


class AdmissionHandler:
    """Turns an AdmissionReview request body into a reply."""

    def __init__(self, source: PresetSource, *, default_namespace: str = DEFAULT_NAMESPACE):
        self.source = source
        self.default_namespace = default_namespace

    def handle(self, body: bytes) -> Reply:
        try:
            review = json.loads(body)
        except (ValueError, UnicodeDecodeError) as e:
            return error_reply(400, f"malformed AdmissionReview: not JSON ({e})")
        if not isinstance(review, dict) or review.get("kind") != "AdmissionReview":
            return error_reply(400, "malformed AdmissionReview: kind must be AdmissionReview")
        api_version = review.get("apiVersion")
        if api_version not in REVIEW_VERSIONS:
            return error_reply(400, f"unsupported AdmissionReview apiVersion {api_version!r}")
        request = review.get("request")
        if not isinstance(request, dict):
            request = {}
        uid = request.get("uid")
        if not isinstance(uid, str) or not uid:
            return error_reply(400, "malformed AdmissionReview: request.uid missing", "", api_version)
        response: dict[str, Any] = {"uid": uid, "allowed": True}
        try:
            self._review(request, response)
        except Exception as e:  # never block the pod on our own failure
            log.exception("review %s failed", uid)
            response.pop("patch", None)
            response.pop("patchType", None)
            response["warnings"] = [_trim(f"podpreset webhook error, pod admitted unchanged: {e}")]
        return Reply(200, {"apiVersion": api_version, "kind": "AdmissionReview", "response": response})

    def _review(self, request: dict[str, Any], response: dict[str, Any]) -> None:
        if request.get("operation") != "CREATE" or request.get("subResource"):
            return
        obj = request.get("object")
        if not isinstance(obj, dict):
            response["warnings"] = ["podpreset: request.object is not an object; nothing applied"]
            return
        meta = obj.get("metadata")
        if not isinstance(meta, dict):
            meta = {}
        namespace = request.get("namespace") or meta.get("namespace") or self.default_namespace
        new, reports = apply_to_object(
            self.source.presets(), obj, namespace=str(namespace), force_namespace=True
        )
        report = reports[0] if reports else None
        if report is None:
            return
        name = report.name or meta.get("generateName") or ""
        if report.status == APPLIED:
            patch = diff(obj, new)
            if patch:
                response["patchType"] = "JSONPatch"
                response["patch"] = base64.b64encode(
                    json.dumps(patch, separators=(",", ":")).encode()
                ).decode()
            log.info("%s %s/%s: applied %s", report.kind, namespace, name, ", ".join(report.applied))
        elif report.status == CONFLICT:
            log.warning(
                "%s %s/%s: %s: %s", report.kind, namespace, name, report.message,
                "; ".join(report.conflicts),
            )
            response["warnings"] = [_trim(f"podpreset: {report.message}")] + [
                _trim(c) for c in report.conflicts[:5]
            ]
        else:
            log.debug("%s %s/%s: %s", report.kind, namespace, name, report.status)


def _trim(text: str) -> str:
    return text if len(text) <= MAX_WARNING else text[: MAX_WARNING - 3] + "..."
