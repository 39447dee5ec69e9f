"""Differential fuzzing of kelm's fmt and sprig core functions against the real Helm
(developer tool, not a test; needs the oracle).

    .venv/bin/python tests/funcs/fuzz_oracle.py strings|conv|printf|math SEED COUNT

Random templates are rendered by Helm (batched through one chart per 200 cases) and by kelm's
engine; every difference is printed.  Cases found this way belong in the golden specs.
"""
# ruff: noqa: E501, E702, E701, E731

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "src")]

from oracle import record  # noqa: E402

from kelm.funcs import all_funcs  # noqa: E402
from kelm.golang.fmt import quote  # noqa: E402
from kelm.gotemplate import render  # noqa: E402

ALPHA = list("abcXYZ019 _-.,!?'\"\t\n") + ["é", "É", "ß", "ǅ", "ǆ", "Σ", "ς", "日", "\u00a0", "\u2003", "😀", "İ", "ı", "ﬁ", "Ⓐ", "ⓐ", "\u0085", "Ǆ", "ῼ", "ᾳ", "ǈ", "ẞ", "Ⅻ", "ⅻ", "٣", "²", "ა", "Ꭰ", "ꭰ", "ŉ", "ǰ", "\u200b", "\u3000", "\u2028", "\x7f", "\x00", "&", "<", "Ω", "K", "µ", "ÿ", "Ÿ"]
def rs(n=None):
    n = random.randint(0, 12) if n is None else n
    return "".join(random.choice(ALPHA) for _ in range(n))
def gen_strings():
    fn1 = ["upper","lower","title","untitle","swapcase","camelcase","snakecase","kebabcase","initials","nospace","trim","toString","quote","squote","cat"]
    k = random.random()
    if k < 0.55:
        f = random.choice(fn1); return f"{{{{ {f} {quote(rs())} | printf \"%q\" }}}}"
    f = random.choice(["wrap","abbrev","trunc","indent","wrapWith","abbrevboth","substr","replace","trimAll","trimPrefix","trimSuffix","contains","repeat","split","splitn","plural"])
    n = random.randint(-3, 12)
    if f == "wrapWith": return f"{{{{ wrapWith {n} {quote(rs(2))} {quote(rs())} | printf \"%q\" }}}}"
    if f == "abbrevboth": return f"{{{{ abbrevboth {random.randint(-2,12)} {n} {quote(rs(random.randint(0,25)))} | printf \"%q\" }}}}"
    if f == "substr": return f"{{{{ substr {random.randint(-2,6)} {random.randint(-2,8)} {quote(rs())} | printf \"%q\" }}}}"
    if f in ("replace",): return f"{{{{ replace {quote(rs(1))} {quote(rs(2))} {quote(rs())} | printf \"%q\" }}}}"
    if f in ("trimAll","trimPrefix","trimSuffix","contains"): return f"{{{{ {f} {quote(rs(random.randint(0,3)))} {quote(rs())} | printf \"%q\" }}}}"
    if f == "repeat": return f"{{{{ repeat {random.randint(0,3)} {quote(rs(3))} | printf \"%q\" }}}}"
    if f == "split": return f"{{{{ split {quote(rs(1))} {quote(rs())} | printf \"%q\" }}}}"
    if f == "splitn": return f"{{{{ splitn {quote(rs(1))} {random.randint(-1,4)} {quote(rs())} | printf \"%q\" }}}}"
    if f == "plural": return f"{{{{ plural \"a\" \"b\" {n} }}}}"
    if f in ("wrap","abbrev") and random.random() < 0.5:
        words = " ".join(rs(random.randint(1,6)) for _ in range(random.randint(1,6)))
        return f"{{{{ {f} {n} {quote(words)} | printf \"%q\" }}}}"
    return f"{{{{ {f} {n} {quote(rs(random.randint(0,20)))} | printf \"%q\" }}}}"

A = list("0123456789") * 3 + list("+-._eExXoObBpP afinINFtyNn")
def digits(alpha="0123456789"):
    d = "".join(random.choice(alpha) for _ in range(random.randint(0, 4)))
    if random.random() < 0.2 and d:
        i = random.randint(0, len(d)); d = d[:i] + "_" + d[i:]
    return d
def rnum():
    if random.random() < 0.2:
        return "".join(random.choice(A) for _ in range(random.randint(0, 8)))
    s = random.choice(["", "", "+", "-"])
    p = random.choice(["", "", "", "0", "0x", "0X", "0o", "0b", "00"])
    alpha = "0123456789abcdefABCDEF" if "x" in p.lower() else "0123456789"
    s += p + digits(alpha)
    if random.random() < 0.4: s += "." + digits(alpha)
    if random.random() < 0.3: s += random.choice("eEpP") + random.choice(["", "+", "-"]) + digits()
    if random.random() < 0.1: s = random.choice(["inf", "Inf", "-Infinity", "nan", "+NaN", "infinity", "infin"])
    if random.random() < 0.15: s += random.choice(["0", ".0", ".", "00", ".00", " "])
    return s
def gen_conv():
    f = random.choice(["int", "int64", "float64", "atoi", "toDecimal", "add1", "ceil", "round"])
    s = quote(rnum())
    if f == "round":
        return f"{{{{ round {s} {random.randint(-2,3)} }}}}"
    return f"{{{{ {f} {s} }}}}"

ARGS = ["0", "5", "-42", "255", "65", "128512", "1.5", "-0.0", "1e6", "123456789.0", "0.000123", "2.5", "1e21", "-3.75",
        '"hi"', '""', '"héllo"', '"a\\"b"', '"日本"', "nil", "true", "false", "(int64 7)", "(int64 -1)", "(float64 \"inf\")", "(float64 \"NaN\")",
        '(list 1 "a" nil 2.5)', '(dict "b" 1 "a" "x")', "(until 3)", '(splitList "," "x,y")', "(list)", "'x'"]
VERBS = list("vdsqxXobeEfFgGtcUT%") + ["+v", "#v", "z"]
def spec():
    f = "%" + "".join(random.choice("+- #0") for _ in range(random.choice([0,0,1,2])))
    if random.random() < 0.4: f += str(random.randint(0, 12))
    if random.random() < 0.1: f += "*"
    if random.random() < 0.35: f += "." + (str(random.randint(0, 8)) if random.random() < 0.9 else "*")
    if random.random() < 0.05: f += f"[{random.randint(0,3)}]"
    v = random.choice(VERBS)
    if v == "+v": f = f.replace("%", "%+", 1); v = "v"
    if v == "#v": f = f.replace("%", "%#", 1); v = "v"
    return f + v
def gen_printf():
    n = random.randint(1, 3)
    fmt = "|".join(spec() for _ in range(n))
    args = [random.choice(ARGS) for _ in range(n + random.choice([0, 0, 0, 1, -1]))]
    args = [a for a in args]
    return "{{ printf " + quote(fmt) + " " + " ".join(args) + " }}"


NUMS = ["0", "1", "-1", "7", "-7", "2", "3", "1.5", "-2.5", "2.675", "0.5", "-0.5", "1e3", "9223372036854775807",
        '"12"', '"-3"', '"0x10"', '"2.0"', '"x"', "nil", "true", "(int64 5)", "(float64 \"inf\")", "1.005", "123.456"]


def gen_math() -> str:
    f = random.choice(["add", "sub", "mul", "div", "mod", "max", "min", "add1", "floor", "ceil", "round", "seq",
                       "until", "untilStep", "default", "empty", "coalesce", "all", "any", "biggest"])
    if f in ("add", "mul", "max", "min", "biggest", "coalesce", "all", "any"):
        return "{{ " + f + " " + " ".join(random.choice(NUMS) for _ in range(random.randint(1, 4))) + " }}"
    if f in ("sub", "div", "mod"):
        return "{{ " + f + " " + random.choice(NUMS) + " " + random.choice(NUMS) + " }}"
    if f in ("add1", "floor", "ceil", "empty"):
        return "{{ " + f + " " + random.choice(NUMS) + " }}"
    if f == "round":
        extra = f" {random.choice(['0.5', '0.1', '0.9', '1'])}" if random.random() < 0.3 else ""
        return f"{{{{ round {random.choice(NUMS)} {random.randint(-3, 4)}{extra} }}}}"
    if f == "default":
        return f"{{{{ default {random.choice(NUMS)} {random.choice(NUMS)} }}}}"
    ints = [str(random.randint(-6, 12)) for _ in range(3)]
    if f == "seq":
        return "{{ seq " + " ".join(ints[: random.randint(0, 3)]) + " }}"
    if f == "until":
        return "{{ until " + ints[0] + " }}"
    return "{{ untilStep " + " ".join(ints) + " }}"


def main() -> None:
    mode, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    gen = {"strings": gen_strings, "conv": gen_conv, "printf": gen_printf, "math": gen_math}[mode]
    random.seed(seed)
    funcs = all_funcs()
    cases = [{"tpl": gen()} for _ in range(n)]
    bad = 0
    for c, r in zip(cases, record(cases), strict=True):
        try:
            out = render(c["tpl"], {"Values": {}}, funcs, name="t/templates/NOTES.txt", missingkey="zero")
            mine = {"out": out.replace("<no value>", "")}  # Helm drops it from rendered text
        except Exception as e:  # noqa: BLE001 - any failure is compared with Helm's
            mine = {"err": str(e)}
        if "out" in r and mine.get("out") != r["out"] or "err" in r and "err" not in mine:
            bad += 1
            print(c["tpl"], "\n  helm:", r, "\n  kelm:", mine)
    print("bad", bad, "of", n)


if __name__ == "__main__":
    main()
