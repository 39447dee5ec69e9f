"""Engine behaviour beyond the Helm goldens: options, Go values, the API, limits."""

from __future__ import annotations

import gc
import time

import pytest

from kelm.golang.value import (
    GoError,
    GoFunc,
    GoInt,
    GoStruct,
    GoUint8,
    TypedList,
    TypedMap,
    gofunc,
)
from kelm.gotemplate import ExecError, ParseError, PlainExecError, TemplateSet, render
from kelm.gotemplate import parser as parser_mod
from kelm.gotemplate import template as template_mod
from kelm.gotemplate.lexer import COMMENT, LEFT, RIGHT, SIMPLE, SPACE, TEXT, lex


def err(text: str, data: object = None, funcs: dict | None = None, **kw: str) -> str:
    with pytest.raises((ExecError, ParseError, PlainExecError)) as e:
        render(text, data, funcs, **kw)
    return str(e.value)


# -- lexer -------------------------------------------------------------------------------

def test_lexer_trims_and_positions() -> None:
    toks = lex("a  {{- print -}}  b")
    assert [(t.typ, t.val) for t in toks if t.typ in (TEXT, LEFT, RIGHT)] == [
        (TEXT, "a"), (LEFT, "{{"), (RIGHT, "}}"), (TEXT, "b")]
    assert toks[1].pos == 3  # the delimiter itself
    assert SPACE not in [t.typ for t in toks]  # the spaces belong to the trim markers
    assert SPACE in [t.typ for t in lex("{{ print  .y }}")]  # no funcs: token by token
    assert [t.typ for t in lex("{{- .a.b -}}{{ $x }}{{ end }}{{ . }}")][:4] == [SIMPLE] * 4
    assert COMMENT not in [t.typ for t in lex("{{/* c */}}")]


def test_trim_marker_needs_space() -> None:
    assert render("{{ 3 -}} x", None) == "3x"
    assert render("{{ -3 }}", None) == "-3"
    assert "bad number syntax" in err("{{ 3-}}")


# -- missingkey ----------------------------------------------------------------------------

def test_missingkey_modes() -> None:
    assert render("{{ .a }}", {}) == "<no value>"
    assert render("{{ .a.b }}", {}) == "<no value>"  # invalid receiver: no error
    assert render("{{ .a }}", {}, missingkey="zero") == "<no value>"
    assert err("{{ .a.b }}", {}, missingkey="zero").endswith(
        "nil pointer evaluating interface {}.b")
    assert err("{{ .a }}", {}, missingkey="error") == (
        'template: t:1:3: executing "t" at <.a>: map has no entry for key "a"')
    assert err("{{ .x }}", None, missingkey="error").endswith('nil data; no entry for key "x"')
    typed = TypedMap({"a": "x"}, "map[string]string")
    assert render("[{{ .m.b }}]", {"m": typed}, missingkey="zero") == "[]"
    with pytest.raises(ValueError):
        TemplateSet(missingkey="bogus")


# -- Go values -------------------------------------------------------------------------------

class KubeVersion(GoStruct):
    go_type = "common.KubeVersion"
    _go_fields = ("Major", "Minor")

    def __init__(self) -> None:
        self.Major = "1"
        self.Minor = "35"

    def __go_string__(self) -> str:
        return "v1.35.0"

    @gofunc("func(string) bool")
    def Has(self, v: str) -> bool:  # noqa: N802 - Go method name
        return v == "apps/v1"

    def Plain(self, *args: object) -> str:  # noqa: N802
        return f"plain{len(args)}"


def test_struct_fields_methods_and_errors() -> None:
    kv = KubeVersion()
    data = {"kv": kv}
    assert render("{{ .kv.Major }}.{{ .kv.Minor }} {{ .kv }}", data) == "1.35 v1.35.0"
    assert render('{{ .kv.Has "apps/v1" }} {{ .kv.Has "x" }}', data) == "true false"
    assert render('{{ "apps/v1" | .kv.Has }}', data) == "true"
    assert render("{{ .kv.Plain 1 2 }}", data) == "plain2"
    assert err("{{ .kv.Platform }}", data).endswith(
        "can't evaluate field Platform in type interface {}")
    assert err("{{ .Platform }}", kv).endswith(
        "can't evaluate field Platform in type common.KubeVersion")
    assert err("{{ .kv.Major 1 }}", data).endswith(
        "Major has arguments but cannot be invoked as function")
    assert err("{{ .kv.Has }}", data).endswith("wrong number of args for Has: want 1 got 0")
    assert err("{{ .kv.Has 1 }}", data).endswith("expected string; found 1")


class Values(dict):
    """A named map type with Go methods (like Helm's chartutil.Values)."""

    _go_methods = ("Table", "AsMap")

    @gofunc("func(string) (map[string]interface {}, error)")
    def Table(self, name: str) -> dict:  # noqa: N802
        if name not in self:
            raise GoError(f"no table named {name!r}")
        return self[name]

    def AsMap(self) -> dict:  # noqa: N802
        return dict(self)


def test_map_type_with_methods() -> None:
    data = {"Values": Values(a={"b": 1.0}, c=2.0)}
    assert render('{{ (.Values.Table "a").b }} {{ .Values.c }} {{ len .Values.AsMap }}',
                  data) == "1 2 2"
    assert err('{{ .Values.Table "x" }}', data).endswith(
        "error calling Table: no table named 'x'")
    assert render("{{ .e }}", {"e": GoError("bad thing")}) == "bad thing"


def test_typed_arguments_like_reflect_call() -> None:
    f = {
        "half": GoFunc(lambda x: x / 2, ("float64",), "float64"),
        "twice": GoFunc(lambda x: x * 2, ("int",), "int"),
        "up": GoFunc(str.upper, ("string",), "string"),
        "join": GoFunc(lambda sep, *xs: sep.join(xs), ("string", "...string"), "string"),
        "bad": GoFunc(lambda: (_ for _ in ()).throw(GoError("boom")), (), "string", True),
        "opt": GoFunc(lambda: None, (), "[]interface {}"),
    }
    assert render("{{ half 3 }}", None, f) == "1.5"  # int literal converts to float64
    assert render("{{ twice 3 }}", None, f) == "6"
    assert err("{{ twice 1.5 }}", None, f).endswith("expected integer; found 1.5")
    assert err("{{ twice .x }}", {"x": 2}, f).endswith(
        "wrong type for value; expected int; got int64")
    assert err("{{ up .x }}", {}, f).endswith("invalid value; expected string")
    assert err("{{ up nil }}", None, f).endswith("cannot assign nil to string")
    assert render('{{ join "-" "a" "b" }}', None, f) == "a-b"
    assert err("{{ join }}", None, f).endswith("wrong number of args for join: want at least 1 got 0")
    e = pytest.raises(ExecError, render, "{{ bad }}", None, f).value
    assert e.msg == "error calling bad: boom" and isinstance(e.cause, GoError)
    assert render("{{ opt }}", None, f) == "[]"
    assert render("{{ plain 1 nil }}", None, {"plain": lambda *a: len(a)}) == "2"


def test_values_print_and_compare_like_go() -> None:
    assert render("{{ . }}", GoInt(3)) == "3"
    assert render("{{ . }}", GoUint8(7)) == "7"
    assert render("{{ eq .a .b }}", {"a": GoUint8(7), "b": GoInt(7)}) == "true"
    assert render("{{ lt .a .b }}", {"a": GoInt(-1), "b": GoUint8(0)}) == "true"
    assert render("{{ .l }} {{ len .l }}", {"l": TypedList(["a"], "[]string")}) == "[a] 1"
    assert render("{{ index . 1 }}", b"ab") == "98"
    assert err("{{ .f }}", {"f": GoFunc(len, ("interface {}",))}).endswith(
        "can't print {{.f}} of type func")
    assert render("{{ range $k, $v := . }}{{ $k }}{{ end }}",
                  TypedMap({10: "a", 9: "b"}, "map[int]string")) == "910"


def test_call_builtin() -> None:
    data = {"f": GoFunc(lambda a, b: a + b, ("int", "int"), "int"), "n": None}
    assert render("{{ call .f 1 2 }}", data) == "3"
    assert err("{{ call .n }}", data).endswith("error calling call: call of nil")
    assert err("{{ call .f 1 }}", data).endswith(
        "error calling call: wrong number of args for .f: got 1 want 2")
    assert err('{{ call .f 1 "x" }}', data).endswith(
        "error calling call: arg 1: value has type string; should be int")


def test_range_control_and_ints() -> None:
    t = "{{ range $i, $e := . }}{{ if eq $e 2 }}{{ continue }}{{ end }}" \
        "{{ if eq $e 4 }}{{ break }}{{ end }}{{ $i }}{{ end }}"
    assert render(t, [1, 2, 3, 4, 5]) == "02"
    assert render("{{ range . }}{{ . }}{{ end }}", 3) == "012"
    assert render("{{ range $x := 2 }}{{ printf \"%T\" $x }}{{ end }}", None) == "intint"


# -- template sets -----------------------------------------------------------------------------

def test_set_redefinition_overlay_and_names() -> None:
    ts = TemplateSet()
    ts.parse("a", '{{ define "x" }}1{{ end }}{{ template "x" }}')
    assert ts.execute("a", None) == "1"
    ts.parse("b", '{{ define "x" }}2{{ end }}')
    assert ts.execute("a", None) == "2"  # later definition wins (Go, Helm)
    ts.parse("c", '{{ define "x" }} {{ end }}')
    assert ts.execute("a", None) == "2"  # an empty one never replaces
    ov = ts.overlay()
    ov.parse("gotpl", '{{ define "x" }}3{{ end }}{{ template "x" }}|{{ template "a" }}')
    assert ov.execute("gotpl", None) == "3|3"
    assert ts.execute("a", None) == "2"  # the parent is untouched
    assert ts.lookup("gotpl") is None and ov.lookup("a") is not None
    assert {"a", "b", "c", "x"} <= set(ts.names())
    with pytest.raises(PlainExecError, match='no template "nope" associated with template'):
        ts.execute("nope", None)


def test_context_function_state() -> None:
    seen = {}

    @gofunc("func(string, interface {}) (string, error)", context=True)
    def include(st, name, data):
        seen["name"] = st.name
        seen["host"] = st.host
        seen["depth"] = st.depth
        return st.execute(name, data)

    ts = TemplateSet({"include": include})
    ts.host = "helm"
    ts.parse("f.yaml", '{{ define "h" }}[{{ .v }}]{{ end }}{{ include "h" . | printf "%s!" }}')
    assert ts.execute("f.yaml", {"v": 1}) == "[1]!"
    assert seen == {"name": "f.yaml", "host": "helm", "depth": 1}
    ts.parse("g.yaml", '{{ define "e" }}\n{{ .a.b }}{{ end }}{{ include "e" . }}')
    e = pytest.raises(ExecError, ts.execute, "g.yaml", {"a": 1.0}).value
    assert str(e) == ('template: g.yaml:2:22: executing "g.yaml" at <include "e" .>: '
                      'error calling include: template: g.yaml:2:5: executing "e" at <.a.b>: '
                      "can't evaluate field b in type interface {}")
    assert isinstance(e.cause, ExecError) and e.cause.name == "e" and e.cause.file == "g.yaml"


def test_parse_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = parser_mod.parse
    monkeypatch.setattr(template_mod, "parse", lambda *a: calls.append(1) or real(*a))
    funcs = {"f": lambda: 1}
    text = "{{ f }} cached-" + str(time.time())
    for _ in range(3):
        assert render(text, None, funcs).startswith("1 cached")
        ts = TemplateSet(funcs)
        ts.parse("t", text)
        ts.overlay().parse("t", text)
    assert len(calls) == 1


# -- limits and hostile input ------------------------------------------------------------------

def test_template_recursion_is_capped() -> None:
    msg = err('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', None)
    assert msg == ('template: t:1:28: executing "r" at <{{template "r" .}}>: '
                   "exceeded maximum template depth (100000)")


def test_recursive_context_function_is_capped() -> None:
    @gofunc("func(string, interface {}) (string, error)", context=True)
    def include(st, name, data):
        return st.execute(name, data)

    ts = TemplateSet({"include": include})
    ts.parse("f", '{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}')
    with pytest.raises(PlainExecError) as e:
        ts.execute("f", None)
    assert str(e.value) == "template: gotpl: exceeded maximum template depth (100000)"


def test_deep_nesting_parses_and_runs() -> None:
    n = 3000
    text = "{{ if true }}" * n + "x" + "{{ end }}" * n
    assert render(text, None) == "x"
    assert err("{{ " + "(" * 10001 + "1" + ")" * 10001 + " }}").endswith(
        "max expression depth exceeded")


def test_unterminated_action_reports_line() -> None:
    assert err("a\nb\n{{ if") == "template: t:3: unclosed action"
    assert err("a\n{{ print\n\n") == "template: t:4: unclosed action started at t:2"


def test_large_template_parses_in_linear_time() -> None:
    unit = 'line {{ .a.b | printf "%s" }} {{ if .c }}x{{ else }}y{{ end }}\n'

    def cost(n: int) -> float:
        # the collector off, as kelm parses (a full collection walks the test session's heap)
        text = unit * n + str(n)
        gc.disable()
        try:
            t0 = time.process_time()
            parser_mod.parse("big", text, {"printf": 1})
            return time.process_time() - t0
        finally:
            gc.enable()

    # best of a few runs: one descheduled or collected run must not decide the ratio
    small = min(cost(1000) for _ in range(5))
    big = min(cost(8000) for _ in range(3))
    assert big < small * 8 * 2.5  # 8x the input: linear (quadratic would be ~64x)
