"""``kelm registry login|logout HOST``: ``helm registry`` (same flags, prompts and messages)."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed


def _read_line(prompt: str, silent: bool) -> str:
    """Helm's ``readLine``: the prompt on stdout, the answer without echo when ``silent``
    (which needs a terminal, as Helm's does)."""
    sys.stdout.write(prompt)
    sys.stdout.flush()
    if not silent:
        return sys.stdin.readline().rstrip("\r\n")
    import termios

    try:
        fd = sys.stdin.fileno()
        state = termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):
        raise CommandError("inappropriate ioctl for device") from None
    quiet = list(state)
    quiet[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        line = sys.stdin.readline().rstrip("\r\n")
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, state)
    sys.stdout.write("\n")
    return line


def username_password(user: str, password: str, from_stdin: bool) -> tuple[str, str]:
    """Helm's ``getUsernamePassword``."""
    if from_stdin:
        password = sys.stdin.read()
        password = password.removesuffix("\n").removesuffix("\r")
    elif not password:
        if not user:
            user = _read_line("Username: ", False).strip()
        if not user:
            password = _read_line("Token: ", True)
            if not password:
                raise CommandError("token required")
        else:
            password = _read_line("Password: ", True)
            if not password:
                raise CommandError("password required")
    else:
        sys.stderr.write('level=WARN msg="using --password via the CLI is insecure. '
                         'Use --password-stdin"\n')
    return user, password


def _login(cmd: Command, p: Parsed) -> None:
    from kelm.action.registry import RegistryLoginError, login
    from kelm.cli.push import registry_options

    user, password = username_password(p.get("username") or "", p.get("password") or "",
                                       bool(p.get("password-stdin")))
    opts = registry_options(p, bool(p.get("plain-http")), bool(p.get("insecure")))
    opts.plain_http = bool(p.get("plain-http"))
    try:
        login(p.args[0], user, password, opts)
    except RegistryLoginError as e:
        raise CommandError(str(e)) from None


def _logout(cmd: Command, p: Parsed) -> None:
    from kelm.action.registry import RegistryLoginError, logout
    from kelm.cli.envinfo import settings_value

    try:
        logout(p.args[0], settings_value("registry-config", p))
    except RegistryLoginError as e:
        raise CommandError(str(e)) from None


LOGIN = Command(
    "login [host]", short="login to a registry",
    long="""
Authenticate to a remote registry.

For example for Github Container Registry:

    echo "$GITHUB_TOKEN" | kelm registry login ghcr.io -u $GITHUB_USER --password-stdin
""",
    flags=[
        Flag("ca-file", "string", default="",
             help="verify certificates of HTTPS-enabled servers using this CA bundle"),
        Flag("cert-file", "string", default="",
             help="identify registry client using this SSL certificate file"),
        Flag("insecure", "bool", default=False,
             help="allow connections to TLS registry without certs"),
        Flag("key-file", "string", default="",
             help="identify registry client using this SSL key file"),
        Flag("password", "string", "p", "", help="registry password or identity token"),
        Flag("password-stdin", "bool", default=False,
             help="read password or identity token from stdin"),
        Flag("plain-http", "bool", default=False,
             help="use insecure HTTP connections for the chart upload"),
        Flag("username", "string", "u", "", help="registry username"),
    ],
    args=("min", 1), run=_login,
)

LOGOUT = Command(
    "logout [host]", short="logout from a registry",
    long="\nRemove credentials stored for a remote registry.\n",
    args=("min", 1), run=_logout,
)

COMMAND = Command(
    "registry", short="login to or logout from a registry",
    long="\nThis command consists of multiple subcommands to interact with registries.\n",
    subcommands=[LOGIN, LOGOUT],
)

__all__ = ["COMMAND"]
