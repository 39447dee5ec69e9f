"""The persistent parse-tree cache (kelm.gotemplate.treecache)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kelm.gotemplate import nodes as N
from kelm.gotemplate import treecache
from kelm.gotemplate.parser import parse
from kelm.gotemplate.template import merged_funcs

TEXTS = [
    "plain text only\n",
    '{{- define "a.b" -}}x: {{ .Values.a | default "d" | quote }}{{- end }}\nbody {{ include "a.b" . }}',
    "{{ $x := 1 }}{{ range $i, $v := .l }}{{ if and $v (gt $i 0) }}{{ $x = $v }}{{ else }}-"
    "{{ end }}{{ end }}{{ $x }}",
    "{{ with .a }}{{ .b.c }}{{ else with .d }}{{ . }}{{ end }}{{/* c */}}{{ 1.5e3 }} {{ 0x1F }}"
    " {{ 'a' }} {{ nil | print }} {{ true }} {{ (.x).y.z }} {{ template \"t\" . }}",
    "{{ range .l }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ break }}{{ end }}",
    "  {{- /* trimmed comment */ -}}  \n  text  {{- .x -}}  more",
]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("KELM_NO_CACHE", raising=False)
    treecache.reset()
    yield
    treecache.reset()


FUNCS = merged_funcs({"include": len, "default": len, "quote": len, "template": len})


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, N.Node):
        return all(_same(getattr(a, s), getattr(b, s))
                   for k in type(a).__mro__ for s in getattr(k, "__slots__", ()))
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _stored(name: str, text: str, funcs: Any = FUNCS) -> dict[str, N.Tree]:
    trees = parse(name, text, funcs)
    treecache.store(name, text, funcs, trees)
    treecache.flush()
    treecache.reset()  # as a new process
    return trees


@pytest.mark.parametrize("text", TEXTS)
def test_round_trip_gives_the_parsers_trees(text: str) -> None:
    trees = _stored("t.yaml", text)
    loaded = treecache.load("t.yaml", text, FUNCS)
    assert loaded is not None and set(loaded) == set(trees)
    for name, tree in trees.items():
        got = loaded[name]
        assert (got.name, got.parse_name, got.text, got.nesting) == (
            tree.name, tree.parse_name, tree.text, tree.nesting)
        assert _same(got.root, tree.root) and str(got.root) == str(tree.root)


def test_other_name_is_renamed_like_a_parse() -> None:
    text = TEXTS[1]
    _stored("one/x.yaml", text)
    loaded = treecache.load("two/x.yaml", text, FUNCS)
    fresh = parse("two/x.yaml", text, FUNCS)
    assert loaded is not None and set(loaded) == set(fresh) == {"a.b", "two/x.yaml"}
    assert all(t.parse_name == "two/x.yaml" for t in loaded.values())


def test_not_reused_when_names_appear_in_the_text_or_functions_are_missing() -> None:
    text = '{{ define "b.yaml" }}B{{ end }}{{ include "b.yaml" . }}'
    _stored("a.yaml", text)
    assert treecache.load("a.yaml", text, FUNCS) is not None
    assert treecache.load("b.yaml", text, FUNCS) is None  # parsing must decide
    assert treecache.load("a.yaml", text, merged_funcs({"default": len})) is None
    assert treecache.load("a.yaml", text + " ", FUNCS) is None  # another text


def test_disabled_and_corrupt_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    _stored("t", TEXTS[2])
    Path(treecache._path(TEXTS[2])).write_bytes(b"\x00junk")
    assert treecache.load("t", TEXTS[2], FUNCS) is None
    monkeypatch.setenv("KELM_NO_CACHE", "1")
    _stored("t", TEXTS[3])
    assert treecache.load("t", TEXTS[3], FUNCS) is None


def test_loaded_trees_build_their_nodes_on_first_use() -> None:
    text = '{{ define "empty" }}  {{/* only a comment */}} {{ end }}{{ define "x" }}{{ .a }}{{ end }}'
    _stored("t", text)
    loaded = treecache.load("t", text, FUNCS)
    assert loaded is not None
    assert all(t._lazy is not None for t in loaded.values())  # nothing built yet
    assert loaded["empty"].is_empty() and not loaded["x"].is_empty()
    assert loaded["t"].is_empty()  # the file's own body: only defines
    assert all(t._lazy is not None for t in loaded.values())  # emptiness came stored
    assert str(loaded["x"].root) == "{{.a}}" and loaded["x"]._lazy is None
    copy = loaded["x"].renamed("x", "other")
    assert copy.root is loaded["x"].root
