"""``helmCharts``: inflate charts with kelm's own renderer (no helm binary)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kelm.kustomize.errors import KustomizeError

if TYPE_CHECKING:
    from kelm.kustomize.model import Options, TargetDir
    from kelm.kustomize.resource import Resource


def inflate_charts(kt: TargetDir, opts: Options) -> list[Resource]:
    charts: list[dict[str, Any]] = list(kt.k.get("helmCharts") or [])
    if not charts:
        return []
    if not opts.enable_helm:
        raise KustomizeError(
            "trouble configuring builtin HelmChartInflationGenerator with config: `\n"
            f"name: {charts[0].get('name', '')}\n`: must specify --enable-helm"
        )
    try:
        from kelm.kustomize.helm_render import render_chart
    except ImportError:
        raise KustomizeError(
            "helmCharts: kelm's chart renderer (kelm.render) is not available"
        ) from None
    out: list[Resource] = []
    for chart in charts:
        chart = dict(chart)
        if opts.helm_kube_version:
            chart["kubeVersion"] = opts.helm_kube_version
        if opts.helm_api_versions:
            chart["apiVersions"] = list(opts.helm_api_versions)
        out.extend(render_chart(kt, chart))
    return out
