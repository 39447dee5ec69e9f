"""Request body checks: object names, unknown fields (``fieldValidation``) and scalar types,
with the real server's wording."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kelm.testing.errors import ApiError, bad_request, invalid
from kelm.testing.registry import ResourceType
from kelm.testing.schema import Node

_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_LABEL_1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                  "characters, '-' or '.', and must start and end with an alphanumeric character "
                  "(e.g. 'example.com', regex used for validation is "
                  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
              "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
              "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
_LABEL_1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                   "start with an alphabetic character, and end with an alphanumeric character "
                   "(e.g. 'my-name',  or 'abc-123', regex used for validation is "
                   "'[a-z]([-a-z0-9]*[a-z0-9])?')")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def _pattern(limit: int, regex: re.Pattern[str], message: str) -> Callable[[str], list[str]]:
    def check(name: str) -> list[str]:
        errs = [f"must be no more than {limit} characters"] if len(name) > limit else []
        return errs + ([] if regex.match(name) else [message])
    return check


def _path_segment(name: str) -> list[str]:
    """RBAC objects' rule: any name that can be one segment of a URL path."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{c}'" for c in "/%" if c in name]


_SUBDOMAIN_NAME = _pattern(253, _SUBDOMAIN, _SUBDOMAIN_MSG)
# Resources whose names follow another rule than a DNS subdomain (the API server's
# per-kind name validators).
_NAME_RULES: dict[tuple[str, str], Callable[[str], list[str]]] = {
    ("", "namespaces"): _pattern(63, _LABEL, _LABEL_MSG),
    ("", "services"): _pattern(63, _LABEL_1035, _LABEL_1035_MSG),
    **{("rbac.authorization.k8s.io", p): _path_segment
       for p in ("roles", "clusterroles", "rolebindings", "clusterrolebindings")},
}


def check_name(t: ResourceType, obj: dict[str, Any]) -> None:
    meta = obj.get("metadata") or {}
    name = meta.get("name", "")
    causes: list[tuple[str, str, str]] = []
    if not name:
        causes.append(("metadata.name", "FieldValueRequired",
                       "Required value: name or generateName is required"))
    else:
        rule = _NAME_RULES.get((t.group, t.plural), _SUBDOMAIN_NAME)
        causes += [("metadata.name", "FieldValueInvalid", f'Invalid value: "{name}": {m}')
                   for m in rule(name)]
    for value in (meta.get("labels") or {}).values():
        if not isinstance(value, str) or len(value) > 63 or not _LABEL_VALUE.match(value):
            causes.append(("metadata.labels", "FieldValueInvalid",
                           f'Invalid value: "{value}": a valid label must be an empty string or '
                           "consist of alphanumeric characters, '-', '_' or '.', and must start "
                           "and end with an alphanumeric character (e.g. 'MyValue',  or "
                           "'my_value',  or '12345', regex used for validation is "
                           "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"))
    if causes:
        raise invalid(t, name, causes)


# Where each workload kind keeps its pod spec.
_POD_SPECS = {("", "pods"): ("spec",), ("batch", "cronjobs"): ("spec", "jobTemplate", "spec",
                                                             "template", "spec")}
_TEMPLATED = {("", "replicationcontrollers"), ("apps", "deployments"), ("apps", "replicasets"),
              ("apps", "statefulsets"), ("apps", "daemonsets"), ("batch", "jobs")}


def check_pod_spec(t: ResourceType, obj: dict[str, Any]) -> None:
    """The pod spec rules charts of the corpus meet (after defaulting, as the server
    validates): liveness and startup probes succeed after one success."""
    key = (t.group, t.plural)
    path = _POD_SPECS.get(key) or (("spec", "template", "spec") if key in _TEMPLATED else None)
    if path is None or t.crd:
        return
    spec: Any = obj
    for step in path:
        spec = spec.get(step) if isinstance(spec, dict) else None
    if not isinstance(spec, dict):
        return
    causes = []
    for i, c in enumerate(spec.get("containers") or []):
        for probe in ("livenessProbe", "startupProbe"):
            threshold = (c.get(probe) or {}).get("successThreshold", 1) if isinstance(c, dict) \
                else 1
            if threshold != 1:
                where = ".".join(path) + f".containers[{i}].{probe}.successThreshold"
                causes.append((where, "FieldValueInvalid",
                               f"Invalid value: {threshold}: must be 1"))
    if causes:
        raise invalid(t, (obj.get("metadata") or {}).get("name", ""), causes)


_GO_TYPES = {"integer": "int64", "string": "string", "boolean": "bool", "number": "float64"}
_JSON_TYPES = {str: "string", bool: "bool", int: "number", float: "number", list: "array",
               dict: "object"}


def _type_ok(value: Any, s: dict[str, Any]) -> bool:
    want = s.get("type")
    if value is None or s.get("x-kubernetes-int-or-string") or s.get("format") == "int-or-string":
        return True
    if want == "integer":
        return isinstance(value, int) and not isinstance(value, bool) or \
            isinstance(value, float) and value.is_integer()
    if want == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if want == "string":
        return isinstance(value, str)
    if want == "boolean":
        return isinstance(value, bool)
    if want == "array":
        return isinstance(value, list)
    if want == "object":
        return isinstance(value, dict)
    return True


def check_fields(t: ResourceType, obj: dict[str, Any], node: Node, mode: str,
                 warnings: list[str]) -> None:
    """Unknown fields per ``fieldValidation`` (Strict: 400, Warn: warnings, Ignore) and
    wrong scalar types (always 400, as decoding into the Go types fails)."""
    unknown: list[str] = []
    _walk(t, obj, node, "", unknown)
    if not unknown or mode == "Ignore":
        return
    if mode == "Strict":
        raise bad_request(f'{t.kind} in version "{t.version}" cannot be handled as a {t.kind}: '
                          "strict decoding error: " + ", ".join(f'unknown field "{u}"' for u in unknown))
    warnings.extend(f'unknown field "{u}"' for u in unknown)


def _struct_name(node: Node, default: str) -> str:
    """The Go type a schema position decodes into (``DeploymentSpec``), for error messages."""
    raw = node.raw or {}
    ref = raw.get("$ref") or ((raw.get("allOf") or [{}])[0].get("$ref") if raw.get("allOf") else "")
    return str(ref).rsplit(".", 1)[-1] if ref else default


def _walk(t: ResourceType, value: Any, node: Node, path: str, unknown: list[str],
          struct: str = "") -> None:
    s = node.schema
    if s is None or s.get("x-kubernetes-preserve-unknown-fields"):
        return
    if str((node.raw or {}).get("$ref", "")).endswith("resource.Quantity"):
        return  # a string or a number
    if not _type_ok(value, s):
        got = _JSON_TYPES.get(type(value), "value")
        want = _GO_TYPES.get(str(s.get("type")), str(s.get("type")))
        if s.get("format") == "int32":
            want = "int32"
        if s.get("format") == "int64":
            want = "int64"
        go_path = re.sub(r"\[\d+\]", "", path)
        raise ApiError(400, "BadRequest",
                       f'{t.kind} in version "{t.version}" cannot be handled as a {t.kind}: '
                       f"json: cannot unmarshal {got} into Go struct field {struct}.{go_path} "
                       f"of type {want}")
    if isinstance(value, dict):
        props = s.get("properties")
        extra = s.get("additionalProperties")
        here = _struct_name(node, struct or t.kind)
        for k, v in value.items():
            sub = f"{path}.{k}" if path else k
            if props is not None and k in props:
                _walk(t, v, node.field(k), sub, unknown, here)
            elif isinstance(extra, dict):
                _walk(t, v, Node(extra, node.defs), sub, unknown, here)
            elif props is not None and extra is not True:
                unknown.append(sub)
    elif isinstance(value, list):
        items = node.items()
        for i, v in enumerate(value):
            _walk(t, v, items, f"{path}[{i}]", unknown, struct)
