"""Conformance cases for the template engine: (template, values, --set) triples.

Expected results are recorded from the real Helm by ``record.py`` into
tests/golden/gotemplate/conformance.json; ``test_conformance.py`` replays them offline.
Only builtins and a few functions emulated in the test (list, dict, upper, include, tpl,
required, fail) are used, so the cases exercise the language, not Sprig.
"""

from __future__ import annotations

VALUES = {
    "V1": """s: hello
num: 3
f: 1.5
big: 1000000
neg: -2
z: 0
t: true
fa: false
nul: null
e: ""
l: [a, b, c]
nl: [1, 2, 3]
el: []
m: {b: 2, a: 1, c: 3}
em: {}
nest: {a: {b: {c: deep}}, list: [{name: x}, {name: y}], nil: null}
html: "<a href='x'>&\\"</a>"
uni: "h\\u00e9llo w\\u00f6rld"
mixed: [1, "two", 3.5, true, null, {k: v}, [x, y]]
words: {one: 1, two: 2, three: 3}
pct: "100%"
""",
    "E": "",
}

CASES: list[tuple[str, str, tuple[str, ...]]] = []


def c(tpl: str, v: str = "V1", *sets: str) -> None:
    CASES.append((tpl, v, tuple(sets)))


# -- text, trim markers, comments --------------------------------------------------------
for t in [
    "plain text",
    "",
    "a\nb\n",
    "{{ \"x\" }}",
    "a {{- \" b\" }} c",
    "a {{ \" b\" -}} c",
    "a  \n\t {{- \"x\" -}} \n\t b",
    "a{{- \"x\"}}",
    "{{- \"x\" -}}",
    "a {{-\"x\"}}",
    "a {{ 3 -}}\n\nb",
    "a {{ -3 }} b",
    "a {{- -3 -}} b",
    "x {{/* comment */}} y",
    "x {{- /* comment */ -}} y",
    "x {{- /* multi\nline */}}\ny",
    "x {{/* a */ -}}\n  y",
    "{{/* only */}}",
    "a\n{{- if true }}\nb\n{{- end }}\nc",
    "{{ if true -}}\n  yes\n{{- end }}",
    "line1\n  {{- /* c */}}\n  line2",
    "{{ \"a\" }}{{ \"b\" }}",
    "{{\n\"multi-line action\"\n}}",
    "{{ \"a\"\n| printf \"%s!\" }}",
    "{{- \"\" -}}\n\n",
    "tab\t{{- \"x\" }}",
    "cr\r\n{{- \"x\" }}",
]:
    c(t)

# -- literals -------------------------------------------------------------------------
for lit in [
    "1", "-1", "+5", "0", "-0", "077", "0o17", "0O17", "0x1F", "0XfF", "0b101", "0B11",
    "1_000", "0x_1F", "1.5", "1.50", "-1.5", "1e6", "1E6", "1e-7", "2.0", "-0.0", ".5",
    "1.", "0x1p-2", "0x1.8p1", "1_000.5", "123456789", "1234567.0", "9223372036854775807",
    "'a'", "'\\n'", "'\\x41'", "'\\u00e9'", "'\\''", "'é'", "true", "false",
    "\"str\"", "\"tab\\there\"", "\"q\\\"uote\"", "\"\\u00e9\\U0001F600\"", "\"\\x41\\101\"",
    "`raw\\n`", "`multi\nline`", "\"\"", "1e100", "0.000001", "0.0000001", "100000",
    "1000000", "123456.7",
]:
    c("{{ " + lit + " }}")
for bad in ["1i", "1+2i", "0x", "1e", "08", "089", "1__0", "_1", "0b2", "1.5.5",
            "9223372036854775808", "18446744073709551616", "'ab'", "''", "'\\q'",
            "\"\\q\"", "1a", "0x1.8", "nil", "\"unterminated", "`unterminated", "'u",
            "-", "+", "."]:
    c("{{ " + bad + " }}")

# -- fields and maps -----------------------------------------------------------------------
for t in [
    "{{ .Values.s }}", "{{ .Values.num }}", "{{ .Values.f }}", "{{ .Values.big }}",
    "{{ .Values.neg }}", "{{ .Values.t }}", "{{ .Values.nul }}", "{{ .Values.e }}",
    "{{ .Values.l }}", "{{ .Values.m }}", "{{ .Values.em }}", "{{ .Values.el }}",
    "{{ .Values.nest.a.b.c }}", "{{ .Values.nest.a }}", "{{ .Values.missing }}",
    "{{ .Values.missing.x }}", "{{ .Values.nest.missing.x }}", "{{ .Values.nul.x }}",
    "{{ .Values.s.x }}", "{{ .Values.num.x }}", "{{ .Values.l.x }}", "{{ .Values.t.x.y }}",
    "{{ .Values.nest.nil.x }}", "{{ .Values.mixed }}", "{{ .Values.words }}",
    "{{ .Values.uni }}", "{{ .Values.html }}", "{{ .Values.pct }}",
    "{{ .Values.s 1 }}", "{{ .Values.m.a 1 }}", "{{ 1 | .Values.s }}",
    "{{ $.Values.s }}", "{{ .Values.nest.list }}", "{{ (.Values.nest).a.b.c }}",
    "{{ (.Values.nest.a).b }}", "{{ (.Values.missing).x }}", "{{ (.Values.nul).x }}",
    "{{ (.Values.s).x }}", "{{ .Values.Values }}", "{{ .values.s }}",
    "{{ .Values.m.b }}{{ .Values.m.a }}", "{{ (index .Values.nest.list 0).name }}",
    "{{ (index .Values.m \"a\").x }}", "{{ .Values.mixed.x }}",
    "{{ $x := .Values.missing }}{{ $x.y }}", "{{ $x := .Values.nul }}{{ $x.y }}",
    "{{ $x := .Values.s }}{{ $x.y }}", "{{ nil.x }}", "{{ (nil).x }}",
    "{{ .Values.nest.list.name }}",
]:
    c(t)

# -- variables ---------------------------------------------------------------------------
for t in [
    "{{ $x := 1 }}{{ $x }}", "{{ $x := .Values.s }}{{ $x }}", "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}",
    "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
    "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}",
    "{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}",
    "{{ $x }}", "{{ $x = 1 }}", "{{ $ }}", "{{ $.Values.num }}",
    "{{ with .Values.nest }}{{ $.Values.s }}{{ end }}",
    "{{ $x := 0 }}{{ range .Values.nl }}{{ $x = . }}{{ end }}{{ $x }}",
    "{{ $a, $b := 1 }}", "{{ $a := 1 | printf \"%d-%d\" 2 }}{{ $a }}",
    "{{ $x := \"a\" }}{{ $y := $x }}{{ $x = \"b\" }}{{ $y }}{{ $x }}",
    "{{ if $v := .Values.s }}{{ $v }}{{ end }}",
    "{{ if $v := .Values.e }}{{ $v }}{{ else }}[{{ $v }}]{{ end }}",
    "{{ with $v := .Values.m }}{{ $v.a }}{{ . }}{{ end }}",
    "{{ $x := 1 }}{{ with $x := 2 }}{{ $x }}{{ end }}{{ $x }}",
    "{{ range $i, $e := .Values.l }}{{ $i }}{{ $e }}{{ end }}",
    "{{ range $e := .Values.l }}{{ $e }}{{ end }}",
    "{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}",
    "{{ $i := 9 }}{{ range $i, $e := .Values.l }}{{ end }}{{ $i }}",
    "{{ $e := 9 }}{{ range $e = .Values.l }}{{ end }}{{ $e }}",
    "{{ $i := 0 }}{{ $e := 0 }}{{ range $i, $e = .Values.l }}{{ end }}{{ $i }}{{ $e }}",
    "{{ range $a, $b, $c := .Values.l }}{{ end }}",
    "{{ range $a, 1 := .Values.l }}{{ end }}",
    "{{ $x := 1 }}{{ $x := 2 }}{{ $x }}",
    "{{ $x := $.Values.m }}{{ $x.b }}", "{{ $x := . }}{{ $x.Values.s }}",
    "{{ $x := (print 1 2) }}{{ $x }}", "{{ $ := 1 }}{{ $ }}",
    "{{ $x := 1 }}{{ $x 2 }}", "{{ $x.y := 1 }}",
    "{{ define \"d\" }}{{ $x }}{{ end }}{{ $x := 1 }}",
    "{{ $x := 1 }}{{ define \"d\" }}{{ $x }}{{ end }}",
    "{{ $x := 5 }}{{ template \"d\" }}{{ define \"d\" }}{{ $ }}{{ end }}",
    "{{ $x := 1 }}{{ if false }}{{ $x := 2 }}{{ else }}{{ $x }}{{ end }}",
    "{{ range .Values.el }}{{ else }}{{ $x := 1 }}{{ $x }}{{ end }}",
]:
    c(t)

# -- if / else / with ----------------------------------------------------------------------
for t in [
    "{{ if .Values.t }}y{{ end }}", "{{ if .Values.fa }}y{{ else }}n{{ end }}",
    "{{ if .Values.z }}y{{ else }}n{{ end }}", "{{ if .Values.e }}y{{ else }}n{{ end }}",
    "{{ if .Values.el }}y{{ else }}n{{ end }}", "{{ if .Values.em }}y{{ else }}n{{ end }}",
    "{{ if .Values.nul }}y{{ else }}n{{ end }}", "{{ if .Values.missing }}y{{ else }}n{{ end }}",
    "{{ if .Values.f }}y{{ end }}", "{{ if .Values.neg }}y{{ end }}", "{{ if 0.0 }}y{{ else }}n{{ end }}",
    "{{ if \"\" }}y{{ else }}n{{ end }}", "{{ if \"0\" }}y{{ end }}", "{{ if . }}y{{ end }}",
    "{{ if .Values.fa }}a{{ else if .Values.z }}b{{ else if .Values.s }}c{{ else }}d{{ end }}",
    "{{ if .Values.fa }}a{{ else if .Values.z }}b{{ end }}",
    "{{ with .Values.s }}{{ . }}{{ end }}", "{{ with .Values.e }}{{ . }}{{ else }}none{{ end }}",
    "{{ with .Values.missing }}x{{ else with .Values.s }}{{ . }}{{ end }}",
    "{{ with .Values.missing }}x{{ else with .Values.e }}y{{ else }}z{{ end }}",
    "{{ with .Values.nest.a }}{{ .b.c }}{{ end }}",
    "{{ with .Values.m }}{{ .a }}-{{ $.Values.s }}{{ end }}",
    "{{ if }}{{ end }}", "{{ with }}{{ end }}", "{{ if true }}", "{{ if true }}{{ else }}",
    "{{ if true }}{{ else }}{{ else }}{{ end }}", "{{ else }}", "{{ end }}",
    "{{ if true }}x{{ end }}{{ end }}", "{{ with 1 }}{{ else if 2 }}{{ end }}",
    "{{ if 1 }}{{ else with 2 }}{{ end }}",
    "{{ if and .Values.t .Values.s }}y{{ end }}", "{{ if not .Values.fa }}y{{ end }}",
    "{{ if (eq .Values.s \"hello\") }}y{{ end }}",
    "{{ if .Values.t }}{{ if .Values.fa }}a{{ else }}b{{ end }}{{ end }}",
    "{{ with $x := .Values.s }}{{ $x }}{{ . }}{{ end }}",
    "{{ if true }}a{{ else }}b{{ end }}c",
    "{{ if true }} {{ end }}", "{{ if 1 2 }}{{ end }}",
    "{{ if .Values.mixed }}y{{ end }}",
]:
    c(t)

# -- range -------------------------------------------------------------------------------
for t in [
    "{{ range .Values.l }}[{{ . }}]{{ end }}", "{{ range .Values.m }}{{ . }}{{ end }}",
    "{{ range .Values.words }}{{ . }}{{ end }}", "{{ range $k, $v := .Values.words }}{{ $k }}{{ end }}",
    "{{ range .Values.el }}x{{ else }}empty{{ end }}", "{{ range .Values.em }}x{{ else }}empty{{ end }}",
    "{{ range .Values.missing }}x{{ else }}none{{ end }}", "{{ range .Values.nul }}x{{ else }}none{{ end }}",
    "{{ range 3 }}{{ . }}{{ end }}", "{{ range 0 }}x{{ else }}zero{{ end }}",
    "{{ range -2 }}x{{ else }}neg{{ end }}", "{{ range $i := 3 }}{{ $i }}{{ end }}",
    "{{ range $i, $v := 3 }}{{ end }}", "{{ range .Values.num }}{{ . }}{{ end }}",
    "{{ range .Values.s }}{{ . }}{{ end }}", "{{ range .Values.f }}{{ end }}",
    "{{ range .Values.t }}{{ end }}", "{{ range 1.5 }}{{ end }}",
    "{{ range .Values.l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}",
    "{{ range .Values.l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}",
    "{{ range .Values.nl }}{{ range $.Values.l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}|{{ end }}",
    "{{ break }}", "{{ continue }}", "{{ if true }}{{ break }}{{ end }}",
    "{{ range .Values.l }}{{ break 1 }}{{ end }}", "{{ range .Values.l }}{{ continue x }}{{ end }}",
    "{{ range .Values.l }}{{ with . }}{{ break }}{{ end }}x{{ end }}",
    "{{ range .Values.nest.list }}{{ .name }}{{ end }}",
    "{{ range .Values.mixed }}{{ . }}|{{ end }}",
    "{{ range .Values.mixed }}{{ .k }}|{{ end }}",
    "{{ range .Values.l }}{{ .x }}{{ end }}",
    "{{ range $i, $e := .Values.nl }}{{ $i }}:{{ $e }}{{ end }}",
    "{{ range $x := .Values.el }}{{ else }}{{ $x }}{{ end }}",
    "{{ range $x := .Values.missing }}{{ else }}{{ $x }}{{ end }}",
    "{{ range }}{{ end }}", "{{ range .Values.l }}",
    "{{ range .Values.l }}{{ $i := . }}{{ end }}{{ $i }}",
    "{{ range $i, $e := .Values.l }}{{ $i | printf \"%T\" }}{{ end }}",
    "{{ range $i := 2 }}{{ $i | printf \"%T\" }}{{ end }}",
    "{{ range $k, $v := .Values.m }}{{ $k | printf \"%T\" }}{{ end }}",
    "{{ range (list 3 1 2) }}{{ . }}{{ end }}", "{{ range (dict \"z\" 1 \"a\" 2) }}{{ . }}{{ end }}",
    "{{ range .Values.l }}{{ . }}{{ else }}e{{ end }}",
    "{{ range .Values.l -}} {{ . }} {{- end }}",
    "{{ range $.Values.nl }}{{ $ | len }}{{ end }}",
    "{{ range .Values.nl }}{{ if gt . 1.5 }}{{ . }}{{ end }}{{ end }}",
]:
    c(t)
c("{{ range .Values.k }}{{ . }}{{ end }}", "E", "k=4")
c("{{ range $i, $v := .Values.k }}{{ end }}", "E", "k=4")
c("{{ range .Values.k }}{{ . | printf \"%T\" }}{{ end }}", "E", "k=2")

# -- define / template / block -------------------------------------------------------------
for t in [
    "{{ define \"a\" }}A{{ . }}{{ end }}{{ template \"a\" \"x\" }}",
    "{{ template \"a\" }}{{ define \"a\" }}[{{ . }}]{{ end }}",
    "{{ define \"a\" }}{{ .Values.s }}{{ end }}{{ template \"a\" . }}",
    "{{ template \"nope\" . }}", "{{ template \"nope\" }}",
    "{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}",
    "{{ define \"a\" }}x{{ end }}{{ define \"a\" }} {{ end }}{{ template \"a\" }}",
    "{{ define \"a\" }} {{ end }}{{ define \"a\" }}y{{ end }}{{ template \"a\" }}",
    "{{ block \"b\" . }}B{{ .Values.s }}{{ end }}", "{{ block \"b\" }}B{{ end }}",
    "{{ define \"a\" }}{{ .x }}{{ end }}{{ template \"a\" dict \"x\" 1 }}",
    "{{ define \"a\" }}{{ .x }}{{ end }}{{ template \"a\" (dict \"x\" 1) }}",
    "{{ define \"e\" }}{{ .Values.nul.x }}{{ end }}x\n{{ template \"e\" . }}",
    "{{ define }}{{ end }}", "{{ define \"a\" }}", "{{ define \"a\" 1 }}{{ end }}",
    "{{ define a }}{{ end }}", "{{ template a }}", "{{ template }}",
    "{{ template \"a\" 1 2 }}", "{{ if true }}{{ define \"a\" }}{{ end }}{{ end }}",
    "{{ define \"a\" }}{{ else }}{{ end }}",
    "{{ define \"a\" }}{{ $ }}{{ end }}{{ template \"a\" .Values.num }}",
    "{{ define `raw` }}R{{ end }}{{ template `raw` }}",
    "{{ define \"a\" }}{{ template \"b\" . }}{{ end }}{{ define \"b\" }}B{{ . }}{{ end }}{{ template \"a\" 1 }}",
    "{{ define \"loop\" }}{{ template \"loop\" . }}{{ end }}{{ template \"loop\" . }}",
    "{{ define \"x\" }}X{{ end }}{{ template \"x\" }}{{ template \"x\" }}",
    "{{ define \"a\" }}{{ template \"nope\" }}{{ end }}\n\n{{ template \"a\" }}",
    "{{ block \"b\" 1 }}{{ . }}{{ end }}{{ define \"b\" }}override{{ end }}",
    "{{ template \"a\" .Values.missing }}{{ define \"a\" }}{{ . }}{{ end }}",
    "{{ template \"a\" .Values.nul }}{{ define \"a\" }}{{ . }}|{{ .x }}{{ end }}",
]:
    c(t)

# -- and / or / not ------------------------------------------------------------------------
for t in [
    "{{ and 1 0 2 }}", "{{ and 1 2 }}", "{{ or 0 \"\" \"x\" }}", "{{ or 0 \"\" }}",
    "{{ and }}", "{{ or }}", "{{ not 0 }}", "{{ not 1 }}", "{{ not }}", "{{ not 1 2 }}",
    "{{ and .Values.t .Values.s }}", "{{ or .Values.missing .Values.s }}",
    "{{ and .Values.missing .Values.s }}", "{{ or .Values.nul .Values.e }}",
    "{{ and 1 (fail \"boom\") }}", "{{ or 1 (fail \"boom\") }}", "{{ and 0 (fail \"boom\") }}",
    "{{ 1 | and 2 }}", "{{ 0 | or 0 }}", "{{ 0 | and 1 }}", "{{ not .Values.el }}",
    "{{ not .Values.missing }}", "{{ and .Values.l .Values.m }}", "{{ or .Values.em .Values.el }}",
    "{{ or .Values.missing }}", "{{ and nil 1 }}", "{{ or nil }}",
]:
    c(t)

# -- comparisons ---------------------------------------------------------------------------
for t in [
    "{{ eq 1 1 }}", "{{ eq 1 2 }}", "{{ eq 1 2 3 1 }}", "{{ eq \"a\" \"a\" }}", "{{ eq 1.5 1.5 }}",
    "{{ eq .Values.num 3 }}", "{{ eq .Values.num 3.0 }}", "{{ eq .Values.s \"hello\" }}",
    "{{ eq 1 1.0 }}", "{{ eq \"1\" 1 }}", "{{ eq true true }}", "{{ eq true 1 }}",
    "{{ eq .Values.missing 1 }}", "{{ eq .Values.nul nil }}", "{{ eq nil nil }}",
    "{{ eq .Values.missing .Values.nul }}", "{{ eq .Values.l .Values.l }}",
    "{{ eq .Values.m .Values.em }}", "{{ eq .Values.l .Values.m }}", "{{ eq 1 }}",
    "{{ eq }}", "{{ eq 'a' 97 }}", "{{ eq .Values.t true }}",
    "{{ ne 1 2 }}", "{{ ne 1 1 }}", "{{ ne \"a\" \"b\" }}", "{{ ne 1 1.5 }}", "{{ ne 1 2 3 }}",
    "{{ ne .Values.missing 1 }}",
    "{{ lt 1 2 }}", "{{ lt 2 1 }}", "{{ lt 1.5 2.5 }}", "{{ lt \"a\" \"b\" }}", "{{ lt 1 2.0 }}",
    "{{ lt true false }}", "{{ lt .Values.missing 1 }}", "{{ lt nil 1 }}", "{{ lt .Values.l 1 }}",
    "{{ lt .Values.num 4.0 }}", "{{ le 1 1 }}", "{{ le 2 1 }}", "{{ le \"b\" \"a\" }}",
    "{{ gt 2 1 }}", "{{ gt 1 2 }}", "{{ gt .Values.f 1.0 }}", "{{ gt .Values.f 1 }}",
    "{{ ge 1 1 }}", "{{ ge 0 1 }}", "{{ ge \"b\" \"b\" }}", "{{ lt 1 }}", "{{ lt 1 2 3 }}",
    "{{ gt 1.5 \"a\" }}", "{{ eq 1.5 \"a\" }}", "{{ le 1 1.0 }}",
    "{{ eq (len .Values.l) 3 }}", "{{ gt (len .Values.l) 2 }}", "{{ eq .Values.big 1000000.0 }}",
    "{{ 1 | eq 1 }}", "{{ \"x\" | eq \"y\" \"x\" }}", "{{ lt -1 0 }}",
    "{{ eq .Values.nest.list .Values.nest.list }}", "{{ eq (dict) (dict) }}",
]:
    c(t)
for t in ["{{ eq .Values.k 1 }}", "{{ lt .Values.k 10 }}", "{{ eq .Values.k 1.0 }}",
          "{{ gt .Values.k .Values.j }}", "{{ eq .Values.s \"1.5\" }}"]:
    c(t, "E", "k=1", "j=2", "s=1.5")

# -- index / slice / len -------------------------------------------------------------------
for t in [
    "{{ index .Values.l 0 }}", "{{ index .Values.l 2 }}", "{{ index .Values.l 3 }}",
    "{{ index .Values.l 5 }}", "{{ index .Values.l -1 }}", "{{ index .Values.l 1.0 }}",
    "{{ index .Values.l \"1\" }}", "{{ index .Values.l nil }}", "{{ index .Values.m \"a\" }}",
    "{{ index .Values.m \"zz\" }}", "{{ index .Values.m 1 }}", "{{ index .Values.m nil }}",
    "{{ index .Values.nest \"a\" \"b\" \"c\" }}", "{{ index .Values.nest.list 1 \"name\" }}",
    "{{ index .Values.s 1 }}", "{{ index .Values.s 5 }}", "{{ index .Values.missing 1 }}",
    "{{ index .Values.nul 1 }}", "{{ index .Values.num 1 }}", "{{ index .Values.l }}",
    "{{ index }}", "{{ index .Values.nest \"nil\" \"x\" }}", "{{ index .Values.m \"zz\" \"y\" }}",
    "{{ index .Values.mixed 5 \"k\" }}", "{{ index .Values.mixed 4 }}",
    "{{ len .Values.l }}", "{{ len .Values.m }}", "{{ len .Values.s }}", "{{ len .Values.uni }}",
    "{{ len .Values.el }}", "{{ len .Values.num }}", "{{ len .Values.missing }}",
    "{{ $x := .Values.missing }}{{ len $x }}", "{{ len nil }}", "{{ len }}", "{{ len 1 2 }}",
    "{{ len \"abc\" }}", "{{ .Values.l | len }}", "{{ len .Values.t }}", "{{ len .Values.nul }}",
    "{{ index \"abc\" 0 | printf \"%T\" }}", "{{ len .Values.l | printf \"%T\" }}",
]:
    c(t)

# -- print / printf / println --------------------------------------------------------------
for t in [
    "{{ print 1 2 }}", "{{ print \"a\" \"b\" }}", "{{ print \"a\" 1 \"b\" }}", "{{ print .Values.missing }}",
    "{{ print .Values.nul }}", "{{ print .Values.l .Values.m }}", "{{ println 1 2 }}",
    "{{ printf \"%d\" 5 }}", "{{ printf \"%d\" .Values.num }}", "{{ printf \"%s\" .Values.s }}",
    "{{ printf \"%v\" .Values.missing }}", "{{ printf \"%q\" .Values.s }}",
    "{{ printf \"%05.2f\" .Values.f }}", "{{ printf \"%x\" 255 }}", "{{ printf \"%T\" .Values.m }}",
    "{{ printf \"%T\" 1 }}", "{{ printf \"%T\" 1.0 }}", "{{ printf \"%T\" 'a' }}",
    "{{ printf }}", "{{ printf 1 }}", "{{ printf .Values.num }}", "{{ printf .Values.missing }}",
    "{{ printf \"%s %s\" \"a\" }}", "{{ printf \"%s\" \"a\" \"b\" }}", "{{ 1 | printf \"%d %d\" 2 }}",
    "{{ \"x\" | printf \"%s-%s\" \"y\" }}", "{{ printf \"%v\" .Values.nest }}",
    "{{ printf \"%+v\" .Values.m }}", "{{ printf \"%d%%\" 5 }}", "{{ .Values.pct }}",
    "{{ printf \"%s\" .Values.pct }}", "{{ print }}", "{{ println }}",
    "{{ printf \"%v|%v\" .Values.big .Values.neg }}", "{{ print 1.0 2.5 }}",
    "{{ print nil }}", "{{ printf \"%v\" nil }}",
]:
    c(t)

# -- html / js / urlquery --------------------------------------------------------------------
for t in [
    "{{ html .Values.html }}", "{{ js .Values.html }}", "{{ urlquery .Values.html }}",
    "{{ html \"a&b\" 1 }}", "{{ html 1 2 }}", "{{ html .Values.missing }}", "{{ js .Values.missing }}",
    "{{ urlquery \"a b+c/d?e=f\" }}", "{{ js \"line\\nbreak\\ttab\" }}", "{{ js .Values.uni }}",
    "{{ html .Values.uni }}", "{{ urlquery .Values.uni }}", "{{ .Values.html | html }}",
    "{{ js \"=\" }}", "{{ html }}", "{{ urlquery .Values.l }}", "{{ html nil }}",
]:
    c(t)

# -- pipelines and parentheses ---------------------------------------------------------------
for t in [
    "{{ .Values.s | printf \"%s!\" }}", "{{ .Values.s | printf \"%s!\" | printf \"[%s]\" }}",
    "{{ (printf \"%d\" 1) }}", "{{ (1) }}", "{{ ((1)) }}", "{{ (1) 2 }}", "{{ 1 | (2) }}",
    "{{ 1 | 2 }}", "{{ 1 | \"x\" }}", "{{ 1 | . }}", "{{ 1 | nil }}", "{{ 1 | true }}",
    "{{ . | printf \"%T\" }}", "{{ 1 | print | print }}", "{{ | print }}", "{{ print | }}",
    "{{ (print 1 }}", "{{ print 1) }}", "{{ () }}", "{{ nil }}", "{{ nil | print }}",
    "{{ print (nil) }}", "{{ .Values.l | printf \"%v\" }}", "{{ 1 2 }}", "{{ \"a\" \"b\" }}",
    "{{ . 1 }}", "{{ true 1 }}", "{{ (print 1).x }}", "{{ (print 1 | printf \"%s\") }}",
    "{{ print (print (print \"deep\")) }}", "{{ 1.x }}", "{{ \"s\".x }}", "{{ true.x }}",
    "{{ $.x.y }}", "{{ .Values.s|printf \"%s\"}}", "{{.Values.s}}", "{{ print 1,2 }}",
    "{{ print @ }}", "{{ print # }}", "{{ print \"a\" ; }}", "{{ := 1 }}", "{{ $x : 1 }}",
    "{{ $x := }}", "{{ $x := 1 2 }}", "{{ print $x := 1 }}",
]:
    c(t)

# -- parse errors -----------------------------------------------------------------------------
for t in [
    "{{ nope }}", "{{ env \"HOME\" }}", "{{ .Values.a.b.c }", "{{", "{{ .Values.s", "a\nb\n{{ if }}",
    "a\n{{ if true }}\nb", "{{ end }}\n", "x\n\n{{ undefinedfn 1 }}", "{{ \"a\" \n }}",
    "line1\n{{ print\n1\n", "{{ print \"a\nb\" }}", "{{/* unclosed", "{{/* a */ x }}",
    "{{ print }}}}", "{{ print }} }}", "{{ $x := 1 }}{{ $y }}", "{{ .Values.x-y }}",
    "{{ .Values.x.1 }}", "{{ $x! }}", "{{ print .a.b( }}", "{{ print (1 }}", "{{ print 1) }}",
    "{{ range $x := }}{{ end }}", "{{ with $x = 1 }}{{ end }}",
    "{{ if true }}{{ else if }}{{ end }}", "{{ else if true }}", "{{ template 1 }}",
    "{{ block }}{{ end }}", "{{ block \"x\" }}", "{{ define \"x\" }}{{ end",
    "{{- }}", "{{ - }}", "{{-}}", "{{ -}}", "{{ print -x }}", "{{ 'a' 'b' }}",
    "{{ print \"\\z\" }}", "{{ print `a` `b` }}", "{{ .Values.s.y.z 1 }}",
    "a\n{{ range .x }}\n{{ else }}\n{{ else }}\n{{ end }}", "\n\n\n{{ nope }}\n\n",
]:
    c(t)

# -- include / tpl / required / fail (emulated in the test) -----------------------------------
for t in [
    "{{ define \"h\" }}hi {{ . }}{{ end }}{{ include \"h\" \"you\" }}",
    "{{ define \"h\" }}hi{{ end }}{{ include \"h\" . | upper }}",
    "{{ include \"nope\" . }}", "{{ define \"h\" }}{{ .Values.nul.x }}{{ end }}\n{{ include \"h\" . }}",
    "{{ tpl \"{{ .Values.s }}\" . }}", "{{ tpl \"{{ .Values.missing }}\" . }}",
    "{{ tpl \"{{ .Values.nul.x }}\" . }}", "{{ tpl \"{{ \" . }}",
    "{{ define \"h\" }}H{{ end }}{{ tpl \"{{ include \\\"h\\\" . }}\" . }}",
    "{{ tpl \"{{ define \\\"in\\\" }}I{{ end }}{{ template \\\"in\\\" }}\" . }}",
    "{{ required \"need a\" .Values.a }}", "{{ required \"need s\" .Values.s }}",
    "x\n  {{ required \"need z\" .Values.z }}", "{{ required \"need e\" .Values.e }}",
    "{{ fail \"boom\" }}", "{{ upper 1 }}", "{{ upper .Values.num }}", "{{ upper .Values.missing }}",
    "{{ upper }}", "{{ upper \"a\" \"b\" }}", "{{ \"a\" | upper }}", "{{ 1 | upper }}",
    "{{ upper nil }}", "{{ upper .Values.s }}", "{{ list 1 2 | len }}",
    "{{ dict \"a\" 1 \"b\" 2 }}", "{{ list .Values.missing 1 }}", "{{ (list 1 2).x }}",
    "{{ index (list 1 2) 1 }}", "{{ (dict \"a\" (dict \"b\" 1)).a.b }}",
]:
    c(t)

# -- recursion through template and nested data --------------------------------------------
for t in [
    "{{ define \"tree\" }}{{ .name }}({{ range .kids }}{{ template \"tree\" . }}{{ end }}){{ end }}"
    "{{ template \"tree\" .Values.tree }}",
    "{{ define \"cnt\" }}{{ if . }}{{ len . }}{{ template \"cnt\" (index . 0) }}{{ end }}{{ end }}"
    "{{ template \"cnt\" .Values.deep }}",
]:
    c(t, "T")
VALUES["T"] = """tree: {name: a, kids: [{name: b, kids: []}, {name: c, kids: [{name: d}]}]}
deep: [[[[]]]]
"""

# -- typical chart idioms and more edge cases ---------------------------------------------------
VALUES["V2"] = """huge: 12345678901234567890
tiny: 0.00001
exp: 1e-7
negz: -0.0
frac: 0.1
hundredk: 100000.0
million: 1e6
name: y
items: [{name: a, port: 80, on1: true}, {name: b, port: 8080, on1: false}]
labels: {app: web, tier: front}
str: "tab\\there \\u00e9 \\"q\\""
"""
for t in [
    "{{ .Values.huge }}|{{ .Values.tiny }}|{{ .Values.exp }}|{{ .Values.negz }}|{{ .Values.frac }}",
    "{{ .Values.hundredk }}|{{ .Values.million }}|{{ .Values.name }}",
    "{{- range $key, $value := .Values.labels }}\n{{ $key }}: {{ $value }}\n{{- end }}",
    "{{ range $i, $e := .Values.items }}{{ if $i }},{{ end }}{{ $e.name }}:{{ $e.port }}{{ end }}",
    "{{ range .Values.items }}{{ if .on1 }}{{ .name }}{{ end }}{{ end }}",
    "{{ range .Values.items }}{{ if gt .port 1000.0 }}{{ .name }}{{ end }}{{ end }}",
    "{{ range .Values.items }}{{ if gt .port 1000 }}{{ .name }}{{ end }}{{ end }}",
    "{{ with .Values.labels }}{{ with .app }}{{ . }}{{ end }}{{ end }}",
    "{{ if and (eq .Values.labels.app \"web\") (gt (len .Values.items) 1) }}ok{{ end }}",
    "{{ printf \"%-5s|\" \"a\" }}", "{{ printf \"%5.1f\" .Values.frac }}", "{{ printf \"%t\" true }}",
    "{{ printf \"%x\" \"hi\" }}", "{{ printf \"%c\" 65 }}", "{{ printf \"%U\" 'a' }}",
    "{{ printf \"%e\" .Values.million }}", "{{ printf \"%g\" .Values.tiny }}",
    "{{ printf \"%08.3f\" 3.14159 }}", "{{ printf \"%+d\" 5 }}", "{{ printf \"%o %b %X %#x\" 8 5 255 255 }}",
    "{{ printf \"%q\" 'a' }}", "{{ printf \"%*d|\" 5 3 }}", "{{ printf \"%q\" .Values.str }}",
    "{{ printf \"%v\" .Values.items }}", "{{ printf \"%d\" .Values.huge }}", "{{ printf \"%s\" 1.5 }}",
    "{{ printf \"%5s|%-5d|\" \"ab\" 42 }}", "{{ printf \"%.2s\" \"abcdef\" }}", "{{ printf \"%%\" }}",
    "{{ printf \"%!\" }}", "{{ printf \"%z\" 1 }}", "{{ printf \"%d %d\" 1 }}",
    "{{ .Values.str }}", "{{ .Values.missing | or \"def\" }}", "{{ .Values.labels | or \"def\" }}",
    "{{ \"\" | and 1 }}", "{{ not (eq 1 1) }}", "{{ index .Values.labels \"app\" | printf \"[%v]\" }}",
    "{{ 1e21 }}|{{ 1e20 }}|{{ 0.1 }}|{{ 100000000.0 }}|{{ -1e-5 }}|{{ 3.0e-5 }}",
    "{{ range $i, $_ := .Values.items }}{{ $i }}{{ end }}",
    "{{ $x := 1 }}{{ range .Values.items }}{{ $x := 2 }}{{ end }}{{ $x }}",
    "{{ with .Values.missing }}{{ else }}{{ .Values.name }}{{ end }}",
    "{{ range .Values.items }}{{ $.Values.labels.tier }}{{ end }}",
    "{{ range .Values.items }}{{ break }}{{ else }}e{{ end }}",
    "{{ range .Values.items }}{{ else }}{{ continue }}{{ end }}",
    "{{ range .Values.items }}{{ range .name }}{{ end }}{{ end }}",
    "{{ define \"a\" }}{{ define \"b\" }}{{ end }}{{ end }}",
    "{{ block \"b\" . }}{{ end }}[{{ template \"b\" . }}]",
    "{{ define \"a/b.tpl\" }}AB{{ end }}{{ template \"a/b.tpl\" }}",
    "{{- define \"t\" -}}\n  T\n{{- end -}}\n[{{ template \"t\" }}]",
    "{{ with .Values.x }}{{ else if .Values.y }}{{ end }}",
    "{{ if .Values.x }}{{ else with .Values.name }}{{ . }}{{ end }}",
    "é {{ .Values.nul.x }}", "ü\n  ü {{ .Values.nul.x }}", "\t{{ .Values.nul.x }}",
    "{{ .Values.if }}{{ .Values.range }}{{ .Values.end }}", "{{ $if := 1 }}{{ $if }}",
    "{{/*a*/}}x", "{{- /*a*/}}x", "x {{/*a*/ -}} y", "{{ /* a */ }}", "{{/* a */}}{{/* b */}}",
    "{{/*a*/-}}", "{{-/*a*/}}", "a\r\n{{- 1 -}}\r\nb", "{{ print\t1\t2 }}", "{{ print\n1\n2\n}}",
    "{{ define \"a\" }}{{ $x := . }}{{ $x }}{{ end }}{{ template \"a\" 5 }}",
    "{{ define \"a\" }}{{ range . }}{{ . }}{{ end }}{{ end }}{{ template \"a\" (list 1 2) }}",
    "{{ define \"a\" }}{{ $ }}{{ end }}{{ template \"a\" (dict \"k\" \"v\") }}",
    "{{ len (index .Values.items 0) }}", "{{ range .Values.items }}{{ printf \"%T\" . }},{{ end }}",
    "{{ range .Values.mixed }}{{ printf \"%T\" . }},{{ end }}",
    "{{ eq .Values.name \"y\" }}", "{{ eq .Values.name true }}",
    "{{ .Values.items | len | printf \"%d items\" }}", "{{ (len .Values.items) | eq 2 }}",
    "{{ $a := list 1 2 }}{{ $b := $a }}{{ len $b }}", "{{ $m := dict \"a\" 1 }}{{ $m.a }}{{ $m.b }}",
    "{{ $m := dict \"a\" (dict \"b\" 2) }}{{ $m.a.b }}{{ $m.x.y }}",
    "{{ (dict \"a\" nil).a.b }}", "{{ $d := dict \"a\" nil }}{{ $d.a.b }}",
    "{{ index (dict \"a\" nil) \"a\" \"b\" }}", "{{ range (dict) }}{{ else }}empty{{ end }}",
    "{{ range (list) }}{{ else }}empty{{ end }}", "{{ if (list) }}t{{ else }}f{{ end }}",
    "{{ with (dict \"a\" 1) }}{{ .a }}{{ end }}", "{{ (list 1 2 3) | len }}",
    "{{ eq (index (list 1 2) 0) 1 }}", "{{ template \"x\" }}{{ define \"x\" }}{{ . | printf \"%T\" }}{{ end }}",
    "{{ $x := .Values.missing }}{{ printf \"%T\" $x }}", "{{ printf \"%T\" .Values.missing }}",
    "{{ printf \"%T\" .Values.nul }}", "{{ printf \"%T\" .Values.items }}",
    "{{ printf \"%T %T %T\" .Values.str .Values.frac true }}", "{{ $x := 1 }}{{ $x = \"s\" }}{{ $x }}",
    "{{ $x := list }}{{ range $x }}x{{ else }}none{{ end }}", "{{ range $i, $c := \"ab\" }}{{ end }}",
    "{{ if eq 1 1 }}{{ if eq 2 2 }}{{ if eq 3 3 }}deep{{ end }}{{ end }}{{ end }}",
    "{{ index .Values.labels \"missing\" | printf \"%T\" }}", "{{ index .Values.items 0 \"missing\" | printf \"%T\" }}",
    "{{ .Values.labels.missing | printf \"%T\" }}", "{{ (index .Values.items 0).missing | printf \"%v\" }}",
    "{{ html .Values.str }}", "{{ js .Values.str }}", "{{ urlquery .Values.str }}",
    "{{ print .Values.items }}", "{{ println .Values.labels \"x\" }}",
    "{{ if .Values.items }}{{ range .Values.items }}- {{ .name }}\n{{ end }}{{ end }}",
    "{{- with .Values.labels }}\nlabels:\n{{- range $k, $v := . }}\n  {{ $k }}: {{ $v | printf \"%q\" }}\n{{- end }}\n{{- end }}",
]:
    c(t, "V2")
c("{{ printf \"%d|%v|%T\" .Values.k .Values.k .Values.k }}", "E", "k=42")
c("{{ .Values.a.b }}|{{ printf \"%T\" .Values.a.b }}", "E", "a.b=7")
c("{{ eq .Values.k .Values.j }}|{{ lt .Values.k .Values.j }}", "E", "k=1", "j=1")
c("{{ .Values.b }}|{{ printf \"%T\" .Values.b }}", "E", "b=true")

# -- one-token action fast path: spacing, trims, positions -------------------------------------
for t in [
    "{{.Values.nul.x}}", "a\n  {{- .Values.nul.x -}}\n", "{{\n.Values.nul.x\n}}", "x{{- .Values.s}}y",
    "x {{ .Values.s -}} \n y", "{{ $x.a }}", "{{ $.Values.nul.x }}", "{{ with .Values.s }}{{ .}}{{ end }}",
    "a\n{{ else }}", "a\n{{ end\n}}", "{{ if true }}{{else}}b{{end}}", "{{ if false }}a{{- else -}} b {{- end }}",
    "{{ range .Values.l }}{{.}}{{end}}", "{{ with .Values.m }}{{ .a}}{{.b }}{{ end }}",
    "{{ $v := .Values.nest }}{{ $v.a.b.c }}{{ $v.nil.x }}", "{{ .Values.s.x}}", "{{ .Values.l.x -}}",
    "{{ $x := 1 }}{{- $x -}}", "{{ .Values.x- }}", "{{ .Values.x.}}", "{{ end.x }}", "{{ endx }}",
]:
    c(t)
