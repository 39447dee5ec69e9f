"""values.schema.json validation of the final values, for the chart and each subchart.

Messages follow the santhosh-tekuri/jsonschema v6 wording Helm prints
(``- at '/path': got null, want string``), grouped per chart as Helm does.
"""

from __future__ import annotations

from kelm.chart.model import Chart

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class SchemaError(Exception):
    pass


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"  # jsonschema v6 names every Go number kind "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "unknown"


def _quote_list(items: list[Any]) -> str:
    import json  # (this module is imported by every render, json only by charts with a schema)

    return ", ".join(f"'{i}'" if isinstance(i, str) else json.dumps(i) for i in items)


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _message(err: Any, validator: Any = None) -> str:
    v = err.validator
    inst = err.instance
    val = err.validator_value
    if v == "type":
        want = val if isinstance(val, list) else [val]
        return f"got {_json_type(inst)}, want {' or '.join(want)}"
    if v == "required":
        missing = [p for p in val if isinstance(inst, dict) and p not in inst]
        if len(missing) == 1:
            return f"missing property '{missing[0]}'"
        return "missing properties " + _quote_list(missing)
    if v == "enum":
        if len(val) == 1:
            return "value must be " + _quote_list(list(val))
        return "value must be one of " + _quote_list(list(val))
    if v == "const":
        return "value must be " + _quote_list([val])
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
             "minProperties", "maxProperties"):
        got = len(inst) if v.endswith("Properties") else _num(inst)
        return f"{v}: got {got}, want {_num(val)}"
    if v == "minLength":
        return f"minLength: got {len(inst)}, want {val}"
    if v == "maxLength":
        return f"maxLength: got {len(inst)}, want {val}"
    if v == "minItems":
        return f"minItems: got {len(inst)}, want {val}"
    if v == "maxItems":
        return f"maxItems: got {len(inst)}, want {val}"
    if v == "pattern":
        return f"'{inst}' does not match pattern '{val}'"
    if v == "additionalProperties":
        extra = sorted(k for k in inst if k not in (err.schema.get("properties") or {}))
        return "additional properties " + _quote_list(extra) + " not allowed"
    if v == "format":
        return f"'{inst}' is not valid {val}"
    if v == "not":
        return "'not' failed"
    if v == "oneOf":
        return "'oneOf' failed, subschemas " + ", ".join(map(str, _matched(err, validator)[:2])) + " matched"
    return err.message


def _matched(err: Any, validator: Any) -> list[int]:
    """Indices of the oneOf branches the instance satisfies (v6 names the first two)."""
    subs = err.validator_value if isinstance(err.validator_value, list) else []
    return [i for i, sub in enumerate(subs)
            if validator is not None and validator.evolve(schema=sub).is_valid(err.instance)]


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


REF_TIMEOUT = 15.0  # seconds: Helm's schema loader gives up on a silent server after 15 s


class RefLoadError(Exception):
    """A remote ``$ref`` could not be loaded; ``str()`` is Helm's line."""


def _retrieve(uri: str) -> Any:
    """A schema's http(s) ``$ref`` fetched as Helm's loader does (bounded, never a hang)."""
    from referencing import Resource
    from referencing.exceptions import NoSuchResource

    if not uri.startswith(("http://", "https://")):
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
    import json

    from kelm.values.httpget import HTTPGetError, http_get

    where = f'failing loading "{uri}": HTTP request failed for {uri}'
    try:
        status, _reason, body = http_get(uri, REF_TIMEOUT)
    except HTTPGetError as e:
        raise RefLoadError(f"{where}: {e}") from None
    if status != 200:
        raise RefLoadError(f"{where}: returned status code {status}")
    try:
        contents = json.loads(body)
    except ValueError as e:
        raise RefLoadError(f'failing loading "{uri}": {e}') from None
    from referencing.jsonschema import DRAFT202012

    return Resource.from_contents(contents, default_specification=DRAFT202012)


def _ref_load_error(e: BaseException | None) -> RefLoadError | None:
    seen = 0
    while e is not None and seen < 10:
        if isinstance(e, RefLoadError):
            return e
        e, seen = e.__cause__ or e.__context__, seen + 1
    return None


def validate_single(values: dict[str, Any], schema_json: bytes,
                    logs: list[str] | None = None) -> str:
    """Errors of one schema against values, as Helm's text (empty string if valid);
    ``logs`` receives the DEBUG line Helm prints with ``--debug`` once the schema parses."""
    import json

    try:
        schema = json.loads(schema_json)
    except ValueError as e:
        from kelm.yaml.jsondec import parse

        msg = str(e)
        try:  # encoding/json's words for it
            parse(schema_json.decode("utf-8", "replace"))
        except ValueError as go:
            msg = str(go)
        return f"{msg}\n"
    if logs is not None:
        from kelm.golang.slog import text_value

        text = schema_json.decode("utf-8", "replace")
        logs.append(f'level=DEBUG msg="unmarshalled JSON schema" schema={text_value(text)}')
    from kelm.chart.schemafast import certainly_valid

    if certainly_valid(schema, values):  # spares the jsonschema import (most values are valid)
        return ""
    import jsonschema

    try:
        cls = jsonschema.validators.validator_for(
            schema, default=jsonschema.Draft202012Validator
        )
        from referencing import Registry

        validator = cls(schema, format_checker=None,
                        registry=Registry(retrieve=_retrieve))  # type: ignore[call-arg]
        errors = list(validator.iter_errors(values))
    except jsonschema.exceptions.SchemaError as e:
        return f"{e.message}\n"
    except Exception as e:  # unresolvable $ref and the like
        loading = _ref_load_error(e)
        if loading is not None:
            return f"{loading}\n"
        return f"unable to validate schema: {e}\n"
    if not errors:
        return ""
    from kelm.chart.schematree import build, render

    return "\n".join(render(build(errors, [], lambda e: _message(e, validator)), _pointer)) + "\n"


def validate_against_schema(
    chart: Chart, values: dict[str, Any], logs: list[str] | None = None
) -> str:
    """Helm's ``ValidateAgainstSchema``: the collected report, empty when all is valid.

    ``logs`` receives the DEBUG lines Helm prints with ``--debug``.
    """
    from kelm.golang.slog import text_value

    out = []
    if chart.schema is not None and logs is not None:
        logs.append(f'level=DEBUG msg="chart name" chart-name={text_value(chart.name)}')
    if chart.schema is not None:
        err = validate_single(values, chart.schema, logs)
        if err:
            out.append(f"{chart.name}:\n{err}")
    if logs is not None:
        logs.append(
            'level=DEBUG msg="number of dependencies in the chart" '
            f"chart={text_value(chart.name)} dependencies={len(chart.dependencies)}"
        )
    for sub in chart.dependencies:
        raw = values.get(sub.name)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            from kelm.golang.value import go_type

            out.append(
                f"{sub.name}:\ninvalid type for values: expected object (map), got {go_type(raw)}\n"
            )
            continue
        out.append(validate_against_schema(sub, raw, logs))
    return "".join(out)
