"""Helm's own template functions: include, tpl, required, fail, lookup, getHostByName.

``include`` and ``tpl`` run inside the executing template set (``GoFunc(context=True)``
receives the execution state).  Unlike Helm, ``tpl`` does not clone and re-parse the whole
template set on every call: the text is parsed once per process (the engine caches parse
trees) into a cheap overlay of the running set, which gives the same visibility rules --
defines inside the text are callable from it, the chart's templates stay callable, nothing
leaks back into the chart's set -- at a fraction of the cost on tpl-heavy charts.
"""

from __future__ import annotations

from kelm.golang.value import GoError, GoFunc, TypedMap

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

# The markers around a required/fail message inside Go's error chain: kelm.render.errors finds
# the message between them to print ``execution error at (...): MSG``, as Helm does.
WARN_START = "HELM_ERR_START"
WARN_END = "HELM_ERR_END"

RECURSION_MAX = 1000
TPL_NAME = "gotpl"
# tpl has no nesting limit in Helm: endless tpl recursion overflows Go's 1 GB stack.  kelm
# stops well before the interpreter's C stack would, with the engine's stack-overflow error.
TPL_DEPTH_MAX = 10000


class RenderContext:
    """Per-render state shared by the functions (Helm's ``includedNames`` and flags)."""

    def __init__(self, lint_mode: bool = False, strict: bool = False, lookup: Any = None) -> None:
        self.included: dict[str, int] = {}
        self.tpl_depth = 0
        self.lint_mode = lint_mode
        self.strict = strict
        # callable(apiVersion, kind, namespace, name) -> dict (raises GoError), or None
        self.lookup = lookup


def _ctx(st: Any) -> RenderContext:
    host = st.host
    if not isinstance(host, RenderContext):
        host = RenderContext()
        st.host = host
    return host


def _include(st: Any, name: str, data: Any) -> str:
    counts = _ctx(st).included
    n = counts.get(name)
    if n is not None:
        if n > RECURSION_MAX:
            raise GoError(
                f"rendering template has a nested reference name: {name}: "
                "unable to execute template"
            )
        counts[name] = n + 1
    else:
        counts[name] = 1
    try:
        return st.execute(name, data)
    finally:
        counts[name] -= 1


def _go_quote(s: str) -> str:
    from kelm.gotemplate.lexer import go_quote

    return go_quote(s)


class TplError(GoError):
    """tpl's wrapped error (``cause`` keeps the template error for Helm's error chain)."""

    def __init__(self, msg: str, cause: BaseException) -> None:
        super().__init__(msg)
        self.cause = cause


def _tpl(st: Any, text: str, data: Any) -> str:
    from kelm.gotemplate.errors import ParseError, TemplateError

    tset = st.tset
    cache = getattr(tset, "_kelm_tpl_overlays", None)
    if cache is None:
        cache = {}
        tset._kelm_tpl_overlays = cache
    hit = cache.get(text)
    if hit is None:
        # the same text over the same set always yields the same overlay: build it once
        ov = tset.overlay(TPL_NAME)
        try:
            ov.parse(TPL_NAME, text)
        except ParseError as e:
            raise TplError(f"cannot parse template {_go_quote(text)}: {e}", e) from None
        main = ov.templates.get(TPL_NAME)
        if main is None:
            # Blank text never replaces the set's "gotpl" (an outer tpl's text), yet Helm
            # runs the fresh template it parsed: its own (blank) tree, not the outer one.
            main = _own_tree(ov, text)
        hit = cache[text] = (ov, main)
    ov, main = hit
    ctx = _ctx(st)
    if ctx.tpl_depth >= TPL_DEPTH_MAX:
        raise RecursionError("tpl nested too deeply")
    ctx.tpl_depth += 1
    try:
        out = _run_in(st, ov, main, data)
    except TemplateError as e:
        raise TplError(
            f"error during tpl function execution for {_go_quote(text)}: {e}", e
        ) from None
    finally:
        ctx.tpl_depth -= 1
    return out.replace("<no value>", "") if "<no value>" in out else out


def _own_tree(ov: Any, text: str) -> Any:
    from kelm.gotemplate.template import Template, parse_cached

    tree = parse_cached(TPL_NAME, text, ov.funcs, ov.missingkey)[TPL_NAME]
    return Template(tree, ov.funcs, ov.missingkey)


def _run_in(st: Any, ov: Any, main: Any, data: Any) -> str:
    """Run ``main`` with ``ov`` as the execution's set (what ``State.execute`` does by name)."""
    from kelm.gotemplate.runtime import NOVALUE

    saved = st.tset
    st.tset = ov
    out: list[str] = []
    try:
        main.run(st, NOVALUE if data is None else data, out)
    finally:
        st.tset = saved
    return "".join(out)


def warn_wrap(msg: str) -> str:
    """The message as it travels in the error text."""
    return WARN_START + msg + WARN_END


def _lint_log(level: str, msg: str, message: str) -> None:
    """Lint mode logs what it lets pass, as Helm's slog text handler does (stderr)."""
    import sys

    from kelm.golang.slog import text_value

    sys.stderr.write(f'level={level} msg="{msg}" message={text_value(message)}\n')


def _required(st: Any, warn: str, val: Any) -> Any:
    if val is None or (isinstance(val, str) and val == ""):
        if _ctx(st).lint_mode:
            _lint_log("WARN", "missing required value" + ("" if val is None else "s"), warn)
            return ""
        raise GoError(warn_wrap(warn))
    return val


def _fail(st: Any, msg: str) -> str:
    if _ctx(st).lint_mode:
        _lint_log("INFO", "funcMap fail", msg)
        return ""
    raise GoError(warn_wrap(msg))


def _lookup(st: Any, api_version: str, kind: str, namespace: str, name: str) -> Any:
    """The render's cluster answers (an object, a list, ``{}`` when not found); without a
    cluster an empty map, as ``helm template`` gives."""
    fn = _ctx(st).lookup
    if fn is None:
        return {}
    return fn(api_version, kind, namespace, name)


def _get_host_by_name(name: str) -> str:
    return ""


FUNCS: dict[str, GoFunc] = {
    "include": GoFunc(_include, ("string", "interface {}"), "string", True, True),
    "tpl": GoFunc(_tpl, ("string", "interface {}"), "string", True, True),
    "required": GoFunc(_required, ("string", "interface {}"), "interface {}", True, True),
    "fail": GoFunc(_fail, ("string",), "string", True, True),
    "lookup": GoFunc(
        _lookup, ("string", "string", "string", "string"), "map[string]interface {}", True,
        True,
    ),
    "getHostByName": GoFunc(_get_host_by_name, ("string",), "string"),
}

__all__ = ["FUNCS", "RenderContext", "TypedMap"]
