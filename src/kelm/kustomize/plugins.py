"""Builtin transformer plugins configured through ``transformers:`` entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kelm.kustomize import generators as gen
from kelm.kustomize import patches
from kelm.kustomize import transformers as tr
from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.fieldspec import FieldSpec
from kelm.kustomize.resource import Resource

if TYPE_CHECKING:
    from kelm.kustomize.model import Accumulator, TargetDir


def _specs(c: dict[str, Any]) -> list[FieldSpec]:
    return [FieldSpec.from_dict(x) for x in c.get("fieldSpecs") or []]


def run_builtin_transformer(kt: TargetDir, ra: Accumulator, cfg: Resource) -> None:
    c = cfg.obj
    m = ra.resmap
    kind = cfg.kind
    if kind == "PatchTransformer":
        patches.patch(kt, m, {k: c.get(k) for k in ("path", "patch", "target", "options")})
    elif kind == "PatchStrategicMergeTransformer":
        entries = list(c.get("paths") or [])
        if c.get("patches"):
            entries.append(c["patches"])
        patches.patches_strategic_merge(kt, m, entries)
    elif kind == "PatchJson6902Transformer":
        patches.json6902(kt, m, {"target": c.get("target"), "path": c.get("path"),
                         "patch": c.get("jsonOp")})
    elif kind == "PrefixTransformer":
        tr.prefix_suffix(m, str(c.get("prefix") or ""), None, _specs(c), [])
    elif kind == "PrefixSuffixTransformer":
        tr.prefix_suffix(m, str(c.get("prefix") or ""), None, _specs(c), [])
        tr.prefix_suffix(m, None, str(c.get("suffix") or ""), [], _specs(c))
    elif kind == "SuffixTransformer":
        tr.prefix_suffix(m, None, str(c.get("suffix") or ""), [], _specs(c))
    elif kind == "LabelTransformer":
        tr.set_map_entries(m, tr.string_map(c.get("labels") or {}), _specs(c))
    elif kind == "AnnotationsTransformer":
        tr.set_map_entries(m, tr.string_map(c.get("annotations") or {}), _specs(c))
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

        apply_replacements(m, kt.load_replacements(list(c.get("replacements") or [])))
    elif kind == "HashTransformer":
        gen.hash_names(m)
    elif kind == "ValueAddTransformer":
        _value_add(kt, m, c)
    else:
        raise KustomizeError(f"unable to load builtin {cfg.gvk}")


def _value_add(kt: Any, m: Any, c: dict[str, Any]) -> None:
    import os
    import posixpath

    value = str(c.get("value") or "").strip() or os.path.basename(kt.ldr.root)
    targets = list(c.get("targets") or [])
    if c.get("targetFilePath"):
        from kelm.kustomize.yamlread import load_documents

        docs = load_documents(kt.ldr.load_text(c["targetFilePath"]))
        if docs and isinstance(docs[0], dict):
            targets.extend(docs[0].get("targets") or [])
    if not targets:
        raise KustomizeError("must specify at least one target")
    for t in targets:
        fp = str(t.get("fieldPath") or "")
        if not fp:
            raise KustomizeError("fieldPath cannot be empty")
        sel = t.get("selector")
        res = tr.select_targets(m, sel) if sel else list(m)
        for r in res:
            if fp == "metadata/namespace":
                tr.namespace_filter(r, value, [])
                continue
            fields: list[str] = []
            for f in fp.split("/"):
                if fields and fields[-1].endswith("\\"):
                    fields[-1] = fields[-1][:-1] + "/" + f
                else:
                    fields.append(f)
            node = r.obj
            for f in fields[:-1]:
                if not isinstance(node.get(f), dict):
                    node[f] = {}
                node = node[f]
            last = fields[-1]
            cur = node.get(last)
            if cur is None:
                cur = ""
            if isinstance(cur, dict | list):
                raise KustomizeError("wrong node kind: expected ScalarNode")
            new_value = value
            pos = int(t.get("filePathPosition") or 0)
            if pos > 0:
                new_value = _insert_path_part(str(cur), pos - 1, value)
            node[last] = new_value
            _ = posixpath


def _path_split(p: str) -> list[str]:
    if p == "":
        return []
    if p.startswith("/"):
        rest = [x for x in p[1:].split("/")]
        return ["", *rest] if rest != [""] else [""]
    return p.split("/")


def _insert_path_part(path: str, pos: int, part: str) -> str:
    import posixpath

    if part == "":
        return path
    parts = _path_split(path)
    pos = max(0, min(pos, len(parts)))
    if parts and parts[0] == "" and pos < len(parts):
        pos += 1
    parts = parts[:pos] + [part] + parts[pos:]
    if parts and parts[0] == "":
        rest = [x for x in parts[1:] if x]
        return "/" + posixpath.normpath(posixpath.join(*rest)) if rest else "/"
    rest = [x for x in parts if x]
    return posixpath.normpath(posixpath.join(*rest)) if rest else ""
