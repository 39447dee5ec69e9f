"""``meta.k8s.io/v1`` Table responses (what ``kubectl get`` asks for): NAME, a few
kind-specific columns and AGE."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from kelm.testing.registry import ResourceType

Column = tuple[str, str, Callable[[dict[str, Any]], Any]]


def _age(obj: dict[str, Any]) -> str:
    ts = obj.get("metadata", {}).get("creationTimestamp", "")
    try:
        t = _dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=_dt.UTC)
    except ValueError:
        return "<unknown>"
    s = int((_dt.datetime.now(_dt.UTC) - t).total_seconds())
    if s < 120:
        return f"{max(s, 0)}s"
    if s < 7200:
        return f"{s // 60}m"
    if s < 172800:
        return f"{s // 3600}h"
    return f"{s // 86400}d"


def _st(obj: dict[str, Any], key: str, default: Any = 0) -> Any:
    return (obj.get("status") or {}).get(key, default)


def _ready(obj: dict[str, Any]) -> str:
    replicas = (obj.get("spec") or {}).get("replicas", 1)
    return f"{_st(obj, 'readyReplicas')}/{replicas}"


def _pod_ready(obj: dict[str, Any]) -> str:
    cs = _st(obj, "containerStatuses", []) or []
    n = len((obj.get("spec") or {}).get("containers") or [])
    return f"{sum(1 for c in cs if c.get('ready'))}/{n}"


_COLUMNS: dict[tuple[str, str], list[Column]] = {
    ("apps", "deployments"): [("Ready", "string", _ready),
                              ("Up-to-date", "integer", lambda o: _st(o, "updatedReplicas")),
                              ("Available", "integer", lambda o: _st(o, "availableReplicas"))],
    ("apps", "statefulsets"): [("Ready", "string", _ready)],
    ("apps", "replicasets"): [("Desired", "integer", lambda o: (o.get("spec") or {}).get("replicas", 1)),
                              ("Current", "integer", lambda o: _st(o, "replicas")),
                              ("Ready", "integer", lambda o: _st(o, "readyReplicas"))],
    ("", "pods"): [("Ready", "string", _pod_ready),
                   ("Status", "string", lambda o: _st(o, "phase", "Pending")),
                   ("Restarts", "string", lambda o: "0")],
    ("", "namespaces"): [("Status", "string", lambda o: _st(o, "phase", "Active"))],
    ("", "configmaps"): [("Data", "integer", lambda o: len(o.get("data") or {}) +
                          len(o.get("binaryData") or {}))],
    ("", "secrets"): [("Type", "string", lambda o: o.get("type", "Opaque")),
                      ("Data", "integer", lambda o: len(o.get("data") or {}))],
    ("", "services"): [("Type", "string", lambda o: (o.get("spec") or {}).get("type", "")),
                       ("Cluster-IP", "string",
                        lambda o: (o.get("spec") or {}).get("clusterIP", "<none>"))],
}


def _crd_columns(t: ResourceType) -> list[Column]:
    cols: list[Column] = []
    for c in (t.schema or {}).get("x-kelm-printer-columns", []):
        path = [p for p in str(c.get("jsonPath", "")).lstrip(".").split(".") if p]

        def get(o: dict[str, Any], path: list[str] = path) -> Any:
            cur: Any = o
            for p in path:
                cur = cur.get(p) if isinstance(cur, dict) else None
            return "" if cur is None else cur
        if path[:2] != ["metadata", "creationTimestamp"]:
            cols.append((str(c.get("name", "")), str(c.get("type", "string")), get))
    return cols


def table(t: ResourceType, items: list[dict[str, Any]], rv: str, include: str) -> dict[str, Any]:
    cols = _COLUMNS.get(t.store_key, []) if not t.crd else _crd_columns(t)
    defs = [{"name": "Name", "type": "string", "format": "name", "description": "", "priority": 0}]
    defs += [{"name": n, "type": ty, "format": "", "description": "", "priority": 0}
             for n, ty, _ in cols]
    defs.append({"name": "Age", "type": "string", "format": "", "description": "", "priority": 0})
    rows = []
    for o in items:
        row: dict[str, Any] = {"cells": [o["metadata"]["name"]] + [f(o) for _, _, f in cols] +
                               [_age(o)]}
        if include == "Object":
            row["object"] = o
        elif include != "None":
            row["object"] = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                             "metadata": o["metadata"]}
        rows.append(row)
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": rv},
            "columnDefinitions": defs, "rows": rows}
