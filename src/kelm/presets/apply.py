"""``apply_presets``: the one entry point shared by the CLI, ``kelm template`` and the webhook."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kelm.presets.errors import PresetError
from kelm.presets.merge import Change, InvalidPod, merge_pod_spec
from kelm.presets.model import PodPreset, is_preset_document, parse_preset
from kelm.presets.workloads import is_list, pod_path, resolve

EXCLUDE_ANNOTATION = "podpreset.admission.kubernetes.io/exclude"
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
DEFAULT_NAMESPACE = "default"

# ObjectReport.status values
APPLIED = "applied"
CONFLICT = "conflict"
EXCLUDED = "excluded"
MIRROR = "mirror"
NO_MATCH = "no-match"
NOT_A_POD = "not-a-pod"
INVALID = "invalid"


@dataclass(frozen=True)
class Skip:
    """A preset that did not apply to an object, and why."""

    preset: str
    reason: str
    cause: str = "selector"  # namespace | selector | conflict


@dataclass
class ObjectReport:
    """What happened to one object (one pod or pod template)."""

    location: str  # "[0]" or "[0].items[2]": position in the input list
    kind: str
    name: str
    namespace: str
    template: str  # "" for a Pod, else the path of the pod template ("spec.template")
    status: str
    applied: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def ref(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (``kelm preset explain -o json``)."""
        from dataclasses import asdict

        return asdict(self)


@dataclass
class ApplyResult:
    objects: list[Any]
    reports: list[ObjectReport]

    @property
    def changed(self) -> bool:
        return any(r.status == APPLIED for r in self.reports)

    @property
    def conflicts(self) -> list[ObjectReport]:
        return [r for r in self.reports if r.status == CONFLICT]


def coerce_presets(presets: Iterable[PodPreset | dict[str, Any]]) -> list[PodPreset]:
    """Parse dict presets and reject two presets with the same namespace and name."""
    out: list[PodPreset] = []
    seen: dict[tuple[str | None, str], PodPreset] = {}
    for item in presets:
        preset = parse_preset(item)
        key = (preset.namespace, preset.name)
        if key in seen:
            first = seen[key].source
            raise PresetError(
                f"duplicate PodPreset {preset.ref}" + (f" (first defined at {first})" if first else ""),
                source=preset.source,
            )
        seen[key] = preset
        out.append(preset)
    return out


def split_presets(docs: Iterable[Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    """Separate PodPreset documents from the other manifests (order kept)."""
    presets: list[dict[str, Any]] = []
    others: list[Any] = []
    for doc in docs:
        (presets if is_preset_document(doc) else others).append(doc)
    return presets, others


def apply_presets(
    presets: Iterable[PodPreset | dict[str, Any]],
    objects: Sequence[Any],
    *,
    namespace: str = DEFAULT_NAMESPACE,
) -> ApplyResult:
    """Apply matching presets to every pod and pod template in ``objects``.

    ``objects`` are parsed manifests (dicts); they are not modified, the result holds
    copies.  ``namespace`` is the namespace of objects and presets that name none (the
    release namespace for ``kelm template``, the request namespace for the webhook).
    Raises PresetError when a preset is invalid.
    """
    ready = coerce_presets(presets)
    result = ApplyResult(objects=[], reports=[])
    for i, obj in enumerate(objects):
        result.objects.append(_apply_any(ready, obj, f"[{i}]", namespace, None, result.reports))
    return result


def apply_to_object(
    presets: Sequence[PodPreset],
    obj: Any,
    *,
    namespace: str,
    force_namespace: bool = False,
    location: str = "[0]",
) -> tuple[Any, list[ObjectReport]]:
    """One object; ``force_namespace`` uses ``namespace`` even if the object names another
    (admission: the request's namespace wins, as in the original plugin)."""
    reports: list[ObjectReport] = []
    forced = namespace if force_namespace else None
    return _apply_any(presets, obj, location, namespace, forced, reports), reports


def _apply_any(
    presets: Sequence[PodPreset],
    obj: Any,
    location: str,
    default_ns: str,
    forced_ns: str | None,
    reports: list[ObjectReport],
) -> Any:
    if is_list(obj):
        items = [
            _apply_any(presets, item, f"{location}.items[{j}]", default_ns, forced_ns, reports)
            for j, item in enumerate(obj["items"])
        ]
        if all(a is b for a, b in zip(items, obj["items"], strict=True)):
            return obj
        out = dict(obj)
        out["items"] = items
        return out
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    namespace = forced_ns or str(meta.get("namespace") or default_ns)
    kind = str(obj.get("kind", "")) if isinstance(obj, dict) else ""
    name = str(meta.get("name") or meta.get("generateName") or "")
    report = ObjectReport(location, kind, name, namespace, "", NOT_A_POD)
    reports.append(report)
    path = pod_path(obj)
    if path is None:
        return obj
    report.template = ".".join(path)
    pod = resolve(obj, path)
    if pod is None:
        report.status, report.message = INVALID, f"{report.template or 'object'}: missing"
        return obj
    new_pod = _apply_pod(presets, pod, namespace, default_ns, report)
    if new_pod is None:
        return obj
    return _replace(obj, path, new_pod)


def _apply_pod(
    presets: Sequence[PodPreset],
    pod: dict[str, Any],
    namespace: str,
    default_ns: str,
    report: ObjectReport,
) -> dict[str, Any] | None:
    """The pod with presets merged, or None when it stays unchanged (report says why)."""
    meta = pod.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    annotations = meta.get("annotations")
    annotations = annotations if isinstance(annotations, dict) else {}
    if MIRROR_ANNOTATION in annotations:
        report.status, report.message = MIRROR, "mirror pod (kubernetes.io/config.mirror)"
        return None
    if annotations.get(EXCLUDE_ANNOTATION) == "true":
        report.status, report.message = EXCLUDED, f'annotation {EXCLUDE_ANNOTATION}: "true"'
        return None
    labels = meta.get("labels")
    labels = labels if isinstance(labels, dict) else {}
    matched: list[PodPreset] = []
    for preset in presets:
        preset_ns = preset.namespace_or(default_ns)
        if preset_ns != namespace:
            report.skipped.append(
                Skip(preset.name, f"in namespace {preset_ns}, not {namespace}", "namespace")
            )
            continue
        mismatch = preset.selector.first_mismatch(labels)
        if mismatch is not None:
            report.skipped.append(Skip(preset.name, f"selector does not match: {mismatch}"))
            continue
        matched.append(preset)
    if not matched:
        report.status = NO_MATCH
        return None
    matched.sort(key=lambda p: p.name)
    try:
        outcome = merge_pod_spec(pod.get("spec") if "spec" in pod else {}, matched)
    except InvalidPod as e:
        report.status, report.message = INVALID, str(e)
        return None
    if outcome.conflicts:
        report.status = CONFLICT
        report.conflicts = outcome.conflicts
        names = ", ".join(p.name for p in matched)
        report.message = f"conflict between matching presets ({names}): none applied"
        for preset in matched:
            report.skipped.append(
                Skip(preset.name, "not applied: the matching presets conflict", "conflict")
            )
        return None
    report.status = APPLIED
    report.applied = [p.name for p in matched]
    report.changes = outcome.changes
    new_pod = dict(pod)
    new_meta = copy.deepcopy(meta)
    new_annotations = new_meta.get("annotations")
    if not isinstance(new_annotations, dict):
        new_annotations = new_meta["annotations"] = {}
    for preset in matched:
        new_annotations[preset.annotation_key] = preset.version
    new_pod["metadata"] = new_meta
    new_pod["spec"] = outcome.spec
    return new_pod


def _replace(obj: dict[str, Any], path: tuple[str, ...], pod: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``obj`` with the mapping at ``path`` replaced (copies only the path)."""
    if not path:
        return pod
    out = dict(obj)
    out[path[0]] = _replace(obj[path[0]], path[1:], pod)
    return out
