"""``kelm dependency list|build|update`` (aliases ``dep``/``dependencies``, ``ls``, ``up``):
``helm dependency``."""

from __future__ import annotations

import os
import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import keyring_default, keyring_value, repo_client_flags


def _chart_path(p: Parsed) -> str:
    return os.path.normpath(p.args[0]) if p.args else "."


def _max_width_check(v: str) -> str:
    return "" if v.isdigit() else f'strconv.ParseUint: parsing "{v}": invalid syntax'


def _list(cmd: Command, p: Parsed) -> None:
    from kelm.action.dependency import DependencyError, list_dependencies

    try:
        sys.stdout.write(list_dependencies(_chart_path(p), int(p.get("max-col-width"))))
    except DependencyError as e:
        raise CommandError(str(e)) from None


def _registry(p: Parsed) -> object:
    """Helm's ``newRegistryClient`` from the flags: the registry/TLS/credential flags reach
    ``oci://`` dependencies only (HTTP repositories use their repositories.yaml entries, as
    in Helm); unreadable TLS files fail before anything else."""
    from kelm.action.chartref import (
        ChartPathOptions,
        ChartRefError,
        check_tls_files,
        registry_options,
    )

    g = p.get
    opts = ChartPathOptions(
        username=g("username") or "", password=g("password") or "",
        cert_file=g("cert-file") or "", key_file=g("key-file") or "", ca_file=g("ca-file") or "",
        insecure_skip_tls_verify=bool(g("insecure-skip-tls-verify")),
        plain_http=bool(g("plain-http")), registry_config=g("registry-config") or "",
    )
    try:
        check_tls_files(opts)
    except ChartRefError as e:
        raise CommandError(str(e)) from None
    return registry_options(opts)


def _manager(cmd: Command, p: Parsed) -> None:
    from kelm.action.dependency import DependencyError, Manager
    from kelm.action.verify import ALWAYS, IF_POSSIBLE

    verify = ""
    if p.get("verify"):  # Helm: update insists on provenance, build only checks what it finds
        verify = IF_POSSIBLE if cmd.name == "build" else ALWAYS
    man = Manager(
        _chart_path(p), out=sys.stdout, debug=bool(p.get("debug")),
        skip_update=bool(p.get("skip-refresh")),
        repository_config=p.get("repository-config") or "",
        repository_cache=p.get("repository-cache") or "",
        content_cache=p.get("content-cache") or "",
        registry=_registry(p), verify=verify, keyring=keyring_value(p),
    )
    try:
        man.build() if cmd.name == "build" else man.update()
    except DependencyError as e:
        raise CommandError(str(e)) from None


def _repo_flags() -> list[Flag]:
    return [
        Flag("verify", "bool", default=False, help="verify the packages against signatures"),
        Flag("keyring", "string", default="",
             default_text=keyring_default,
             help="keyring containing public keys"),
        Flag("skip-refresh", "bool", default=False,
             help="do not refresh the local repository cache"),
        *repo_client_flags(),
    ]


LONG = """
Manage the dependencies of a chart.

A chart's dependencies are declared in its Chart.yaml and live, as charts or
chart archives, in its 'charts/' directory. These commands keep the two in
step:

    # Chart.yaml
    dependencies:
    - name: nginx
      version: "1.2.3"
      repository: "https://example.com/charts"
    - name: local
      version: ">=0.1.0"
      repository: "file://../local"

'name' must match the name in the dependency's own Chart.yaml; 'version' is a
semantic version or a range; 'repository' is a chart repository URL (its
index.yaml is read), the name of a repository of repositories.yaml written as
'alias:NAME' or '@NAME', or a 'file://' path to a chart directory.
"""

COMMAND = Command(
    "dependency update|build|list", short="manage a chart's dependencies",
    aliases=("dep", "dependencies"), long=LONG,
    subcommands=[
        Command(
            "build CHART", short="rebuild the charts/ directory based on the Chart.lock file",
            long="""
Build out the charts/ directory from the Chart.lock file.

Build is used to reconstruct a chart's dependencies to the state specified in
the lock file. This will not re-negotiate dependencies, as 'kelm dependency
update' does.

If no lock file is found, 'kelm dependency build' will mirror the behavior
of 'kelm dependency update'.
""",
            flags=_repo_flags(), args=("max", 1), run=_manager,
        ),
        Command(
            "list CHART", short="list the dependencies for the given chart", aliases=("ls",),
            long="""
List all of the dependencies declared in a chart, with their status: 'ok' when
charts/ has a matching chart, 'missing', 'wrong version', 'misnamed',
'unpacked' or 'corrupt' otherwise.

If no chart is given, the chart in the current directory is listed.
""",
            flags=[Flag("max-col-width", "uint", default=80, check=_max_width_check,
                        help="maximum column width for output table")],
            args=("max", 1), run=_list,
        ),
        Command(
            "update CHART", short="update charts/ based on the contents of Chart.yaml",
            aliases=("up",),
            long="""
Update the on-disk dependencies to mirror Chart.yaml.

The charts named in Chart.yaml are fetched at the newest version their range
allows, old versions are removed from charts/, and a Chart.lock file records
the exact versions so that 'kelm dependency build' can rebuild them later.

Charts in charts/ that Chart.yaml does not name are left alone.
""",
            flags=_repo_flags(), args=("max", 1), run=_manager,
        ),
    ],
)


def run_list(argv: list[str]) -> None:
    """``kelm dependency list ARGS...`` in-process (used by tests)."""
    from kelm.cli import run_subcommand

    run_subcommand("dependency", ["list", *argv])


def run_build(argv: list[str]) -> None:
    from kelm.cli import run_subcommand

    run_subcommand("dependency", ["build", *argv])


def run_update(argv: list[str]) -> None:
    from kelm.cli import run_subcommand

    run_subcommand("dependency", ["update", *argv])
