"""kustomize's builtin transformers over a ResMap."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from kelm.kustomize import fieldspec as fsl
from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.fieldspec import FieldSpec
from kelm.kustomize.jsonpatch import apply_patch
from kelm.kustomize.resource import Gvk, ResId, ResMap, Resource, current_schema
from kelm.kustomize.selector import Selector, select
from kelm.kustomize.smp import merge as smp_merge
from kelm.kustomize.smp import text

# ---------------------------------------------------------------- namespace


def namespace(m: ResMap, ns: str, specs: list[FieldSpec], unset_only: bool = False,
              subjects_mode: str = "") -> None:
    if not ns:
        return
    for r in m:
        if not r.obj:
            continue
        r.store_previous_id()
        namespace_filter(r, ns, specs, unset_only, subjects_mode)
    seen: set[Any] = set()
    for r in m.items:
        k = r.id_key()
        if k in seen:
            raise KustomizeError(
                f"namespace transformation produces ID conflict: {r.cur_id()}"
            )
        seen.add(k)


def namespace_filter(r: Resource, ns: str, specs: list[FieldSpec], unset_only: bool = False,
                     subjects_mode: str = "") -> None:
    """kustomize's namespace filter on one resource."""
    obj = r.obj
    if True:

        def set_ns(container: Any, key: Any) -> None:
            if unset_only and container.get(key) not in (None, ""):
                return
            container[key] = ns

        gvk = r.gvk
        if not gvk.cluster_scoped():
            fsl.apply(obj, FieldSpec("metadata/namespace", create=True), set_ns, lambda: "")
        specs_here = [
            s for s in specs
            if s.path != "metadata/namespace"
            and not (r.api_version != "v1" and s.path == "metadata/name")
        ]
        if gvk.kind in ("RoleBinding", "ClusterRoleBinding"):
            specs_here = [
                s for s in specs_here
                if not (s.kind in ("RoleBinding", "ClusterRoleBinding")
                        and s.path == "subjects/namespace")
            ]
            _role_binding_subjects(obj, ns, subjects_mode)
        for s in specs_here:
            fsl.apply(obj, s, set_ns, lambda: "")


def _role_binding_subjects(obj: dict[str, Any], ns: str, mode: str) -> None:
    if mode == "none":
        return
    subjects = obj.get("subjects")
    if not isinstance(subjects, list):
        return
    for s in subjects:
        if not isinstance(s, dict):
            continue
        if mode == "allServiceAccounts":
            if s.get("kind") == "ServiceAccount":
                s["namespace"] = ns
        elif s.get("name") == "default":
            s["namespace"] = ns


# ---------------------------------------------------------------- prefix / suffix

_SKIP_RENAME = (("", "CustomResourceDefinition"), ("apiregistration.k8s.io", "APIService"),
                ("", "Namespace"))


def _skip_rename(rid: ResId) -> bool:
    for group, kind in _SKIP_RENAME:
        if rid.gvk.selected_by(group=group, kind=kind):
            return True
    return False


def prefix_suffix(m: ResMap, prefix: str | None, suffix: str | None, specs_prefix: list[FieldSpec],
                  specs_suffix: list[FieldSpec]) -> None:
    for affix, specs, is_prefix in ((prefix, specs_prefix, True), (suffix, specs_suffix, False)):
        if affix is None:
            continue
        for r in m:
            oid = r.org_id()
            if _skip_rename(oid):
                continue
            for fs in specs:
                if not oid.gvk.selected_by(fs.group, fs.version, fs.kind):
                    continue
                if fs.path == "metadata/name":
                    (r.prefixes if is_prefix else r.suffixes).append(affix)
                    r.touched = True
                    if affix:
                        r.store_previous_id()

                def setter(c: Any, k: Any, affix: str = affix, is_prefix: bool = is_prefix) -> None:
                    v = c.get(k) if isinstance(c, dict) else c[k]
                    from kelm.kustomize.smp import text

                    v = text(v)
                    c[k] = affix + v if is_prefix else v + affix

                fsl.apply(r.obj, fs, setter, lambda: "")


# ---------------------------------------------------------------- labels / annotations


def set_map_entries(m: ResMap, entries: dict[str, str], specs: list[FieldSpec]) -> None:
    if not entries:
        return
    items = [(k, entries[k]) for k in sorted(entries)]

    def setter(c: Any, key: Any) -> None:
        node = c[key]
        if node is None:
            node = {}
            c[key] = node
        if not isinstance(node, dict):
            raise KustomizeError("wrong node kind: expected MappingNode but got "
                                 + ("SequenceNode" if isinstance(node, list) else "ScalarNode"))
        for k, v in items:
            node[k] = v

    for r in m:
        for fs in specs:
            if fs.matches(r.obj):
                fsl.apply(r.obj, fs, setter, dict)


# ---------------------------------------------------------------- images


def _image_matched(value: str, name: str) -> bool:
    try:
        pat = re.compile("^" + name + r"(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?\Z")
    except re.error as whole:
        reason = str(whole)
        try:  # the name's own fault reads better than the assembled pattern's
            re.compile(name)
        except re.error as own:
            reason = str(own)
        # kustomize ignores the compile error and then crashes on the nil pattern (kubectl
        # exits 2 with a Go panic) as soon as an image is compared: kelm fails there too
        raise KustomizeError(
            f'images: name "{name}" is not a valid regular expression: {reason}'
        ) from None
    return pat.match(value) is not None


def split_image(image: str) -> tuple[str, str, str]:
    search = image
    slash = image.find("/")
    if slash > 0:
        search = image[slash:]
    else:
        slash = 0
    i_d = search.find("@")
    i_c = search.find(":")
    if i_c < 0 and i_d < 0:
        return image, "", ""
    if i_d >= 0 and (i_d < i_c or i_c < 0):
        i_d += slash
        return image[:i_d], "", image[i_d + 1:]
    if i_d >= 0 and i_c >= 0:
        i_d += slash
        i_c += slash
        return image[:i_c], image[i_c + 1:i_d], image[i_d + 1:]
    i_c += slash
    return image[:i_c], image[i_c + 1:], ""


def _update_image(value: Any, img: dict[str, Any]) -> Any:
    if not isinstance(value, str):
        return value
    if not _image_matched(value, str(img.get("name") or "")):
        return value
    name, tag, digest = split_image(value)
    new_name, new_tag = img.get("newName") or "", img.get("newTag") or ""
    dig, suffix = img.get("digest") or "", img.get("tagSuffix") or ""
    if new_name:
        name = new_name
    if new_tag and dig:
        tag, digest = new_tag, dig
    elif new_tag:
        tag, digest = new_tag, ""
    elif dig:
        tag, digest = "", dig
    elif suffix:
        tag, digest = tag + suffix, ""
    if tag:
        name += ":" + tag
    if digest:
        name += "@" + digest
    return name


def _legacy_images(node: Any, img: dict[str, Any]) -> None:
    if isinstance(node, dict):
        for key, val in list(node.items()):
            _legacy_images(val, img)
            if key in ("containers", "initContainers") and isinstance(val, list):
                for c in val:
                    if isinstance(c, dict) and "image" in c:
                        c["image"] = _update_image(c["image"], img)
    elif isinstance(node, list):
        for v in node:
            _legacy_images(v, img)


def images(m: ResMap, img: dict[str, Any], specs: list[FieldSpec]) -> None:
    for r in m:
        if r.kind == "CustomResourceDefinition":
            continue
        _legacy_images(r.obj, img)

        def setter(c: Any, k: Any) -> None:
            v = c[k]
            if isinstance(v, dict | list):
                raise KustomizeError("wrong node kind: expected ScalarNode")
            if v is None:
                return
            c[k] = _update_image(v, img)

        for fs in specs:
            fsl.apply(r.obj, fs, setter)  # the image filter never creates fields


# ---------------------------------------------------------------- replicas


def replicas(m: ResMap, name: str, count: int, specs: list[FieldSpec]) -> None:
    found = False
    for fs in specs:
        hits = [
            r for r in m
            if any(i.name == name and i.gvk.selected_by(fs.group, fs.version, fs.kind)
                   for i in r.all_ids())
        ]
        if hits:
            found = True
        for r in hits:
            def setter(c: Any, k: Any) -> None:
                c[k] = count

            fsl.apply(r.obj, fs, setter, lambda: 0)
    if not found:
        gvks = " ".join(str(Gvk(fs.group, fs.version, fs.kind)) for fs in specs)
        raise KustomizeError(
            f"resource with name {name} does not match a config with the following GVK [{gvks}]"
        )


# ---------------------------------------------------------------- patches


def get_by_id(m: ResMap, rid: ResId) -> Resource:
    hits = m.by_any_id(rid)
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise KustomizeError(
            f"multiple matches for Id {rid}; failed to find unique target for patch {rid}"
        )
    raise KustomizeError(f"no matches for Id {rid}; failed to find unique target for patch {rid}")


def _string_map_copy(pc: Resource) -> None:
    """kustomize copies the patch's labels/annotations through map[string]string:
    every value becomes its text (a null one the string "null")."""
    from kelm.kustomize.smp import text

    meta = pc.obj.get("metadata")
    if not isinstance(meta, dict):
        return
    for field in ("labels", "annotations"):
        v = meta.get(field)
        if isinstance(v, dict):
            if v:
                meta[field] = {k: ("null" if x is None else text(x)) for k, x in v.items()}
            else:
                del meta[field]
        elif field in meta:
            del meta[field]


def apply_smp(m: ResMap, targets: list[Resource], patch: Resource) -> None:
    ids = {id(t) for t in targets}
    keep: list[Resource] = []
    for r in m.items:
        if id(r) in ids:
            pc = patch.deep_copy()
            _string_map_copy(pc)
            pc.obj["apiVersion"] = r.api_version
            pc.obj["kind"] = patch.kind
            apply_smp_one(r, pc)
        if r.obj:
            keep.append(r)
    m.items = keep


def apply_smp_one(r: Resource, patch: Resource) -> None:
    n, ns, k = r.name, r.namespace, r.kind
    if patch.allow_name_change or patch.allow_kind_change:
        r.store_previous_id()
    result = smp_merge(r.obj, copy.deepcopy(patch.obj), current_schema())
    if result is None:
        r.obj = {}
        return
    r.obj = result
    if not patch.allow_kind_change:
        r.obj["kind"] = k
    if not patch.allow_name_change:
        r.name = n
    r.namespace = ns


def _forget_empty_nulls(v: Any) -> None:
    if isinstance(v, dict):
        if getattr(v, "empty_nulls", None):
            v.empty_nulls = frozenset()  # type: ignore[attr-defined]
        for x in v.values():
            _forget_empty_nulls(x)
    elif isinstance(v, list):
        for x in v:
            _forget_empty_nulls(x)


_ORIGIN = "config.kubernetes.io/origin"
_TRANSFORMATIONS = "alpha.config.kubernetes.io/transformations"


def apply_json_patch(r: Resource, ops: list[Any]) -> None:
    """Apply RFC 6902 ops. The origin/transformation annotations kustomize keeps on the
    object during the build are exposed to the patch (a patch replacing the annotations
    drops them, as in kustomize)."""
    tracked = r.origin is not None or bool(r.transformations)
    if tracked:
        ann = r.meta.get("annotations")
        had_ann = isinstance(ann, dict)
        ann = ann if isinstance(ann, dict) else {}
        if r.origin is not None:
            ann[_ORIGIN] = "\x00origin"
        if r.transformations:
            ann[_TRANSFORMATIONS] = "\x00transformations"
        r.meta["annotations"] = ann
    result = apply_patch(r.obj, ops)
    if not isinstance(result, dict):
        raise KustomizeError("json patch result is not an object")
    _forget_empty_nulls(result)  # the JSON round trip turns ``key:`` into ``key: null``
    r.obj = result
    if tracked:
        meta = result.get("metadata")
        ann = meta.get("annotations") if isinstance(meta, dict) else None
        ann = ann if isinstance(ann, dict) else {}
        if ann.get(_ORIGIN) != "\x00origin":
            r.origin = None
        if ann.get(_TRANSFORMATIONS) != "\x00transformations":
            r.transformations = []
        for key, marker in ((_ORIGIN, "\x00origin"), (_TRANSFORMATIONS, "\x00transformations")):
            if ann.get(key) == marker:
                del ann[key]
        if isinstance(meta, dict) and "annotations" in meta and not ann and not had_ann:
            del meta["annotations"]


def parse_json_ops(text: str, source: str) -> list[Any]:
    from kelm.kustomize.yamlread import load_documents, normalize

    t = text
    if not t:
        raise KustomizeError("empty json patch operations")
    if t[0] == "[":
        try:
            ops = json.loads(t)
        except json.JSONDecodeError:
            docs = load_documents(t)
            ops = docs[0] if docs else None
    else:
        docs = load_documents(t)
        ops = docs[0] if len(docs) == 1 else None
    if not isinstance(ops, list):
        raise KustomizeError(f"unable to parse SM or JSON patch from {source}")
    return normalize(ops)


def select_targets(m: ResMap, target: dict[str, Any]) -> list[Resource]:
    return select(m.items, Selector.from_dict(target))


def string_map(d: dict[str, Any]) -> dict[str, str]:
    """Label/annotation pairs with every value as its YAML text (``1`` -> ``"1"``)."""
    return {str(k): (v if isinstance(v, str) else text(v)) for k, v in d.items()}
