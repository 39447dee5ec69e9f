"""Running a release's hooks for one event as Helm does: by weight, then name; an earlier
copy deleted first (``before-hook-creation``, the default policy); each hook created and,
for Jobs and Pods, waited on until it finishes; deleted afterwards per
``helm.sh/hook-delete-policy`` (``hook-succeeded``, ``hook-failed``)."""

from __future__ import annotations

import time
from typing import Any

from kelm.action.apply import ApplyError, delete_object, parse_objects


def _now() -> Any:
    from kelm.golang.time import now

    return now()


def _finished(obj: dict[str, Any]) -> str:
    """"Succeeded", "Failed" or "" (still running) for a Job or Pod."""
    status = obj.get("status") or {}
    if obj.get("kind") == "Pod":
        phase = status.get("phase", "")
        return phase if phase in ("Succeeded", "Failed") else ""
    for c in status.get("conditions") or ():
        if c.get("status") == "True" and c.get("type") in ("Complete", "Failed"):
            return "Succeeded" if c["type"] == "Complete" else "Failed"
    return ""


def _wait(client: Any, obj: dict[str, Any], namespace: str, deadline: float) -> str:
    meta = obj["metadata"]
    ns = meta.get("namespace") or namespace
    delay = 0.02
    while True:
        live = client.get(obj["apiVersion"], obj["kind"], meta["name"], ns)
        phase = _finished(live)
        if phase:
            return phase
        if time.monotonic() >= deadline:
            raise ApplyError(f"{obj['kind'].lower()} {meta['name']} timed out waiting for "
                             "the condition")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def run_hooks(client: Any, rel: Any, event: str, namespace: str, timeout: float) -> None:
    """Run the hooks of ``rel`` (a :class:`kelm.release.Release`) for ``event``; raises
    :class:`ApplyError` with Helm's message when one fails."""
    from kelm.kube import KubeError
    from kelm.release.model import HookExecution

    hooks = sorted((h for h in rel.hooks if event in h.events), key=lambda h: (h.weight, h.name))
    deadline = time.monotonic() + timeout
    for h in hooks:
        policies = h.delete_policies or ["before-hook-creation"]
        objs = parse_objects(h.manifest)
        if "before-hook-creation" in policies:
            for obj in objs:
                delete_object(client, obj, namespace, "Background")
        h.last_run = HookExecution(_now(), None, "Running")
        phase = "Succeeded"
        try:
            for obj in objs:
                client.create(obj, namespace=obj["metadata"].get("namespace") or namespace)
            for obj in objs:
                if obj.get("kind") in ("Job", "Pod"):
                    if _wait(client, obj, namespace, deadline) == "Failed":
                        phase = "Failed"
        except KubeError as e:
            h.last_run.phase, h.last_run.completed_at = "Failed", _now()
            raise ApplyError(f"warning: Hook {event} {h.path} failed: {e}") from None
        h.last_run.phase, h.last_run.completed_at = phase, _now()
        if phase == "Failed":
            if "hook-failed" in policies:
                for obj in objs:
                    delete_object(client, obj, namespace, "Foreground")
            kind = objs[0].get("kind", "").lower() if objs else ""
            raise ApplyError(f"{event} hook {h.path} failed: {kind} {h.name} failed")
    for h in hooks:
        if "hook-succeeded" in (h.delete_policies or ()):
            for obj in parse_objects(h.manifest):
                delete_object(client, obj, namespace, "Foreground")


__all__ = ["run_hooks"]
