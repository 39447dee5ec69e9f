"""``kelm pull CHART...`` (alias ``fetch``): ``helm pull`` (same flags, files and messages)."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import keyring_default, keyring_value


def _pull(cmd: Command, p: Parsed) -> None:
    from kelm.action.pull import PullError, PullOptions, pull
    from kelm.cli.envinfo import settings_value

    g = p.get
    keyring = keyring_value(p)
    o = PullOptions(
        repository_config=settings_value("repository-config", p),
        repository_cache=settings_value("repository-cache", p),
        content_cache=settings_value("content-cache", p),
        registry_config=settings_value("registry-config", p),
        repo_url=g("repo") or "", version=g("version") or "", devel=bool(g("devel")),
        username=g("username") or "", password=g("password") or "",
        cert_file=g("cert-file") or "", key_file=g("key-file") or "", ca_file=g("ca-file") or "",
        insecure_skip_tls_verify=bool(g("insecure-skip-tls-verify")),
        pass_credentials=bool(g("pass-credentials")), plain_http=bool(g("plain-http")),
        destination=g("destination") or ".", untar=bool(g("untar")),
        untardir=g("untardir") or ".", prov=bool(g("prov")), verify=bool(g("verify")),
        keyring=keyring,
    )
    for ref in p.args:
        try:
            text = pull(ref, o, sys.stderr)
        except PullError as e:
            raise CommandError(str(e)) from None
        sys.stdout.write(text)
        sys.stdout.flush()


COMMAND = Command(
    "pull [chart URL | repo/chartname] [...]",
    short="download a chart from a repository and (optionally) unpack it in local directory",
    aliases=("fetch",),
    long="""
Retrieve a package from a package repository, and download it locally.

This is useful for fetching packages to inspect, modify, or repackage. It can
also be used to perform cryptographic verification of a chart without installing
the chart.

There are options for unpacking the chart after download. This will create a
directory for the chart and uncompress into that directory.

If the --verify flag is specified, the requested chart MUST have a provenance
file, and MUST pass the verification process. Failure in any part of this will
result in an error, and the chart will not be saved locally.
""",
    flags=[
        Flag("ca-file", "string", default="",
             help="verify certificates of HTTPS-enabled servers using this CA bundle"),
        Flag("cert-file", "string", default="",
             help="identify HTTPS client using this SSL certificate file"),
        Flag("destination", "string", "d", ".",
             help="location to write the chart. If this and untardir are specified, untardir "
                  "is appended to this"),
        Flag("devel", "bool", default=False,
             help="use development versions, too. Equivalent to version '>0.0.0-0'. If "
                  "--version is set, this is ignored."),
        Flag("insecure-skip-tls-verify", "bool", default=False,
             help="skip tls certificate checks for the chart download"),
        Flag("key-file", "string", default="", help="identify HTTPS client using this SSL key file"),
        Flag("keyring", "string", default="", default_text=keyring_default,
             help="location of public keys used for verification"),
        Flag("pass-credentials", "bool", default=False, help="pass credentials to all domains"),
        Flag("password", "string", default="",
             help="chart repository password where to locate the requested chart"),
        Flag("plain-http", "bool", default=False,
             help="use insecure HTTP connections for the chart download"),
        Flag("prov", "bool", default=False,
             help="fetch the provenance file, but don't perform verification"),
        Flag("repo", "string", default="",
             help="chart repository url where to locate the requested chart"),
        Flag("untar", "bool", default=False,
             help="if set to true, will untar the chart after downloading it"),
        Flag("untardir", "string", default=".",
             help="if untar is specified, this flag specifies the name of the directory into "
                  "which the chart is expanded"),
        Flag("username", "string", default="",
             help="chart repository username where to locate the requested chart"),
        Flag("verify", "bool", default=False, help="verify the package before using it"),
        Flag("version", "string", default="",
             help="specify a version constraint for the chart version to use. This constraint "
                  "can be a specific tag (e.g. 1.1.1) or it may reference a valid range (e.g. "
                  "^2.0.0). If this is not specified, the latest version is used"),
    ],
    args=("min", 1), run=_pull,
)

__all__ = ["COMMAND"]
