"""values.yaml rule (Helm's ``rules.ValuesWithOverrides``): parse, then the chart's own schema."""

from __future__ import annotations

import os
from typing import Any

from kelm.lint.support import ERROR, INFO, Linter

_PREFIX = "error unmarshaling JSON: while decoding JSON: json: "


def read_values_file(path: str) -> tuple[dict[str, Any], str | None]:
    """``common.ReadValuesFile``: (values, error text)."""
    from kelm.yaml import YAMLError, load_helm

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        return {}, f"read {path}: is a directory"
    except OSError as e:
        return {}, f"open {path}: {(e.strerror or '').lower()}"
    try:
        doc = load_helm(data.decode("utf-8", "replace"))
    except YAMLError as e:
        return {}, str(e)
    if doc is None:
        return {}, None
    if not isinstance(doc, dict):
        from kelm.yaml.jsondec import go_json_kind

        return {}, f"{_PREFIX}cannot unmarshal {go_json_kind(doc)} into Go value of type common.Values"
    return doc, None


def _values_error(path: str, overrides: dict[str, Any], skip_schema: bool) -> str | None:
    from kelm.values.coalesce import coalesce_tables, copy_values

    values, err = read_values_file(path)
    if err is not None:
        return f"unable to parse YAML: {err}"
    merged = coalesce_tables({}, copy_values(overrides))
    merged = coalesce_tables(merged, values)
    schema_path = os.path.splitext(path)[0] + ".schema.json"
    try:
        with open(schema_path, "rb") as fh:
            schema = fh.read()
    except OSError:
        schema = b""
    if not schema or skip_schema:
        return None
    from kelm.chart.schema import validate_single

    report = validate_single(merged, schema)
    return report or None


def lint_values(linter: Linter, overrides: dict[str, Any], skip_schema: bool) -> None:
    name = "values.yaml"
    path = os.path.join(linter.chart_dir, name)
    if not linter.rule(INFO, name, None if os.path.exists(path) else "file does not exist"):
        return
    linter.rule(ERROR, name, _values_error(path, overrides, skip_schema))
