"""Rendering charts like ``helm template``: engine hookup, scope objects, output assembly.

Public API: :func:`render_chart` (client-side install action -> :class:`Release`),
:class:`InstallOptions`, :class:`Engine` (template rendering of a chart tree),
:func:`sort_manifests`, :func:`split_manifests`, :class:`ActionError`.
"""

from kelm.render.action import ActionError, InstallOptions, Release, render_chart
from kelm.render.engine import Engine, all_templates, parse_order
from kelm.render.manifests import sort_manifests, split_manifests

__all__ = [
    "ActionError",
    "Engine",
    "InstallOptions",
    "Release",
    "all_templates",
    "parse_order",
    "render_chart",
    "sort_manifests",
    "split_manifests",
]
