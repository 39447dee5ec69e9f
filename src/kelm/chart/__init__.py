"""Helm charts: loading (dir/.tgz), Chart.yaml model and validation, dependencies, schemas.

Public API: :func:`load_chart`, :class:`Chart`, :class:`Metadata`, :class:`Dependency`,
:class:`ChartError`, :func:`process_dependencies`, :func:`check_dependencies`.
"""

from kelm.chart.dependencies import (
    MissingDependencies,
    check_dependencies,
    process_dependencies,
)
from kelm.chart.loader import load_archive, load_chart, load_dir, load_files
from kelm.chart.model import Chart, ChartError, Dependency, File, Maintainer, Metadata

__all__ = [
    "Chart",
    "ChartError",
    "Dependency",
    "File",
    "Maintainer",
    "Metadata",
    "MissingDependencies",
    "check_dependencies",
    "load_archive",
    "load_chart",
    "load_dir",
    "load_files",
    "process_dependencies",
]
