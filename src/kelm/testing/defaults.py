"""The few defaults the real server fills in that clients read back (replicas, Service
ports and cluster IP, Secret type, Namespace phase, Job counts)."""

from __future__ import annotations

import base64
import itertools
from typing import Any

from kelm.testing.registry import ResourceType
from kelm.testing.schema import Node, root

_IPS = itertools.count(1)


def _secret(obj: dict[str, Any]) -> None:
    obj.setdefault("type", "Opaque")
    sd = obj.pop("stringData", None)
    if isinstance(sd, dict):
        cur = obj.get("data")
        data: dict[str, Any] = cur if isinstance(cur, dict) else {}
        for k, v in sd.items():
            data[k] = base64.b64encode(str(v).encode()).decode()
        obj["data"] = data


def _namespace(obj: dict[str, Any]) -> None:
    name = obj["metadata"].get("name", "")
    obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = name
    obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])
    status = obj.setdefault("status", {})
    status.setdefault("phase", "Active")


def _service(obj: dict[str, Any]) -> None:
    spec = obj.setdefault("spec", {})
    spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    if spec["type"] != "ExternalName" and spec.get("clusterIP") != "None":
        if not spec.get("clusterIP"):
            n = next(_IPS)
            spec["clusterIP"] = f"10.96.{n // 250 % 250}.{n % 250 + 1}"
        spec.setdefault("clusterIPs", [spec["clusterIP"]])
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
    spec.setdefault("internalTrafficPolicy", "Cluster")
    for port in spec.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("protocol", "TCP")
            if "port" in port:
                port.setdefault("targetPort", port["port"])
    obj.setdefault("status", {}).setdefault("loadBalancer", {})


def _workload(obj: dict[str, Any]) -> None:
    spec = obj.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    spec.setdefault("revisionHistoryLimit", 10)
    _template(spec)


def _pod_spec(spec: Any) -> None:
    if not isinstance(spec, dict):
        return
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("securityContext", {})
    for v in spec.get("volumes") or []:
        if isinstance(v, dict) and set(v) <= {"name"}:  # no source at all: an emptyDir
            v["emptyDir"] = {}
    for c in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        if not isinstance(c, dict):
            continue
        image = str(c.get("image", ""))
        tag = image.rpartition("/")[2]
        latest = ":" not in tag or tag.endswith(":latest")
        if not c.get("imagePullPolicy"):  # "" is Go's unset
            c["imagePullPolicy"] = "Always" if latest and "@" not in image else "IfNotPresent"
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            if isinstance(c.get(probe), dict):
                for k, v in _PROBE.items():
                    c[probe].setdefault(k, v)
        c.setdefault("terminationMessagePath", "/dev/termination-log")
        c.setdefault("terminationMessagePolicy", "File")
        c.setdefault("resources", {})
        for p in c.get("ports") or []:
            if isinstance(p, dict):
                p.setdefault("protocol", "TCP")


_PROBE = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}


def _template(spec: dict[str, Any]) -> None:
    tpl = spec.get("template")
    if isinstance(tpl, dict):
        _pod_spec(tpl.get("spec"))


def _deployment(obj: dict[str, Any]) -> None:
    _workload(obj)
    spec = obj["spec"]
    spec.setdefault("progressDeadlineSeconds", 600)
    if not (spec.get("strategy") or {}).get("type"):
        spec["strategy"] = {"type": "RollingUpdate", **(spec.get("strategy") or {})}
    if spec["strategy"]["type"] == "RollingUpdate":
        spec["strategy"].setdefault("rollingUpdate", {"maxSurge": "25%", "maxUnavailable": "25%"})


def _job(obj: dict[str, Any]) -> None:
    spec = obj.setdefault("spec", {})
    spec.setdefault("completions", 1)
    spec.setdefault("parallelism", 1)
    spec.setdefault("backoffLimit", 6)
    tpl = spec.get("template")
    if isinstance(tpl, dict) and isinstance(tpl.get("spec"), dict):
        tpl["spec"].setdefault("restartPolicy", "Never")
    _template(spec)


def _pod(obj: dict[str, Any]) -> None:
    _pod_spec(obj.setdefault("spec", {}))


_DEFAULTS = {
    ("", "secrets"): _secret,
    ("", "namespaces"): _namespace,
    ("", "services"): _service,
    ("", "pods"): _pod,
    ("apps", "deployments"): _deployment,
    ("apps", "replicasets"): _workload,
    ("apps", "statefulsets"): _workload,
    ("apps", "daemonsets"): lambda obj: _template(obj.setdefault("spec", {})),
    ("batch", "jobs"): _job,
}


def drop_nulls(value: Any, node: Node, typed: bool) -> None:
    """What decoding into Go types does to JSON nulls (a built-in kind, ``typed``): a null
    field is no field, a null map value the element's zero value (``""`` for strings, else
    gone); for custom resources, structural pruning drops the nulls the schema does not call
    ``nullable``. A chart's ``replicas:`` with nothing after it is then defaulted to 1."""
    if isinstance(value, list):
        for item in value:
            drop_nulls(item, node.items(), typed)
        return
    if not isinstance(value, dict):
        return
    s = node.schema
    is_map = s is not None and "properties" not in s and isinstance(
        s.get("additionalProperties"), dict)
    for key in list(value):
        child = node.field(key)
        if value[key] is not None:
            drop_nulls(value[key], child, typed)
            continue
        cs = child.schema
        if not typed and (cs is None or cs.get("nullable")):
            continue  # unknown to the schema, or allowed to be null
        if typed and is_map and (cs or {}).get("type") == "string" and not (cs or {}).get("format"):
            value[key] = ""
        else:
            del value[key]


def decode_nulls(t: ResourceType, obj: dict[str, Any]) -> None:
    """``drop_nulls`` for a whole object of type ``t`` (before names and labels are checked)."""
    drop_nulls(obj, root(t), typed=not t.crd)


def apply_defaults(t: ResourceType, obj: dict[str, Any]) -> None:
    fn = _DEFAULTS.get(t.store_key)
    if fn is not None and not t.crd:
        fn(obj)
