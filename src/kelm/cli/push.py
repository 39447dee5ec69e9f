"""``kelm push CHART.tgz oci://HOST/PATH``: ``helm push`` (same flags, output on stderr)."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kelm.repo.oci import RegistryOptions


def registry_options(p: Parsed, plain_http: bool, insecure: bool) -> RegistryOptions:
    """The registry client Helm builds from the TLS flags: with any of them, plain HTTP is off
    and an unreadable file fails first (``missing registry client: ...``)."""
    from kelm.action.chartref import ChartPathOptions, ChartRefError, check_tls_files
    from kelm.cli.envinfo import settings_value
    from kelm.repo.oci import RegistryOptions

    cert, key, ca = p.get("cert-file") or "", p.get("key-file") or "", p.get("ca-file") or ""
    try:
        check_tls_files(ChartPathOptions(cert_file=cert, key_file=key, ca_file=ca))
    except ChartRefError as e:
        raise CommandError(str(e)) from None
    return RegistryOptions(plain_http=plain_http, insecure_skip_tls_verify=insecure,
                           ca_file=ca, cert_file=cert, key_file=key,
                           username=p.get("username") or "", password=p.get("password") or "",
                           registry_config=settings_value("registry-config", p),
                           out=sys.stderr)


def _push(cmd: Command, p: Parsed) -> None:
    from kelm.action.push import PushError, push

    opts = registry_options(p, bool(p.get("plain-http")),
                            bool(p.get("insecure-skip-tls-verify")))
    try:
        push(p.args[0], p.args[1], opts)
    except PushError as e:
        raise CommandError(str(e)) from None


COMMAND = Command(
    "push [chart] [remote]", short="push a chart to remote",
    long="""
Upload a chart to a registry.

If the chart has an associated provenance file,
it will also be uploaded.
""",
    flags=[
        Flag("ca-file", "string", default="",
             help="verify certificates of HTTPS-enabled servers using this CA bundle"),
        Flag("cert-file", "string", default="",
             help="identify registry client using this SSL certificate file"),
        Flag("insecure-skip-tls-verify", "bool", default=False,
             help="skip tls certificate checks for the chart upload"),
        Flag("key-file", "string", default="",
             help="identify registry client using this SSL key file"),
        Flag("password", "string", default="",
             help="chart repository password where to locate the requested chart"),
        Flag("plain-http", "bool", default=False,
             help="use insecure HTTP connections for the chart upload"),
        Flag("username", "string", default="",
             help="chart repository username where to locate the requested chart"),
    ],
    args=("min", 2), run=_push,
)

__all__ = ["COMMAND", "registry_options"]
