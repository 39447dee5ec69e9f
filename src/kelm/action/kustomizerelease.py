"""A kustomization as a Helm release (beyond Helm and kubectl).

``kelm install NAME DIR`` with a kustomization in DIR (and no Chart.yaml) builds it with
:mod:`kelm.kustomize` and hands the install flow the same kind of object
:func:`kelm.render.render_chart` returns, so the release is stored, listed, upgraded, rolled
back and uninstalled like any other (``helm list`` shows it).  Its chart is a stand-in:
named after the directory, version :data:`VERSION`, annotated :data:`SOURCE_ANNOTATION`
``= kustomization``, without templates or values; the manifest holds the built objects in
Helm's install order; there are no hooks and no values.

:func:`kelm.action.install.plan_install` plans a kustomization directory with
:func:`stand_in_chart` when the request allows it, and
:func:`kelm.action.install.render_plan` builds it with :func:`render_kustomization`.
"""

from __future__ import annotations

import os
from typing import Any

from kelm.chart.model import Chart, Metadata

VERSION = "0.0.0"
SOURCE_ANNOTATION = "kelm.sh/source"


class KustomizationChart(Chart):
    """The stand-in chart of a kustomization, remembering where it is (``path``, the
    kustomization ``file``): the install/upgrade flow coalesces its (empty) values like any
    chart's, and :func:`kelm.action.install.render_plan` knows it to build it.  It records
    as a plain chart."""

    __slots__ = ("path", "file")

    def __init__(self, metadata: Metadata, path: str, file: str) -> None:
        super().__init__(metadata=metadata, values={})
        self.path = path
        self.file = file


def stand_in_chart(path: str, file: str = "") -> KustomizationChart:
    """The chart a kustomization release records: metadata only, no templates or values."""
    name = os.path.basename(os.path.abspath(path))
    md = Metadata(name=name, version=VERSION, api_version="v2",
                  description=f"the kustomization in {name}",
                  annotations={SOURCE_ANNOTATION: "kustomization"})
    return KustomizationChart(md, path, file or kustomization_file(path))


def kustomization_file(path: str) -> str:
    """The kustomization file name in directory ``path`` ("" when it holds none, or holds a
    Chart.yaml: a chart wins)."""
    from kelm.kustomize.kustomization import FILE_NAMES

    if not os.path.isdir(path) or os.path.exists(os.path.join(path, "Chart.yaml")):
        return ""
    return next((n for n in FILE_NAMES if os.path.isfile(os.path.join(path, n))), "")


def is_kustomization(path: str) -> bool:
    """Is ``path`` a directory holding a kustomization and no chart?"""
    return bool(kustomization_file(path))


def _manifests(objs: list[dict[str, Any]], source: str) -> list[Any]:
    """Each built object as one manifest, in Helm's install kind order (stable)."""
    from kelm.action.apply import INSTALL_ORDER
    from kelm.kustomize import to_yaml
    from kelm.render.manifests import Head, Manifest

    rank = {k: i for i, k in enumerate(INSTALL_ORDER)}
    out = []
    for obj in objs:
        meta = obj.get("metadata") or {}
        head = Head(str(obj.get("apiVersion") or ""), str(obj.get("kind") or ""),
                    str(meta.get("name") or ""), meta.get("annotations"), True)
        out.append(Manifest(source, to_yaml([obj]).rstrip("\n"), head))
    return sorted(out, key=lambda m: (0, rank[m.head.kind], "") if m.head.kind in rank
                  else (1, 0, m.head.kind))


def render_kustomization(path: str, name: str, namespace: str, options: Any = None) -> Any:
    """Build the kustomization at ``path`` into a :class:`kelm.render.action.Release` for
    release ``name`` (``options``: the :class:`~kelm.render.action.InstallOptions` of the
    flow: labels, dry-run, description, apply method, hidden secrets).  Raises
    :class:`~kelm.render.action.ActionError` with the builder's message."""
    from kelm.kustomize import KustomizeError, build
    from kelm.render.action import ActionError, InstallOptions, Release, validate_release_name

    opts = options or InstallOptions(release_name=name, namespace=namespace)
    validate_release_name(name)
    chart = stand_in_chart(path)
    source = f"{chart.metadata.name}/{chart.file or 'kustomization.yaml'}"
    warnings: list[str] = []
    try:
        objs = build(path, None, warnings)
    except KustomizeError as e:
        raise ActionError(f"kustomization {path}: {e}") from None
    except RecursionError:
        raise ActionError(f"kustomization {path}: nesting too deep") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OSError) as e:
        raise ActionError(f"kustomization {path}: {type(e).__name__}: {e}") from None
    manifests = _manifests(objs, source)
    parts = []
    for m in manifests:
        if opts.hide_secret and m.head.kind == "Secret" and m.head.api_version == "v1":
            parts.append(f"---\n# Source: {m.name}\n# HIDDEN: The Secret output has been "
                         "suppressed\n")
        else:
            parts.append(f"---\n# Source: {m.name}\n{m.content}\n")
    rel = Release(name=name, namespace=namespace, chart=chart, config={},
                  labels=dict(opts.labels),
                  apply_method="ssa" if opts.server_side_apply else "csa",
                  manifests=manifests, manifest="".join(parts), status="pending-install",
                  description="Dry run complete" if opts.dry_run else "Initial install underway",
                  logs=list(warnings))  # as kubectl kustomize prints them
    return rel


__all__ = ["SOURCE_ANNOTATION", "VERSION", "KustomizationChart",
           "is_kustomization", "kustomization_file", "render_kustomization",
           "stand_in_chart"]
