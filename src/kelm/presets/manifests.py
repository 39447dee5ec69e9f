"""Manifests to install the preset machinery: the PodPreset CRD and the webhook wiring."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from kelm.presets.model import GROUP, KIND, VERSION

_LIST_OF_OBJECTS = {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}


def crd(group: str = GROUP) -> dict[str, Any]:
    """The PodPreset CustomResourceDefinition (apiextensions.k8s.io/v1).

    ``*.k8s.io`` groups are protected: the annotation marks this one as unapproved,
    which the API server accepts (with a non-conformance condition).
    """
    metadata: dict[str, Any] = {"name": f"podpresets.{group}"}
    if group == "k8s.io" or group.endswith(".k8s.io") or group.endswith(".kubernetes.io"):
        metadata["annotations"] = {
            "api-approved.kubernetes.io": "unapproved, re-creation of the removed "
            "settings.k8s.io/v1alpha1 PodPreset API by kelm"
        }
    selector = {
        "type": "object",
        "properties": {
            "matchLabels": {"type": "object", "additionalProperties": {"type": "string"}},
            "matchExpressions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "operator"],
                    "properties": {
                        "key": {"type": "string"},
                        "operator": {
                            "type": "string",
                            "enum": ["In", "NotIn", "Exists", "DoesNotExist"],
                        },
                        "values": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    }
    spec = {
        "type": "object",
        "properties": {
            "selector": selector,
            "env": _LIST_OF_OBJECTS,
            "envFrom": _LIST_OF_OBJECTS,
            "volumes": _LIST_OF_OBJECTS,
            "volumeMounts": _LIST_OF_OBJECTS,
        },
    }
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": metadata,
        "spec": {
            "group": group,
            "names": {
                "kind": KIND,
                "listKind": f"{KIND}List",
                "plural": "podpresets",
                "singular": "podpreset",
            },
            "scope": "Namespaced",
            "versions": [
                {
                    "name": VERSION,
                    "served": True,
                    "storage": True,
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "description": "PodPreset injects env, envFrom, volumes and "
                            "volumeMounts into pods whose labels match its selector.",
                            "properties": {
                                "apiVersion": {"type": "string"},
                                "kind": {"type": "string"},
                                "metadata": {"type": "object"},
                                "spec": spec,
                            },
                        }
                    },
                }
            ],
        },
    }


@dataclass(frozen=True)
class WebhookInstall:
    name: str = "kelm-podpreset"
    namespace: str = "kelm-system"
    service_port: int = 443
    target_port: int = 8443
    failure_policy: str = "Ignore"
    timeout_seconds: int = 5
    path: str = "/mutate"


def webhook_manifests(opts: WebhookInstall, ca_cert: bytes, cert: bytes, key: bytes) -> list[dict[str, Any]]:
    """MutatingWebhookConfiguration, Service and TLS Secret for ``kelm preset serve``.

    The rules mirror the original plugin: CREATE of core v1 pods, no subresources.
    """
    b64 = lambda data: base64.b64encode(data).decode()  # noqa: E731
    labels = {"app.kubernetes.io/name": opts.name, "app.kubernetes.io/managed-by": "kelm"}
    config = {
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "MutatingWebhookConfiguration",
        "metadata": {"name": opts.name, "labels": labels},
        "webhooks": [
            {
                "name": "podpreset.kelm.io",
                "admissionReviewVersions": ["v1"],
                "clientConfig": {
                    "service": {
                        "name": opts.name,
                        "namespace": opts.namespace,
                        "path": opts.path,
                        "port": opts.service_port,
                    },
                    "caBundle": b64(ca_cert),
                },
                "rules": [
                    {
                        "operations": ["CREATE"],
                        "apiGroups": [""],
                        "apiVersions": ["v1"],
                        "resources": ["pods"],
                        "scope": "Namespaced",
                    }
                ],
                "failurePolicy": opts.failure_policy,
                "sideEffects": "None",
                "reinvocationPolicy": "IfNeeded",
                "timeoutSeconds": opts.timeout_seconds,
                "namespaceSelector": {
                    "matchExpressions": [
                        {
                            "key": "kubernetes.io/metadata.name",
                            "operator": "NotIn",
                            "values": [opts.namespace],
                        }
                    ]
                },
            }
        ],
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": opts.name, "namespace": opts.namespace, "labels": labels},
        "spec": {
            "selector": {"app.kubernetes.io/name": opts.name},
            "ports": [
                {
                    "name": "https",
                    "port": opts.service_port,
                    "targetPort": opts.target_port,
                    "protocol": "TCP",
                }
            ],
        },
    }
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": f"{opts.name}-tls", "namespace": opts.namespace, "labels": labels},
        "type": "kubernetes.io/tls",
        "data": {"ca.crt": b64(ca_cert), "tls.crt": b64(cert), "tls.key": b64(key)},
    }
    return [config, service, secret]
