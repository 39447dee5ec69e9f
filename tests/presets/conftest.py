"""Builders for presets and pods used across the preset tests."""

from __future__ import annotations

from typing import Any

import pytest
import yaml


def y(text: str) -> Any:
    return yaml.safe_load(text)


def preset(name: str, spec: str | dict[str, Any], *, ns: str | None = "shop", rv: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if ns is not None:
        meta["namespace"] = ns
    if rv is not None:
        meta["resourceVersion"] = rv
    return {
        "apiVersion": "settings.k8s.io/v1alpha1",
        "kind": "PodPreset",
        "metadata": meta,
        "spec": y(spec) if isinstance(spec, str) else spec,
    }


ALLOW_DATABASE = """
selector: {matchLabels: {role: frontend}}
env: [{name: DB_PORT, value: "6379"}]
volumeMounts: [{name: cache-volume, mountPath: /cache}]
volumes: [{name: cache-volume, emptyDir: {}}]
"""


@pytest.fixture
def allow_database() -> dict[str, Any]:
    """Section 6.1 of the behaviour guide."""
    return preset("allow-database", ALLOW_DATABASE, rv="101")


@pytest.fixture
def website() -> dict[str, Any]:
    return y(
        """
apiVersion: v1
kind: Pod
metadata:
  name: website
  namespace: shop
  labels: {app: website, role: frontend}
spec:
  containers:
  - name: website
    image: nginx
    ports: [{containerPort: 80}]
"""
    )
