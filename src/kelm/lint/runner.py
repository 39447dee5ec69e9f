"""All lint rules over one chart directory (Helm's ``lint.RunAll``), in Helm's order."""

from __future__ import annotations

import os
from typing import Any

from kelm.lint.support import Linter, LoadedChart


def run_all(
    chart_dir: str,
    values: dict[str, Any],
    namespace: str = "default",
    kube_version: Any = None,
    skip_schema: bool = False,
) -> Linter:
    from kelm.lint.chartfile import lint_chartfile
    from kelm.lint.dependencies import lint_crds, lint_dependencies
    from kelm.lint.templates import lint_templates
    from kelm.lint.values import lint_values

    linter = Linter(os.path.abspath(chart_dir))
    loaded = LoadedChart.load(linter.chart_dir)
    lint_chartfile(linter)
    lint_values(linter, values, skip_schema)
    lint_templates(linter, namespace, values, kube_version, skip_schema, loaded)
    lint_dependencies(linter, loaded)
    lint_crds(linter, loaded)
    return linter
