"""Write the golden specs for sprig's strings, conversion, math and defaults groups
(developer tool, not a test).

    python tests/funcs/gen_specs_core.py && for g in strings conversion math defaults; do
        python tests/funcs/record.py tests/funcs/specs/$g.json tests/golden/funcs/$g.json; done

Each case prints the result and its Go type (``%v|%T``) so int vs int64 vs float64 shows.
Arguments come from values.yaml (``.Values.f*``: float64), ``--set`` (``.Values.n*``: int64),
template literals (Go int / float64 / string) or are missing (nil).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SPECS = Path(__file__).resolve().parent / "specs"

VALUES = """\
s: hello world
su: "héllo wörld ünï"
sp: "  padded \\t\\n"
sempty: ""
snum: "42"
shex: "0x1F"
sflt: "1.5"
sflt0: "2.0"
soct: "0777"
sneg: "-7"
sml: "line1\\nline2\\n\\nline4"
f15: 1.5
f39: 3.9
fn39: -3.9
f1e6: 1000000
f0: 0
fneg0: -0.0
f25: 2.5
fbig: 1.0e+20
f7: 7
l: [a, null, 1.5, b]
li: [3, 1, 2]
le: []
m: {b: 2, a: 1}
me: {}
bt: true
bf: false
nul: null
"""
SETS = ["n=5", "nneg=-7", "nz=0", "nbig=9223372036854775807", "ss=1.5", "sb=true", "nmin=-9223372036854775808"]

# argument names -> template expression
A = {
    "s": ".Values.s",
    "su": ".Values.su",
    "sp": ".Values.sp",
    "sempty": ".Values.sempty",
    "snum": ".Values.snum",
    "shex": ".Values.shex",
    "sflt": ".Values.sflt",
    "sflt0": ".Values.sflt0",
    "soct": ".Values.soct",
    "sneg": ".Values.sneg",
    "sml": ".Values.sml",
    "f15": ".Values.f15",
    "f39": ".Values.f39",
    "fn39": ".Values.fn39",
    "f1e6": ".Values.f1e6",
    "f0": ".Values.f0",
    "fneg0": ".Values.fneg0",
    "f25": ".Values.f25",
    "fbig": ".Values.fbig",
    "f7": ".Values.f7",
    "l": ".Values.l",
    "li": ".Values.li",
    "le": ".Values.le",
    "m": ".Values.m",
    "me": ".Values.me",
    "bt": ".Values.bt",
    "bf": ".Values.bf",
    "nul": ".Values.nul",
    "missing": ".Values.missing",
    "n": ".Values.n",
    "nneg": ".Values.nneg",
    "nz": ".Values.nz",
    "nbig": ".Values.nbig",
    "nmin": ".Values.nmin",
    "ss": ".Values.ss",
    "sb": ".Values.sb",
}


def _expr(tok: str) -> str:
    return A.get(tok, tok)


def _tokens(args: str) -> list[str]:
    """Split on spaces outside quotes and parentheses."""
    out, cur, depth, quote, esc = [], "", 0, "", False
    for ch in args:
        if quote:
            cur += ch
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == " " and depth == 0:
            if cur:
                out.append(cur)
            cur = ""
            continue
        cur += ch
    if cur:
        out.append(cur)
    return out


def case(fn: str, args: str, cid: str | None = None, show: str = "vt") -> dict:
    """``args`` is a space-separated list of argument names (from A) or literal tokens."""
    call = " ".join([fn] + [_expr(t) for t in _tokens(args)])
    if show == "vt":
        tpl = "{{ $r := " + call + " }}{{ printf \"%v|%T\" $r $r }}"
    elif show == "q":
        tpl = "{{ $r := " + call + " }}{{ printf \"%q|%T\" $r $r }}"
    else:
        tpl = "{{ " + call + " }}"
    slug = cid or (args.replace(" ", "_").replace('"', "").replace("(", "").replace(")", "") or "noargs")
    return {"id": f"{fn}-{slug}"[:120], "template": tpl, "values": VALUES, "set": SETS}


def raw(cid: str, tpl: str) -> dict:
    return {"id": cid, "template": tpl, "values": VALUES, "set": SETS}


def strings_specs() -> list[dict]:
    c: list[dict] = []
    add = c.append
    for a in ("s", "su", "sempty", '"ß straße ǆ İ"', "missing", "f15", "n", "1"):
        add(case("upper", a, show="q"))
    for a in ("s", '"HeLLo ÀÉÎ İSTANBUL Σ"', "sempty", "n", "nul"):
        add(case("lower", a, show="q"))
    for a in ("sp", '"\\u00a0\\u2003x\\u0085\\u001c"', "sempty", "s", "f15"):
        add(case("trim", a, show="q"))
    for name in ("trimAll", "trimall"):
        for a in ('"$" "$$5.00$"', '"ab" "abcba"', '"" "xx"', '"é" "éaé"', '"$" n'):
            add(case(name, a, show="q"))
    for a in ('"pre" "prefix"', '"x" "prefix"', '"" "abc"', '"abc" "abc"', "s sempty", '"a" f15'):
        add(case("trimPrefix", a, show="q"))
    for a in ('"fix" "prefix"', '"x" "prefix"', '"" "abc"', '"abc" "abc"', '"a" n'):
        add(case("trimSuffix", a, show="q"))
    for name in ("contains", "hasPrefix", "hasSuffix"):
        for a in ('"ell" "hello"', '"he" "hello"', '"lo" "hello"', '"" ""', '"x" "hello"', '"1" n'):
            add(case(name, a))
    for a in ('3 "ab"', '0 "ab"', '-1 "ab"', 'n "ab"', '2 ""', '3 f15'):
        add(case("repeat", a, show="q"))
    for a in ('" " "-" "a b c"', '"" "-" "abc"', '"x" "y" ""', '"ö" "o" su', '"a" "b" n', "s s s"):
        add(case("replace", a, show="q"))
    for a in ('"one" "many" 1', '"one" "many" 2', '"one" "many" 0', '"one" "many" -1',
              '"one" "many" n', '"one" "many" f15'):
        add(case("plural", a))
    for name in ("indent", "nindent"):
        for a in ("2 sml", "0 s", '4 ""', "-1 s", "n s", '2 "a\\r\\nb"', "2 f15"):
            add(case(name, a, show="q"))
    for a in ("s", "f1e6", "f15", "fneg0", "n", "nul", "missing", "l", "m", "bt", "1000000",
              "(list 1 2)", "(dict \"a\" nil)", "1.50", "(semver \"1.2.3\")", "(b64dec \"aGk=\")"):
        add(case("toString", a, show="q"))
    for a in ("l", "li", "le", "(list 1 \"a\" nil 2.5)", "(splitList \",\" \"a,b\")", "s", "nul",
              "m", "n", "f1e6"):
        add(case("toStrings", a))
    for a in ('"," l', '"-" li', '"," le', '", " (list 1 "a" nil true)', '"," s', '"," nul',
              '"," m', '"/" (splitList "," "x,y")', '"," f1e6', '"," n'):
        add(case("join", a, show="q"))
    for a in ('(list "b" "a" "C" 10 2)', "l", "li", "le", "s", "nul", "m", "n",
              '(list "é" "e" "z" "É")', "(splitList \",\" \"b,a\")"):
        add(case("sortAlpha", a))
    for a in ('"," "a,b,,c"', '"" "abc"', '"," ""', '"x" s', '", " "a, b"', '"," n'):
        add(case("split", a))
    for a in ('"," 2 "a,b,c"', '"," 0 "a,b,c"', '"," -1 "a,b,c"', '"," 1 "a,b,c"', '"" 2 "abc"',
              '"," 5 "a,b"', '"," n "a,b"'):
        add(case("splitn", a))
    for a in ('"," "a,b,,c"', '"" "abc"', '"," ""', '"x" s', '"," f15', '"/" "a/b/"'):
        add(case("splitList", a))
    for a in ('"42"', '"-42"', '"+42"', '"4x"', '""', '"0x1F"', '"1_000"', '" 42"',
              '"99999999999999999999"', "snum", "sflt", "n", "f15"):
        add(case("atoi", a))
    for a in ("s", '"a" 1 nil "b"', "nul", "missing", "f1e6", "n", '"a\\"b\\n"', "l", "m", "bt",
              "(b64dec \"aGk=\")", "su", "", '"\\u0001\\u00a0é"', "(semver \"1.2.3\")"):
        add(case("quote", a, cid=None if a else "noargs"))
    for a in ("s", '"a" 1 nil "b"', "nul", "f1e6", "n", "\"it's\"", "l", "m", "", "(b64dec \"aGk=\")"):
        add(case("squote", a, cid=None if a else "noargs"))
    for a in ('"a" nil 1 "b"', "s f15 n", "nul", "", "l m", '"" ""', "f1e6 fneg0"):
        add(case("cat", a, cid=None if a else "noargs", show="q"))
    for a in ('5 "hello world"', '-5 "hello world"', '0 "hello"', '20 "hello"', '-20 "hello"',
              '2 su', '-2 su', 'n s', '3 f15', '1 ""'):
        add(case("trunc", a, show="q"))
    for a in ('1 3 "hello"', '2 99 "hello"', '-1 2 "hello"', '0 -1 "hello"', '3 1 "hello"',
              '6 99 "hello"', '-1 10 "hello"', '-1 -1 "hello"', '1 3 su', '0 0 ""', 'n 3 s',
              '1 2 f15', '6 -1 "hello"', '5 5 "hello"'):
        add(case("substr", a, show="q"))
    for a in ('5 "hello world"', '3 "hello world"', '20 "hello"', '4 "hello"', '0 ""', '6 su',
              'n s', '5 f15', '-1 "hello world"'):
        add(case("abbrev", a, show="q"))
    for a in ('5 10 "1234 5678 9123 4567"', '0 10 "1234 5678 9123 4567"',
              '10 15 "abcdefghijklmnopqrstuvwxyz"', '1 6 "abcdefghij"', '0 3 "abcdefghij"',
              '20 10 "abcdefghijklmnopqrstuvwxyz"', '-5 10 "abcdefghijklmnopqrstuvwxyz"',
              '3 7 "abcdefghij"', '5 10 ""', '1 2 f15'):
        add(case("abbrevboth", a, show="q"))
    for a in ('5 "hello world foo"', '10 "The quick brown fox jumps"', '3 "abcdefgh ij"',
              '0 "a b c"', '5 ""', '5 "  lead  and   spaces  "', '4 "ab\\ncd ef gh"', '5 su',
              'n s', '5 f15'):
        add(case("wrap", a, show="q"))
    for a in ('5 "<br>" "hello world foo"', '3 "|" "abcdefgh ij"', '10 "\\n\\t" "The quick brown fox"',
              '0 "-" "abc"', '4 "" "ab cd ef"', '5 "+" su'):
        add(case("wrapWith", a, show="q"))
    for a in ('"First Try"', '"  lots   of  space "', '""', "su", '"élan vital"', '"a\\tb\\nc"',
              '"ą x"', "f15"):
        add(case("initials", a, show="q"))
    for a in ('"a b\\tc\\nd"', '"nospace"', '""', "su", '"ą ę"', '"x\\u00a0y"', '"日本 語"', "sp", "n"):
        add(case("nospace", a, show="q"))
    for a in ('"hello wORLD foo-bar"', '"hello_world x.y a1b"', '"ǆemal ßa élan"', '""', "s",
              '"hello\\tworld\\u00a0x"', "f15", '"a\'b c(d) 1st"'):
        add(case("title", a, show="q"))
    for a in ('"Hello World"', '"HELLO WORLD"', '""', '"Élan Vital"', '"A-B C_D"', '"x\\tY"', "n"):
        add(case("untitle", a, show="q"))
    for a in ('"This Is A Test"', '"hello WORLD"', '""', '"ǅx ǆ"', '"Élan 1a"', '"a b"', "f15"):
        add(case("swapcase", a, show="q"))
    for a in ('"http_server"', '"some words"', '"GOLANG_IS_GREAT"', '"_complex__case_"',
              '"helloWorld"', '"HTTPServer"', '"a"', '""', '"foo-bar baz"', '"x__"', '"--a"',
              '"FOO bar"', '"éa_éb"', '"a1_b2"', "s", "f15"):
        add(case("camelcase", a, show="q"))
    for name in ("snakecase", "kebabcase"):
        for a in ('"FirstName"', '"HTTPServer"', '"NoHTTPS"', '"GO_PATH"', '"GO PATH"', '"GO-PATH"',
                  '"http2xx"', '"HTTP20xOK"', '"Duration2m3s"', '"Bld4Floor3rd"', '"a.b"',
                  '"already_snake"', '""', '"ÉtéÀ"', '"x--y"', '"ABC"', '"aB1cD"', "s", "f15"):
            add(case(name, a, show="q"))
    add(case("hello", "", cid="noargs"))
    add(raw("hello-args", "{{ hello 1 }}"))
    # random functions: shape only
    for name in ("randAlphaNum", "randAlpha", "randAscii", "randNumeric"):
        add(raw(f"{name}-len5", "{{ len (" + name + " 5) }}"))
        add(raw(f"{name}-len0", "{{ len (" + name + " 0) }}|{{ " + name + " -3 | len }}"))
        add(raw(f"{name}-type", "{{ printf \"%T\" (" + name + " 3) }}"))
        add(raw(f"{name}-int64", "{{ " + name + " .Values.n }}"))
        add(raw(f"{name}-float", "{{ " + name + " .Values.f15 }}"))
    add(raw("shuffle-len", "{{ shuffle \"abcdef\" | len }}|{{ shuffle \"\" }}|{{ shuffle \"a\" }}"))
    add(raw("shuffle-sorted", "{{ shuffle \"cba\" | splitList \"\" | sortAlpha | join \"\" }}"))
    add(raw("shuffle-unicode", "{{ shuffle \"ééé\" }}"))
    add(raw("shuffle-int", "{{ shuffle 5 }}"))
    add(raw("shuffle-type", "{{ printf \"%T\" (shuffle \"ab\") }}"))
    # argument type errors seen through the engine
    for t in ("{{ upper 1 }}", "{{ upper .Values.f15 }}", "{{ upper nil }}", "{{ upper }}",
              "{{ upper \"a\" \"b\" }}", "{{ trunc .Values.f15 \"abc\" }}", "{{ trunc .Values.n \"abc\" }}",
              "{{ trunc \"3\" \"abc\" }}", "{{ indent .Values.missing \"a\" }}", "{{ repeat 2 .Values.missing }}",
              "{{ substr 1 }}", "{{ \"abc\" | upper | repeat 2 }}", "{{ contains \"a\" .Values.l }}"):
        add(raw("argerr-" + t.strip("{} ").replace(" ", "_").replace('"', ""), t))
    # found by fuzzing (tests/funcs/fuzz_oracle.py)
    for fn, a in (("camelcase", '"-"'), ("camelcase", '"\\n"'), ("camelcase", '" _ "'),
                  ("upper", '"ᾳ ﬁ ŉ ǰ"'), ("swapcase", '"ᾳ ᾼ"'), ("title", '"ᾳbc ǆx"'),
                  ("lower", '"ᾼ ẞ Ⅻ"'), ("untitle", '"ǅx Ⓐb"')):
        add(case(fn, a, cid="fuzz-" + a.strip('"'), show="q"))
    # invalid UTF-8 (a multi-byte rune cut by trunc) through rune-based functions
    for fn in ("upper", "lower", "title", "untitle", "swapcase", "camelcase", "quote", "toString",
               "nospace", "initials", "trim", "snakecase"):
        add(raw(f"{fn}-invalid-utf8", "{{ $r := trunc 2 .Values.su | " + fn + " }}{{ printf \"%q\" $r }}"))
    add(raw("shuffle-invalid-utf8", "{{ $r := trunc 2 .Values.su | shuffle }}{{ len $r }}"))
    # objects from Helm's scope
    for t in ("{{ toString .Release }}", "{{ toString .Release.Revision }}|{{ quote .Release.Revision }}",
              "{{ toString .Chart.Name | upper }}",
              "{{ cat .Release.Name .Release.Revision .Values.missing }}",
              "{{ squote .Release.Name .Release.IsInstall }}",
              "{{ toString .Capabilities.KubeVersion }}|{{ quote .Capabilities.KubeVersion }}",
              "{{ .Capabilities.KubeVersion }}|{{ cat .Capabilities.KubeVersion.Version }}",
              "{{ toString .Capabilities.HelmVersion }}|{{ toStrings .Capabilities.APIVersions | len }}"):
        add(raw("scope-" + t.strip("{} ").replace(" ", "_").replace('"', "")[:60], t))
    # wrong argument counts
    for t in ("{{ join \",\" }}", "{{ sortAlpha }}", "{{ toString 1 2 }}", "{{ toStrings }}",
              "{{ wrapWith 5 \"x\" }}", "{{ trim }}", "{{ lower \"a\" \"b\" }}",
              "{{ trimAll \"a\" }}", "{{ trimSuffix \"a\" }}"):
        add(raw("argcount-" + t.strip("{} ").replace(" ", "_").replace('"', ""), t))
    return c


def conversion_specs() -> list[dict]:
    c: list[dict] = []
    for name in ("int", "int64"):
        for a in ("f39", "fn39", "f1e6", "f15", "fneg0", "fbig", "n", "nneg", "nbig", "nmin", "ss",
                  "snum", "shex", "sflt", "sflt0", "soct", "sneg", "s", "sempty", "bt", "bf", "nul",
                  "missing", "l", "m", "3", "1.9", '"1e3"', '"0b101"', '"0o17"', '"1_000"', '"0_7"',
                  '"08"', '"+5"', '" 5"', '"9223372036854775808"', '".0"', '"1."', '"10.000"',
                  '"0x"', '"-0x10"', "'a'", "(float64 \"inf\")", "(float64 \"NaN\")"):
            c.append(case(name, a))
    for a in ("f39", "f1e6", "fneg0", "n", "nbig", "ss", "snum", "shex", "sflt", "s", "sempty", "bt",
              "bf", "nul", "missing", "l", "m", "3", '"1e3"', '"inf"', '"-Infinity"', '"nan"',
              '"+nan"', '"1_000.5"', '"0x1p-2"', '"0x1.8"', '"1e400"', '"1e-400"', '" 1.5"',
              '".5"', '"5."', '"1.5e+2"', '"1__0"', '"_1"', '"0x10"', '"1e"', "'a'"):
        c.append(case("float64", a))
    for a in ('"777"', '"0777"', '"8"', '"-17"', "f7", "f15", "f1e6", "n", "nneg", "nul", "bt",
              "777", '"0o17"', '"1_0"', '"+7"', "l", '""', '"7777777777777777777777"'):
        c.append(case("toDecimal", a))
    for t in ("{{ int }}", "{{ int64 1 2 }}", "{{ float64 }}", "{{ toDecimal }}",
              "{{ .Values.sflt | float64 | int }}", "{{ \"12\" | int | add 1 }}",
              "{{ int .Release.Revision | printf \"%T\" }}", "{{ toDecimal .Release.Revision }}"):
        c.append(raw("conv-" + t.strip("{} ").replace(" ", "_").replace('"', ""), t))
    return c


def math_specs() -> list[dict]:
    c: list[dict] = []
    add = c.append
    for a in ("1 2", '1 2 "3" 1.5', "", "f39 fn39", "n nneg", "nbig 1", "s snum", "bt nul missing",
              "l m", "f1e6 f1e6", "shex sflt sflt0", "(float64 \"inf\")", "1"):
        add(case("add", a, cid=None if a else "noargs"))
    for a in ("1", "1.9", "f39", "fn39", "n", "nbig", "s", "nul", "snum", "bt"):
        add(case("add1", a))
    for a in ("5 3", "f39 1", "n nneg", "nmin 1", "s 1", "nul nul", "3 1.9", "snum sflt0"):
        add(case("sub", a))
    for a in ("7 2", "-7 2", "7 -2", "1 0", "f39 f15", "n nneg", "nmin -1", "s 1", "0 nul",
              "10 snum", "f1e6 3"):
        add(case("div", a))
    for a in ("7 3", "-7 3", "7 -3", "1 0", "f39 f15", "n nneg", "nmin -1", "10 snum", "f1e6 7"):
        add(case("mod", a))
    for a in ("2 3", "2 3 4", "5", "f39 f39", "n nneg", "nbig 2", "s 2", '"3" "4"', "nul 5"):
        add(case("mul", a))
    for name in ("max", "min", "biggest"):
        for a in ("1 5.9 3", "1", "f39 fn39", "n nneg nz", "s snum", "nul -1", "nbig nmin", "l 2"):
            add(case(name, a))
    for a in ("1.1", "1.9", "-1.1", "f39", "fn39", "n", "s", "nul", "snum", "sflt", "-0.5", "fneg0",
              "(float64 \"inf\")", "fbig"):
        add(case("ceil", a))
        add(case("floor", a))
    for a in ("2.5 0", "-2.5 0", "1.2345 2", "1.5 0 0.6", "-2.4 0", "1234.5678 -2", "f39 0", "n 1",
              "s 1", "nul 0", "sflt 0", "2.675 2", "1.005 2", "0.5 0", "-0.4 0", "fbig 2",
              "1.5 0 0.5 0.9", "5 400", "5 -400", "(float64 \"inf\") 1"):
        add(case("round", a))
    for a in ("f15 0", "1.5 n", "1.5 \"0\"", "1.5 0 n", "1.5 0 \"0.5\""):
        add(case("round", a, cid="argerr-" + a.replace(" ", "_").replace('"', "")))
    for a in ("3", "0", "-3", "1", "n", "f15", '"3"'):
        add(case("until", a))
    for a in ("0 10 3", "5 0 -2", "0 10 0", "0 10 -1", "10 0 1", "0 0 1", "-3 3 2", "n 10 2",
              "0 f7 2"):
        add(case("untilStep", a))
    for a in ("3", "0", "-2", "1", "2 5", "5 2", "1 2 9", "9 -3 1", "1 -2 9", "9 2 1", "", "1 2 3 4",
              "0 0", "n", "f15", '"3"', "3 3", "0 0 5"):
        add(case("seq", a, cid=None if a else "noargs"))
    add(raw("randInt-range", "{{ $r := randInt 5 10 }}{{ and (ge $r 5) (lt $r 10) }}|{{ printf \"%T\" $r }}"))
    add(raw("randInt-single", "{{ randInt 3 4 }}"))
    add(raw("randInt-empty", "{{ randInt 3 3 }}"))
    add(raw("randInt-reverse", "{{ randInt 5 1 }}"))
    add(raw("randInt-int64", "{{ randInt .Values.n 10 }}"))
    for t in ("{{ sub 1 }}", "{{ div 1 }}", "{{ mod 1 2 3 }}", "{{ add1 }}", "{{ mul }}", "{{ max }}",
              "{{ min }}", "{{ biggest }}", "{{ ceil }}", "{{ floor 1 2 }}", "{{ round 1 }}",
              "{{ until }}", "{{ untilStep 1 2 }}", "{{ randInt 1 }}",
              "{{ .Values.n | add 1 | printf \"%T\" }}", "{{ range until 3 }}{{ . }}{{ end }}",
              "{{ len (until 4) }}", "{{ seq 3 | splitList \" \" | len }}",
              "{{ add .Release.Revision 1 }}"):
        add(raw("argcount-" + t.strip("{} ").replace(" ", "_").replace('"', "")[:60], t))
    add(raw("randInt-neg", "{{ $r := randInt -3 -1 }}{{ or (eq $r -3) (eq $r -2) }}"))
    return c


def defaults_specs() -> list[dict]:
    c: list[dict] = []
    add = c.append
    for a in ('"d" 0', '"d" "0"', '"d" ""', '"d" nul', '"d" missing', '"d"', '"d" bf', '"d" bt',
              '"d" f0', '"d" fneg0', '"d" nz', '"d" le', '"d" me', '"d" l', '"d" m', '"d" s',
              '"d" f15', 'nul nul', '"d" (dict)', '"d" (list)', '"d" "x" "y"', '"d" nul "y"',
              'f1e6 missing', '"d" (semver "1.2.3")', '"d" (b64dec "")'):
        add(case("default", a))
    for a in ("nul", "missing", '""', '"0"', "0", "0.0", "f0", "fneg0", "nz", "n", "bt", "bf",
              "le", "me", "l", "m", "s", "(list)", "(dict)", "(list nil)", '(semver "0.0.0")',
              '(b64dec "")', "sempty"):
        add(case("empty", a))
    for a in ('0 "" "x"', "nul missing", "", "f0 nz n", "le me l", "bf bt", '"" sempty "z"',
              "nul", "fneg0 f15"):
        add(case("coalesce", a, cid=None if a else "noargs"))
    for name in ("all", "any"):
        for a in ("1 2", '1 ""', "", "nul", "s l m", "le s", "bf", "bt", "f0 nz", "n f15"):
            add(case(name, a, cid=None if a else "noargs"))
    for a in ('"y" "n" true', '"y" "n" false', '"y" "n" bt', '"y" "n" bf', "nul s true", "l m false",
              '"y" "n" 1', '"y" "n" "x"', '"y" "n" nul', '"y" "n" sb', '"y" "n"'):
        add(case("ternary", a))
    add(raw("default-pipe", "{{ .Values.missing | default \"dflt\" }}|{{ .Values.s | default \"d\" }}"))
    add(raw("ternary-pipe", "{{ true | ternary \"a\" \"b\" }}|{{ .Values.bf | ternary 1 2 }}"))
    for t in ("{{ default }}", "{{ empty }}", "{{ empty 1 2 }}", "{{ ternary 1 2 true false }}",
              "{{ default \"d\" .Release.Name }}",
              "{{ coalesce .Values.missing .Release.Name }}",
              "{{ if empty .Values.le }}E{{ end }}|{{ if all 1 .Values.s }}A{{ end }}"):
        add(raw("extra-" + t.strip("{} ").replace(" ", "_").replace('"', "")[:60], t))
    return c


def _sources(tpl: str) -> list[str]:
    """Where the case's values come from, for readers of the golden files."""
    out = []
    for name in sorted(set(re.findall(r"\.Values\.(\w+)", tpl))):
        if name in ("missing", "nul"):
            out.append(f"{name}: nil")
        elif f"{name}=" in " ".join(SETS):
            out.append(f"{name}: --set (int64/string/bool)")
        else:
            out.append(f"{name}: values.yaml (float64/string/bool/list/map)")
    call = re.sub(r'\{\{ printf "[^"]*" \$r \$r \}\}$', "", tpl)
    if re.search(r"[ (]-?[0-9']", call) or '"' in call:
        out.append("template literals (Go int / float64 / string)")
    return out


def main() -> None:
    for name, fn in (("strings", strings_specs), ("conversion", conversion_specs),
                     ("math", math_specs), ("defaults", defaults_specs)):
        cases = fn()
        for x in cases:
            x["sources"] = _sources(x["template"])
        seen: dict[str, int] = {}
        for x in cases:
            k = x["id"]
            seen[k] = seen.get(k, 0) + 1
            if seen[k] > 1:
                x["id"] = f"{k}~{seen[k]}"
        (SPECS / f"{name}.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: {len(cases)} cases")


if __name__ == "__main__":
    main()
