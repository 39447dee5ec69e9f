"""`kelm dependency list|build|update` (aliases ``ls``, ``up``): ``helm dependency``."""

from __future__ import annotations

import os
import sys

import click

_REPO_FLAGS = [
    ("verify", "bool"), ("keyring", "string"), ("skip-refresh", "bool"), ("username", "string"),
    ("password", "string"), ("cert-file", "string"), ("key-file", "string"),
    ("insecure-skip-tls-verify", "bool"), ("plain-http", "bool"), ("ca-file", "string"),
]


def _chart_path(args: list[str], usage: str) -> str:
    from kelm.cli.template import fail

    if len(args) > 1:
        fail(f'"helm dependency {usage}" accepts at most 1 argument\n\n'
             f"Usage:  helm dependency {usage} CHART [flags]")
    return os.path.normpath(args[0]) if args else "."


def run_list(argv: list[str]) -> None:
    from kelm.action.dependency import DependencyError, list_dependencies
    from kelm.cli.template import GLOBAL_FLAGS, Flag, FlagError, fail, parse_flags

    try:
        p = parse_flags(argv, [Flag("max-col-width", "string", default="80")] + GLOBAL_FLAGS)
    except FlagError as e:
        fail(str(e))
        return
    path = _chart_path(p.args, "list")
    width_text = p.get("max-col-width") or "80"
    if not width_text.isdigit():
        fail(f'invalid argument "{width_text}" for "--max-col-width" flag: strconv.ParseUint: '
             f'parsing "{width_text}": invalid syntax')
    try:
        sys.stdout.write(list_dependencies(path, int(width_text)))
    except DependencyError as e:
        fail(str(e))


def _run_manager(argv: list[str], what: str) -> None:
    from kelm.action.dependency import DependencyError, Manager
    from kelm.cli.template import GLOBAL_FLAGS, Flag, FlagError, fail, parse_flags

    specs = [Flag(n, k, default=False if k == "bool" else "") for n, k in _REPO_FLAGS]
    try:
        p = parse_flags(argv, specs + GLOBAL_FLAGS)
    except FlagError as e:
        fail(str(e))
        return
    if p.get("verify"):
        fail("chart verification (--verify) is not supported by kelm")
    path = _chart_path(p.args, what)
    man = Manager(
        path, out=sys.stdout, debug=bool(p.get("debug")), skip_update=bool(p.get("skip-refresh")),
        repository_config=p.get("repository-config") or "",
        repository_cache=p.get("repository-cache") or "",
        content_cache=p.get("content-cache") or "",
    )
    try:
        man.build() if what == "build" else man.update()
    except DependencyError as e:
        fail(str(e))


_CTX = {"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}


@click.group("dependency", invoke_without_command=True)
@click.pass_context
def dependency(ctx: click.Context) -> None:
    """Manage a chart's dependencies."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


def _command(name: str, fn_name: str, doc: str, aliases: tuple[str, ...]) -> None:
    for cmd_name in (name, *aliases):
        @dependency.command(cmd_name, context_settings=_CTX, add_help_option=False,
                            help=doc, hidden=cmd_name != name)
        @click.argument("argv", nargs=-1, type=click.UNPROCESSED)
        def cmd(argv: tuple[str, ...], _fn: str = fn_name) -> None:
            from kelm.cli.template import guarded

            guarded(globals()[_fn], list(argv))


def run_build(argv: list[str]) -> None:
    _run_manager(argv, "build")


def run_update(argv: list[str]) -> None:
    _run_manager(argv, "update")


_command("list", "run_list", "List the dependencies for the given chart.", ("ls",))
_command("build", "run_build", "Rebuild the charts/ directory based on the Chart.lock file.", ())
_command("update", "run_update", "Update charts/ based on the contents of Chart.yaml.", ("up",))
