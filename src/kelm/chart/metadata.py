"""Chart.yaml decoding and validation with Helm's typing rules and messages.

Helm reads Chart.yaml with sigs.k8s.io/yaml into a Go struct: scalars aimed at string fields
are converted to text (``appVersion: 1.10`` becomes ``"1.1"``: 32-bit float formatting), other
type mismatches are JSON unmarshal errors naming the Go struct field.
"""

from __future__ import annotations

import unicodedata

from kelm.chart.model import ChartError, Dependency, Maintainer, Metadata
from kelm.lazyre import lazy_compile
from kelm.yaml.jsondec import go_json_kind as _json_kind
from kelm.yaml.jsondec import go_string_field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

_PREFIX = "error unmarshaling JSON: while decoding JSON: json: "


class _TypeErr(Exception):
    pass


def _type_error(v: Any, where: str, gotype: str) -> _TypeErr:
    return _TypeErr(
        f"cannot unmarshal {_json_kind(v)} into Go struct field {where} of type {gotype}"
    )


def _as_string(v: Any, where: str) -> str | None:
    """A YAML scalar aimed at a Go string field (None: field left untouched)."""
    if v is None:
        return None
    s = go_string_field(v)
    if s is None:
        raise _type_error(v, where, "string")
    return s


def _as_bool(v: Any, where: str) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    raise _type_error(v, where, "bool")


def _as_strings(v: Any, where: str) -> list[str] | None:
    if v is None:
        return None
    if not isinstance(v, list):
        raise _type_error(v, where, "[]string")
    return [_as_string(x, where) or "" for x in v]


def _lookup(d: dict[str, Any], key: str) -> tuple[bool, Any]:
    """encoding/json matches field names exactly first, then case-insensitively."""
    if key in d:
        return True, d[key]
    low = key.lower()
    for k, v in d.items():
        if k.lower() == low:
            return True, v
    return False, None


def _maintainer(v: Any) -> Maintainer | None:
    if v is None:
        return None
    if not isinstance(v, dict):
        raise _TypeErr(
            f"cannot unmarshal {_json_kind(v)} into Go struct field Metadata.maintainers "
            "of type v2.Maintainer"
        )
    m = Maintainer()
    for key, attr in (("name", "name"), ("email", "email"), ("url", "url")):
        ok, x = _lookup(v, key)
        if ok:
            s = _as_string(x, f"Maintainer.maintainers.{key}")
            if s is not None:
                setattr(m, attr, s)
    return m


def parse_dependency(v: Any, field_prefix: str = "dependencies") -> Dependency | None:
    if v is None:
        return None
    if not isinstance(v, dict):
        raise _TypeErr(
            f"cannot unmarshal {_json_kind(v)} into Go struct field Metadata.{field_prefix} "
            "of type v2.Dependency"
        )
    d = Dependency()
    where = f"Dependency.{field_prefix}."
    for key, attr in (
        ("name", "name"),
        ("version", "version"),
        ("repository", "repository"),
        ("condition", "condition"),
        ("alias", "alias"),
    ):
        ok, x = _lookup(v, key)
        if ok:
            s = _as_string(x, where + key)
            if s is not None:
                setattr(d, attr, s)
    ok, x = _lookup(v, "tags")
    if ok:
        tags = _as_strings(x, where + "tags")
        if tags is not None:
            d.tags = tags
    ok, x = _lookup(v, "enabled")
    if ok:
        b = _as_bool(x, where + "enabled")
        if b is not None:
            d.enabled = b
    ok, x = _lookup(v, "import-values")
    if ok and x is not None:
        if not isinstance(x, list):
            raise _type_error(x, where + "import-values", "[]interface {}")
        from kelm.values.yamlload import to_float64

        d.import_values = [to_float64(i) for i in x]
    return d


def _actual_key(d: dict[str, Any], key: str) -> str:
    if key in d:
        return key
    low = key.lower()
    return next((k for k in d if isinstance(k, str) and k.lower() == low), key)


def decode_metadata(data: dict[str, Any], md: Metadata | None = None) -> Metadata:
    """Fill a :class:`Metadata` from a decoded Chart.yaml (or requirements.yaml) mapping.

    A field of the wrong type does not stop the others; the error reported is the one of
    the first key in the JSON text sigs.k8s.io/yaml hands to encoding/json (keys sorted)."""
    md = md if md is not None else Metadata()
    errors: list[tuple[str, str]] = []

    def field(key: str, fill: Any) -> None:
        ok, x = _lookup(data, key)
        if not ok:
            return
        try:
            fill(x)
        except _TypeErr as e:
            errors.append((_actual_key(data, key), str(e)))

    def string(key: str, attr: str) -> Any:
        def fill(x: Any) -> None:
            s = _as_string(x, f"Metadata.{key}")
            if s is not None:
                setattr(md, attr, s)
        return fill

    def strings(key: str) -> Any:
        def fill(x: Any) -> None:
            lst = _as_strings(x, f"Metadata.{key}")
            if lst is not None:
                setattr(md, key, lst)
                md.present.add(key)
        return fill

    def deprecated(x: Any) -> None:
        b = _as_bool(x, "Metadata.deprecated")
        if b is not None:
            md.deprecated = b

    def annotations(x: Any) -> None:
        if x is None:
            return
        if not isinstance(x, dict):
            raise _type_error(x, "Metadata.annotations", "map[string]string")
        ann: dict[str, str] = {}
        for k, val in x.items():
            s = _as_string(val, "Metadata.annotations")
            ann[k] = s if s is not None else ""
        md.annotations = ann

    def maintainers(x: Any) -> None:
        if x is None:
            return
        if not isinstance(x, list):
            raise _type_error(x, "Metadata.maintainers", "[]*v2.Maintainer")
        md.maintainers = [_maintainer(m) for m in x]
        md.present.add("maintainers")

    def dependencies(x: Any) -> None:
        if x is None:
            return
        if not isinstance(x, list):
            raise _type_error(x, "Metadata.dependencies", "[]*v2.Dependency")
        md.dependencies = [parse_dependency(d) for d in x]
        md.present.add("dependencies")

    for key, attr in (
        ("name", "name"), ("home", "home"), ("version", "version"),
        ("description", "description"), ("icon", "icon"), ("apiVersion", "api_version"),
        ("condition", "condition"), ("tags", "tags"), ("appVersion", "app_version"),
        ("kubeVersion", "kube_version"), ("type", "type"),
    ):
        field(key, string(key, attr))
    for key in ("sources", "keywords"):
        field(key, strings(key))
    field("deprecated", deprecated)
    field("annotations", annotations)
    field("maintainers", maintainers)
    field("dependencies", dependencies)
    if errors:
        raise ChartError(_PREFIX + min(errors)[1])
    return md


def _sanitize(s: str) -> str:
    out = []
    for ch in s:
        if ch.isspace():
            out.append(" ")
        elif ch.isprintable() or unicodedata.category(ch) == "Zs":
            out.append(ch)
    return "".join(out)


_ALIAS = lazy_compile(r"^[a-zA-Z0-9_-]+$")  # only charts with aliases use it


def validate_metadata(md: Metadata) -> None:
    """Helm's ``Metadata.Validate``: sanitizes strings, raises ``validation: ...``."""
    for attr in ("name", "description", "home", "icon", "condition", "tags", "app_version",
                 "kube_version"):
        setattr(md, attr, _sanitize(getattr(md, attr)))
    md.sources = [_sanitize(s) for s in md.sources]
    md.keywords = [_sanitize(s) for s in md.keywords]

    def fail(msg: str) -> ChartError:
        return ChartError("validation: " + msg)

    if not md.api_version:
        raise fail("chart.metadata.apiVersion is required")
    if not md.name:
        raise fail("chart.metadata.name is required")
    if md.name in (".", ".."):
        raise fail(f"chart.metadata.name {_goquote(md.name)} is not allowed")
    base = md.name.rstrip("/").rsplit("/", 1)[-1] if md.name.rstrip("/") else "/"
    if md.name != base:
        raise fail(f"chart.metadata.name {_goquote(md.name)} is invalid")
    if not md.version:
        raise fail("chart.metadata.version is required")
    from kelm.chart.semver import parse_version

    if parse_version(md.version) is None:
        raise fail(f"chart.metadata.version {_goquote(md.version)} is invalid")
    if md.type not in ("", "application", "library"):
        raise fail("chart.metadata.type must be application or library")
    for m in md.maintainers:
        if m is None:
            raise fail("maintainers must not contain empty or null nodes")
        m.name, m.email, m.url = _sanitize(m.name), _sanitize(m.email), _sanitize(m.url)
    seen: set[str] = set()
    for d in md.dependencies:
        if d is None:
            raise fail("dependencies must not contain empty or null nodes")
        d.name, d.version = _sanitize(d.name), _sanitize(d.version)
        d.repository, d.condition = _sanitize(d.repository), _sanitize(d.condition)
        d.tags = [_sanitize(t) for t in d.tags]
        if d.alias and not _ALIAS.match(d.alias):
            raise fail(f"dependency {_goquote(d.name)} has disallowed characters in the alias")
        key = d.alias or d.name
        if key in seen:
            raise fail(f"more than one dependency with name or alias {_goquote(key)}")
        seen.add(key)


def _goquote(s: str) -> str:
    """Go's %q (strconv.Quote); imported on error paths only."""
    from kelm.golang.fmt import quote

    return quote(s)
