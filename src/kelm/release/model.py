"""Helm v4's release record (``pkg/release/v1``) and its JSON form.

The JSON is what Helm stores (gzip + base64, see :mod:`kelm.release.codec`) and prints with
``-o json``: Go's ``encoding/json`` of Helm's structs, so fields come in struct order, empty
fields are left out as their ``omitempty``/``omitzero`` tags say, maps have sorted keys and
times are RFC 3339 with nanoseconds.  Decoding follows ``json.Unmarshal``: numbers in values
become float64, unknown fields are ignored, and the chart comes back without subcharts (Helm
does not serialise them).  The release's chart is a :class:`kelm.chart.model.Chart`, so the
action layer can render and coalesce with it.
"""

from __future__ import annotations

import base64
import binascii

from kelm._slots import Record
from kelm.chart.model import Chart, File, Metadata
from kelm.golang.time import GoTime, local, parse_time, zero_time
from kelm.release import codec
from kelm.release.errors import ReleaseDecodeError
from kelm.yaml.jsonenc import StructObject, dump_json, to_plain

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

RFC3339 = "2006-01-02T15:04:05Z07:00"  # time.Time.UnmarshalJSON's layout (fractions accepted)
SCHEMA_FILE = "values.schema.json"


class Status:
    """``common.Status`` values."""

    UNKNOWN = "unknown"
    DEPLOYED = "deployed"
    UNINSTALLED = "uninstalled"
    SUPERSEDED = "superseded"
    FAILED = "failed"
    UNINSTALLING = "uninstalling"
    PENDING_INSTALL = "pending-install"
    PENDING_UPGRADE = "pending-upgrade"
    PENDING_ROLLBACK = "pending-rollback"
    ALL = (
        UNKNOWN, DEPLOYED, UNINSTALLED, SUPERSEDED, FAILED, UNINSTALLING, PENDING_INSTALL,
        PENDING_UPGRADE, PENDING_ROLLBACK,
    )

    @staticmethod
    def is_pending(status: str) -> bool:
        return status in (Status.PENDING_INSTALL, Status.PENDING_UPGRADE, Status.PENDING_ROLLBACK)


class HookPhase:
    UNKNOWN = "Unknown"
    RUNNING = "Running"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"


def go_time(v: Any) -> GoTime | None:
    """A kelm time (GoTime, float seconds, int nanoseconds, None/0 for the zero time) as a
    Go ``time.Time`` in the local zone (None when zero)."""
    if v is None:
        return None
    if isinstance(v, GoTime):
        return None if v.IsZero() else v
    if isinstance(v, bool) or not v:
        return None
    if isinstance(v, int):
        return GoTime(v // 1_000_000_000, v % 1_000_000_000, local())
    sec = int(v // 1)
    return GoTime(sec, round((v - sec) * 1e9), local())


def _time_json(t: GoTime | None) -> str:
    """time.Time as the string its MarshalJSON writes (RFC 3339, nanoseconds, Go's rules)."""
    return (t or zero_time()).__go_json__()[1:-1]


def _parse_time(v: Any, where: str) -> GoTime | None:
    if v is None or v == "":
        return None
    if not isinstance(v, str):
        raise ReleaseDecodeError(f"{where}: a time must be a string, not {type(v).__name__}")
    try:
        t = parse_time(RFC3339, v)
    except Exception as e:  # GoError: Go's parse message
        raise ReleaseDecodeError(f"{where}: {e}") from None
    return None if t.IsZero() else t


class HookExecution(Record):
    """``HookExecution``: when a hook last ran and how it ended (``phase`` always written)."""

    __slots__ = ("started_at", "completed_at", "phase")

    def __init__(
        self, started_at: GoTime | None = None, completed_at: GoTime | None = None, phase: str = ""
    ) -> None:
        self.started_at = started_at
        self.completed_at = completed_at
        self.phase = phase

    def to_json_dict(self) -> StructObject:
        out = StructObject()
        if self.started_at is not None:
            out["started_at"] = _time_json(self.started_at)
        if self.completed_at is not None:
            out["completed_at"] = _time_json(self.completed_at)
        out["phase"] = self.phase
        return out

    @classmethod
    def from_json_dict(cls, d: Any) -> HookExecution:
        d = _obj(d, "hook last_run")
        return cls(
            _parse_time(d.get("started_at"), "last_run.started_at"),
            _parse_time(d.get("completed_at"), "last_run.completed_at"),
            _str(d.get("phase"), "last_run.phase"),
        )


class Hook(Record):
    """A release hook (``release.Hook``)."""

    __slots__ = (
        "name", "kind", "path", "manifest", "events", "last_run", "weight", "delete_policies",
        "output_log_policies",
    )

    def __init__(
        self,
        name: str = "",
        kind: str = "",
        path: str = "",
        manifest: str = "",
        events: list[str] | None = None,
        last_run: HookExecution | None = None,
        weight: int = 0,
        delete_policies: list[str] | None = None,
        output_log_policies: list[str] | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.path = path
        self.manifest = manifest
        self.events: list[str] = [] if events is None else events
        self.last_run = HookExecution() if last_run is None else last_run
        self.weight = weight
        self.delete_policies: list[str] = [] if delete_policies is None else delete_policies
        self.output_log_policies: list[str] = (
            [] if output_log_policies is None else output_log_policies
        )

    @classmethod
    def from_render(cls, h: Any) -> Hook:
        """A hook of :func:`kelm.render.render_chart`'s result (never run yet)."""
        return cls(
            h.name, h.kind, h.path, h.manifest, list(h.events), None, h.weight,
            list(h.delete_policies), list(h.output_log_policies),
        )

    def to_json_dict(self) -> StructObject:
        out = StructObject()
        _put(out, "name", self.name)
        _put(out, "kind", self.kind)
        _put(out, "path", self.path)
        _put(out, "manifest", self.manifest)
        _put(out, "events", list(self.events))
        out["last_run"] = self.last_run.to_json_dict()  # a struct: omitempty never drops it
        _put(out, "weight", self.weight)
        _put(out, "delete_policies", list(self.delete_policies))
        _put(out, "output_log_policies", list(self.output_log_policies))
        return out

    @classmethod
    def from_json_dict(cls, d: Any) -> Hook:
        d = _obj(d, "hook")
        return cls(
            _str(d.get("name"), "hook.name"),
            _str(d.get("kind"), "hook.kind"),
            _str(d.get("path"), "hook.path"),
            _str(d.get("manifest"), "hook.manifest"),
            _strs(d.get("events"), "hook.events"),
            HookExecution.from_json_dict(d.get("last_run") or {}),
            _int(d.get("weight"), "hook.weight"),
            _strs(d.get("delete_policies"), "hook.delete_policies"),
            _strs(d.get("output_log_policies"), "hook.output_log_policies"),
        )


class Info(Record):
    """``release.Info``: dates, status, description, notes (``resources`` only for status
    output with ``--show-resources``: kept as decoded JSON)."""

    __slots__ = (
        "first_deployed", "last_deployed", "deleted", "description", "status", "notes",
        "resources",
    )

    def __init__(
        self,
        first_deployed: GoTime | None = None,
        last_deployed: GoTime | None = None,
        deleted: GoTime | None = None,
        description: str = "",
        status: str = "",
        notes: str = "",
        resources: dict[str, list[Any]] | None = None,
    ) -> None:
        self.first_deployed = first_deployed
        self.last_deployed = last_deployed
        self.deleted = deleted
        self.description = description
        self.status = status
        self.notes = notes
        self.resources = resources

    def to_json_dict(self) -> StructObject:
        out = StructObject()
        for key in ("first_deployed", "last_deployed", "deleted"):
            t = getattr(self, key)
            if t is not None and not t.IsZero():
                out[key] = _time_json(t)
        _put(out, "description", self.description)
        _put(out, "status", self.status)
        _put(out, "notes", self.notes)
        if self.resources:
            out["resources"] = to_plain(self.resources)
        return out

    @classmethod
    def from_json_dict(cls, d: Any) -> Info:
        d = _obj(d, "info")
        res = d.get("resources")
        return cls(
            _parse_time(d.get("first_deployed"), "info.first_deployed"),
            _parse_time(d.get("last_deployed"), "info.last_deployed"),
            _parse_time(d.get("deleted"), "info.deleted"),
            _str(d.get("description"), "info.description"),
            _str(d.get("status"), "info.status"),
            _str(d.get("notes"), "info.notes"),
            _obj(res, "info.resources") if res is not None else None,
        )


class Release(Record):
    """``release.Release``.  ``labels`` are not part of the JSON: drivers keep them as the
    storage object's labels (Kubernetes labels, or the SQL driver's custom labels table)."""

    __slots__ = (
        "name", "info", "chart", "config", "manifest", "hooks", "version", "namespace", "labels",
        "apply_method",
    )

    def __init__(
        self,
        name: str = "",
        info: Info | None = None,
        chart: Chart | None = None,
        config: dict[str, Any] | None = None,
        manifest: str = "",
        hooks: list[Hook] | None = None,
        version: int = 0,
        namespace: str = "",
        labels: dict[str, str] | None = None,
        apply_method: str = "",
    ) -> None:
        self.name = name
        self.info = info
        self.chart = chart
        self.config: dict[str, Any] = {} if config is None else config
        self.manifest = manifest
        self.hooks: list[Hook] = [] if hooks is None else hooks
        self.version = version
        self.namespace = namespace
        self.labels: dict[str, str] = {} if labels is None else labels
        self.apply_method = apply_method

    @property
    def status(self) -> str:
        return self.info.status if self.info is not None else ""

    def set_status(self, status: str, description: str) -> None:
        if self.info is None:
            self.info = Info()
        self.info.status = status
        self.info.description = description

    @classmethod
    def from_render(cls, rendered: Any, now: GoTime | None = None) -> Release:
        """The release Helm's install builds from a render result (``createRelease``):
        first and last deployed at ``now`` (default: the current time, local zone)."""
        if now is None:
            from kelm.golang.time import now as go_now

            now = go_now()
        info = Info(
            first_deployed=now,
            last_deployed=now,
            description=rendered.description,
            status=rendered.status,
            notes=rendered.notes,
        )
        return cls(
            name=rendered.name,
            info=info,
            chart=rendered.chart,
            config=rendered.config,
            manifest=rendered.manifest,
            hooks=[Hook.from_render(h) for h in rendered.hooks],
            version=rendered.version,
            namespace=rendered.namespace,
            labels=dict(rendered.labels),
            apply_method=rendered.apply_method,
        )

    # ---- JSON

    def to_json_dict(self) -> StructObject:
        """The JSON data in Go's field order (``StructObject`` for structs, plain dicts for
        Go maps, which :meth:`to_json` writes with sorted keys)."""
        out = StructObject()
        _put(out, "name", self.name)
        if self.info is not None:
            out["info"] = self.info.to_json_dict()
        if self.chart is not None:
            out["chart"] = chart_json_dict(self.chart)
        if self.config:
            out["config"] = to_plain(self.config)
        _put(out, "manifest", self.manifest)
        if self.hooks:
            out["hooks"] = [h.to_json_dict() for h in self.hooks]
        _put(out, "version", self.version)
        _put(out, "namespace", self.namespace)
        _put(out, "apply_method", self.apply_method)
        return out

    def to_json(self) -> str:
        """``json.Marshal(release)``: the text Helm stores (no trailing newline)."""
        return write_json(self.to_json_dict())

    @classmethod
    def from_json_dict(cls, d: Any, labels: dict[str, str] | None = None) -> Release:
        d = _obj(d, "release")
        info = d.get("info")
        chart = d.get("chart")
        config = d.get("config")
        hooks = d.get("hooks")
        return cls(
            name=_str(d.get("name"), "name"),
            info=Info.from_json_dict(info) if info is not None else None,
            chart=chart_from_json_dict(chart) if chart is not None else None,
            config=_obj(config, "config") if config is not None else {},
            manifest=_str(d.get("manifest"), "manifest"),
            hooks=[Hook.from_json_dict(h) for h in _list(hooks, "hooks")],
            version=_int(d.get("version"), "version"),
            namespace=_str(d.get("namespace"), "namespace"),
            labels=labels,
            apply_method=_str(d.get("apply_method"), "apply_method"),
        )

    @classmethod
    def from_json(cls, text: str | bytes, labels: dict[str, str] | None = None) -> Release:
        return cls.from_json_dict(parse_json(text), labels)

    # ---- storage form

    def encode(self) -> str:
        """base64(gzip(JSON)): the ``release`` field of Helm's Secret/ConfigMap/SQL body."""
        return encode_release(self)

    @classmethod
    def decode(cls, data: str | bytes, labels: dict[str, str] | None = None) -> Release:
        return decode_release(data, labels)


def encode_release(rel: Release) -> str:
    """The ``release`` text of a Secret/ConfigMap/SQL row."""
    return codec.pack(rel.to_json())


def decode_release(data: str | bytes, labels: dict[str, str] | None = None) -> Release:
    """Helm's ``decodeRelease``: base64, gunzip when compressed, then the JSON."""
    return Release.from_json(codec.unpack(data), labels)


# ---- the chart as Helm serialises it


def _file_json(f: File) -> StructObject:
    out = StructObject()
    out["name"] = f.name
    out["data"] = base64.b64encode(bytes(f.data)).decode("ascii")
    t = go_time(f.modtime)
    if t is not None:
        out["modtime"] = _time_json(t)
    return out


def _files_json(files: list[File]) -> list[StructObject] | None:
    return [_file_json(f) for f in files] if files else None  # a nil slice is null


def _metadata_json(md: Metadata) -> StructObject:
    from kelm.chart.jsonform import metadata_json

    out = StructObject(metadata_json(md))
    if "maintainers" in out:
        out["maintainers"] = [None if m is None else StructObject(m) for m in out["maintainers"]]
    if "dependencies" in out:
        out["dependencies"] = [
            None if d is None else StructObject(d) for d in out["dependencies"]
        ]
    return out


def _lock_json(lock: Any) -> StructObject | None:
    """``chart.Lock`` (kelm keeps Chart.lock as its YAML mapping)."""
    if lock is None:
        return None
    from kelm.chart.jsonform import dependency_json
    from kelm.chart.metadata import parse_dependency

    gen = lock.get("generated")
    try:
        t = _parse_time(gen, "lock.generated") if isinstance(gen, str) else go_time(gen)
    except ReleaseDecodeError:
        t = None
    out = StructObject()
    out["generated"] = _time_json(t)
    digest = lock.get("digest")
    out["digest"] = digest if isinstance(digest, str) else ""
    deps = lock.get("dependencies")
    if isinstance(deps, list):
        out["dependencies"] = [
            None if j is None else StructObject(j)
            for j in (dependency_json(parse_dependency(d)) for d in deps)
        ]
    else:
        out["dependencies"] = None
    return out


def _schema_modtime(chart: Chart) -> GoTime | None:
    for f in chart.raw:
        if f.name == SCHEMA_FILE:
            return go_time(f.modtime)
    return None


def chart_json_dict(chart: Chart) -> StructObject:
    """``chart.Chart`` as Go marshals it: the root chart's own parts, no subcharts."""
    out = StructObject()
    out["metadata"] = _metadata_json(chart.metadata) if chart.metadata is not None else None
    out["lock"] = _lock_json(chart.lock)
    out["templates"] = _files_json(chart.templates)
    out["values"] = to_plain(chart.values) if chart.values is not None else None
    out["schema"] = base64.b64encode(chart.schema).decode("ascii") if chart.schema is not None else None
    out["schemamodtime"] = _time_json(_schema_modtime(chart))  # omitempty never drops a struct
    out["files"] = _files_json(chart.files)
    t = go_time(chart.modtime)
    if t is not None:
        out["modtime"] = _time_json(t)
    return out


def _bytes(v: Any, where: str) -> bytes | None:
    if v is None:
        return None
    if not isinstance(v, str):
        raise ReleaseDecodeError(f"{where}: bytes must be a base64 string")
    try:
        return base64.b64decode(v, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ReleaseDecodeError(f"{where}: illegal base64 data: {e}") from None


def _file_from_json(d: Any, where: str) -> File:
    d = _obj(d, where)
    t = _parse_time(d.get("modtime"), where + ".modtime")
    return File(_str(d.get("name"), where + ".name"), _bytes(d.get("data"), where) or b"", t or 0.0)  # type: ignore[arg-type]


def _lock_from_json(d: Any) -> dict[str, Any] | None:
    """Back to the Chart.lock mapping kelm's chart model keeps."""
    if d is None:
        return None
    d = _obj(d, "chart.lock")
    deps = d.get("dependencies")
    return {
        "generated": d.get("generated") or "0001-01-01T00:00:00Z",
        "digest": _str(d.get("digest"), "chart.lock.digest"),
        "dependencies": _list(deps, "chart.lock.dependencies") if deps is not None else None,
    }


def chart_from_json_dict(d: Any) -> Chart:
    """The chart of a stored release.  File and chart modtimes are kept as GoTime (exact to
    the nanosecond, so the JSON written again is the JSON read); the schema's modtime goes
    to a ``values.schema.json`` entry of ``raw``."""
    from kelm.chart.metadata import decode_metadata

    d = _obj(d, "chart")
    md_json = d.get("metadata")
    md = Metadata()
    if md_json is not None:
        try:
            decode_metadata(_obj(md_json, "chart.metadata"), md)
        except Exception as e:  # ChartError / type errors: Go's message
            raise ReleaseDecodeError(f"chart.metadata: {e}") from None
    values = d.get("values")
    schema = _bytes(d.get("schema"), "chart.schema")
    chart = Chart(
        metadata=md,
        templates=[_file_from_json(f, "chart.templates") for f in _list(d.get("templates"), "chart.templates")],
        files=[_file_from_json(f, "chart.files") for f in _list(d.get("files"), "chart.files")],
        values=_obj(values, "chart.values") if values is not None else None,
        schema=schema,
        lock=_lock_from_json(d.get("lock")),
        modtime=_parse_time(d.get("modtime"), "chart.modtime") or 0.0,  # type: ignore[arg-type]
    )
    smt = _parse_time(d.get("schemamodtime"), "chart.schemamodtime")
    if schema is not None or smt is not None:
        chart.raw.append(File(SCHEMA_FILE, schema or b"", smt or 0.0))  # type: ignore[arg-type]
    return chart


# ---- JSON text


def write_json(v: Any) -> str:
    """Go's encoding/json text of JSON data whose structs are ``StructObject``s (fields kept in
    order) and whose other dicts are Go maps (keys sorted); HTML characters escaped."""
    if type(v) is StructObject:
        if not v:
            return "{}"
        return "{" + ",".join(dump_json(k) + ":" + write_json(x) for k, x in v.items()) + "}"
    if isinstance(v, list) and any(type(x) is StructObject for x in v):
        return "[" + ",".join(write_json(x) for x in v) + "]"
    return dump_json(v)


def parse_json(text: str | bytes) -> Any:
    """json.Unmarshal into ``interface{}``: numbers are float64, invalid UTF-8 becomes U+FFFD."""
    import json

    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    try:
        return json.loads(text, parse_int=float, parse_constant=_no_constant)
    except ValueError as e:
        raise ReleaseDecodeError(f"release JSON: {e}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"invalid character {name[0]!r} looking for beginning of value")


# ---- field helpers (Go's omitempty and type checks)


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value:  # omitempty: "", 0, false, empty slices and maps are left out
        out[key] = value


def _obj(v: Any, where: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise ReleaseDecodeError(f"{where}: expected a JSON object")
    return v


def _list(v: Any, where: str) -> list[Any]:
    if v is None:
        return []
    if not isinstance(v, list):
        raise ReleaseDecodeError(f"{where}: expected a JSON array")
    return v


def _str(v: Any, where: str) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        raise ReleaseDecodeError(f"{where}: expected a string")
    return v


def _strs(v: Any, where: str) -> list[str]:
    return [_str(x, where) for x in _list(v, where)]


def _int(v: Any, where: str) -> int:
    if v is None:
        return 0
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v):
        raise ReleaseDecodeError(f"{where}: expected an integer")
    return int(v)
