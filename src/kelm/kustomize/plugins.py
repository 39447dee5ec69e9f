"""Builtin transformer plugins configured through ``transformers:`` entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kelm.kustomize import transformers as tr
from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.fieldspec import FieldSpec
from kelm.kustomize.resource import Resource

if TYPE_CHECKING:
    from kelm.kustomize.build import Accumulator, Target


def _specs(c: dict[str, Any]) -> list[FieldSpec]:
    return [FieldSpec.from_dict(x) for x in c.get("fieldSpecs") or []]


def run_builtin_transformer(kt: Target, ra: Accumulator, cfg: Resource) -> None:
    from kelm.kustomize.build import _strs

    c = cfg.obj
    m = ra.resmap
    kind = cfg.kind
    if kind == "PatchTransformer":
        kt._patch(m, {k: c.get(k) for k in ("path", "patch", "target", "options")})
    elif kind == "PatchStrategicMergeTransformer":
        entries = list(c.get("paths") or [])
        if c.get("patches"):
            entries.append(c["patches"])
        kt._patches_strategic_merge(m, entries)
    elif kind == "PatchJson6902Transformer":
        kt._json6902(m, {"target": c.get("target"), "path": c.get("path"),
                         "patch": c.get("jsonOp")})
    elif kind == "PrefixTransformer":
        tr.prefix_suffix(m, str(c.get("prefix") or ""), None, _specs(c), [])
    elif kind == "PrefixSuffixTransformer":
        tr.prefix_suffix(m, str(c.get("prefix") or ""), None, _specs(c), [])
        tr.prefix_suffix(m, None, str(c.get("suffix") or ""), [], _specs(c))
    elif kind == "SuffixTransformer":
        tr.prefix_suffix(m, None, str(c.get("suffix") or ""), [], _specs(c))
    elif kind == "LabelTransformer":
        tr.set_map_entries(m, _strs(c.get("labels") or {}), _specs(c))
    elif kind == "AnnotationsTransformer":
        tr.set_map_entries(m, _strs(c.get("annotations") or {}), _specs(c))
    elif kind == "NamespaceTransformer":
        ns = str((c.get("metadata") or {}).get("namespace") or "")
        tr.namespace(m, ns, _specs(c), bool(c.get("unsetOnly")),
                     str(c.get("setRoleBindingSubjects") or ""))
    elif kind == "ImageTagTransformer":
        tr.images(m, c.get("imageTag") or {}, _specs(c))
    elif kind == "ReplicaCountTransformer":
        rep = c.get("replica") or {}
        tr.replicas(m, str(rep.get("name")), int(rep.get("count") or 0), _specs(c))
    elif kind == "ReplacementTransformer":
        from kelm.kustomize.replacements import apply_replacements

        apply_replacements(m, kt._load_replacements(list(c.get("replacements") or [])))
    elif kind == "HashTransformer":
        from kelm.kustomize.build import _hash_names

        _hash_names(m)
    elif kind == "ValueAddTransformer":
        _value_add(m, c)
    else:
        raise KustomizeError(f"unable to load builtin {cfg.gvk}")


def _value_add(m: Any, c: dict[str, Any]) -> None:
    value = str(c.get("value") or "")
    targets = c.get("targets") or []
    for t in targets:
        sel = t.get("selector")
        res = tr.select_targets(m, sel) if sel else list(m)
        fp = str(t.get("fieldPath") or "metadata/namespace")
        for r in res:
            parts = [p for p in fp.split("/") if p]
            node = r.obj
            for p in parts[:-1]:
                node = node.setdefault(p, {})
            last = parts[-1]
            fpp = t.get("filePathPosition")
            if fpp and isinstance(node.get(last), str):
                segs = node[last].split("/")
                i = int(fpp) - 1
                segs.insert(max(i, 0), value)
                node[last] = "/".join(segs)
            else:
                node[last] = value
