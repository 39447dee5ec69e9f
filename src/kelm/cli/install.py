"""``kelm install NAME CHART``: into the cluster (:mod:`kelm.action.deploy`), or previewed.

With ``--dry-run[=client]`` it prints the report ``helm install --dry-run`` prints (NAME, LAST
DEPLOYED, NAMESPACE, STATUS, REVISION, DESCRIPTION, TEST SUITE, with ``--debug`` USER-SUPPLIED
and COMPUTED VALUES, HOOKS, MANIFEST, NOTES).  ``--dry-run=server`` and the waiting/forcing
flags are refused with a plain message.  ``-o json|yaml`` prints the release record
(:mod:`kelm.release.model`).
"""

from __future__ import annotations

import sys
from typing import Any

from kelm.cli.command import Command, CommandError, fail, refuse_given
from kelm.cli.flags import Flag, Parsed
from kelm.cli.template import install_flags, install_request, needs_cluster, write_stderr_lines

OUTPUT_FORMATS = ("table", "json", "yaml")


def _output_check(v: str) -> str:
    return "" if v in OUTPUT_FORMATS else "invalid format type"


def install_only_flags() -> list[Flag]:
    return [
        *install_flags(),
        Flag("hide-secret", "bool", default=False,
             help="hide Kubernetes Secrets when also using the --dry-run flag"),
        Flag("dry-run", "opt", default="none", no_opt="unset",
             help="simulate an install. If --dry-run is set with no option being specified or "
                  "as '--dry-run=client', it will not attempt cluster connections. Setting "
                  "'--dry-run=server' allows attempting cluster connections."),
        Flag("output", "string", "o", "table", type_name="format", default_text="table",
             check=_output_check,
             help="prints the output in the specified format. Allowed values: table, json, yaml"),
    ]


NOT_YET = ("wait", "wait-for-jobs", "atomic", "rollback-on-failure", "force-replace", "force",
           "force-conflicts", "replace", "take-ownership", "server-side",
           "disable-openapi-validation")


def kube_settings(p: Parsed) -> Any:
    """The global Kubernetes flags as :class:`kelm.action.cluster.KubeSettings`."""
    from kelm.action.cluster import KubeSettings

    return KubeSettings(
        kubeconfig=p.get("kubeconfig"), context=p.get("kube-context"),
        namespace=p.get("namespace"), api_server=p.get("kube-apiserver"),
        token=p.get("kube-token"), as_user=p.get("kube-as-user"),
        as_groups=list(p.get("kube-as-group") or ()), ca_file=p.get("kube-ca-file"),
        insecure=p.get("kube-insecure-skip-tls-verify"),
        tls_server_name=p.get("kube-tls-server-name"),
        qps=p.get("qps") or None, burst=p.get("burst-limit"))


def _deploy(p: Parsed, rendered: Any, fmt: str) -> None:
    from kelm.action.cluster import make_client
    from kelm.action.deploy import DeployError, DeployOptions, install_release
    from kelm.kube import ConfigError

    try:
        client = make_client(kube_settings(p))
    except ConfigError as e:
        fail(f"INSTALLATION FAILED: {e}")
        return
    opts = DeployOptions(create_namespace=bool(p.get("create-namespace")),
                         no_hooks=bool(p.get("no-hooks")), skip_crds=bool(p.get("skip-crds")),
                         timeout=_seconds(p.get("timeout")),
                         description=p.get("description") or "")
    try:
        with client:
            rel = install_release(client, rendered, opts)
    except DeployError as e:
        # Helm renders only once the cluster answered: no render lines for an unreachable one
        if not str(e).startswith("cluster reachability check failed"):
            write_stderr_lines(rendered.logs)
        write_stderr_lines(e.logs)
        fail(f"INSTALLATION FAILED: {e}")
        return
    write_stderr_lines(rendered.logs)
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

    rendered.status, rendered.description = rel.status, rel.info.description
    sys.stdout.write(release_report(rendered, bool(p.get("debug")), bool(p.get("hide-notes")),
                                    color=use_color(p)))
    sys.stdout.flush()


def _seconds(v: Any) -> float:
    if isinstance(v, (int, float)):
        return float(v)
    total = getattr(v, "total_seconds", None)
    return float(total()) if callable(total) else 300.0


def _install(cmd: Command, p: Parsed) -> None:
    from kelm.action.install import (
        InstallError,
        dry_run_strategy,
        plan_install,
        release_object,
        release_report,
    )
    from kelm.render.action import ActionError, render_chart

    debug = bool(p.get("debug"))
    try:
        strategy, warning = dry_run_strategy(p.get("dry-run"), False)
    except InstallError as e:
        raise CommandError(str(e)) from None
    if warning:
        sys.stderr.write(warning + "\n")
    if strategy == "none":
        refuse_given(p, NOT_YET, "kelm installs without waiting, forcing or replacing")
        if p.get("hide-secret"):
            fail("hiding Kubernetes secrets requires a dry-run mode")
    if strategy == "server":
        fail(needs_cluster("install", "--dry-run=server"))
    request = install_request(p, "", dry_run=strategy != "none")
    try:
        plan = plan_install(request)
    except InstallError as e:
        fail(f"INSTALLATION FAILED: {e}")
        return
    write_stderr_lines(plan.logs)
    try:
        rel = render_chart(plan.chart, plan.values, plan.options)
    except ActionError as e:
        if e.release is not None:
            write_stderr_lines(e.release.logs)
        fail(f"INSTALLATION FAILED: {e}")
        return
    fmt = p.get("output")
    if strategy == "none":
        _deploy(p, rel, fmt)  # prints the render's log lines once the cluster answered
        return
    write_stderr_lines(rel.logs)
    if fmt != "table":
        sys.stdout.write(release_object(rel, fmt))
        sys.stdout.flush()
        return
    from kelm.cli.root import use_color

    sys.stdout.write(release_report(rel, debug, bool(p.get("hide-notes")), color=use_color(p)))
    sys.stdout.flush()


LONG = """
Install a chart: a chart reference (REPO/NAME, or NAME with --repo), a packaged
chart, an unpacked chart directory or a URL.

Values come from the chart, then from '--values'/'-f' files (the last one wins),
then from '--set', '--set-string', '--set-file', '--set-json' and '--set-literal'
(the right-most wins):

    $ kelm install -f myvalues.yaml --set image.tag=1.2 myredis ./redis --dry-run

Without '--dry-run' the release is installed into the cluster of the kubeconfig
(CRDs first, hooks, server-side apply as field manager 'helm', the release stored
as helm stores it). '--dry-run' (or '--dry-run=client') previews it, printing what
'helm install --dry-run' prints; add '--debug' for the values, '--hide-secret' to
hide Secrets, '-o json' or '-o yaml' for the release record. Waiting ('--wait'),
'--rollback-on-failure' and the force/replace flags are refused for now.
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


__all__ = ["COMMAND", "install_only_flags", "run_install"]
