"""The merge of matched presets into one pod spec, with the plugin's all-or-nothing rule.

One pass simulates the whole merge on a copy: an item counts as present when it is in the
pod as submitted or was appended by an earlier preset in the same pass, exactly like the
upstream conflict check.  Any conflict discards the copy, so the pod stays unchanged.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kelm.presets.model import PodPreset
from kelm.presets.normalize import (
    canonical_env,
    canonical_env_from,
    canonical_mount,
    canonical_volume,
    env_from_key,
)

POD = "pod"


class InvalidPod(ValueError):
    """The pod spec has a shape presets cannot be merged into (e.g. containers not a list)."""


@dataclass(frozen=True)
class Change:
    """One item a preset brought: ``added`` False means an identical item was already there."""

    preset: str
    target: str  # "pod", "container <name>" or "initContainer <name>"
    field: str  # env | envFrom | volumeMounts | volumes
    item: str
    added: bool = True


@dataclass
class MergeOutcome:
    spec: dict[str, Any]
    changes: list[Change] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


@dataclass
class _Seen:
    canonical: Any
    origin: str  # "the pod" or "preset <name>"


def merge_pod_spec(spec: object, presets: Sequence[PodPreset]) -> MergeOutcome:
    """Merge ``presets`` (in order) into a copy of ``spec``; conflicts leave the copy unused."""
    if not isinstance(spec, dict):
        raise InvalidPod("spec: must be a mapping")
    out = MergeOutcome(spec=copy.deepcopy(spec))
    _merge_volumes(out, presets)
    for list_key, label in (("containers", "container"), ("initContainers", "initContainer")):
        containers = out.spec.get(list_key)
        if containers is None:
            continue
        if not isinstance(containers, list):
            raise InvalidPod(f"spec.{list_key}: must be a list")
        for i, container in enumerate(containers):
            if not isinstance(container, dict):
                raise InvalidPod(f"spec.{list_key}[{i}]: must be a mapping")
            target = f"{label} {container.get('name', i)}"
            _merge_container(out, container, target, list_key, i, presets)
    return out


def _items(holder: dict[str, Any], key: str, where: str) -> list[Any]:
    items = holder.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise InvalidPod(f"{where}.{key}: must be a list")
    return items


def _append(holder: dict[str, Any], key: str, item: Any) -> None:
    if not isinstance(holder.get(key), list):
        holder[key] = []
    holder[key].append(copy.deepcopy(item))


def _merge_volumes(out: MergeOutcome, presets: Sequence[PodPreset]) -> None:
    seen: dict[str, _Seen] = {}
    for vol in _items(out.spec, "volumes", "spec"):
        if isinstance(vol, dict):
            seen[str(vol.get("name"))] = _Seen(canonical_volume(vol), "the pod")
    for preset in presets:
        for vol in preset.volumes:
            name = vol["name"]
            canon = canonical_volume(vol)
            have = seen.get(name)
            if have is None:
                seen[name] = _Seen(canon, f"preset {preset.name}")
                _append(out.spec, "volumes", vol)
                out.changes.append(Change(preset.name, POD, "volumes", name))
            elif have.canonical == canon:
                out.changes.append(Change(preset.name, POD, "volumes", name, added=False))
            else:
                out.conflicts.append(
                    f"preset {preset.name}: volume {name!r} conflicts with {have.origin} "
                    f"({_short(have.canonical)} vs {_short(canon)})"
                )


def _merge_container(
    out: MergeOutcome,
    container: dict[str, Any],
    target: str,
    list_key: str,
    index: int,
    presets: Sequence[PodPreset],
) -> None:
    where = f"spec.{list_key}[{index}]"
    _merge_keyed(
        out, container, "env", where, target, presets, lambda p: p.env,
        key=lambda e: str(e.get("name")), canonical=canonical_env, describe=lambda k: k,
    )
    _merge_mounts(out, container, where, target, presets)
    _merge_keyed(
        out, container, "envFrom", where, target, presets, lambda p: p.env_from,
        key=env_from_key, canonical=canonical_env_from, describe=_describe_env_from,
    )


def _merge_keyed(
    out: MergeOutcome,
    container: dict[str, Any],
    list_key: str,
    where: str,
    target: str,
    presets: Sequence[PodPreset],
    items_of: Callable[[PodPreset], Sequence[dict[str, Any]]],
    *,
    key: Callable[[dict[str, Any]], Any],
    canonical: Callable[[Any], Any],
    describe: Callable[[Any], str],
) -> None:
    seen: dict[Any, _Seen] = {}
    for item in _items(container, list_key, where):
        if isinstance(item, dict):
            seen[key(item)] = _Seen(canonical(item), "the pod")
    for preset in presets:
        for item in items_of(preset):
            k, canon = key(item), canonical(item)
            have = seen.get(k)
            if have is None:
                seen[k] = _Seen(canon, f"preset {preset.name}")
                _append(container, list_key, item)
                out.changes.append(Change(preset.name, target, list_key, describe(k)))
            elif have.canonical == canon:
                out.changes.append(Change(preset.name, target, list_key, describe(k), added=False))
            else:
                out.conflicts.append(
                    f"preset {preset.name}: {list_key} {describe(k)} in {target} conflicts with "
                    f"{have.origin} ({_short(have.canonical)} vs {_short(canon)})"
                )


def _merge_mounts(
    out: MergeOutcome,
    container: dict[str, Any],
    where: str,
    target: str,
    presets: Sequence[PodPreset],
) -> None:
    by_name: dict[str, _Seen] = {}
    by_path: dict[str, _Seen] = {}
    for mount in _items(container, "volumeMounts", where):
        if isinstance(mount, dict):
            have = _Seen(canonical_mount(mount), "the pod")
            by_name[str(mount.get("name"))] = have  # last one wins, like the Go map
            by_path[str(mount.get("mountPath"))] = have
    for preset in presets:
        for mount in preset.volume_mounts:
            name, path = mount["name"], mount["mountPath"]
            canon = canonical_mount(mount)
            item = f"{name} at {path}"
            clash = False
            for what, index, k in (("volume", by_name, name), ("mount path", by_path, path)):
                seen = index.get(k)
                if seen is not None and seen.canonical != canon:
                    clash = True
                    out.conflicts.append(
                        f"preset {preset.name}: volumeMounts {what} {k!r} in {target} conflicts "
                        f"with {seen.origin} ({_short(seen.canonical)} vs {_short(canon)})"
                    )
            if clash:
                continue
            if name in by_name:
                out.changes.append(Change(preset.name, target, "volumeMounts", item, added=False))
                continue
            mine = _Seen(canon, f"preset {preset.name}")
            by_name[name] = mine
            by_path[path] = mine
            _append(container, "volumeMounts", mount)
            out.changes.append(Change(preset.name, target, "volumeMounts", item))


def _describe_env_from(key: tuple[str, str, str]) -> str:
    prefix, cm, secret = key
    text = f"configMapRef {cm}" if cm else f"secretRef {secret}"
    return f"{text} (prefix {prefix})" if prefix else text


def _short(value: Any, limit: int = 90) -> str:
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "name"}
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."
