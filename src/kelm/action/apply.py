"""Sending a release's objects to the cluster as Helm v4 does: ownership metadata on each
object, a check that no object exists outside the release, then server-side apply as field
manager ``helm`` (``force=false``, strict field validation)."""

from __future__ import annotations

from typing import Any

FIELD_MANAGER = "helm"
NAME_ANNOTATION = "meta.helm.sh/release-name"
NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace"
MANAGED_BY = "app.kubernetes.io/managed-by"


class ApplyError(Exception):
    """An object could not be sent; ``str()`` is Helm's message."""


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


def parse_objects(manifest: str) -> list[dict[str, Any]]:
    """The objects of a ``---``-separated manifest, empty documents dropped."""
    from kelm.render.manifests import split_manifests
    from kelm.yaml import load_helm

    out = []
    for doc in split_manifests(manifest):
        obj = load_helm(doc)
        if isinstance(obj, dict) and obj:
            out.append(_ints(obj))
    return out


def set_ownership(obj: dict[str, Any], name: str, namespace: str) -> None:
    """Helm's ``setMetadataVisitor``: release annotations and the managed-by label."""
    meta = obj.setdefault("metadata", {})
    meta.setdefault("labels", {})[MANAGED_BY] = "Helm"
    ann = meta.setdefault("annotations", {})
    ann[NAME_ANNOTATION] = name
    ann[NAMESPACE_ANNOTATION] = namespace


def _describe(obj: dict[str, Any], ns: str) -> str:
    meta = obj.get("metadata") or {}
    where = f' in namespace "{ns}"' if ns else ""
    return f'{obj.get("kind")} "{meta.get("name")}"{where}'


def _object_ns(client: Any, obj: dict[str, Any], namespace: str) -> str:
    res = client.resource_for(str(obj.get("apiVersion")), str(obj.get("kind")))
    if not res.namespaced:
        return ""
    return str((obj.get("metadata") or {}).get("namespace") or namespace)


def check_not_owned_elsewhere(client: Any, objs: list[dict[str, Any]], name: str,
                              namespace: str) -> None:
    """Helm's ``existingResourceConflict``: an object that exists must belong to this
    release (its ownership annotations), or the install stops."""
    from kelm.kube import NotFound

    for obj in objs:
        ns = _object_ns(client, obj, namespace)
        meta = obj.get("metadata") or {}
        try:
            live = client.get(obj["apiVersion"], obj["kind"], meta.get("name", ""), ns or None)
        except NotFound:
            continue
        lm = live.get("metadata") or {}
        ann = lm.get("annotations") or {}
        labels = lm.get("labels") or {}
        problems = []
        if labels.get(MANAGED_BY) != "Helm":
            problems.append(f'label validation error: missing key "{MANAGED_BY}": must be set '
                            'to "Helm"')
        for key, want in ((NAME_ANNOTATION, name), (NAMESPACE_ANNOTATION, namespace)):
            if key not in ann:
                problems.append(f'annotation validation error: missing key "{key}": must be '
                                f'set to "{want}"')
            elif ann[key] != want:
                problems.append(f'annotation validation error: key "{key}" must equal '
                                f'"{want}": current value is "{ann[key]}"')
        if problems:
            raise ApplyError(
                f"Unable to continue with install: {_describe(obj, ns)} exists and cannot be "
                "imported into the current release: invalid ownership metadata; "
                + "; ".join(problems))


def apply_objects(client: Any, objs: list[dict[str, Any]], namespace: str,
                  force: bool = False) -> list[dict[str, Any]]:
    """Server-side apply of each object, in order (the stored objects)."""
    from kelm.kube import KubeError

    out = []
    for obj in objs:
        ns = _object_ns(client, obj, namespace)
        try:
            out.append(client.apply(obj, FIELD_MANAGER, force=force, namespace=ns or None))
        except KubeError as e:
            raise ApplyError(str(e)) from None
    return out


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


__all__ = ["FIELD_MANAGER", "ApplyError", "apply_objects", "check_not_owned_elsewhere",
           "delete_object", "parse_objects", "set_ownership"]
