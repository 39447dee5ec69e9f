"""Test-side emulation of the few Helm pieces the conformance goldens involve.

Helm's values loading (YAML numbers become float64, ``--set`` integers int64), a handful of
functions (list, dict, upper, include, tpl, required, fail); Helm's rewriting of Go's error
text is kelm's own (:mod:`kelm.render.errors`), so an engine error compares with Helm's.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from kelm.funcs.helm import warn_wrap
from kelm.golang.fmt import sprint
from kelm.golang.value import GoError, gofunc
from kelm.gotemplate import ParseError, TemplateSet
from kelm.render.errors import cleanup_parse_error, reformat_exec_error

NAME = "t/templates/NOTES.txt"


def _floats(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, dict):
        return {str(k): _floats(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_floats(x) for x in v]
    return v


class _Yaml11Loader(yaml.SafeLoader):
    """go-yaml v2 also reads y/Y/n/N as booleans."""


_Yaml11Loader.yaml_implicit_resolvers = {
    k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
for _ch in "yYnN":
    _Yaml11Loader.yaml_implicit_resolvers.setdefault(_ch, []).insert(
        0, ("tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$")))
_Yaml11Loader.bool_values = dict(yaml.SafeLoader.bool_values, y=True, n=False)
# ... and 1e6 / 1e-7 (no dot) as floats.
for _ch in "-+0123456789":
    _Yaml11Loader.yaml_implicit_resolvers.setdefault(_ch, []).insert(
        0, ("tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9]+[eE][-+]?[0-9]+$")))


def load_values(text: str, sets: list[str]) -> dict[str, Any]:
    values = _floats(yaml.load(text, Loader=_Yaml11Loader) or {})
    for s in sets:
        key, _, raw = s.partition("=")
        val: Any = raw
        if re.fullmatch(r"[+-]?(0|[1-9][0-9]*)", raw):
            val = int(raw)
        elif raw.lower() in ("true", "false"):
            val = raw.lower() == "true"
        d = values
        parts = key.split(".")
        for p in parts[:-1]:
            d = d.setdefault(p, {})
        d[parts[-1]] = val
    return values


@gofunc("func(...interface {}) []interface {}")
def _list(*args: Any) -> list:
    return list(args)


@gofunc("func(...interface {}) map[string]interface {}")
def _dict(*args: Any) -> dict:
    d: dict[str, Any] = {}
    for i in range(0, len(args), 2):
        d[sprint(args[i])] = args[i + 1] if i + 1 < len(args) else ""
    return d


@gofunc("func(string) string")
def _upper(s: str) -> str:
    return s.upper()


@gofunc("func(string, interface {}) (string, error)", context=True)
def _include(st: Any, name: str, data: Any) -> str:
    return st.execute(name, data)


@gofunc("func(string, interface {}) (string, error)", context=True)
def _tpl(st: Any, text: str, data: Any) -> str:
    from kelm.gotemplate.lexer import go_quote

    ov = st.tset.overlay("gotpl")
    try:
        ov.parse("gotpl", text)
    except ParseError as e:
        raise GoError(f"cannot parse template {go_quote(text)}: {e}") from e
    try:
        out = st.execute("gotpl", data, tset=ov)
    except Exception as e:
        raise GoError(f"error during tpl function execution for {go_quote(text)}: {e}") from e
    return out.replace("<no value>", "")


@gofunc("func(string, interface {}) (interface {}, error)")
def _required(msg: str, val: Any) -> Any:
    if val is None or val == "":
        raise GoError(warn_wrap(msg))
    return val


@gofunc("func(string) (string, error)")
def _fail(msg: str) -> str:
    raise GoError(warn_wrap(msg))


FUNCS = {"list": _list, "dict": _dict, "upper": _upper, "include": _include, "tpl": _tpl,
         "required": _required, "fail": _fail}


def render_like_helm(tpl: str, values: dict[str, Any]) -> str:
    ts = TemplateSet(FUNCS, missingkey="zero", name="gotpl")
    ts.parse(NAME, tpl)
    data = {"Values": values, "Release": {"Name": "r", "Namespace": "default"}}
    return ts.execute(NAME, data).replace("<no value>", "")


def helm_error(e: BaseException) -> str:
    """The text Helm prints (after ``Error: INSTALLATION FAILED: ``) for an engine error."""
    if isinstance(e, ParseError):
        return cleanup_parse_error(NAME, str(e))
    return reformat_exec_error(NAME, e)
