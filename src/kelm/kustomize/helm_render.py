"""Inflate one ``helmCharts`` entry with kelm's own chart renderer (``helm template``).

Mirrors kustomize's HelmChartInflationGenerator: the chart lives in ``chartHome``
(default ``charts``) under its name (``name-version`` when both version and repo are
set); values come from ``valuesFile`` (default: the chart's values.yaml) merged with
``valuesInline`` per ``valuesMerge``, then ``additionalValuesFiles``.
"""

from __future__ import annotations

import copy
import os
from typing import TYPE_CHECKING, Any

from kelm.kustomize.errors import KustomizeError

if TYPE_CHECKING:
    from kelm.kustomize.model import TargetDir
    from kelm.kustomize.resource import Resource

_MERGES = ("override", "replace", "merge")


def _merge(dest: Any, src: Any) -> Any:
    """kyaml merge2 of plain values: maps merge, ``null`` deletes, everything else replaces."""
    if isinstance(dest, dict) and isinstance(src, dict):
        out = dict(dest)
        for k, v in src.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = _merge(out[k], v)
            else:
                out[k] = copy.deepcopy(v)
        return out
    return copy.deepcopy(src)


def _load_yaml(kt: TargetDir, path: str) -> Any:
    from kelm.kustomize.yamlread import load_documents

    docs = load_documents(kt.ldr.load_text(path), path)
    return docs[0] if docs else {}


def render_chart(kt: TargetDir, chart: dict[str, Any]) -> list[Resource]:
    from kelm.chart.loader import load_chart
    from kelm.kustomize.resfactory import resources_from_bytes

    name = str(chart.get("name") or "")
    if not name:
        raise KustomizeError("chart name cannot be empty")
    globals_ = kt.k.get("helmGlobals") or {}
    home = str(globals_.get("chartHome") or "charts")
    home = home if os.path.isabs(home) else os.path.join(kt.ldr.root, home)
    if chart.get("version") and chart.get("repo"):
        home = os.path.join(home, f"{name}-{chart['version']}")
    merge_mode = chart.get("valuesMerge") or "override"
    if merge_mode not in _MERGES:
        raise KustomizeError(f"valuesMerge must be one of [{' '.join(_MERGES)}]")
    chart_dir = os.path.join(home, name)
    if not os.path.isdir(chart_dir):
        if not chart.get("repo"):
            raise KustomizeError("no repo specified for pull, no chart found at ''")
        raise KustomizeError(
            f"chart {name} from {chart['repo']} is not in {home}: remote charts cannot be "
            "pulled offline"
        )
    values_file = chart.get("valuesFile") or os.path.join(chart_dir, "values.yaml")
    base_values = _load_yaml(kt, values_file) if os.path.exists(
        values_file if os.path.isabs(values_file) else os.path.join(kt.ldr.root, values_file)
    ) else {}
    inline = chart.get("valuesInline") or {}
    if inline:
        if merge_mode == "override":
            values = _merge(base_values or {}, inline)
        elif merge_mode == "merge":
            values = _merge(inline, base_values or {})
        else:
            values = copy.deepcopy(inline)
    else:
        values = base_values or {}
    for extra in chart.get("additionalValuesFiles") or []:
        values = _merge(values, _load_yaml(kt, extra) or {})
    try:
        text = _render(load_chart(chart_dir), values, chart)
    except KustomizeError:
        raise
    except Exception as e:  # noqa: BLE001 - renderer errors become build errors
        raise KustomizeError(f"unable to render chart {name}: {e}") from None
    return resources_from_bytes(text, name)


def _render(ch: Any, values: dict[str, Any], chart: dict[str, Any]) -> str:
    from kelm.render import InstallOptions
    from kelm.render import render_chart as helm_render

    opts = InstallOptions(
        release_name=str(chart.get("releaseName") or "release-name"),
        namespace=str(chart.get("namespace") or "default"),
        include_crds=bool(chart.get("includeCRDs")),
        api_versions=list(chart.get("apiVersions") or []),
    )
    if chart.get("kubeVersion"):
        from kelm.render.scope import parse_kube_version

        opts.kube_version = parse_kube_version(str(chart["kubeVersion"]))
    rel = helm_render(ch, values if isinstance(values, dict) else {}, opts)
    parts = [rel.manifest]
    if not chart.get("skipHooks"):
        for h in rel.hooks:
            if chart.get("skipTests") and "test" in h.events:
                continue
            parts.append(f"---\n# Source: {h.path}\n{h.manifest}\n")
    return "".join(parts)
