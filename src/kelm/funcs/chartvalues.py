"""The methods of Helm's ``common.Values`` (``.Values.AsMap``, ``.Values.Table "a.b"``,
``.Values.PathValue "a.b"``, ``.Values.YAML``), callable from templates on ``.Values``, the
top-level scope and ``.Template``.  A method wins over a key of the same name, as in Go."""

from __future__ import annotations

from typing import Any

from kelm.golang.value import GoError

from .dicts import PlainMapView, WriteThroughMap, as_plain_map


def _quote(s: str) -> str:
    from kelm.golang.fmt import quote

    return quote(s)


def as_map(v: dict) -> dict:
    """``AsMap``: the same map as ``map[string]interface {}`` (a fresh one when empty)."""
    return as_plain_map(v) if v else {}


def _is_table(x: Any) -> bool:
    return type(x) is dict or type(x) is PlainMapView  # only map[string]interface {} itself


def table(v: dict, name: str, named: type) -> dict:
    """``Table``: the sub-map at a dotted path, as ``common.Values`` (sharing the map)."""
    t: dict = v
    for part in name.split("."):
        if part not in t or not (_is_table(t[part]) or isinstance(t[part], named)):
            raise GoError(f"{_quote(part)} is not a table")
        t = t[part]
    return t if isinstance(t, named) else _NamedView.wrap(t, named)


def path_value(v: dict, path: str, named: type) -> Any:
    """``PathValue``: the non-table value at a dotted path."""
    if not path:
        raise GoError("YAML path cannot be empty")
    parts = path.split(".")
    key = parts[-1]
    if len(parts) == 1:
        t: dict = v
    else:
        try:
            t = table(v, ".".join(parts[:-1]), named)
        except GoError:
            raise GoError(f"{_quote(key)} is not a value") from None
    if key in t and not _is_table(t[key]):
        return t[key]
    raise GoError(f"{_quote(key)} is not a value")


def yaml_text(v: dict) -> str:
    """``YAML``: sigs.k8s.io/yaml's Marshal text (toYaml without trimming the newline)."""
    from .yamljson import must_to_yaml

    return must_to_yaml(dict(v)) + "\n"


class _NamedView:
    """``common.Values(m)`` for a plain nested map, writing through to it."""

    _classes: dict[type, type] = {}

    @classmethod
    def wrap(cls, plain: dict, named: type) -> dict:
        view_cls = cls._classes.get(named)
        if view_cls is None:
            view_cls = cls._classes[named] = type("Values", (WriteThroughMap, named), {"__slots__": ()})
        return view_cls(plain)
