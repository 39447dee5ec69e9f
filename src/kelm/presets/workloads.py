"""Where the pod template lives in each workload kind.

The original plugin mutated Pods only; kelm also applies presets to the pod templates of
workload controllers, so rendered manifests already carry the injection.
"""

from __future__ import annotations

from typing import Any

# kind -> path from the object root to the pod (metadata + spec); () is the object itself.
POD_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "PodTemplate": ("template",),
    "Deployment": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "Job": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}


def pod_path(obj: Any) -> tuple[str, ...] | None:
    """Path to the pod (template) inside ``obj``, or None for kinds without one."""
    if not isinstance(obj, dict):
        return None
    return POD_PATHS.get(str(obj.get("kind")))


def resolve(obj: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    """The mapping at ``path`` (None when missing or not a mapping)."""
    node: Any = obj
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def is_list(obj: Any) -> bool:
    kind = obj.get("kind") if isinstance(obj, dict) else None
    return isinstance(kind, str) and kind.endswith("List") and isinstance(obj.get("items"), list)
