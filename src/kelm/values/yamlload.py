"""YAML loading the way Helm's sigs.k8s.io/yaml does it: YAML 1.1 scalars, then JSON.

Helm decodes YAML with go-yaml v2 (YAML 1.1: ``yes``/``on`` are booleans, ``010`` is octal,
timestamps stay strings), converts the tree to JSON and unmarshals that.  The JSON step turns
every mapping key into a string and, for ``map[string]interface{}`` targets, every number into
a float64.  :func:`load_yaml` returns the tree with Python ints kept (callers decide whether
numbers become float64) and keys already converted; :func:`load_values_doc` applies the
float64 rule for values files.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

try:  # the C loader is ~10x faster
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader


class YAMLError(ValueError):
    """A document that Helm's YAML->JSON loading rejects (message in Go's words)."""


class _Loader(_Base):  # type: ignore[misc,valid-type]
    def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
        """Keys become their JSON strings while building (``y`` and ``1`` must not collide)."""
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise yaml.constructor.ConstructorError(
                    None, None, "found unhashable key", key_node.start_mark
                )
            mapping[_go_key(key)] = self.construct_object(value_node, deep=deep)
        return mapping


def _timestamp_as_str(loader: Any, node: Any) -> str:
    return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_str)


_BOOL_TRUE = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"}
_BOOL_FALSE = {"n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"}
_BOOL_RE = re.compile("^(?:" + "|".join(sorted(_BOOL_TRUE | _BOOL_FALSE)) + ")$")
# anything go-yaml v2 might read as a number; the constructor decides like strconv does
_NUM_RE = re.compile(
    r"^(?:[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_FLOAT_RE = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_NUM_TAG = "tag:kelm,go-number"


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64), then ParseUint(text, 0, 64)."""
    sign = 1
    body = text
    if body[:1] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if not body:
        return None
    base = 10
    digits = body
    low = body[:2].lower()
    if low == "0x":
        base, digits = 16, body[2:]
    elif low == "0o":
        base, digits = 8, body[2:]
    elif low == "0b":
        base, digits = 2, body[2:]
    elif body[0] == "0" and len(body) > 1:
        base, digits = 8, body[1:]
    if "_" in digits or "_" in body:
        # underscores only between digits (or right after a base prefix)
        if base == 10 and body[0] == "_" or digits.endswith("_") or "__" in digits:
            return None
        if base == 10 and not (len(body) > 1 and body[0] != "0"):
            return None
        digits = digits.replace("_", "")
    if not digits:
        return None
    try:
        v = sign * int(digits, base)
    except ValueError:
        return None
    if -(2**63) <= v < 2**64 and (v >= 0 or v >= -(2**63)):
        if v >= 2**63 and sign < 0:
            return None
        return v
    return None


def _construct_number(loader: Any, node: Any) -> Any:
    text = str(node.value)
    iv = _go_parse_int(text)
    if iv is not None:
        return iv
    if _FLOAT_RE.match(text):
        return float(text)
    low = text.lower()
    if low in (".inf", "+.inf"):
        return math.inf
    if low == "-.inf":
        return -math.inf
    if low == ".nan":
        return math.nan
    return text


def _construct_bool(loader: Any, node: Any) -> bool:
    return str(node.value) in _BOOL_TRUE


def _install_resolvers() -> None:
    resolvers: dict[Any, list[Any]] = {}
    for ch, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        keep = [
            (tag, rx)
            for tag, rx in entries
            if tag
            not in (
                "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:timestamp",
            )
        ]
        resolvers[ch] = keep
    _Loader.yaml_implicit_resolvers = resolvers
    _Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", _BOOL_RE, list("yYnNtTfFoO")
    )
    _Loader.add_implicit_resolver(_NUM_TAG, _NUM_RE, list("-+0123456789."))
    _Loader.add_constructor(_NUM_TAG, _construct_number)
    _Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


_install_resolvers()


def _construct_unknown(loader: Any, tag_suffix: Any, node: Any = None) -> Any:
    """go-yaml v2 ignores tags it does not know: the node keeps its plain meaning."""
    if node is None:
        node = tag_suffix
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_Loader.add_multi_constructor("!", _construct_unknown)
_Loader.add_multi_constructor("tag:", _construct_unknown)


def _go_key(k: Any) -> str:
    """The JSON key go-yaml->JSON produces for a non-string mapping key."""
    if isinstance(k, str):
        return k
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, float):
        from kelm.values.gofmt import format_float_g

        return format_float_g(k)
    return str(k)


def _normalize(v: Any) -> Any:
    if isinstance(v, dict):
        return {_go_key(k): _normalize(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_normalize(x) for x in v]
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)):
        raise YAMLError(
            "error converting YAML to JSON: json: unsupported value: "
            + ("NaN" if math.isnan(v) else ("+Inf" if v > 0 else "-Inf"))
        )
    if isinstance(v, (bytes, bytearray)):
        import base64

        return base64.b64encode(bytes(v)).decode()
    return v


def _yaml_error_text(e: yaml.YAMLError) -> str:
    """go-yaml's wording: ``yaml: line N: problem`` where N follows go-yaml's quirks
    (scanner errors count lines from 1, parser errors from 0, line 0 is not printed)."""
    problem = getattr(e, "problem", None) or str(e)
    pm = getattr(e, "problem_mark", None)
    cm = getattr(e, "context_mark", None)
    line = 0
    if pm is not None and pm.line != 0:
        line = pm.line + (1 if isinstance(e, yaml.scanner.ScannerError) else 0)
    elif cm is not None and cm.line != 0:
        line = cm.line
    where = f"line {line}: " if line else ""
    return f"yaml: {where}{problem}"


def load_yaml(text: str) -> Any:
    """One YAML document as Helm's YAML->JSON step sees it (ints kept as ints)."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as e:
        raise YAMLError("error converting YAML to JSON: " + _yaml_error_text(e)) from None
    return _normalize(data)


def check_syntax(text: str) -> None:
    """Validate YAML syntax only (libyaml's C parser, no Python objects built)."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover
        load_yaml(text)
        return
    try:
        CParser(text).raw_parse()
    except yaml.YAMLError as e:
        raise YAMLError("error converting YAML to JSON: " + _yaml_error_text(e)) from None


def to_float64(v: Any) -> Any:
    """JSON decoding into interface{}: every number becomes float64."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return float(v)
    if isinstance(v, dict):
        return {k: to_float64(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_float64(x) for x in v]
    return v


def split_documents(text: str) -> list[str]:
    """Split like k8s' YAMLReader: a line that is ``---`` (plus spaces) ends a document."""
    docs: list[str] = []
    buf: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("---") and not line[3:].strip():
            if buf:
                docs.append("".join(buf))
                buf = []
            continue
        buf.append(line)
    if buf:
        docs.append("".join(buf))
    return docs


def _go_json_kind(v: Any) -> str:
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, list):
        return "array"
    return "object"


def _values_tree(v: Any) -> Any:
    """One rebuilding pass (YAML aliases must not stay shared): float64 numbers, JSON checks."""
    t = type(v)
    if t is dict:
        return {k: _values_tree(x) for k, x in v.items()}
    if t is list:
        return [_values_tree(x) for x in v]
    if t is int:
        return float(v)
    if t is float:
        if math.isinf(v) or math.isnan(v):
            _normalize(v)  # raises Go's error
        return v
    if t is str or v is None or t is bool:
        return v
    return to_float64(_normalize(v))


def load_values_doc(text: str) -> dict[str, Any]:
    """One document of a values file: a mapping (or nothing) with float64 numbers."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - safe loader subclass
    except yaml.YAMLError as e:
        raise YAMLError("error converting YAML to JSON: " + _yaml_error_text(e)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        data = _normalize(data)
        raise YAMLError(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{_go_json_kind(data)} into Go value of type map[string]interface {{}}"
        )
    return _values_tree(data)


def merge_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Helm's loader.MergeMaps: b wins, nested maps merge, a is not modified."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict):
            cur = out.get(k)
            if isinstance(cur, dict):
                out[k] = merge_maps(cur, v)
                continue
        out[k] = v
    return out


def load_values(text: str) -> dict[str, Any]:
    """A whole values file (several documents are merged), as ``loader.LoadValues``.

    Raises :class:`YAMLError` with Helm's ``cannot unmarshal yaml document: ...`` text.
    """
    values: dict[str, Any] = {}
    for doc in split_documents(text):
        try:
            current = load_values_doc(doc)
        except YAMLError as e:
            raise YAMLError(f"cannot unmarshal yaml document: {e}") from None
        values = merge_maps(values, current)
    return values
