"""Differential fuzzing against the real Helm (developer tool, not run by pytest).

    .venv/bin/python tests/gotemplate/fuzz_oracle.py [SEED] [COUNT]

Generates random templates from the language's constructs (pipelines, builtins, if/with/range,
variables, break/continue, template calls, trim markers) over the conformance values, renders
each with Helm (one-template chart) and with kelm, and prints the differences.  Differences that
only come from Helm's own top-level objects (``.Capabilities`` pointer, ``common.Values`` type)
are expected.
"""

from __future__ import annotations

import random
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

from cases import VALUES  # noqa: E402
from record import run_case  # noqa: E402

from kelm.gotemplate import TemplateError  # noqa: E402
from tests.gotemplate.helm_emul import helm_error, load_values, render_like_helm  # noqa: E402

FIELDS = [".Values.k", ".Values.s", ".Values.num", ".Values.f", ".Values.big", ".Values.neg",
          ".Values.z", ".Values.t", ".Values.fa", ".Values.nul", ".Values.e", ".Values.l",
          ".Values.nl", ".Values.el", ".Values.m", ".Values.em", ".Values.nest.a",
          ".Values.nest.a.b.c", ".Values.missing", ".Values.mixed", ".Values.words",
          ".Values.nest.list", ".", "$x", "$e", "$i", ".Values.uni", ".Values.pct"]
LITS = ["1", "0", "-3", "1.5", '"a"', '""', "true", "false", "'x'", "0x10", "1e3", "nil"]
FUNCS = ["eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "len", "index", "print",
         "printf", "html", "js", "urlquery", "list", "dict"]
FORMATS = ["%v", "%s", "%d", "%q", "%T", "%v-%v", "%5.2f", "%x"]


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def atom(self, d: int = 0) -> str:
        x = self.r.random()
        if x < 0.45:
            return self.r.choice(FIELDS)
        if x < 0.7 or d > 2:
            return self.r.choice(LITS)
        return "(" + self.expr(d + 1) + ")"

    def expr(self, d: int = 0) -> str:
        r = self.r
        if r.random() < 0.3:
            return self.atom(d)
        fn = r.choice(FUNCS)
        if fn in ("not", "len"):
            return f"{fn} {self.atom(d)}"
        if fn == "printf":
            args = " ".join(self.atom(d) for _ in range(r.randint(0, 2)))
            return f'printf "{r.choice(FORMATS)}" {args}'
        e = f"{fn} " + " ".join(self.atom(d) for _ in range(r.randint(1, 3)))
        return self.atom(d) + " | " + e if r.random() < 0.2 else e

    def stmt(self, d: int = 0) -> str:
        x = self.r.random()
        if x < 0.4 or d > 2:
            return "{{ " + self.expr() + " }}"
        if x < 0.55:
            els = "{{ else }}" + self.body(d + 1) if self.r.random() < 0.5 else ""
            return "{{ if " + self.expr() + " }}" + self.body(d + 1) + els + "{{ end }}"
        if x < 0.7:
            decl = self.r.choice(["$i, $e := ", "$e := ", ""])
            els = "{{ else }}E" if self.r.random() < 0.3 else ""
            return "{{ range " + decl + self.atom() + " }}" + self.body(d + 1) + els + "{{ end }}"
        if x < 0.8:
            return "{{ with " + self.expr() + " }}" + self.body(d + 1) + "{{ end }}"
        if x < 0.86:
            return "{{ $x = " + self.expr() + " }}"
        if x < 0.9:
            return self.r.choice(["{{ break }}", "{{ continue }}"])
        if x < 0.94:
            return '{{ template "d" ' + self.atom() + " }}"
        return self.r.choice([" ", "\n", "{{- 1 }}", "{{ 2 -}}", "txt"])

    def body(self, d: int) -> str:
        return "|".join(self.stmt(d) for _ in range(self.r.randint(1, 3)))

    def template(self) -> str:
        return ('{{ define "d" }}[{{ . }}]{{ end }}{{ $x := 0 }}{{ $e := 1 }}{{ $i := 2 }}'
                + self.body(0))


def main() -> None:
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    gen = Gen(seed)
    tpls = [gen.template() for _ in range(count)]
    values, sets = VALUES["V1"], ("k=5",)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda t: run_case(t, values, sets), tpls))
    bad = 0
    for tpl, res in zip(tpls, results, strict=True):
        want = "OUT:" + res["out"] if "out" in res else "ERR:" + res["err"]
        try:
            got = "OUT:" + render_like_helm(tpl, load_values(values, list(sets)))
        except TemplateError as e:
            got = "ERR:" + helm_error(e)
        if got != want:
            bad += 1
            print("TPL ", repr(tpl), "\nWANT", repr(want)[:400], "\nGOT ", repr(got)[:400])
    print(f"{bad} differences in {count} templates")


if __name__ == "__main__":
    main()
