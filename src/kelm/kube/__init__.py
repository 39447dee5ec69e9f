"""Kubernetes access: kubeconfig as kubectl reads it, and a REST client.

    from kelm.kube import Client, ConfigFlags, load_config
    client = Client(load_config(ConfigFlags(context="prod")))
    client.get("v1", "ConfigMap", "settings")

Names are imported on first use, so ``import kelm.kube`` stays cheap (httpx loads only when
a client first talks to a server).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kelm.kube.errors import (
    AlreadyExists,
    BadRequest,
    ConfigError,
    Conflict,
    Forbidden,
    Gone,
    Invalid,
    KubeError,
    MethodNotAllowed,
    NotFound,
    ServerError,
    TooManyRequests,
    Unauthorized,
    Unreachable,
)

if TYPE_CHECKING:
    from kelm.kube.auth import CredentialError
    from kelm.kube.client import Client
    from kelm.kube.config import ConfigFlags, ExecConfig, RestConfig, load_config, load_kubeconfig
    from kelm.kube.discovery import NoMatch, Resource

_LAZY = {
    "Client": "kelm.kube.client",
    "ConfigFlags": "kelm.kube.config", "RestConfig": "kelm.kube.config",
    "ExecConfig": "kelm.kube.config", "load_config": "kelm.kube.config",
    "load_kubeconfig": "kelm.kube.config",
    "Resource": "kelm.kube.discovery", "NoMatch": "kelm.kube.discovery",
    "CredentialError": "kelm.kube.auth",
}

__all__ = [
    "AlreadyExists", "BadRequest", "Client", "ConfigError", "ConfigFlags", "Conflict",
    "CredentialError", "ExecConfig", "Forbidden", "Gone", "Invalid", "KubeError",
    "MethodNotAllowed", "NoMatch", "NotFound", "Resource", "RestConfig", "ServerError",
    "TooManyRequests", "Unauthorized", "Unreachable", "load_config", "load_kubeconfig",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kelm.kube' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
