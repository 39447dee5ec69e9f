"""The PodPreset resource (settings.k8s.io/v1alpha1) as a plain, validated value."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from kelm.presets.errors import PresetError
from kelm.presets.selector import LabelSelector, parse_selector
from kelm.presets.validation import ANNOTATION_PREFIX, validate_preset

GROUP = "settings.k8s.io"
VERSION = "v1alpha1"
API_VERSION = f"{GROUP}/{VERSION}"
KIND = "PodPreset"


@dataclass(frozen=True)
class PodPreset:
    """A validated preset. ``namespace`` is None when the document named none."""

    name: str
    namespace: str | None
    selector: LabelSelector
    env: tuple[dict[str, Any], ...] = ()
    env_from: tuple[dict[str, Any], ...] = ()
    volumes: tuple[dict[str, Any], ...] = ()
    volume_mounts: tuple[dict[str, Any], ...] = ()
    resource_version: str | None = None
    source: str = field(default="", compare=False)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def annotation_key(self) -> str:
        return ANNOTATION_PREFIX + self.name

    @property
    def version(self) -> str:
        """The annotation value: resourceVersion, else a hash of the spec (no server here)."""
        if self.resource_version:
            return self.resource_version
        spec = {
            "selector": self.raw.get("spec", {}).get("selector") or {},
            "env": list(self.env),
            "envFrom": list(self.env_from),
            "volumes": list(self.volumes),
            "volumeMounts": list(self.volume_mounts),
        }
        text = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
        return "sha256-" + hashlib.sha256(text.encode()).hexdigest()[:16]

    def namespace_or(self, default: str) -> str:
        return self.namespace or default

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}" if self.namespace else self.name


def is_preset_document(doc: Any) -> bool:
    """True for a PodPreset of any API group (settings.k8s.io or a CRD group of the same shape)."""
    return isinstance(doc, dict) and doc.get("kind") == KIND


def parse_preset(doc: Any, source: str = "") -> PodPreset:
    """Validate a PodPreset document and build the model; raises PresetError listing all problems."""
    if isinstance(doc, PodPreset):
        return doc
    problems = validate_preset(doc)
    if isinstance(doc, dict) and doc.get("kind") not in (None, KIND):
        problems.insert(0, f"kind: expected {KIND}, got {doc.get('kind')!r}")
    if problems:
        label = _label(doc)
        first = problems[0] if len(problems) == 1 else f"{problems[0]} (and {len(problems) - 1} more)"
        raise PresetError(f"invalid PodPreset {label}: {first}", source=source, problems=problems)
    meta, spec = doc["metadata"], doc["spec"]
    rv = meta.get("resourceVersion")
    return PodPreset(
        name=meta["name"],
        namespace=meta.get("namespace") or None,
        selector=parse_selector(spec.get("selector"))[0],
        env=tuple(spec.get("env") or ()),
        env_from=tuple(spec.get("envFrom") or ()),
        volumes=tuple(spec.get("volumes") or ()),
        volume_mounts=tuple(spec.get("volumeMounts") or ()),
        resource_version=str(rv) if rv not in (None, "") else None,
        source=source,
        raw=doc,
    )


def _label(doc: Any) -> str:
    meta = doc.get("metadata") if isinstance(doc, dict) else None
    name = meta.get("name") if isinstance(meta, dict) else None
    ns = meta.get("namespace") if isinstance(meta, dict) else None
    if not name:
        return "<unnamed>"
    return f"{ns}/{name}" if ns else str(name)
