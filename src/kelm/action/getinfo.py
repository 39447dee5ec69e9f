"""``helm get values|manifest|hooks|notes|metadata|all``: parts of a stored revision, printed
as Helm prints them (``all``: the status report with values, hooks and manifest, or a Go
template over the release)."""

from __future__ import annotations

from typing import Any

from kelm.action.status import StatusError, load_revision, require_reachable
from kelm.golang.value import GoStruct

_APPLY_METHODS = {"": "client-side apply (defaulted)", "csa": "client-side apply",
                  "ssa": "server-side apply"}


def get_revision(client: Any, storage: Any, name: str, version: int) -> Any:
    """``Get.Run``: reachability check, then the revision (the newest when ``version`` <= 0)."""
    require_reachable(client)
    return load_revision(storage, name, version)


# ---- values


def release_values(rel: Any, all_values: bool) -> Any:
    """The user-supplied values (None when there are none, as Go's nil map), or with
    ``all_values`` the chart's defaults coalesced under them."""
    if all_values:
        from kelm.values.coalesce import coalesce_values

        return coalesce_values(rel.chart, rel.config)
    return rel.config or None


def values_text(values: Any, fmt: str, all_values: bool) -> str:
    from kelm.yaml import dump_v2

    if fmt == "json":
        from kelm.yaml.jsonenc import dump_json

        return dump_json(values) + "\n"
    text = dump_v2(values)
    if fmt == "yaml":
        return text
    return ("COMPUTED VALUES:\n" if all_values else "USER-SUPPLIED VALUES:\n") + text


# ---- manifest, hooks, notes


def manifest_text(rel: Any) -> str:
    return rel.manifest + "\n"


def hooks_text(rel: Any) -> str:
    return "".join(f"---\n# Source: {h.path}\n{h.manifest}\n" for h in rel.hooks)


def notes_text(rel: Any) -> str:
    notes = rel.info.notes if rel.info is not None else ""
    return f"NOTES:\n{notes}\n" if notes else ""


# ---- metadata


def release_metadata(rel: Any) -> dict[str, Any]:
    """``action.Metadata`` in its JSON field order (``omitempty`` fields left out)."""
    from kelm.chart.jsonform import metadata_json
    from kelm.golang.time import zero_time
    from kelm.yaml.jsonenc import StructObject

    md = rel.chart.metadata if rel.chart is not None else None
    if md is None:
        raise StatusError("invalid chart apiVersion")
    out = StructObject(name=rel.name, chart=md.name, version=md.version,
                       appVersion=md.app_version or "")
    if md.annotations:
        out["annotations"] = dict(md.annotations)
    if rel.labels:
        out["labels"] = dict(rel.labels)
    deps = metadata_json(md).get("dependencies")
    if deps:
        out["dependencies"] = [None if d is None else StructObject(d) for d in deps]
    out["namespace"] = rel.namespace
    out["revision"] = rel.version
    out["status"] = rel.info.status if rel.info is not None else ""
    deployed = rel.info.last_deployed if rel.info is not None else None
    out["deployedAt"] = (deployed or zero_time()).Format("2006-01-02T15:04:05Z07:00")
    if rel.apply_method:
        out["applyMethod"] = rel.apply_method
    return out


def _label_set(m: dict[str, str] | None) -> str:
    """``labels.Set.String()``: ``k=v`` pairs sorted by key, comma-separated."""
    return ",".join(f"{k}={v}" for k, v in sorted((m or {}).items()))


def metadata_text(meta: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        from kelm.release.model import write_json

        return write_json(meta) + "\n"
    if fmt == "yaml":
        import json

        from kelm.release.model import write_json
        from kelm.yaml import dump_v2

        return dump_v2(json.loads(write_json(meta)))
    from kelm.golang.fmt import quote

    method = meta.get("applyMethod", "")
    deps = sorted(str(d.get("name", "")) for d in meta.get("dependencies") or () if d)
    return "".join([
        f"NAME: {meta['name']}\n", f"CHART: {meta['chart']}\n", f"VERSION: {meta['version']}\n",
        f"APP_VERSION: {meta['appVersion']}\n",
        f"ANNOTATIONS: {_label_set(meta.get('annotations'))}\n",
        f"LABELS: {_label_set(meta.get('labels'))}\n", f"DEPENDENCIES: {','.join(deps)}\n",
        f"NAMESPACE: {meta['namespace']}\n", f"REVISION: {meta['revision']}\n",
        f"STATUS: {meta['status']}\n", f"DEPLOYED_AT: {meta['deployedAt']}\n",
        f"APPLY_METHOD: {_APPLY_METHODS.get(method) or f'unknown ({quote(method)})'}\n",
    ])


# ---- get all --template


class _Struct(GoStruct):
    """A Go struct of Helm's release package, for templates (fields read from ``values``)."""

    def __init__(self, go_type: str, values: dict[str, Any]) -> None:
        self.go_type = go_type
        self._go_fields = tuple(values)
        for k, v in values.items():
            setattr(self, k, v)


def _metadata_struct(md: Any) -> Any:
    return _Struct("*chart.Metadata", {
        "Name": md.name, "Home": md.home, "Sources": list(md.sources), "Version": md.version,
        "Description": md.description, "Keywords": list(md.keywords),
        "Maintainers": list(md.maintainers), "Icon": md.icon, "APIVersion": md.api_version,
        "Condition": md.condition, "Tags": md.tags, "AppVersion": md.app_version,
        "Deprecated": md.deprecated, "Annotations": dict(md.annotations or {}),
        "KubeVersion": md.kube_version, "Dependencies": list(md.dependencies),
        "Type": md.type})


def _time(t: Any) -> Any:
    from kelm.golang.time import zero_time

    return t if t is not None else zero_time()


def release_struct(rel: Any) -> Any:
    """The release as ``helm get all --template`` sees it: Go field names."""
    info = rel.info
    info_s = None if info is None else _Struct("*v1.Info", {
        "FirstDeployed": _time(info.first_deployed), "LastDeployed": _time(info.last_deployed),
        "Deleted": _time(info.deleted), "Description": info.description,
        "Status": info.status, "Notes": info.notes, "Resources": info.resources or {}})
    chart = None if rel.chart is None else _Struct("*chart.Chart", {
        "Raw": [], "Metadata": _metadata_struct(rel.chart.metadata), "Lock": rel.chart.lock,
        "Templates": list(rel.chart.templates), "Values": rel.chart.values or {},
        "Schema": rel.chart.schema, "Files": list(rel.chart.files)})
    hooks = [_Struct("*v1.Hook", {
        "Name": h.name, "Kind": h.kind, "Path": h.path, "Manifest": h.manifest,
        "Events": list(h.events),
        "LastRun": _Struct("v1.HookExecution", {
            "StartedAt": _time(h.last_run.started_at),
            "CompletedAt": _time(h.last_run.completed_at), "Phase": h.last_run.phase}),
        "Weight": h.weight, "DeletePolicies": list(h.delete_policies),
        "OutputLogPolicies": list(h.output_log_policies)}) for h in rel.hooks]
    return _Struct("*v1.Release", {
        "Name": rel.name, "Info": info_s, "Chart": chart, "Config": rel.config or {},
        "Manifest": rel.manifest, "Hooks": hooks, "Version": rel.version,
        "Namespace": rel.namespace, "Labels": dict(rel.labels),
        "ApplyMethod": rel.apply_method})


def template_text(rel: Any, template: str) -> str:
    """``get all --template``: Go's text/template (no Sprig) over ``{"Release": rel}``."""
    from kelm.gotemplate import TemplateError, TemplateSet

    ts = TemplateSet()
    try:
        ts.parse("_", template)
        return str(ts.execute("_", {"Release": release_struct(rel)}))
    except TemplateError as e:
        raise StatusError(str(e)) from None


__all__ = ["get_revision", "hooks_text", "manifest_text", "metadata_text", "notes_text",
           "release_metadata", "release_struct", "release_values", "template_text",
           "values_text"]
