"""Cases for Go fmt behaviour: named arguments (template expression + Python value) and
printf formats.  Shared by the recorder (``record_gofmt.py``) and ``test_gofmt.py``."""

from __future__ import annotations

from typing import Any

from kelm.golang.value import GoInt, TypedList, TypedMap

# values.yaml of the recording chart (numbers there are float64)
VALUES_YAML = """\
f15: 1.5
f1e6: 1000000
fneg0: -0.0
fsmall: 0.000099
fbig: 12345678901234567890123
f999999: 999999
f1234567: 1234567.5
f100000: 100000.5
fpi: 3.14159
f0: 0
f25: 2.5
fneg: -3.75
f1e21: 1e21
f1em7: 1.0e-7
f123: 123456789
f01: 0.1
fhalf: 0.125
s: hi
su: "héllo"
sq: "a\\"b\\\\c"
sctl: "tab\\there\\n\\u0001\\u007f"
sjp: "日本語"
semoji: "x😀"
snbsp: "a\\u00a0b\\u200bc"
sempty: ""
l: [a, null, 1.5]
li: [1, 2, 300]
ls: [x, y]
m: {b: 2, a: [x, null, 1.5], c: {}}
mn: {k: null}
bt: true
bf: false
"""

# --set arguments (numbers there are int64)
SETS = ["i5=5", "ineg=-42", "i255=255", "i0=0", "imax=9223372036854775807", "i65=65"]

# name -> (template expression, Python value)
ARGS: dict[str, tuple[str, Any]] = {
    "f15": (".Values.f15", 1.5),
    "f1e6": (".Values.f1e6", 1000000.0),
    "fneg0": (".Values.fneg0", -0.0),
    "fsmall": (".Values.fsmall", 0.000099),
    "fbig": (".Values.fbig", 12345678901234567890123.0),
    "f999999": (".Values.f999999", 999999.0),
    "f1234567": (".Values.f1234567", 1234567.5),
    "f100000": (".Values.f100000", 100000.5),
    "fpi": (".Values.fpi", 3.14159),
    "f0": (".Values.f0", 0.0),
    "f25": (".Values.f25", 2.5),
    "fneg": (".Values.fneg", -3.75),
    "f1e21": (".Values.f1e21", 1e21),
    "f1em7": (".Values.f1em7", 1e-7),
    "f123": (".Values.f123", 123456789.0),
    "f01": (".Values.f01", 0.1),
    "fhalf": (".Values.fhalf", 0.125),
    "finf": ('(float64 "inf")', float("inf")),
    "fninf": ('(float64 "-inf")', float("-inf")),
    "fnan": ('(float64 "NaN")', float("nan")),
    "s": (".Values.s", "hi"),
    "su": (".Values.su", "héllo"),
    "sq": (".Values.sq", 'a"b\\c'),
    "sctl": (".Values.sctl", "tab\there\n\x01\x7f"),
    "sjp": (".Values.sjp", "日本語"),
    "semoji": (".Values.semoji", "x😀"),
    "snbsp": (".Values.snbsp", "a\u00a0b\u200bc"),
    "sempty": (".Values.sempty", ""),
    "l": (".Values.l", ["a", None, 1.5]),
    "li": (".Values.li", [1.0, 2.0, 300.0]),
    "ls": ("(splitList \",\" \"x,y\")", TypedList(["x", "y"], "[]string")),
    "m": (".Values.m", {"b": 2.0, "a": ["x", None, 1.5], "c": {}}),
    "mn": (".Values.mn", {"k": None}),
    "ms": ('(split "," "a,b")', TypedMap({"_0": "a", "_1": "b"}, "map[string]string")),
    "bt": (".Values.bt", True),
    "bf": (".Values.bf", False),
    "nil": (".Values.missing", None),
    "i5": (".Values.i5", 5),
    "ineg": (".Values.ineg", -42),
    "i255": (".Values.i255", 255),
    "i0": (".Values.i0", 0),
    "imax": (".Values.imax", 9223372036854775807),
    "i65": (".Values.i65", 65),
    "n3": ("3", GoInt(3)),
    "nneg": ("-7", GoInt(-7)),
    "n255": ("255", GoInt(255)),
    "n0": ("0", GoInt(0)),
    "nbig": ("0x1F600", GoInt(0x1F600)),
    "nsur": ("0xD800", GoInt(0xD800)),
    "nhuge": ("0x110000", GoInt(0x110000)),
    "lint": ("(list 1 2 3)", [GoInt(1), GoInt(2), GoInt(3)]),
    "lmix": ('(list 1 "a" nil 2.5 true)', [GoInt(1), "a", None, 2.5, True]),
    "dmix": ('(dict "z" 1 "a" "x" "n" nil)', {"z": GoInt(1), "a": "x", "n": None}),
    "lu": ("(until 3)", TypedList([GoInt(0), GoInt(1), GoInt(2)], "[]int")),
    "lb": ("(list true false)", [True, False]),
    "ll": ('(list (list 1 2) (list "a"))', [[GoInt(1), GoInt(2)], ["a"]]),
    "mm": ('(dict "a" (dict "b" nil) "c" (list))', {"a": {"b": None}, "c": []}),
    "f05": ("0.5", 0.5),
    "f35": ("3.5", 3.5),
    "f005": ("0.05", 0.05),
    "n1": ("-1", GoInt(-1)),
}

# printf cases: (format, [arg names])
PRINTF: list[tuple[str, list[str]]] = [
    # %v of floats
    *[("%v", [n]) for n in ARGS if n.startswith("f")],
    *[("%v", [n]) for n in ("s", "su", "l", "li", "ls", "m", "mn", "ms", "bt", "nil", "i5")],
    *[("%v", [n]) for n in ("imax", "n3", "lint", "lmix", "dmix", "sctl")],
    # %+v / %#v / %T
    *[("%+v", [n]) for n in ("m", "l", "f15", "s", "nil")],
    *[("%#v", [n]) for n in ("s", "f15", "f1e6", "i5", "n3", "l", "m", "ms", "ls", "bt", "nil")],
    *[("%T", [n]) for n in ("f15", "s", "i5", "n3", "l", "m", "ms", "ls", "bt", "nil")],
    ("%.3T", ["m"]),
    # floats
    *[(f, ["fpi"]) for f in ("%f", "%.2f", "%8.3f", "%-8.3f|", "%08.3f", "%+.1f", "% .1f")],
    *[(f, ["fneg"]) for f in ("%f", "%08.2f", "%+08.2f", "%e", "%E", "%.0e", "%g", "%G")],
    *[(f, ["f1e6"]) for f in ("%e", "%g", "%.3g", "%#g", "%.0f", "%10.4g|", "%x", "%X", "%b")],
    *[(f, ["fsmall"]) for f in ("%f", "%g", "%.2g", "%#.3g", "%e", "%.10f")],
    *[(f, ["f25"]) for f in ("%.0f", "%.1e", "%#v", "%#.0f", "%#.0e", "%x", "%.1x")],
    *[(f, ["fhalf"]) for f in ("%.2f", "%.1f", "%.0e", "%.20f")],
    *[(f, ["f01"]) for f in ("%.20f", "%.17g", "%.30e", "%F")],
    *[(f, ["f0"]) for f in ("%e", "%g", "%#g", "%x", "%b", "%.3f")],
    *[(f, ["fneg0"]) for f in ("%f", "%e", "%+v", "%x")],
    *[(f, ["finf"]) for f in ("%v", "%f", "%08.2f", "%+v", "% f", "%-6f|", "%d")],
    *[(f, ["fnan"]) for f in ("%v", "%08.2f", "%+v", "% v", "%e")],
    *[(f, ["fninf"]) for f in ("%v", "%e", "%06v")],
    *[(f, ["f1e21"]) for f in ("%f", "%.3e", "%g", "%.21g")],
    *[(f, ["fbig"]) for f in ("%f", "%.0f", "%g", "%.25g")],
    *[(f, ["f123"]) for f in ("%v", "%g", "%.5g", "%.9g", "%.10g", "%#.10g", "%e")],
    *[(f, ["f15"]) for f in ("%d", "%s", "%5d", "%q", "%t", "%c", "%x", "%o", "%U")],
    # integers
    *[(f, ["i255"]) for f in ("%d", "%5d|", "%-5d|", "%05d", "%x", "%X", "%#x", "%#X", "%o")],
    *[(f, ["i255"]) for f in ("%#o", "%O", "%b", "%#b", "%c", "%q", "%U", "%#U", "%+d", "% d")],
    *[(f, ["i255"]) for f in ("%.5d", "%8.5d|", "%08.5d|", "%#08x", "%-08d|", "%s", "%f", "%e")],
    *[(f, ["i255"]) for f in ("%t", "%.2s", "%10s|", "%p")],
    *[(f, ["ineg"]) for f in ("%d", "%05d", "%x", "%#x", "%+d", "% d", "%o", "%b", "%c", "%q")],
    *[(f, ["ineg"]) for f in ("%U", "%.0d", "%s", "%v")],
    *[(f, ["i0"]) for f in ("%.0d|", "%5.0d|", "%x", "%#x", "%#o", "%c", "%q", "%U")],
    *[(f, ["imax"]) for f in ("%d", "%x", "%o", "%b", "%c", "%e")],
    *[(f, ["i65"]) for f in ("%c", "%q", "%#q", "%+q", "%U", "%#U", "%.6U", "%x", "%v")],
    *[(f, ["nbig"]) for f in ("%c", "%q", "%+q", "%U", "%#U", "%d")],
    *[(f, ["nsur"]) for f in ("%c", "%q", "%U", "%#U")],
    *[(f, ["nhuge"]) for f in ("%c", "%q", "%U", "%#U")],
    *[(f, ["n3"]) for f in ("%s", "%v", "%5v|", "%-5v|", "%05v", "%x", "%T", "%q", "%f", "%t")],
    *[(f, ["nneg"]) for f in ("%d", "%x", "%s", "%c")],
    # strings
    *[(f, ["s"]) for f in ("%s", "%v", "%q", "%x", "%X", "% x", "%# x", "%#x", "%5s|", "%-5s|")],
    *[(f, ["s"]) for f in ("%05s", "%.1s", "%d", "%t", "%f", "%c", "%8q|", "%.1q", "%#q", "%U")],
    *[(f, ["s"]) for f in ("%10x|", "%-10x|", "%.1x", "%010x", "%T", "%#v", "%+q", "%e", "%p")],
    *[(f, ["su"]) for f in ("%s", "%q", "%+q", "%x", "%.2s", "%7s|", "%#q", "%X", "%d")],
    *[(f, ["sq"]) for f in ("%s", "%q", "%#q", "%#v", "%x")],
    *[(f, ["sctl"]) for f in ("%q", "%+q", "%#q", "%x", "%.5q")],
    *[(f, ["sjp"]) for f in ("%q", "%+q", "%.2s", "%6s|", "%x")],
    *[(f, ["semoji"]) for f in ("%q", "%+q", "%x", "%.1s", "%#q")],
    *[(f, ["snbsp"]) for f in ("%q", "%+q", "%#q")],
    *[(f, ["sempty"]) for f in ("%q", "%x", "%5x|", "%s|", "%#q", "%v|")],
    # bool / nil
    *[(f, ["bt"]) for f in ("%t", "%v", "%5t|", "%-6v|", "%d", "%s", "%q", "%x")],
    *[(f, ["nil"]) for f in ("%v", "%s", "%d", "%q", "%x", "%T", "%5v|", "%-5v|", "%+v", "%t")],
    # collections
    *[(f, ["l"]) for f in ("%s", "%d", "%q", "%x", "%v", "%5v", "%T", "%t", "%.1s")],
    *[(f, ["li"]) for f in ("%d", "%.1f", "%v", "%x", "%s", "%e", "%5.1f")],
    *[(f, ["ls"]) for f in ("%s", "%q", "%x", "%d", "%v", "%5s", "%X")],
    *[(f, ["m"]) for f in ("%s", "%d", "%q", "%x", "%+v", "%v", "%5v")],
    *[(f, ["ms"]) for f in ("%s", "%q", "%d", "%v", "%x")],
    *[(f, ["lint"]) for f in ("%d", "%x", "%s", "%q", "%c", "%05d", "%v", "%U", "%#v")],
    *[(f, ["lmix"]) for f in ("%d", "%s", "%v", "%q", "%#v", "%t")],
    *[(f, ["dmix"]) for f in ("%d", "%s", "%v", "%q", "%#v")],
    *[(f, ["mn"]) for f in ("%d", "%s", "%#v")],
    # argument handling
    ("%d %d", ["n3"]),
    ("%d", ["n3", "n255"]),
    ("%d", ["n3", "s", "nil"]),
    ("%s %s", ["s", "s", "l", "f15"]),
    ("%", ["n3"]),
    ("abc%", []),
    ("%5", ["n3"]),
    ("%-", []),
    ("%!", []),
    ("%z", ["n3"]),
    ("%[2]d %[1]d", ["n3", "n255"]),
    ("%[3]d", ["n3", "n255"]),
    ("%[0]d", ["n3"]),
    ("%[x]d", ["n3"]),
    ("%[1]d %d", ["n3", "n255"]),
    ("%[2]d", ["n3", "n255"]),
    ("%d %[1]d %d", ["n3", "n255"]),
    ("%[1]*d", ["n3", "n255"]),
    ("%[2]*[1]d", ["n3", "n255"]),
    ("%*d", ["n3", "n255"]),
    ("%*d", ["nneg", "n255"]),
    ("%-*d|", ["n3", "n255"]),
    ("%*d", ["s", "n255"]),
    ("%*d", ["i5", "n255"]),
    ("%*d", ["f15", "n255"]),
    ("%.*f", ["n3", "fpi"]),
    ("%.*f", ["nneg", "fpi"]),
    ("%.*d", ["s", "n3"]),
    ("%*.*f|", ["n255", "n3", "fpi"]),
    ("%[3]*.[2]*[1]f", ["fpi", "n3", "n255"]),
    ("%[1]d%[1]x%[1]o", ["n255"]),
    ("%.d", ["n0"]),
    ("%.f", ["fpi"]),
    ("%.s|", ["s"]),
    ("%5.%|", ["n3"]),
    ("%%%d%%", ["n3"]),
    ("%d%%", []),
    ("%é", ["n3"]),
    ("%v %v", ["nil", "nil"]),
    ("%s", ["nil", "nil"]),
    ("x", ["nil", "l", "m"]),
    ("%[1]d", ["n3", "n255"]),
    ("%v|%+v|%#v", ["n3", "n3", "n3"]),
    ("%3c|%-4c|%03c", ["n255", "n255", "i65"]),
    ("%010.3f|%-010.3f|%+010.3f", ["fneg", "fneg", "fpi"]),
    ("%#.3x|%#.3X", ["f25", "f25"]),
    ("%x|%X|% X", ["semoji", "semoji", "semoji"]),
]

PRINTF += [
    *[(f, ["f15"]) for f in ("%6.2v|", "%.3v", "%-8v|", "%08v", "%+.2e", "%#.0x", "% .3g")],
    *[(f, ["f05"]) for f in ("%.0f", "%.0e", "%.1g")],
    *[(f, ["f35"]) for f in ("%.0f", "%5.0f|")],
    *[(f, ["f005"]) for f in ("%.1f", "%.2g", "%v")],
    *[(f, ["s"]) for f in ("%.3v", "%6.1v|", "%-6.1q|", "%#+q", "%+10q|", "%x|%X", "% #x")],
    *[(f, ["su"]) for f in ("%-8s|", "%08s", "%.3q", "%10.2x|", "% X")],
    *[(f, ["i255"]) for f in ("%.3x", "%#.3o", "%#.4b", "% 05d", "%+05d", "%-+5d|", "%x %X %o %b")],
    *[(f, ["ineg"]) for f in ("%08x", "%#o", "%#b", "% x", "%+x", "%.4d", "%-8.4d|")],
    *[(f, ["n1"]) for f in ("%c", "%U", "%q", "%x")],
    *[(f, ["lu"]) for f in ("%v", "%d", "%x", "%q", "%T", "%#v", "%s", "%05d", "%c")],
    *[(f, ["lb"]) for f in ("%t", "%v", "%d", "%5t")],
    *[(f, ["ll"]) for f in ("%v", "%d", "%s", "%#v", "%T", "%q")],
    *[(f, ["mm"]) for f in ("%v", "%+v", "%#v", "%s", "%d")],
    *[(f, ["ms"]) for f in ("%5s", "%-4v|", "%x", "%#v")],
    *[(f, ["m"]) for f in ("%.1v", "%08v", "%-3v|", "%+d")],
    ("%v %d %s", ["lu", "lu", "lu"]),
    ("%[2]v %[1]q", ["s", "ll"]),
    ("%s|%v", ["nil", "mm"]),
    ("%5.1f%%", ["fpi"]),
    ("%-5s|%5s|", ["sjp", "semoji"]),
    ("%3c|%-3c|", ["nbig", "i65"]),
    # found by fuzzing: %q of a rune ignores '#'
    ("%#+q|%#q|%#q", ["ineg", "nbig", "nsur"]),
]

# print / println cases: [arg names]
PRINT: list[list[str]] = [
    ["s", "s"],
    ["n3", "n255"],
    ["s", "n3", "n255", "s"],
    ["nil", "nil"],
    ["s", "nil", "s"],
    ["f15", "f1e6", "s", "l", "m"],
    ["bt", "bf"],
    ["n3", "s", "n255"],
    ["sempty", "sempty", "n3"],
    [],
    ["l", "ls"],
    ["lu", "s", "ll"],
    ["mm", "nil", "f15"],
    ["s", "lu"],
    ["sempty", "n3", "sempty"],
    ["f1e6", "fneg0", "finf", "fnan"],
]
