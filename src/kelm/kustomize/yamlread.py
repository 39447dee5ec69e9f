"""Reading YAML the way kustomize does.

Resources are read with go-yaml v3 rules (YAML 1.2-ish: ``yes``/``on`` stay strings,
``0x10``/``007``/``1_000`` are integers parsed like Go's ``strconv.ParseInt(s, 0, 64)``),
then pass a JSON round trip that normalises numbers. The kustomization file itself is
decoded with YAML 1.1 rules (sigs.k8s.io/yaml over go-yaml v2).
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from kelm.kustomize.errors import KustomizeError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _Parser = None

_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_TS_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(\.\d*)?"
    r"(?:[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?))?)?$"
)
_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(2**63), 2**63 - 1, 2**64 - 1


class RawInt(int):
    """An integer that remembers its source text (annotations keep the text)."""

    raw: str


class RawFloat(float):
    raw: str


def _go_parse_int(s: str) -> int | None:
    """Go ``strconv.ParseInt/ParseUint(s, 0, 64)`` (underscores already removed)."""
    body = s
    sign = 1
    if body[:1] in "+-":
        if body[0] == "-":
            sign = -1
        body = body[1:]
    if not body:
        return None
    base = 10
    low = body.lower()
    if low.startswith("0x"):
        base, body = 16, body[2:]
    elif low.startswith("0o"):
        base, body = 8, body[2:]
    elif low.startswith("0b"):
        base, body = 2, body[2:]
    elif len(body) > 1 and body[0] == "0":
        base, body = 8, body[1:]
    if not body:
        return None
    try:
        v = int(body, base)
    except ValueError:
        return None
    v *= sign
    if _INT64_MIN <= v <= _UINT64_MAX:
        return v
    return None


def resolve_plain_number(text: str) -> Any:
    """Resolve a plain scalar starting with a digit/sign/dot like go-yaml v3."""
    if text[:1].isdigit() and _TS_RE.match(text):
        return _timestamp(text)
    plain = text.replace("_", "")
    v = _go_parse_int(plain)
    if v is not None:
        r = RawInt(v)
        r.raw = text
        return r
    if _FLOAT_RE.match(plain):
        f = RawFloat(float(plain))
        f.raw = text
        return f
    low = text.lower()
    if low in (".inf", "+.inf"):
        return _raw_float(math.inf, text)
    if low == "-.inf":
        return _raw_float(-math.inf, text)
    if low == ".nan":
        return _raw_float(math.nan, text)
    return text


def _raw_float(v: float, text: str) -> RawFloat:
    f = RawFloat(v)
    f.raw = text
    return f


def _timestamp(text: str) -> str:
    """Go's time.Time JSON form (RFC 3339 with nanoseconds trimmed)."""
    m = _TS_RE.match(text)
    assert m
    y, mo, d, hh, mm, ss, frac, tz = m.groups()
    out = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}T"
    if hh is None:
        return out + "00:00:00Z"
    out += f"{int(hh):02d}:{int(mm):02d}:{int(ss):02d}"
    if frac and frac.strip(".0"):
        out += "." + frac[1:10].rstrip("0")
    if tz is None or tz == "Z":
        return out + "Z"
    sign, rest = tz[0], tz[1:].replace(":", "")
    h = int(rest[:-2] if len(rest) > 2 else rest)
    mi = int(rest[-2:]) if len(rest) > 2 else 0
    if h == 0 and mi == 0:
        return out + "Z"
    return out + f"{sign}{h:02d}:{mi:02d}"


class _V3Resolver(yaml.resolver.BaseResolver):
    pass


_V3Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_V3Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_V3Resolver.add_implicit_resolver(
    "tag:kelm:num", re.compile(r"^[-+.0-9].*$", re.S), list("-+.0123456789")
)
_V3Resolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


class _V3Constructor(yaml.constructor.SafeConstructor):
    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise KustomizeError("json: unsupported type: map[interface {}]interface {}")
            if key in seen and key_node.tag != "tag:yaml.org,2002:merge":
                line = key_node.start_mark.line + 1
                raise KustomizeError(
                    f'yaml: unmarshal errors:\n  line {line}: mapping key "{key}" already defined'
                    f" at line {seen[key]}"
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _construct_num(loader: Any, node: Any) -> Any:
    return resolve_plain_number(node.value)


def _construct_bool(loader: Any, node: Any) -> bool:
    return node.value.lower() == "true"


_V3Constructor.add_constructor("tag:kelm:num", _construct_num)
class _EmptyNull:
    """A null written as an empty value (``key:``): kyaml drops it on merges, unlike an
    explicit ``null``/``~``."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "EMPTY_NULL"


EMPTY_NULL: Any = _EmptyNull()


class NullKeysDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers which keys had an empty (implicit) null value."""

    empty_nulls: frozenset[str] = frozenset()


def _construct_null(loader: Any, node: Any) -> Any:
    if node.value == "" and getattr(node, "style", None) in (None, ""):
        return EMPTY_NULL
    return None


_V3Constructor.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
_V3Constructor.add_constructor("tag:yaml.org,2002:null", _construct_null)
_V3Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: _timestamp(node.value)
)


if _Parser is not None:

    class V3Loader(_Parser, _V3Constructor, _V3Resolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: Any) -> None:
            _Parser.__init__(self, stream)
            _V3Constructor.__init__(self)
            _V3Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class V3Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _V3Constructor,
        _V3Resolver,
    ):
        def __init__(self, stream: Any) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _V3Constructor.__init__(self)
            _V3Resolver.__init__(self)


def load_documents(text: str, source: str = "", keep_empty_nulls: bool = False) -> list[Any]:
    """All documents of a resource file, v3 typing; empty documents dropped.

    ``keep_empty_nulls`` keeps the EMPTY_NULL marker for ``normalize`` (resources);
    otherwise empty values are plain None.
    """
    try:
        docs = list(yaml.load_all(text, Loader=V3Loader))
    except KustomizeError:
        raise
    except yaml.YAMLError as e:
        raise KustomizeError(_yaml_error(e, source)) from None
    docs = [d for d in docs if d is not None and d is not EMPTY_NULL]
    if not keep_empty_nulls:
        docs = [_drop_empty_nulls(d) for d in docs]
    return docs


def _drop_empty_nulls(v: Any) -> Any:
    if v is EMPTY_NULL:
        return None
    if isinstance(v, dict):
        for k, x in v.items():
            if x is EMPTY_NULL or isinstance(x, dict | list):
                v[k] = _drop_empty_nulls(x)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            if x is EMPTY_NULL or isinstance(x, dict | list):
                v[i] = _drop_empty_nulls(x)
    return v


def _yaml_error(e: Any, source: str) -> str:
    mark = getattr(e, "problem_mark", None)
    where = f" (line {mark.line + 1})" if mark is not None else ""
    problem = getattr(e, "problem", None) or str(e)
    prefix = f"{source}: " if source else ""
    return f"{prefix}yaml: {problem}{where}"


# ---------------------------------------------------------------- kustomization file


class _V11Resolver(yaml.resolver.Resolver):
    pass


_V11Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN")
)


class _V11Constructor(yaml.constructor.SafeConstructor):
    pass


_V11Constructor.add_constructor(
    "tag:yaml.org,2002:bool",
    lambda loader, node: node.value.lower() in ("y", "yes", "true", "on"),
)


if _Parser is not None:

    class V11Loader(_Parser, _V11Constructor, _V11Resolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: Any) -> None:
            _Parser.__init__(self, stream)
            _V11Constructor.__init__(self)
            _V11Resolver.__init__(self)

else:  # pragma: no cover
    V11Loader = yaml.SafeLoader  # type: ignore[misc,assignment]


def load_kustomization_text(text: str) -> Any:
    return yaml.load(text, Loader=V11Loader)


# ---------------------------------------------------------------- JSON round trip


def go_json_float(f: float) -> str:
    """Go encoding/json text of a float64."""
    if math.isinf(f) or math.isnan(f):
        raise KustomizeError(f"json: unsupported value: {_go_special(f)}")
    if f == 0:
        return "0" if math.copysign(1, f) > 0 else "-0"
    a = abs(f)
    r = repr(float(f))
    if a < 1e-6 or a >= 1e21:
        digits, point_exp = _shortest_digits(r)
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        e = point_exp - 1
        sign = "-" if f < 0 else ""
        es = f"e-{-e}" if e < 0 else f"e+{e}"
        return f"{sign}{mant}{es}"
    digits, point_exp = _shortest_digits(r)
    sign = "-" if f < 0 else ""
    if point_exp <= 0:
        return f"{sign}0.{'0' * (-point_exp)}{digits}"
    if point_exp >= len(digits):
        return f"{sign}{digits}{'0' * (point_exp - len(digits))}"
    return f"{sign}{digits[:point_exp]}.{digits[point_exp:]}"


def _go_special(f: float) -> str:
    if math.isnan(f):
        return "NaN"
    return "+Inf" if f > 0 else "-Inf"


def _shortest_digits(r: str) -> tuple[str, int]:
    """Digits and decimal-point position of Python's shortest repr."""
    r = r.lstrip("-")
    mant, _, exp = r.partition("e")
    e = int(exp) if exp else 0
    ip, _, fp = mant.partition(".")
    digits = (ip + fp).lstrip("0")
    lead = len(ip + fp) - len((ip + fp).lstrip("0"))
    point = len(ip) + e - lead
    digits = digits.rstrip("0") or "0"
    return digits, point


def normalize(value: Any) -> Any:
    """JSON round trip then go-yaml v2 re-read: what kustomize would print."""
    if isinstance(value, dict):
        empties = [k for k, v in value.items() if v is EMPTY_NULL]
        out: dict[Any, Any] = NullKeysDict() if empties else {}
        if empties:
            out.empty_nulls = frozenset(empties)  # type: ignore[attr-defined]
        for k, v in value.items():
            if not isinstance(k, str):
                if isinstance(k, bool) or k is None or isinstance(k, int | float):
                    raise KustomizeError(
                        "json: unsupported type: map[interface {}]interface {}"
                    )
            out[k] = normalize(v)
        return out
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if value is EMPTY_NULL:
        return None
    if isinstance(value, str):
        return str(value) if type(value) is not str else value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return reparse_json_number(go_json_float(float(value)))
    if isinstance(value, bytes):
        import base64

        return base64.b64encode(value).decode()
    return value


def reparse_json_number(s: str) -> int | float:
    """How go-yaml v2 reads back a JSON number."""
    if re.fullmatch(r"-?[0-9]+", s):
        n = int(s)
        if _INT64_MIN <= n <= _UINT64_MAX:
            return n
    return float(s)
