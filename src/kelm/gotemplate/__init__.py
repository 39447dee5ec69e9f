"""Go's text/template (as built into Helm v4.1.4, Go 1.25), exactly, in Python.

Quick use::

    from kelm.gotemplate import render, TemplateSet
    render("{{ .a | printf \\"%05d\\" }}", {"a": 42})          # '00042'

    ts = TemplateSet(funcs={"upper": str.upper}, missingkey="zero")
    ts.parse("a.yaml", '{{ define "x" }}X{{ . }}{{ end }}{{ template "x" .v }}')
    ts.execute("a.yaml", {"v": 1.0})                          # 'X1'

Values follow :mod:`kelm.golang.value` (dict = map[string]interface {}, float =
float64, int = int64, GoInt = int, None = nil...).  Errors are
:class:`~kelm.gotemplate.errors.ParseError` / :class:`~kelm.gotemplate.errors.ExecError`
whose ``str()`` is Go's exact message.

Each distinct (name, text, function map, missingkey) is parsed and compiled once per process
(into closures; see :mod:`kelm.gotemplate.compiler`); later ``parse`` calls of the same text
are dictionary lookups.

Context functions (how Helm's ``include``/``tpl``/``required`` are built): a
``GoFunc(..., context=True)`` receives the execution :class:`State` as its first argument:

* ``st.tset``: the set being executed (``lookup(name)``, ``parse(name, text)``,
  ``overlay()`` for a child set whose parsed templates shadow the parent's, ``names()``);
* ``st.execute(name, data, tset=None) -> str``: run a template (``include``); raises the
  nested :class:`TemplateError` (the engine reports it as ``error calling include: ...``);
* ``st.name``: the template executing at the call site; ``st.depth``: nesting depth;
* ``st.host``: free-form object set by the embedding application
  (``TemplateSet.host`` or ``execute(..., host=...)``).

``tpl`` sketch: ``ov = st.tset.overlay("gotpl"); ov.parse("gotpl", text);
st.execute("gotpl", data, tset=ov)``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .errors import ExecError, ParseError, PlainExecError, TemplateError
from .template import State, TemplateSet

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["render", "TemplateSet", "State", "TemplateError", "ParseError", "ExecError",
           "PlainExecError"]


def render(text: str, data: Any, funcs: Mapping[str, Any] | None = None, *, name: str = "t",
           missingkey: str = "default") -> str:
    """Parse (cached) and execute one template text with ``data`` as dot."""
    ts = TemplateSet(funcs, missingkey, name)
    ts.parse(name, text)
    return ts.execute(name, data)
