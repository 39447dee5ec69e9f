"""The install action up to the cluster: planning (name, chart, values, options),
rendering a plan, and the report of the release.

:func:`plan_install` does what Helm's ``runInstall`` does before it renders: name and chart
location, user values, installability and dependency checks (``--dependency-update``
runs the dependency manager), and the :class:`~kelm.render.InstallOptions` that
:func:`~kelm.render.render_chart` takes; a kustomization directory, where the request
allows it, plans as a release too.  :func:`render_plan` renders either.
:func:`release_report` prints the release as ``helm install`` does.  Applying it is
:mod:`kelm.action.deploy`'s job.
"""

from __future__ import annotations

import os
import sys
import time

from kelm._slots import Record
from kelm.action.chartref import ChartPathOptions

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

class InstallError(Exception):
    """Planning failed; ``str()`` is Helm's message."""


class InstallRequest(Record):
    """Everything ``kelm template``/``kelm install`` flags ask for, as plain values."""

    __slots__ = (
        "args", "generate_name", "name_template", "default_name", "chart_path", "values",
        "dependency_update",
        "kube_version", "namespace", "is_upgrade", "api_versions", "include_crds", "sub_notes",
        "skip_schema_validation", "labels", "post_renderer", "enable_dns",
        "description", "server_side", "debug", "presets", "hide_secret", "dry_run",
        "kustomizations", "upgrade",
    )

    def __init__(self, args: list[str], **kw: Any) -> None:
        self.args = args
        self.generate_name: bool = kw.pop("generate_name", False)
        self.name_template: str = kw.pop("name_template", "")
        self.default_name: str = kw.pop("default_name", "")
        self.chart_path: ChartPathOptions = kw.pop("chart_path", None) or ChartPathOptions()
        self.values: Any = kw.pop("values", None)  # ValueOptions: -f and the --set family
        self.dependency_update: bool = kw.pop("dependency_update", False)
        self.kube_version: str = kw.pop("kube_version", "")
        self.namespace: str = kw.pop("namespace", "")
        self.is_upgrade: bool = kw.pop("is_upgrade", False)
        self.api_versions: list[str] = kw.pop("api_versions", [])
        self.include_crds: bool = kw.pop("include_crds", False)
        self.sub_notes: bool = kw.pop("sub_notes", False)
        self.skip_schema_validation: bool = kw.pop("skip_schema_validation", False)
        self.labels: dict[str, str] = kw.pop("labels", {})
        # callable(str) -> str, from kelm.action.postrender.post_renderer
        self.post_renderer: Any = kw.pop("post_renderer", None)
        self.enable_dns: bool = kw.pop("enable_dns", False)
        self.description: str = kw.pop("description", "")
        self.server_side: bool = kw.pop("server_side", True)
        self.debug: bool = kw.pop("debug", False)
        self.presets: list[str] = kw.pop("presets", [])
        self.hide_secret: bool = kw.pop("hide_secret", False)
        self.dry_run: bool = kw.pop("dry_run", True)
        # install/upgrade take a kustomization directory as a release (beyond Helm);
        # template keeps Helm's "Chart.yaml file is missing"
        self.kustomizations: bool = kw.pop("kustomizations", False)
        # the next revision of an existing release: Helm's upgrade takes any chart type
        # (a library chart leaves the release empty), its install refuses one
        self.upgrade: bool = kw.pop("upgrade", False)
        if kw:
            raise TypeError(f"unknown install options: {', '.join(sorted(kw))}")


class InstallPlan(Record):
    """What to render: the chart, the user-supplied values, the options, warnings to log."""

    __slots__ = ("chart", "values", "options", "logs")

    def __init__(self, chart: Any, values: dict[str, Any], options: Any, logs: list[str]) -> None:
        self.chart = chart
        self.values = values
        self.options = options
        self.logs = logs


def default_namespace() -> str:
    return os.environ.get("HELM_NAMESPACE") or "default"


def _debug(msg: str, key: str, value: str) -> None:
    from kelm.golang.slog import text_value

    sys.stderr.write(f'level=DEBUG msg="{msg}" {key}={text_value(value)}\n')


def plan_install(req: InstallRequest, out: Callable[[str], Any] | None = None) -> InstallPlan:
    """Name, chart, values and options of the release (raises :class:`InstallError`)."""
    from kelm.action.chartref import ChartRefError, locate_chart, name_and_chart
    from kelm.chart import ChartError, check_dependencies, load_chart
    from kelm.chart.dependencies import MissingDependencies
    from kelm.render.action import ActionError, InstallOptions, check_installable
    from kelm.values.options import ValueOptions, ValuesError

    logs: list[str] = []
    if req.debug:
        _debug("Original chart version", "version", req.chart_path.version)
    try:
        name, chart_ref = name_and_chart(req.args, req.generate_name, req.name_template,
                                         req.default_name)
        chart_path = locate_chart(chart_ref, req.chart_path)
    except ChartRefError as e:
        raise InstallError(str(e)) from None
    if req.kustomizations:
        from kelm.action.kustomizerelease import kustomization_file

        file = kustomization_file(chart_path)
        if file:
            return _kustomization_plan(req, name, chart_path, file)
    if req.debug:
        _debug("Chart path", "path", chart_path)
    try:
        vals = (req.values or ValueOptions()).merge_values()
    except ValuesError as e:
        raise InstallError(str(e)) from None
    try:
        chart = load_chart(chart_path)
        if not req.upgrade:
            check_installable(chart)
    except (ChartError, ActionError) as e:
        raise InstallError(str(e)) from None
    if chart.metadata.deprecated:
        # printed at once, as Helm does: a later failure (missing dependencies) keeps it
        sys.stderr.write('level=WARN msg="this chart is deprecated"\n')
    if chart.metadata.dependencies:
        try:
            check_dependencies(chart)
        except MissingDependencies as e:
            if not req.dependency_update:
                raise InstallError(
                    "an error occurred while checking for chart dependencies. You may need to "
                    f"run `helm dependency build` to fetch missing dependencies: {e}"
                ) from None
            chart = _dependency_update(chart_path, req, out or sys.stdout.write)
    kube_version = None
    if req.kube_version:
        from kelm.render.scope import KubeVersionError, parse_kube_version

        try:
            kube_version = parse_kube_version(req.kube_version)
        except KubeVersionError as e:
            raise InstallError(f"invalid kube version '{req.kube_version}': {e}") from None
    opts = InstallOptions(
        release_name=name,
        namespace=req.namespace or default_namespace(),
        is_upgrade=req.is_upgrade,
        kube_version=kube_version,
        api_versions=list(req.api_versions),
        include_crds=req.include_crds,
        sub_notes=req.sub_notes,
        skip_schema_validation=req.skip_schema_validation,
        labels=dict(req.labels),
        post_renderer=req.post_renderer,
        enable_dns=req.enable_dns,
        hide_secret=req.hide_secret,
        dry_run=req.dry_run,
        description=req.description,
        server_side_apply=req.server_side,
        debug=req.debug,
        mutate=_preset_mutator(req.presets),
    )
    return InstallPlan(chart, vals, opts, logs)


def _values_given(req: InstallRequest) -> bool:
    v = req.values
    return v is not None and any(getattr(v, k) for k in v.__slots__)


def _kustomization_plan(req: InstallRequest, name: str, path: str, file: str) -> InstallPlan:
    """The plan of a kustomization release: its stand-in chart, no values."""
    from kelm.action.kustomizerelease import stand_in_chart
    from kelm.render.action import InstallOptions

    if _values_given(req):
        raise InstallError(f"{path} is a kustomization: it takes no values (-f, --set...)")
    opts = InstallOptions(release_name=name, namespace=req.namespace or default_namespace(),
                          labels=dict(req.labels), hide_secret=req.hide_secret,
                          dry_run=req.dry_run, description=req.description,
                          server_side_apply=req.server_side, debug=req.debug)
    return InstallPlan(stand_in_chart(path, file), {}, opts, [])


def render_plan(chart: Any, values: dict[str, Any], options: Any) -> Any:
    """:func:`kelm.render.render_chart` for a chart, or the build of a kustomization plan
    (:func:`kelm.action.kustomizerelease.render_kustomization`): the one place where a
    plan becomes a rendered release.  Raises :class:`~kelm.render.action.ActionError`."""
    from kelm.action.kustomizerelease import KustomizationChart, render_kustomization

    if isinstance(chart, KustomizationChart):
        return render_kustomization(chart.path, options.release_name, options.namespace,
                                    options)
    from kelm.render.action import render_chart

    return render_chart(chart, values, options)


def _preset_mutator(paths: list[str]) -> Any:
    """``--preset``: the PodPresets of ``paths`` applied to the rendered pods and pod
    templates, as the admission plugin would at creation (conflicts leave the object as it
    is and are logged)."""
    if not paths:
        return None
    from kelm.presets.errors import PresetError
    from kelm.presets.loader import load_presets

    try:
        presets = load_presets(paths)
    except (PresetError, OSError) as e:
        raise InstallError(str(e)) from None

    def mutate(texts: list[str], namespace: str) -> tuple[list[str], list[str]]:
        from kelm.presets.stream import apply_to_documents

        new, result = apply_to_documents(presets, texts, namespace=namespace)
        return new, [f'level=WARN msg="podpreset conflict" object="{c.ref}" error="{c.message}"'
                     for c in result.conflicts]

    return mutate


class _Writer:
    """``out`` (a write callable) as the text stream the dependency manager prints to."""

    def __init__(self, out: Callable[[str], Any]) -> None:
        self.write = out

    def flush(self) -> None:
        pass


def update_chart_dependencies(chart_path: str, cp: ChartPathOptions, out: Any = None,
                              debug: bool = False) -> None:
    """Helm's ``downloader.Manager.Update`` as ``install``/``package --dependency-update``
    run it: with the command's registry client (TLS files, ``--plain-http``, credentials),
    keyring and repository config and caches (raises :class:`InstallError`)."""
    from kelm.action.chartref import ChartRefError, check_tls_files, registry_options
    from kelm.action.dependency import DependencyError, Manager

    try:
        check_tls_files(cp)
        Manager(chart_path, out=out, debug=debug, repository_config=cp.repository_config,
                repository_cache=cp.repository_cache, content_cache=cp.content_cache,
                registry=registry_options(cp), keyring=cp.keyring).update()
    except (ChartRefError, DependencyError) as e:
        raise InstallError(str(e)) from None


def _dependency_update(chart_path: str, req: InstallRequest, out: Callable[[str], Any]) -> Any:
    """``--dependency-update`` (Helm's ``runInstall``): update, then reload the chart."""
    from kelm.chart import ChartError, load_chart

    update_chart_dependencies(chart_path, req.chart_path, _Writer(out), req.debug)
    try:
        return load_chart(chart_path)
    except ChartError as e:
        raise InstallError(f"failed reloading chart after repo update: {e}") from None


_TRUE = ("1", "t", "T", "TRUE", "true", "True")  # Go's strconv.ParseBool
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def dry_run_strategy(value: str, is_template: bool) -> tuple[str, str]:
    """Helm's ``cmdGetDryRunFlagStrategy``: ("none" | "client" | "server", warning or "")."""
    if value == "unset":
        return "client", ("level=WARN msg=\"--dry-run is deprecated and should be replaced with "
                          "'--dry-run=client'\"")
    if value in ("client", "server"):
        return value, ""
    if value == "none":
        if is_template:
            raise InstallError(f'invalid dry-run value ("{value}"). Must be "server" or "client"')
        return "none", ""
    b = True if value in _TRUE else False if value in _FALSE else None
    if b is None:
        raise InstallError(
            f'invalid dry-run value ("{value}"). Must be "none", "server", or "client"')
    if is_template and not b:
        raise InstallError(f'invalid dry-run value ("{value}"). Must be "server" or "client"')
    result = "client" if b else "none"
    return result, (f"level=WARN msg=\"boolean '--dry-run={value}' flag is deprecated and must "
                    f"be replaced with '--dry-run={result}'\"")


def release_object(rel: Any, fmt: str) -> str:
    """``helm install --dry-run -o json|yaml``: the release record (Helm v4's JSON, or that
    JSON as YAML with sorted keys, as sigs.k8s.io/yaml writes it)."""
    from kelm.release.model import Release

    text = Release.from_render(rel).to_json()
    if fmt == "json":
        return text + "\n"
    import json

    return _encode_yaml(json.loads(text))


def _encode_yaml(v: Any) -> str:
    from kelm.yaml import dump_v2

    return dump_v2(v)


_STATUS_COLORS = {"deployed": "32", "failed": "31", "pending-install": "33",
                  "pending-upgrade": "33", "pending-rollback": "33", "uninstalling": "33"}


def _colored(text: str, code: str | None, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def release_report(rel: Any, debug: bool, hide_notes: bool, now: float | None = None,
                   color: bool = False) -> str:
    """Helm's ``statusPrinter.WriteTable`` for a dry-run release (``color``: namespace and
    status in ANSI colours, as ``--color always``)."""
    from kelm.values.coalesce import coalesce_values

    t = time.localtime(now if now is not None else time.time())
    out = [f"NAME: {rel.name}\n"]
    out.append("LAST DEPLOYED: " + time.strftime("%a %b ", t) + f"{t.tm_mday:2d}"
               + time.strftime(" %H:%M:%S %Y", t) + "\n")
    out.append(f"NAMESPACE: {_colored(rel.namespace, '36', color)}\n")
    out.append(f"STATUS: {_colored(rel.status, _STATUS_COLORS.get(rel.status), color)}\n")
    out.append(f"REVISION: {rel.version}\n")
    out.append(f"DESCRIPTION: {rel.description}\n")
    tests = [h for h in rel.hooks if "test" in h.events]
    if not tests:
        out.append("TEST SUITE: None\n")
    if debug:
        out.append("USER-SUPPLIED VALUES:\n")
        out.append(_encode_yaml(rel.config))
        out.append("\n")
        out.append("COMPUTED VALUES:\n")
        out.append(_encode_yaml(coalesce_values(rel.chart, rel.config)))
        out.append("\n")
    if rel.description.lower() == "dry run complete" or debug:
        out.append("HOOKS:\n")
        for h in rel.hooks:
            out.append(f"---\n# Source: {h.path}\n{h.manifest}\n")
        out.append(f"MANIFEST:\n{rel.manifest}\n")
    if not hide_notes and rel.notes:
        from kelm.render.manifests import go_trim

        out.append(f"NOTES:\n{go_trim(rel.notes)}\n")
    return "".join(out)


__all__ = ["InstallError", "InstallPlan", "InstallRequest",
           "default_namespace", "dry_run_strategy", "plan_install", "release_object",
           "release_report", "render_plan"]
