"""Flag groups several commands share, and the plain options they turn into.

``values_flags`` (-f and the --set family: template, install, lint), ``repo_client_flags``
(basic auth and TLS of a chart download: template, install, show, package, dependency),
``chart_path_flags`` (Helm's ChartPathOptions: those plus --repo, --version, --devel,
--verify, --keyring, --pass-credentials).
"""

from __future__ import annotations

import os

from kelm.cli.flags import Flag, Parsed

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import Any

OUTPUT_FORMATS = ("table", "json", "yaml")


def _output_check(v: str) -> str:
    return "" if v in OUTPUT_FORMATS else "invalid format type"


def output_flag() -> Flag:
    """``-o/--output table|json|yaml``, as every release and repository command has it."""
    return Flag("output", "string", "o", "table", type_name="format", default_text="table",
                check=_output_check,
                help="prints the output in the specified format. Allowed values: table, json, yaml")


_VALUES_HELP = "(can specify multiple or separate values with commas: key1=val1,key2=val2)"
REPO_CLIENT_FLAGS = ("username", "password", "cert-file", "key-file", "ca-file",
                     "insecure-skip-tls-verify", "plain-http")


def default_keyring() -> str:
    """Helm's ``defaultKeyring``: ``$GNUPGHOME/pubring.gpg`` when GNUPGHOME is set (even
    empty), else ``~/.gnupg/pubring.gpg``."""
    home = os.environ.get("GNUPGHOME")
    if home is not None:
        return os.path.join(home, "pubring.gpg")
    return os.path.join(os.path.expanduser("~"), ".gnupg", "pubring.gpg")


def keyring_default() -> str:
    return '"' + default_keyring() + '"'


def keyring_value(p: Parsed) -> str:
    """``--keyring`` as given (an explicit empty value stays empty, as in Helm), else the
    default keyring."""
    return str(p.get("keyring") or "") if "keyring" in p.given else default_keyring()


def values_flags() -> list[Flag]:
    """-f/--values and the --set family."""
    return [
        Flag("values", "slice", "f",
             help="specify values in a YAML file or a URL (can specify multiple)"),
        Flag("set", "array", help=f"set values on the command line {_VALUES_HELP}"),
        Flag("set-string", "array", help=f"set STRING values on the command line {_VALUES_HELP}"),
        Flag("set-file", "array",
             help="set values from respective files specified via the command line (can "
                  "specify multiple or separate values with commas: key1=path1,key2=path2)"),
        Flag("set-json", "array",
             help="set JSON values on the command line (can specify multiple or separate "
                  "values with commas: key1=jsonval1,key2=jsonval2 or using json format: "
                  '{"key1": jsonval1, "key2": "jsonval2"})'),
        Flag("set-literal", "array", help="set a literal STRING value on the command line"),
    ]


def value_options(p: Parsed) -> Any:
    """The values flags as :class:`~kelm.values.options.ValueOptions`."""
    from kelm.values.options import ValueOptions

    g = p.get
    return ValueOptions(
        value_files=g("values") or [], json_values=g("set-json") or [], values=g("set") or [],
        string_values=g("set-string") or [], file_values=g("set-file") or [],
        literal_values=g("set-literal") or [],
    )


def repo_client_flags() -> list[Flag]:
    """Basic auth and TLS of chart downloads."""
    return [
        Flag("username", "string", default="",
             help="chart repository username where to locate the requested chart"),
        Flag("password", "string", default="",
             help="chart repository password where to locate the requested chart"),
        Flag("cert-file", "string", default="",
             help="identify HTTPS client using this SSL certificate file"),
        Flag("key-file", "string", default="", help="identify HTTPS client using this SSL key file"),
        Flag("ca-file", "string", default="",
             help="verify certificates of HTTPS-enabled servers using this CA bundle"),
        Flag("insecure-skip-tls-verify", "bool", default=False,
             help="skip tls certificate checks for the chart download"),
        Flag("plain-http", "bool", default=False,
             help="use insecure HTTP connections for the chart download"),
    ]


def chart_path_flags() -> list[Flag]:
    """Where the chart comes from (Helm's ChartPathOptions)."""
    return [
        Flag("version", "string", default="",
             help="specify a version constraint for the chart version to use. This constraint "
                  "can be a specific tag (e.g. 1.1.1) or it may reference a valid range (e.g. "
                  "^2.0.0). If this is not specified, the latest version is used"),
        Flag("verify", "bool", default=False, help="verify the package before using it"),
        Flag("keyring", "string", default="", default_text=keyring_default,
             help="location of public keys used for verification"),
        Flag("repo", "string", default="",
             help="chart repository url where to locate the requested chart"),
        *repo_client_flags(),
        Flag("pass-credentials", "bool", default=False, help="pass credentials to all domains"),
        Flag("devel", "bool", default=False,
             help="use development versions, too. Equivalent to version '>0.0.0-0'. If "
                  "--version is set, this is ignored"),
    ]


def chart_path_options(p: Parsed) -> Any:
    """The chart-location flags as :class:`~kelm.action.chartref.ChartPathOptions`."""
    from kelm.action.chartref import ChartPathOptions

    g = p.get
    return ChartPathOptions(
        repo_url=g("repo") or "", version=g("version") or "", devel=bool(g("devel")),
        verify=bool(g("verify")), keyring=keyring_value(p), username=g("username") or "",
        password=g("password") or "", cert_file=g("cert-file") or "", key_file=g("key-file") or "",
        ca_file=g("ca-file") or "", insecure_skip_tls_verify=bool(g("insecure-skip-tls-verify")),
        plain_http=bool(g("plain-http")), pass_credentials=bool(g("pass-credentials")),
        repository_config=g("repository-config") or "",
        repository_cache=g("repository-cache") or "", content_cache=g("content-cache") or "",
        registry_config=g("registry-config") or "",
    )


__all__ = ["REPO_CLIENT_FLAGS", "chart_path_flags", "chart_path_options", "default_keyring",
           "keyring_default", "keyring_value", "repo_client_flags", "value_options",
           "values_flags"]
