"""The template set Helm renders with: builtins, sprig, and Helm's own functions.

The function map is built once per process and reused, so the engine's parse/compile cache
(keyed by the map's identity) is shared by every render and every ``tpl`` call.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kelm.gotemplate import TemplateSet
    from kelm.render.engine import Engine


@lru_cache(maxsize=1)
def helm_funcs() -> dict[str, Any]:
    """Sprig plus Helm's functions (one shared map object)."""
    from kelm.funcs import all_funcs

    funcs = all_funcs()
    for name, fn in _fallbacks().items():
        funcs.setdefault(name, fn)
    return funcs


def _fallbacks() -> dict[str, Any]:
    """Stand-ins for Helm's YAML/JSON functions until kelm.funcs provides them."""
    from kelm.gotemplate.govalue import GoFunc

    def to_yaml(v: Any) -> str:
        from kelm.yaml import dump_v2

        try:
            text = dump_v2(v)
        except Exception:
            return ""
        return text[:-1] if text.endswith("\n") else text

    def to_json(v: Any) -> str:
        from kelm.yaml import dump_json

        try:
            return dump_json(v)
        except Exception:
            return ""

    def from_yaml(s: str) -> Any:
        from kelm.yaml import load_helm

        try:
            v = load_helm(s)
        except Exception as e:
            return {"Error": str(e)}
        return v if isinstance(v, dict) else {}

    def _rx(p: str) -> Any:
        import re2

        return re2.compile(p)

    def regex_match(p: str, s: str) -> bool:
        return _rx(p).search(s) is not None

    def regex_find(p: str, s: str) -> str:
        m = _rx(p).search(s)
        return m.group(0) if m else ""

    def regex_replace_all(p: str, s: str, repl: str) -> str:
        import re

        r = re.sub(r"\$\{?(\w+)\}?", lambda m: "\\g<" + m.group(1) + ">", repl)
        return _rx(p).sub(r, s)

    return {
        "regexMatch": GoFunc(regex_match, ("string", "string"), "bool"),
        "regexFind": GoFunc(regex_find, ("string", "string"), "string"),
        "regexReplaceAll": GoFunc(regex_replace_all, ("string", "string", "string"), "string"),
        "toYaml": GoFunc(to_yaml, ("interface {}",), "string"),
        "toJson": GoFunc(to_json, ("interface {}",), "string"),
        "fromYaml": GoFunc(from_yaml, ("string",), "map[string]interface {}"),
    }


def build_template_set(engine: Engine) -> TemplateSet:
    from kelm.funcs.helm import RenderContext
    from kelm.gotemplate import TemplateSet

    ts = TemplateSet(helm_funcs(), "error" if engine.strict else "zero", "gotpl")
    ts.host = RenderContext(lint_mode=engine.lint_mode, strict=engine.strict)
    return ts
