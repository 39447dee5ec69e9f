"""``helm lint``'s rules: Chart.yaml, values, rendered templates, dependencies, CRDs.

Public API: :func:`run_all` (one chart directory -> :class:`Linter` with its messages),
:class:`Message`, severities ``INFO``/``WARNING``/``ERROR``.
"""

from kelm.lint.runner import run_all
from kelm.lint.support import ERROR, INFO, UNKNOWN, WARNING, Linter, Message

__all__ = ["ERROR", "INFO", "UNKNOWN", "WARNING", "Linter", "Message", "run_all"]
