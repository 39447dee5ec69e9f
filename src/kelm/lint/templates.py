"""templates/ rules (Helm's ``rules.Templates``): render in lint mode, then check each YAML
document of every root template (syntax, metadata name, deprecated APIs, selectors)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kelm.lint.support import ERROR, WARNING, Linter, LoadedChart, go_quote

_PREFIX = "error unmarshaling JSON: while decoding JSON: json: "
_ALLOWED_EXT = (".yaml", ".yml", ".tpl", ".txt")


class DocumentError(Exception):
    pass


@dataclass
class K8sObject:
    api_version: str = ""
    kind: str = ""
    namespace: str = ""
    name: str = ""


def yaml_documents(content: str) -> Iterator[str]:
    """Documents as k8s' ``YAMLReader`` cuts them (a ``---`` line starts the next one)."""
    lines = content.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    buf: list[str] = []
    for raw in lines:
        line = raw[:-1] if raw.endswith("\r") else raw
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                raise DocumentError(f"invalid Yaml document separator: {rest}")
            if buf:
                yield "".join(buf)
                buf = []
                continue
        buf.append(line + "\n")
    if buf:
        yield "".join(buf)


def _ext(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    i = base.rfind(".")
    return base[i:] if i >= 0 else ""


def _string_field(v: Any, where: str) -> str:
    from kelm.yaml.jsondec import go_json_kind, go_string_field

    if v is None:
        return ""
    s = go_string_field(v)
    if s is not None:
        return s
    raise DocumentError(
        f"{_PREFIX}cannot unmarshal {go_json_kind(v)} into Go struct field {where} of type string"
    )


def _lookup(d: dict[str, Any], key: str) -> Any:
    if key in d:
        return d[key]
    low = key.lower()
    for k, v in d.items():
        if k.lower() == low:
            return v
    return None


def decode_object(doc: str) -> K8sObject | None:
    """One document into Helm's ``k8sYamlStruct`` (None for an empty/null document)."""
    from kelm.yaml import YAMLError, load_helm
    from kelm.yaml.jsondec import go_json_kind

    try:
        data = load_helm(doc)
    except YAMLError as e:
        raise DocumentError(str(e)) from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise DocumentError(
            f"{_PREFIX}cannot unmarshal {go_json_kind(data)} into Go value of type rules.k8sYamlStruct"
        )
    obj = K8sObject()
    obj.api_version = _string_field(_lookup(data, "apiVersion"), "k8sYamlStruct.apiVersion")
    obj.kind = _string_field(_lookup(data, "kind"), "k8sYamlStruct.Kind")
    md = _lookup(data, "metadata")
    if md is not None:
        if not isinstance(md, dict):
            raise DocumentError(
                f"{_PREFIX}cannot unmarshal {go_json_kind(md)} into Go struct field "
                "k8sYamlStruct.Metadata of type rules.k8sYamlMetadata"
            )
        obj.namespace = _string_field(
            _lookup(md, "namespace"), "k8sYamlMetadata.Metadata.Namespace"
        )
        obj.name = _string_field(_lookup(md, "name"), "k8sYamlMetadata.Metadata.Name")
    return obj


def top_indent_error(content: str) -> str | None:
    for line in content.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip(" \t\n\r\v\f\x85\xa0"):
            continue
        if line.startswith((" ", "\t")):
            return (f"document starts with an illegal indent: {go_quote(line)}, which may cause "
                    "parsing problems")
        return None
    return None


def metadata_name_error(obj: K8sObject) -> str | None:
    from kelm.lint.k8snames import name_rule

    msgs = name_rule(obj.kind)(obj.name)
    if not msgs:
        return None
    errs = []
    for m in msgs:
        e = f"metadata.name: Invalid value: {go_quote(obj.name)}: {m}"
        if e not in errs:
            errs.append(e)
    agg = errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"
    return (f"object name does not conform to Kubernetes naming requirements: "
            f"{go_quote(obj.name)}: {agg}")


def match_selector_error(obj: K8sObject, content: str) -> str | None:
    if obj.kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"):
        if "matchLabels" not in content and "matchExpressions" not in content:
            return (f"a {obj.kind} must contain matchLabels or matchExpressions, and "
                    f"{go_quote(obj.name)} does not")
    return None


def list_annotations_error(obj: K8sObject, content: str) -> str | None:
    if obj.kind != "List":
        return None
    from kelm.yaml import YAMLError, load_helm

    try:
        first = next(yaml_documents(content), "")
        data = load_helm(first)
    except (YAMLError, DocumentError) as e:
        return f"unable to parse YAML: {e}"
    items = _lookup(data, "items") if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        md = _lookup(item, "metadata") if isinstance(item, dict) else None
        ann = _lookup(md, "annotations") if isinstance(md, dict) else None
        if isinstance(ann, dict) and "helm.sh/resource-policy" in ann:
            return "annotation 'helm.sh/resource-policy' within List objects are ignored"
    return None


def lint_templates(
    linter: Linter,
    namespace: str,
    values: dict[str, Any],
    kube_version: Any = None,
    skip_schema: bool = False,
    loaded: LoadedChart | None = None,
) -> None:
    from kelm.chart import ChartError
    from kelm.chart.dependencies import process_dependencies
    from kelm.lint.deprecations import deprecation_warning
    from kelm.render.action import ActionError, InstallOptions, to_render_values
    from kelm.render.engine import Engine
    from kelm.render.errors import RenderError
    from kelm.render.scope import Capabilities
    from kelm.values.coalesce import CoalesceError

    tdir = "templates/"
    tpath = os.path.join(linter.chart_dir, "templates")
    if not linter.rule(WARNING, tdir, None if os.path.exists(tpath) else "directory does not exist"):
        return
    if not linter.rule(ERROR, tdir, None if os.path.isdir(tpath) else "not a directory"):
        return
    loaded = loaded or LoadedChart.load(linter.chart_dir)
    if loaded.error:
        linter.rule(ERROR, tdir, loaded.error)
        return
    chart = loaded.chart
    try:
        process_dependencies(chart, values)
    except (ChartError, CoalesceError):
        return
    caps = Capabilities(kube_version, [])
    opts = InstallOptions(release_name="test-release", namespace=namespace,
                          skip_schema_validation=skip_schema)
    try:
        top = to_render_values(chart, values, opts, caps)
    except ActionError as e:
        linter.rule(ERROR, tdir, str(e))
        return
    try:
        rendered = Engine(lint_mode=True).render(chart, top)
    except RenderError as e:
        linter.rule(ERROR, tdir, str(e))
        return
    except RecursionError:
        linter.rule(ERROR, tdir, "rendering template failed: runtime error: stack overflow")
        return
    kv = caps.KubeVersion
    major, minor = int(kv.Major), int("".join(c for c in kv.Minor if c.isdigit()) or "0")
    for t in chart.templates:
        fname = t.name
        ext = _ext(fname)
        if ext not in _ALLOWED_EXT:
            linter.rule(ERROR, fname, f"file extension '{ext}' not valid. Valid extensions are "
                        ".yaml, .yml, .tpl, or .txt")
        if ext.lower() not in (".yaml", ".yml"):
            continue
        content = rendered.get(chart.name + "/" + fname, "")
        if not content.strip():
            continue
        linter.rule(WARNING, fname, top_indent_error(content))
        try:
            for doc in yaml_documents(content):
                obj = decode_object(doc)
                if obj is None:
                    continue
                linter.rule(WARNING, fname, metadata_name_error(obj))
                linter.rule(WARNING, fname,
                            deprecation_warning(obj.api_version, obj.kind, major, minor))
                linter.rule(ERROR, fname, match_selector_error(obj, content))
                linter.rule(ERROR, fname, list_annotations_error(obj, content))
        except DocumentError as e:
            linter.rule(ERROR, fname, f"unable to parse YAML: {e}")
            return
