"""Templates with the same text under different names share one parse and one compilation,
yet behave exactly as if each had been parsed on its own (names in errors included)."""

from __future__ import annotations

import pytest

from kelm.gotemplate import ExecError, ParseError, TemplateSet

TEXT = '{{ define "h" }}[{{ index .l 3 }}]{{ end }}a={{ .a }} b={{ index .l 1 }}'


def test_same_text_shares_nodes_and_code() -> None:
    ts = TemplateSet()
    ts.parse("one/x.yaml", TEXT)
    ts.parse("two/x.yaml", TEXT)
    one, two = ts.lookup("one/x.yaml"), ts.lookup("two/x.yaml")
    assert one is not None and two is not None
    assert one.tree.root is two.tree.root
    assert (one.tree.name, one.tree.parse_name) == ("one/x.yaml", "one/x.yaml")
    assert (two.tree.name, two.tree.parse_name) == ("two/x.yaml", "two/x.yaml")
    assert ts.execute("one/x.yaml", {"a": 1, "l": [0, 5]}) == "a=1 b=5"
    assert ts.execute("two/x.yaml", {"a": 2, "l": [0, 6]}) == "a=2 b=6"
    assert one._fn is two._fn  # compiled once
    # the define of the later file wins, and names its own file
    assert ts.lookup("h").tree.parse_name == "two/x.yaml"  # type: ignore[union-attr]


@pytest.mark.parametrize("first", ["one/x.yaml", "two/x.yaml"])
def test_errors_name_the_template_that_ran(first: str) -> None:
    ts = TemplateSet()
    ts.parse("one/x.yaml", TEXT)
    ts.parse("two/x.yaml", TEXT)
    other = "two/x.yaml" if first == "one/x.yaml" else "one/x.yaml"
    ts.execute(first, {"a": 1, "l": [0, 5]})  # compile through the first name
    with pytest.raises(ExecError) as err:
        ts.execute(other, {"a": 1, "l": [0]})
    assert str(err.value).startswith(
        f'template: {other}:1:59: executing "{other}" at <index .l 1>: error calling index:')
    with pytest.raises(ExecError) as again:
        ts.execute(first, {"a": 1, "l": [0]})
    assert str(again.value) == str(err.value).replace(other, first)


def test_nested_error_keeps_the_inner_file() -> None:
    ts = TemplateSet()
    ts.parse("one/x.yaml", TEXT)
    ts.parse("two/x.yaml", TEXT)
    ts.parse("main", '{{ template "h" . }}')
    with pytest.raises(ExecError) as err:
        ts.execute("main", {"l": [1]})
    assert str(err.value) == (
        'template: two/x.yaml:1:20: executing "h" at <index .l 3>: '
        "error calling index: index out of range: 3")


def test_text_naming_its_file_is_parsed_afresh() -> None:
    text = '{{ define "b.yaml" }}B{{ end }}body'
    ts = TemplateSet()
    ts.parse("a.yaml", text)
    assert (ts.execute("a.yaml", {}), ts.execute("b.yaml", {})) == ("body", "B")
    with pytest.raises(ParseError) as err:  # as Go: the file's body and its define collide
        ts.parse("b.yaml", text)
    assert str(err.value) == (
        'template: b.yaml:1: template: multiple definition of template "b.yaml"')
