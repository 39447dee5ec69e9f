"""Scenarios of ``--wait`` shared by tests/lifecycle/test_wait.py and record_wait.py: the
chart's objects, the emulator's knobs, helm's flags.  The golden holds what the oracle's helm
printed for each (``tests/golden/wait/helm.json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "wait" / "helm.json"


def deployment(name: str, replicas: int = 1) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}


def job(name: str) -> dict[str, Any]:
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
            "spec": {"template": {"spec": {"restartPolicy": "Never",
                                           "containers": [{"name": "c", "image": "busybox"}]}}}}


def hook(o: dict[str, Any], event: str = "pre-install") -> dict[str, Any]:
    return {**o, "metadata": {**o["metadata"], "annotations": {"helm.sh/hook": event}}}


def is_hook(o: dict[str, Any]) -> bool:
    return "helm.sh/hook" in ((o.get("metadata") or {}).get("annotations") or {})


def pvc(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
            "spec": {"accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}}


WIDGETS = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {"group": "example.com", "scope": "Namespaced",
             "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
             "versions": [{"name": "v1", "served": True, "storage": True,
                           "subresources": {"status": {}},
                           "schema": {"openAPIV3Schema": {
                               "type": "object",
                               "x-kubernetes-preserve-unknown-fields": True}}}]}}


def widget(name: str) -> dict[str, Any]:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name},
            "spec": {"size": 1}}


# objects the cluster has before a scenario starts (a CRD, so that its kind takes knobs)
PREPARED: dict[str, list[dict[str, Any]]] = {"custom-resources": [WIDGETS]}

# name -> (objects, knobs {(kind, name): behaviour}, extra helm flags, timeout seconds)
SCENARIOS: dict[str, tuple[list[dict[str, Any]], dict[tuple[str, str], dict[str, Any]],
                           list[str], float]] = {
    "never-ready": ([deployment("web"), deployment("api"), deployment("ok")],
                    {("Deployment", "web"): {"ready": False},
                     ("Deployment", "api"): {"ready": False}}, [], 1),
    "progress-deadline": ([deployment("web")], {("Deployment", "web"): {"fail": True}}, [], 5),
    "job-fails-wait-for-jobs": ([job("migrate")], {("Job", "migrate"): {"fail": True}},
                                ["--wait-for-jobs"], 5),
    "job-fails": ([job("migrate")], {("Job", "migrate"): {"fail": True}}, [], 5),
    "job-running-wait-for-jobs": ([job("migrate")], {("Job", "migrate"): {"ready": False}},
                                  ["--wait-for-jobs"], 1),
    "pvc-pending": ([pvc("data")], {("PersistentVolumeClaim", "data"): {"ready": False}}, [], 1),
    "hook-job-fails": ([hook(job("migrate"))], {("Job", "migrate"): {"fail": True}}, [], 5),
    "hook-job-never-completes": ([hook(job("migrate"))], {("Job", "migrate"): {"ready": False}},
                                 [], 1),
    "custom-resources": ([widget("late"), widget("broken"), widget("stuck"), widget("plain")],
                         {("Widget", "late"): {"delay": 0.3}, ("Widget", "broken"): {"fail": True},
                          ("Widget", "stuck"): {"ready": False}}, [], 1),
    "legacy-job-running": ([job("migrate")], {("Job", "migrate"): {"ready": False}},
                           ["--wait=legacy", "--wait-for-jobs"], 1),
    "legacy-pvc-pending": ([pvc("data")], {("PersistentVolumeClaim", "data"): {"ready": False}},
                           ["--wait=legacy"], 1),
    "legacy-never-ready": ([deployment("web")], {("Deployment", "web"): {"ready": False}},
                           ["--wait=legacy"], 1),
}


def write_chart(root: Path, objs: list[dict[str, Any]]) -> Path:
    chart = root / "waitdemo"
    (chart / "templates").mkdir(parents=True, exist_ok=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: waitdemo\nversion: 0.1.0\n")
    (chart / "templates" / "all.yaml").write_text(
        "".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objs))
    return chart


def wait_lines(stderr: str) -> list[str]:
    """Helm's --debug lines about waiting, with repeats of one line collapsed (how many
    events a wait sees depends on timing)."""
    out: list[str] = []
    for line in stderr.splitlines():
        if "msg=\"waiting for" in line or "achieved desired status" in line or \
                "beginning wait" in line:
            if not out or out[-1] != line:
                out.append(line)
    return out


def debug_lines(stderr: str) -> list[str]:
    """Every --debug line from the start of the first wait on, repeats collapsed."""
    out: list[str] = []
    waiting = False
    for line in stderr.splitlines():
        waiting = waiting or "msg=\"waiting for" in line or "beginning wait" in line
        if waiting and line.startswith("level=") and (not out or out[-1] != line):
            out.append(line)
    return out
