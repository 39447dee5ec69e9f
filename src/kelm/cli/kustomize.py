"""``kelm kustomize``: build a kustomization like ``kubectl kustomize``."""

from __future__ import annotations

import sys

import click

_RESTRICTORS = ("LoadRestrictionsRootOnly", "LoadRestrictionsNone")


def _run(path: str, load_restrictor: str, enable_helm: bool, enable_alpha_plugins: bool,
         helm_command: str, output: str | None, helm_api_versions: list[str] | None = None,
         helm_kube_version: str = "") -> None:
    from kelm.kustomize import KustomizeError, Options, build_yaml

    warnings: list[str] = []
    opts = Options(load_restrictor, enable_helm, enable_alpha_plugins, helm_command,
                   list(helm_api_versions or []), helm_kube_version)
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
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OSError) as e:
        # a malformed input we did not anticipate: still one line, never a traceback
        for w in warnings:
            click.echo(w, err=True)
        click.echo(f"error: {type(e).__name__}: {e}", err=True)
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
    # accepted for kubectl compatibility; functions/containers are not run by kelm
    f = click.option("--as-current-user", is_flag=True, hidden=True)(f)
    f = click.option("-e", "--env", multiple=True, hidden=True)(f)
    f = click.option("--mount", multiple=True, hidden=True)(f)
    f = click.option("--network", is_flag=True, hidden=True)(f)
    f = click.option("--network-name", default="bridge", hidden=True)(f)
    f = click.option("--helm-api-versions", multiple=True,
                     help="Kubernetes api versions used by Helm for Capabilities.APIVersions")(f)
    f = click.option("--helm-kube-version", default="",
                     help="Kubernetes version used by Helm for Capabilities.KubeVersion")(f)
    f = click.option("--helm-debug", is_flag=True, hidden=True)(f)
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
    """``kelm kustomize [flags] DIR`` behaves like ``kelm kustomize build [flags] DIR``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["build", *args]
        return super().parse_args(ctx, args)


@click.group("kustomize", cls=_KustomizeGroup, invoke_without_command=False)
def kustomize() -> None:
    """Build a kustomization target from a directory (like kubectl kustomize)."""


@kustomize.command("build")
@click.argument("directory", default=".", required=False)
@_options
def build_cmd(directory: str, load_restrictor: str, enable_helm: bool,
              enable_alpha_plugins: bool, helm_command: str, output: str | None,
              helm_api_versions: tuple[str, ...], helm_kube_version: str,
              **_ignored: object) -> None:
    """Print the resources of the kustomization in DIRECTORY."""
    _run(directory, load_restrictor, enable_helm, enable_alpha_plugins, helm_command, output,
         list(helm_api_versions), helm_kube_version)
