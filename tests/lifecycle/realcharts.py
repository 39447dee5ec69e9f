"""Release lifecycles of real corpus charts against the kelm.testing emulator, as the oracle's
helm recorded them (record_real_charts.py) and as kelm replays them (test_real_charts.py).

Each case installs ``rel`` in ``ns`` (``--create-namespace``), upgrades it with ``--set``,
again with ``--reuse-values``, rolls back to 1 and uninstalls with ``--keep-history``,
stopping at the first step that fails.  After each step it keeps the command's output, the
writes it sent (method, path, query, status, sorted: helm applies in parallel), the release's
views (``get all``, ``get values``, ``history``, ``list``: ``status`` lists live objects
whose order and ages vary) and the objects the release owns
(ownership metadata, field managers, data; specs, which the emulator defaults as it
grows, and what its controllers write, status and generated objects, left out).  Timestamps, uids and allocated addresses are
masked, so two runs of one tool are equal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import kelm.testing
from tests.shared import HELM, SHARED

CORPUS = SHARED / "charts"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "lifecycle" / "real-charts"
REL, NS = "rel", "ns"

# chart -> (the value the first upgrade sets, why the chart is here)
CASES: dict[str, tuple[str, str]] = {
    "anchore-engine": ("anchoreGlobal.logLevel=DEBUG",
                       "block scalars ending a document keep their newline; post-upgrade hook "
                       "Jobs applied strict and deleted before creation"),
    "aerospike": ("replicaCount=2", "null annotations get the ownership annotations"),
    "bitcoind": ("image.tag=0.18.0",
                 "a keep PVC stays on uninstall; release records' manager is Helm"),
    "minio": ("nameOverride=swept", "renamed objects: the old ones deleted on upgrade, "
              "restored on rollback; --create-namespace applied server-side"),
    "vsphere-cpi": ("config.enabled=true", "a kind: List is flattened into its items (applied, "
                    "owned, deleted); objects added on upgrade go on rollback"),
    "vault-operator": ("", "a disabled subchart's crds/ stay out (dependencies processed "
                       "before the CRDs)"),
    "mcrouter": ("", "a hook of an unknown kind: Helm's resource-mapping message"),
    "ark": ("", "unknown kinds: Helm's aggregated resource-mapping error"),
    "velero": ("", "unknown CRD kind: failed to install CRD with Helm's mapping error"),
}

VIEWS_AFTER: dict[str, list[list[str]]] = {
    "install": [["get", "all", REL], ["history", REL, "-o", "json"],
                ["list", "-A", "-o", "json"]],
    "upgrade": [["get", "values", REL, "--all", "-o", "json"]],
    "reuse": [["get", "values", REL, "-o", "json"]],
    "rollback": [["get", "all", REL], ["history", REL, "-o", "json"]],
    "uninstall": [["history", REL], ["list", "-A", "--all", "-o", "json"]],
}

_MASKS = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"), "<ts>"),
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \w+"), "<ts>"),
    (re.compile(r"\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}"), "<ts>"),
    (re.compile(r"modifiedAt=\d+"), "modifiedAt=<n>"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uid>"),
]


def mask(text: str) -> str:
    for rx, rep in _MASKS:
        text = rx.sub(rep, text)
    return text


def steps(chart: str) -> list[tuple[str, list[str]]]:
    path = str(CORPUS / "charts" / chart)
    setv = CASES[chart][0]
    return [
        ("install", ["install", REL, path, "-n", NS, "--create-namespace"]),
        ("upgrade", ["upgrade", REL, path, "-n", NS, "--set", setv]),
        ("reuse", ["upgrade", REL, path, "-n", NS, "--reuse-values", "--set", "kelmExtra=2"]),
        ("rollback", ["rollback", REL, "1", "-n", NS]),
        ("uninstall", ["uninstall", REL, "-n", NS, "--keep-history"]),
    ]


def run(tool: str, c: kelm.testing.Cluster, args: list[str]) -> list[Any]:
    """[exit code, stdout, stderr] of ``tool`` (helm: the oracle's), masked."""
    cmd = [os.fspath(HELM)] if tool == "helm" else [sys.executable, "-m", "kelm"]
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "KUBECONFIG"))},
           **c.env()}
    if tool == "kelm":  # helm-isolated brings its own homes; kelm gets empty ones
        home = c.kubeconfig_path.parent
        env.update(HELM_CACHE_HOME=str(home / "cache"), HELM_CONFIG_HOME=str(home / "config"),
                   HELM_DATA_HOME=str(home / "data"))
    r = subprocess.run([*cmd, *args], env=env, capture_output=True, text=True, timeout=120)
    return [r.returncode, mask(r.stdout.replace(str(CORPUS), "<corpus>")),
            mask(r.stderr.replace(str(CORPUS), "<corpus>"))]


def _csa_upgrade(method: str, query: str) -> bool:
    """helm's csaupgrade managedFields patch: sent only because the emulator's fieldsV1 is not
    in structured-merge-diff's canonical order (a real API server's is), so not compared."""
    return method == "PATCH" and query == "fieldManager=helm&fieldValidation=Strict"


def writes(c: kelm.testing.Cluster, start: int) -> list[str]:
    return sorted(f"{r.method} {r.path}?{r.query} {r.status}" for r in list(c.requests)[start:]
                  if r.method != "GET" and not _csa_upgrade(r.method, r.query))


_DROP_META = ("uid", "resourceVersion", "creationTimestamp", "generation", "selfLink")


def _no_nulls(v: Any) -> Any:
    """Without null members: what the emulator keeps of an applied null varies by version."""
    if isinstance(v, dict):
        return {k: _no_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_no_nulls(x) for x in v]
    return v


def objects(c: kelm.testing.Cluster) -> dict[str, Any]:
    """The release's objects (and namespace ``ns``), by group/resource namespace/name."""
    out: dict[str, Any] = {}
    for key in sorted(c.store.keys()):
        for obj in c.store.objects(key):
            meta = obj.get("metadata") or {}
            if meta.get("ownerReferences") or key[1] == "events":
                continue  # made by the emulator's controllers
            ann = meta.get("annotations") or {}
            labels = meta.get("labels") or {}
            mine = (ann.get("meta.helm.sh/release-name") == REL or "helm.sh/hook" in ann
                    or labels.get("owner") == "helm" or (key[1] == "namespaces"
                                                         and meta.get("name") == NS))
            if not mine:
                continue
            view = {k: meta.get(k) for k in ("labels", "finalizers")}
            view["annotations"] = {k: v for k, v in ann.items()  # the controllers' own, racing
                                   if not k.startswith("deployment.kubernetes.io/")}
            if labels.get("owner") == "helm":  # a release record: its payload holds times
                view["labels"] = {k: v for k, v in labels.items() if k != "modifiedAt"}
            # who manages it, and how (the emulator's field sets are its own business)
            view["managedFields"] = sorted(
                {(m.get("manager"), m.get("operation"), m.get("subresource"))
                 for m in meta.get("managedFields") or ()
                 if m.get("manager") != "kube-controller-manager"}, key=str)
            if labels.get("owner") != "helm":  # specs left out: the emulator defaults them
                for part in ("data", "stringData"):
                    if part in obj:
                        view[part] = _no_nulls(obj[part])
            out[f"{key[0]}/{key[1]} {meta.get('namespace', '')}/{meta.get('name')}"] = \
                json.loads(mask(json.dumps(view, sort_keys=True)))
    return out


def lifecycle(tool: str, chart: str) -> list[dict[str, Any]]:
    """Every step ``tool`` takes on ``chart`` in a fresh emulator, as recorded."""
    out: list[dict[str, Any]] = []
    with kelm.testing.cluster() as c:
        for step, args in steps(chart):
            start = len(c.requests)
            res = run(tool, c, args)
            rec: dict[str, Any] = {"step": step, "result": res, "writes": writes(c, start),
                                   "objects": objects(c)}
            if res[0] == 0:
                rec["views"] = {" ".join(v): run(tool, c, [*v, "-n", NS])
                                for v in VIEWS_AFTER[step]}
            out.append(rec)
            if res[0] != 0:
                break
    return out


def golden_path(chart: str) -> Path:
    return GOLDEN / f"{chart}.json"
