"""kelm.kube.readiness offline: kstatus' rules (Helm v4's --wait) and Helm 3's (legacy), case
by case, with the messages kstatus prints (they end up in Helm's timeout error)."""

from __future__ import annotations

from typing import Any

import pytest

from kelm.kube import readiness as r


def cond(typ: str, status: str = "True", reason: str = "", message: str = "") -> dict[str, Any]:
    return {"type": typ, "status": status, "reason": reason, "message": message}


def obj(api_version: str, kind: str, spec: Any = None, status: Any = None,
        generation: int | None = 1, **meta: Any) -> dict[str, Any]:
    m: dict[str, Any] = {"name": "x", "namespace": "ns", **meta}
    if generation is not None:
        m["generation"] = generation
    o: dict[str, Any] = {"apiVersion": api_version, "kind": kind, "metadata": m}
    if spec is not None:
        o["spec"] = spec
    if status is not None:
        o["status"] = status
    return o


AVAILABLE = [cond("Available", reason="MinimumReplicasAvailable"),
             cond("Progressing", reason="NewReplicaSetAvailable")]


def dep(spec_replicas: int | None = 3, **status: Any) -> dict[str, Any]:
    spec = {} if spec_replicas is None else {"replicas": spec_replicas}
    st = {"observedGeneration": 1, "conditions": AVAILABLE, **status}
    return obj("apps/v1", "Deployment", spec, st)


def full(n: int) -> dict[str, int]:
    return {"replicas": n, "updatedReplicas": n, "readyReplicas": n, "availableReplicas": n}


KSTATUS = [
    # Deployments: generation, counts in kstatus' order, then conditions
    ("deployment available", dep(3, **full(3)), "Current", "Deployment is available. Replicas: 3"),
    ("deployment default replicas", dep(None, **full(1)), "Current",
     "Deployment is available. Replicas: 1"),
    ("deployment generation not observed",
     obj("apps/v1", "Deployment", {"replicas": 1}, {"observedGeneration": 1, **full(1)},
         generation=2),
     "InProgress", "Deployment generation is 2, but latest observed generation is 1"),
    ("deployment too few replicas", dep(3, replicas=1), "InProgress", "Replicas: 1/3"),
    ("deployment too few updated", dep(3, replicas=3, updatedReplicas=2), "InProgress",
     "Updated: 2/3"),
    ("deployment extra pods", dep(2, replicas=3, updatedReplicas=2), "InProgress",
     "Pending termination: 1"),
    ("deployment unavailable", dep(1, replicas=1, updatedReplicas=1), "InProgress",
     "Available: 0/1"),
    ("deployment not ready", dep(2, replicas=2, updatedReplicas=2, availableReplicas=2,
                                 readyReplicas=1), "InProgress", "Ready: 1/2"),
    ("deployment progress deadline",
     obj("apps/v1", "Deployment", {"replicas": 1, "progressDeadlineSeconds": 600},
         {"observedGeneration": 1, "conditions": [
             cond("Progressing", "False", "ProgressDeadlineExceeded", "timed out")]}),
     "Failed", "Progress deadline exceeded"),
    ("deployment rollout still progressing",
     obj("apps/v1", "Deployment", {"replicas": 1, "progressDeadlineSeconds": 600},
         {"observedGeneration": 1, **full(1), "conditions": [
             cond("Available"), cond("Progressing", reason="ReplicaSetUpdated")]}),
     "InProgress", "ReplicaSet not Available"),
    ("deployment without a deadline needs no Progressing",
     obj("apps/v1", "Deployment", {"replicas": 1},
         {"observedGeneration": 1, **full(1), "conditions": [cond("Available")]}),
     "Current", "Deployment is available. Replicas: 1"),
    ("deployment not Available condition",
     obj("apps/v1", "Deployment", {"replicas": 1},
         {"observedGeneration": 1, **full(1), "conditions": [cond("Available", "False")]}),
     "InProgress", "Deployment not Available"),
    ("deployment being deleted",
     obj("apps/v1", "Deployment", {"replicas": 1}, {"observedGeneration": 1, **full(1)},
         deletionTimestamp="2026-01-01T00:00:00Z"),
     "Terminating", "Resource scheduled for deletion"),
    # StatefulSets
    ("statefulset ready", obj("apps/v1", "StatefulSet", {"replicas": 2}, {
        "observedGeneration": 1, "replicas": 2, "readyReplicas": 2, "currentReplicas": 2,
        "updatedReplicas": 2, "currentRevision": "a", "updateRevision": "a"}),
     "Current", "All replicas scheduled as expected. Replicas: 2"),
    ("statefulset not ready", obj("apps/v1", "StatefulSet", {"replicas": 2}, {
        "observedGeneration": 1, "replicas": 2, "readyReplicas": 1}), "InProgress", "Ready: 1/2"),
    ("statefulset revision mismatch", obj("apps/v1", "StatefulSet", {"replicas": 1}, {
        "observedGeneration": 1, "replicas": 1, "readyReplicas": 1, "currentReplicas": 1,
        "updatedReplicas": 1, "currentRevision": "a", "updateRevision": "b"}),
     "InProgress", "Waiting for updated revision to match current"),
    ("statefulset ondelete", obj("apps/v1", "StatefulSet", {"updateStrategy": {"type": "OnDelete"}},
                                 {"observedGeneration": 1}),
     "Current", "StatefulSet is using the ondelete update strategy"),
    ("statefulset partition rolling", obj("apps/v1", "StatefulSet", {
        "replicas": 3, "updateStrategy": {"rollingUpdate": {"partition": 1}}}, {
        "observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 1}),
     "InProgress", "updated: 1/2"),
    # DaemonSets need the controller's generation fields
    ("daemonset ready", obj("apps/v1", "DaemonSet", {}, {
        "observedGeneration": 1, "desiredNumberScheduled": 2, "currentNumberScheduled": 2,
        "updatedNumberScheduled": 2, "numberAvailable": 2, "numberReady": 2}),
     "Current", "All replicas scheduled as expected. Replicas: 2"),
    ("daemonset unobserved", obj("apps/v1", "DaemonSet", {}, {}), "InProgress",
     "DaemonSet status.observedGeneration not found"),
    ("daemonset unavailable", obj("apps/v1", "DaemonSet", {}, {
        "observedGeneration": 1, "desiredNumberScheduled": 2, "currentNumberScheduled": 2,
        "updatedNumberScheduled": 2, "numberAvailable": 1}), "InProgress", "Available: 1/2"),
    ("daemonset no desired number", obj("apps/v1", "DaemonSet", {}, {"observedGeneration": 1}),
     "InProgress", "Missing .status.desiredNumberScheduled"),
    # ReplicaSets
    ("replicaset ready", obj("apps/v1", "ReplicaSet", {"replicas": 2}, {
        "observedGeneration": 1, "replicas": 2, "fullyLabeledReplicas": 2,
        "availableReplicas": 2, "readyReplicas": 2}),
     "Current", "ReplicaSet is available. Replicas: 2"),
    ("replicaset unlabelled", obj("apps/v1", "ReplicaSet", {"replicas": 2}, {
        "observedGeneration": 1}), "InProgress", "Labelled: 0/2"),
    ("replicaset replica failure", obj("apps/v1", "ReplicaSet", {"replicas": 1}, {
        "conditions": [cond("ReplicaFailure")]}),
     "InProgress", "Replica Failure condition. Check Pods"),
    # Pods
    ("pod ready", obj("v1", "Pod", {}, {"phase": "Running", "conditions": [cond("Ready")]},
                      generation=None), "Current", "Pod is Ready"),
    ("pod running not ready", obj("v1", "Pod", {}, {"phase": "Running"}, generation=None),
     "InProgress", "Pod is running but is not Ready"),
    ("pod crash looping", obj("v1", "Pod", {}, {"phase": "Running", "containerStatuses": [
        {"name": "a", "state": {"waiting": {"reason": "CrashLoopBackOff"}}},
        {"name": "b", "state": {"running": {}}}]}, generation=None),
     "Failed", "Containers in CrashLoop state: a"),
    ("pod pending", obj("v1", "Pod", {}, {"phase": "Pending"}, generation=None), "InProgress",
     "Pod is in the Pending phase"),
    ("pod not observed", obj("v1", "Pod", {}, None, generation=None), "InProgress",
     "Pod phase not available"),
    ("pod succeeded", obj("v1", "Pod", {}, {"phase": "Succeeded"}, generation=None), "Current",
     "Pod has completed successfully"),
    ("pod failed counts as done", obj("v1", "Pod", {}, {"phase": "Failed"}, generation=None),
     "Current", "Pod has completed, but not successfully"),
    # Jobs (plain --wait): current once started, failed when failed
    ("job not started", obj("batch/v1", "Job", {}, {}), "InProgress", "Job not started"),
    ("job running", obj("batch/v1", "Job", {}, {"startTime": "t", "active": 1}), "Current",
     "Job in progress. success:0, active: 1, failed: 0"),
    ("job complete", obj("batch/v1", "Job", {"completions": 2}, {
        "startTime": "t", "succeeded": 2, "conditions": [cond("Complete")]}), "Current",
     "Job Completed. succeeded: 2/2"),
    ("job failed", obj("batch/v1", "Job", {}, {"startTime": "t", "failed": 1, "conditions": [
        cond("Failed", reason="BackoffLimitExceeded")]}), "Failed", "Job Failed. failed: 1/1"),
    # PVCs, Services, CRDs
    ("pvc bound", obj("v1", "PersistentVolumeClaim", {}, {"phase": "Bound"}, generation=None),
     "Current", "PVC is Bound"),
    ("pvc pending", obj("v1", "PersistentVolumeClaim", {}, {"phase": "Pending"},
                        generation=None), "InProgress", "PVC is not Bound. phase: Pending"),
    ("pvc no status", obj("v1", "PersistentVolumeClaim", {}, None, generation=None),
     "InProgress", "PVC is not Bound. phase: unknown"),
    ("service clusterip", obj("v1", "Service", {"clusterIP": "10.0.0.1"}, generation=None),
     "Current", "Service is ready"),
    ("loadbalancer without ip", obj("v1", "Service", {"type": "LoadBalancer"}, {},
                                    generation=None),
     "InProgress", "ClusterIP not set. Service type: LoadBalancer"),
    ("loadbalancer with cluster ip, no ingress yet",
     obj("v1", "Service", {"type": "LoadBalancer", "clusterIP": "10.0.0.1"},
         {"loadBalancer": {}}, generation=None), "Current", "Service is ready"),
    ("crd established", obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", {}, {
        "conditions": [cond("NamesAccepted"), cond("Established")]}), "Current",
     "CRD is established"),
    ("crd installing", obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", {}, {
        "conditions": [cond("Established", "False", "Installing")]}), "InProgress",
     "Install in progress"),
    ("crd names conflict", obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", {}, {
        "conditions": [cond("NamesAccepted", "False", "NameConflict", "taken")]}), "Failed",
     "taken"),
    # kinds kstatus knows to be ready at once
    ("configmap", obj("v1", "ConfigMap", generation=None), "Current", "Resource is always ready"),
    ("secret", obj("v1", "Secret", generation=None), "Current", "Resource is always ready"),
    ("cronjob", obj("batch/v1", "CronJob", {}), "Current", "Resource is always ready"),
    # custom resources: Ready, Reconciling, Stalled, nothing
    ("custom ready", obj("example.com/v1", "Widget", {}, {"conditions": [cond("Ready")]}),
     "Current", "Resource is Ready"),
    ("custom not ready", obj("example.com/v1", "Widget", {}, {"conditions": [
        cond("Ready", "False", "Waiting", "waiting for the database")]}),
     "InProgress", "waiting for the database"),
    ("custom ready unknown", obj("example.com/v1", "Widget", {}, {"conditions": [
        cond("Ready", "Unknown", "", "checking")]}), "InProgress", "checking"),
    ("custom reconciling", obj("example.com/v1", "Widget", {}, {"conditions": [
        cond("Reconciling", message="applying")]}), "InProgress", "applying"),
    ("custom stalled", obj("example.com/v1", "Widget", {}, {"conditions": [
        cond("Stalled", message="bad spec")]}), "Failed", "bad spec"),
    ("custom stale generation", obj("example.com/v1", "Widget", {}, {
        "observedGeneration": 1, "conditions": [cond("Ready")]}, generation=3),
     "InProgress", "Widget generation is 3, but latest observed generation is 1"),
    ("custom without conditions", obj("example.com/v1", "Widget", {}, {}), "Current",
     "Resource is current"),
    ("malformed conditions are ignored", obj("example.com/v1", "Widget", {}, {
        "conditions": ["oops", None]}), "Current", "Resource is current"),
]


@pytest.mark.parametrize(("case", "o", "status", "reason"), KSTATUS, ids=[c[0] for c in KSTATUS])
def test_kstatus(case: str, o: dict[str, Any], status: str, reason: str) -> None:
    got = r.compute(o)
    assert (got.status, got.reason) == (status, reason)
    assert got.ready is (status == "Current")


WAIT_FOR_JOBS = [
    ("running job waits", obj("batch/v1", "Job", {}, {"startTime": "t", "active": 1}),
     "InProgress", "Job in progress"),
    ("unstarted job waits", obj("batch/v1", "Job", {}, {}), "InProgress", "Job in progress"),
    ("complete job", obj("batch/v1", "Job", {}, {"succeeded": 1, "conditions": [
        cond("Complete")]}), "Current", "Job Completed. succeeded: 1/1"),
    ("failed job", obj("batch/v1", "Job", {"completions": 3}, {"failed": 2, "conditions": [
        cond("Failed")]}), "Failed", "Job Failed. failed: 2/3"),
    ("parallelism gives completions", obj("batch/v1", "Job", {"parallelism": 4}, {
        "succeeded": 4, "conditions": [cond("Complete")]}), "Current",
     "Job Completed. succeeded: 4/4"),
]


@pytest.mark.parametrize(("case", "o", "status", "reason"), WAIT_FOR_JOBS,
                         ids=[c[0] for c in WAIT_FOR_JOBS])
def test_wait_for_jobs(case: str, o: dict[str, Any], status: str, reason: str) -> None:
    got = r.compute(o, wait_for_jobs=True)
    assert (got.status, got.reason) == (status, reason)


def test_wait_for_jobs_leaves_other_kinds_alone() -> None:
    d = dep(1, replicas=1, updatedReplicas=1)
    assert r.compute(d, wait_for_jobs=True) == r.compute(d)


@pytest.mark.parametrize(("o", "status", "reason"), [
    (obj("batch/v1", "Job", {}, {"active": 1}), "InProgress", "Job in progress"),
    (obj("v1", "Pod", {}, {"phase": "Running", "conditions": [cond("Ready")]}), "InProgress",
     "Pod in progress"),
    (obj("v1", "Pod", {}, {"phase": "Succeeded"}), "Current", "pod x succeeded"),
    (obj("v1", "Pod", {}, {"phase": "Failed"}), "Failed", "pod x failed"),
    (obj("v1", "ConfigMap"), "Current", "Resource is current"),
    (obj("apps/v1", "Deployment", {"replicas": 1}, {}), "Current", "Resource is current"),
])
def test_hook_readiness(o: dict[str, Any], status: str, reason: str) -> None:
    got = r.hook_readiness(o)
    assert (got.status, got.reason) == (status, reason)


# -- legacy (Helm 3) -------------------------------------------------------------------
def legacy_dep(replicas: int = 4, strategy: Any = None, **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"replicas": replicas, "template": {"metadata": {"labels": {"a": "b"}}}}
    if strategy is not None:
        spec["strategy"] = strategy
    spec.update(extra)
    d = obj("apps/v1", "Deployment", spec, {"observedGeneration": 1}, uid="u1")
    d["metadata"]["name"] = "web"
    return d


def rs_for(d: dict[str, Any], ready: int, name: str = "web-1", labels: Any = None,
           generation: int = 1, observed: int = 1) -> dict[str, Any]:
    template = {"metadata": {"labels": labels if labels is not None else
                             {"a": "b", "pod-template-hash": "1"}}}
    o = obj("apps/v1", "ReplicaSet", {"template": template}, {
        "observedGeneration": observed, "readyReplicas": ready}, generation=generation,
        ownerReferences=[{"kind": "Deployment", "name": "web", "uid": "u1", "controller": True}])
    o["metadata"]["name"] = name
    return o


@pytest.mark.parametrize(("replicas", "strategy", "expected"), [
    (4, None, 1),  # 25% of 4, rounded down
    (3, None, 0),  # 25% of 3 rounds down to 0 (maxSurge rounds up to 1)
    (10, {"rollingUpdate": {"maxUnavailable": "50%"}}, 5),
    (10, {"rollingUpdate": {"maxUnavailable": 2}}, 2),
    (2, {"rollingUpdate": {"maxUnavailable": 5}}, 2),  # never more than the replicas
    (3, {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}, 1),
    (5, {"type": "Recreate"}, 0),
    (0, None, 0),
])
def test_max_unavailable(replicas: int, strategy: Any, expected: int) -> None:
    assert r.max_unavailable(legacy_dep(replicas, strategy)) == expected


def test_legacy_deployment_counts_ready_pods_of_its_new_replicaset() -> None:
    d = legacy_dep(4)  # maxUnavailable 1: three ready are enough
    old = rs_for(d, 4, name="web-0", labels={"a": "old"})
    assert r.new_replicaset(d, [old]) is None
    assert r.legacy(d, replicaset=None) == r.Readiness("InProgress",
                                                       "Deployment has no new ReplicaSet")
    new = rs_for(d, 2)
    assert r.new_replicaset(d, [old, new]) is new
    got = r.legacy(d, replicaset=new)
    assert got == r.Readiness("InProgress", "Deployment does not have enough pods ready", (
        ("namespace", "ns"), ("name", "web"), ("readyPods", 2), ("totalPods", 3)))
    assert got.explain() == "Deployment does not have enough pods ready (readyPods=2, totalPods=3)"
    assert r.legacy(d, replicaset=rs_for(d, 3)).ready
    assert not r.legacy(d, replicaset=rs_for(d, 4, generation=2)).ready  # rs not observed


def test_legacy_ignores_replicasets_of_others() -> None:
    d = legacy_dep(1)
    stranger = rs_for(d, 1)
    stranger["metadata"]["ownerReferences"][0]["uid"] = "other"
    assert r.new_replicaset(d, [stranger]) is None


def test_legacy_paused_deployment_is_ready() -> None:
    d = legacy_dep(1, paused=True)
    assert r.legacy(d).ready and r.legacy_related(d) == ""
    assert r.legacy_related(legacy_dep(1)) == "replicasets"


LEGACY = [
    ("pod ready", obj("v1", "Pod", {}, {"conditions": [cond("Ready")]}), {}, True),
    ("pod succeeded is not ready", obj("v1", "Pod", {}, {"phase": "Succeeded"}), {}, False),
    ("job unchecked", obj("batch/v1", "Job", {}, {"active": 1}), {}, True),
    ("job incomplete", obj("batch/v1", "Job", {"completions": 2}, {"succeeded": 1}),
     {"wait_for_jobs": True}, False),
    ("job complete", obj("batch/v1", "Job", {"completions": 2}, {"succeeded": 2}),
     {"wait_for_jobs": True}, True),
    ("job failed past backoff", obj("batch/v1", "Job", {"backoffLimit": 1}, {"failed": 2}),
     {"wait_for_jobs": True}, False),
    ("pvc pending", obj("v1", "PersistentVolumeClaim", {}, {"phase": "Pending"}), {}, False),
    ("pvc bound", obj("v1", "PersistentVolumeClaim", {}, {"phase": "Bound"}), {}, True),
    ("service without cluster ip", obj("v1", "Service", {}, {}), {}, False),
    ("external name", obj("v1", "Service", {"type": "ExternalName"}), {}, True),
    ("lb without ingress", obj("v1", "Service", {"type": "LoadBalancer", "clusterIP": "1.2.3.4"},
                               {"loadBalancer": {}}), {}, False),
    ("lb with ingress", obj("v1", "Service", {"type": "LoadBalancer", "clusterIP": "1.2.3.4"},
                            {"loadBalancer": {"ingress": [{"ip": "5.6.7.8"}]}}), {}, True),
    ("lb with external ips", obj("v1", "Service", {
        "type": "LoadBalancer", "clusterIP": "1.2.3.4", "externalIPs": ["9.9.9.9"]}), {}, True),
    ("daemonset unobserved", obj("apps/v1", "DaemonSet", {}, {"observedGeneration": 0}), {},
     False),
    ("daemonset on delete", obj("apps/v1", "DaemonSet", {"updateStrategy": {"type": "OnDelete"}},
                                {"observedGeneration": 1}), {}, True),
    ("daemonset not all updated", obj("apps/v1", "DaemonSet", {}, {
        "observedGeneration": 1, "desiredNumberScheduled": 2, "updatedNumberScheduled": 1}),
     {}, False),
    ("daemonset one unavailable allowed", obj("apps/v1", "DaemonSet", {}, {
        "observedGeneration": 1, "desiredNumberScheduled": 2, "updatedNumberScheduled": 2,
        "numberReady": 1}), {}, True),
    ("statefulset ready", obj("apps/v1", "StatefulSet", {"replicas": 2}, {
        "observedGeneration": 1, "updatedReplicas": 2, "readyReplicas": 2,
        "currentRevision": "a", "updateRevision": "a"}), {}, True),
    ("statefulset revision mismatch", obj("apps/v1", "StatefulSet", {"replicas": 2}, {
        "observedGeneration": 1, "updatedReplicas": 2, "readyReplicas": 2,
        "currentRevision": "a", "updateRevision": "b"}), {}, False),
    ("statefulset partition", obj("apps/v1", "StatefulSet", {
        "replicas": 3, "updateStrategy": {"rollingUpdate": {"partition": 2}}}, {
        "observedGeneration": 1, "updatedReplicas": 1, "readyReplicas": 3,
        "currentRevision": "a", "updateRevision": "b"}), {}, True),
    ("crd established", obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", {}, {
        "conditions": [cond("Established")]}), {}, True),
    ("crd names not accepted counts as done", obj(
        "apiextensions.k8s.io/v1", "CustomResourceDefinition", {}, {
            "conditions": [cond("NamesAccepted", "False")]}), {}, True),
    ("crd pending", obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", {}, {}), {},
     False),
    ("replicaset with a pod not ready", obj("apps/v1", "ReplicaSet", {}, {
        "observedGeneration": 1}), {"pods": [obj("v1", "Pod", {}, {"phase": "Pending"})]}, False),
    ("replicaset with ready pods", obj("apps/v1", "ReplicaSet", {}, {"observedGeneration": 1}),
     {"pods": [obj("v1", "Pod", {}, {"conditions": [cond("Ready")]})]}, True),
    ("custom resource is ready at once", obj("example.com/v1", "Widget", {}, {
        "conditions": [cond("Ready", "False")]}), {}, True),
]


@pytest.mark.parametrize(("case", "o", "kw", "ready"), LEGACY, ids=[c[0] for c in LEGACY])
def test_legacy(case: str, o: dict[str, Any], kw: dict[str, Any], ready: bool) -> None:
    got = r.legacy(o, **kw)
    assert got.ready is ready, got
    assert got.reason


def test_legacy_failed_job_names_it() -> None:
    got = r.legacy(obj("batch/v1", "Job", {}, {"failed": 7}), wait_for_jobs=True)
    assert got == r.Readiness("Failed", "Job is failed", (("namespace", "ns"), ("name", "x")))


@pytest.mark.parametrize(("o", "kw", "reason", "attrs"), [
    # the lines Helm 3 logs at --debug, with their attributes (namespace and name first)
    (obj("apps/v1", "StatefulSet", {}, {"observedGeneration": 1}, generation=2), {},
     "StatefulSet is not ready, observedGeneration doest not match spec generation",
     (("actualGeneration", 1), ("expectedGeneration", 2))),
    (obj("apps/v1", "DaemonSet", {}, {"observedGeneration": 1, "desiredNumberScheduled": 3,
                                       "updatedNumberScheduled": 1}), {},
     "DaemonSet does not have enough Pods scheduled", (("scheduledPods", 1), ("totalPods", 3))),
    (obj("v1", "Service", {"clusterIP": "10.0.0.1"}), {}, "Service is ready",
     (("clusterIP", "10.0.0.1"), ("externalIPs", []))),
    (obj("v1", "PersistentVolumeClaim", {}, {"phase": "Bound"}), {},
     "PersistentVolumeClaim is bound", (("phase", "Bound"),)),
    (obj("apps/v1", "ReplicaSet", {}, {"observedGeneration": 1}),
     {"pods": [obj("v1", "Pod", {}, {"phase": "Pending"}, name="web-abc")]},
     "Pod is not ready", None),
])
def test_legacy_debug_lines(o: dict[str, Any], kw: dict[str, Any], reason: str,
                            attrs: Any) -> None:
    got = r.legacy(o, **kw)
    assert got.reason == reason
    if attrs is None:  # a Pod of the ReplicaSet: the line names the Pod
        assert got.attrs == (("namespace", "ns"), ("name", "web-abc"))
    else:
        assert got.attrs == (("namespace", "ns"), ("name", "x"), *attrs)


def test_kinds_helm3_does_not_check_log_nothing() -> None:
    for o in (obj("v1", "ConfigMap"), obj("batch/v1", "Job", {}, {}),
              obj("v1", "Pod", {}, {"conditions": [cond("Ready")]})):
        assert r.legacy(o).attrs is None and r.legacy(o).ready


@pytest.mark.parametrize(("o", "selector"), [
    (obj("apps/v1", "ReplicaSet", {"selector": {"matchLabels": {"b": "2", "a": "1"}}}),
     "a=1,b=2"),
    (obj("apps/v1", "ReplicaSet", {"selector": {"matchExpressions": [
        {"key": "t", "operator": "In", "values": ["x", "y"]},
        {"key": "u", "operator": "NotIn", "values": ["z"]},
        {"key": "v", "operator": "Exists"}, {"key": "w", "operator": "DoesNotExist"}]}}),
     "t in (x,y),u notin (z),v,!w"),
    (obj("v1", "ReplicationController", {"selector": {"app": "web"}}), "app=web"),
])
def test_pod_selector(o: dict[str, Any], selector: str) -> None:
    assert r.pod_selector(o) == selector
    assert r.legacy_related(o) == "pods"
