"""Reading YAML the way Go programs do (PyYAML's C parser, go-yaml typing and errors).

``load_helm`` is sigs.k8s.io/yaml.Unmarshal into ``interface{}`` as Helm uses it for values
files, ``fromYaml`` and rendered manifests: go-yaml v2 resolves plain scalars with YAML 1.1
rules (``yes``/``on``/``y`` are booleans, ``0x1F``/``010``/``1_000`` integers, timestamps stay
strings, ``<<`` merges), then the JSON step makes every number a float64, turns keys into
strings and rejects NaN/Inf.

:func:`make_loader` builds the loader class with the choices other Go readers make, and
:func:`go_loader` names the ones kelm reads with: every YAML kelm reads goes through here.

``helm``           sigs.k8s.io/yaml into interface{}: values files, ``fromYaml``, index.yaml.
``k8s``            the same with int64 kept (what decoding into unstructured keeps): rendered
                   manifests, PodPresets and the manifests they apply to.
``kustomization``  go-yaml v2 into interface{}, int64 kept: kustomization files.
kyaml (``make_loader(v3=True, number_text=True, empty_null=...)``)  go-yaml v3 as kustomize
                   reads resources: YAML 1.2 words, duplicate keys are errors, timestamps
                   become RFC 3339 text, numbers keep their source text
                   (:class:`RawInt`/:class:`RawFloat`) and ``key:`` reads as a marker.
"""

from __future__ import annotations

import functools
import math

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .jsondec import go_string_field
from .resolve import _TS as TIMESTAMP_RE
from .resolve import BOOL, FLOAT, INT, MERGE, NULL, STR, TIMESTAMP, resolve

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

T_STR = "tag:yaml.org,2002:str"
T_INT = "tag:yaml.org,2002:int"
T_FLOAT = "tag:yaml.org,2002:float"
T_BOOL = "tag:yaml.org,2002:bool"
T_NULL = "tag:yaml.org,2002:null"
T_TS = "tag:yaml.org,2002:timestamp"
T_MERGE = "tag:yaml.org,2002:merge"
T_SEQ = "tag:yaml.org,2002:seq"
T_MAP = "tag:yaml.org,2002:map"
_KIND_TAG = {STR: T_STR, INT: T_INT, FLOAT: T_FLOAT, BOOL: T_BOOL, NULL: T_NULL,
             TIMESTAMP: T_TS, MERGE: T_MERGE}

JSON_PREFIX = "error converting YAML to JSON: "


class YAMLError(ValueError):
    """A YAML read error; ``str()`` is Go's text, ``line`` the 1-based line it names (0: none)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class YAMLSyntaxError(YAMLError):
    """The parser's error (the text is not YAML), as opposed to a typing/decoding one."""


@functools.lru_cache(maxsize=65536)
def _resolve_v2(value: str) -> tuple[str, object]:
    return resolve(value, False)


@functools.lru_cache(maxsize=65536)
def _resolve_v3(value: str) -> tuple[str, object]:
    return resolve(value, True)


def _go_key(value: Any) -> str:
    """sigs.k8s.io/yaml's key-to-string conversion: a string field's text, with YAML's
    spelling of the float specials."""
    s = go_string_field(value)
    if s is None:
        raise _NilKey()
    if isinstance(value, float):
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(s, s)
    return s


class _NilKey(Exception):
    pass


def _go_quote(s: str) -> str:
    """Go's ``%#v`` of a string (strconv.Quote, close enough for key texts)."""
    import json

    return json.dumps(s, ensure_ascii=False)


def _go_repr(v: Any) -> str:
    """Go's ``%+#v`` of a scalar (enough for the nil-key error text)."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return _go_quote(v)
    if isinstance(v, float):
        from kelm.golang.floats import format_g

        return format_g(v)
    if isinstance(v, list):
        return "[]interface {}{" + ", ".join(_go_repr(x) for x in v) + "}"
    if isinstance(v, dict):
        return "map[interface {}]interface {}{" + ", ".join(  # go-yaml v2's decoded maps
            f"{_go_repr(k)}:{_go_repr(x)}" for k, x in v.items()) + "}"
    return str(v)


class RawInt(int):
    """An integer that remembers its source text (kyaml keeps nodes as text)."""

    raw: str


class RawFloat(float):
    """A float that remembers its source text."""

    raw: str


def rfc3339(text: str) -> str:
    """A go-yaml timestamp as Go's time.Time marshals to JSON (RFC 3339, fraction trimmed)."""
    m = TIMESTAMP_RE.match(text)
    assert m is not None
    y, mo, d, _sep, hh, mi, ss, frac, zone = m.groups()
    out = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}T"
    if hh is None:
        return out + "00:00:00Z"
    out += f"{int(hh):02d}:{int(mi):02d}:{int(ss):02d}"
    if frac and frac.strip(".0"):
        out += "." + frac[1:10].rstrip("0")
    if zone is None or zone == "Z" or zone[1:] == "00:00":
        return out + "Z"
    return out + zone


def make_loader(*, v3: bool = False, json_numbers: bool = True, json_keys: bool = True,
                reject_nonfinite: bool | None = None, number_text: bool = False,
                empty_null: Any = None) -> type:
    """A PyYAML C-loader class typing scalars like go-yaml.

    ``v3``: go-yaml v3 (yes/no/on/off/y/n stay strings, explicit keys beat merged ones,
    duplicate keys are an error, timestamps become time.Time, so RFC 3339 text in JSON).
    ``json_numbers``: ints become float64 (the sigs.k8s.io/yaml JSON step).
    ``reject_nonfinite``: NaN/Inf are an error, as in that JSON step (default: json_numbers).
    ``json_keys``: keys become strings as that JSON step does.  ``number_text``: numbers are
    :class:`RawInt`/:class:`RawFloat` carrying their text.  ``empty_null``: what an empty plain
    value (``key:``) reads as.
    """
    res = _resolve_v3 if v3 else _resolve_v2

    class GoLoader(yaml.CSafeLoader):
        yaml_constructors = dict(yaml.CSafeLoader.yaml_constructors)
        nonfinite = False
        dup_keys: list[str] = []

        def construct_document(self, node: Any) -> Any:
            self.nonfinite = False
            if v3:
                self.dup_keys = []
            data = super().construct_document(node)
            if self.dup_keys:
                raise YAMLError("yaml: unmarshal errors:\n  " + "\n  ".join(self.dup_keys))
            if self.nonfinite and (json_numbers if reject_nonfinite is None
                                   else reject_nonfinite):
                bad = _first_nonfinite(data)
                if bad is not None:
                    txt = "NaN" if bad != bad else ("+Inf" if bad > 0 else "-Inf")
                    raise YAMLError(f"{JSON_PREFIX}json: unsupported value: {txt}")
            return data

        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    return _KIND_TAG[res(value)[0]]
                return T_STR
            return T_SEQ if kind is SequenceNode else T_MAP

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node.__class__ is ScalarNode:
                # Scalars (most nodes) skip PyYAML's alias and recursion bookkeeping: they are
                # immutable and cannot contain themselves, so building one again is the same.
                ctor = self.yaml_constructors.get(node.tag)
                if ctor is not None:
                    return ctor(self, node)
            # An alias yields an independent copy, as the JSON round trip does in Go.
            if node in self.constructed_objects:
                obj = self.constructed_objects[node]
                if isinstance(obj, (dict, list)):
                    import copy  # aliases are rare: keep copy (and weakref) off start-up

                    _count_alias(self, obj)
                    return copy.deepcopy(obj)
                return obj
            return super().construct_object(node, deep=True)

        def construct_go_int(self, node: Any) -> Any:
            kind, n = res(node.value)
            if kind != INT:
                _mismatch(kind, node.value, "!!int")
            if number_text:
                r = RawInt(n)  # type: ignore[call-overload]
                r.raw = node.value
                return r
            return float(n) if json_numbers else n  # type: ignore[arg-type]

        def construct_go_float(self, node: Any) -> Any:
            kind, f = res(node.value)
            if kind == INT:
                f = float(f)  # type: ignore[arg-type]
            elif kind != FLOAT:
                _mismatch(kind, node.value, "!!float")
            assert isinstance(f, float)
            if math.isinf(f) or f != f:
                self.nonfinite = True  # an error only if it survives (duplicate keys)
            if number_text:
                r = RawFloat(f)
                r.raw = node.value
                return r
            return f

        def construct_go_bool(self, node: Any) -> Any:
            kind, b = res(node.value)
            if kind != BOOL:
                _mismatch(kind, node.value, "!!bool")
            return b

        def construct_go_null(self, node: Any) -> Any:
            kind, _ = res(node.value)
            if kind != NULL:
                _mismatch(kind, node.value, "!!null")
            if empty_null is not None and node.value == "" and node.style in (None, ""):
                return empty_null
            return None

        def construct_go_timestamp(self, node: Any) -> Any:
            kind, _ = res(node.value)
            if kind != TIMESTAMP:
                _mismatch(kind, node.value, "!!timestamp")
            # go-yaml v2 keeps timestamps as their text in interface{}, v3 makes a time.Time
            return rfc3339(node.value) if v3 else node.value

        def construct_go_set(self, node: Any) -> Any:
            return {k: None for k in self.construct_go_map(node)}

        def construct_go_str(self, node: Any) -> Any:
            return node.value if isinstance(node, ScalarNode) else self.construct_undefined(node)

        def construct_go_map(self, node: Any) -> Any:
            # go-yaml v2 applies entries in document order: a "<<" merge overwrites keys set
            # before it, and in a merged list the earlier maps win.  v3 (like PyYAML) lets
            # explicit keys win wherever they are.
            if v3:
                self.check_unique_keys(node)
                self.flatten_mapping(node)
            out: dict[Any, Any] = {}
            nil_key: list[Any] = []  # a null key fails the JSON conversion with its last value
            for key_node, value_node in node.value:
                if key_node.tag == T_MERGE:
                    self.merge_into(out, value_node)
                    continue
                if not isinstance(key_node, ScalarNode):
                    raise YAMLError("yaml: invalid map key: " + _describe(key_node))
                try:
                    key = self.construct_key(key_node)
                except _NilKey:
                    nil_key[:] = [self.construct_object(value_node)]
                    continue
                out[key] = self.construct_object(value_node)
            if nil_key:
                raise YAMLError(
                    f"{JSON_PREFIX}unsupported map key of type: %!s(<nil>), key: <nil>, "
                    f"value: {_go_repr(nil_key[0])}"
                )
            return out

        def check_unique_keys(self, node: Any) -> None:
            """go-yaml v3: a key text twice in one mapping is an error (all are reported)."""
            seen: dict[str, int] = {}
            for key_node, _ in node.value:
                if key_node.__class__ is not ScalarNode or key_node.tag == T_MERGE:
                    continue
                line = key_node.start_mark.line + 1
                first = seen.get(key_node.value)
                if first is None:
                    seen[key_node.value] = line
                else:
                    self.dup_keys.append(f"line {line}: mapping key {_go_quote(key_node.value)}"
                                         f" already defined at line {first}")

        def merge_into(self, out: dict, value_node: Any) -> None:
            if isinstance(value_node, MappingNode):
                out.update(self.construct_object(value_node))
                return
            if isinstance(value_node, SequenceNode):
                for child in reversed(value_node.value):
                    if not isinstance(child, MappingNode):
                        break
                    out.update(self.construct_object(child))
                else:
                    return
            raise YAMLError("yaml: map merge requires map or sequence of maps as the value")

        def construct_key(self, node: ScalarNode) -> Any:
            tag = node.tag
            if tag == T_STR or tag == T_TS or not tag.startswith("tag:yaml.org,2002:"):
                return node.value
            kind, v = res(node.value)
            if tag == T_NULL or kind == NULL:
                v = None
            elif kind == STR or kind == TIMESTAMP or kind == MERGE:
                v = node.value
            return _go_key(v) if json_keys else v

        def construct_go_binary(self, node: Any) -> Any:
            import base64

            try:
                raw = base64.b64decode("".join(node.value.split()), validate=True)
            except ValueError:
                raise YAMLError("yaml: !!binary value contains invalid base64 data") from None
            return raw.decode("utf-8", "replace")

        def construct_go_seq(self, node: Any) -> Any:
            return [self.construct_object(c) for c in node.value]

        def construct_unknown(self, node: Any) -> Any:
            if isinstance(node, ScalarNode):
                return node.value
            if isinstance(node, SequenceNode):
                return self.construct_go_seq(node)
            return self.construct_go_map(node)

    for tag, fn in (
        (T_INT, GoLoader.construct_go_int), (T_FLOAT, GoLoader.construct_go_float),
        (T_BOOL, GoLoader.construct_go_bool), (T_STR, GoLoader.construct_go_str),
        (T_TS, GoLoader.construct_go_timestamp), (T_MAP, GoLoader.construct_go_map),
        ("tag:yaml.org,2002:set", GoLoader.construct_go_set),
        (T_SEQ, GoLoader.construct_go_seq), (None, GoLoader.construct_unknown),
        ("tag:yaml.org,2002:omap", GoLoader.construct_go_seq),
        ("tag:yaml.org,2002:value", GoLoader.construct_go_str),
        ("tag:yaml.org,2002:binary", GoLoader.construct_go_binary),
    ):
        GoLoader.yaml_constructors[tag] = fn
    GoLoader.yaml_constructors[T_NULL] = GoLoader.construct_go_null
    GoLoader.yaml_constructors[T_MERGE] = GoLoader.construct_go_str
    return GoLoader


_SHORT_TAG = {NULL: "!!null", BOOL: "!!bool", INT: "!!int", FLOAT: "!!float"}


def _mismatch(kind: str, value: str, tag: str) -> None:
    """go-yaml's error for an explicit tag its value does not fit (``!!int 1.5``)."""
    raise YAMLError(f"yaml: cannot decode {_SHORT_TAG.get(kind, '!!str')} `{value}` as a {tag}")


def _first_nonfinite(v: Any) -> float | None:
    """The first NaN/Inf json.Marshal would meet (maps in sorted key order)."""
    if isinstance(v, float):
        return v if (v != v or math.isinf(v)) else None
    if isinstance(v, dict):
        for k in sorted(v, key=str):
            r = _first_nonfinite(v[k])
            if r is not None:
                return r
    elif isinstance(v, list):
        for x in v:
            r = _first_nonfinite(x)
            if r is not None:
                return r
    return None


def _describe(node: Any) -> str:
    """Go's ``%#v`` of a YAML node decoded by go-yaml v2 into interface{} (invalid-key text)."""
    import json

    if isinstance(node, MappingNode):
        items = sorted((_describe(k), _describe(v)) for k, v in node.value)
        return "map[interface {}]interface {}{" + ", ".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(node, SequenceNode):
        return "[]interface {}{" + ", ".join(_describe(c) for c in node.value) + "}"
    if node.tag != T_STR:
        kind, v = _resolve_v2(node.value)
        if kind == NULL:
            return "interface {}(nil)"
        if kind == BOOL:
            return "true" if v else "false"
        if kind == INT:
            return str(v)
        if kind == FLOAT:
            from kelm.golang.floats import format_g

            return format_g(v)  # type: ignore[arg-type]
    return json.dumps(node.value, ensure_ascii=False)


_HELM = make_loader()


def go_error(exc: yaml.YAMLError, text: str | bytes = "", *, v3: bool = False) -> YAMLError:
    """go-yaml's text for a PyYAML (libyaml) error: ``yaml: line N: PROBLEM``.

    go-yaml v2 names the problem line, 1-based for scanner errors but 0-based (one less) for
    parser errors, and falls back to the context line when the problem is on the first line;
    v3 names the context line first (``[`` of an unclosed flow sequence), then the problem's.
    """
    if isinstance(exc, YAMLError):
        return exc
    problem = getattr(exc, "problem", None) or "unknown problem parsing YAML content"
    pm = getattr(exc, "problem_mark", None)
    cm = getattr(exc, "context_mark", None)
    if isinstance(exc, yaml.composer.ComposerError) and "undefined alias" in problem:
        return YAMLSyntaxError(f"yaml: unknown anchor '{_alias_name(text)}' referenced", 0)
    if isinstance(exc, yaml.constructor.ConstructorError) and "recursive" in problem:
        return YAMLSyntaxError(f"yaml: anchor '{_recursive_anchor(text)}' value contains itself", 0)
    if isinstance(exc, yaml.reader.ReaderError):
        return YAMLSyntaxError(f"yaml: {exc.reason or 'control characters are not allowed'}", 0)
    line = 0
    scanner = 1 if isinstance(exc, yaml.scanner.ScannerError) else 0
    if v3:
        for mark in (cm, pm):
            if mark is not None and mark.line != 0:
                line = mark.line + scanner
                break
    elif pm is not None and pm.line != 0:
        line = pm.line + scanner
    elif cm is not None and cm.line != 0:
        line = cm.line
    where = f"line {line}: " if line else ""
    return YAMLSyntaxError(f"yaml: {where}{problem}", line)


def _alias_name(text: str | bytes) -> str:
    """The first alias used before an anchor of that name (PyYAML's C binding drops it)."""
    seen: set[str] = set()
    try:
        for ev in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(ev, yaml.DocumentStartEvent):
                seen.clear()  # anchors live within one document
            anchor = getattr(ev, "anchor", None)
            if anchor is None:
                continue
            if isinstance(ev, yaml.AliasEvent):
                if anchor not in seen:
                    return anchor
            else:
                seen.add(anchor)
    except yaml.YAMLError:
        pass
    return ""


def _recursive_anchor(text: str | bytes) -> str:
    """The first anchor referenced from inside its own node."""
    open_anchors: list[str | None] = []
    try:
        for ev in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                open_anchors.append(ev.anchor)
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                open_anchors.pop()
            elif isinstance(ev, yaml.AliasEvent) and ev.anchor is not None and (
                    ev.anchor in open_anchors):
                return ev.anchor
    except yaml.YAMLError:
        pass
    return ""


def _load_first(text: str | bytes, loader_cls: type) -> Any:
    return _load(text, loader_cls, first_only=True)


def _load(text: str | bytes, loader_cls: type, first_only: bool, lines: bool = False) -> Any:
    """Documents of ``text``; anchors defined twice are renamed first (go-yaml lets a later
    anchor replace an earlier one, PyYAML's composer refuses)."""
    try:
        return _construct(text, loader_cls, first_only, lines)
    except yaml.composer.ComposerError as e:
        if "duplicate anchor" not in str(e.context or ""):
            raise
        renamed = _unique_anchors(text)
        if renamed is None:
            raise
        return _construct(renamed, loader_cls, first_only, lines)


def _alias_ratio(decoded: int) -> float:
    """go-yaml's allowed share of alias-expanded nodes for ``decoded`` nodes in all."""
    if decoded <= 400_000:
        return 0.99
    if decoded >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * (decoded - 400_000) / 3_600_000


def _node_count(obj: Any) -> int:
    n = 1
    if isinstance(obj, dict):
        for v in obj.values():
            n += 1 + (_node_count(v) if isinstance(v, (dict, list)) else 1)
    elif isinstance(obj, list):
        for v in obj:
            n += _node_count(v) if isinstance(v, (dict, list)) else 1
    return n


def _count_alias(loader: Any, obj: Any) -> None:
    """Refuse a billion-laughs document as go-yaml does: alias expansions are counted and may
    not dominate the nodes decoded (the document's own nodes estimated from its lines)."""
    loader.alias_nodes = getattr(loader, "alias_nodes", 0) + _node_count(obj)
    decoded = getattr(loader, "own_nodes", 0) + loader.alias_nodes
    if loader.alias_nodes > 100 and decoded > 1000 and (
            loader.alias_nodes / decoded > _alias_ratio(decoded)):
        raise YAMLError("yaml: document contains excessive aliasing")


def _construct(text: str | bytes, loader_cls: type, first_only: bool, lines: bool) -> Any:
    loader = loader_cls(text)
    newlines = text.count("\n") if isinstance(text, str) else text.count(b"\n")
    loader.own_nodes = 2 * (newlines + 1)
    try:
        if first_only:
            if not loader.check_node():
                return None
            return loader.construct_document(loader.get_node())
        out = []
        while loader.check_node():
            node = loader.get_node()
            doc = loader.construct_document(node)
            out.append((node.start_mark.line + 1, doc) if lines else doc)
        return out
    finally:
        loader.dispose()


def _unique_anchors(text: str | bytes) -> str | None:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return None
    count: dict[str, int] = {}
    current: dict[str, str] = {}
    edits: list[tuple[int, int, str]] = []
    try:
        for ev in yaml.parse(text, Loader=yaml.CSafeLoader):
            name = getattr(ev, "anchor", None)
            if name is None:
                continue
            assert ev.start_mark is not None
            i = ev.start_mark.index
            if isinstance(ev, yaml.AliasEvent):
                new = current.get(name, name)
                if new != name and text.startswith("*" + name, i):
                    edits.append((i, len(name) + 1, "*" + new))
            else:
                n = count[name] = count.get(name, 0) + 1
                new = current[name] = name if n == 1 else f"{name}-kelm{n}"
                if n > 1 and text.startswith("&" + name, i):
                    edits.append((i, len(name) + 1, "&" + new))
    except yaml.YAMLError:
        return None
    for i, n, rep in reversed(edits):
        text = text[:i] + rep + text[i + n:]
    return text


def _raw_bytes(text: str | bytes) -> str | bytes:
    """Strings carrying raw non-UTF-8 bytes (surrogateescape) go to libyaml as bytes, so it
    reports "invalid leading UTF-8 octet" as go-yaml does."""
    if isinstance(text, str) and not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return text.encode("utf-8", "surrogateescape")
    return text


def load_helm(text: str | bytes, *, loader_cls: type | None = None) -> Any:
    """First YAML document as Helm sees it (sigs.k8s.io/yaml.Unmarshal into interface{}).

    Raises :class:`YAMLError` whose text is sigs.k8s.io/yaml's
    (``error converting YAML to JSON: yaml: line 4: could not find expected ':'``).
    ``loader_cls`` (from :func:`make_loader`) replaces the default typing, errors stay Helm's.
    """
    text = _raw_bytes(text)
    try:
        return _load_first(text, loader_cls or _HELM)
    except YAMLError as e:
        if not e.message.startswith(JSON_PREFIX):
            raise YAMLError(JSON_PREFIX + e.message, e.line) from None
        raise
    except yaml.YAMLError as e:
        g = go_error(e, text)
        raise YAMLError(JSON_PREFIX + g.message, g.line) from None


def load_all_helm(text: str | bytes) -> list[Any]:
    """Every document (empty ones as None), each typed like :func:`load_helm`."""
    text = _raw_bytes(text)
    try:
        out: list[Any] = _load(text, _HELM, first_only=False)
    except YAMLError as e:
        if not e.message.startswith(JSON_PREFIX):
            raise YAMLError(JSON_PREFIX + e.message, e.line) from None
        raise
    except yaml.YAMLError as e:
        g = go_error(e, text)
        raise YAMLError(JSON_PREFIX + g.message, g.line) from None
    return out


def load_go(text: str | bytes, loader_cls: type, *, v3: bool = False) -> Any:
    """First document with a loader from :func:`make_loader`; errors in go-yaml's words."""
    try:
        return _load_first(text, loader_cls)
    except yaml.YAMLError as e:
        raise go_error(e, text, v3=v3) from None


def load_all_go(text: str | bytes, loader_cls: type, *, v3: bool = False,
                lines: bool = False) -> list[Any]:
    """Every document (empty ones as None) with a loader from :func:`make_loader`, or with
    ``lines`` (1-based start line, document) pairs; errors in go-yaml's words."""
    try:
        out: list[Any] = _load(text, loader_cls, first_only=False, lines=lines)
    except yaml.YAMLError as e:
        raise go_error(e, text, v3=v3) from None
    return out


_FLAVOURS = {
    "k8s": {"json_numbers": False, "reject_nonfinite": True},
    "kustomization": {"json_numbers": False},
}


@functools.cache
def go_loader(flavour: str) -> type:
    """The loader class of a named reader (see the module docstring): helm, k8s or
    kustomization (kyaml's needs the caller's empty-value marker: :func:`make_loader`)."""
    return _HELM if flavour == "helm" else make_loader(**_FLAVOURS[flavour])
