"""Focused checks of single mechanisms against behaviour verified with kubectl kustomize
(values from ../shared/docs/kustomize-compat.md)."""

from __future__ import annotations

import copy

import pytest

from kelm.kustomize.generators import content_hash, encode_base64
from kelm.kustomize.openapi import builtin_schema
from kelm.kustomize.smp import merge
from kelm.kustomize.transformers import split_image
from kelm.kustomize.yamlread import go_json_float, load_documents, normalize


@pytest.mark.parametrize(
    ("obj", "suffix"),
    [
        ({"kind": "ConfigMap", "data": {"a": "1", "b": "hello world"}}, "4mc96h7k26"),
        ({"kind": "ConfigMap", "data": {"k": "v"}}, "bdg947hgcc"),
        ({"kind": "ConfigMap"}, "6ct58987ht"),
        ({"kind": "ConfigMap", "data": {"h": "<&>"}}, "mbh2mt954b"),
        ({"kind": "ConfigMap", "data": {"u": "é✓"}}, "585bckg7k6"),
        ({"kind": "ConfigMap", "binaryData": {"bin.dat": "//4AYmlu"}}, "cmdh6chtm5"),
        ({"kind": "Secret", "type": "Opaque", "data": {"password": "czNjcjN0"}}, "25k92892fb"),
        ({"kind": "Secret", "type": "Opaque", "data": {"k": "dg=="}}, "ftgtgc4t9f"),
        ({"kind": "ConfigMap", "data": {"a": "1", "b": "20", "c": "3"}}, "5ccmfdht2m"),
    ],
)
def test_content_hash(obj: dict, suffix: str) -> None:
    named = {**obj, "metadata": {"name": "anything", "labels": {"x": "y"}}}
    assert content_hash(named) == suffix


def test_base64_lines_wrap_at_70() -> None:
    assert encode_base64(b"short") == "c2hvcnQ="
    long = encode_base64(b"x" * 60)
    assert long.endswith("\n") and all(len(x) <= 70 for x in long.split("\n"))


def _deploy(containers: list, **spec: object) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {"template": {"spec": {"containers": containers, **spec}}},
    }


def _containers(obj: dict) -> list:
    return obj["spec"]["template"]["spec"]["containers"]


def test_smp_keyed_list_order_patch_first() -> None:
    env = [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    dest = _deploy([{"name": "app", "env": env}])
    patch = _deploy([{"name": "app", "env": [{"name": "B", "value": "22"}, {"name": "C"}]}])
    out = merge(dest, patch, builtin_schema())
    assert [e["name"] for e in _containers(out)[0]["env"]] == ["B", "C", "A"]
    assert _containers(out)[0]["env"][0]["value"] == "22"


def test_smp_delete_replace_and_primitive_merge() -> None:
    dest = _deploy([{"name": "app"}, {"name": "side"}], volumes=[{"name": "v1"}])
    dest["metadata"]["finalizers"] = ["f1", "f2"]
    patch = _deploy([{"name": "side", "$patch": "delete"}],
                    volumes=[{"$patch": "replace"}, {"name": "v9"}])
    patch["metadata"]["finalizers"] = ["f3", "f1"]
    out = merge(dest, patch, builtin_schema())
    assert [c["name"] for c in _containers(out)] == ["app"]
    assert out["spec"]["template"]["spec"]["volumes"] == [{"name": "v9"}]
    assert out["metadata"]["finalizers"] == ["f3", "f1", "f2"]


def test_smp_port_protocol_on_one_side_drops_patch_element() -> None:
    ports = [{"containerPort": 80, "name": "http"}]
    dest = _deploy([{"name": "app", "ports": copy.deepcopy(ports)}])
    patch = _deploy([{"name": "app", "ports": [
        {"containerPort": 80, "protocol": "UDP", "name": "udp"}]}])
    out = merge(dest, patch, builtin_schema())
    assert _containers(out)[0]["ports"] == ports


def test_smp_unknown_kind_replaces_lists_and_null_deletes() -> None:
    dest = {"apiVersion": "x/v1", "kind": "W", "spec": {"l": [{"name": "a"}, {"name": "b"}],
                                                        "keep": 1, "drop": 2}}
    patch = {"apiVersion": "x/v1", "kind": "W", "spec": {"l": [{"name": "b", "v": 3}],
                                                         "drop": None}}
    out = merge(dest, patch, builtin_schema())
    assert out["spec"] == {"l": [{"name": "b", "v": 3}], "keep": 1}


def test_smp_delete_whole_resource() -> None:
    assert merge(_deploy([]), {"$patch": "delete"}, builtin_schema()) is None


@pytest.mark.parametrize(
    ("image", "parts"),
    [
        ("nginx", ("nginx", "", "")),
        ("nginx:1.2", ("nginx", "1.2", "")),
        ("nginx@sha256:abc", ("nginx", "", "sha256:abc")),
        ("my.reg:5000/app:v1", ("my.reg:5000/app", "v1", "")),
        ("redis:7@sha256:bbb", ("redis", "7", "sha256:bbb")),
    ],
)
def test_split_image(image: str, parts: tuple[str, str, str]) -> None:
    assert split_image(image) == parts


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: yes", "yes"),
        ("v: 0x10", 16),
        ("v: 007", 7),
        ("v: 1_000", 1000),
        ("v: 1.0", 1),
        ("v: 1.50", 1.5),
        ("v: 1e3", 1000),
        ("v: -0", 0),
        ("v: 2020-01-01", "2020-01-01T00:00:00Z"),
        ("v: 12345678901234567890", 12345678901234567890),
        ("v: ~", None),
        ("v: True", True),
    ],
)
def test_resource_scalar_typing(text: str, value: object) -> None:
    doc = normalize(load_documents(text)[0])
    assert doc["v"] == value and type(doc["v"]) is type(value)


def test_go_json_float() -> None:
    assert go_json_float(1e20) == "100000000000000000000"
    assert go_json_float(1e-7) == "1e-7"
    assert go_json_float(0.5) == "0.5"


def test_post_render_runs_kustomization_over_manifests(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kelm.kustomize.postrender import post_render

    (tmp_path / "kustomization.yaml").write_text("namePrefix: pr-\ncommonLabels: {team: web}\n")
    rendered = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\n" \
               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
    out = post_render(rendered, str(tmp_path))
    assert out == (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    team: web\n"
        "  name: pr-a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  labels:\n"
        "    team: web\n  name: pr-s\nspec:\n  selector:\n    team: web\n"
    )
    assert not (tmp_path / "all.yaml").exists()
