"""The ``kelm`` command: thin flag parsing that calls the library packages.

Subcommands live in their own modules and are attached lazily so that
``kelm --version`` imports nothing heavy.
"""

from __future__ import annotations

import sys

import click

from kelm import HELM_VERSION, KUSTOMIZE_VERSION, __version__

# subcommand name -> "module:attribute"; modules are imported only when used.
_SUBCOMMANDS: dict[str, str] = {}


def register(name: str, target: str) -> None:
    """Declare a lazily imported subcommand (``target`` is ``module:attr``)."""
    _SUBCOMMANDS[name] = target


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_SUBCOMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        cmd = super().get_command(ctx, name)
        if cmd is not None or name not in _SUBCOMMANDS:
            return cmd
        import importlib

        module, _, attr = _SUBCOMMANDS[name].partition(":")
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
            return None
        return getattr(mod, attr, None)


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


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message=_version_text())
def cli() -> None:
    """kelm: Helm charts, Kustomize and PodPresets in pure Python."""


@cli.command("version")
def version_cmd() -> None:
    """Print the kelm version."""
    click.echo(_version_text())


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="kelm", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
