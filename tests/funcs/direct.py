"""Evaluate simple golden cases by calling kelm.funcs directly (no template engine).

Handles templates of the forms ``{{ CALL }}`` and ``{{ $r := CALL }}{{ printf "FMT" $r $r }}``
where CALL is ``name arg...`` and each arg is ``.Values.x``, a literal or ``(CALL)``.  Argument
checking follows text/template's rules for function parameters (literal constants take the
parameter's type; other values must already have it), with the same messages, so error cases
can be compared too.  Cases outside this subset return None (left to the engine runner).
"""

from __future__ import annotations

import ast
import re
from typing import Any

from kelm.gotemplate.gofmt import format_value, sprintf
from kelm.gotemplate.govalue import GoError, GoFunc, GoInt, GoIntKind, go_type

from .golden import scope

_ASSIGN = re.compile(r'^\{\{ \$r := (.*) \}\}\{\{ printf ("[^"]*") \$r \$r \}\}$')
_PLAIN = re.compile(r"^\{\{ (.*) \}\}$")


class _Fail(Exception):
    pass


class _Lit:
    def __init__(self, kind: str, text: str, value: Any) -> None:
        self.kind, self.text, self.value = kind, text, value


def _tokens(s: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == " ":
            i += 1
        elif ch in "()":
            out.append(ch)
            i += 1
        elif ch in "\"'":
            j = i + 1
            while s[j] != ch:
                j += 2 if s[j] == "\\" else 1
            out.append(s[i : j + 1])
            i = j + 1
        else:
            j = i
            while j < len(s) and s[j] not in " ()":
                j += 1
            out.append(s[i:j])
            i = j
    return out


def _number(tok: str) -> _Lit | None:
    try:
        n = int(tok.replace("_", ""), 0)
        return _Lit("int", tok, n)
    except ValueError:
        pass
    try:
        f = float(tok)
    except ValueError:
        return None
    return _Lit("float", tok, f)


class _Eval:
    def __init__(self, funcs: dict[str, GoFunc], data: dict) -> None:
        self.funcs, self.data = funcs, data

    def parse(self, toks: list[str], pos: int) -> tuple[list[Any], int]:
        """Parse one command (until ')' or end): returns [name, args...]."""
        items: list[Any] = []
        while pos < len(toks) and toks[pos] != ")":
            t = toks[pos]
            if t == "(":
                sub, pos = self.parse(toks, pos + 1)
                items.append(("call", sub))
                pos += 1
            else:
                items.append(t)
                pos += 1
        return items, pos

    def operand(self, item: Any) -> Any:
        if isinstance(item, tuple):
            return self.call(item[1])
        t: str = item
        if t.startswith(".Values."):
            cur: Any = self.data["Values"]
            for part in t.split(".")[2:]:
                cur = cur.get(part) if isinstance(cur, dict) else None
            return cur
        if t[0] == '"':
            return _Lit("string", t, ast.literal_eval(t))
        if t[0] == "'":
            return _Lit("int", t, ord(ast.literal_eval(t)))
        if t in ("true", "false"):
            return _Lit("bool", t, t == "true")
        if t == "nil":
            return _Lit("nil", t, None)
        lit = _number(t)
        if lit is None:
            raise _Fail(f"unsupported token {t}")
        return lit

    def convert(self, v: Any, typ: str) -> Any:
        if isinstance(v, _Lit):
            return self.convert_lit(v, typ)
        if typ == "interface {}":
            return v
        if typ == "string" and isinstance(v, str):
            return v
        if typ == "int" and isinstance(v, GoIntKind) and v.go_type == "int":
            return v
        if typ == "float64" and isinstance(v, float):
            return v
        if typ == "bool" and isinstance(v, bool):
            return v
        got = "interface {}" if v is None else go_type(v)
        raise GoError(f"wrong type for value; expected {typ}; got {got}")

    @staticmethod
    def convert_lit(lit: _Lit, typ: str) -> Any:
        if lit.kind == "nil":
            if typ == "interface {}":
                return None
            raise GoError(f"cannot assign nil to {typ}")
        if typ == "interface {}":
            if lit.kind == "int":
                return GoInt(lit.value)
            return lit.value
        if typ == "string":
            if lit.kind == "string":
                return lit.value
            raise GoError(f"expected string; found {lit.text}")
        if typ == "bool":
            if lit.kind == "bool":
                return lit.value
            raise GoError(f"expected bool; found {lit.text}")
        if typ == "int":
            if lit.kind == "int" or lit.kind == "float" and float(lit.value).is_integer():
                return GoInt(int(lit.value))
            raise GoError(f"expected integer; found {lit.text}")
        if typ == "float64":
            if lit.kind in ("int", "float"):
                return float(lit.value)
            raise GoError(f"expected float; found {lit.text}")
        raise _Fail(f"unsupported parameter type {typ}")

    def call(self, items: list[Any]) -> Any:
        name = items[0]
        fn = self.funcs.get(name)
        if fn is None:
            raise _Fail(f"function {name} not available")
        params = list(fn.params)
        args = items[1:]
        if fn.variadic:
            fixed = len(params) - 1
            if len(args) < fixed:
                raise GoError(f"wrong number of args for {name}: want at least {fixed} got {len(args)}")
            types = params[:-1] + [params[-1][3:]] * (len(args) - fixed)
        else:
            if len(args) != len(params):
                raise GoError(f"wrong number of args for {name}: want {len(params)} got {len(args)}")
            types = params
        values = [self.convert(self.operand(a), t) for a, t in zip(args, types, strict=True)]
        try:
            return fn(*values)
        except GoError as e:
            raise GoError(f"error calling {name}: {e}") from e


def run(case: dict, funcs: dict[str, GoFunc]) -> str | None:
    """The output of a case, raising GoError on failure; None if the case is out of scope."""
    tpl = case["template"]
    m = _ASSIGN.match(tpl)
    fmt = None
    if m:
        body, fmt = m.group(1), ast.literal_eval(m.group(2))
    else:
        m = _PLAIN.match(tpl)
        if not m or "|" in m.group(1) or "{{" in m.group(1):
            return None
        body = m.group(1)
    ev = _Eval(funcs, scope(case))
    try:
        items, _ = ev.parse(_tokens(body), 0)
        result = ev.call(items)
    except _Fail:
        return None
    if fmt is not None:
        return sprintf(fmt, result, result)
    return "" if result is None else format_value(result)
