"""PodPreset: declared injection of env, envFrom, volumes and mounts into matching pods.

A re-implementation of the removed Kubernetes PodPreset admission plugin
(settings.k8s.io/v1alpha1), usable client-side on manifests and as a mutating webhook.
The entry point is :func:`apply_presets`; everything here is stdlib-only (YAML loading
lives in :mod:`kelm.presets.loader`, the webhook in :mod:`kelm.presets.webhook`).
"""

from kelm.presets.apply import (
    ApplyResult,
    ObjectReport,
    Skip,
    apply_presets,
    apply_to_object,
    split_presets,
)
from kelm.presets.errors import PresetError
from kelm.presets.merge import Change
from kelm.presets.model import PodPreset, is_preset_document, parse_preset
from kelm.presets.selector import LabelSelector, Requirement

__all__ = [
    "ApplyResult",
    "Change",
    "LabelSelector",
    "ObjectReport",
    "PodPreset",
    "PresetError",
    "Requirement",
    "Skip",
    "apply_presets",
    "apply_to_object",
    "is_preset_document",
    "parse_preset",
    "split_presets",
]
