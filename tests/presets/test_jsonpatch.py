"""RFC 6902 diff/apply used by the webhook."""

from __future__ import annotations

import pytest

from kelm.presets.jsonpatch import PatchError, apply_patch, diff


@pytest.mark.parametrize(
    "old, new",
    [
        ({}, {"a": 1}),
        ({"a": {"b/c": 1, "d~e": 2}}, {"a": {"b/c": 2, "d~e": 2, "x": [1]}}),
        ({"l": [1, 2]}, {"l": [1, 2, 3, {"k": "v"}]}),
        ({"l": [1, 2, 3]}, {"l": [1]}),
        ({"l": [{"a": 1}, {"b": 2}]}, {"l": [{"a": 1, "z": 0}, {"b": 3}]}),
        ({"a": 1, "b": 2}, {"b": 2}),
        ({"flag": 1}, {"flag": True}),
        ({"n": None}, {"n": 0}),
        ([1], {"a": 1}),
    ],
)
def test_diff_then_apply_round_trips(old, new):
    ops = diff(old, new)
    out = apply_patch(old, ops)
    assert out == new and [type(v) for v in _leaves(out)] == [type(v) for v in _leaves(new)]


def test_append_only_changes_use_add():
    old = {"metadata": {"annotations": {"x": "1"}}, "spec": {"containers": [{"name": "c"}]}}
    new = {"metadata": {"annotations": {"x": "1", "a/b": "2"}},
           "spec": {"containers": [{"name": "c", "env": [{"name": "E"}]}], "volumes": [{"name": "v"}]}}
    assert diff(old, new) == [
        {"op": "add", "path": "/metadata/annotations/a~1b", "value": "2"},
        {"op": "add", "path": "/spec/containers/0/env", "value": [{"name": "E"}]},
        {"op": "add", "path": "/spec/volumes", "value": [{"name": "v"}]},
    ]


def test_apply_rejects_bad_operations():
    with pytest.raises(PatchError):
        apply_patch({}, [{"op": "move", "path": "/a", "from": "/b"}])
    with pytest.raises(PatchError):
        apply_patch({}, [{"op": "replace", "path": "/missing", "value": 1}])
    with pytest.raises(PatchError):
        apply_patch({}, [{"op": "add", "path": "relative", "value": 1}])


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value
