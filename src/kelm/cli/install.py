"""``kelm install NAME CHART``: into the cluster (:mod:`kelm.action.deploy`), or previewed.

With ``--dry-run[=client]`` it prints the report ``helm install --dry-run`` prints (NAME, LAST
DEPLOYED, NAMESPACE, STATUS, REVISION, DESCRIPTION, TEST SUITE, with ``--debug`` USER-SUPPLIED
and COMPUTED VALUES, HOOKS, MANIFEST, NOTES); ``--dry-run=server`` prints the same after
rendering with the cluster's capabilities and lookups (:mod:`kelm.action.lookup`), writing
nothing.  ``-o json|yaml`` prints the release record (:mod:`kelm.release.model`).
"""

from __future__ import annotations

import sys
from typing import Any

from kelm.cli.command import Command, CommandError, fail, refuse_given
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import output_flag
from kelm.cli.kubeflags import REACHABILITY_CHECK, connect, kube_settings
from kelm.cli.template import install_flags, install_request, write_stderr_lines


def openapi_help(flags: list[Flag]) -> list[Flag]:
    """``flags`` with kelm's help for ``--disable-openapi-validation``."""
    for f in flags:
        if f.name == "disable-openapi-validation":
            f.help = OPENAPI_VALIDATION
    return flags



def install_only_flags() -> list[Flag]:
    return [
        *openapi_help(install_flags()),
        Flag("hide-secret", "bool", default=False,
             help="hide Kubernetes Secrets when also using the --dry-run flag"),
        Flag("dry-run", "opt", default="none", no_opt="unset",
             help="simulate an install. If --dry-run is set with no option being specified or "
                  "as '--dry-run=client', it will not attempt cluster connections. Setting "
                  "'--dry-run=server' allows attempting cluster connections."),
        output_flag(),
    ]


# Helm flags kelm parses but cannot honour yet (refused when given). None today:
# --disable-openapi-validation is accepted (see OPENAPI_VALIDATION)
NOT_YET: tuple[str, ...] = ()

# Helm v4 with server-side apply: the flag only skips the client's check that the server
# takes the fieldValidation parameter (its /openapi/v3 requests); the server still checks
# every object strictly. kelm makes no such client-side check, so the flag changes nothing.
OPENAPI_VALIDATION = (
    "accepted for Helm compatibility; kelm does not check rendered manifests against the "
    "OpenAPI schema on the client side, the API server validates every object strictly "
    "(fieldValidation=Strict) with or without this flag")


def not_yet(p: Parsed) -> tuple[str, ...]:
    """The flags given that kelm cannot honour yet."""
    return NOT_YET


def check_exclusive(p: Parsed) -> None:
    """cobra's ``MarkFlagsMutuallyExclusive("force-replace", "force-conflicts")``."""
    for other in ("force-replace", "force"):
        if other in p.given and "force-conflicts" in p.given:
            given = sorted((other, "force-conflicts"))
            fail(f"if any flags in the group [{other} force-conflicts] are set none of the "
                 f"others can be; [{' '.join(given)}] were all set")


def deploy_options(p: Parsed, server_side: bool = True) -> Any:
    """The flags install, upgrade and rollback share, as
    :class:`kelm.action.deploy.DeployOptions`."""
    from kelm.action.deploy import DeployOptions

    history = p.get("history-max")
    return DeployOptions(
        create_namespace=bool(p.get("create-namespace")), no_hooks=bool(p.get("no-hooks")),
        skip_crds=bool(p.get("skip-crds")), timeout=seconds(p.get("timeout")),
        description=p.get("description") or "", wait=p.get("wait") or "hookOnly",
        wait_for_jobs=bool(p.get("wait-for-jobs")),
        force_replace=bool(p.get("force-replace") or p.get("force")),
        force_conflicts=bool(p.get("force-conflicts")),
        take_ownership=bool(p.get("take-ownership")), replace=bool(p.get("replace")),
        rollback_on_failure=bool(p.get("rollback-on-failure") or p.get("atomic")),
        cleanup_on_fail=bool(p.get("cleanup-on-fail")),
        max_history=int(history) if history is not None else None, server_side=server_side,
        debug=bool(p.get("debug")))


class ReportView:
    """A stored release as :func:`kelm.action.install.release_report` reads it."""

    def __init__(self, rel: Any) -> None:
        self._rel = rel

    def __getattr__(self, name: str) -> Any:
        if name in ("description", "notes"):
            return getattr(self._rel.info, name)
        return getattr(self._rel, name)


def print_release(p: Parsed, rel: Any, fmt: str) -> None:
    """The release as ``-o table|json|yaml`` prints it (Helm's statusPrinter)."""
    if fmt != "table":
        text = rel.to_json()
        if fmt == "json":
            sys.stdout.write(text + "\n")
        else:
            import json

            from kelm.yaml import dump_v2

            sys.stdout.write(dump_v2(json.loads(text)))
        sys.stdout.flush()
        return
    from kelm.action.install import release_report
    from kelm.cli.root import use_color

    when = rel.info.last_deployed
    now = float(when.Unix()) if when is not None else None
    sys.stdout.write(release_report(ReportView(rel), bool(p.get("debug")),
                                    bool(p.get("hide-notes")), now=now, color=use_color(p)))
    sys.stdout.flush()


def cancelled_notice(name: str) -> Any:
    """What Helm prints at SIGINT/SIGTERM."""

    def notice() -> None:
        sys.stdout.write(f"Release {name} has been cancelled.\n")
        sys.stdout.flush()

    return notice


def deploy_install(p: Parsed, rendered: Any, fmt: str, prefix: str = "INSTALLATION FAILED: ",
                   server_side: bool = True, client: Any = None, start: Any = None) -> None:
    """Install ``rendered`` into the cluster and print the release (``prefix``: what Helm
    puts before the error; ``upgrade --install`` puts nothing; ``start``: what
    :func:`begin_install` found before the render, None to run it now)."""
    from kelm.action.deploy import DeployError, install_release, signals_cancel

    client = client if client is not None else connect(p, prefix)
    opts = install_options(p, server_side)
    try:
        with client, signals_cancel(cancelled_notice(rendered.name)):
            rel = install_release(client, rendered, opts, start)
    except DeployError as e:
        # Helm renders only once the cluster answered: no render lines for an unreachable one
        if not str(e).startswith("cluster reachability check failed"):
            write_stderr_lines(rendered.logs)
        write_stderr_lines(e.logs)
        fail(f"{prefix}{e}")
        return
    write_stderr_lines(rendered.logs)
    print_release(p, rel, fmt)


def install_options(p: Parsed, server_side: bool) -> Any:
    """:func:`deploy_options` of an install: Helm's install prunes no history
    (``HELM_MAX_HISTORY`` bounds upgrades only), so ``install --replace`` keeps every record."""
    opts = deploy_options(p, server_side)
    opts.max_history = None
    return opts


def capabilities_once(client: Any, kube_version: Any, log: Any) -> Any:
    """The render's ``.Capabilities`` (``kube_version``: what :func:`begin_install` read),
    whose discovery documents also fill the client's resource table: one ``/api`` and one
    ``/apis`` per install where Helm asks twice (raises ActionError)."""
    from kelm.action.lookup import cluster_capabilities

    real = client._fetch_discovery  # noqa: SLF001 - the documents themselves
    seen: dict[tuple[str, str], Any] = {}

    class Recorder:
        def _fetch_discovery(self, path: str, accept: str) -> Any:
            seen[(path, accept)] = got = real(path, accept)
            return got

    caps = cluster_capabilities(Recorder(), log, kube_version)
    table = getattr(client, "_discovery", None)
    if table is not None and hasattr(table, "_fetch"):
        def replay(path: str, accept: str) -> Any:
            hit = seen.pop((path, accept), None)
            return hit if hit is not None else real(path, accept)

        table._fetch = replay  # noqa: SLF001
    return caps


def begin_install(p: Parsed, client: Any, plan: Any, server_side: bool, prefix: str) -> Any:
    """Helm's install before the render (reachability, the name, ``crds/`` created and
    established), then the render bound to the cluster: ``/version`` is read once, and the
    capabilities only after the CRDs exist."""
    from kelm.action.deploy import DeployError
    from kelm.action.deploy import begin_install as begin
    from kelm.action.lookup import bind_cluster

    ro = plan.options
    try:
        start = begin(client, plan.chart, ro.release_name, ro.namespace,
                      install_options(p, server_side), plan.values)
    except DeployError as e:
        write_stderr_lines(e.logs)
        fail(f"{prefix}{e}")
    bind_cluster(ro, client)  # lookup answered by the cluster; capabilities from the start
    known: list[Any] = []

    def capabilities() -> Any:
        if not known:
            known.append(capabilities_once(client, start.kube_version, sys.stderr.write))
        return known[0]

    ro.capabilities = capabilities
    return start


def seconds(v: Any) -> float:
    """``--timeout`` in seconds (the flag keeps Go's duration text, ``5m0s``)."""
    from kelm.cli.flags import parse_duration

    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        parsed = parse_duration(v)
        return float(parsed) if parsed is not None else 300.0
    total = getattr(v, "total_seconds", None)
    return float(total()) if callable(total) else 300.0


_seconds = seconds


def dry_run_checked(p: Parsed, refuse_always: bool = True) -> str:
    """``--dry-run``'s strategy (its deprecation warning printed), after the checks cobra
    and kelm make first: exclusive flags, flags kelm cannot honour yet."""
    from kelm.action.install import InstallError, dry_run_strategy

    try:
        strategy, warning = dry_run_strategy(p.get("dry-run"), False)
    except InstallError as e:
        raise CommandError(str(e)) from None
    if warning:
        sys.stderr.write(warning + "\n")
    check_exclusive(p)
    if refuse_always or strategy == "none":
        refuse_given(p, not_yet(p))
    return strategy


def _install(cmd: Command, p: Parsed) -> None:
    strategy = dry_run_checked(p, refuse_always=False)
    if strategy == "none":
        if p.get("hide-secret"):
            fail("hiding Kubernetes secrets requires a dry-run mode")
    run_install_flow(p, install_request(p, "", dry_run=strategy != "none"), strategy,
                     bool(p.get("server-side")), "INSTALLATION FAILED: ")


def run_install_flow(p: Parsed, request: Any, strategy: str, server_side: bool,
                     prefix: str) -> None:
    """Plan, render, then install (or preview with a dry-run) and print; shared with
    ``upgrade --install``, whose errors have no ``prefix``."""
    from kelm.action.install import InstallError, plan_install, release_object, release_report

    request.kustomizations = True  # a kustomization directory is a release too
    try:
        plan = plan_install(request)
    except InstallError as e:
        fail(f"{prefix}{e}")
        return
    write_stderr_lines(plan.logs)
    plan.options.server_side_apply = server_side
    if strategy == "none":
        from kelm.action.deploy import signals_cancel

        # a signal from here on is Helm's cancelled context: noticed at once, acted on when
        # the install starts its hooks and objects (the CRDs and the render run to the end)
        with signals_cancel(cancelled_notice(plan.options.release_name)):
            client = connect(p, prefix, REACHABILITY_CHECK)
            start = begin_install(p, client, plan, server_side, prefix)
            rel = _render(plan, prefix)
            deploy_install(p, rel, p.get("output"), prefix, server_side, client, start)
        return
    client = None
    if strategy == "server":  # the render asks the cluster (capabilities, lookup)
        from kelm.action.lookup import bind_cluster

        client = connect(p, prefix, REACHABILITY_CHECK)
        bind_cluster(plan.options, client, chart=plan.chart, skip_crds=bool(p.get("skip-crds")),
                     dry_run=True)
    rel = _render(plan, prefix)
    fmt = p.get("output")
    write_stderr_lines(rel.logs)
    if strategy == "server":
        from kelm.action.deploy import DeployError
        from kelm.action.lookup import check_server_dry_run

        try:
            check_server_dry_run(client, rel, bool(p.get("take-ownership")))
        except DeployError as e:
            fail(f"{prefix}{e}")
    if fmt != "table":
        sys.stdout.write(release_object(rel, fmt))
        sys.stdout.flush()
        return
    from kelm.cli.root import use_color

    sys.stdout.write(release_report(rel, bool(p.get("debug")), bool(p.get("hide-notes")),
                                    color=use_color(p)))
    sys.stdout.flush()


def _render(plan: Any, prefix: str) -> Any:
    """The plan rendered (a chart or a kustomization); Helm's error when it fails."""
    from kelm.action.install import render_plan
    from kelm.render.action import ActionError

    try:
        return render_plan(plan.chart, plan.values, plan.options)
    except ActionError as e:
        if e.release is not None:
            write_stderr_lines(e.release.logs)
        fail(f"{prefix}{e}")
        raise


LONG = """
Install a chart: a chart reference (REPO/NAME, or NAME with --repo), a packaged
chart, an unpacked chart directory or a URL.

Values come from the chart, then from '--values'/'-f' files (the last one wins),
then from '--set', '--set-string', '--set-file', '--set-json' and '--set-literal'
(the right-most wins):

    $ kelm install -f myvalues.yaml --set image.tag=1.2 myredis ./redis --dry-run

Without '--dry-run' the release is installed into the cluster of the kubeconfig
(CRDs first, hooks, server-side apply as field manager 'helm', '--wait' for the
objects to be ready, the release stored as helm stores it). A failed install is
recorded 'failed', or uninstalled with '--rollback-on-failure'; '--replace' reuses
the name of an uninstalled or failed release; Ctrl-C marks the release failed.
'--dry-run' (or '--dry-run=client') previews it, printing what 'helm install
--dry-run' prints; add '--debug' for the values, '--hide-secret' to hide Secrets,
'-o json' or '-o yaml' for the release record.
"""

COMMAND = Command(
    "install [NAME] [CHART]", short="install a chart",
    long=LONG, flags=install_only_flags(), args=("min", 1), run=_install,
)


def run_install(argv: list[str]) -> None:
    """``kelm install ARGS...`` in-process (used by tests)."""
    from kelm.cli import run_subcommand

    run_subcommand("install", argv)


def release_report(*args: object, **kw: object) -> str:
    """Moved to :func:`kelm.action.install.release_report`."""
    from kelm.action.install import release_report as report

    return report(*args, **kw)  # type: ignore[arg-type]


__all__ = ["COMMAND", "ReportView", "check_exclusive", "connect", "deploy_install",
           "deploy_options", "install_only_flags", "kube_settings", "not_yet", "print_release",
           "run_install", "run_install_flow", "seconds"]
