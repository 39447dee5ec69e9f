"""kelm.chart.schemafast may only call values valid when jsonschema agrees."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kelm.chart.schemafast import CONSTRAINING, certainly_valid
from tests.shared import SHARED, needs_shared

CORPUS = Path(os.environ.get("KELM_CORPUS") or SHARED / "charts")


def _jsonschema_valid(schema: Any, inst: Any) -> bool:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        return not list(cls(schema, format_checker=None).iter_errors(inst))
    except Exception:  # noqa: BLE001 - an unusable schema is no valid verdict
        return False


def test_every_keyword_jsonschema_acts_on_is_known() -> None:
    acted_on = set()
    for cls in vars(jsonschema.validators).values():
        if isinstance(cls, type) and hasattr(cls, "VALIDATORS"):
            acted_on |= set(cls.VALIDATORS)
    assert acted_on <= CONSTRAINING


SCHEMAS: list[Any] = [
    {"type": "object", "properties": {"port": {"type": "integer", "minimum": 1,
                                               "maximum": 65535}}},
    {"$schema": "http://json-schema.org/draft-04/schema#",
     "properties": {"port": {"type": "integer"}}},
    {"$schema": "http://json-schema.org/draft-07/schema#",
     "properties": {"port": {"type": ["integer", "null"]}}, "required": ["port"]},
    {"properties": {"name": {"type": "string", "minLength": 2, "maxLength": 5,
                             "pattern": "^[a-z]+$"}}, "additionalProperties": False},
    {"properties": {"mode": {"enum": ["a", "b", None, True]}}, "additionalProperties":
        {"type": "boolean"}},
    {"properties": {"tags": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                             "maxItems": 2}}},
    {"properties": {"x": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    "y": {"allOf": [{"type": "number"}, {"minimum": 0}]},
                    "z": {"const": "fixed"}}},
    {"properties": {"x": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}},
    {"properties": {"x": {"$ref": "#/definitions/s"}}, "definitions": {"s": {"type": "string"}}},
    {"properties": {"x": {"type": "string", "form": True, "render": "textarea"}}},
    {"properties": {"x": {"type": "strnig"}}},
    {"$schema": ["not", "a", "string"], "properties": {"x": {"type": "string"}}},
    {"properties": {"x": {"items": True}}},
    {"properties": {"x": {"minimum": 2, "exclusiveMinimum": True}}},
    True,
]
INSTANCES: list[Any] = [
    {}, {"port": 80}, {"port": 80.0}, {"port": 80.5}, {"port": 0}, {"port": None},
    {"port": "80"}, {"port": True}, {"name": "ab"}, {"name": "a"}, {"name": "abcdef"},
    {"name": "AB"}, {"name": "ab", "other": 1}, {"mode": "a"}, {"mode": None}, {"mode": 1},
    {"mode": "a", "flag": True}, {"mode": "a", "flag": "yes"}, {"tags": []}, {"tags": ["a"]},
    {"tags": ["a", 1]}, {"tags": ["a", "b", "c"]}, {"x": "s"}, {"x": 1}, {"x": 1.5},
    {"x": [1]}, {"y": 1}, {"y": -1}, {"y": "1"}, {"z": "fixed"}, {"z": "other"},
    {"x": "s", "y": 2.5, "z": "fixed"}, [], "top", 3,
]


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: json.dumps(s)[:60])
def test_certainly_valid_implies_jsonschema_valid(schema: Any) -> None:
    for inst in INSTANCES:
        if certainly_valid(schema, inst):
            assert _jsonschema_valid(schema, inst), inst


def test_plain_valid_values_take_the_fast_path() -> None:
    assert certainly_valid(SCHEMAS[0], {"port": 80.0})
    assert not certainly_valid(SCHEMAS[1], {"port": 80.0})  # draft 4: 80.0 is no integer
    assert certainly_valid(SCHEMAS[1], {"port": 80})
    assert certainly_valid(SCHEMAS[3], {"name": "ab"})
    assert certainly_valid(SCHEMAS[6], {"x": "s", "y": 2.5, "z": "fixed"})
    assert certainly_valid(SCHEMAS[9], {"x": "s"})
    assert not certainly_valid(SCHEMAS[7], {"x": "s"})  # oneOf is left to jsonschema
    assert not certainly_valid(SCHEMAS[8], {"x": "s"})  # so is $ref


def _floats(v: Any) -> Any:
    """Values as Helm hands them to the validator: every number a float64."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, list):
        return [_floats(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _floats(x) for k, x in v.items()}
    return str(v)


@needs_shared(CORPUS / "charts", "the shared chart corpus")
def test_corpus_schemas_agree_with_jsonschema() -> None:
    checked = 0
    for path in itertools.islice(sorted((CORPUS / "charts").rglob("values.schema.json")), 200):
        try:
            schema = json.loads(path.read_text())
            values = yaml.safe_load((path.parent / "values.yaml").read_text()) or {}
        except (OSError, ValueError, yaml.YAMLError):
            continue
        for inst in (values, _floats(values)):
            if certainly_valid(schema, inst):
                checked += 1
                assert _jsonschema_valid(schema, inst), path
    assert checked > 0


def _mutations(values: dict[str, Any]) -> Any:
    """Each top-level value replaced by values of other JSON types, each second-level one by
    one other type."""
    wrong: list[Any] = [None, "x", 1.5, 1.0, True, [], {}, ["x"], {"k": "x"}]
    for key, val in values.items():
        for w in wrong:
            if type(w) is not type(val):
                yield {**values, key: w}
        if isinstance(val, dict):
            for sub, x in val.items():
                w = "x" if not isinstance(x, str) else 1.5
                yield {**values, key: {**val, sub: w}}


@needs_shared(CORPUS / "charts", "the shared chart corpus")
def test_corpus_schemas_never_pass_values_jsonschema_rejects() -> None:
    rejected = 0
    seen = set()  # subcharts vendor the same mariadb/redis/postgresql schemas many times
    for path in sorted((CORPUS / "charts").rglob("values.schema.json")):
        try:
            texts = (path.read_text(), (path.parent / "values.yaml").read_text())
            schema = json.loads(texts[0])
            values = _floats(yaml.safe_load(texts[1]) or {})
        except (OSError, ValueError, yaml.YAMLError):
            continue
        if texts in seen or not isinstance(values, dict):
            continue
        seen.add(texts)
        for inst in _mutations(values):
            if not _jsonschema_valid(schema, inst):
                rejected += 1
                assert not certainly_valid(schema, inst), (path, inst)
    assert rejected > 0
