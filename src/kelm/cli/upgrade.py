"""``kelm upgrade [--install] NAME CHART``: ``helm upgrade`` v4.1.4's flags, output and errors
(:mod:`kelm.action.upgrade` does the work)."""

from __future__ import annotations

import sys
from typing import Any

from kelm.cli.command import Command, fail
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import output_flag
from kelm.cli.install import OPENAPI_VALIDATION

# install flags upgrade does not have
_NOT_UPGRADE = ("generate-name", "name-template", "replace", "preset")



def history_max_default() -> str:
    from kelm.release.env import max_history_from_env

    return str(max_history_from_env())


def dry_run_flag() -> Flag:
    return Flag("dry-run", "opt", default="none", no_opt="unset",
                help='simulates the operation without persisting changes. Must be one of: '
                     '"none" (default), "client", or "server". \'--dry-run=none\' executes the '
                     "operation normally and persists changes (no simulation). "
                     "'--dry-run=client' simulates the operation client-side only and avoids "
                     "cluster connections. '--dry-run=server' simulates the operation on the "
                     "server, requiring cluster connectivity.")


def server_side_flag() -> Flag:
    return Flag("server-side", "string", default="auto",
                help='must be "true", "false" or "auto". Object updates run in the server '
                     'instead of the client ("auto" defaults the value from the previous chart '
                     "release's method)")


def history_max_flag() -> Flag:
    return Flag("history-max", "int", default=None, default_text=history_max_default,
                help="limit the maximum number of revisions saved per release. Use 0 for no "
                     "limit")


_UPGRADE_HELP = {
    "create-namespace": "if --install is set, create the release namespace if not present",
    "no-hooks": "disable pre/post upgrade hooks",
    "disable-openapi-validation": OPENAPI_VALIDATION,
    "skip-crds": "if set, no CRDs will be installed when an upgrade is performed with install "
                 "flag enabled. By default, CRDs are installed if not already present, when an "
                 "upgrade is performed with install flag enabled",
    "rollback-on-failure": "if set, Helm will rollback the upgrade to previous success release "
                           'upon failure. The --wait flag will be defaulted to "watcher" if '
                           "--rollback-on-failure is set",
    "hide-notes": "if set, do not show notes in upgrade output. Does not affect presence in "
                  "chart metadata",
    "labels": "Labels that would be added to release metadata. Should be separated by comma. "
              "Original release labels will be merged with upgrade labels. You can unset label "
              "using null.",
    "take-ownership": "if set, upgrade will ignore the check for helm annotations and take "
                      "ownership of the existing resources",
}


def upgrade_flags() -> list[Flag]:
    """Helm's upgrade flags: the install ones that apply (some with upgrade's wording),
    then upgrade's own."""
    from kelm.cli.template import install_flags

    out = []
    for f in install_flags():
        if f.name in _NOT_UPGRADE:
            continue
        if f.name == "server-side":
            out.append(server_side_flag())
            continue
        if f.name in _UPGRADE_HELP:
            f.help = _UPGRADE_HELP[f.name]
        out.append(f)
    return [
        *out,
        Flag("install", "bool", "i", False,
             help="if a release by this name doesn't already exist, run an install"),
        Flag("hide-secret", "bool", default=False,
             help="hide Kubernetes Secrets when also using the --dry-run flag"),
        Flag("reset-values", "bool", default=False,
             help="when upgrading, reset the values to the ones built into the chart"),
        Flag("reuse-values", "bool", default=False,
             help="when upgrading, reuse the last release's values and merge in any overrides "
                  "from the command line via --set and -f. If '--reset-values' is specified, "
                  "this is ignored"),
        Flag("reset-then-reuse-values", "bool", default=False,
             help="when upgrading, reset the values to the ones built into the chart, apply "
                  "the last release's values and merge in any overrides from the command line "
                  "via --set and -f. If '--reset-values' or '--reuse-values' is specified, "
                  "this is ignored"),
        history_max_flag(),
        Flag("cleanup-on-fail", "bool", default=False,
             help="allow deletion of new resources created in this upgrade when upgrade fails"),
        dry_run_flag(),
        output_flag(),
    ]


def history_max(p: Parsed) -> int:
    from kelm.release.env import max_history_from_env

    v = p.get("history-max")
    return int(v) if v is not None else max_history_from_env()


def _install_instead(p: Parsed, client: Any, name: str, namespace: str, strategy: str) -> bool:
    """``--install``: True when there is no release (or only an uninstalled one), which is
    then installed here, as Helm's upgrade command does."""
    from kelm.action.cluster import release_storage
    from kelm.cli.install import run_install_flow
    from kelm.cli.template import install_request
    from kelm.kube import KubeError
    from kelm.release.errors import ReleaseNotFound, StorageError
    from kelm.release.model import Status

    try:
        with client:
            client.check_reachable()
            versions = release_storage(client, namespace).history(name)
    except ReleaseNotFound:
        versions = []
    except (KubeError, StorageError) as e:
        fail(str(e))
    uninstalled = bool(versions) and max(versions, key=lambda r: r.version).status == \
        Status.UNINSTALLED
    if versions and not uninstalled:
        return False
    if p.get("output") == "table":
        sys.stdout.write(f'Release "{name}" does not exist. Installing it now.\n')
        sys.stdout.flush()
    p.values["replace"] = uninstalled
    request = install_request(p, "", dry_run=strategy != "none")
    run_install_flow(p, request, strategy, p.get("server-side") != "false", "")
    return True


def _upgrade(cmd: Command, p: Parsed) -> None:
    from kelm.action.deploy import DeployError, signals_cancel
    from kelm.action.install import InstallError, default_namespace
    from kelm.action.upgrade import UpgradeOptions, upgrade_release
    from kelm.cli.install import connect, deploy_options, dry_run_checked, print_release
    from kelm.cli.template import install_request, write_stderr_lines

    strategy = dry_run_checked(p)
    name = p.args[0]
    namespace = p.get("namespace") or default_namespace()
    client = connect(p, "" if p.get("install") else "UPGRADE FAILED: ")
    if p.get("install") and _install_instead(p, client, name, namespace, strategy):
        return
    request = install_request(p, "", dry_run=strategy != "none")
    request.is_upgrade = request.upgrade = True
    request.kustomizations = True  # a kustomization directory is a release too
    from kelm.action.install import plan_install

    try:
        plan = plan_install(request)
    except InstallError as e:
        fail(str(e))
        return
    write_stderr_lines(plan.logs)
    from kelm.action.lookup import bind_cluster

    bind_cluster(plan.options, client, lookup=strategy != "client")  # as Helm's upgrade
    opts = UpgradeOptions(
        reuse_values=bool(p.get("reuse-values")), reset_values=bool(p.get("reset-values")),
        reset_then_reuse_values=bool(p.get("reset-then-reuse-values")),
        server_side=p.get("server-side") or "auto", labels=dict(p.get("labels") or {}),
        dry_run=strategy != "none", hide_secret=bool(p.get("hide-secret")))
    deploy = deploy_options(p)
    deploy.max_history = history_max(p)
    from kelm.cli.install import cancelled_notice

    try:
        with client, signals_cancel(cancelled_notice(name)):
            rel = upgrade_release(client, name, plan, opts, deploy)
    except DeployError as e:
        write_stderr_lines(e.logs)
        fail(f"UPGRADE FAILED: {e}")
        return
    fmt = p.get("output")
    if fmt == "table":
        sys.stdout.write(f'Release "{name}" has been upgraded. Happy Helming!\n')
    print_release(p, rel, fmt)


LONG = """
This command upgrades a release to a new version of a chart.

The upgrade arguments must be a release and chart. The chart argument can be a
chart reference ('example/mariadb'), a path to a chart directory, a packaged
chart, or a URL.

Values come from the chart, then from '--values'/'-f' files (the last one wins),
then from '--set', '--set-string', '--set-file', '--set-json' and '--set-literal'
(the right-most wins). Without any, the values of the release are kept;
'--reuse-values' merges the new ones over the release's, '--reset-values' starts
from the chart's, '--reset-then-reuse-values' takes the new chart's defaults, then
the release's values, then the new ones:

    $ kelm upgrade --reuse-values --set foo=bar redis ./redis

Objects gone from the chart are deleted (unless annotated
'helm.sh/resource-policy: keep'); a failed upgrade is recorded 'failed', and
rolled back with '--rollback-on-failure'. '--install' installs a release that does
not exist yet. The --dry-run flag prints the manifests, Secrets included
('--hide-secret' hides them).
"""

COMMAND = Command(
    "upgrade [RELEASE] [CHART]", short="upgrade a release", long=LONG, flags=upgrade_flags(),
    args=("exact", 2), run=_upgrade,
)

__all__ = ["COMMAND", "dry_run_flag", "history_max", "history_max_flag", "server_side_flag",
           "upgrade_flags"]
