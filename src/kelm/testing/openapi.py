"""``/openapi/v2`` and ``/openapi/v3`` documents built from the registry: kubectl reads them to
check that the server validates fields (``fieldValidation`` on PATCH) and for patch keys."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kelm.testing import openapi_proto
from kelm.testing.registry import Registry, ResourceType, definitions

_META = "io.k8s.apimachinery.pkg.apis.meta.v1."
_QUERY = [
    {"name": "dryRun", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
    {"name": "fieldManager", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
    {"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
]
_FORCE = {"name": "force", "in": "query", "schema": {"type": "boolean", "uniqueItems": True}}
_LIST_QUERY = [{"name": n, "in": "query", "schema": {"type": t, "uniqueItems": True}}
               for n, t in (("labelSelector", "string"), ("fieldSelector", "string"),
                            ("limit", "integer"), ("continue", "string"),
                            ("resourceVersion", "string"), ("watch", "boolean"))]


def definition_ref(t: ResourceType) -> str:
    """The schema name of a type's objects (built-in definition or a CRD's synthetic one)."""
    from kelm.testing.schema import definition_name

    if not t.crd:
        name = definition_name(t.group, t.version, t.kind)
        if name:
            return name
    parts = [p for p in reversed(t.group.split("."))] if t.group else ["core"]
    return ".".join(parts + [t.version, t.kind])


def _crd_schema(t: ResourceType) -> dict[str, Any]:
    s = dict(t.schema or {"type": "object", "x-kubernetes-preserve-unknown-fields": True})
    props = dict(s.get("properties", {}))
    props["metadata"] = {"$ref": "#/definitions/" + _META + "ObjectMeta"}
    props.setdefault("apiVersion", {"type": "string"})
    props.setdefault("kind", {"type": "string"})
    s["properties"] = props
    s["x-kubernetes-group-version-kind"] = [{"group": t.group, "version": t.version, "kind": t.kind}]
    return s


def _closure(names: list[str], defs: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    todo = list(names)
    while todo:
        n = todo.pop()
        if n in out:
            continue
        d = extra.get(n) or defs.get(n)
        if d is None:
            continue
        out[n] = d
        text = json.dumps(d)
        i = 0
        while (i := text.find("#/definitions/", i)) >= 0:
            j = text.index('"', i)
            todo.append(text[i + len("#/definitions/"):j])
            i = j
    return out


def _operations(t: ResourceType, ref: str, v3: bool) -> dict[str, dict[str, Any]]:
    """Path -> operations for one resource (collection and item paths)."""
    gvk = {"group": t.group, "version": t.version, "kind": t.kind}
    prefix = f"/apis/{t.group}/{t.version}" if t.group else "/api/v1"
    base = f"{prefix}/namespaces/{{namespace}}/{t.plural}" if t.namespaced else f"{prefix}/{t.plural}"

    def body(name: str) -> dict[str, Any]:
        ref_s = {"$ref": ("#/components/schemas/" if v3 else "#/definitions/") + name}
        if v3:
            return {"content": {"application/json": {"schema": ref_s}}}
        return {"schema": ref_s}

    def op(action: str, params: list[dict[str, Any]], resp: str) -> dict[str, Any]:
        o: dict[str, Any] = {"x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk,
                             "operationId": f"{action}{t.kind}", "parameters": params}
        o["responses"] = {"200": {"description": "OK", **body(resp)}}
        if not v3:
            o["parameters"] = [{**{k: v for k, v in p.items() if k != "schema"},
                                **p.get("schema", {})} for p in params]
        return o

    verbs = set(t.verbs)
    item: dict[str, Any] = {}
    coll: dict[str, Any] = {}
    if "get" in verbs:
        item["get"] = op("get", [], ref)
    if "update" in verbs:
        item["put"] = op("put", _QUERY, ref)
    if "patch" in verbs:
        item["patch"] = op("patch", _QUERY + [_FORCE], ref)
    if "delete" in verbs:
        item["delete"] = op("delete", _QUERY[:1], _META + "Status")
    if "list" in verbs:
        coll["get"] = op("list", _LIST_QUERY, ref)
    if "create" in verbs:
        coll["post"] = op("post", _QUERY, ref)
    out = {}
    if coll:
        out[base] = coll
    if item:
        out[base + "/{name}"] = item
    return out


class OpenAPI:
    """Builds and caches the documents; ``invalidate`` when CRDs change the registry."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cache: dict[str, bytes] = {}
        self._etags: dict[bytes, str] = {}

    def invalidate(self) -> None:
        self._cache.clear()
        self._etags.clear()

    def _extra(self) -> dict[str, Any]:
        return {definition_ref(t): _crd_schema(t) for t in self.registry.all() if t.crd}

    def v2(self) -> bytes:
        if "v2" not in self._cache:
            paths: dict[str, Any] = {}
            for t in self.registry.all():
                paths.update(_operations(t, definition_ref(t), v3=False))
            defs = dict(definitions())
            defs.update(self._extra())
            doc = {"swagger": "2.0", "info": {"title": "Kubernetes", "version": "v1.35.2"},
                   "paths": dict(sorted(paths.items())), "definitions": defs}
            self._cache["v2"] = json.dumps(doc, separators=(",", ":")).encode()
        return self._cache["v2"]

    def etag(self, body: bytes) -> str:
        """A document's SHA-512 in upper-case hex, its ``Etag`` and v3 ``hash`` (the cached
        documents are the same objects each time, so their hash is worked out once)."""
        if body not in self._etags:
            self._etags[body] = hashlib.sha512(body).hexdigest().upper()
        return self._etags[body]

    def v2_protobuf(self) -> bytes:
        """The v2 document as gnostic's protobuf ``Document`` (what Go clients ask for)."""
        if "v2pb" not in self._cache:
            self._cache["v2pb"] = openapi_proto.document(json.loads(self.v2()))
        return self._cache["v2pb"]

    def v3_doc(self, gv_path: str) -> bytes | None:
        """The document of ``api/v1`` / ``apis/apps/v1``, or None."""
        key = "v3:" + gv_path
        if key in self._cache:
            return self._cache[key]
        if gv_path == "api/v1":
            group, version = "", "v1"
        else:
            parts = gv_path.split("/")
            if len(parts) != 3 or parts[0] != "apis":
                return None
            group, version = parts[1], parts[2]
        types = self.registry.in_version(group, version)
        if not types:
            return None
        extra = self._extra()
        paths: dict[str, Any] = {}
        names = [_META + "Status", _META + "ObjectMeta"]
        for t in types:
            ref = definition_ref(t)
            names.append(ref)
            paths.update(_operations(t, ref, v3=True))
        schemas = _closure(names, definitions(), extra)
        text = json.dumps({"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.35.2"},
                           "paths": dict(sorted(paths.items())),
                           "components": {"schemas": schemas}}, separators=(",", ":"))
        text = text.replace('"#/definitions/', '"#/components/schemas/')
        self._cache[key] = text.encode()
        return self._cache[key]

    def v3_root(self) -> bytes:
        if "v3" not in self._cache:
            paths = {}
            for g, versions in self.registry.groups().items():
                for v in versions:
                    gv = "api/v1" if not g else f"apis/{g}/{v}"
                    doc = self.v3_doc(gv)
                    if doc is None:
                        continue
                    paths[gv] = {"serverRelativeURL": f"/openapi/v3/{gv}?hash={self.etag(doc)}"}
            self._cache["v3"] = json.dumps({"paths": paths}, separators=(",", ":")).encode()
        return self._cache["v3"]


V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
# What the OpenAPI handlers offer, in their order of preference: (type/subtype, served as).
_V2_OFFERS = (("application/json", "application/json"),
              ("application/com.github.proto-openapi.spec.v2@v1.0+protobuf", V2_PROTOBUF),
              (V2_PROTOBUF, V2_PROTOBUF))
_V3_OFFERS = (("application/json", "application/json"),)


def _clauses(accept: str) -> list[tuple[str, str]]:
    """The Accept header's media ranges, most preferred first (by q, then specificity)."""
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        if not media:
            continue
        typ, _, sub = media.partition("/")
        q = 1.0
        for p in params:
            k, _, v = p.partition("=")
            if k.strip() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        ranked.append((-q, typ == "*", sub in ("*", ""), i, typ, sub or "*"))
    ranked.sort()
    return [(typ, sub) for *_, typ, sub in ranked]


def negotiate(accept: str, v2: bool) -> str | None:
    """The content type an OpenAPI document is served as for this Accept header, or None
    (a 406 with an empty body, as kube-openapi's handlers answer)."""
    for typ, sub in _clauses(accept or "*/*"):
        for offer, served in _V2_OFFERS if v2 else _V3_OFFERS:
            otyp, _, osub = offer.partition("/")
            if typ in (otyp, "*") and sub in (osub, "*"):
                return served
    return None
