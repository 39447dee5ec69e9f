"""``kelm kustomize``: build a kustomization like ``kubectl kustomize``."""

from __future__ import annotations

import sys

import click

_RESTRICTORS = ("LoadRestrictionsRootOnly", "LoadRestrictionsNone")


def _run(path: str, load_restrictor: str, enable_helm: bool, enable_alpha_plugins: bool,
         helm_command: str, output: str | None) -> None:
    from kelm.kustomize import KustomizeError, Options, build_yaml

    warnings: list[str] = []
    opts = Options(load_restrictor, enable_helm, enable_alpha_plugins, helm_command)
    try:
        text = build_yaml(path, opts, warnings)
    except KustomizeError as e:
        for w in warnings:
            click.echo(w, err=True)
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    except RecursionError:
        click.echo("error: kustomization nesting too deep", err=True)
        sys.exit(1)
    for w in warnings:
        click.echo(w, err=True)
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def _options(f):  # type: ignore[no-untyped-def]
    f = click.option("-o", "--output", default=None, help="Write the output to this file.")(f)
    f = click.option("--helm-command", default="helm", hidden=True)(f)
    f = click.option("--enable-alpha-plugins", is_flag=True,
                     help="Enable kustomize plugins (only builtin ones are supported).")(f)
    f = click.option("--enable-helm", is_flag=True, help="Enable the helmCharts field.")(f)
    f = click.option("--load-restrictor", "--load_restrictor", default=_RESTRICTORS[0],
                     type=click.Choice(_RESTRICTORS),
                     help="If set to 'LoadRestrictionsNone', local kustomizations may load "
                          "files from outside their root.")(f)
    return f


class _KustomizeGroup(click.Group):
    """``kelm kustomize DIR`` behaves like ``kelm kustomize build DIR``."""

    def resolve_command(self, ctx: click.Context, args: list[str]):  # type: ignore[no-untyped-def]
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args.insert(0, "build")
        elif not args or (args[0].startswith("-") and args[0] not in ("-h", "--help")):
            args.insert(0, "build")
        return super().resolve_command(ctx, args)


@click.group("kustomize", cls=_KustomizeGroup, invoke_without_command=False)
def kustomize() -> None:
    """Build a kustomization target from a directory (like kubectl kustomize)."""


@kustomize.command("build")
@click.argument("directory", default=".", required=False)
@_options
def build_cmd(directory: str, load_restrictor: str, enable_helm: bool,
              enable_alpha_plugins: bool, helm_command: str, output: str | None) -> None:
    """Print the resources of the kustomization in DIRECTORY."""
    _run(directory, load_restrictor, enable_helm, enable_alpha_plugins, helm_command, output)
