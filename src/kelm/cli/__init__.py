"""The ``kelm`` command: thin flag parsing that calls the library packages.

Subcommands live in their own modules and are attached lazily so that
``kelm --version`` imports nothing heavy.
"""

from __future__ import annotations

import sys

# (kelm/__init__.py keeps bytecode caching on, even under PYTHONDONTWRITEBYTECODE.)
from kelm import HELM_VERSION, KUSTOMIZE_VERSION, __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~5 ms of --version)
if TYPE_CHECKING:
    from typing import Any

# subcommand name -> "module:attribute"; modules are imported only when used.
_SUBCOMMANDS: dict[str, str] = {}


def register(name: str, target: str) -> None:
    """Declare a lazily imported subcommand (``target`` is ``module:attr``)."""
    _SUBCOMMANDS[name] = target


# Each subcommand lives in kelm.cli.<module>; the owners of those modules define the click
# command object named here.
for _name, _target in {
    "template": "kelm.cli.template:template",
    "install": "kelm.cli.install:install",
    "show": "kelm.cli.show:show",
    "lint": "kelm.cli.lint:lint",
    "package": "kelm.cli.package:package",
    "create": "kelm.cli.create:create",
    "dependency": "kelm.cli.dependency:dependency",
    "kustomize": "kelm.cli.kustomize:kustomize",
    "preset": "kelm.cli.preset:preset",
}.items():
    register(_name, _target)


def _version_text() -> str:
    return f"kelm {__version__} (compatible with Helm {HELM_VERSION}, Kustomize {KUSTOMIZE_VERSION})"


# Subcommands that parse their own (pflag-style) arguments: ``kelm template ...`` runs them
# directly, without importing click (a third of a small chart's run time otherwise).
_FAST: dict[str, str] = {
    "template": "kelm.cli.template:run_template",
    "install": "kelm.cli.install:run_install",
}


def _build_cli() -> Any:
    """The click group for every other subcommand (built on first use: click is slow to import)."""
    if "cli" in globals():
        return globals()["cli"]
    import importlib

    import click

    class LazyGroup(click.Group):
        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted(set(super().list_commands(ctx)) | set(_SUBCOMMANDS))

        def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
            cmd = super().get_command(ctx, name)
            if cmd is not None or name not in _SUBCOMMANDS:
                return cmd
            module, _, attr = _SUBCOMMANDS[name].partition(":")
            try:
                mod = importlib.import_module(module)
            except ModuleNotFoundError as e:
                if e.name != module:
                    raise
                return None
            return getattr(mod, attr, None)

    @click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "--version", message=_version_text())
    def cli() -> None:
        """kelm: Helm charts, Kustomize and PodPresets in pure Python."""

    @cli.command("version")
    def version_cmd() -> None:
        """Print the kelm version."""
        click.echo(_version_text())

    globals()["cli"] = cli
    globals()["LazyGroup"] = LazyGroup
    return cli


def __getattr__(name: str) -> Any:
    if name in ("cli", "LazyGroup"):
        _build_cli()
        return globals()[name]
    raise AttributeError(name)


def _run_fast(name: str, args: list[str], in_process: bool) -> None:
    import gc
    import importlib

    # One render per process: the cyclic collector only re-walks the (long-lived) modules,
    # templates and values it builds -- 5-10% of a run, 15% on large charts -- and finds
    # little to free (peak memory is the same with it off, even on the largest charts).
    # It stays off up to the exit (a collection at interpreter shutdown costs milliseconds
    # too), unless main() was called in-process with explicit arguments.
    was_enabled = gc.isenabled() and in_process
    gc.disable()
    try:
        from kelm._pyyaml import import_pyyaml

        import_pyyaml()
        module, _, attr = _FAST[name].partition(":")
        runner = getattr(importlib.import_module(module), attr)
        from kelm.cli.template import guarded

        code = 0
        try:
            guarded(runner, args)
        except BrokenPipeError:
            code = 1
        except SystemExit as e:
            if in_process:
                raise
            if e.code is None or isinstance(e.code, int):
                code = e.code or 0
            else:  # sys.exit("message"), as Python itself reports it
                sys.stderr.write(f"{e.code}\n")
                code = 1
        if in_process:
            sys.exit(code)
        _exit_now(code)
    finally:
        if was_enabled:
            gc.enable()


def _exit_now(code: int) -> None:
    """End a one-shot command: exit handlers (cache writes) and output flushed, then leave
    without tearing down every module and object (milliseconds for nothing)."""
    import atexit
    import os

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = code or 1
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        if args and args[0] in _FAST:
            _run_fast(args[0], args[1:], in_process=argv is not None)
        if args in (["--version"], ["version"]):
            sys.stdout.write(_version_text() + "\n")
            sys.exit(0)
        _build_cli().main(args=args, prog_name="kelm", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
