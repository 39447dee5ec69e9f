"""Rendering every template of a chart tree in one template set (Helm's ``engine.Render``).

All templates of all (enabled) charts are parsed into one set -- deepest paths first, equal
depth in reverse byte order, so a root chart's ``define`` wins over a subchart's -- then each
non-partial template is executed with its chart's scope (``.Values``, ``.Chart``, ``.Files``,
``.Release``, ``.Capabilities``, ``.Subcharts``, ``.Template``).  ``<no value>`` is removed from
the output as Helm does.
"""

from __future__ import annotations

from kelm._slots import Record
from kelm.chart.model import Chart, Dependency, Metadata
from kelm.golang.value import NilTypedMap, TypedMap
from kelm.render.errors import RenderError, cleanup_parse_error, reformat_exec_error
from kelm.render.scope import Values, new_files

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any


class Renderable(Record):
    """A template to execute: its text, the scope it renders in, its chart's template path.

    ``scope`` is the chart's one top-level map (Helm shares it between all templates of the
    chart, so ``set $`` in one is seen by those rendered after it); ``top`` is the same map as
    the named ``common.Values`` the template receives as ``$`` (the parent's ``.Subcharts``
    holds the plain form).  The two are synchronised around each execution."""

    __slots__ = ("text", "scope", "base_path", "top")

    def __init__(
        self, text: str, scope: dict[str, Any], base_path: str, top: Values | None = None
    ) -> None:
        self.text = text
        self.scope = scope
        self.base_path = base_path
        self.top = Values() if top is None else top


def _dep_map(d: Dependency) -> dict[str, Any]:
    return {
        "Name": d.name,
        "Version": d.version,
        "Repository": d.repository,
        "Condition": d.condition,
        "Tags": list(d.tags),
        "Enabled": d.enabled,
        "ImportValues": [
            TypedMap(iv, "map[string]string") if isinstance(iv, dict) else iv
            for iv in d.import_values
        ],
        "Alias": d.alias,
    }


def metadata_map(md: Metadata) -> dict[str, Any]:
    """``.Chart``: the Chart.yaml struct turned into a map with Go field names."""
    return {
        "Name": md.name,
        "Home": md.home,
        "Sources": list(md.sources),
        "Version": md.version,
        "Description": md.description,
        "Keywords": list(md.keywords),
        "Maintainers": [
            {"Name": m.name, "Email": m.email, "URL": m.url} if m is not None else None
            for m in md.maintainers
        ],
        "Icon": md.icon,
        "APIVersion": md.api_version,
        "Condition": md.condition,
        "Tags": md.tags,
        "AppVersion": md.app_version,
        "Deprecated": md.deprecated,
        "Annotations": (  # no annotations in Chart.yaml: a nil map (toJson prints null)
            NilTypedMap() if md.annotations is None else TypedMap(md.annotations, "map[string]string")
        ),
        "KubeVersion": md.kube_version,
        "Dependencies": [_dep_map(d) if d is not None else None for d in md.dependencies],
        "Type": md.type,
    }


def all_templates(chart: Chart, top: dict[str, Any]) -> dict[str, Renderable]:
    """Every template of the tree with the scope it renders in (``recAllTpls``)."""
    out: dict[str, Renderable] = {}
    _collect(chart, out, top)
    return out


def _collect(c: Chart, out: dict[str, Renderable], parent: dict[str, Any]) -> dict[str, Any]:
    subcharts: dict[str, Any] = {}
    chart_map = metadata_map(c.metadata)
    chart_map["IsRoot"] = c.is_root()
    scope: dict[str, Any] = {
        "Chart": chart_map,
        "Files": new_files(c.files),
        "Release": parent.get("Release"),
        "Capabilities": parent.get("Capabilities"),
        "Values": {},
        "Subcharts": subcharts,
    }
    if c.is_root():
        scope["Values"] = _named(parent.get("Values"))
    else:
        pv = parent.get("Values")
        if isinstance(pv, dict) and isinstance(pv.get(c.name), dict):
            # Helm converts to common.Values only for the subchart's own scope: the parent
            # still sees a plain map (dig/hasKey on it work); nested maps stay shared
            scope["Values"] = _SubValues(pv[c.name])
        else:
            scope["Values"] = Values()
    for child in c.dependencies:
        subcharts[child.name] = _collect(child, out, scope)
    prefix = c.full_path()
    library = c.is_library()
    top = Values()
    for t in c.templates:
        if library and not t.name.rsplit("/", 1)[-1].startswith("_"):
            continue
        name = _path_join(prefix, t.name)
        out[name] = Renderable(
            t.data.decode("utf-8", errors="replace"), scope, _path_join(prefix, "templates"), top
        )
    return scope


def _named(v: Any) -> Any:
    """A chart's values as Helm's named ``common.Values`` map."""
    return Values(v) if type(v) is dict else v


class _SubValues(Values):
    """A subchart's ``.Values``: Helm's common.Values view of the parent's plain map.  Python
    cannot share one dict under two types, so top-level set/unset are written through."""

    __slots__ = ("_plain",)

    def __init__(self, plain: dict[str, Any]) -> None:
        super().__init__(plain)
        self._plain = plain

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self._plain[key] = value

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._plain.pop(key, None)

    def pop(self, key: str, *default: Any) -> Any:
        self._plain.pop(key, None)
        return super().pop(key, *default)

    def refresh(self) -> None:
        """Take in what a parent's template wrote into the plain map since."""
        if len(self) != len(self._plain) or dict.__ne__(self, self._plain):
            dict.clear(self)
            dict.update(self, self._plain)


def _path_join(a: str, b: str) -> str:
    import posixpath

    return posixpath.normpath(a + "/" + b)


def parse_order(names: list[str]) -> list[str]:
    """Deepest paths first; equal depth in reverse byte order (Helm's sortTemplates)."""
    return sorted(names, key=lambda n: (n.count("/"), n.encode()), reverse=True)


class Engine:
    """One render: a template set with Helm's functions bound to it."""

    def __init__(self, strict: bool = False, lint_mode: bool = False,
                 enable_dns: bool = False, lookup: Any = None) -> None:
        self.strict = strict
        self.lint_mode = lint_mode
        self.enable_dns = enable_dns
        self.lookup = lookup  # callable(apiVersion, kind, namespace, name) -> dict, or None

    def render(self, chart: Chart, top: dict[str, Any]) -> dict[str, str]:
        """Rendered text of every non-partial template, by template name."""
        from kelm.render.helmfuncs import build_template_set

        tpls = all_templates(chart, top)
        keys = parse_order(list(tpls))
        ts = build_template_set(self.strict, self.lint_mode, self.enable_dns, self.lookup)
        for name in keys:
            try:
                ts.parse(name, tpls[name].text)
            except Exception as e:  # ParseError or engine limits
                from kelm.gotemplate.errors import ParseError

                if isinstance(e, ParseError):
                    raise RenderError(cleanup_parse_error(name, str(e))) from None
                raise
        rendered: dict[str, str] = {}
        for name in keys:
            if name.rsplit("/", 1)[-1].startswith("_"):
                continue
            r = tpls[name]
            top, plain = r.top, r.scope
            # the chart's map may have changed through a parent's .Subcharts since last time
            top.clear()
            top.update(plain)
            vals = top.get("Values")
            if type(vals) is _SubValues:
                vals.refresh()
            top["Template"] = Values(Name=name, BasePath=r.base_path)
            try:
                text = ts.execute(name, top)
            except RecursionError:
                raise RenderError(
                    "rendering template failed: runtime error: stack overflow"
                ) from None
            except Exception as e:
                from kelm.gotemplate.errors import TemplateError

                if isinstance(e, TemplateError):
                    raise RenderError(reformat_exec_error(name, e)) from None
                raise
            plain.clear()
            plain.update(top)
            rendered[name] = text.replace("<no value>", "") if "<no value>" in text else text
        return rendered
