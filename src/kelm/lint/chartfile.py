"""Chart.yaml rules (Helm's ``rules.Chartfile``)."""

from __future__ import annotations

import os
import re
from typing import Any

from kelm.lint.support import ERROR, INFO, WARNING, Linter, go_quote
from kelm.lint.urls import is_email, is_request_url, is_url
from kelm.yaml.jsondec import go_json_kind

_PREFIX = "error unmarshaling JSON: while decoding JSON: json: "
_METADATA_FIELDS = (
    "name", "home", "sources", "version", "description", "keywords", "maintainers", "icon",
    "apiVersion", "condition", "tags", "appVersion", "deprecated", "annotations", "kubeVersion",
    "dependencies", "type",
)
_MAINTAINER_FIELDS = ("name", "email", "url")
_DEPENDENCY_FIELDS = (
    "name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias",
)
STRICT_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(-(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?"
    r"(\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$"
)


def go_type_name(v: Any) -> str:
    """``%T`` of a value decoded by sigs.k8s.io/yaml into ``interface{}``."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "[]interface {}"
    return "map[string]interface {}"


def _known(key: str, fields: tuple[str, ...]) -> bool:
    low = key.lower()
    return any(f == key or f.lower() == low for f in fields)


def _field_of(key: str, fields: tuple[str, ...]) -> str | None:
    for f in fields:
        if f == key:
            return f
    low = key.lower()
    for f in fields:
        if f.lower() == low:
            return f
    return None


def first_unknown_field(doc: dict[str, Any]) -> str | None:
    """The first key (JSON order: sorted, depth first) that Chart.yaml's struct lacks."""
    for key in sorted(doc, key=lambda k: k.encode()):
        f = _field_of(key, _METADATA_FIELDS)
        if f is None:
            return key
        v = doc[key]
        sub = {"maintainers": _MAINTAINER_FIELDS, "dependencies": _DEPENDENCY_FIELDS}.get(f)
        if sub is None or not isinstance(v, list):
            continue
        for item in v:
            if isinstance(item, dict):
                for k in sorted(item, key=lambda k: k.encode()):
                    if not _known(k, sub):
                        return k
    return None


def duplicate_key_error(text: str) -> str | None:
    """go-yaml v2 strict mode: every key set twice in one mapping, with its line."""
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    errs: list[str] = []
    seen_nodes: set[int] = set()

    def walk(node: Any) -> None:
        if node is None or id(node) in seen_nodes:
            return
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[tuple[str, str]] = set()
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    ident = (k.tag, k.value)
                    if ident in keys:
                        shown = go_quote(k.value) if k.tag.endswith(":str") else k.value
                        errs.append(f"  line {k.start_mark.line + 1}: key {shown} already set in map")
                    keys.add(ident)
                walk(v)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(root)
    if not errs:
        return None
    return "error converting YAML to JSON: yaml: unmarshal errors:\n" + "\n".join(errs)


def _load(path: str) -> tuple[Any, Any, str | None]:
    """(metadata, raw mapping, error text) as ``chartutil.LoadChartfile`` sees the file."""
    from kelm.chart.metadata import decode_metadata
    from kelm.chart.model import ChartError, Metadata
    from kelm.yaml import YAMLError, load_helm

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        return None, None, f"read {path}: is a directory"
    except OSError as e:
        return None, None, f"open {path}: {(e.strerror or '').lower()}"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        doc = load_helm(data.decode("utf-8", "replace"))
    except YAMLError as e:
        return None, None, str(e)
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        return None, doc, f"{_PREFIX}cannot unmarshal {go_json_kind(doc)} into Go value of type v2.Metadata"
    try:
        md = decode_metadata(doc, Metadata())
    except ChartError as e:
        return None, doc, str(e)
    return md, doc, None


def _version_error(version: str) -> str | None:
    from kelm.chart.semver import parse_version

    if not version:
        return "version is required"
    v = parse_version(version)
    if v is None:
        return f"version '{version}' is not a valid SemVer"
    if (v.major, v.minor, v.patch) == (0, 0, 0) and (v.pre in ("", "0") or v.pre < "0"):
        return f"version {version} is less than or equal to 0.0.0-0"
    return None


def _maintainer_error(md: Any) -> str | None:
    for m in md.maintainers:
        if m is None:
            return "a maintainer entry is empty"
        if not m.name:
            return "each maintainer requires a name"
        if m.email and not is_email(m.email):
            return f"invalid email '{m.email}' for maintainer '{m.name}'"
        if m.url and not is_url(m.url):
            return f"invalid url '{m.url}' for maintainer '{m.name}'"
    return None


def _string_type_error(doc: Any, key: str) -> str | None:
    if not isinstance(doc, dict) or key not in doc:
        return None
    t = go_type_name(doc[key])
    if t != "string":
        return f"{key} should be of type string but it's of type {t}"
    return None


def lint_chartfile(linter: Linter) -> None:
    name = "Chart.yaml"
    path = os.path.join(linter.chart_dir, name)
    linter.rule(ERROR, name, "should be a file, not a directory" if os.path.isdir(path) else None)
    md, doc, err = _load(path)
    if not linter.rule(ERROR, name, None if err is None else f"unable to parse YAML\n\t{err}"):
        return
    with open(path, "rb") as fh:
        dup = duplicate_key_error(fh.read().decode("utf-8", "replace"))
    unknown = first_unknown_field(doc) if isinstance(doc, dict) else None
    if dup is not None:
        linter.rule(WARNING, name, f"failed to strictly parse chart metadata file\n\t{dup}")
    elif unknown is not None:
        linter.rule(WARNING, name, "failed to strictly parse chart metadata file\n\t"
                    f"{_PREFIX}unknown field {go_quote(unknown)}")
    if not md.name:
        linter.rule(ERROR, name, "name is required")
    elif md.name.rstrip("/").rsplit("/", 1)[-1] != md.name or md.name in (".", ".."):
        linter.rule(ERROR, name, f"chart name {go_quote(md.name)} is invalid")
    if not md.api_version:
        linter.rule(ERROR, name, 'apiVersion is required. The value must be either "v1" or "v2"')
    elif md.api_version not in ("v1", "v2"):
        linter.rule(ERROR, name, f"apiVersion '{md.api_version}' is not valid. The value must be "
                    'either "v1" or "v2"')
    linter.rule(ERROR, name, _string_type_error(doc, "version"))
    linter.rule(ERROR, name, _version_error(md.version))
    linter.rule(ERROR, name, _string_type_error(doc, "appVersion"))
    linter.rule(ERROR, name, _maintainer_error(md))
    for src in md.sources:
        if not src or not is_request_url(src):
            linter.rule(ERROR, name, f"invalid source URL '{src}'")
            break
    linter.rule(INFO, name, None if md.icon else "icon is recommended")
    if md.icon and not is_request_url(md.icon):
        linter.rule(ERROR, name, f"invalid icon URL '{md.icon}'")
    if md.type and md.api_version != "v2":
        linter.rule(ERROR, name, f"chart type is not valid in apiVersion '{md.api_version}'. It is "
                    "valid in apiVersion 'v2'")
    if md.dependencies and md.api_version != "v2":
        linter.rule(ERROR, name, "dependencies are not valid in the Chart file with apiVersion "
                    f"'{md.api_version}'. They are valid in apiVersion 'v2'")
    if STRICT_SEMVER.match(md.version) is None:
        linter.rule(WARNING, name, f"version '{md.version}' is not a valid SemVerV2")
