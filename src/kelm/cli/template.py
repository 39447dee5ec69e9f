"""``kelm template``: ``helm template`` v4.1.4, same arguments, flags, output and errors.

This module only turns flags into an :class:`~kelm.action.install.InstallRequest` and a
:class:`~kelm.action.template.TemplateOutput`, calls the actions and prints.  The flags of
``template`` and ``install`` are declared here (:func:`install_flags`), with what kelm does
with each: flags that only matter to a cluster are accepted where Helm ignores them for a
client-side render; ``--dry-run=server`` (and ``--validate``) render with the cluster's
capabilities and lookups and check the ownership of existing objects, as Helm does.
"""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError, fail
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import chart_path_flags, chart_path_options, value_options, values_flags

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

def _wait_check(v: str) -> str:
    if v in ("watcher", "hookOnly", "legacy"):
        return ""
    return f'invalid wait input "{v}". Valid inputs are watcher, hookOnly, and legacy'


def install_flags() -> list[Flag]:
    """The flags ``template`` and ``install`` share (Helm's ``addInstallFlags``)."""
    return [
        Flag("create-namespace", "bool", default=False,
             help="create the release namespace if not present"),
        Flag("force-replace", "bool", default=False,
             help="force resource updates by replacement"),
        Flag("force", "bool", default=False, hidden=True,
             deprecated="use --force-replace instead", help="deprecated alias of --force-replace"),
        Flag("force-conflicts", "bool", default=False,
             help="if set server-side apply will force changes against conflicts"),
        Flag("server-side", "bool", default=True,
             help="object updates run in the server instead of the client"),
        Flag("no-hooks", "bool", default=False, help="prevent hooks from running during install"),
        Flag("replace", "bool", default=False,
             help="reuse the given name, only if that name is a deleted release which remains "
                  "in the history. This is unsafe in production"),
        Flag("timeout", "duration", default="5m0s",
             help="time to wait for any individual Kubernetes operation (like Jobs for hooks)"),
        Flag("wait", "opt", default="hookOnly", no_opt="watcher", type_name="WaitStrategy",
             default_text="hookOnly", check=_wait_check,
             help="if specified, wait until resources are ready (up to --timeout). Values: "
                  "'watcher', 'hookOnly', and 'legacy'."),
        Flag("wait-for-jobs", "bool", default=False,
             help="if set and --wait enabled, will wait until all Jobs have been completed "
                  "before marking the release as successful. It will wait for as long as "
                  "--timeout"),
        Flag("generate-name", "bool", "g", False,
             help="generate the name (and omit the NAME parameter)"),
        Flag("name-template", "string", default="",
             help="specify template used to name the release"),
        Flag("description", "string", default="", help="add a custom description"),
        Flag("dependency-update", "bool", default=False,
             help="update dependencies if they are missing before installing the chart"),
        Flag("disable-openapi-validation", "bool", default=False,
             help="if set, the installation process will not validate rendered templates "
                  "against the Kubernetes OpenAPI Schema"),
        Flag("rollback-on-failure", "bool", default=False,
             help="if set, Helm will rollback (uninstall) the installation upon failure. The "
                  '--wait flag will be default to "watcher" if --rollback-on-failure is set'),
        Flag("atomic", "bool", default=False, hidden=True,
             deprecated="use --rollback-on-failure instead",
             help="deprecated alias of --rollback-on-failure"),
        Flag("skip-crds", "bool", default=False,
             help="if set, no CRDs will be installed. By default, CRDs are installed if not "
                  "already present"),
        Flag("render-subchart-notes", "bool", default=False,
             help="if set, render subchart notes along with the parent"),
        Flag("skip-schema-validation", "bool", default=False,
             help="if set, disables JSON schema validation"),
        Flag("labels", "map", "l", default_text="[]",
             help="Labels that would be added to release metadata. Should be divided by comma."),
        Flag("enable-dns", "bool", default=False,
             help="enable DNS lookups when rendering templates"),
        Flag("hide-notes", "bool", default=False,
             help="if set, do not show notes in install output. Does not affect presence in "
                  "chart metadata"),
        Flag("take-ownership", "bool", default=False,
             help="if set, install will ignore the check for helm annotations and take "
                  "ownership of the existing resources"),
        *values_flags(),
        *chart_path_flags(),
        Flag("post-renderer", "string", default="", type_name="postRendererString",
             help="the name of a postrenderer type plugin to be used for post rendering (kelm: "
                  "an executable, or kustomize:DIR for the built-in kustomize). If it exists, "
                  "the plugin will be used"),
        Flag("post-renderer-args", "array", type_name="postRendererArgsSlice",
             default_text="[]",
             help="an argument to the post-renderer (can specify multiple)"),
        Flag("preset", "slice",
             help="apply the PodPresets in these files or directories to the rendered pods "
                  "(kelm only; can specify multiple)"),
    ]


def template_flags() -> list[Flag]:
    return [
        *install_flags(),
        Flag("show-only", "array", "s", help="only show manifests rendered from the given templates"),
        Flag("output-dir", "string", default="",
             help="writes the executed templates to files in output-dir instead of stdout"),
        Flag("validate", "bool", default=False, hidden=True,
             deprecated="use '--dry-run=server' instead",
             help="validate the manifests against the cluster (needs a cluster)"),
        Flag("include-crds", "bool", default=False, help="include CRDs in the templated output"),
        Flag("skip-tests", "bool", default=False, help="skip tests from templated output"),
        Flag("is-upgrade", "bool", default=False,
             help="set .Release.IsUpgrade instead of .Release.IsInstall"),
        Flag("kube-version", "string", default="",
             help="Kubernetes version used for Capabilities.KubeVersion"),
        Flag("api-versions", "slice", "a",
             help="Kubernetes api versions used for Capabilities.APIVersions (multiple can be "
                  "specified)"),
        Flag("release-name", "bool", default=False, help="use release name in the output-dir path."),
        Flag("dry-run", "opt", default="client", no_opt="unset",
             help="simulates the operation either client-side or server-side. Must be either: "
                  "\"client\", or \"server\". '--dry-run=client simulates the operation "
                  "client-side only and avoids cluster connections. '--dry-run=server' "
                  "simulates/validates the operation on the server, requiring cluster "
                  "connectivity."),
    ]


# Kept for callers of the earlier module layout (tests, benchmarks).
TEMPLATE_FLAGS = template_flags()
INSTALL_FLAGS = install_flags()


def _global_flags() -> list[Flag]:
    from kelm.cli.root import global_flags

    return global_flags()


def __getattr__(name: str) -> Any:
    if name == "GLOBAL_FLAGS":
        return _global_flags()
    raise AttributeError(name)


def install_request(p: Parsed, default_name: str, dry_run: bool = True) -> Any:
    """The plain options of the install action from parsed flags.  What Helm checks while
    it parses the flags (the post-renderer, the TLS files of the registry client) fails here,
    before the action runs."""
    from kelm.action.chartref import ChartRefError, check_tls_files
    from kelm.action.install import InstallRequest
    from kelm.action.postrender import PostRendererError, post_renderer

    g = p.get
    chart_path = chart_path_options(p)
    try:
        renderer = post_renderer(g("post-renderer") or "", list(g("post-renderer-args") or []))
        check_tls_files(chart_path)
    except (PostRendererError, ChartRefError) as e:
        raise CommandError(str(e)) from None
    return InstallRequest(
        list(p.args),
        generate_name=bool(g("generate-name")), name_template=g("name-template") or "",
        default_name=default_name, chart_path=chart_path,
        values=value_options(p),
        dependency_update=bool(g("dependency-update")),
        kube_version=g("kube-version") or "", namespace=g("namespace") or "",
        is_upgrade=bool(g("is-upgrade")), api_versions=list(g("api-versions") or []),
        include_crds=bool(g("include-crds")), sub_notes=bool(g("render-subchart-notes")),
        skip_schema_validation=bool(g("skip-schema-validation")), labels=dict(g("labels") or {}),
        post_renderer=renderer,
        enable_dns=bool(g("enable-dns")), description=g("description") or "",
        server_side=bool(g("server-side")), debug=bool(g("debug")), presets=g("preset") or [],
        hide_secret=bool(g("hide-secret")), dry_run=dry_run,
    )


def write_stderr_lines(lines: list[str]) -> None:
    for line in lines:
        sys.stderr.write(line + "\n")


def needs_cluster(command: str, what: str) -> str:
    """The plain refusal for what only a cluster can do (kelm has no cluster layer yet)."""
    return f"kelm {command}: {what} needs a Kubernetes cluster, which kelm cannot reach yet"


def _template(cmd: Command, p: Parsed) -> None:
    from kelm.action.install import InstallError, dry_run_strategy, plan_install
    from kelm.action.template import TemplateOutput, TemplateOutputError, write_template_output
    from kelm.render.action import ActionError, Release, render_chart

    if "validate" in p.given and "dry-run" in p.given:
        fail("if any flags in the group [validate dry-run] are set none of the others can be; "
             "[dry-run validate] were all set")
    debug = bool(p.get("debug"))
    try:
        strategy, warning = dry_run_strategy(p.get("dry-run"), True)
    except InstallError as e:
        raise CommandError(str(e)) from None
    if warning:
        sys.stderr.write(warning + "\n")
    server = strategy == "server" or bool(p.get("validate"))
    request = install_request(p, "release-name")
    try:
        plan = plan_install(request)
    except InstallError as e:
        raise CommandError(str(e)) from None
    write_stderr_lines(plan.logs)
    client = None
    if server:  # Helm's install in server dry-run mode: the cluster's capabilities, lookup
        from kelm.action.lookup import bind_cluster
        from kelm.cli.kubeflags import REACHABILITY_CHECK, connect

        client = connect(p, "", REACHABILITY_CHECK)
        bind_cluster(plan.options, client, chart=plan.chart, skip_crds=bool(p.get("skip-crds")),
                     dry_run=True)
    try:
        rel: Release | None = render_chart(plan.chart, plan.values, plan.options)
        err: ActionError | None = None
    except ActionError as e:
        rel = e.release
        err = e
    if rel is not None:
        write_stderr_lines(rel.logs)
    if server and err is None and rel is not None and not plan.options.is_upgrade:
        from kelm.action.deploy import DeployError
        from kelm.action.lookup import check_server_dry_run

        try:
            check_server_dry_run(client, rel, False)
        except DeployError as e:
            fail(str(e))
    if err is not None and not debug:
        if rel is not None:
            fail(f"{err}\n\nUse --debug flag to render out invalid YAML")
        fail(str(err))
    if rel is not None:
        out = TemplateOutput(
            output_dir=p.get("output-dir") or "", release_name_dir=bool(p.get("release-name")),
            no_hooks=bool(p.get("no-hooks")), skip_tests=bool(p.get("skip-tests")),
            show_only=list(p.get("show-only") or []), include_crds=bool(p.get("include-crds")),
        )
        try:
            write_template_output(rel, out, sys.stdout.write)
        except TemplateOutputError as e:
            fail(str(e))
        sys.stdout.flush()
    if err is not None:
        fail(str(err))


LONG = """
Render chart templates locally and print the result, as 'helm template' does.

Whatever would be looked up in a cluster is faked locally ('lookup' returns an
empty map, Capabilities come from --kube-version and --api-versions), unless
'--dry-run=server' asks the cluster of the kubeconfig for both (and checks that
no existing object belongs to someone else).

--api-versions may be repeated or given a comma-separated list:

    $ kelm template --api-versions networking.k8s.io/v1,cert-manager.io/v1 mychart ./mychart

kelm extras: '--post-renderer kustomize:DIR' runs a kustomize overlay over the
output in-process, '--preset FILE' applies PodPresets to the rendered pods.
"""

COMMAND = Command(
    "template [NAME] [CHART]", short="locally render templates", long=LONG,
    flags=template_flags(), args=("min", 1), run=_template,
)


def run_template(argv: list[str]) -> None:
    """``kelm template ARGS...`` in-process (used by tests and the corpus tools)."""
    from kelm.cli import run_subcommand

    run_subcommand("template", argv)


__all__ = ["COMMAND", "INSTALL_FLAGS", "TEMPLATE_FLAGS", "install_flags", "install_request",
           "needs_cluster", "run_template", "template_flags"]
