"""Branch bodies compile on their first run; variables keep Go's scoping across them.

Expected outputs checked against Helm v4.1.4 (each text as a define, included with the
data as values)."""

from __future__ import annotations

import pytest

from kelm.gotemplate import render

CASES = [
    # a lazily compiled body's variables share slot numbers with later ones of the outer body
    ('{{ $a := 1 }}{{ range $i, $e := .l }}{{ if $e }}{{ $c := printf "c%d" $i }}{{ $c }}'
     '{{ end }}{{ $b := "b" }}{{ $b }}{{ $a }}{{ end }}',
     {"l": [True, False, True]}, "c0b1b1c2b1"),
    # assignment from inside a branch reaches the outer variable
    ('{{ $x := "out" }}{{ if .t }}{{ $x = "in" }}{{ $y := 2 }}{{ end }}{{ $x }}',
     {"t": True}, "in"),
    ('{{ $x := "out" }}{{ if .t }}{{ $x = "in" }}{{ end }}{{ $x }}', {"t": False}, "out"),
    # nested lazy bodies, else chains, with rebinding dot
    ('{{ range .l }}{{ with .a }}{{ $v := . }}{{ if eq $v "b" }}big{{ $v }}{{ else if eq $v "o" }}'
     'one{{ else }}{{ $w := "z" }}{{ $w }}{{ end }}{{ else }}none{{ end }};{{ end }}',
     {"l": [{"a": "b"}, {"a": "o"}, {}, {"a": ""}, {"a": "q"}]}, "bigb;one;none;none;z;"),
    # a variable declared after a nested body that was compiled later, in a loop
    ('{{ range $i := .n }}{{ if $i }}{{ $p := $i }}[{{ $p }}]{{ end }}{{ $q := "q" }}{{ $q }}'
     '{{ end }}', {"n": [0, 1, 2]}, "q[1]q[2]q"),
    # break/continue inside lazily compiled bodies
    ('{{ range .n }}{{ if eq . "2" }}{{ continue }}{{ end }}{{ if eq . "4" }}{{ break }}{{ end }}'
     '{{ . }}{{ end }}', {"n": ["1", "2", "3", "4", "5"]}, "13"),
    # range else body and variables of the range pipeline
    ('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ else }}{{ $e := "empty" }}{{ $e }}{{ end }}',
     {"m": {}}, "empty"),
]


@pytest.mark.parametrize("text,data,want", CASES)
def test_lazy_bodies_behave_as_eager(text: str, data: dict, want: str) -> None:
    assert render(text, data) == want
    assert render(text, data) == want  # second run: compiled body reused


def test_error_in_lazy_body_names_its_position() -> None:
    from kelm.gotemplate import ExecError

    with pytest.raises(ExecError) as err:
        render('{{ if .t }}\n  {{ $x := index .l 5 }}{{ end }}', {"t": True, "l": []}, name="t")
    assert str(err.value).startswith('template: t:2:11: executing "t" at <index .l 5>:')
