"""``kelm package CHART_PATH...``: ``helm package`` (same flags, output and errors)."""

from __future__ import annotations

import os
import sys

from kelm.cli.command import Command, CommandError, fail
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import keyring_default, keyring_value, repo_client_flags


def _package(cmd: Command, p: Parsed) -> None:
    from kelm.action.package import PackageError, PackageOptions, package_chart

    if not p.args:
        fail("need at least one argument, the path to the chart")
    keyring = keyring_value(p)  # Helm's default: $GNUPGHOME/pubring.gpg when set
    if p.get("sign"):
        if not p.get("key"):
            fail("--key is required for signing a package")
        if not keyring:
            fail("--keyring is required for signing a package")
    from kelm.action.chartref import ChartPathOptions, ChartRefError, check_tls_files

    g = p.get  # Helm builds the registry client first: bad TLS files fail every package
    client = ChartPathOptions(
        keyring=keyring, username=g("username") or "", password=g("password") or "",
        cert_file=g("cert-file") or "", key_file=g("key-file") or "", ca_file=g("ca-file") or "",
        insecure_skip_tls_verify=bool(g("insecure-skip-tls-verify")),
        plain_http=bool(g("plain-http")), repository_config=g("repository-config") or "",
        repository_cache=g("repository-cache") or "", content_cache=g("content-cache") or "",
        registry_config=g("registry-config") or "")
    try:
        check_tls_files(client)
    except ChartRefError as e:
        raise CommandError(str(e)) from None
    opts = PackageOptions(
        version=p.get("version") or "",
        app_version=p.get("app-version") or "",
        destination=p.get("destination") or ".",
        sign=bool(p.get("sign")), key=p.get("key") or "", keyring=keyring,
        passphrase_file=p.get("passphrase-file") or "",
    )
    for arg in p.args:
        path = os.path.abspath(arg)
        if not os.path.exists(arg):
            fail(f"stat {arg}: no such file or directory")
        if p.get("dependency-update"):  # Helm's manager prints nothing here (io.Discard)
            from kelm.action.install import InstallError, update_chart_dependencies

            try:
                update_chart_dependencies(path, client, None, bool(p.get("debug")))
            except InstallError as e:
                raise CommandError(str(e)) from None
        try:
            out = package_chart(path, opts)
        except PackageError as e:
            raise CommandError(str(e)) from None
        sys.stdout.write(f"Successfully packaged chart and saved it to: {out}\n")


COMMAND = Command(
    "package [CHART_PATH] [...]", short="package a chart directory into a chart archive",
    long="""
This command packages a chart into a versioned chart archive file. If a path
is given, this will look at that path for a chart (which must contain a
Chart.yaml file) and then package that directory.

Versioned chart archives are what chart repositories serve.

'--sign' also writes CHART-VERSION.tgz.prov next to the archive: the chart's
metadata and the archive's SHA-256, clear-signed with the OpenPGP secret key
named by '--key' from the binary keyring named by '--keyring' (export one with
'gpg --export-secret-keys > secring.gpg'):

  $ kelm package --sign ./mychart --key mykey --keyring ~/.gnupg/secring.gpg

Without '--keyring' the public keyring ~/.gnupg/pubring.gpg is read, as Helm
does, and it holds no secret keys.
""",
    flags=[
        Flag("sign", "bool", default=False,
             help="use a PGP private key to sign this package"),
        Flag("key", "string", default="",
             help="name of the key to use when signing. Used if --sign is true"),
        Flag("keyring", "string", default="", default_text=keyring_default,
             help="location of a public keyring"),
        Flag("passphrase-file", "string", default="",
             help="location of a file which contains the passphrase for the signing key. Use "
                  '"-" in order to read from stdin.'),
        Flag("version", "string", default="",
             help="set the version on the chart to this semver version"),
        Flag("app-version", "string", default="",
             help="set the appVersion on the chart to this version"),
        Flag("destination", "string", "d", ".", help="location to write the chart."),
        Flag("dependency-update", "bool", "u", False,
             help='update dependencies from "Chart.yaml" to dir "charts/" before packaging'),
        *repo_client_flags(),
    ],
    run=_package,
)


def run_package(argv: list[str]) -> None:
    """``kelm package ARGS...`` in-process (used by tests)."""
    from kelm.cli import run_subcommand

    run_subcommand("package", argv)
