"""Discovery documents: ``/api``, ``/apis``, ``/api/v1``, ``/apis/<group>/<version>``, in the
legacy and the aggregated (``apidiscovery.k8s.io/v2``) forms, and ``/version``."""

from __future__ import annotations

import hashlib
from typing import Any

from kelm.testing.registry import Registry, ResourceType

AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
AGGREGATED_BETA = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"

VERSION = {
    "major": "1", "minor": "35", "emulationMajor": "1", "emulationMinor": "35",
    "minCompatibilityMajor": "1", "minCompatibilityMinor": "34",
    "gitVersion": "v1.35.2", "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25.0",
    "compiler": "gc", "platform": "linux/amd64",
}


def wants_aggregated(accept: str) -> str:
    """The aggregated media type the client asked for first, or ''."""
    for part in accept.split(","):
        p = part.replace(" ", "")
        if "as=APIGroupDiscoveryList" in p and "g=apidiscovery.k8s.io" in p:
            return AGGREGATED_BETA if "v=v2beta1" in p else AGGREGATED
        if p.startswith("application/json") and "as=" not in p:
            return ""
    return ""


def _hash(t: ResourceType) -> str:
    return hashlib.sha256(f"{t.group}/{t.version}/{t.kind}".encode()).hexdigest()[:11]


def api_versions(server: str) -> dict[str, Any]:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server}]}


def api_group_list(reg: Registry) -> dict[str, Any]:
    groups = []
    for g, versions in reg.groups().items():
        if not g:
            continue
        vs = [{"groupVersion": f"{g}/{v}", "version": v} for v in versions]
        groups.append({"name": g, "versions": vs, "preferredVersion": vs[0]})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(reg: Registry, group: str) -> dict[str, Any] | None:
    versions = reg.groups().get(group)
    if not versions or not group:
        return None
    vs = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
    return {"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": vs,
            "preferredVersion": vs[0]}


def resource_list(reg: Registry, group: str, version: str) -> dict[str, Any] | None:
    types = reg.in_version(group, version)
    if not types:
        return None
    resources: list[dict[str, Any]] = []
    for t in types:
        r: dict[str, Any] = {"name": t.plural, "singularName": t.singular,
                             "namespaced": t.namespaced, "kind": t.kind, "verbs": list(t.verbs)}
        if t.short_names:
            r["shortNames"] = list(t.short_names)
        if t.categories:
            r["categories"] = list(t.categories)
        r["storageVersionHash"] = _hash(t)
        resources.append(r)
        for sub, info in sorted(t.subresources.items()):
            sr: dict[str, Any] = {"name": f"{t.plural}/{sub}", "singularName": "",
                                  "namespaced": t.namespaced, "kind": info["kind"],
                                  "verbs": list(info["verbs"])}
            if info["kind"] == "Scale":
                sr["group"], sr["version"] = "autoscaling", "v1"
            resources.append(sr)
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
            "resources": resources}


def _aggregated_resource(t: ResourceType) -> dict[str, Any]:
    r: dict[str, Any] = {
        "resource": t.plural,
        "responseKind": {"group": t.group, "version": t.version, "kind": t.kind},
        "scope": "Namespaced" if t.namespaced else "Cluster",
        "singularResource": t.singular,
        "verbs": list(t.verbs),
    }
    if t.short_names:
        r["shortNames"] = list(t.short_names)
    if t.categories:
        r["categories"] = list(t.categories)
    subs = []
    for sub, info in sorted(t.subresources.items()):
        kind = info["kind"]
        g, v = ("autoscaling", "v1") if kind == "Scale" else (t.group, t.version)
        subs.append({"subresource": sub, "responseKind": {"group": g, "version": v, "kind": kind},
                     "verbs": list(info["verbs"])})
    if subs:
        r["subresources"] = subs
    return r


def aggregated(reg: Registry, legacy: bool, media: str) -> dict[str, Any]:
    items = []
    for g, versions in reg.groups().items():
        if legacy != (g == ""):
            continue
        entry: dict[str, Any] = {"metadata": {"name": g} if g else {}, "versions": [
            {"version": v, "resources": [_aggregated_resource(t) for t in reg.in_version(g, v)],
             "freshness": "Current"} for v in versions]}
        items.append(entry)
    api_version = "apidiscovery.k8s.io/v2beta1" if "v2beta1" in media else "apidiscovery.k8s.io/v2"
    return {"kind": "APIGroupDiscoveryList", "apiVersion": api_version, "metadata": {},
            "items": items}
