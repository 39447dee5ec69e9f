"""Sending a release's objects to the cluster as Helm v4 does, only faster.

Helm sets ownership metadata on each object, checks that no object exists outside the
release, then applies: server-side apply as field manager ``helm`` (``force`` per
``--force-conflicts``, ``fieldValidation=Strict``) by default, or client-side (create, then a
three-way patch against the previous release's object), or a replace (``--force-replace``).

Beyond Helm, every step is concurrent: objects are taken in Helm's kind order
(:data:`INSTALL_ORDER`, :data:`UNINSTALL_ORDER` for deletion), the objects of one kind are
sent in parallel by a bounded pool (:data:`WORKERS`) and kinds follow each other, as Helm's
``batchPerform`` does for installs.  A server-side apply needs no GET first: the ``201`` of
the response says the object was created.  Results come back in input order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from kelm._slots import Record

FIELD_MANAGER = "helm"
NAME_ANNOTATION = "meta.helm.sh/release-name"
NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace"
MANAGED_BY = "app.kubernetes.io/managed-by"
RESOURCE_POLICY = "helm.sh/resource-policy"
WORKERS = 8  # requests in flight at once; Go's Helm has one goroutine per object of a kind

# Helm's pkg/release/v1/util kind orders; kinds not listed come after, by name.
INSTALL_ORDER = (
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
    "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
    "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
    "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
    "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
    "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
    "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
)
UNINSTALL_ORDER = (
    "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "Ingress",
    "IngressClass", "Service", "CronJob", "Job", "StatefulSet", "HorizontalPodAutoscaler",
    "Deployment", "ReplicaSet", "ReplicationController", "Pod", "DaemonSet", "RoleBindingList",
    "RoleBinding", "RoleList", "Role", "ClusterRoleBindingList", "ClusterRoleBinding",
    "ClusterRoleList", "ClusterRole", "CustomResourceDefinition", "PersistentVolumeClaim",
    "PersistentVolume", "StorageClass", "ConfigMap", "SecretList", "Secret", "ServiceAccount",
    "PodDisruptionBudget", "PodSecurityPolicy", "LimitRange", "ResourceQuota", "NetworkPolicy",
    "Namespace", "PriorityClass",
)


class ApplyError(Exception):
    """An object could not be sent; ``str()`` is Helm's message.  From
    :func:`update_objects`, ``result`` says what was done before it failed."""

    result: UpdateResult | None = None


class ApplyOptions(Record):
    """How objects are sent (Helm's ``ClientUpdateOption``s and CLI flags).

    ``server_side``: server-side apply (default) or client-side create/patch;
    ``force_conflicts``: SSA ``force=true``; ``force_replace``: PUT the whole object;
    ``three_way_unstructured``: a three-way JSON merge patch for custom resources (Helm's
    choice for ``--take-ownership`` without SSA); ``upgrade_client_side_manager``: move the
    ``helm`` fields of an earlier client-side apply into its SSA entry first.
    """

    __slots__ = ("server_side", "force_conflicts", "force_replace", "three_way_unstructured",
                 "upgrade_client_side_manager", "dry_run", "field_validation", "workers")

    def __init__(self, server_side: bool = True, force_conflicts: bool = False,
                 force_replace: bool = False, three_way_unstructured: bool = False,
                 upgrade_client_side_manager: bool = False, dry_run: bool = False,
                 field_validation: str = "Strict", workers: int = WORKERS) -> None:
        self.server_side = server_side
        self.force_conflicts = force_conflicts
        self.force_replace = force_replace
        self.three_way_unstructured = three_way_unstructured
        self.upgrade_client_side_manager = upgrade_client_side_manager
        self.dry_run = dry_run
        self.field_validation = field_validation
        self.workers = workers


class UpdateResult(Record):
    """What :func:`update_objects` did, as Helm's ``kube.Result``: the objects (targets;
    ``deleted``: originals) created, updated and deleted, in input order."""

    __slots__ = ("created", "updated", "deleted")

    def __init__(self) -> None:
        self.created: list[dict[str, Any]] = []
        self.updated: list[dict[str, Any]] = []
        self.deleted: list[dict[str, Any]] = []


class DeleteResult(Record):
    """What :func:`delete_objects` did: the objects gone (deleted now or already), and
    Helm's message for each that could not be deleted."""

    __slots__ = ("deleted", "errors")

    def __init__(self) -> None:
        self.deleted: list[dict[str, Any]] = []
        self.errors: list[str] = []


# -- manifests and metadata --------------------------------------------------------------

def _ints(v: Any) -> Any:
    """Whole floats as ints: sigs.k8s.io/yaml reads numbers as float64, but the
    unstructured objects Helm sends carry integers (``replicas: 1``, not ``1.0``)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
        return int(v)
    if isinstance(v, dict):
        return {k: _ints(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_ints(x) for x in v]
    return v


def parse_objects(manifest: str, stream: bool = False) -> list[dict[str, Any]]:
    """The objects of a ``---``-separated manifest, empty documents dropped.

    ``stream``: split as Helm's ``KubeClient.Build`` reads a release manifest or a CRD file
    (:func:`yaml_documents`), each document's line ends kept, so a block scalar that ends a
    document keeps its last newline; otherwise as ``releaseutil.SplitManifests`` (hooks), each
    document trimmed."""
    from kelm.render.manifests import split_manifests
    from kelm.yaml import load_helm

    out: list[dict[str, Any]] = []
    for doc in (yaml_documents(manifest) if stream else split_manifests(manifest)):
        _flatten(load_helm(doc), out)
    return out


def _flatten(obj: Any, out: list[dict[str, Any]]) -> None:
    """One decoded document into ``out``: a document with ``items`` (``kind: List``, any
    ``*List``) is a list to kube's decoder, and Helm's builder flattens it into its items."""
    if not isinstance(obj, dict) or not obj:
        return
    items = obj.get("items")
    if isinstance(items, list):
        for item in items:
            _flatten(item, out)
        return
    out.append(_ints(obj))


def yaml_documents(text: str) -> list[str]:
    """apimachinery's ``YAMLReader``: a document ends at a line that is ``---`` (and blanks);
    everything else, newlines included, is the document's (the values loader's splitter)."""
    from kelm.values.yamlload import split_documents

    return split_documents(text)


def mapping_error(obj: dict[str, Any], err: Exception) -> str:
    """The resource builder's message for an object whose kind the server does not serve
    (Helm's ``KubeClient.Build``), the namespace as the manifest gives it."""
    from kelm.golang.fmt import quote

    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = {}
    return (f"resource mapping not found for name: {quote(str(meta.get('name') or ''))} "
            f"namespace: {quote(str(meta.get('namespace') or ''))} from \"\": {err}\n"
            "ensure CRDs are installed first")


def set_ownership(obj: dict[str, Any], name: str, namespace: str) -> None:
    """Helm's ``setMetadataVisitor``: release annotations and the managed-by label."""
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = obj["metadata"] = {}
    # ``labels:`` or ``annotations:`` left empty in a template is null: a new map, as Go's
    for key in ("labels", "annotations"):
        if not isinstance(meta.get(key), dict):
            meta[key] = {}
    meta["labels"][MANAGED_BY] = "Helm"
    meta["annotations"][NAME_ANNOTATION] = name
    meta["annotations"][NAMESPACE_ANNOTATION] = namespace


def _name(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("name") or "")


def _describe(obj: dict[str, Any], ns: str) -> str:
    """Helm's ``resourceString``: the namespace is named even when empty (cluster-scoped)."""
    from kelm.gotemplate.lexer import go_quote

    return f'{obj.get("kind")} {go_quote(_name(obj))} in namespace {go_quote(ns)}'


def _object_ns(client: Any, obj: dict[str, Any], namespace: str) -> str:
    res = client.resource_for(str(obj.get("apiVersion")), str(obj.get("kind")))
    if not res.namespaced:
        return ""
    return str((obj.get("metadata") or {}).get("namespace") or namespace)


def _namespaces(client: Any, objs: Sequence[dict[str, Any]], namespace: str) -> list[str]:
    """Each object's namespace ("" when cluster-scoped), looked up before any thread starts
    (discovery is not shared between threads)."""
    from kelm.kube import KubeError

    try:
        return [_object_ns(client, obj, namespace) for obj in objs]
    except KubeError as e:
        raise ApplyError(str(e)) from None


def _key(obj: dict[str, Any], ns: str) -> tuple[str, str, str, str]:
    """Helm's ``objectKey``: group, kind, namespace and name identify an object."""
    group = str(obj.get("apiVersion") or "").rpartition("/")[0]
    return group, str(obj.get("kind")), ns, _name(obj)


def _gvk(obj: dict[str, Any]) -> str:
    """client-go's ``GroupVersionKind.String()``: ``apps/v1, Kind=Deployment``."""
    group, _, version = str(obj.get("apiVersion") or "").rpartition("/")
    return f"{group}/{version}, Kind={obj.get('kind')}"


# -- order and concurrency -----------------------------------------------------------------

def kind_groups(objs: Sequence[dict[str, Any]], order: Sequence[str] = INSTALL_ORDER
                ) -> list[list[int]]:
    """Indices of ``objs`` grouped by kind, the groups in Helm's ``order`` (unknown kinds
    last, by name), each group in input order."""
    rank = {k: i for i, k in enumerate(order)}
    by_kind: dict[str, list[int]] = {}
    for i, obj in enumerate(objs):
        by_kind.setdefault(str(obj.get("kind") or ""), []).append(i)
    kinds = sorted(by_kind, key=lambda k: (0, rank[k], "") if k in rank else (1, 0, k))
    return [by_kind[k] for k in kinds]


def _run(jobs: list[Callable[[], Any]], workers: int) -> list[tuple[Any, BaseException | None]]:
    """Run ``jobs`` at most ``workers`` at a time; (result, error) of each, in order."""
    def call(job: Callable[[], Any]) -> tuple[Any, BaseException | None]:
        from kelm.kube import KubeError

        try:
            return job(), None
        except (ApplyError, KubeError) as e:  # handed back to the caller, which words it
            return None, e

    if len(jobs) <= 1 or workers <= 1:
        return [call(j) for j in jobs]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(workers, len(jobs)),
                            thread_name_prefix="kelm-apply") as pool:
        return list(pool.map(call, jobs))


def _in_groups(objs: Sequence[dict[str, Any]], job: Callable[[int], Any], workers: int,
               order: Sequence[str] = INSTALL_ORDER,
               stop: Callable[[list[int], list[tuple[Any, BaseException | None]]], bool]
               | None = None) -> list[tuple[Any, BaseException | None] | None]:
    """``job(i)`` for each object, kind group after kind group; ``stop`` ends it after a
    group (the objects not reached stay None)."""
    out: list[tuple[Any, BaseException | None] | None] = [None] * len(objs)
    for group in kind_groups(objs, order):
        results = _run([partial(job, i) for i in group], workers)
        for i, r in zip(group, results, strict=True):
            out[i] = r
        if stop is not None and stop(group, results):
            break
    return out


# -- ownership -----------------------------------------------------------------------------

def _get_live(client: Any, obj: dict[str, Any], ns: str) -> dict[str, Any] | None:
    from kelm.kube import NotFound

    try:
        return dict(client.get(obj["apiVersion"], obj["kind"], _name(obj), ns or None))
    except NotFound:
        return None


LIST_AT = 8  # objects of one kind in one namespace from which one LIST beats their GETs


def _list_many(client: Any, objs: Sequence[dict[str, Any]], nss: list[str], named: list[int]
               ) -> dict[int, dict[str, Any] | None]:
    """The live metadata (or None) of each object whose kind and namespace the release has
    many of, from one paged metadata-only LIST each instead of a GET per object (a namespace
    of large Secrets is not downloaded); objects whose LIST is refused (RBAC may allow get
    but not list) are left to GETs."""
    from kelm.kube import KubeError

    groups: dict[tuple[str, str, str], list[int]] = {}
    for i in named:
        obj = objs[i]
        groups.setdefault((str(obj["apiVersion"]), str(obj["kind"]), nss[i]), []).append(i)
    out: dict[int, dict[str, Any] | None] = {}
    for (api_version, kind, ns), idx in groups.items():
        if len(idx) < LIST_AT:
            continue
        try:
            items = client.list(api_version, kind, ns or None, limit=500, metadata_only=True)
        except KubeError:
            continue
        by_name = {_name(item): item for item in items}
        for i in idx:
            out[i] = by_name.get(_name(objs[i]))
    return out


def _ownership_problems(live: dict[str, Any], name: str, namespace: str) -> list[str]:
    lm = live.get("metadata") or {}
    ann = lm.get("annotations") or {}
    labels = lm.get("labels") or {}
    problems = []
    for where, values, key, want in (("label", labels, MANAGED_BY, "Helm"),
                                     ("annotation", ann, NAME_ANNOTATION, name),
                                     ("annotation", ann, NAMESPACE_ANNOTATION, namespace)):
        if key not in values:
            problems.append(f'{where} validation error: missing key "{key}": must be set to '
                            f'"{want}"')
        elif values[key] != want:
            problems.append(f'{where} validation error: key "{key}" must equal "{want}": '
                            f'current value is "{values[key]}"')
    return problems


def check_not_owned_elsewhere(client: Any, objs: list[dict[str, Any]], name: str,
                              namespace: str, *, verb: str = "install",
                              take_ownership: bool = False,
                              workers: int = WORKERS) -> list[dict[str, Any]]:
    """Helm's ``existingResourceConflict`` (``requireAdoption`` with ``take_ownership``): an
    object that exists must belong to this release (its ownership annotations), or the
    ``verb`` (install, update) stops.  Returns the objects that exist (to be adopted).
    The GETs run concurrently; the first problem in input order is reported."""
    nss = _namespaces(client, objs, namespace)
    named = [i for i, obj in enumerate(objs) if _name(obj)]  # generateName: nothing to check
    listed = _list_many(client, objs, nss, named)
    results = _run([partial(listed.get, i) if i in listed else
                    partial(_get_live, client, objs[i], nss[i]) for i in named], workers)
    existing = []
    for i, (live, err) in zip(named, results, strict=True):
        obj, ns = objs[i], nss[i]
        if err is not None:
            raise ApplyError(f"unable to continue with {verb}: could not get information about "
                             f"the resource {_describe(obj, ns)}: {err}")
        if live is None:
            continue
        problems = [] if take_ownership else _ownership_problems(live, name, namespace)
        if problems:
            raise ApplyError(
                f"unable to continue with {verb}: {_describe(obj, ns)} exists and cannot be "
                "imported into the current release: invalid ownership metadata; "
                + "; ".join(problems))
        existing.append(obj)
    return existing


# -- single-object operations ----------------------------------------------------------------

def _server_side(client: Any, obj: dict[str, Any], ns: str, opts: ApplyOptions
                 ) -> tuple[dict[str, Any], bool]:
    """Helm's ``patchResourceServerSide``, with its wording of conflicts."""
    from kelm.kube import Conflict, KubeError

    try:
        live, created = client.apply_created(
            obj, FIELD_MANAGER, force=opts.force_conflicts, namespace=ns or None,
            dry_run=opts.dry_run, field_validation=opts.field_validation or None)
        return dict(live), bool(created)
    except Conflict as e:
        raise ApplyError(f"conflict occurred while applying object {ns}/{_name(obj)} "
                         f"{_gvk(obj)}: {e}") from None
    except KubeError as e:
        if e.code == 415:
            raise ApplyError(f"server-side apply not available on the server: {e}") from None
        raise ApplyError(str(e)) from None


def _create(client: Any, obj: dict[str, Any], ns: str, opts: ApplyOptions
            ) -> tuple[dict[str, Any], bool]:
    """A new object: server-side apply, or Helm's client-side ``createResource`` (POST)."""
    from kelm.kube import KubeError

    if opts.server_side:
        return _server_side(client, obj, ns, opts)
    try:
        return dict(client.create(obj, namespace=ns or None, dry_run=opts.dry_run,
                                  field_manager=FIELD_MANAGER)), True
    except KubeError as e:
        raise ApplyError(str(e)) from None


def _replace(client: Any, obj: dict[str, Any], ns: str, opts: ApplyOptions) -> dict[str, Any]:
    """Helm's ``replaceResource`` (``--force-replace``): PUT the object over the live one."""
    from kelm.kube import KubeError

    try:
        live = _get_live(client, obj, ns)
        body = json.loads(json.dumps(obj))
        if live is not None:
            body.setdefault("metadata", {})["resourceVersion"] = \
                (live.get("metadata") or {}).get("resourceVersion")
        return dict(client.update(body, namespace=ns or None, dry_run=opts.dry_run,
                                  field_manager=FIELD_MANAGER,
                                  field_validation=opts.field_validation or None))
    except KubeError as e:
        raise ApplyError(f"failed to replace object: {e}") from None


def _is_builtin(obj: dict[str, Any]) -> bool:
    """Strategic merge patch knows the kinds compiled into client-go (kustomize's schema);
    custom resources and CRDs take a JSON merge patch, as Helm's ``createPatch``."""
    from kelm.kustomize.openapi import builtin_schema

    if obj.get("kind") == "CustomResourceDefinition":
        return False
    return builtin_schema().for_type(str(obj.get("apiVersion")), str(obj.get("kind"))) \
        is not None


def _client_side(client: Any, original: dict[str, Any], obj: dict[str, Any], ns: str,
                 opts: ApplyOptions) -> dict[str, Any]:
    """Helm's ``patchResourceClientSide``: a three-way strategic merge patch (original = the
    previous release's object, target, live) for built-in kinds, a JSON merge patch (two-way,
    or three-way with ``three_way_unstructured``) for the rest; nothing sent when empty."""
    from kelm.kube import KubeError

    try:
        live = _get_live(client, obj, ns)
    except KubeError as e:
        raise ApplyError(f"failed to create patch: unable to get data for current object "
                         f"{ns}/{_name(obj)}: {e}") from None
    if _is_builtin(obj):
        patch, ptype = strategic_three_way(original, obj, live or {}, _schema_of(obj)), \
            "strategic"
    elif opts.three_way_unstructured:
        patch, ptype = merge_three_way(original, obj, live or {}), "merge"
    else:
        patch, ptype = merge_two_way(original, obj), "merge"
    if not patch:
        return live or obj
    try:
        return dict(client.patch(obj["apiVersion"], obj["kind"], _name(obj), patch, ptype,
                                 namespace=ns or None, dry_run=opts.dry_run,
                                 field_manager=FIELD_MANAGER))
    except KubeError as e:
        raise ApplyError(f'cannot patch "{_name(obj)}" with kind {obj.get("kind")}: {e}') \
            from None


_UNKNOWN: Any = object()  # no live copy at hand: GET it


def _upgrade_managed_fields(client: Any, obj: dict[str, Any], ns: str,
                            opts: ApplyOptions, listed: Any = _UNKNOWN) -> None:
    """Helm's ``upgradeClientSideFieldManager`` (csaupgrade): the fields ``helm`` owns
    through client-side ``Update`` entries move into its ``Apply`` entry, so a switch to
    server-side apply can remove what the chart no longer sets.  ``listed``, the object as a
    LIST saw it, saves the GET; the patch tests its resourceVersion, and any failure with it
    falls back to Helm's GET and retries."""
    from kelm.kube import Conflict, KubeError

    tries = ([listed] if listed is not _UNKNOWN else []) + [_UNKNOWN] * 5
    for hint in tries:
        hinted = hint is not _UNKNOWN
        live = hint if hinted else _get_live(client, obj, ns)
        if live is None:
            return
        meta = live.get("metadata") or {}
        entries = list(meta.get("managedFields") or ())
        csa = [e for e in entries if e.get("manager") == FIELD_MANAGER
               and e.get("operation") == "Update" and not e.get("subresource")]
        if not csa:
            return
        ssa = next((e for e in entries if e.get("manager") == FIELD_MANAGER
                    and e.get("operation") == "Apply" and not e.get("subresource")), None)
        fields: dict[str, Any] = {}
        for e in ([ssa] if ssa else []) + csa:
            _union(fields, e.get("fieldsV1") or {})
        merged = dict(ssa or csa[0], operation="Apply", fieldsV1=fields)
        kept = [e for e in entries if e not in csa and e is not ssa]
        ops = [{"op": "test", "path": "/metadata/resourceVersion",
                "value": meta.get("resourceVersion")},
               {"op": "replace", "path": "/metadata/managedFields", "value": [merged, *kept]}]
        try:
            client.patch(obj["apiVersion"], obj["kind"], _name(obj), ops, "json",
                         namespace=ns or None, dry_run=opts.dry_run)
            return
        except Conflict:
            continue
        except KubeError as e:
            if hinted:
                continue
            raise ApplyError(f"failed to patch object to upgrade CSA field manager "
                             f"{ns}/{_name(obj)} {_gvk(obj)}: {e}") from None


def _union(into: dict[str, Any], more: dict[str, Any]) -> None:
    for k, v in more.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _union(into[k], v)
        else:
            into[k] = json.loads(json.dumps(v))


# -- three-way patches -------------------------------------------------------------------------

def _schema_of(obj: dict[str, Any]) -> Any:
    from kelm.kustomize.openapi import builtin_schema

    schema = builtin_schema()
    return _Node(schema, schema.for_type(str(obj.get("apiVersion")), str(obj.get("kind"))))


class _Node:
    """A place in kustomize's OpenAPI subset: the fields below it, its list merge key."""

    __slots__ = ("schema", "spec")

    def __init__(self, schema: Any, spec: dict[str, Any] | None) -> None:
        self.schema = schema
        self.spec = spec

    def field(self, name: str) -> _Node:
        props = self.schema.resolve(self.spec) if self.spec else None
        if props is None and self.spec and self.spec.get("t") == "o":
            return _Node(self.schema, self.spec.get("a"))
        return _Node(self.schema, (props or {}).get(name))

    def items(self) -> _Node:
        return _Node(self.schema, (self.spec or {}).get("i"))

    def merge_key(self) -> str | None:
        spec = self.spec or {}
        return spec.get("k") if "merge" in str(spec.get("s") or "") else None

    def merges_scalars(self) -> bool:
        spec = self.spec or {}
        return "merge" in str(spec.get("s") or "") and not spec.get("k")


def merge_two_way(original: Any, target: Any) -> dict[str, Any]:
    """RFC 7386 merge patch turning ``original`` into ``target`` (Helm's fallback for
    custom resources: ``jsonpatch.CreateMergePatch``)."""
    if not isinstance(original, dict) or not isinstance(target, dict):
        return target if isinstance(target, dict) else {}
    out: dict[str, Any] = {}
    for k, v in target.items():
        if k not in original:
            out[k] = v
        elif isinstance(v, dict) and isinstance(original[k], dict):
            sub = merge_two_way(original[k], v)
            if sub:
                out[k] = sub
        elif v != original[k]:
            out[k] = v
    for k in original:
        if k not in target:
            out[k] = None
    return out


def merge_three_way(original: Any, target: dict[str, Any], live: dict[str, Any]
                    ) -> dict[str, Any]:
    """``jsonmergepatch.CreateThreeWayJSONMergePatch``: what ``target`` changes against
    ``live``, plus the deletion of what ``original`` had and ``target`` dropped."""
    patch = _additions(live, target, None)
    _deletions(original if isinstance(original, dict) else {}, target, patch, None)
    return patch


def strategic_three_way(original: Any, target: dict[str, Any], live: dict[str, Any],
                        node: _Node) -> dict[str, Any]:
    """``strategicpatch.CreateThreeWayMergePatch`` (overwrite): the changes and additions of
    ``target`` against ``live``, lists with a merge key matched by key, and deletions
    (``null``, ``$patch: delete``, ``$deleteFromPrimitiveList``) of what ``original`` had
    and ``target`` dropped."""
    patch = _additions(live, target, node)
    _deletions(original if isinstance(original, dict) else {}, target, patch, node)
    return patch


def _additions(live: Any, target: dict[str, Any], node: _Node | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    live = live if isinstance(live, dict) else {}
    for k, v in target.items():
        child = node.field(k) if node is not None else None
        cur = live.get(k)
        if isinstance(v, dict) and isinstance(cur, dict):
            sub = _additions(cur, v, child)
            if sub:
                out[k] = sub
        elif isinstance(v, list) and isinstance(cur, list) and child is not None \
                and child.merge_key():
            sub_list = _list_additions(cur, v, child)
            if sub_list:
                out[k] = sub_list
        elif v != cur or k not in live:
            out[k] = v
    return out


def _list_additions(cur: list[Any], target: list[Any], node: _Node) -> list[Any]:
    key = node.merge_key()
    by_key = {json.dumps(x.get(key), sort_keys=True): x for x in cur if isinstance(x, dict)}
    out = []
    for item in target:
        if not isinstance(item, dict) or key not in item:
            out.append(item)
            continue
        old = by_key.get(json.dumps(item.get(key), sort_keys=True))
        if old is None:
            out.append(item)
            continue
        sub = _additions(old, item, node.items())
        if sub:
            out.append({key: item[key], **sub})
    return out


def _deletions(original: dict[str, Any], target: dict[str, Any], patch: dict[str, Any],
               node: _Node | None) -> None:
    for k, old in original.items():
        child = node.field(k) if node is not None else None
        if k not in target:
            patch[k] = None
            continue
        new = target[k]
        if isinstance(old, dict) and isinstance(new, dict):
            sub = patch.get(k)
            sub = sub if isinstance(sub, dict) else {}
            _deletions(old, new, sub, child)
            if sub:
                patch[k] = sub
        elif isinstance(old, list) and isinstance(new, list) and child is not None:
            _list_deletions(k, old, new, patch, child)


def _list_deletions(field: str, old: list[Any], new: list[Any], patch: dict[str, Any],
                    node: _Node) -> None:
    key = node.merge_key()
    if key:
        kept = {json.dumps(x.get(key), sort_keys=True) for x in new if isinstance(x, dict)}
        gone = [{key: x[key], "$patch": "delete"} for x in old
                if isinstance(x, dict) and key in x
                and json.dumps(x.get(key), sort_keys=True) not in kept]
        if gone:
            existing = patch.get(field)
            patch[field] = (existing if isinstance(existing, list) else []) + gone
    elif node.merges_scalars():
        gone_scalars = [x for x in old if x not in new]
        if gone_scalars:
            patch[f"$deleteFromPrimitiveList/{field}"] = gone_scalars


# -- the operations Helm's actions use -----------------------------------------------------

def _options(force: bool, options: ApplyOptions | None) -> ApplyOptions:
    if options is not None:
        return options
    return ApplyOptions(force_conflicts=force)


def apply_objects(client: Any, objs: list[dict[str, Any]], namespace: str,
                  force: bool = False, *, options: ApplyOptions | None = None
                  ) -> list[dict[str, Any]]:
    """Helm's ``Client.Create``: send every object (server-side apply, or a POST without
    ``server_side``), kind group after kind group, concurrently within a group; the live
    objects in input order.  Every object is tried; the errors, in input order, are joined
    with newlines as Go's ``errors.Join`` does."""
    opts = _options(force, options)
    nss = _namespaces(client, objs, namespace)
    out = _in_groups(objs, lambda i: _create(client, objs[i], nss[i], opts)[0], opts.workers)
    errors = [str(r[1]) for r in out if r is not None and r[1] is not None]
    if errors:
        raise ApplyError("\n".join(errors))
    return [r[0] for r in out if r is not None]


def update_objects(client: Any, originals: list[dict[str, Any]], targets: list[dict[str, Any]],
                   namespace: str, options: ApplyOptions | None = None) -> UpdateResult:
    """Helm's ``Client.Update``: each target created when it does not exist, else updated
    (server-side apply, a replace, or a client-side patch against its original), then the
    originals no longer targeted deleted (unless ``helm.sh/resource-policy: keep``).

    A failed creation stops everything after its kind group (``failed to create resource:
    …``); failed updates and deletions are collected and joined with `` && ``.  Raises
    :class:`ApplyError` carrying the partial result as ``.result``.
    """
    opts = options or ApplyOptions()
    nss = _namespaces(client, targets, namespace)
    orig_nss = _namespaces(client, originals, namespace)
    by_key = {_key(o, ns): o for o, ns in zip(originals, orig_nss, strict=True)}
    result = UpdateResult()
    created = [False] * len(targets)
    listed: dict[int, dict[str, Any] | None] = {}
    if opts.server_side and not opts.force_replace and opts.upgrade_client_side_manager:
        listed = _list_many(client, targets, nss, [i for i, t in enumerate(targets)
                                                   if _key(t, nss[i]) in by_key])

    def look(obj: dict[str, Any], ns: str) -> dict[str, Any] | None:
        from kelm.kube import KubeError

        try:
            return _get_live(client, obj, ns)
        except KubeError as e:
            raise _Unknown(f"could not get information about the resource: {e}") from None

    def one(i: int) -> dict[str, Any]:
        obj, ns = targets[i], nss[i]
        original = by_key.get(_key(obj, ns))
        if opts.server_side and not opts.force_replace:
            if opts.upgrade_client_side_manager and original is not None:
                _upgrade_managed_fields(client, obj, ns, opts, listed.get(i, _UNKNOWN))
            try:
                applied, created[i] = _server_side(client, obj, ns, opts)
                return applied
            except ApplyError as e:
                created[i] = look(obj, ns) is None  # Helm's GET first: a new object?
                raise e from None
        live = look(obj, ns)
        if live is None:
            created[i] = True
            return _create(client, obj, ns, opts)[0]
        if original is None:
            raise ApplyError(f'original object {obj.get("kind")} with the name '
                             f'"{_name(obj)}" not found')
        if opts.force_replace:
            return _replace(client, obj, ns, opts)
        return _client_side(client, original, obj, ns, opts)

    def create_failed(group: list[int], results: list[tuple[Any, BaseException | None]]
                      ) -> bool:
        return any(err is not None and (created[i] or isinstance(err, _Unknown))
                   for i, (_, err) in zip(group, results, strict=True))

    out = _in_groups(targets, one, opts.workers, stop=create_failed)
    for i, r in enumerate(out):
        if r is not None:
            (result.created if created[i] else result.updated).append(targets[i])
    failed = [(i, r[1]) for i, r in enumerate(out) if r is not None and r[1] is not None]
    for i, e in failed:  # Helm stops at the first object it cannot create or even GET
        if isinstance(e, _Unknown):
            _raise(str(e), result)
        if created[i]:
            _raise(f"failed to create resource: {e}", result)
    errors = [str(e) for _, e in failed]
    target_keys = {_key(t, ns) for t, ns in zip(targets, nss, strict=True)}
    gone = [(o, ns) for o, ns in zip(originals, orig_nss, strict=True)
            if _key(o, ns) not in target_keys]
    errors += _prune(client, gone, result, opts.workers)
    if errors:
        _raise(" && ".join(errors), result)
    return result


class _Unknown(ApplyError):
    """Whether an object exists could not be learnt (the server did not answer): Helm's
    ``Client.Update`` stops there, with no deletions."""


def _raise(msg: str, result: UpdateResult) -> None:
    err = ApplyError(msg)
    err.result = result
    raise err


def _prune(client: Any, gone: list[tuple[dict[str, Any], str]], result: UpdateResult,
           workers: int) -> list[str]:
    """Delete the originals the upgrade dropped, as Helm does: only when still there and
    not marked ``helm.sh/resource-policy: keep`` on the live object."""
    from kelm.kube import KubeError, NotFound

    def one(obj: dict[str, Any], ns: str) -> bool:
        try:
            live = _get_live(client, obj, ns)
        except KubeError:
            return False
        if live is None:
            return False
        ann = (live.get("metadata") or {}).get("annotations") or {}
        if ann.get(RESOURCE_POLICY) == "keep":
            return False
        try:
            client.delete(obj["apiVersion"], obj["kind"], _name(obj), ns or None,
                          propagation_policy="Background")
        except NotFound:
            return False
        except KubeError as e:
            raise ApplyError(f"failed to delete resource {_name(obj)}: {e}") from None
        return True

    objs = [o for o, _ in gone]
    out = _in_groups(objs, lambda i: one(*gone[i]), workers, order=UNINSTALL_ORDER)
    errors = []
    for i, r in enumerate(out):
        if r is None:
            continue
        if r[1] is not None:
            errors.append(str(r[1]))
        elif r[0]:
            result.deleted.append(objs[i])
    return errors


def delete_object(client: Any, obj: dict[str, Any], namespace: str,
                  propagation: str = "Background") -> bool:
    """Delete; False when it was already gone."""
    from kelm.kube import NotFound

    ns = _object_ns(client, obj, namespace)
    try:
        client.delete(obj["apiVersion"], obj["kind"], obj["metadata"]["name"], ns or None,
                      propagation_policy=propagation)
    except NotFound:
        return False
    return True


def delete_objects(client: Any, objs: list[dict[str, Any]], namespace: str,
                   propagation: str = "Background", workers: int = WORKERS) -> DeleteResult:
    """Helm's ``Client.Delete`` for uninstall: every object deleted in Helm's uninstall kind
    order, concurrently within a kind; an object already gone counts as deleted; the other
    failures are collected (input order), not raised."""
    from kelm.kube import KubeError

    result = DeleteResult()
    try:
        nss = _namespaces(client, objs, namespace)
    except ApplyError as e:
        result.errors.append(str(e))
        return result

    def one(i: int) -> None:
        from kelm.kube import NotFound

        try:
            client.delete(objs[i]["apiVersion"], objs[i]["kind"], _name(objs[i]),
                          nss[i] or None, propagation_policy=propagation)
        except NotFound:
            pass

    for obj, r in zip(objs, _in_groups(objs, one, workers, order=UNINSTALL_ORDER), strict=True):
        if r is None:
            continue
        if r[1] is None:
            result.deleted.append(obj)
        elif isinstance(r[1], KubeError):
            result.errors.append(str(r[1]))
        else:
            raise r[1]
    return result


__all__ = ["FIELD_MANAGER", "INSTALL_ORDER", "UNINSTALL_ORDER", "WORKERS", "ApplyError",
           "ApplyOptions", "DeleteResult", "UpdateResult", "apply_objects",
           "check_not_owned_elsewhere", "delete_object", "delete_objects", "kind_groups",
           "mapping_error", "merge_three_way", "merge_two_way", "parse_objects", "set_ownership",
           "yaml_documents",
           "strategic_three_way", "update_objects"]
