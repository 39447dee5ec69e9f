"""The chart as Helm models it: metadata from Chart.yaml, files, templates, subcharts."""

from __future__ import annotations

from kelm._slots import Record, slot_values

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

APIVERSION_V1 = "v1"
APIVERSION_V2 = "v2"


class ChartError(Exception):
    """A chart that cannot be loaded or used; ``str()`` is Helm's message."""


class File(Record):
    """A file of the chart: ``name`` relative to the chart root, raw ``data``, ``modtime``
    in integer nanoseconds since the epoch as Go keeps it (0: the zero time); a release
    records it to the nanosecond."""

    __slots__ = ("name", "data", "modtime")

    def __init__(self, name: str, data: bytes, modtime: int = 0) -> None:
        self.name = name
        self.data = data
        self.modtime = modtime


class Maintainer(Record):
    __slots__ = ("name", "email", "url")

    def __init__(self, name: str = "", email: str = "", url: str = "") -> None:
        self.name = name
        self.email = email
        self.url = url


class Dependency(Record):
    """One entry of Chart.yaml ``dependencies`` (or v1 requirements.yaml)."""

    __slots__ = (
        "name", "version", "repository", "condition", "tags", "enabled", "import_values", "alias"
    )

    def __init__(
        self,
        name: str = "",
        version: str = "",
        repository: str = "",
        condition: str = "",
        tags: list[str] | None = None,
        enabled: bool = False,
        import_values: list[Any] | None = None,
        alias: str = "",
    ) -> None:
        self.name = name
        self.version = version
        self.repository = repository
        self.condition = condition
        self.tags: list[str] = [] if tags is None else tags
        self.enabled = enabled
        self.import_values: list[Any] = [] if import_values is None else import_values
        self.alias = alias

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


class Metadata(Record):
    """Chart.yaml; field order is Go's struct order (it decides ``.Chart`` and JSON output)."""

    __slots__ = (
        "name", "home", "sources", "version", "description", "keywords", "maintainers", "icon",
        "api_version", "condition", "tags", "app_version", "deprecated", "annotations",
        "kube_version", "dependencies", "type",
        "present",  # which list fields were present (null vs empty matters for .Chart printing)
    )

    def __init__(
        self,
        name: str = "",
        home: str = "",
        sources: list[str] | None = None,
        version: str = "",
        description: str = "",
        keywords: list[str] | None = None,
        maintainers: list[Maintainer | None] | None = None,
        icon: str = "",
        api_version: str = "",
        condition: str = "",
        tags: str = "",
        app_version: str = "",
        deprecated: bool = False,
        annotations: dict[str, str] | None = None,
        kube_version: str = "",
        dependencies: list[Dependency | None] | None = None,
        type: str = "",
        present: set[str] | None = None,
    ) -> None:
        self.name = name
        self.home = home
        self.sources: list[str] = [] if sources is None else sources
        self.version = version
        self.description = description
        self.keywords: list[str] = [] if keywords is None else keywords
        self.maintainers: list[Maintainer | None] = [] if maintainers is None else maintainers
        self.icon = icon
        self.api_version = api_version
        self.condition = condition
        self.tags = tags
        self.app_version = app_version
        self.deprecated = deprecated
        self.annotations = annotations
        self.kube_version = kube_version
        self.dependencies: list[Dependency | None] = [] if dependencies is None else dependencies
        self.type = type
        self.present: set[str] = set() if present is None else present

    def copy(self) -> Metadata:
        md = Metadata(*slot_values(self))
        md.dependencies = [d.copy() if d is not None else None for d in self.dependencies]
        md.present = set(self.present)
        return md


class Chart(Record):
    """A loaded chart.  ``dependencies`` are the subcharts (charts/), ``parent`` links upward."""

    __slots__ = (
        "metadata", "templates", "files", "raw", "values", "schema", "lock", "dependencies",
        "parent", "modtime",
    )

    def __init__(
        self,
        metadata: Metadata,
        templates: list[File] | None = None,
        files: list[File] | None = None,
        raw: list[File] | None = None,
        values: dict[str, Any] | None = None,
        schema: bytes | None = None,
        lock: Any = None,
        dependencies: list[Chart] | None = None,
        parent: Chart | None = None,
        modtime: int = 0,
    ) -> None:
        self.metadata = metadata
        self.templates: list[File] = [] if templates is None else templates
        self.files: list[File] = [] if files is None else files
        self.raw: list[File] = [] if raw is None else raw
        self.values = values
        self.schema = schema
        self.lock = lock
        self.dependencies: list[Chart] = [] if dependencies is None else dependencies
        self.parent = parent
        self.modtime = modtime

    def __repr__(self) -> str:
        # the parent link would recurse: name it only
        parent = None if self.parent is None else f"<Chart {self.parent.name!r}>"
        inner = ", ".join(
            f"{k}={getattr(self, k)!r}" if k != "parent" else f"parent={parent}"
            for k in self.__slots__
        )
        return f"Chart({inner})"

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

