"""CustomResourceDefinitions: creating one registers its resource (and marks it
``NamesAccepted``/``Established``); deleting it removes the resource and its objects."""

from __future__ import annotations

from typing import Any

from kelm.testing.api import Api, now
from kelm.testing.registry import ResourceType

_KEY = ("apiextensions.k8s.io", "customresourcedefinitions")


def _types(crd: dict[str, Any]) -> list[ResourceType]:
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    out = []
    for v in spec.get("versions") or []:
        if not isinstance(v, dict) or not v.get("served", True):
            continue
        schema = ((v.get("schema") or {}).get("openAPIV3Schema")) or None
        if isinstance(schema, dict) and v.get("additionalPrinterColumns"):
            schema = {**schema, "x-kelm-printer-columns": v["additionalPrinterColumns"]}
        subs: dict[str, dict[str, Any]] = {}
        if "status" in (v.get("subresources") or {}):
            subs["status"] = {"kind": names.get("kind", ""), "verbs": ["get", "patch", "update"]}
        if "scale" in (v.get("subresources") or {}):
            subs["scale"] = {"kind": "Scale", "verbs": ["get", "patch", "update"]}
        out.append(ResourceType(
            group=spec.get("group", ""), version=v.get("name", ""), kind=names.get("kind", ""),
            plural=names.get("plural", ""), namespaced=spec.get("scope", "Namespaced") == "Namespaced",
            verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            subresources=subs, short_names=tuple(names.get("shortNames") or ()),
            categories=tuple(names.get("categories") or ()),
            crd=crd["metadata"]["name"], schema=schema,
        ))
    return out


class CrdController:
    """An ``Api`` hook: keeps the registry in step with the stored CRDs."""

    def __init__(self, api: Api, on_change: Any = None) -> None:
        self.api = api
        self.on_change = on_change
        api.hooks.append(self._hook)

    def _hook(self, event: str, t: ResourceType, obj: dict[str, Any]) -> None:
        if t.store_key != _KEY:
            return
        name = obj["metadata"]["name"]
        reg = self.api.registry
        if event == "DELETED":
            for rt in [r for r in reg.all() if r.crd == name]:
                for o in self.api.store.objects(rt.store_key):
                    gone = self.api.store.remove(rt.store_key, o["metadata"].get("namespace", ""),
                                                 o["metadata"]["name"])
                    if gone is not None:
                        self.api._after("DELETED", rt, gone)
            reg.remove_crd(name)
        elif not obj["metadata"].get("deletionTimestamp"):
            reg.remove_crd(name)
            for rt in _types(obj):
                reg.add(rt)
            self._establish(t, obj)
        if self.on_change is not None:
            self.on_change()

    def _establish(self, t: ResourceType, obj: dict[str, Any]) -> None:
        status = obj.get("status") or {}
        conds = status.get("conditions") or []
        if any(c.get("type") == "Established" and c.get("status") == "True" for c in conds):
            return
        names = (obj.get("spec") or {}).get("names") or {}
        ts = now()
        status = {
            "conditions": [
                {"type": "NamesAccepted", "status": "True", "lastTransitionTime": ts,
                 "reason": "NoConflicts", "message": "no conflicts found"},
                {"type": "Established", "status": "True", "lastTransitionTime": ts,
                 "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"},
            ],
            "acceptedNames": {k: v for k, v in names.items()},
            "storedVersions": [v.get("name") for v in (obj.get("spec") or {}).get("versions") or []
                               if isinstance(v, dict) and v.get("storage")],
        }
        cur = self.api.store.get(t.store_key, "", obj["metadata"]["name"])
        if cur is None:
            return
        cur["status"] = status
        stored = self.api.store.put(t.store_key, cur, "MODIFIED")
        self.api._after("MODIFIED", t, stored)
