"""What a kustomization build passes around: options, transformer config, the accumulated
resources, and the view of a kustomization directory that the helpers (patches, plugins,
helm charts, CRDs) work on.

Its own module so that build.py (which calls the helpers) and the helpers (which take these
types) do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from kelm.kustomize import fieldspec as fsl
from kelm.kustomize.fieldspec import FieldSpec
from kelm.kustomize.loader import ROOT_ONLY, Loader
from kelm.kustomize.nameref import BackRef, merge_backrefs
from kelm.kustomize.resource import ResMap

_CONFIG_KEYS = (
    "namePrefix", "nameSuffix", "commonLabels", "templateLabels", "commonAnnotations",
    "namespace", "varReference", "images", "replicas", "labels",
)


@dataclass
class Options:
    load_restrictor: str = ROOT_ONLY
    enable_helm: bool = False
    enable_alpha_plugins: bool = False
    helm_command: str = ""
    helm_api_versions: list[str] = field(default_factory=list)
    helm_kube_version: str = ""


@dataclass
class TransformerConfig:
    specs: dict[str, list[FieldSpec]] = field(default_factory=dict)
    name_reference: list[BackRef] = field(default_factory=list)

    @staticmethod
    def from_dict(d: dict[str, Any]) -> TransformerConfig:
        tc = TransformerConfig()
        for key in _CONFIG_KEYS:
            tc.specs[key] = [FieldSpec.from_dict(x) for x in d.get(key) or []]
        tc.name_reference = [BackRef.from_dict(x) for x in d.get("nameReference") or []]
        return tc

    def merge(self, other: TransformerConfig) -> TransformerConfig:
        out = TransformerConfig()
        for key in _CONFIG_KEYS:
            out.specs[key] = fsl.merge_specs(self.specs.get(key, []), other.specs.get(key, []))
        out.name_reference = merge_backrefs(self.name_reference, other.name_reference)
        return out

    def get(self, key: str) -> list[FieldSpec]:
        return self.specs.get(key, [])


def default_config() -> TransformerConfig:
    return TransformerConfig.from_dict(fsl.default_specs())


@dataclass
class Accumulator:
    resmap: ResMap = field(default_factory=ResMap)
    config: TransformerConfig = field(default_factory=TransformerConfig)
    variables: list[dict[str, Any]] = field(default_factory=list)

    def merge(self, other: Accumulator, keys: set[Any] | None = None) -> None:
        self.resmap.append_all(other.resmap, keys)
        self.config = self.config.merge(other.config)
        from kelm.kustomize.variables import add_vars

        add_vars(self.variables, other.variables)


class TargetDir(Protocol):
    """One kustomization directory as the helpers see it (kelm.kustomize.build.Target)."""

    ldr: Loader
    k: dict[str, Any]  # the kustomization file's content

    def load_replacements(self, reps: list[Any]) -> list[dict[str, Any]]:
        """``replacements:`` entries, those given by ``path`` read from their files."""
        ...
