"""The template set Helm renders with: builtins, sprig, and Helm's own functions.

The function map is built once per process and reused, so the engine's parse/compile cache
(keyed by the map's identity) is shared by every render and every ``tpl`` call.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

    from kelm.gotemplate import TemplateSet
    from kelm.render.engine import Engine


@lru_cache(maxsize=1)
def helm_funcs() -> Mapping[str, Any]:
    """Sprig plus Helm's functions (one shared, read-only map object that imports a function
    group only when a template calls one of its functions)."""
    from kelm.funcs import lazy_funcs

    return lazy_funcs()


def build_template_set(engine: Engine) -> TemplateSet:
    from kelm.funcs.helm import RenderContext
    from kelm.gotemplate import TemplateSet

    ts = TemplateSet(helm_funcs(), "error" if engine.strict else "zero", "gotpl")
    ts.host = RenderContext(lint_mode=engine.lint_mode, strict=engine.strict)
    return ts
