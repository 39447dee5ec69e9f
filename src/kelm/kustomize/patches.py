"""patchesStrategicMerge, patches (SMP or JSON 6902, with targets) and patchesJson6902."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from kelm.kustomize import transformers as tr
from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.resfactory import resources_from_bytes
from kelm.kustomize.resource import ResMap, Resource

if TYPE_CHECKING:
    from kelm.kustomize.model import TargetDir


def patches_strategic_merge(kt: TargetDir, m: ResMap, entries: list[str]) -> None:
    patches: list[Resource] = []
    for entry in entries:
        patches.extend(load_sm_patch(kt, entry))
    if not patches:
        listed = "".join(f"- {e}\n" for e in entries)
        raise KustomizeError(
            "trouble configuring builtin PatchStrategicMergeTransformer with config: `\n"
            f"paths:\n{listed}`: patch appears to be empty; files=[{' '.join(entries)}], Patch="
        )
    for patch in patches:
        target = tr.get_by_id(m, patch.org_id())
        tr.apply_smp(m, [target], patch)

def load_sm_patch(kt: TargetDir, entry: str) -> list[Resource]:
    if "\n" in entry or ":" in entry.split("\n")[0] and not os.path.exists(
        os.path.join(kt.ldr.root, entry)
    ):
        try:
            return resources_from_bytes(entry)
        except KustomizeError:
            pass
    data = kt.ldr.load(entry)
    return resources_from_bytes(data, entry)

def patch(kt: TargetDir, m: ResMap, p: dict[str, Any]) -> None:
    text = (p.get("patch") or "").strip()
    path = p.get("path") or ""
    if not text and not path:
        raise KustomizeError(
            "trouble configuring builtin PatchTransformer with config: `\n"
            f"{_cfg_yaml(p)}`: must specify one of patch and path in\n{_cfg_yaml(p)[:-1]}"
        )
    if text and path:
        raise KustomizeError(
            "trouble configuring builtin PatchTransformer with config: `\n"
            f"{_cfg_yaml(p)}`: patch and path can't be set at the same time\n"
            f"{_cfg_yaml(p)[:-1]}"
        )
    if path:
        try:
            text = kt.ldr.load(path).decode("utf-8", errors="replace")
        except KustomizeError as e:
            raise KustomizeError(
                "trouble configuring builtin PatchTransformer with config: `\n"
                f"{_cfg_yaml(p)}`: failed to get the patch file from path({path}): {e}"
            ) from None
        source = f'[path: "{path}"]'
    else:
        source = f'[patch: "{text}"]'
    sm, ops = classify_patch(text, source)
    target = p.get("target")
    options = p.get("options") or {}
    if sm is not None:
        for patch in sm:
            patch.allow_name_change = bool(options.get("allowNameChange"))
            patch.allow_kind_change = bool(options.get("allowKindChange"))
        if target is not None:
            if len(sm) > 1:
                raise KustomizeError(
                    "Multiple Strategic-Merge Patches in one `patches` entry is not "
                    f"allowed to set `patches.target` field: {source}"
                )
            tr.apply_smp(m, tr.select_targets(m, target), sm[0])
            return
        for patch in sm:
            oid = patch.org_id()
            try:
                t = tr.get_by_id(m, oid)
            except KustomizeError as e:
                raise KustomizeError(
                    f'no resource matches strategic merge patch "{oid}": {e}'
                ) from None
            tr.apply_smp_one(t, patch.deep_copy())
            if not t.obj:
                m.remove(t)
        return
    if target is None:
        raise KustomizeError(f"must specify a target for JSON patch {source}")
    for r in tr.select_targets(m, target):
        r.store_previous_id()
        tr.apply_json_patch(r, ops or [])

def json6902(kt: TargetDir, m: ResMap, p: dict[str, Any]) -> None:
    target = p.get("target") or {}
    if not target.get("name"):
        raise KustomizeError("must specify the target name")
    op = p.get("patch") or ""
    if p.get("path"):
        op = kt.ldr.load(p["path"]).decode("utf-8", errors="replace")
    if not op:
        raise KustomizeError("empty file path and empty jsonOp")
    ops = tr.parse_json_ops(op, op)
    for r in tr.select_targets(m, target):
        tr.apply_json_patch(r, ops)

# ------------------------------------------------------------ plugins


def _cfg_yaml(p: dict[str, Any]) -> str:
    """The entry as kustomize prints its plugin config (JSON-ordered keys, YAML quoting)."""
    from kelm.yaml import dump_v2

    return dump_v2({k: p[k] for k in sorted(p) if p.get(k)})


def classify_patch(text: str, source: str) -> tuple[list[Resource] | None, list[Any] | None]:
    sm: list[Resource] | None
    try:
        sm = resources_from_bytes(text)
        err_sm = None
    except KustomizeError as e:
        sm, err_sm = None, e
    try:
        ops = tr.parse_json_ops(text, source)
        err_js = None
    except KustomizeError as e:
        ops, err_js = None, e
    if sm and ops:
        raise KustomizeError(f"illegally qualifies as both an SM and JSON patch: {source}")
    if err_sm is not None and err_js is not None:
        raise KustomizeError(f"unable to parse SM or JSON patch from {source}")
    if err_sm is None and sm:
        return sm, None
    # an empty (or comments-only) patch is no strategic-merge patch: kustomize takes it as a
    # JSON patch without operations, which needs a target
    return None, ops
