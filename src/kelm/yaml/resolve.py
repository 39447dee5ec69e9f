"""go-yaml's implicit typing of plain scalars (YAML 1.1 flavour of go-yaml v2 and v3).

The emitter asks "would this string read back as a non-string?" to decide on quotes; the
loader asks "what is this plain scalar?".  Both follow go-yaml's ``resolve``: a first-character
hint, a table of words, then Go's ``strconv`` integer/float syntax and timestamps.
"""

from __future__ import annotations

import math
import re

from kelm import recache
from kelm.lazyre import lazy_compile

STR, BOOL, NULL, INT, FLOAT, TIMESTAMP, MERGE = "str", "bool", "null", "int", "float", "ts", "merge"

# go-yaml v2's word table (v3 keeps only true/false/null/inf/nan/merge).
_V2_WORDS: dict[str, tuple[str, object]] = {}
for _words, _val in (
    (("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
):
    for _w in _words:
        _V2_WORDS[_w] = (BOOL, _val)
for _w in ("~", "null", "Null", "NULL"):
    _V2_WORDS[_w] = (NULL, None)
for _w in (".nan", ".NaN", ".NAN"):
    _V2_WORDS[_w] = (FLOAT, math.nan)
for _w in (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"):
    _V2_WORDS[_w] = (FLOAT, math.inf)
for _w in ("-.inf", "-.Inf", "-.INF"):
    _V2_WORDS[_w] = (FLOAT, -math.inf)

OLD_BOOLS = frozenset(
    ("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF")
)
_V3_WORDS = {k: v for k, v in _V2_WORDS.items() if k not in OLD_BOOLS}

_HINT_MAP = frozenset("yYnNtTfFoO~")
_HINT_NUM = frozenset("+-0123456789")

# Go strconv.ParseInt(s, 0, 64) syntax after go-yaml removed every "_".
_GO_INT = recache.compile(r"([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))\Z")
_YAML_FLOAT = recache.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = lazy_compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z")  # rare: ".5"
_BASE60 = recache.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")
_TS = recache.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?\Z"
)


def parse_go_int(plain: str) -> int | None:
    """``strconv.ParseInt(plain, 0, 64)`` then ``ParseUint``; None if neither accepts it."""
    m = _GO_INT.match(plain)
    if m is None:
        return None
    sign, hx, octo, binary, old_oct, dec = m.groups()
    if hx is not None:
        n = int(hx, 16)
    elif octo is not None:
        n = int(octo, 8)
    elif binary is not None:
        n = int(binary, 2)
    elif old_oct is not None:
        n = int(old_oct, 8) if len(old_oct) > 1 else 0
    else:
        n = int(dec)
    if sign == "-":
        n = -n
    if -(2**63) <= n < 2**63:
        return n
    if not sign and 0 <= n < 2**64:
        return n
    return None


def _parse_go_float(text: str) -> float | None:
    try:
        f = float(text)
    except ValueError:
        return None
    if math.isinf(f):
        return None  # Go: ErrRange
    return f


def is_timestamp(s: str) -> bool:
    """go-yaml's parseTimestamp: the four layouts it tries, with Go's range checks."""
    m = _TS.match(s)
    if m is None:
        return False
    y, mo, d, sep, hh, mi, ss, _frac, zone = m.groups()
    if sep is not None:
        if sep == " " and zone is not None:
            return False
        if sep in "Tt" and zone is None:
            return False
        if int(hh) > 23 or int(mi) > 59 or int(ss) > 59:
            return False
    mo_i, d_i = int(mo), int(d)
    if not 1 <= mo_i <= 12:
        return False
    return 1 <= d_i <= _days_in_month(int(y), mo_i)


def _days_in_month(year: int, month: int) -> int:
    """Proleptic Gregorian month length (``calendar.monthrange`` without importing calendar)."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def resolve(s: str, v3: bool = False) -> tuple[str, object]:
    """The (kind, value) go-yaml gives the plain scalar ``s``; value only for non-strings."""
    if s == "":
        return NULL, None
    c = s[0]
    if c in _HINT_MAP or c == ".":
        hit = (_V3_WORDS if v3 else _V2_WORDS).get(s)
        if hit is not None:
            return hit
        if c == "." and _DOT_FLOAT.match(s):
            f = _parse_go_float(s)
            if f is not None:
                return FLOAT, f
        return STR, None
    if c not in _HINT_NUM:
        return (MERGE, None) if s == "<<" else (STR, None)
    if c in "+-":
        hit = (_V3_WORDS if v3 else _V2_WORDS).get(s)
        if hit is not None:
            return hit
    if is_timestamp(s):
        return TIMESTAMP, s
    plain = s.replace("_", "") if "_" in s else s
    n = parse_go_int(plain)
    if n is not None:
        return INT, n
    if _YAML_FLOAT.match(plain):
        f = _parse_go_float(plain)
        if f is not None:
            return FLOAT, f
    for prefix, neg in (("0b", False), ("-0b", True)):
        if plain.startswith(prefix):
            body = plain[len(prefix):]
            if re.fullmatch(r"[-+]?[01]+", body):
                n = int(body, 2)
                return INT, -n if neg else n
            break
    if v3:
        for prefix, neg in (("0o", False), ("-0o", True)):
            if plain.startswith(prefix):
                body = plain[len(prefix):]
                if re.fullmatch(r"[-+]?[0-7]+", body):
                    n = int(body, 8)
                    return INT, -n if neg else n
                break
    return STR, None


_needs_quotes_cache: dict[tuple[str, bool], bool] = {}


def needs_quotes(s: str, v3: bool = False) -> bool:
    """True when a plain ``s`` would not read back as the same string (go-yaml's canUsePlain)."""
    if len(s) > 256:
        return _needs_quotes(s, v3)
    key = (s, v3)
    hit = _needs_quotes_cache.get(key)
    if hit is not None:
        return hit
    res = _needs_quotes(s, v3)
    if len(_needs_quotes_cache) > 200_000:
        _needs_quotes_cache.clear()
    _needs_quotes_cache[key] = res
    return res


def _needs_quotes(s: str, v3: bool) -> bool:
    kind, _ = resolve(s, v3)
    if kind == MERGE:
        return False
    return kind != STR or bool(_BASE60.match(s)) or (v3 and s in OLD_BOOLS)
