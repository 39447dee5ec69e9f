"""Reading YAML the way kustomize does.

Both readers are flavours of :mod:`kelm.yaml.loader`.  Resources are read with go-yaml v3
rules (YAML 1.2-ish: ``yes``/``on`` stay strings, ``0x10``/``007``/``1_000`` are integers
parsed like Go's ``strconv.ParseInt(s, 0, 64)``, duplicate keys are errors), then pass a JSON
round trip (:func:`normalize`) that normalises numbers. The kustomization file itself is
decoded with YAML 1.1 rules (go-yaml v2).
"""

from __future__ import annotations

import math
import re
from typing import Any

from kelm.kustomize.errors import KustomizeError
from kelm.yaml.loader import (
    FLOAT,
    INT,
    TIMESTAMP,
    RawFloat,
    RawInt,
    YAMLError,
    YAMLSyntaxError,
    go_loader,
    load_all_go,
    load_go,
    make_loader,
    resolve,
    rfc3339,
)

__all__ = ["EMPTY_NULL", "RawFloat", "RawInt", "load_documents", "load_kustomization_text",
           "normalize", "resolve_plain_number"]

_INT64_MIN, _UINT64_MAX = -(2**63), 2**64 - 1


def resolve_plain_number(text: str) -> Any:
    """A plain scalar as the resource reader types it (numbers keep their text)."""
    kind, v = resolve(text, True)
    if kind == INT:
        r = RawInt(v)  # type: ignore[call-overload]
        r.raw = text
        return r
    if kind == FLOAT:
        f = RawFloat(v)  # type: ignore[arg-type]
        f.raw = text
        return f
    if kind == TIMESTAMP:
        return rfc3339(text)
    return text


class _EmptyNull:
    """A null written as an empty value (``key:``): kyaml drops it on merges, unlike an
    explicit ``null``/``~``."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "EMPTY_NULL"


EMPTY_NULL: Any = _EmptyNull()


class NullKeysDict(dict):
    """A mapping that remembers which keys had an empty (implicit) null value."""

    empty_nulls: frozenset[str] = frozenset()


_RESOURCES = make_loader(v3=True, json_numbers=False, json_keys=False, number_text=True,
                         empty_null=EMPTY_NULL)


def load_documents(text: str, source: str = "", keep_empty_nulls: bool = False) -> list[Any]:
    """All documents of a resource file, kyaml's go-yaml v3 typing; empty documents dropped.

    ``keep_empty_nulls`` keeps the EMPTY_NULL marker for ``normalize`` (resources);
    otherwise empty values are plain None.
    """
    try:
        docs = load_all_go(text, _RESOURCES, v3=True)
    except YAMLSyntaxError as e:
        raise KustomizeError(f"MalformedYAMLError: {e.message} in File: {source}") from None
    except YAMLError as e:  # kyaml decoding the node into a map
        raise KustomizeError(f"map[string]interface {{}}(nil): {e.message}") from None
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


def load_kustomization_text(text: str) -> Any:
    """A kustomization file (go-yaml v2 typing); raises YAMLError in go-yaml's words."""
    return load_go(text, go_loader("kustomization"))


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
