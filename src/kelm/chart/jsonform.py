"""Charts in Go's JSON shape (struct field order, ``omitempty``), for ``show chart`` and
release records."""

from __future__ import annotations

from kelm.chart.model import Dependency, Maintainer, Metadata

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value:  # omitempty: "", false, 0, empty/None slices and maps are left out
        out[key] = value


def maintainer_json(m: Maintainer | None) -> dict[str, Any] | None:
    if m is None:
        return None
    out: dict[str, Any] = {}
    _put(out, "name", m.name)
    _put(out, "email", m.email)
    _put(out, "url", m.url)
    return out


def dependency_json(d: Dependency | None) -> dict[str, Any] | None:
    if d is None:
        return None
    out: dict[str, Any] = {"name": d.name}
    _put(out, "version", d.version)
    out["repository"] = d.repository
    _put(out, "condition", d.condition)
    _put(out, "tags", list(d.tags))
    _put(out, "enabled", d.enabled)
    _put(out, "import-values", list(d.import_values))
    _put(out, "alias", d.alias)
    return out


def metadata_json(md: Metadata) -> dict[str, Any]:
    """Chart.yaml as Helm marshals ``chart.Metadata`` (all fields ``omitempty``)."""
    out: dict[str, Any] = {}
    _put(out, "name", md.name)
    _put(out, "home", md.home)
    _put(out, "sources", list(md.sources))
    _put(out, "version", md.version)
    _put(out, "description", md.description)
    _put(out, "keywords", list(md.keywords))
    _put(out, "maintainers", [maintainer_json(m) for m in md.maintainers])
    _put(out, "icon", md.icon)
    _put(out, "apiVersion", md.api_version)
    _put(out, "condition", md.condition)
    _put(out, "tags", md.tags)
    _put(out, "appVersion", md.app_version)
    _put(out, "deprecated", md.deprecated)
    _put(out, "annotations", dict(md.annotations or {}))
    _put(out, "kubeVersion", md.kube_version)
    _put(out, "dependencies", [dependency_json(d) for d in md.dependencies])
    _put(out, "type", md.type)
    return out
