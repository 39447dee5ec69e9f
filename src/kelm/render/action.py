"""The install action in client-only mode: what ``helm template`` and ``install --dry-run`` run.

:func:`render_chart` follows Helm's ``Install.RunWithContext`` + ``renderResources``: release
name check, dependency processing, values (coalescing + schema), kubeVersion check, rendering,
NOTES extraction, optional post-renderer, manifest sorting, CRDs.  Errors raised after the
release object exists carry ``after_release=True`` (``helm template`` then adds its
"Use --debug flag" hint and, with ``--debug``, prints the partial manifest).
"""

from __future__ import annotations

from kelm import recache
from kelm._slots import Record
from kelm.chart.model import Chart, ChartError
from kelm.render.manifests import Hook, Manifest, ManifestError, sort_manifests
from kelm.render.scope import Capabilities, KubeVersion

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

NOTES_SUFFIX = "NOTES.txt"
_VALID_NAME = recache.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
SYSTEM_LABELS = ("name", "owner", "status", "version", "createdAt", "modifiedAt")


class ActionError(Exception):
    """A failure of the action; ``str()`` is Helm's message."""

    def __init__(self, msg: str, release: Release | None = None) -> None:
        super().__init__(msg)
        self.release = release


class InstallOptions(Record):
    """What ``helm template``/``install --dry-run`` flags decide (Helm's ``action.Install``)."""

    __slots__ = (
        "release_name", "namespace", "is_upgrade", "kube_version", "api_versions", "include_crds",
        "sub_notes", "skip_schema_validation", "labels", "post_renderer", "enable_dns",
        "hide_secret", "dry_run", "description", "server_side_apply", "debug", "mutate",
        "capabilities", "lookup", "revision",
    )

    def __init__(
        self,
        release_name: str = "release-name",
        namespace: str = "default",
        is_upgrade: bool = False,
        kube_version: KubeVersion | None = None,
        api_versions: list[str] | None = None,
        include_crds: bool = False,
        sub_notes: bool = False,
        skip_schema_validation: bool = False,
        labels: dict[str, str] | None = None,
        post_renderer: Any = None,  # callable(str) -> str
        enable_dns: bool = False,
        hide_secret: bool = False,
        dry_run: bool = True,
        description: str = "",
        server_side_apply: bool = True,
        debug: bool = False,
        mutate: Any = None,  # callable(texts, namespace) -> (texts, logs): e.g. PodPresets
        capabilities: Callable[[], Capabilities] | None = None,
        lookup: Callable[[str, str, str, str], dict[str, Any]] | None = None,
        revision: int = 1,
    ) -> None:
        self.release_name = release_name
        self.namespace = namespace
        self.is_upgrade = is_upgrade
        self.kube_version = kube_version
        self.api_versions: list[str] = [] if api_versions is None else api_versions
        self.include_crds = include_crds
        self.sub_notes = sub_notes
        self.skip_schema_validation = skip_schema_validation
        self.labels: dict[str, str] = {} if labels is None else labels
        self.post_renderer = post_renderer
        self.enable_dns = enable_dns
        self.hide_secret = hide_secret
        self.dry_run = dry_run
        self.description = description
        self.server_side_apply = server_side_apply
        self.debug = debug
        self.mutate = mutate
        # a cluster's answers (kelm.action.lookup): called when the render needs them; None
        # keeps the render offline (defaults and --kube-version/--api-versions, lookup {})
        self.capabilities = capabilities
        self.lookup = lookup
        # .Release.Revision: an install's is 1, an upgrade's the last revision + 1
        self.revision = revision


class Release(Record):
    """The release ``helm template`` prints: rendered manifests, hooks and notes."""

    __slots__ = (
        "name", "namespace", "chart", "config", "version", "status", "description", "notes",
        "manifest", "hooks", "manifests", "labels", "apply_method", "computed_values", "logs",
    )

    def __init__(
        self,
        name: str,
        namespace: str,
        chart: Chart,
        config: dict[str, Any],
        version: int = 1,
        status: str = "unknown",
        description: str = "",
        notes: str = "",
        manifest: str = "",
        hooks: list[Hook] | None = None,
        manifests: list[Manifest] | None = None,
        labels: dict[str, str] | None = None,
        apply_method: str = "ssa",
        computed_values: dict[str, Any] | None = None,
        logs: list[str] | None = None,
    ) -> None:
        self.name = name
        self.namespace = namespace
        self.chart = chart
        self.config = config
        self.version = version
        self.status = status
        self.description = description
        self.notes = notes
        self.manifest = manifest
        self.hooks: list[Hook] = [] if hooks is None else hooks
        self.manifests: list[Manifest] = [] if manifests is None else manifests
        self.labels: dict[str, str] = {} if labels is None else labels
        self.apply_method = apply_method
        self.computed_values: dict[str, Any] = {} if computed_values is None else computed_values
        self.logs: list[str] = [] if logs is None else logs


def validate_release_name(name: str) -> None:
    """Helm's ``availableName`` check (logs an ERROR line like Helm before failing)."""
    if name == "":
        msg = f'release name "{name}": no name provided'
    elif len(name) > 53 or not _VALID_NAME.match(name):
        msg = (
            f'release name "{name}": invalid release name, must match regex '
            f"{_VALID_NAME.pattern} and the length must not be longer than 53"
        )
    else:
        return
    import sys

    from kelm.golang.slog import text_value

    sys.stderr.write(f'level=ERROR msg="release name check failed" error={text_value(msg)}\n')
    raise ActionError(f"release name check failed: {msg}")


def check_installable(chart: Chart) -> None:
    if chart.metadata.type not in ("", "application"):
        raise ActionError(f"{chart.metadata.type} charts are not installable")


def to_render_values(
    chart: Chart,
    user_values: dict[str, Any],
    opts: InstallOptions,
    caps: Capabilities,
    logs: list[str] | None = None,
) -> dict[str, Any]:
    """``ToRenderValuesWithSchemaValidation``: the top-level scope of the root chart."""
    from kelm.chart.schema import validate_against_schema
    from kelm.golang.value import GoInt
    from kelm.values.coalesce import CoalesceError, coalesce_values

    top: dict[str, Any] = {
        "Capabilities": caps,
        "Release": {
            "Name": opts.release_name,
            "Namespace": opts.namespace,
            "IsUpgrade": opts.is_upgrade,
            "IsInstall": not opts.is_upgrade,
            "Revision": GoInt(opts.revision),
            "Service": "Helm",
        },
    }
    try:
        vals = coalesce_values(chart, user_values)
    except CoalesceError as e:
        raise ActionError(str(e)) from None
    if not opts.skip_schema_validation:
        report = validate_against_schema(chart, vals, logs)
        if report:
            raise ActionError(
                "values don't meet the specifications of the schema(s) in the following "
                "chart(s):\n" + report
            )
    top["Values"] = vals
    return top


def render_chart(
    chart: Chart, user_values: dict[str, Any], opts: InstallOptions
) -> Release:
    """Run the client-side install: returns the release (raises :class:`ActionError`)."""
    from kelm.chart.dependencies import process_dependencies
    from kelm.chart.semver import check as version_matches
    from kelm.render.engine import Engine
    from kelm.render.errors import RenderError
    from kelm.values.coalesce import CoalesceError

    validate_release_name(opts.release_name)
    try:
        process_dependencies(chart, user_values)
    except (ChartError, CoalesceError) as e:
        raise ActionError(f"chart dependencies processing failed: {e}") from None
    if opts.capabilities is not None:
        caps = opts.capabilities()  # raises ActionError when the cluster cannot tell
    else:
        caps = Capabilities(opts.kube_version, opts.api_versions)
    debug_logs: list[str] | None = [] if opts.debug else None
    try:
        top = to_render_values(chart, user_values, opts, caps, debug_logs)
    finally:
        if debug_logs:
            import sys

            sys.stderr.write("".join(line + "\n" for line in debug_logs))
    for k in opts.labels:
        if k in SYSTEM_LABELS:
            raise ActionError(
                "user supplied labels contains system reserved label name. System labels: "
                "[" + " ".join(SYSTEM_LABELS) + "]"
            )
    rel = Release(
        name=opts.release_name,
        namespace=opts.namespace,
        chart=chart,
        config=user_values,
        labels=dict(opts.labels),
        apply_method="ssa" if opts.server_side_apply else "csa",
        computed_values=top["Values"],
    )
    kv = chart.metadata.kube_version
    if kv and not version_matches(kv, caps.KubeVersion.__go_string__()):
        rel.status = "failed"
        raise ActionError(
            f"chart requires kubeVersion: {kv} which is incompatible with Kubernetes "
            f"{caps.KubeVersion.Version}",
            rel,
        )
    try:
        files = Engine(enable_dns=opts.enable_dns, lookup=opts.lookup).render(chart, top)
    except RenderError as e:
        rel.status = "failed"
        raise ActionError(str(e), rel) from None
    notes_parts = []
    root_notes = f"{chart.name}/templates/{NOTES_SUFFIX}"
    # Helm joins the NOTES in Go map order (random); kelm: the chart's own first
    for k in sorted(files, key=lambda k: (k != root_notes, k)):
        if k.endswith(NOTES_SUFFIX):
            if opts.sub_notes or k == root_notes:
                notes_parts.append(files[k])
            del files[k]
    rel.notes = "\n".join(notes_parts)
    if opts.post_renderer is not None:
        from kelm.render.postrender import annotate_and_merge, split_and_deannotate

        merged = annotate_and_merge(files)
        try:
            out = opts.post_renderer(merged)
        except Exception as e:
            raise ActionError(f"error while running post render on files: {e}", rel) from None
        files = split_and_deannotate(out)
    try:
        hooks, manifests, logs = sort_manifests(files)
    except ManifestError as e:
        rel.status = "failed"
        rel.manifest = "".join(
            f"---\n# Source: {name}\n{content}\n"
            for name, content in sorted(files.items())
            if content.strip()
        )
        raise ActionError(str(e), rel) from None
    rel.logs.extend(logs)
    if opts.mutate is not None:
        _mutate_documents(opts.mutate, manifests, hooks, opts.namespace, rel)
    rel.hooks = hooks
    rel.manifests = manifests
    parts = []
    if opts.include_crds:
        for filename, f in chart.crd_objects():
            parts.append(f"---\n# Source: {filename}\n{f.data.decode('utf-8', 'replace')}\n")
    for m in manifests:
        if opts.hide_secret and m.head.kind == "Secret" and m.head.api_version == "v1":
            parts.append(f"---\n# Source: {m.name}\n# HIDDEN: The Secret output has been suppressed\n")
        else:
            parts.append(f"---\n# Source: {m.name}\n{m.content}\n")
    rel.manifest = "".join(parts)
    rel.status = "pending-install"
    rel.description = "Dry run complete" if opts.dry_run else "Initial install underway"
    return rel


def _mutate_documents(
    mutate: Any, manifests: list[Any], hooks: list[Any], namespace: str, rel: Release
) -> None:
    """``opts.mutate`` over the rendered manifests and hooks (kelm's PodPresets, set up by
    the action layer): ``mutate(texts, namespace) -> (texts, log lines)``."""
    texts = [m.content for m in manifests] + [h.manifest for h in hooks]
    new, logs = mutate(texts, namespace)
    for m, text in zip(manifests, new, strict=False):
        m.content = text
    for h, text in zip(hooks, new[len(manifests):], strict=True):
        h.manifest = text
    rel.logs.extend(logs)
