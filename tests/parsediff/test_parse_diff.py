"""Differential test: the optimised lexer/parser against the pre-optimisation ones (loaded
from git history by :mod:`.reference`, parsing token by token).

Both must give identical trees (same ``str``, same node classes, positions and fields, same
tree names in the same order, same nesting) or identical ParseError texts, on every template
of the shared chart corpus and on thousands of generated and mutated template texts.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Container, Iterator
from typing import Any

import pytest

from kelm.gotemplate import parser as new_parser
from kelm.gotemplate.errors import ParseError
from kelm.gotemplate.nodes import Node, Tree
from tests.shared import SHARED, needs_shared

from . import reference

REF_PARSE = reference.load()
pytestmark = pytest.mark.skipif(REF_PARSE is None, reason="git history not available")
CORPUS = SHARED / "charts" / "charts"


def _slots(cls: type) -> list[str]:
    names: list[str] = []
    for k in reversed(cls.__mro__):
        for s in getattr(k, "__slots__", ()):
            if s not in names:
                names.append(s)
    return names


def node_sig(node: Any) -> Any:
    """A node as nested tuples: class, then every slot (children recursively)."""
    if isinstance(node, Node):
        return (type(node).__name__,) + tuple(
            (s, node_sig(getattr(node, s, None))) for s in _slots(type(node)))
    if isinstance(node, list):
        return [node_sig(x) for x in node]
    if isinstance(node, complex):
        return ("complex", repr(node))
    if isinstance(node, float):
        return ("float", repr(node))
    return node


def outcome(parse: Callable[..., dict[str, Tree]], text: str, funcs: Container[str]) -> Any:
    try:
        trees = parse("t.yaml", text, funcs)
    except ParseError as e:
        return ("error", str(e), e.line)
    except RecursionError:
        return ("recursion",)
    return [(name, t.name, t.parse_name, t.nesting, str(t.root), node_sig(t.root))
            for name, t in trees.items()]


def check_same(text: str, funcs: Container[str]) -> None:
    old = outcome(REF_PARSE, text, funcs)  # type: ignore[arg-type]
    new = outcome(new_parser.parse, text, funcs)
    if old != new:
        pytest.fail(f"parsers differ on {text!r}:\n old: {str(old)[:600]}\n new: {str(new)[:600]}")


def helm_funcs() -> Container[str]:
    from kelm.funcs import lazy_funcs
    from kelm.gotemplate.template import merged_funcs

    return merged_funcs(lazy_funcs())  # Helm's function map (kelm.render.helmfuncs)


SMALL_FUNCS = {"printf": 1, "include": 1, "quote": 1, "and": 1, "eq": 1, "not": 1,
               "default": 1, "toYaml": 1, "nindent": 1, "break": 1, "if": 1, "nil": 1,
               "true": 1}


def corpus_texts() -> Iterator[str]:
    for d in sorted(CORPUS.iterdir()):
        for p in sorted(d.rglob("templates/**/*")):
            if p.is_file():
                yield p.read_bytes().decode("utf-8", "replace")


@needs_shared(CORPUS, "the shared chart corpus")
def test_every_corpus_template_parses_identically() -> None:
    funcs = helm_funcs()
    n = 0
    for text in corpus_texts():
        check_same(text, funcs)
        n += 1
    assert n > 1000


# -- generated texts --------------------------------------------------------------------------

GOOD_WORDS = [".", ".a", ".Values.x", ".a.b.c", "$", "$x", "$.a", "$x.y", "include",
              "printf", "quote", "nindent", "toYaml", "default", "eq", "and", "not", "true",
              "false", "nil", '"s"', '"a\\"b"', '"\\x41\\u00e9"', "`raw`", "`a\nb`", "1", "-1",
              "+2", "007", "1.5", "._a", ".a1_2", ".é", '"|}}"', "` -}}`", "(.a)", '(include "x" .)',
              "(.a).b", "(eq (quote .a) 1)", "( .a | quote )", "((.a))", "(((.a)))",
              "((((.a))))", '(printf "(%s)" $x).y.z', "(1).b", "(.a|quote)"]
PIPED_WORDS = ["quote", "nindent", "toYaml", "default", "printf", ".a", "$x.y", "not", "eq"]
BAD_WORDS = ["$y", "$é", "(.a)(.b)", ".a(.b)", "( )", "(.a |)", "($z := 1)", "(.a).", "$undefined", "nosuchfunc", "if", "end", "else", "range", "with", "break",
             "template", "define", "block", '"bad\\q"', "99999999999999999999", "0x1F", "1e3",
             "'a'", "1i", "é", "²", ".²", "1_000", ".5", "1.", "-", "1.5.3",
             ".a.", "$x.1", ".a(", "print)"]
SEPS = [" ", "  ", "\t", "\n", " | ", "|", " |", "| ", "\n|\n", " ", " | ", ""]
GOOD_PREFIXES = ["", "", "", "", "if ", "range ", "with ", 'template "x" ', "template `x` ",
                 "$x := ", "$x = ", "$x:=", "$y :=\n", "if $x := ", "range $i, $v := ",
                 "range $i,$v:=", "with $x := ", "range $v := "]
BAD_PREFIXES = ["else if ", "else with ", "else ", "end ", 'block "b" ', 'define "d" ',
                "$i, $v := ", "$i, $v = ", "if $i, $v := ", "break ", "continue ", "/* c */ ",
                'template "x', "template x "]
LEFTS = ["{{", "{{ ", "{{- ", "{{\n", "{{-\t", "{{-"]
RIGHTS = ["}}", " }}", " -}}", "\n-}}", "\t}}", "-}}", " - }}"]
TEXTS = ["", "x", " \n ", "a: b\n", "\n\n", "  "]
INSERTS = ["{{", "}}", "-", " ", '"', "'", "`", "(", ")", "|", "{{/*", "*/}}", "{{ end }}",
           "{{ else }}", "{{ if .a }}", "\n", ":=", ",", "$", ".", "\\", "{{- ", " -}}", "}"]


def gen_action(rng: random.Random, bad: float = 0.1, controls: bool = True) -> str:
    """An action of random words; each part is a bad choice with probability ``bad``
    (``controls``: may open an if/range/with)."""
    def pick(good: list[str], bad_list: list[str]) -> str:
        return rng.choice(bad_list if rng.random() < bad else good)

    n = rng.choice([1, 1, 2, 3, 4, 6]) if rng.random() > bad else 0
    body = ""
    for i in range(n):
        sep = rng.choice(SEPS) if i else ""
        piped = "|" in sep and rng.random() < 0.95
        body += sep + pick(PIPED_WORDS if piped else GOOD_WORDS, BAD_WORDS)
        if body.endswith("|") and i == n - 1 and rng.random() < 0.7:
            body += " .z"
    if rng.random() < 0.1:
        body = "(" + body + ")" + rng.choice(["", ".a", " .b"])
    prefix = pick(GOOD_PREFIXES if controls else GOOD_PREFIXES[:4] + GOOD_PREFIXES[7:13],
                  BAD_PREFIXES)
    return pick(LEFTS[:5], LEFTS[5:]) + prefix + body + pick(RIGHTS[:5], RIGHTS[5:])


def gen_text(rng: random.Random, bad: float) -> str:
    parts = []
    for _ in range(rng.randint(1, 8)):
        parts.append(rng.choice(TEXTS))
        parts.append(gen_action(rng, bad, False))
    parts.append(rng.choice(TEXTS))
    return "".join(parts)


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        if not text:
            return rng.choice(INSERTS)
        op = rng.random()
        i = rng.randrange(len(text) + 1)
        if op < 0.25:
            text = text[:i]
        elif op < 0.7:
            text = text[:i] + rng.choice(INSERTS) + text[i:]
        elif op < 0.85:
            j = min(len(text), i + rng.randint(1, 10))
            text = text[:i] + text[j:]
        else:
            j = min(len(text), i + rng.randint(1, 30))
            text = text[:i] + text[i:j] + text[i:]
    return text


def balanced(rng: random.Random) -> str:
    """Well-formed nesting (most generated texts are errors; these mostly parse)."""
    def block(depth: int) -> str:
        out = ["{{- $x := .a }}" if depth < 2 and rng.random() < 0.8 else ""]
        for _ in range(rng.randint(1, 4)):
            r = rng.random()
            if depth < 3 and r < 0.35:
                kw = rng.choice(["if", "with", "range"])
                decl = rng.choice(["", "", "$x := ", "$i, $v := "] if kw == "range"
                                  else ["", "", "$x := "])
                head = rng.choice(LEFTS[:5]) + kw + " " + decl + rng.choice(
                    [".a", "$x", "eq .a 1", "and .a (not .b)", ".a.b | default 1",
                     'include "x" .']) + rng.choice(RIGHTS[:5])
                els = ""
                if rng.random() < 0.4:
                    els = rng.choice(LEFTS[:5]) + rng.choice(
                        ["else", "else if .b", "else with .c", "else if $x", "else  if  .b"]
                        + (["else if .b | not", "else with $y := .a"] if kw == "if" else [])
                    ) + rng.choice(RIGHTS[:5]) + block(depth + 1)
                out.append(head + block(depth + 1) + els + rng.choice(LEFTS[:5]) + "end"
                           + rng.choice(RIGHTS[:5]))
            elif depth == 0 and r < 0.45:
                out.append('{{ define "d' + str(rng.randint(0, 3)) + '" }}' + block(1)
                           + "{{ end }}")
            else:
                out.append(rng.choice(TEXTS) + gen_action(rng, 0.01, False) + rng.choice(TEXTS))
        return "".join(out)
    return block(0)


@pytest.mark.parametrize("seed", range(8))
def test_generated_texts_parse_identically(seed: int) -> None:
    rng = random.Random(seed)
    funcs_choices = [helm_funcs(), SMALL_FUNCS]
    for _ in range(500):
        funcs = rng.choice(funcs_choices)
        r = rng.random()
        text = balanced(rng) if r < 0.5 else gen_text(rng, 0.0 if r < 0.7 else 0.3)
        check_same(text, funcs)
        check_same(mutate(rng, text), funcs)


@needs_shared(CORPUS, "the shared chart corpus")
def test_mutated_corpus_texts_parse_identically() -> None:
    rng = random.Random(7)
    funcs = helm_funcs()
    texts = [t for t in corpus_texts() if "{{" in t]
    for _ in range(3000):
        text = rng.choice(texts)
        if len(text) > 3000:  # a window keeps the test fast and errors anywhere likely
            i = rng.randrange(len(text) - 2000)
            text = text[i:i + 2000]
        check_same(mutate(rng, text), funcs)
