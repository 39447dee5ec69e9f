"""`kelm package CHART_PATH...`: ``helm package`` (same flags, output and errors)."""

from __future__ import annotations

import os
import sys

import click

from kelm.cli.template import make_command

HELP = """This command packages a chart into a versioned chart archive file. If a path
is given, this will look at that path for a chart (which must contain a
Chart.yaml file) and then package that directory.

Usage:
  kelm package [CHART_PATH] [...] [flags]

Flags: --version, --app-version, -d/--destination, -u/--dependency-update (as helm package
v4.1.4; --sign is not supported)."""


def run_package(argv: list[str]) -> None:
    from kelm.action.package import PackageError, PackageOptions, package_chart
    from kelm.cli.template import GLOBAL_FLAGS, Flag, FlagError, fail, parse_flags

    specs = [
        Flag("sign", "bool", default=False), Flag("key", "string", default=""),
        Flag("keyring", "string", default=""), Flag("passphrase-file", "string", default=""),
        Flag("version", "string", default=""), Flag("app-version", "string", default=""),
        Flag("destination", "string", "d", "."),
        Flag("dependency-update", "bool", "u", False),
        Flag("username", "string", default=""), Flag("password", "string", default=""),
        Flag("cert-file", "string", default=""), Flag("key-file", "string", default=""),
        Flag("insecure-skip-tls-verify", "bool", default=False),
        Flag("plain-http", "bool", default=False), Flag("ca-file", "string", default=""),
    ]
    try:
        p = parse_flags(argv, specs + GLOBAL_FLAGS)
    except FlagError as e:
        fail(str(e))
        return
    if p.get("help"):
        click.echo(HELP)
        return
    if not p.args:
        fail("need at least one argument, the path to the chart")
    if p.get("sign"):
        if not p.get("key"):
            fail("--key is required for signing a package")
        if not p.get("keyring"):
            fail("--keyring is required for signing a package")
        fail("signing packages (--sign) is not supported by kelm")
    opts = PackageOptions(
        version=p.get("version") or "",
        app_version=p.get("app-version") or "",
        destination=p.get("destination") or ".",
    )
    for arg in p.args:
        path = os.path.abspath(arg)
        if not os.path.exists(arg):
            fail(f"stat {arg}: no such file or directory")
        if p.get("dependency-update"):
            from kelm.action.dependency import DependencyError, Manager

            try:
                Manager(path, out=None, debug=bool(p.get("debug"))).update()
            except DependencyError as e:
                fail(str(e))
        try:
            out = package_chart(path, opts)
        except PackageError as e:
            fail(str(e))
            return
        sys.stdout.write(f"Successfully packaged chart and saved it to: {out}\n")


package = make_command("package", run_package, "Package a chart directory into a chart archive (helm package).")
