"""The status simulator: what controllers would write to ``status`` (workloads available,
pods running, jobs complete, PVCs bound, LoadBalancers addressed, custom resources Ready once
given knobs), with per-object knobs."""

from __future__ import annotations

import hashlib
import heapq
import itertools
import threading
import time
from dataclasses import dataclass
from typing import Any

from kelm.testing.api import Api, WriteOptions, now
from kelm.testing.controllers import Controllers
from kelm.testing.errors import ApiError
from kelm.testing.registry import ResourceType

MANAGER = "kube-controller-manager"
_LB = itertools.count(1)


@dataclass(frozen=True)
class Behavior:
    ready: bool = True
    fail: bool = False
    delay: float = 0.0


def _hash(obj: dict[str, Any]) -> str:
    spec = repr((obj.get("spec") or {}).get("template"))
    return hashlib.sha256(spec.encode()).hexdigest()[:10]


def _cond(typ: str, status: bool, reason: str, message: str) -> dict[str, Any]:
    ts = now()
    return {"type": typ, "status": "True" if status else "False", "lastUpdateTime": ts,
            "lastTransitionTime": ts, "reason": reason, "message": message}


def _deployment(obj: dict[str, Any], b: Behavior) -> dict[str, Any]:
    n = (obj.get("spec") or {}).get("replicas", 1)
    gen = obj["metadata"].get("generation", 1)
    rs = f'{obj["metadata"]["name"]}-{_hash(obj)}'
    st: dict[str, Any] = {"observedGeneration": gen, "replicas": n, "updatedReplicas": n}
    if b.fail:
        st["unavailableReplicas"] = n
        st["conditions"] = [
            _cond("Available", False, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            _cond("Progressing", False, "ProgressDeadlineExceeded", f'ReplicaSet "{rs}" has timed out progressing.')]
    elif not b.ready and n:
        st["unavailableReplicas"] = n
        st["conditions"] = [
            _cond("Available", False, "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
            _cond("Progressing", True, "ReplicaSetUpdated", f'ReplicaSet "{rs}" is progressing.')]
    else:
        if n:
            st["readyReplicas"] = st["availableReplicas"] = n
        st["conditions"] = [
            _cond("Available", True, "MinimumReplicasAvailable", "Deployment has minimum availability."),
            _cond("Progressing", True, "NewReplicaSetAvailable", f'ReplicaSet "{rs}" has successfully progressed.')]
    return st


def _replicaset(obj: dict[str, Any], b: Behavior) -> dict[str, Any]:
    n = (obj.get("spec") or {}).get("replicas", 1)
    st: dict[str, Any] = {"observedGeneration": obj["metadata"].get("generation", 1),
                          "replicas": n, "fullyLabeledReplicas": n}
    if b.ready and not b.fail and n:
        st["readyReplicas"] = st["availableReplicas"] = n
    return st


def _statefulset(obj: dict[str, Any], b: Behavior) -> dict[str, Any]:
    n = (obj.get("spec") or {}).get("replicas", 1)
    rev = f'{obj["metadata"]["name"]}-{_hash(obj)}'
    st: dict[str, Any] = {"observedGeneration": obj["metadata"].get("generation", 1),
                          "replicas": n, "currentReplicas": n, "updatedReplicas": n,
                          "currentRevision": rev, "updateRevision": rev, "collisionCount": 0}
    if b.ready and not b.fail and n:
        st["readyReplicas"] = st["availableReplicas"] = n
    else:
        st["availableReplicas"] = 0
    return st


def _daemonset(obj: dict[str, Any], b: Behavior) -> dict[str, Any]:
    ok = b.ready and not b.fail
    return {"observedGeneration": obj["metadata"].get("generation", 1),
            "desiredNumberScheduled": 1, "currentNumberScheduled": 1, "updatedNumberScheduled": 1,
            "numberMisscheduled": 0, "numberReady": 1 if ok else 0,
            "numberAvailable": 1 if ok else 0, **({} if ok else {"numberUnavailable": 1})}


def _pod(obj: dict[str, Any], b: Behavior) -> dict[str, Any]:
    spec = obj.get("spec") or {}
    once = spec.get("restartPolicy") in ("Never", "OnFailure")
    ts = now()
    names = [c.get("name", "") for c in spec.get("containers") or []]
    if b.fail:
        phase = "Failed" if once else "Running"
        state: dict[str, Any] = ({"terminated": {"exitCode": 1, "reason": "Error"}} if once else
                                 {"waiting": {"reason": "CrashLoopBackOff"}})
        ready = False
    elif not b.ready:
        phase, state, ready = "Pending", {"waiting": {"reason": "ContainerCreating"}}, False
    elif once:
        phase, ready = "Succeeded", False
        state = {"terminated": {"exitCode": 0, "reason": "Completed", "finishedAt": ts}}
    else:
        phase, state, ready = "Running", {"running": {"startedAt": ts}}, True
    return {
        "phase": phase, "hostIP": "10.0.0.1", "podIP": "10.244.0.10", "startTime": ts,
        "qosClass": "BestEffort",
        "conditions": [{"type": t, "status": "True" if ready or t == "PodScheduled" else "False",
                        "lastTransitionTime": ts}
                       for t in ("PodScheduled", "Initialized", "ContainersReady", "Ready")],
        "containerStatuses": [{"name": n, "ready": ready, "restartCount": 0, "image": "",
                               "imageID": "", "started": ready, "state": state} for n in names],
    }


def _job(obj: dict[str, Any], b: Behavior) -> dict[str, Any]:
    completions = (obj.get("spec") or {}).get("completions", 1) or 1
    ts = now()
    if b.fail:
        return {"startTime": ts, "failed": 1, "conditions": [
            _cond("FailureTarget", True, "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
            _cond("Failed", True, "BackoffLimitExceeded", "Job has reached the specified backoff limit")]}
    if not b.ready:
        return {"startTime": ts, "active": 1, "ready": 0}
    return {"startTime": ts, "completionTime": ts, "succeeded": completions, "ready": 0,
            "terminating": 0, "conditions": [
                _cond("SuccessCriteriaMet", True, "CompletionsReached", "Reached expected number of succeeded pods"),
                _cond("Complete", True, "CompletionsReached", "Reached expected number of succeeded pods")]}


def _pvc(obj: dict[str, Any], b: Behavior) -> dict[str, Any]:
    spec = obj.get("spec") or {}
    if not b.ready or b.fail:
        return {"phase": "Pending"}
    storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage", "1Gi")
    return {"phase": "Bound", "accessModes": spec.get("accessModes") or ["ReadWriteOnce"],
            "capacity": {"storage": storage}}


def _service(obj: dict[str, Any], b: Behavior) -> dict[str, Any] | None:
    if (obj.get("spec") or {}).get("type") != "LoadBalancer":
        return None
    if not b.ready or b.fail:
        return {"loadBalancer": {}}
    cur = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress")
    if cur:
        return {"loadBalancer": {"ingress": cur}}
    n = next(_LB)
    return {"loadBalancer": {"ingress": [{"ip": f"198.51.100.{n % 250 + 1}", "ipMode": "VIP"}]}}


def _custom(obj: dict[str, Any], b: Behavior) -> dict[str, Any]:
    """A custom resource's controller, as kstatus expects one to report: ``Ready`` (and
    ``Stalled`` when failing) conditions for the generation it has seen; the rest of the
    status is kept."""
    status = dict(obj.get("status") or {})
    status["observedGeneration"] = obj["metadata"].get("generation", 1)
    if b.fail:
        status["conditions"] = [
            _cond("Ready", False, "Failed", "simulated failure"),
            _cond("Stalled", True, "Failed", "simulated failure")]
    elif not b.ready:
        status["conditions"] = [_cond("Ready", False, "Progressing", "simulated: not ready yet")]
    else:
        status["conditions"] = [_cond("Ready", True, "Succeeded", "simulated: ready")]
    return status


_RULES = {
    ("apps", "deployments"): _deployment, ("apps", "replicasets"): _replicaset,
    ("apps", "statefulsets"): _statefulset, ("apps", "daemonsets"): _daemonset,
    ("", "pods"): _pod, ("batch", "jobs"): _job, ("", "persistentvolumeclaims"): _pvc,
    ("", "services"): _service,
}


class Simulator:
    """Schedules a status write after each change of a simulated kind."""

    def __init__(self, api: Api, enabled: bool = True) -> None:
        self.api = api
        self.enabled = enabled
        self._behaviors: dict[tuple[tuple[str, str], str, str], Behavior] = {}
        self._queue: list[tuple[float, int, ResourceType, str, str]] = []
        self._seq = itertools.count()
        self._cv = threading.Condition()
        self._stop = False
        self._thread: threading.Thread | None = None
        self.controllers = Controllers(api)
        api.hooks.append(self._hook)

    def start(self) -> None:
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._run, daemon=True, name="kelm-testing-sim")
            self._thread.start()

    def stop(self) -> None:
        with self._cv:
            self._stop = True
            self._cv.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def set_behavior(self, t: ResourceType, namespace: str, name: str, b: Behavior) -> None:
        self._behaviors[(t.store_key, namespace, name)] = b
        if self.api.store.get(t.store_key, namespace, name) is not None:
            self._schedule(t, namespace, name, b.delay)

    def behavior(self, t: ResourceType, namespace: str, name: str) -> Behavior:
        """The knobs set for this object, else those of its controller (a Pod of a
        ReplicaSet of a Deployment behaves as the Deployment was told to)."""
        key: tuple[str, str] = t.store_key
        for _ in range(3):
            b = self._behaviors.get((key, namespace, name))
            if b is not None:
                return b
            obj = self.api.store.get(key, namespace, name)
            ref = next((r for r in (obj or {}).get("metadata", {}).get("ownerReferences") or []
                        if r.get("controller")), None)
            if ref is None or ref.get("kind") not in ("ReplicaSet", "Deployment"):
                break
            key = ("apps", "replicasets" if ref["kind"] == "ReplicaSet" else "deployments")
            name = str(ref.get("name", ""))
        return Behavior()

    def _simulated(self, t: ResourceType, ns: str, name: str) -> bool:
        """Built-in kinds always; a custom resource once a test set knobs for it."""
        return t.store_key in _RULES or (bool(t.crd) and
                                         (t.store_key, ns, name) in self._behaviors)

    def _hook(self, event: str, t: ResourceType, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        ns = meta.get("namespace", "")
        if not self.enabled or event == "DELETED" or not self._simulated(t, ns, meta["name"]):
            return
        self._schedule(t, ns, meta["name"], self.behavior(t, ns, meta["name"]).delay)

    def _schedule(self, t: ResourceType, ns: str, name: str, delay: float) -> None:
        with self._cv:
            heapq.heappush(self._queue, (time.monotonic() + delay, next(self._seq), t, ns, name))
            self._cv.notify_all()

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._stop and (not self._queue or self._queue[0][0] > time.monotonic()):
                    wait = self._queue[0][0] - time.monotonic() if self._queue else None
                    self._cv.wait(wait if wait is None or wait > 0 else 0.001)
                if self._stop:
                    return
                _, _, t, ns, name = heapq.heappop(self._queue)
            try:
                self._write(t, ns, name)
            except ApiError:
                pass  # deleted or changed meanwhile: the next event reschedules it

    def _write(self, t: ResourceType, ns: str, name: str) -> None:
        # one step under the store's lock: a Deployment deleted meanwhile cannot be left
        # with Pods created for it after its garbage collection
        with self.api.store.lock:
            self._step(t, ns, name)

    def _step(self, t: ResourceType, ns: str, name: str) -> None:
        obj = self.api.store.get(t.store_key, ns, name)
        if obj is None or obj["metadata"].get("deletionTimestamp"):
            return
        if t.store_key == ("apps", "deployments"):
            self.controllers.deployment(obj)
        elif t.store_key == ("apps", "replicasets"):
            self.controllers.replicaset(obj)
        if not self._simulated(t, ns, name):
            return
        status = _RULES.get(t.store_key, _custom)(obj, self.behavior(t, ns, name))
        if status is None:
            return
        old = obj.get("status") or {}
        if _same_status(old, status):
            return
        obj["status"] = status
        obj["metadata"].pop("resourceVersion", None)
        self.api.update(t, ns, name, obj, WriteOptions(field_manager=MANAGER,
                                                       field_validation="Ignore"), "status")


def _same_status(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal but for timestamps (so the simulator settles instead of rewriting forever)."""
    def strip(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items()
                    if k not in ("lastUpdateTime", "lastTransitionTime", "startTime",
                                 "completionTime", "startedAt", "finishedAt")}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    return bool(strip(a) == strip(b))
