"""``kelm version [--short] [--template TEXT]``: kelm's build information.

Fields (also for ``--template``): ``.Version`` (kelm's version, ``v0.1.0``),
``.HelmVersion`` and ``.KustomizeVersion`` (the releases kelm is compatible with) and
``.PythonVersion`` (the interpreter running kelm).  ``--short`` prints ``.Version``.
"""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed


def build_info() -> dict[str, str]:
    import platform

    from kelm import HELM_VERSION, KUSTOMIZE_VERSION, __version__

    return {"Version": f"v{__version__}", "HelmVersion": HELM_VERSION,
            "KustomizeVersion": KUSTOMIZE_VERSION, "PythonVersion": platform.python_version()}


def _version(cmd: Command, p: Parsed) -> None:
    info = build_info()
    template = p.get("template") or ""
    if template:
        from kelm.funcs import sprig_funcs
        from kelm.gotemplate import TemplateSet
        from kelm.gotemplate.errors import TemplateError

        ts = TemplateSet(sprig_funcs(), "default", "version")
        try:
            ts.parse("version", template)
            sys.stdout.write(ts.execute("version", info))
        except TemplateError as e:
            raise CommandError(str(e)) from None
        return
    if p.get("short"):
        sys.stdout.write(info["Version"] + "\n")
        return
    fields = ", ".join(f'{k}:"{v}"' for k, v in info.items())
    sys.stdout.write(f"version.BuildInfo{{{fields}}}\n")


COMMAND = Command(
    "version", short="print the kelm version information",
    long="""
Show the version of kelm.

The output looks like this:

version.BuildInfo{Version:"v0.1.0", HelmVersion:"v4.1.4", KustomizeVersion:"v5.7.1", PythonVersion:"3.11.2"}

- Version is the version of kelm.
- HelmVersion is the Helm release whose behaviour kelm follows.
- KustomizeVersion is the Kustomize release 'kelm kustomize' follows.
- PythonVersion is the version of the Python interpreter running kelm.

The same names are the properties of the --template flag's template, for
example --template='Version: {{.Version}}' outputs 'Version: v0.1.0'.
""",
    flags=[Flag("short", "bool", default=False, help="print the version number"),
           Flag("template", "string", default="", help="template for version string format")],
    args=("none",), run=_version,
)
