"""The reader flavours of kelm.yaml.loader other than Helm's values reading.

Error texts are what kubectl kustomize v1.35.2 printed for the same input (it adds its own
prefixes: ``invalid Kustomization: ``, ``MalformedYAMLError: ... in File: r.yaml``,
``map[string]interface {}(nil): ``).
"""

from __future__ import annotations

import math

import pytest

from kelm.kustomize.errors import KustomizeError
from kelm.kustomize.yamlread import EMPTY_NULL, load_documents, load_kustomization_text
from kelm.yaml.loader import RawFloat, RawInt, YAMLError, go_loader, load_all_go, load_go

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"


def test_kustomization_syntax_error_is_go_yaml_v2_text() -> None:
    with pytest.raises(YAMLError) as e:
        load_kustomization_text("resources:\n- r.yaml\nnamePrefix: [x\n")
    assert str(e.value) == "yaml: line 3: did not find expected ',' or ']'"


def test_kustomization_typing_is_yaml_1_1() -> None:
    assert load_kustomization_text("a: yes\nb: 0x1F\nc: 1:20\nd: 1e3\n") == {
        "a": True, "b": 31, "c": "1:20", "d": 1000.0}


def test_resource_syntax_error_names_the_v3_context_line() -> None:
    with pytest.raises(KustomizeError) as e:
        load_documents(CM + "  a: [1\n", "r.yaml")
    assert str(e.value) == (
        "MalformedYAMLError: yaml: line 5: did not find expected ',' or ']' in File: r.yaml")
    with pytest.raises(KustomizeError) as e:
        load_documents("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n- a\n", "r.yaml")
    assert str(e.value) == (
        "MalformedYAMLError: yaml: line 4: did not find expected key in File: r.yaml")


def test_resource_duplicate_keys_are_all_reported() -> None:
    with pytest.raises(KustomizeError) as e:
        load_documents(CM + "  a: 1\n  a: 2\n  b: 1\n  b: 2\n", "r.yaml")
    assert str(e.value) == (
        "map[string]interface {}(nil): yaml: unmarshal errors:\n"
        '  line 7: mapping key "a" already defined at line 6\n'
        '  line 9: mapping key "b" already defined at line 8')


def test_resource_merged_keys_yield_to_explicit_ones() -> None:
    doc = load_documents(CM + "  base: &b {k: 1}\n  m:\n    <<: *b\n    k: 2\n", "r.yaml")[0]
    assert doc["data"]["m"] == {"k": 2}


def test_resource_invalid_map_key() -> None:
    with pytest.raises(KustomizeError) as e:
        load_documents(CM + "  ? [a]\n  : 1\n", "r.yaml")
    assert str(e.value) == 'map[string]interface {}(nil): yaml: invalid map key: []interface {}{"a"}'


def test_resource_typing_is_go_yaml_v3_with_number_text() -> None:
    doc = load_documents(
        "a: yes\nb: 0x1F\nc: 1.50\nd: 2001-12-14 21:59:43.10\ne:\nf: ~\ng: 0o17\n",
        keep_empty_nulls=True)[0]
    assert doc["a"] == "yes"
    assert isinstance(doc["b"], RawInt) and (doc["b"], doc["b"].raw) == (31, "0x1F")
    assert isinstance(doc["c"], RawFloat) and doc["c"].raw == "1.50"
    assert doc["d"] == "2001-12-14T21:59:43.1Z"
    assert doc["e"] is EMPTY_NULL and doc["f"] is None
    assert doc["g"] == 15


def test_k8s_flavour_keeps_ints_and_yaml_1_1_words() -> None:
    pairs = load_all_go("a: 1\nb: on\n---\n---\nc: 1.0\n", go_loader("k8s"), lines=True)
    assert pairs == [(1, {"a": 1, "b": True}), (4, None), (5, {"c": 1.0})]
    assert type(pairs[0][1]["a"]) is int
    with pytest.raises(YAMLError, match="unsupported value: NaN"):
        load_go("a: .nan\n", go_loader("k8s"))
    assert math.isnan(load_go("a: .nan\n", go_loader("kustomization"))["a"])
