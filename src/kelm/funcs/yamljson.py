"""YAML / JSON / TOML template functions: Helm's toYaml family and sprig's JSON helpers.

Helm swallows most errors: ``toYaml``/``toJson`` return "" and the ``from*`` readers put the
message in an ``Error`` key (or a one-element list); only the ``must*`` variants fail.
"""

from __future__ import annotations

from kelm.golang.value import GoError, GoFunc, gofunc, is_nil_collection
from kelm.yaml import JSONError, dump_json, dump_v2, dump_v3
from kelm.yaml.jsondec import GoJSONSyntaxError, go_json_kind, parse
from kelm.yaml.jsonenc import NilList, NilMap, ReparseError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


def _trim_nl(s: str) -> str:
    return s[:-1] if s.endswith("\n") else s


@gofunc("func(interface {}) string")
def to_yaml(v: Any) -> str:
    try:
        return _trim_nl(dump_v2(v))
    except (JSONError, TypeError):
        return ""


@gofunc("func(interface {}) (string, error)")
def must_to_yaml(v: Any) -> str:
    try:
        return _trim_nl(dump_v2(v))
    except ReparseError as e:
        raise GoError(str(e)) from None
    except JSONError as e:
        raise GoError(f"error marshaling into JSON: {e}") from None


@gofunc("func(interface {}) string")
def to_yaml_pretty(v: Any) -> str:
    try:
        return _trim_nl(dump_v3(v))
    except (JSONError, TypeError):
        return ""


def _json(v: Any, html: bool, indent: str | None) -> str:
    try:
        return dump_json(v, escape_html=html, indent=indent)
    except JSONError:
        return ""


def _must_json(v: Any, html: bool, indent: str | None) -> str:
    try:
        return dump_json(v, escape_html=html, indent=indent)
    except JSONError as e:
        raise GoError(str(e)) from None


@gofunc("func(interface {}) string")
def to_json(v: Any) -> str:
    return _json(v, True, None)


@gofunc("func(interface {}) (string, error)")
def must_to_json(v: Any) -> str:
    return _must_json(v, True, None)


@gofunc("func(interface {}) string")
def to_pretty_json(v: Any) -> str:
    return _json(v, True, "  ")


@gofunc("func(interface {}) (string, error)")
def must_to_pretty_json(v: Any) -> str:
    return _must_json(v, True, "  ")


@gofunc("func(interface {}) string")
def to_raw_json(v: Any) -> str:
    # sprig's toRawJson panics on a marshal error (the template reports it), unlike toJson
    return _must_json(v, False, None)


@gofunc("func(interface {}) (string, error)")
def must_to_raw_json(v: Any) -> str:
    return _must_json(v, False, None)


_MAP_T = "map[string]interface {}"
_LIST_T = "[]interface {}"


def _yaml_into(s: str, want: type) -> Any:
    """sigs.k8s.io/yaml.Unmarshal into a map / slice; returns the value or raises ValueError."""
    from kelm.yaml.loader import YAMLError, load_helm

    try:
        v = load_helm(s)
    except YAMLError as e:
        raise ValueError(str(e)) from None
    if v is None:
        return None
    if not isinstance(v, want):
        target = _MAP_T if want is dict else _LIST_T
        raise ValueError(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{go_json_kind(v)} into Go value of type {target}"
        )
    return v


@gofunc("func(string) map[string]interface {}")
def from_yaml(s: str) -> Any:
    try:
        v = _yaml_into(s, dict)
    except ValueError as e:
        return {"Error": str(e)}
    return {} if v is None else v


@gofunc("func(string) []interface {}")
def from_yaml_array(s: str) -> Any:
    try:
        v = _yaml_into(s, list)
    except ValueError as e:
        return [str(e)]
    return [] if v is None else v


def _json_into(s: str, want: type | None) -> tuple[Any, str | None]:
    """(value, error) of json.Unmarshal into a map/slice/interface{}; syntax errors raise."""
    v, err = parse(s)
    if want is None or v is None or isinstance(v, want):
        return v, err
    target = _MAP_T if want is dict else _LIST_T
    return None, f"json: cannot unmarshal {go_json_kind(v)} into Go value of type {target}"


@gofunc("func(string) map[string]interface {}")
def from_json(s: str) -> Any:
    try:
        v, err = _json_into(s, dict)
    except GoJSONSyntaxError as e:
        return {"Error": str(e)}
    if v is None and not err:
        return NilMap()  # JSON null leaves Go a nil map (toJson prints null)
    m = {} if v is None else v
    if err:
        m["Error"] = err
    return m


@gofunc("func(string) []interface {}")
def from_json_array(s: str) -> Any:
    try:
        v, err = _json_into(s, list)
    except GoJSONSyntaxError as e:
        return [str(e)]
    if err:
        return [err]
    return NilList() if v is None else v


@gofunc("func(string) (interface {}, error)")
def must_from_json(s: str) -> Any:
    try:
        v, err = _json_into(s, None)
    except GoJSONSyntaxError as e:
        raise GoError(str(e)) from None
    if err:
        raise GoError(err)
    return v


@gofunc("func(interface {}) string")
def to_toml(v: Any) -> str:
    from kelm.yaml.toml import TOMLError, dump_toml

    if is_nil_collection(v):  # BurntSushi: a nil slice is an empty array, a nil map no table
        return "[]" if isinstance(v, list) else ""
    try:
        return dump_toml(v)
    except TOMLError as e:
        if e.fatal:
            raise GoError(str(e)) from None
        return str(e)


@gofunc("func(string) map[string]interface {}")
def from_toml(s: str) -> Any:
    from kelm.yaml.toml import TOMLError, load_toml

    try:
        return load_toml(s)
    except TOMLError as e:
        return {"Error": str(e)}


FUNCS: dict[str, GoFunc] = {
    "toYaml": to_yaml,
    "mustToYaml": must_to_yaml,
    "toYamlPretty": to_yaml_pretty,
    "toJson": to_json,
    "mustToJson": must_to_json,
    "toPrettyJson": to_pretty_json,
    "mustToPrettyJson": must_to_pretty_json,
    "toRawJson": to_raw_json,
    "mustToRawJson": must_to_raw_json,
    "fromYaml": from_yaml,
    "fromYamlArray": from_yaml_array,
    "fromJson": from_json,
    "mustFromJson": must_from_json,
    "fromJsonArray": from_json_array,
    "toToml": to_toml,
    "fromToml": from_toml,
}
