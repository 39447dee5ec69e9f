"""pflag-style parsing shared by `kelm template` and `kelm install` (cobra semantics)."""

from __future__ import annotations

import pytest

from kelm.cli.flags import FlagError, parse_flags
from kelm.cli.root import global_flags
from kelm.cli.template import template_flags


def _parse(*argv: str):
    return parse_flags(list(argv), template_flags() + global_flags())


def test_interspersed_args_and_forms() -> None:
    p = _parse("--set", "a=1", "rel", "-n=ns", "chart", "--include-crds=false", "-f", "a.yaml,b.yaml",
               "--values=c.yaml", "-s", "templates/x.yaml", "--show-only=templates/y.yaml")
    assert p.args == ["rel", "chart"]
    assert p.get("namespace") == "ns" and p.get("include-crds") is False
    assert p.get("values") == ["a.yaml", "b.yaml", "c.yaml"]
    assert p.get("show-only") == ["templates/x.yaml", "templates/y.yaml"]
    assert p.get("set") == ["a=1"]


def test_string_arrays_are_not_split_but_slices_are() -> None:
    p = _parse("x", "--set", "a=1,b=2", "--api-versions", "a/v1,b/v2", "-a", "c/v1")
    assert p.get("set") == ["a=1,b=2"]
    assert p.get("api-versions") == ["a/v1", "b/v2", "c/v1"]


def test_optional_value_and_shorthand_bundles() -> None:
    assert _parse("x", "--dry-run").get("dry-run") == "unset"
    assert _parse("x", "--dry-run=server").get("dry-run") == "server"
    assert _parse("x").get("dry-run") == "client"
    p = _parse("-gnfoo", "chart")
    assert p.get("generate-name") is True and p.get("namespace") == "foo"
    assert _parse("x", "-l", "a=b,c=d").get("labels") == {"a": "b", "c": "d"}


def test_double_dash_ends_flags() -> None:
    assert _parse("--", "--set", "x").args == ["--set", "x"]


@pytest.mark.parametrize("argv,msg", [
    (("--bogus",), "unknown flag: --bogus"),
    (("-Z",), "unknown shorthand flag: 'Z' in -Z"),
    (("--set",), "flag needs an argument: --set"),
    (("--include-crds=maybe",), 'invalid argument "maybe" for "--include-crds" flag: '
     'strconv.ParseBool: parsing "maybe": invalid syntax'),
])
def test_flag_errors(argv: tuple[str, ...], msg: str) -> None:
    with pytest.raises(FlagError) as e:
        _parse(*argv)
    assert str(e.value) == msg
