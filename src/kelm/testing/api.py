"""The API server's object semantics, independent of HTTP: create, update, patch, delete,
get and list with metadata, optimistic concurrency, field ownership, finalizers and
garbage collection. The HTTP layer (``server.py``) and the Python API both call it."""

from __future__ import annotations

import copy
import datetime as _dt
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kelm.testing import errors, fields, patch, validation
from kelm.testing.defaults import apply_defaults, decode_nulls
from kelm.testing.errors import ApiError
from kelm.testing.registry import Registry, ResourceType
from kelm.testing.schema import root
from kelm.testing.selectors import field_selector, label_selector
from kelm.testing.store import Store

Hook = Callable[[str, ResourceType, dict[str, Any]], None]
_NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789"


def now() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class WriteOptions:
    dry_run: bool = False
    field_manager: str = ""
    field_validation: str = "Warn"
    force: bool = False
    api_version: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class DeleteOptions:
    propagation: str = "Background"
    dry_run: bool = False
    precondition_uid: str = ""
    precondition_rv: str = ""


def _meta(obj: dict[str, Any]) -> dict[str, Any]:
    m = obj.get("metadata")
    if not isinstance(m, dict):
        m = obj["metadata"] = {}
    return m


def _body_without(obj: dict[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in drop}


class Api:
    """All mutations hold ``store.lock`` so that each is atomic."""

    def __init__(self, registry: Registry, store: Store) -> None:
        self.registry = registry
        self.store = store
        self.hooks: list[Hook] = []
        self._lock: threading.RLock = store.lock

    # ---------------------------------------------------------------- reads

    def get(self, t: ResourceType, namespace: str, name: str) -> dict[str, Any]:
        obj = self.store.get(t.store_key, namespace if t.namespaced else "", name)
        if obj is None:
            raise errors.not_found(t, name)
        return self._served(t, obj)

    def list_objects(self, t: ResourceType, namespace: str | None, labels: str | None = None,
             fields_: str | None = None) -> tuple[list[dict[str, Any]], int]:
        lmatch, fmatch = label_selector(labels), field_selector(fields_)
        with self._lock:
            items = self.store.objects(t.store_key, namespace if t.namespaced else None)
            rv = self.store.resource_version
        out = [self._served(t, o) for o in items
               if lmatch(o.get("metadata", {}).get("labels") or {}) and fmatch(o)]
        return out, rv

    def _served(self, t: ResourceType, obj: dict[str, Any]) -> dict[str, Any]:
        obj["apiVersion"] = t.api_version
        obj["kind"] = t.kind
        return obj

    # ---------------------------------------------------------------- writes

    def _check_namespace(self, t: ResourceType, namespace: str, name: str) -> None:
        if not t.namespaced:
            return
        ns_type = self.registry.get("", "v1", "namespaces")
        assert ns_type is not None
        ns = self.store.get(ns_type.store_key, "", namespace)
        if ns is None:
            raise errors.not_found(ns_type, namespace)
        if ns.get("metadata", {}).get("deletionTimestamp"):
            raise errors.forbidden_terminating(t, name, namespace)

    def _prepare_body(self, t: ResourceType, namespace: str, body: Any,
                      opts: WriteOptions, validate: bool = True) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise errors.bad_request(
                f"the object provided is unrecognized (must be of type {t.kind}): couldn't get "
                "version/kind; json parse error: json: cannot unmarshal array into Go value of "
                "type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
                "\"json:\\\"kind,omitempty\\\"\" }")
        obj = copy.deepcopy(body)
        kind = obj.get("kind")
        if kind and kind != t.kind:
            raise errors.bad_request(
                f"the API version in the data ({obj.get('apiVersion', '')}) does not match the "
                f"expected API version ({t.api_version})" if obj.get("apiVersion") not in
                (None, t.api_version) else
                f'the object provided is unrecognized (must be of type {t.kind}): '
                f'no kind "{kind}" is registered for version "{t.api_version}"')
        meta = _meta(obj)
        if t.namespaced:
            body_ns = meta.get("namespace")
            if body_ns and body_ns != namespace:
                raise errors.bad_request("the namespace of the provided object does not match "
                                         "the namespace sent on the request")
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        if validate:
            validation.check_fields(t, obj, root(t), opts.field_validation, opts.warnings)
        obj["apiVersion"], obj["kind"] = t.api_version, t.kind
        return obj

    def create(self, t: ResourceType, namespace: str, body: Any,
               opts: WriteOptions | None = None) -> dict[str, Any]:
        opts = opts or WriteOptions()
        obj = self._prepare_body(t, namespace, body, opts)
        with self._lock:
            return self._create(t, namespace, obj, opts, manage=True)

    def _create(self, t: ResourceType, namespace: str, obj: dict[str, Any], opts: WriteOptions,
                manage: bool) -> dict[str, Any]:
        meta = _meta(obj)
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + "".join(random.choices(_NAME_CHARS, k=5))
        decode_nulls(t, obj)
        validation.check_name(t, obj)
        name = meta["name"]
        self._check_namespace(t, namespace, name)
        if self.store.get(t.store_key, namespace if t.namespaced else "", name) is not None:
            raise errors.already_exists(t, name)
        for k in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"):
            meta.pop(k, None)
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now()
        if _has_spec(t):
            meta["generation"] = 1
        if "status" in t.subresources and not t.crd:
            obj["status"] = {}
        elif "status" in t.subresources:
            obj.pop("status", None)
        apply_defaults(t, obj)
        validation.check_pod_spec(t, obj)
        if manage and opts.field_manager:
            fields.record_update(None, obj, root(t), manager=opts.field_manager,
                                 api_version=t.api_version, now=now())
        if opts.dry_run:
            return self._served(t, obj)
        stored = self.store.put(t.store_key, obj, "ADDED")
        self._after("ADDED", t, stored)
        return self._served(t, stored)

    def update(self, t: ResourceType, namespace: str, name: str, body: Any,
               opts: WriteOptions | None = None, subresource: str = "") -> dict[str, Any]:
        opts = opts or WriteOptions()
        obj = self._prepare_body(t, namespace, body, opts)
        meta = _meta(obj)
        if meta.get("name") and meta["name"] != name:
            raise errors.bad_request(f"the name of the object ({meta['name']}) does not match "
                                     f"the name on the URL ({name})")
        meta["name"] = name
        with self._lock:
            cur = self.store.get(t.store_key, namespace if t.namespaced else "", name)
            if cur is None:
                raise errors.not_found(t, name)
            rv = meta.get("resourceVersion")
            if rv and rv != cur["metadata"].get("resourceVersion"):
                raise errors.conflict(t, name, errors.STALE)
            return self._replace(t, cur, obj, opts, subresource, record=True)

    def _replace(self, t: ResourceType, cur: dict[str, Any], obj: dict[str, Any],
                 opts: WriteOptions, subresource: str, record: bool) -> dict[str, Any]:
        """Write ``obj`` over ``cur`` keeping what the client may not change."""
        name = cur["metadata"]["name"]
        old_meta = cur["metadata"]
        if subresource == "status":
            new = copy.deepcopy(cur)
            if "status" in obj:
                new["status"] = obj["status"]
            else:
                new.pop("status", None)
            obj = new
        elif "status" in t.subresources:
            if "status" in cur:
                obj["status"] = cur["status"]
            else:
                obj.pop("status", None)
        meta = _meta(obj)
        for k in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                  "namespace", "name"):
            if k in old_meta:
                meta[k] = old_meta[k]
            else:
                meta.pop(k, None)
        if "managedFields" not in meta and "managedFields" in old_meta:
            meta["managedFields"] = old_meta["managedFields"]
        elif meta.get("managedFields") != old_meta.get("managedFields"):
            record = False  # the client rewrote the ownership itself (kubectl's SSA migration)
        if old_meta.get("deletionTimestamp"):
            added = set(meta.get("finalizers") or ()) - set(old_meta.get("finalizers") or ())
            if added:
                raise errors.invalid(t, name, [(
                    "metadata.finalizers", "FieldValueForbidden",
                    "Forbidden: no new finalizers can be added if the object is being deleted, "
                    f"found new finalizers {sorted(added)}")])
        decode_nulls(t, obj)
        validation.check_name(t, obj)
        apply_defaults(t, obj)
        validation.check_pod_spec(t, obj)
        if "generation" in old_meta:
            gen = old_meta["generation"]
            if _body_without(obj, "metadata", "status") != _body_without(cur, "metadata", "status"):
                gen += 1
            meta["generation"] = gen
        if record and opts.field_manager:
            fields.record_update(cur, obj, root(t), manager=opts.field_manager,
                                 api_version=t.api_version, now=now(), subresource=subresource)
        meta["resourceVersion"] = old_meta.get("resourceVersion")
        if _same(obj, cur):
            return self._served(t, cur)
        if opts.dry_run:
            return self._served(t, obj)
        if meta.get("deletionTimestamp") and not meta.get("finalizers"):
            gone = self.store.remove(t.store_key, meta.get("namespace", ""), name)
            assert gone is not None
            self._after("DELETED", t, gone)
            self._collect()
            return self._served(t, obj)
        stored = self.store.put(t.store_key, obj, "MODIFIED")
        self._after("MODIFIED", t, stored)
        return self._served(t, stored)

    def patch(self, t: ResourceType, namespace: str, name: str, patch_type: str, body: Any,
              opts: WriteOptions | None = None, subresource: str = "") -> dict[str, Any]:
        opts = opts or WriteOptions()
        ns = namespace if t.namespaced else ""
        with self._lock:
            cur = self.store.get(t.store_key, ns, name)
            if patch_type == "apply":
                return self._apply(t, namespace, name, cur, body, opts, subresource)
            if cur is None:
                raise errors.not_found(t, name)
            cur = self._served(t, cur)
            if patch_type == "json":
                new = patch.json_patch(cur, body)
            elif patch_type == "merge":
                if not isinstance(body, dict):
                    raise errors.bad_request("json: cannot unmarshal into map")
                new = patch.merge_patch(cur, body)
            elif patch_type == "strategic":
                if t.crd:
                    raise ApiError(415, "UnsupportedMediaType",
                                   "strategic merge patch is not supported for custom resources"
                                   " (use a JSON merge patch)")
                if not isinstance(body, dict):
                    raise errors.bad_request("json: cannot unmarshal into map")
                new = patch.strategic_merge(cur, body, root(t))
            else:
                raise ApiError(415, "UnsupportedMediaType",
                               f"the server does not support the \"{patch_type}\" patch type", {})
            if not isinstance(new, dict):
                raise errors.bad_request("the patch did not produce an object")
            new_meta = _meta(new)
            rv = new_meta.get("resourceVersion")
            if rv and rv != cur["metadata"].get("resourceVersion"):
                raise errors.conflict(t, name, errors.STALE)
            if new_meta.get("name", name) != name:
                raise errors.bad_request(f"the name of the object ({new_meta['name']}) does not "
                                         f"match the name on the URL ({name})")
            obj = self._prepare_body(t, namespace, new, opts)
            return self._replace(t, cur, obj, opts, subresource, record=True)

    def _apply(self, t: ResourceType, namespace: str, name: str, cur: dict[str, Any] | None,
               body: Any, opts: WriteOptions, subresource: str) -> dict[str, Any]:
        if not opts.field_manager:
            raise errors.bad_request("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                                     "Required value: is required for apply patch")
        if not isinstance(body, dict):
            raise errors.bad_request("error decoding YAML: the applied configuration must be an object")
        applied = self._prepare_body(t, namespace, body, opts, validate=False)
        if not body.get("apiVersion") or not body.get("kind"):
            raise errors.bad_request("apiVersion and kind must be set in an apply configuration"
                                     if not body.get("kind") else "apiVersion must be set")
        ameta = _meta(applied)
        if ameta.get("name", name) != name:
            raise errors.bad_request(f"the name of the object ({ameta['name']}) does not match "
                                     f"the name on the URL ({name})")
        ameta["name"] = name
        rv = ameta.pop("resourceVersion", None)
        if rv and cur is not None and rv != cur["metadata"].get("resourceVersion"):
            raise errors.conflict(t, name, errors.STALE)
        node = root(t)
        problems = sorted(fields.typed_errors(applied, node))  # the real order is map order
        if problems:
            where = f"{namespace}/{name}" if t.namespaced else f"/{name}"
            text = problems[0] if len(problems) == 1 else "errors:\n" + "\n".join(
                "  " + p for p in problems)
            raise ApiError(500, "", f"failed to create typed patch object ({where}; "
                                    f"{t.group}/{t.version}, Kind={t.kind}): {text}")
        if cur is None:
            if subresource:
                raise errors.not_found(t, name)
            new = fields.apply(None, applied, node, manager=opts.field_manager,
                               api_version=t.api_version, now=now(), force=opts.force)
            return self._create(t, namespace, new, opts, manage=False)
        new = fields.apply(self._served(t, cur), applied, node, manager=opts.field_manager,
                           api_version=t.api_version, now=now(), force=opts.force,
                           subresource=subresource)
        return self._replace(t, cur, new, opts, subresource, record=False)

    # ---------------------------------------------------------------- delete

    def delete(self, t: ResourceType, namespace: str, name: str,
               opts: DeleteOptions | None = None) -> tuple[dict[str, Any], bool]:
        """Returns the object and whether it is gone (False: finalizers keep it for now)."""
        opts = opts or DeleteOptions()
        ns = namespace if t.namespaced else ""
        with self._lock:
            cur = self.store.get(t.store_key, ns, name)
            if cur is None:
                raise errors.not_found(t, name)
            meta = cur["metadata"]
            if opts.precondition_uid and opts.precondition_uid != meta.get("uid"):
                raise errors.conflict(t, name, f"Precondition failed: UID in precondition: "
                                      f"{opts.precondition_uid}, UID in object meta: {meta.get('uid')}")
            if opts.precondition_rv and opts.precondition_rv != meta.get("resourceVersion"):
                raise errors.conflict(t, name, "Precondition failed: ResourceVersion in "
                                      f"precondition: {opts.precondition_rv}, ResourceVersion in "
                                      f"object meta: {meta.get('resourceVersion')}")
            if opts.dry_run:
                return self._served(t, cur), True
            result = self._delete(t, cur, opts.propagation)
            self._collect()
            return result

    def _delete(self, t: ResourceType, cur: dict[str, Any], propagation: str
                ) -> tuple[dict[str, Any], bool]:
        meta = cur["metadata"]
        finalizers = list(meta.get("finalizers") or [])
        uid = meta.get("uid", "")
        if t.store_key == ("", "namespaces"):
            if not meta.get("deletionTimestamp"):
                meta["deletionTimestamp"] = now()
                cur.setdefault("status", {})["phase"] = "Terminating"
                stored = self.store.put(t.store_key, cur, "MODIFIED")
                self._after("MODIFIED", t, stored)
            for rt in self._namespaced_types():
                for obj in self.store.objects(rt.store_key, meta["name"]):
                    self._delete(rt, obj, "Background")
            return self._served(t, self.store.get(t.store_key, "", meta["name"]) or cur), False
        if propagation == "Foreground" and self._dependents(uid):
            if "foregroundDeletion" not in finalizers:
                finalizers.append("foregroundDeletion")
        if finalizers:
            changed = not meta.get("deletionTimestamp") or finalizers != meta.get("finalizers")
            meta.setdefault("deletionTimestamp", now())
            meta.setdefault("deletionGracePeriodSeconds", 0)
            meta["finalizers"] = finalizers
            if changed:
                cur = self.store.put(t.store_key, cur, "MODIFIED")
                self._after("MODIFIED", t, cur)
            if propagation == "Foreground":
                for dt, dep in self._dependents(uid):
                    self._delete(dt, dep, "Foreground")
            return self._served(t, cur), False
        gone = self.store.remove(t.store_key, meta.get("namespace", ""), meta["name"])
        if gone is None:
            return self._served(t, cur), True
        self._after("DELETED", t, gone)
        for dt, dep in self._dependents(uid):
            if propagation == "Orphan":
                dmeta = dep["metadata"]
                dmeta["ownerReferences"] = [r for r in dmeta.get("ownerReferences", [])
                                            if r.get("uid") != uid]
                if not dmeta["ownerReferences"]:
                    del dmeta["ownerReferences"]
                stored = self.store.put(dt.store_key, dep, "MODIFIED")
                self._after("MODIFIED", dt, stored)
            else:
                self._delete(dt, dep, propagation)
        return self._served(t, gone), True

    def _namespaced_types(self) -> list[ResourceType]:
        seen: dict[tuple[str, str], ResourceType] = {}
        for rt in self.registry.all():
            if rt.namespaced:
                seen.setdefault(rt.store_key, rt)
        return list(seen.values())

    def _types_by_key(self) -> dict[tuple[str, str], ResourceType]:
        out: dict[tuple[str, str], ResourceType] = {}
        for rt in self.registry.all():
            out.setdefault(rt.store_key, rt)
        return out

    def _dependents(self, uid: str) -> list[tuple[ResourceType, dict[str, Any]]]:
        if not uid:
            return []
        types = self._types_by_key()
        return [(types[key], obj) for key, obj in self.store.dependents(uid) if key in types]

    def _collect(self) -> None:
        """Finish deletions that were waiting: foreground owners whose dependents are gone,
        terminating namespaces that are empty."""
        for _ in range(50):
            progress = False
            types = self._types_by_key()
            for key, obj in self.store.deleting():
                rt = types.get(key)
                meta = obj["metadata"]
                fins = meta.get("finalizers") or []
                if rt is None:
                    continue
                if rt.store_key == ("", "namespaces"):
                    if self.store.namespace_empty(meta["name"]):
                        gone = self.store.remove(key, "", meta["name"])
                        if gone is not None:
                            self._after("DELETED", rt, gone)
                            progress = True
                elif "foregroundDeletion" in fins and not self.store.dependents(meta.get("uid", "")):
                    meta["finalizers"] = [f for f in fins if f != "foregroundDeletion"]
                    if not meta["finalizers"]:
                        del meta["finalizers"]
                    self._write_or_remove(rt, obj)
                    progress = True
            if not progress:
                return

    def _write_or_remove(self, rt: ResourceType, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        if meta.get("deletionTimestamp") and not meta.get("finalizers"):
            gone = self.store.remove(rt.store_key, meta.get("namespace", ""), meta["name"])
            if gone is not None:
                self._after("DELETED", rt, gone)
                for dt, dep in self._dependents(meta.get("uid", "")):
                    self._delete(dt, dep, "Background")
        else:
            stored = self.store.put(rt.store_key, obj, "MODIFIED")
            self._after("MODIFIED", rt, stored)

    def _after(self, event: str, t: ResourceType, obj: dict[str, Any]) -> None:
        for hook in list(self.hooks):
            hook(event, t, copy.deepcopy(obj))

    # ---------------------------------------------------------------- helpers for callers

    def ensure_namespace(self, name: str) -> None:
        t = self.registry.get("", "v1", "namespaces")
        assert t is not None
        with self._lock:
            if self.store.get(t.store_key, "", name) is None:
                self._create(t, "", {"apiVersion": "v1", "kind": "Namespace",
                                     "metadata": {"name": name}}, WriteOptions(), manage=False)


def _owners(meta: dict[str, Any]) -> list[Any]:
    return [{k: v for k, v in e.items() if k != "time"} for e in meta.get("managedFields") or []
            if isinstance(e, dict)]


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """No change worth a new resourceVersion (the real server skips no-op writes)."""
    strip = ("resourceVersion", "managedFields")
    am, bm = a.get("metadata", {}), b.get("metadata", {})
    if _owners(am) != _owners(bm):
        return False
    am = {k: v for k, v in am.items() if k not in strip}
    bm = {k: v for k, v in bm.items() if k not in strip}
    return am == bm and _body_without(a, "metadata", "apiVersion", "kind") == \
        _body_without(b, "metadata", "apiVersion", "kind")


def _has_spec(t: ResourceType) -> bool:
    if t.crd:
        return True
    s = root(t).schema or {}
    return "spec" in (s.get("properties") or {})
