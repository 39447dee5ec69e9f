"""``kelm kustomize [build] [DIR]``: build a kustomization like ``kubectl kustomize``."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, refuse_given
from kelm.cli.flags import Flag, Parsed
from kelm.cli.root import refuse_kube_flags

RESTRICTORS = ("LoadRestrictionsRootOnly", "LoadRestrictionsNone")
# KRM functions in containers or executables: kelm runs none
_FUNCTION_FLAGS = ("as-current-user", "env", "mount", "network", "network-name")


def _restrictor_check(v: str) -> str:
    return "" if v in RESTRICTORS else "must be one of " + ", ".join(RESTRICTORS)


def _build(cmd: Command, p: Parsed) -> None:
    from kelm.kustomize import KustomizeError, Options, build_yaml

    refuse_given(p, _FUNCTION_FLAGS, "kelm runs no KRM functions")
    refuse_given(p, ("helm-debug",), "the helmCharts generator renders in-process")
    path = p.args[0] if p.args else "."
    restrictor = p.get("load_restrictor") if "load_restrictor" in p.given else p.get(
        "load-restrictor")
    warnings: list[str] = []
    opts = Options(restrictor, bool(p.get("enable-helm")), bool(p.get("enable-alpha-plugins")),
                   p.get("helm-command"), list(p.get("helm-api-versions") or []),
                   p.get("helm-kube-version") or "")

    def flush_warnings() -> None:
        for w in warnings:
            sys.stderr.write(w + "\n")

    try:
        text = build_yaml(path, opts, warnings)
    except KustomizeError as e:
        flush_warnings()
        sys.stderr.write(f"error: {e}\n")
        raise SystemExit(1) from None
    except RecursionError:
        sys.stderr.write("error: kustomization nesting too deep\n")
        raise SystemExit(1) from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OSError) as e:
        # a malformed input we did not anticipate: still one line, never a traceback
        flush_warnings()
        sys.stderr.write(f"error: {type(e).__name__}: {e}\n")
        raise SystemExit(1) from None
    flush_warnings()
    output = p.get("output")
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text)
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def _flags() -> list[Flag]:
    return [
        Flag("output", "string", "o", "", help="If specified, write output to this path."),
        Flag("load-restrictor", "string", default=RESTRICTORS[0], check=_restrictor_check,
             help="if set to 'LoadRestrictionsNone', local kustomizations may load files from "
                  "outside their root. This does, however, break the relocatability of the "
                  "kustomization."),
        Flag("load_restrictor", "string", default=RESTRICTORS[0], check=_restrictor_check,
             hidden=True, help="alias of --load-restrictor"),
        Flag("enable-helm", "bool", default=False,
             help="Enable use of the Helm chart inflator generator."),
        Flag("enable-alpha-plugins", "bool", default=False,
             help="enable kustomize plugins (only the builtin ones are supported)"),
        Flag("helm-command", "string", default="helm", help="helm command (path to executable)"),
        Flag("helm-api-versions", "array",
             help="Kubernetes api versions used by Helm for Capabilities.APIVersions"),
        Flag("helm-kube-version", "string", default="",
             help="Kubernetes version used by Helm for Capabilities.KubeVersion"),
        Flag("helm-debug", "bool", default=False,
             help="Enable debug output from the Helm chart inflator generator (not supported "
                  "by kelm)"),
        Flag("as-current-user", "bool", default=False,
             help="use the uid and gid of the command executor to run the function in the "
                  "container (not supported: kelm runs no functions)"),
        Flag("env", "array", "e",
             help="a list of environment variables to be used by functions (not supported)"),
        Flag("mount", "array",
             help="a list of storage options read from the filesystem (not supported)"),
        Flag("network", "bool", default=False,
             help="enable network access for functions that declare it (not supported)"),
        Flag("network-name", "string", default="bridge",
             help="the docker network to run the container in (not supported)"),
    ]


_LONG = """
Build a set of KRM resources using a 'kustomization.yaml' file. The DIR
argument must be a path to a directory containing 'kustomization.yaml'. If DIR
is omitted, '.' is assumed. The output is what 'kubectl kustomize DIR' prints.
"""

COMMAND = Command(
    "kustomize [DIR]", short="build a kustomization target from a directory",
    long=_LONG, flags=_flags(), args=("max", 1), run=_build,
    pre_run=refuse_kube_flags("kustomize"),
    subcommands=[Command("build [DIR]", short="print the resources of the kustomization in DIR",
                         long=_LONG, flags=_flags(), args=("max", 1), run=_build)],
)
