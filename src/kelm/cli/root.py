"""The root of the ``kelm`` command tree: Helm's global flags and the list of commands.

Subcommands are named by module and imported only when the command line reaches them (or
help lists them), so ``kelm template`` imports nothing of ``kelm show`` or ``kelm preset``.
"""

from __future__ import annotations

import sys

from kelm.cli.command import Command
from kelm.cli.flags import Flag, Parsed

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable


def _path_default(kind: str) -> str:
    from kelm.cli.envinfo import settings_value

    return f'"{settings_value(kind)}"'


def _color_check(p: Parsed) -> None:
    mode = p.get("color")
    if mode not in ("never", "auto", "always"):
        sys.stderr.write(
            f'level=WARN msg="command failed" error="invalid color mode \\"{mode}\\": '
            'must be one of: never, auto, always"\n'
        )
        raise SystemExit(1)


KUBE_FLAGS = ("kube-apiserver", "kube-as-group", "kube-as-user", "kube-ca-file", "kube-context",
              "kube-insecure-skip-tls-verify", "kube-tls-server-name", "kube-token",
              "kubeconfig", "burst-limit", "qps")


def refuse_kube_flags(command: str) -> Callable[[Parsed], None]:
    """A pre-run for kelm's own commands that never talk to a cluster (helm has no such
    command to copy): the Kubernetes connection flags are refused, naming the flag."""

    def check(p: Parsed) -> None:
        from kelm.cli.command import fail

        for name in KUBE_FLAGS:
            if name in p.given:
                fail(f"--{name} has no effect on kelm {command}, which does not connect to a "
                     "cluster")

    return check


def use_color(p: Parsed) -> bool:
    """``--color``/``--colour`` (HELM_COLOR; NO_COLOR turns it off): always, never, or auto
    (when stdout is a terminal)."""
    import os

    mode = p.get("color")
    if os.environ.get("NO_COLOR"):
        return False
    if mode == "always":
        return True
    return mode == "auto" and sys.stdout.isatty()


def global_flags() -> list[Flag]:
    """Helm's persistent flags, accepted by every command (defaults from HELM_* variables)."""
    import os

    env = os.environ.get
    return [
        Flag("burst-limit", "int", default=100, help="client-side default throttling limit"),
        Flag("color", "string", default=env("HELM_COLOR") or "auto",
             help="use colored output (never, auto, always)"),
        Flag("colour", "string", default=env("HELM_COLOR") or "auto", dest="color",
             help="use colored output (never, auto, always)"),
        Flag("content-cache", "string", default="",
             default_text=lambda: _path_default("content-cache"),
             help="path to the directory containing cached content (e.g. charts)"),
        Flag("debug", "bool", default=(env("HELM_DEBUG") or "").lower() in ("1", "true"),
             help="enable verbose output"),
        Flag("kube-apiserver", "string", default=env("HELM_KUBEAPISERVER") or "",
             help="the address and the port for the Kubernetes API server"),
        Flag("kube-as-group", "array",
             help="group to impersonate for the operation, this flag can be repeated to "
                  "specify multiple groups."),
        Flag("kube-as-user", "string", default="",
             help="username to impersonate for the operation"),
        Flag("kube-ca-file", "string", default="",
             help="the certificate authority file for the Kubernetes API server connection"),
        Flag("kube-context", "string", default=env("HELM_KUBECONTEXT") or "",
             help="name of the kubeconfig context to use"),
        Flag("kube-insecure-skip-tls-verify", "bool", default=False,
             help="if true, the Kubernetes API server's certificate will not be checked for "
                  "validity. This will make your HTTPS connections insecure"),
        Flag("kube-tls-server-name", "string", default="",
             help="server name to use for Kubernetes API server certificate validation. If "
                  "it is not provided, the hostname used to contact the server is used"),
        Flag("kube-token", "string", default="", help="bearer token used for authentication"),
        Flag("kubeconfig", "string", default="", help="path to the kubeconfig file"),
        Flag("namespace", "string", "n", "", help="namespace scope for this request"),
        Flag("qps", "float", default=0.0,
             help="queries per second used when communicating with the Kubernetes API, not "
                  "including bursting"),
        Flag("registry-config", "string", default="",
             default_text=lambda: _path_default("registry-config"),
             help="path to the registry config file"),
        Flag("repository-cache", "string", default="",
             default_text=lambda: _path_default("repository-cache"),
             help="path to the directory containing cached repository indexes"),
        Flag("repository-config", "string", default="",
             default_text=lambda: _path_default("repository-config"),
             help="path to the file containing repository names and URLs"),
    ]


ROOT_LONG = """
kelm renders and packages Kubernetes applications: Helm charts (Go templates and
Sprig), Kustomize overlays and PodPresets, in pure Python. Its commands, flags
and output are those of Helm v4.1.4 (and kubectl kustomize for 'kelm kustomize').

Common actions for kelm:

- kelm template:   render a chart locally, as 'helm template' does
- kelm install:    install a chart (or a kustomization) as a release
- kelm upgrade:    upgrade a release; kelm rollback: go back to a revision
- kelm uninstall:  uninstall a release
- kelm list:       list releases (helm's and kelm's alike)
- kelm search:     search the chart repositories added with 'kelm repo add'
- kelm lint:       examine a chart for possible issues
- kelm kustomize:  build a kustomization target

kelm shares Helm's configuration: HELM_CACHE_HOME, HELM_CONFIG_HOME,
HELM_DATA_HOME, HELM_NAMESPACE, HELM_DEBUG, HELM_REPOSITORY_CONFIG,
HELM_REPOSITORY_CACHE, HELM_CONTENT_CACHE and HELM_REGISTRY_CONFIG are read as
Helm reads them ('kelm env' prints the values in effect).
"""

SUBCOMMANDS = [
    "kelm.cli.completion", "kelm.cli.create", "kelm.cli.dependency", "kelm.cli.envinfo",
    "kelm.cli.helpcmd", "kelm.cli.install", "kelm.cli.kustomize", "kelm.cli.lint", "kelm.cli.listcmd",
    "kelm.cli.package", "kelm.cli.preset", "kelm.cli.show", "kelm.cli.template",
    "kelm.cli.version", "kelm.cli.complete",
    # the release lifecycle
    "kelm.cli.status", "kelm.cli.history", "kelm.cli.get", "kelm.cli.upgrade",
    "kelm.cli.rollback", "kelm.cli.uninstall", "kelm.cli.releasetest",
    # repositories, registries, provenance
    "kelm.cli.repo", "kelm.cli.search", "kelm.cli.pull", "kelm.cli.push", "kelm.cli.registry",
    "kelm.cli.verify",
]

# the first word of a command line -> the module of its command (aliases included): the
# common commands are found without importing the others
MODULE_OF = {
    "template": "kelm.cli.template", "install": "kelm.cli.install",
    "list": "kelm.cli.listcmd", "ls": "kelm.cli.listcmd", "show": "kelm.cli.show",
    "inspect": "kelm.cli.show", "lint": "kelm.cli.lint", "package": "kelm.cli.package",
    "create": "kelm.cli.create", "dependency": "kelm.cli.dependency",
    "dep": "kelm.cli.dependency", "dependencies": "kelm.cli.dependency",
    "kustomize": "kelm.cli.kustomize", "preset": "kelm.cli.preset",
    "version": "kelm.cli.version", "env": "kelm.cli.envinfo", "help": "kelm.cli.helpcmd",
    "completion": "kelm.cli.completion", "__complete": "kelm.cli.complete",
    "status": "kelm.cli.status", "history": "kelm.cli.history", "hist": "kelm.cli.history",
    "get": "kelm.cli.get", "upgrade": "kelm.cli.upgrade", "rollback": "kelm.cli.rollback",
    "uninstall": "kelm.cli.uninstall", "un": "kelm.cli.uninstall",
    "delete": "kelm.cli.uninstall", "del": "kelm.cli.uninstall", "test": "kelm.cli.releasetest",
    "repo": "kelm.cli.repo", "search": "kelm.cli.search", "pull": "kelm.cli.pull",
    "fetch": "kelm.cli.pull", "push": "kelm.cli.push", "registry": "kelm.cli.registry",
    "verify": "kelm.cli.verify",
}


# commands that look at the whole tree
_WHOLE_TREE = ("help", "completion", "__complete")


def root_command(first: str | None = None) -> Command:
    """The root; with ``first`` (the command's name) only that subcommand is attached."""
    mods = SUBCOMMANDS
    if first is not None and first in MODULE_OF and first not in _WHOLE_TREE:
        mods = [MODULE_OF[first]]
    return Command(
        ROOT_NAME_USE, short="the Kubernetes package manager, in pure Python", long=ROOT_LONG,
        persistent=global_flags(), subcommands=list(mods), pre_run=_color_check,
    )


ROOT_NAME_USE = "kelm"

__all__ = ["KUBE_FLAGS", "MODULE_OF", "SUBCOMMANDS", "global_flags", "refuse_kube_flags",
           "root_command", "use_color"]
