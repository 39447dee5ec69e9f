"""The status simulator and its per-object knobs, seen through the Python API and HTTP."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from kelm.testing import Cluster


def _status(obj: dict[str, Any]) -> dict[str, Any]:
    return obj.get("status") or {}


def _pod(name: str, restart: str = "Always") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"restartPolicy": restart,
                     "containers": [{"name": "app", "image": "busybox"}]}}


def test_pods_run_and_one_shot_pods_succeed(kc: Cluster) -> None:
    kc.create(_pod("p"))
    kc.create(_pod("once", "Never"))
    pod = kc.wait_for("Pod", "p", lambda o: _status(o).get("phase") == "Running")
    ready = {c["type"]: c["status"] for c in pod["status"]["conditions"]}
    assert ready["Ready"] == "True"
    kc.wait_for("Pod", "once", lambda o: _status(o).get("phase") == "Succeeded")


def test_job_completes_or_fails(kc: Cluster) -> None:
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
           "spec": {"template": {"spec": {"restartPolicy": "Never",
                                          "containers": [{"name": "c", "image": "busybox"}]}}}}
    kc.create(job)
    kc.set_behavior("Job", "bad", fail=True)
    kc.create({**job, "metadata": {"name": "bad"}})

    def conds(o: dict[str, Any]) -> dict[str, str]:
        return {c["type"]: c["status"] for c in _status(o).get("conditions", [])}
    done = kc.wait_for("Job", "j", lambda o: conds(o).get("Complete") == "True")
    assert done["status"]["succeeded"] == 1
    kc.wait_for("Job", "bad", lambda o: conds(o).get("Failed") == "True")


def test_pvc_binds_and_load_balancer_gets_an_address(kc: Cluster) -> None:
    kc.create({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
               "spec": {"accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "2Gi"}}}})
    kc.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "lb"},
               "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]}})
    pvc = kc.wait_for("PersistentVolumeClaim", "data", lambda o: _status(o).get("phase") == "Bound")
    assert pvc["status"]["capacity"] == {"storage": "2Gi"}
    kc.wait_for("Service", "lb", lambda o: _status(o)["loadBalancer"].get("ingress"))


def test_workloads_become_available(kc: Cluster) -> None:
    tpl = {"metadata": {"labels": {"app": "x"}},
           "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    spec = {"replicas": 2, "selector": {"matchLabels": {"app": "x"}}, "template": tpl}
    for kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        kc.create({"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "w"}, "spec": spec})
    kc.create({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "w"},
               "spec": {"selector": spec["selector"], "template": tpl}})
    for kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        kc.wait_for(kind, "w", lambda o: _status(o).get("readyReplicas") == 2)
    kc.wait_for("DaemonSet", "w", lambda o: _status(o).get("numberReady") == 1)


def test_delay_knob(kc: Cluster) -> None:
    kc.set_behavior("Deployment", "slow", delay=0.5)
    start = time.monotonic()
    kc.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "slow"},
               "spec": {"selector": {"matchLabels": {"a": "b"}},
                        "template": {"metadata": {"labels": {"a": "b"}},
                                     "spec": {"containers": [{"name": "c", "image": "x"}]}}}})
    assert not kc.get("Deployment", "slow")["status"]
    kc.wait_for("Deployment", "slow", lambda o: _status(o).get("availableReplicas") == 1)
    assert time.monotonic() - start >= 0.5


def test_never_ready_stays_unready(kc: Cluster) -> None:
    kc.set_behavior("Pod", "p", ready=False)
    kc.create(_pod("p"))
    pod = kc.wait_for("Pod", "p", lambda o: _status(o).get("phase"))
    assert pod["status"]["phase"] == "Pending"
    with pytest.raises(TimeoutError, match="did not reach the condition"):
        kc.wait_for("Pod", "p", lambda o: _status(o).get("phase") == "Running", timeout=0.3)


def test_pod_logs(kc: Cluster, http: httpx.Client) -> None:
    kc.create(_pod("p"))
    kc.set_pod_logs("p", "hello\nworld\n")
    r = http.get("/api/v1/namespaces/default/pods/p/log")
    assert r.status_code == 200 and r.text == "hello\nworld\n"
    assert r.headers["content-type"].startswith("text/plain")


def _deployment(image: str = "nginx:1", replicas: int = 2) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": image}]}}}}


def _owned(kc: Cluster, kind: str, owner: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in kc.objects(kind, "default")
            if any(r["uid"] == owner["metadata"]["uid"] for r in o["metadata"].get("ownerReferences", []))]


def test_deployment_owns_a_replicaset_that_owns_pods(kc: Cluster) -> None:
    dep = kc.create(_deployment())
    kc.wait_for("Deployment", "web", lambda o: (o["metadata"].get("annotations") or {}).get(
        "deployment.kubernetes.io/revision") == "1")
    rs = kc.wait_for("ReplicaSet", next(r["metadata"]["name"] for r in _owned(kc, "ReplicaSet", dep)),
                     lambda o: _status(o).get("readyReplicas") == 2)
    assert rs["metadata"]["name"] == "web-" + rs["metadata"]["labels"]["pod-template-hash"]
    pods = _owned(kc, "Pod", rs)
    assert len(pods) == 2 and all(p["metadata"]["labels"]["app"] == "web" for p in pods)
    # a new template: a second ReplicaSet, the first scaled to zero and its pods gone
    kc.apply(_deployment(image="nginx:2"))
    kc.wait_for("Deployment", "web", lambda o: (o["metadata"].get("annotations") or {}).get(
        "deployment.kubernetes.io/revision") == "2")
    kc.wait_for("ReplicaSet", rs["metadata"]["name"],
                lambda o: o["spec"]["replicas"] == 0 and not _owned(kc, "Pod", o))
    kc.delete("Deployment", "web")
    assert kc.objects("ReplicaSet") == [] and kc.objects("Pod") == []


def test_pods_of_a_never_ready_deployment_stay_pending(kc: Cluster) -> None:
    kc.set_behavior("Deployment", "web", ready=False)
    dep = kc.create(_deployment(replicas=1))
    kc.wait_for("Deployment", "web", lambda o: _owned(kc, "ReplicaSet", dep))
    rs_obj = _owned(kc, "ReplicaSet", dep)[0]
    kc.wait_for("ReplicaSet", rs_obj["metadata"]["name"], lambda o: _owned(kc, "Pod", o))
    p = _owned(kc, "Pod", rs_obj)[0]
    p = kc.wait_for("Pod", p["metadata"]["name"], lambda o: _status(o).get("phase"))
    assert p["status"]["phase"] == "Pending"


def test_whole_float_replicas_count_as_integers(kc: Cluster) -> None:
    dep = _deployment(replicas=2)
    dep["metadata"]["name"] = "floaty"
    dep["spec"]["replicas"] = 2.0  # as a YAML reader that keeps floats would send it
    created = kc.create(dep)
    rs_name = kc.wait_for("Deployment", "floaty", lambda o: bool(_owned(kc, "ReplicaSet", o)))
    rs = _owned(kc, "ReplicaSet", rs_name)[0]
    rs = kc.wait_for("ReplicaSet", rs["metadata"]["name"],
                     lambda o: _status(o).get("readyReplicas") == 2)
    assert len(_owned(kc, "Pod", rs)) == 2
    kc.delete("Deployment", created["metadata"]["name"])
