"""Test-side emulation of the few Helm pieces the conformance goldens involve.

Helm's values loading (YAML numbers become float64, ``--set`` integers int64), a handful of
functions (list, dict, upper, include, tpl, required, fail) and Helm's rewriting of Go's error
text (helm-compat.md section 3), so an engine error can be compared with what Helm printed.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from kelm.gotemplate import ExecError, ParseError, TemplateSet
from kelm.gotemplate.gofmt import sprint
from kelm.gotemplate.govalue import GoError, gofunc

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


class HelmFail(GoError):
    """required/fail: Helm prints these as ``execution error at (FILE:L:C): MSG``."""


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
        raise HelmFail(msg)
    return val


@gofunc("func(string) (string, error)")
def _fail(msg: str) -> str:
    raise HelmFail(msg)


FUNCS = {"list": _list, "dict": _dict, "upper": _upper, "include": _include, "tpl": _tpl,
         "required": _required, "fail": _fail}


def render_like_helm(tpl: str, values: dict[str, Any]) -> str:
    ts = TemplateSet(FUNCS, missingkey="zero", name="gotpl")
    ts.parse(NAME, tpl)
    data = {"Values": values, "Release": {"Name": "r", "Namespace": "default"}}
    return ts.execute(NAME, data).replace("<no value>", "")


def _chain(e: BaseException | None) -> list[BaseException]:
    out = []
    while e is not None:
        out.append(e)
        e = getattr(e, "cause", None) if isinstance(e, ExecError) else None
    return out


def _multi(e: BaseException) -> str:
    if not isinstance(e, ExecError):
        return str(e)
    head = f'{e.file}:{e.line}:{e.col}\n  executing "{e.name}" at <{e.node}>:\n    '
    if e.cause is not None:
        prefix = e.msg[: len(e.msg) - len(str(e.cause))].rstrip()
        return head + prefix + "\n" + _multi(e.cause)
    return head + e.msg.rstrip()  # Helm trims the message


def helm_error(e: BaseException) -> str:
    """The text Helm prints (after ``Error: INSTALLATION FAILED: ``) for an engine error."""
    if isinstance(e, ParseError):
        return f"parse error at ({e.name}:{e.line}): {e.msg.split(': ')[-1]}"
    chain = _chain(e)
    execs = [x for x in chain if isinstance(x, ExecError)]
    last = execs[-1] if execs else None
    if last is not None and isinstance(last.cause, HelmFail):
        return f"execution error at ({last.file}:{last.line}:{last.col}): {last.cause}"
    if isinstance(e, ExecError) and isinstance(e.cause, GoError):
        return str(e)
    if all(str(x).startswith("template: ") for x in chain):
        return _multi(e)
    return str(e)
