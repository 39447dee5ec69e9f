"""The chart as Helm models it: metadata from Chart.yaml, files, templates, subcharts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

APIVERSION_V1 = "v1"
APIVERSION_V2 = "v2"


class ChartError(Exception):
    """A chart that cannot be loaded or used; ``str()`` is Helm's message."""


@dataclass
class File:
    """A file of the chart: ``name`` relative to the chart root, raw ``data``."""

    name: str
    data: bytes
    modtime: float = 0.0


@dataclass
class Maintainer:
    name: str = ""
    email: str = ""
    url: str = ""


@dataclass
class Dependency:
    """One entry of Chart.yaml ``dependencies`` (or v1 requirements.yaml)."""

    name: str = ""
    version: str = ""
    repository: str = ""
    condition: str = ""
    tags: list[str] = field(default_factory=list)
    enabled: bool = False
    import_values: list[Any] = field(default_factory=list)
    alias: str = ""

    def copy(self) -> Dependency:
        return Dependency(
            self.name,
            self.version,
            self.repository,
            self.condition,
            list(self.tags),
            self.enabled,
            list(self.import_values),
            self.alias,
        )


@dataclass
class Metadata:
    """Chart.yaml; field order is Go's struct order (it decides ``.Chart`` and JSON output)."""

    name: str = ""
    home: str = ""
    sources: list[str] = field(default_factory=list)
    version: str = ""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    maintainers: list[Maintainer | None] = field(default_factory=list)
    icon: str = ""
    api_version: str = ""
    condition: str = ""
    tags: str = ""
    app_version: str = ""
    deprecated: bool = False
    annotations: dict[str, str] | None = None
    kube_version: str = ""
    dependencies: list[Dependency | None] = field(default_factory=list)
    type: str = ""
    # which list fields were present (null vs empty matters for .Chart printing)
    present: set[str] = field(default_factory=set)

    def copy(self) -> Metadata:
        md = Metadata(**{k: getattr(self, k) for k in self.__dataclass_fields__})
        md.dependencies = [d.copy() if d is not None else None for d in self.dependencies]
        md.present = set(self.present)
        return md


@dataclass
class Chart:
    """A loaded chart.  ``dependencies`` are the subcharts (charts/), ``parent`` links upward."""

    metadata: Metadata
    templates: list[File] = field(default_factory=list)
    files: list[File] = field(default_factory=list)
    raw: list[File] = field(default_factory=list)
    values: dict[str, Any] | None = None
    schema: bytes | None = None
    lock: Any = None
    dependencies: list[Chart] = field(default_factory=list)
    parent: Chart | None = None
    modtime: float = 0.0

    @property
    def name(self) -> str:
        return self.metadata.name

    def is_root(self) -> bool:
        return self.parent is None

    def is_library(self) -> bool:
        return self.metadata.type == "library"

    def full_path(self) -> str:
        """``root/charts/sub/charts/subsub``: the prefix of template names."""
        if self.parent is not None:
            return self.parent.full_path() + "/charts/" + self.name
        return self.name

    def add_dependency(self, *charts: Chart) -> None:
        for c in charts:
            c.parent = self
            self.dependencies.append(c)

    def set_dependencies(self, *charts: Chart) -> None:
        self.dependencies = []
        self.add_dependency(*charts)

    def shallow_copy(self) -> Chart:
        return Chart(
            metadata=self.metadata,
            templates=self.templates,
            files=self.files,
            raw=self.raw,
            values=self.values,
            schema=self.schema,
            lock=self.lock,
            dependencies=list(self.dependencies),
            parent=self.parent,
            modtime=self.modtime,
        )

    def crd_objects(self) -> list[tuple[str, File]]:
        """(``root/charts/sub/crds/x.yaml``, file) for every CRD file, parents first."""
        out = []
        for f in self.files:
            if f.name.startswith("crds/") and f.name.rsplit(".", 1)[-1].lower() in (
                "yaml",
                "yml",
                "json",
            ) and "." in f.name.rsplit("/", 1)[-1]:
                out.append((self.full_path() + "/" + f.name, f))
        for d in self.dependencies:
            out.extend(d.crd_objects())
        return out
