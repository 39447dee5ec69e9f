"""Is an object ready?  Pure functions over an object as the API server returns it.

Two rule sets, as Helm v4 has them:

* :func:`compute` — kstatus semantics (Helm's default ``--wait=watcher``): a status of
  ``Current``, ``InProgress``, ``Failed`` or ``Terminating`` with a message saying why,
  worded as kstatus words it (Helm prints these messages when a wait times out).
  ``wait_for_jobs`` swaps in Helm's Job rule (a Job is current only once complete);
  :func:`hook_readiness` is the rule for hooks (Jobs and Pods run to the end, anything else
  is ready once it exists).
* :func:`legacy` — Helm 3's ``--wait`` (``--wait=legacy``): ready or not, with the related
  objects (a Deployment's newest ReplicaSet, the Pods of a ReplicaSet) passed in by the caller.

Nothing here talks to a server, so every rule is testable offline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

CURRENT = "Current"
IN_PROGRESS = "InProgress"
FAILED = "Failed"
TERMINATING = "Terminating"
NOT_FOUND = "NotFound"
UNKNOWN = "Unknown"

_MAX_INT32 = 2**31 - 1


@dataclass(frozen=True)
class Readiness:
    """``status`` is kstatus' word for it; ``reason`` says why (not) ready."""

    status: str
    reason: str
    attrs: tuple[tuple[str, Any], ...] | None = None  # legacy: what Helm logs with reason

    @property
    def ready(self) -> bool:
        return self.status == CURRENT

    def explain(self) -> str:
        """The reason with its figures (``readyPods=0, totalPods=1``), for people."""
        extra = [f"{k}={v}" for k, v in self.attrs or () if k not in ("namespace", "name")]
        return f"{self.reason} ({', '.join(extra)})" if extra else self.reason


def _current(reason: str) -> Readiness:
    return Readiness(CURRENT, reason)


def _progress(reason: str) -> Readiness:
    return Readiness(IN_PROGRESS, reason)


def _failed(reason: str) -> Readiness:
    return Readiness(FAILED, reason)


# -- field access as kstatus reads unstructured objects ------------------------------------
def _field(obj: dict[str, Any], path: str) -> Any:
    cur: Any = obj
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _int(obj: dict[str, Any], path: str, default: int) -> int:
    v = _field(obj, path)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return default
    return int(v)


def _str(obj: dict[str, Any], path: str, default: str) -> str:
    v = _field(obj, path)
    return v if isinstance(v, str) else default


def _conditions(obj: dict[str, Any]) -> list[dict[str, Any]]:
    conds = _field(obj, "status.conditions")
    if not isinstance(conds, list):
        return []
    return [c for c in conds if isinstance(c, dict)]


def _has_condition(obj: dict[str, Any], typ: str, status: str) -> bool:
    return any(c.get("type") == typ and c.get("status") == status for c in _conditions(obj))


def _group(obj: dict[str, Any]) -> str:
    api_version = str(obj.get("apiVersion") or "")
    return api_version.rpartition("/")[0] if "/" in api_version else ""


def _kind(obj: dict[str, Any]) -> str:
    return str(obj.get("kind") or "")


# -- kstatus ---------------------------------------------------------------------------
def _generic(obj: dict[str, Any]) -> Readiness | None:
    """What holds for every kind: deletion, an unobserved generation, Reconciling/Stalled."""
    if _str(obj, "metadata.deletionTimestamp", ""):
        return Readiness(TERMINATING, "Resource scheduled for deletion")
    gen = _field(obj, "metadata.generation")
    observed = _field(obj, "status.observedGeneration")
    if isinstance(gen, int) and isinstance(observed, int) and gen != observed:
        return _progress(f"{_kind(obj)} generation is {gen}, but latest observed generation "
                         f"is {observed}")
    for c in _conditions(obj):
        if c.get("type") == "Reconciling" and c.get("status") == "True":
            return _progress(str(c.get("message") or ""))
        if c.get("type") == "Stalled" and c.get("status") == "True":
            return _failed(str(c.get("message") or ""))
    return None


def _short(checks: Iterable[tuple[int, int, str]]) -> Readiness | None:
    """The first count that falls short (``want > have``), in kstatus' order and words:
    ``"Ready"`` reads ``Ready: have/want``, ``"-Pending termination"`` reads
    ``Pending termination: have-want`` (more than wanted)."""
    for want, have, label in checks:
        if want > have:
            if label.startswith("-"):
                return _progress(f"{label[1:]}: {want - have}")
            return _progress(f"{label}: {have}/{want}")
    return None


def _deployment(obj: dict[str, Any]) -> Readiness:
    progressing = _int(obj, "spec.progressDeadlineSeconds", _MAX_INT32) == _MAX_INT32
    available = False
    for c in _conditions(obj):
        if c.get("type") == "Progressing":
            if c.get("reason") == "ProgressDeadlineExceeded":
                return _failed("Progress deadline exceeded")
            if c.get("status") == "True" and c.get("reason") == "NewReplicaSetAvailable":
                progressing = True
        elif c.get("type") == "Available" and c.get("status") == "True":
            available = True
    spec = _int(obj, "spec.replicas", 1)
    replicas = _int(obj, "status.replicas", 0)
    updated = _int(obj, "status.updatedReplicas", 0)
    ready = _int(obj, "status.readyReplicas", 0)
    avail = _int(obj, "status.availableReplicas", 0)
    short = _short([(spec, replicas, "Replicas"), (spec, updated, "Updated"),
                    (replicas, spec, "-Pending termination"), (updated, avail, "Available"),
                    (spec, ready, "Ready")])
    if short is not None:
        return short
    if not progressing:
        return _progress("ReplicaSet not Available")
    if not available:
        return _progress("Deployment not Available")
    return _current(f"Deployment is available. Replicas: {replicas}")


def _replicaset(obj: dict[str, Any]) -> Readiness:
    if _has_condition(obj, "ReplicaFailure", "True"):
        return _progress("Replica Failure condition. Check Pods")
    spec = _int(obj, "spec.replicas", 1)
    replicas = _int(obj, "status.replicas", 0)
    ready = _int(obj, "status.readyReplicas", 0)
    avail = _int(obj, "status.availableReplicas", 0)
    labelled = _int(obj, "status.fullyLabeledReplicas", 0)
    short = _short([(spec, labelled, "Labelled"), (spec, avail, "Available"),
                    (spec, ready, "Ready"), (replicas, spec, "-Pending termination")])
    return short or _current(f"ReplicaSet is available. Replicas: {replicas}")


def _statefulset(obj: dict[str, Any]) -> Readiness:
    if _str(obj, "spec.updateStrategy.type", "") == "OnDelete":
        return _current("StatefulSet is using the ondelete update strategy")
    spec = _int(obj, "spec.replicas", 1)
    ready = _int(obj, "status.readyReplicas", 0)
    current = _int(obj, "status.currentReplicas", 0)
    updated = _int(obj, "status.updatedReplicas", 0)
    replicas = _int(obj, "status.replicas", 0)
    partition = _int(obj, "spec.updateStrategy.rollingUpdate.partition", -1)
    short = _short([(spec, replicas, "Replicas"), (spec, ready, "Ready"),
                    (replicas, spec, "-Pending termination")])
    if short is not None:
        return short
    if partition != -1:
        if updated < spec - partition:
            return _progress(f"updated: {updated}/{spec - partition}")
        return _current(f"Partition rollout complete. updated: {updated}")
    if spec > current:
        return _progress(f"current: {current}/{spec}")
    if _str(obj, "status.currentRevision", "") != _str(obj, "status.updateRevision", ""):
        return _progress("Waiting for updated revision to match current")
    return _current(f"All replicas scheduled as expected. Replicas: {replicas}")


def _daemonset(obj: dict[str, Any]) -> Readiness:
    # the controller always writes these two: until it has, it has not acted
    if not isinstance(_field(obj, "metadata.generation"), int):
        return _progress(f"{_kind(obj)} metadata.generation not found")
    if not isinstance(_field(obj, "status.observedGeneration"), int):
        return _progress(f"{_kind(obj)} status.observedGeneration not found")
    desired = _int(obj, "status.desiredNumberScheduled", -1)
    current = _int(obj, "status.currentNumberScheduled", 0)
    updated = _int(obj, "status.updatedNumberScheduled", 0)
    avail = _int(obj, "status.numberAvailable", 0)
    ready = _int(obj, "status.numberReady", 0)
    if desired == -1:
        return _progress("Missing .status.desiredNumberScheduled")
    short = _short([(desired, current, "Current"), (desired, updated, "Updated"),
                    (desired, avail, "Available"), (desired, ready, "Ready")])
    return short or _current(f"All replicas scheduled as expected. Replicas: {desired}")


def _pvc(obj: dict[str, Any]) -> Readiness:
    phase = _str(obj, "status.phase", "unknown")
    if phase != "Bound":
        return _progress(f"PVC is not Bound. phase: {phase}")
    return _current("PVC is Bound")


def _crash_looping(obj: dict[str, Any]) -> list[str]:
    names = []
    for cs in _field(obj, "status.containerStatuses") or ():
        if not isinstance(cs, dict) or "name" not in cs:
            continue
        waiting = (cs.get("state") or {}).get("waiting")
        if isinstance(waiting, dict) and waiting.get("reason") == "CrashLoopBackOff":
            names.append(str(cs["name"]))
    return names


def _pod(obj: dict[str, Any]) -> Readiness:
    phase = _str(obj, "status.phase", "")
    if phase == "Succeeded":
        return _current("Pod has completed successfully")
    if phase == "Failed":
        return _current("Pod has completed, but not successfully")
    if phase == "Running":
        if _has_condition(obj, "Ready", "True"):
            return _current("Pod is Ready")
        looping = _crash_looping(obj)
        if looping:
            return _failed(f"Containers in CrashLoop state: {','.join(looping)}")
        return _progress("Pod is running but is not Ready")
    if phase == "Pending":
        unschedulable = any(c.get("type") == "PodScheduled" and c.get("status") == "False"
                            and c.get("reason") == "Unschedulable" for c in _conditions(obj))
        if unschedulable:
            return _progress("Pod has not been scheduled")
        return _progress("Pod is in the Pending phase")
    if phase == "":
        return _progress("Pod phase not available")
    return Readiness(UNKNOWN, f"unknown phase {phase}")


def _job_counts(obj: dict[str, Any]) -> tuple[int, int, int]:
    parallelism = _int(obj, "spec.parallelism", 1)
    return (_int(obj, "spec.completions", parallelism), _int(obj, "status.succeeded", 0),
            _int(obj, "status.failed", 0))


def _job_finished(obj: dict[str, Any]) -> Readiness | None:
    """A Job's first ``Complete`` or ``Failed`` condition that is true (None: neither)."""
    completions, succeeded, failed = _job_counts(obj)
    for c in _conditions(obj):
        if c.get("type") == "Complete" and c.get("status") == "True":
            return _current(f"Job Completed. succeeded: {succeeded}/{completions}")
        if c.get("type") == "Failed" and c.get("status") == "True":
            return _failed(f"Job Failed. failed: {failed}/{completions}")
    return None


def _job(obj: dict[str, Any]) -> Readiness:
    """kstatus' Job: current as soon as it runs (``--wait`` without ``--wait-for-jobs``)."""
    finished = _job_finished(obj)
    if finished is not None:
        return finished
    if not _str(obj, "status.startTime", ""):
        return _progress("Job not started")
    _, succeeded, failed = _job_counts(obj)
    active = _int(obj, "status.active", 0)
    return _current(f"Job in progress. success:{succeeded}, active: {active}, failed: {failed}")


def _job_to_completion(obj: dict[str, Any]) -> Readiness:
    """Helm's Job rule for ``--wait-for-jobs`` and hooks: current only once complete."""
    finished = _job_finished(obj)
    return finished if finished is not None else _progress("Job in progress")


def _pod_to_completion(obj: dict[str, Any]) -> Readiness:
    """Helm's Pod rule for hooks: current once succeeded, failed once failed."""
    name = _str(obj, "metadata.name", "")
    phase = _str(obj, "status.phase", "")
    if phase == "Succeeded":
        return _current(f"pod {name} succeeded")
    if phase == "Failed":
        return _failed(f"pod {name} failed")
    return _progress("Pod in progress")


def _service(obj: dict[str, Any]) -> Readiness:
    if _str(obj, "spec.type", "ClusterIP") == "LoadBalancer" and \
            not _str(obj, "spec.clusterIP", ""):
        return _progress("ClusterIP not set. Service type: LoadBalancer")
    return _current("Service is ready")


def _crd(obj: dict[str, Any]) -> Readiness:
    for c in _conditions(obj):
        if c.get("type") == "NamesAccepted" and c.get("status") == "False":
            return _failed(str(c.get("message") or ""))
        if c.get("type") == "Established":
            if c.get("status") == "False" and c.get("reason") != "Installing":
                return _failed(str(c.get("message") or ""))
            if c.get("status") == "True":
                return _current("CRD is established")
    return _progress("Install in progress")


def _always(_obj: dict[str, Any]) -> Readiness:
    return _current("Resource is always ready")


_KSTATUS = {
    "Service": _service, "Pod": _pod, "Secret": _always, "PersistentVolumeClaim": _pvc,
    "ConfigMap": _always,
    "apps/StatefulSet": _statefulset, "apps/DaemonSet": _daemonset,
    "extensions/DaemonSet": _daemonset, "apps/Deployment": _deployment,
    "extensions/Deployment": _deployment, "apps/ReplicaSet": _replicaset,
    "extensions/ReplicaSet": _replicaset, "batch/CronJob": _always, "batch/Job": _job,
    "policy/PodDisruptionBudget": lambda _o: _current("AllowedDisruptions has been computed."),
    "apiextensions.k8s.io/CustomResourceDefinition": _crd,
}


def _group_kind(obj: dict[str, Any]) -> str:
    group = _group(obj)
    return f"{group}/{_kind(obj)}" if group else _kind(obj)


def _ready_condition(obj: dict[str, Any]) -> Readiness | None:
    for c in _conditions(obj):
        if c.get("type") != "Ready":
            continue
        if c.get("status") == "True":
            return _current("Resource is Ready")
        if c.get("status") in ("False", "Unknown"):
            return _progress(str(c.get("message") or ""))
    return None


def compute(obj: dict[str, Any], *, wait_for_jobs: bool = False) -> Readiness:
    """kstatus' verdict on ``obj``: built-in kinds by their own rules, anything else by its
    ``Ready`` condition, current once it exists when it has none."""
    key = _group_kind(obj)
    if wait_for_jobs and key == "batch/Job":
        return _job_to_completion(obj)  # Helm's reader replaces kstatus' (no generic checks)
    generic = _generic(obj)
    if generic is not None:
        return generic
    rule = _KSTATUS.get(key)
    if rule is not None:
        return rule(obj)
    return _ready_condition(obj) or _current("Resource is current")


def hook_readiness(obj: dict[str, Any]) -> Readiness:
    """Helm's rule while it waits for a hook: Jobs and Pods until they finish, any other
    hook object as soon as it exists."""
    key = _group_kind(obj)
    if key == "batch/Job":
        return _job_to_completion(obj)
    if key == "Pod":
        return _pod_to_completion(obj)
    return _current("Resource is current")


def not_found() -> Readiness:
    return Readiness(NOT_FOUND, "Resource not found")


# -- Helm 3's --wait (legacy) ------------------------------------------------------------
def _legacy_pod_ready(pod: dict[str, Any]) -> bool:
    return _has_condition(pod, "Ready", "True")


def _generation_observed(obj: dict[str, Any]) -> bool:
    return _int(obj, "status.observedGeneration", 0) == _int(obj, "metadata.generation", 0)


def _scaled(value: Any, total: int, round_up: bool) -> int:
    """An int-or-percent as Kubernetes resolves it against ``total``."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.endswith("%"):
        try:
            pct = int(value[:-1])
        except ValueError:
            return 0
        exact = pct * total / 100
        return math.ceil(exact) if round_up else math.floor(exact)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return 0
    return 0


def max_unavailable(dep: dict[str, Any]) -> int:
    """The Deployment controller's maxUnavailable (``25%`` by default, rounded down; one
    when both it and maxSurge come to zero; never more than the replicas)."""
    replicas = _int(dep, "spec.replicas", 1)
    strategy = _field(dep, "spec.strategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate" or replicas == 0:
        return 0
    rolling = strategy.get("rollingUpdate") or {}
    surge = _scaled(rolling.get("maxSurge", "25%"), replicas, True)
    unavailable = _scaled(rolling.get("maxUnavailable", "25%"), replicas, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return min(unavailable, replicas)


def _strip_hash(template: Any) -> Any:
    if not isinstance(template, dict):
        return template
    out = dict(template)
    meta = dict(out.get("metadata") or {})
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k != "pod-template-hash"}
    if labels:
        meta["labels"] = labels
    else:
        meta.pop("labels", None)
    out["metadata"] = meta
    return out


def new_replicaset(dep: dict[str, Any],
                   replicasets: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The Deployment's current ReplicaSet: one it controls whose pod template is the
    Deployment's (the ``pod-template-hash`` label aside), the oldest when several match."""
    uid = _str(dep, "metadata.uid", "")
    want = _strip_hash(_field(dep, "spec.template"))
    owned = [rs for rs in replicasets
             if any(r.get("controller") and (not uid or r.get("uid") == uid)
                    and r.get("kind") == "Deployment"
                    and r.get("name") == _str(dep, "metadata.name", "")
                    for r in (_field(rs, "metadata.ownerReferences") or ()))]
    owned.sort(key=lambda rs: (_str(rs, "metadata.creationTimestamp", ""),
                               _str(rs, "metadata.name", "")))
    for rs in owned:
        if _strip_hash(_field(rs, "spec.template")) == want:
            return rs
    return None


class _Legacy:
    """Helm 3's verdicts on one object, each with the debug line Helm logs for it: the
    message and its attributes (namespace and name first)."""

    def __init__(self, obj: dict[str, Any]) -> None:
        self.ns = _str(obj, "metadata.namespace", "")
        self.name = _str(obj, "metadata.name", "")

    def _attrs(self, extra: tuple[tuple[str, Any], ...],
               name: str | None = None) -> tuple[tuple[str, Any], ...]:
        return (("namespace", self.ns), ("name", self.name if name is None else name), *extra)

    def ok(self, msg: str, *extra: tuple[str, Any]) -> Readiness:
        return Readiness(CURRENT, msg, self._attrs(extra))

    def wait(self, msg: str, *extra: tuple[str, Any], name: str | None = None) -> Readiness:
        return Readiness(IN_PROGRESS, msg, self._attrs(extra, name))

    def failed(self, msg: str, *extra: tuple[str, Any]) -> Readiness:
        return Readiness(FAILED, msg, self._attrs(extra))

    def enough(self, kind: str, pods: str, ready: int, expected: int) -> Readiness:
        """Helm 3's last check of a workload: enough of its Pods ready."""
        counts = (("readyPods", ready), ("totalPods", expected))
        if ready < expected:
            return self.wait(f"{kind} does not have enough {pods} ready", *counts)
        return self.ok(f"{kind} is ready", *counts)


_QUIET = Readiness(CURRENT, "Resource is ready")  # kinds Helm 3 does not check (or log)
_GEN_WORDS = "observedGeneration doest not match spec generation"  # sic, as Helm logs it


def _generation(obj: dict[str, Any]) -> tuple[tuple[str, Any], tuple[str, Any]]:
    return (("actualGeneration", _int(obj, "status.observedGeneration", 0)),
            ("expectedGeneration", _int(obj, "metadata.generation", 0)))


def legacy(obj: dict[str, Any], *, wait_for_jobs: bool = False,
           replicaset: dict[str, Any] | None = None,
           pods: Iterable[dict[str, Any]] = ()) -> Readiness:
    """Helm 3's readiness: ``replicaset`` is a Deployment's new ReplicaSet (see
    :func:`new_replicaset`), ``pods`` those a ReplicaSet or ReplicationController selects.
    ``reason`` is the message Helm logs at ``--debug``, ``attrs`` its attributes."""
    key = _group_kind(obj)
    v = _Legacy(obj)
    if key == "Pod":
        return _QUIET if _legacy_pod_ready(obj) else v.wait("Pod is not ready")
    if key == "batch/Job":
        if not wait_for_jobs:
            return _QUIET
        if _int(obj, "status.failed", 0) > _int(obj, "spec.backoffLimit", 6):
            return v.failed("Job is failed")
        completions = _field(obj, "spec.completions")
        if isinstance(completions, int) and _int(obj, "status.succeeded", 0) < completions:
            return v.wait("Job is not completed")
        return v.ok("Job is completed")
    if key in ("apps/Deployment", "extensions/Deployment"):
        return _legacy_deployment(obj, replicaset, v)
    if key == "PersistentVolumeClaim":
        phase = _str(obj, "status.phase", "")
        if phase != "Bound":
            return v.wait("PersistentVolumeClaim is not bound")
        return v.ok("PersistentVolumeClaim is bound", ("phase", phase))
    if key == "Service":
        return _legacy_service(obj, v)
    if key in ("apps/DaemonSet", "extensions/DaemonSet"):
        return _legacy_daemonset(obj, v)
    if key == "apiextensions.k8s.io/CustomResourceDefinition":
        for c in _conditions(obj):
            if (c.get("type") == "Established" and c.get("status") == "True") or \
                    (c.get("type") == "NamesAccepted" and c.get("status") == "False"):
                return _QUIET
        return Readiness(IN_PROGRESS, "CustomResourceDefinition is not established")
    if key == "apps/StatefulSet":
        return _legacy_statefulset(obj, v)
    if key in ("ReplicationController", "apps/ReplicaSet", "extensions/ReplicaSet"):
        if not _generation_observed(obj):
            return v.wait(f"{_kind(obj)} is not ready, {_GEN_WORDS}", *_generation(obj))
        for p in pods:
            if not _legacy_pod_ready(p):
                return v.wait("Pod is not ready", name=_str(p, "metadata.name", ""))
        return _QUIET
    return _QUIET


def _legacy_deployment(dep: dict[str, Any], rs: dict[str, Any] | None,
                       v: _Legacy) -> Readiness:
    if _field(dep, "spec.paused") is True:
        return _QUIET  # Helm 3 counts a paused Deployment as ready
    if rs is None:
        return Readiness(IN_PROGRESS, "Deployment has no new ReplicaSet")
    if not _generation_observed(rs):
        return Readiness(IN_PROGRESS, f"ReplicaSet is not ready, {_GEN_WORDS}",
                         (("namespace", _str(rs, "metadata.namespace", "")),
                          ("name", _str(rs, "metadata.name", "")), *_generation(rs)))
    if not _generation_observed(dep):
        return v.wait("Deployment is not ready, observedGeneration does not match spec "
                      "generation", *_generation(dep))
    expected = _int(dep, "spec.replicas", 1) - max_unavailable(dep)
    return v.enough("Deployment", "pods", _int(rs, "status.readyReplicas", 0), expected)


def _legacy_service(svc: dict[str, Any], v: _Legacy) -> Readiness:
    typ = _str(svc, "spec.type", "ClusterIP")
    if typ == "ExternalName":
        return _QUIET
    cluster_ip = _str(svc, "spec.clusterIP", "")
    if not cluster_ip:
        return v.wait("Service does not have cluster IP address")
    external = _field(svc, "spec.externalIPs") or []
    if typ == "LoadBalancer":
        if external:
            return v.ok("Service has external IP addresses", ("externalIPs", external))
        if _field(svc, "status.loadBalancer.ingress") is None:
            return v.wait("Service does not have load balancer ingress IP address")
    return v.ok("Service is ready", ("clusterIP", cluster_ip), ("externalIPs", external))


def _legacy_daemonset(ds: dict[str, Any], v: _Legacy) -> Readiness:
    if not _generation_observed(ds):
        return v.wait("DaemonSet is not ready, observedGeneration does not match spec "
                      "generation",
                      ("observedGeneration", _int(ds, "status.observedGeneration", 0)),
                      ("expectedGeneration", _int(ds, "metadata.generation", 0)))
    strategy = _field(ds, "spec.updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return _QUIET
    desired = _int(ds, "status.desiredNumberScheduled", 0)
    updated = _int(ds, "status.updatedNumberScheduled", 0)
    if updated != desired:
        return v.wait("DaemonSet does not have enough Pods scheduled",
                      ("scheduledPods", updated), ("totalPods", desired))
    unavailable = _scaled((strategy.get("rollingUpdate") or {}).get("maxUnavailable", 1),
                          desired, True)
    expected = desired - unavailable
    return v.enough("DaemonSet", "Pods", _int(ds, "status.numberReady", 0), expected)


def _legacy_statefulset(sts: dict[str, Any], v: _Legacy) -> Readiness:
    if not _generation_observed(sts):
        return v.wait(f"StatefulSet is not ready, {_GEN_WORDS}", *_generation(sts))
    strategy = _field(sts, "spec.updateStrategy") or {}
    typ = strategy.get("type", "RollingUpdate")
    if typ != "RollingUpdate":
        return v.ok("StatefulSet skipped ready check", ("updateStrategy", typ))
    partition = _int(sts, "spec.updateStrategy.rollingUpdate.partition", 0)
    replicas = _int(sts, "spec.replicas", 1)
    expected = replicas - partition
    updated = _int(sts, "status.updatedReplicas", 0)
    if updated < expected:
        return v.wait("StatefulSet does not have enough Pods scheduled",
                      ("readyPods", updated), ("totalPods", expected))
    ready = _int(sts, "status.readyReplicas", 0)
    counts = (("readyPods", ready), ("totalPods", replicas))
    if ready != replicas:
        return v.wait("StatefulSet does not have enough Pods ready", *counts)
    current, update = _str(sts, "status.currentRevision", ""), _str(sts, "status.updateRevision", "")
    if partition == 0 and current != update:
        return v.wait("StatefulSet is not ready, currentRevision does not match updateRevision",
                      ("currentRevision", current), ("updateRevision", update))
    return v.ok("StatefulSet is ready", *counts)


def legacy_related(obj: dict[str, Any]) -> str:
    """What :func:`legacy` needs besides ``obj``: "replicasets", "pods" or ""."""
    key = _group_kind(obj)
    if key in ("apps/Deployment", "extensions/Deployment") and _field(obj, "spec.paused") \
            is not True:
        return "replicasets"
    if key in ("ReplicationController", "apps/ReplicaSet", "extensions/ReplicaSet"):
        return "pods"
    return ""


def pod_selector(obj: dict[str, Any]) -> str:
    """The label selector of a ReplicaSet's (or ReplicationController's) Pods as a query."""
    sel = _field(obj, "spec.selector") or {}
    if _kind(obj) == "ReplicationController":
        return ",".join(f"{k}={v}" for k, v in sorted(sel.items()))
    parts = [f"{k}={v}" for k, v in sorted((sel.get("matchLabels") or {}).items())]
    for e in sel.get("matchExpressions") or ():
        key, op, values = e.get("key", ""), e.get("operator", ""), e.get("values") or []
        if op == "In":
            parts.append(f"{key} in ({','.join(values)})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({','.join(values)})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(parts)


__all__ = [
    "CURRENT", "FAILED", "IN_PROGRESS", "NOT_FOUND", "TERMINATING", "UNKNOWN", "Readiness",
    "compute", "hook_readiness", "legacy", "legacy_related", "max_unavailable",
    "new_replicaset", "not_found", "pod_selector",
]
