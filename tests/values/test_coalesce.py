"""Coalescing user values over chart defaults (helm-compat.md §6, verified against Helm)."""

from __future__ import annotations

from kelm.chart.model import Chart, Metadata
from kelm.values import coalesce_values, load_values
from kelm.values.coalesce import coalesce_tables, merge_tables


def _chart(name: str, values: dict, *subs: Chart) -> Chart:
    c = Chart(metadata=Metadata(name=name, version="0.1.0", api_version="v2"), values=values)
    c.add_dependency(*subs)
    return c


def test_null_deletes_defaults_only() -> None:
    c = _chart("t", {"a": 1.0, "b": {"c": 1.0, "d": 2.0}, "l": [1.0, 2.0]})
    out = coalesce_values(c, {"a": None, "b": {"c": None}, "z": None})
    assert out == {"b": {"d": 2.0}, "l": [1.0, 2.0], "z": None}


def test_lists_and_scalars_replace_maps_merge() -> None:
    c = _chart("t", {"l": [1.0, 2.0], "m": {"x": 1.0, "y": 2.0}, "s": {"k": 1.0}})
    out = coalesce_values(c, {"l": [9], "m": {"y": 3}, "s": 3})
    assert out == {"l": [9], "m": {"x": 1.0, "y": 3}, "s": 3}


def test_subchart_values_and_globals() -> None:
    sub = _chart("sub", {"v": "sub-default", "d": "sub-only", "list": [1.0, 2.0],
                         "global": {"g1": "sub", "g2": "child-only", "gm": {"b": 2.0}}})
    p = _chart("p", {"global": {"g1": "parent", "gm": {"a": 1.0}},
                     "sub": {"v": "from-parent", "list": [9.0]}}, sub)
    out = coalesce_values(p, {})
    assert out["sub"] == {
        "v": "from-parent", "d": "sub-only", "list": [9.0],
        "global": {"g1": "parent", "g2": "child-only", "gm": {"a": 1.0, "b": 2.0}},
    }
    assert out["global"] == {"g1": "parent", "gm": {"a": 1.0}}


def test_tables_helpers() -> None:
    assert coalesce_tables({"a": None, "b": 1}, {"a": 2, "c": 3}) == {"b": 1, "c": 3}
    assert merge_tables({"a": None, "b": 1}, {"a": 2, "c": 3}) == {"a": None, "b": 1, "c": 3}


def test_values_file_typing_and_documents() -> None:
    text = "a: 1\nb: 0x1F\nc: yes\nd: 2020-01-01\ny: 1\n---\ne: 1e6\na: 2\n"
    assert load_values(text) == {"a": 2.0, "b": 31.0, "c": True, "d": "2020-01-01",
                                 "true": 1.0, "e": 1e6}
