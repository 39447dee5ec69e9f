"""An in-process Kubernetes API emulator for tests (like moto for AWS).

    with kelm.testing.cluster() as c:
        subprocess.run(["kubectl", "--kubeconfig", c.kubeconfig_path, "apply", "-f", "app.yaml"])
        assert c.get("Deployment", "web")["status"]["availableReplicas"] == 1

It speaks the Kubernetes REST protocol (discovery, OpenAPI, CRUD, patches, server-side apply,
watch) on 127.0.0.1 and simulates controller status. It is not a cluster: nothing runs.
See docs/testing.md for what it does and does not do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kelm.testing.emulator import Cluster, cluster

__all__ = ["Cluster", "cluster"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import importlib

        return getattr(importlib.import_module("kelm.testing.emulator"), name)
    raise AttributeError(name)
