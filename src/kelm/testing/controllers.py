"""The two controllers whose objects clients look for: a Deployment owns a ReplicaSet per pod
template (``<name>-<pod-template-hash>``, older ones scaled to 0), a ReplicaSet owns its Pods.
Helm's legacy waiter finds the new ReplicaSet this way; ``kubectl get pods`` and
``kubectl logs deploy/x`` find the Pods."""

from __future__ import annotations

import copy
import hashlib
import random
from typing import Any

from kelm.testing.api import Api, WriteOptions
from kelm.testing.errors import ApiError
from kelm.testing.registry import ResourceType

MANAGER = "kube-controller-manager"
_SAFE = "bcdfghjklmnpqrstvwxz2456789"  # the alphabet of generated name suffixes
_HASH_LABEL = "pod-template-hash"


def template_hash(template: Any) -> str:
    digest = hashlib.sha256(repr(template).encode()).digest()
    return "".join(_SAFE[b % len(_SAFE)] for b in digest[:10])


def _owner_ref(obj: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": obj["metadata"]["name"],
            "uid": obj["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}


def _owned_by(obj: dict[str, Any], owner: dict[str, Any]) -> bool:
    return any(r.get("uid") == owner["metadata"]["uid"] and r.get("controller")
               for r in obj.get("metadata", {}).get("ownerReferences") or [])


def _without_hash(template: Any) -> Any:
    t = copy.deepcopy(template) if isinstance(template, dict) else {}
    (t.get("metadata") or {}).get("labels", {}).pop(_HASH_LABEL, None)
    return t


class Controllers:
    """Called by the simulator's worker for Deployments and ReplicaSets."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self._opts = WriteOptions(field_manager=MANAGER, field_validation="Ignore")

    def _type(self, group: str, plural: str) -> ResourceType:
        t = self.api.registry.get(group, "v1", plural)
        assert t is not None
        return t

    def deployment(self, dep: dict[str, Any]) -> None:
        rs_t = self._type("apps", "replicasets")
        ns = dep["metadata"].get("namespace", "")
        spec = dep.get("spec") or {}
        template = spec.get("template") or {}
        h = template_hash(_without_hash(template))
        name = f'{dep["metadata"]["name"]}-{h}'
        owned = [rs for rs in self.api.store.objects(rs_t.store_key, ns) if _owned_by(rs, dep)]
        revision = 1 + max((int((rs["metadata"].get("annotations") or {}).get(
            "deployment.kubernetes.io/revision", "0") or 0) for rs in owned), default=0)
        current = next((rs for rs in owned if rs["metadata"]["name"] == name), None)
        replicas = spec.get("replicas", 1)
        for rs in owned:  # older templates scale down
            if rs["metadata"]["name"] != name and (rs.get("spec") or {}).get("replicas"):
                rs["spec"]["replicas"] = 0
                rs["metadata"].pop("resourceVersion", None)
                self.api.update(rs_t, ns, rs["metadata"]["name"], rs, self._opts)
        if current is None:
            tpl = copy.deepcopy(template)
            tpl.setdefault("metadata", {}).setdefault("labels", {})[_HASH_LABEL] = h
            selector = copy.deepcopy(spec.get("selector") or {})
            selector.setdefault("matchLabels", {})[_HASH_LABEL] = h
            labels = dict(tpl["metadata"].get("labels") or {})
            rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {
                "name": name, "namespace": ns, "labels": labels,
                "annotations": {"deployment.kubernetes.io/revision": str(revision)},
                "ownerReferences": [_owner_ref(dep)]},
                "spec": {"replicas": replicas, "selector": selector, "template": tpl}}
            try:
                self.api.create(rs_t, ns, rs, self._opts)
            except ApiError:
                return  # the deployment went away or the name is taken
            revision_of_dep = str(revision)
        else:
            revision_of_dep = (current["metadata"].get("annotations") or {}).get(
                "deployment.kubernetes.io/revision", "1")
            if (current.get("spec") or {}).get("replicas") != replicas:
                current["spec"]["replicas"] = replicas
                current["metadata"].pop("resourceVersion", None)
                self.api.update(rs_t, ns, name, current, self._opts)
        annotations = dep["metadata"].get("annotations") or {}
        if annotations.get("deployment.kubernetes.io/revision") != revision_of_dep:
            dep_t = self._type("apps", "deployments")
            fresh = self.api.store.get(dep_t.store_key, ns, dep["metadata"]["name"])
            if fresh is not None:
                fresh["metadata"].setdefault("annotations", {})[
                    "deployment.kubernetes.io/revision"] = revision_of_dep
                fresh["metadata"].pop("resourceVersion", None)
                self.api.update(dep_t, ns, dep["metadata"]["name"], fresh, self._opts)

    def replicaset(self, rs: dict[str, Any]) -> None:
        pod_t = self._type("", "pods")
        ns = rs["metadata"].get("namespace", "")
        want = (rs.get("spec") or {}).get("replicas", 1)
        # a whole float (replicas: 1.0 from YAML) counts as the integer; anything else as 1
        want = int(want) if isinstance(want, (int, float)) and float(want).is_integer() else 1
        pods = [p for p in self.api.store.objects(pod_t.store_key, ns)
                if _owned_by(p, rs) and not p["metadata"].get("deletionTimestamp")]
        for p in pods[want:]:
            try:
                self.api.delete(pod_t, ns, p["metadata"]["name"])
            except ApiError:
                pass
        template = (rs.get("spec") or {}).get("template") or {}
        for _ in range(max(0, want - len(pods))):
            meta = copy.deepcopy(template.get("metadata") or {})
            meta.pop("creationTimestamp", None)
            meta.update({"name": rs["metadata"]["name"] + "-" + "".join(random.choices(_SAFE, k=5)),
                         "namespace": ns, "ownerReferences": [_owner_ref(rs)]})
            pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
                   "spec": copy.deepcopy(template.get("spec") or {})}
            try:
                self.api.create(pod_t, ns, pod, self._opts)
            except ApiError:
                return
