"""``kelm repo add|list|remove|update|index``: ``helm repo`` (same flags, files and output)."""

from __future__ import annotations

import os
import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import output_flag


def _paths(p: Parsed) -> tuple[str, str]:
    from kelm.cli.envinfo import settings_value

    return settings_value("repository-config", p), settings_value("repository-cache", p)


def timeout_seconds(p: Parsed) -> float:
    from kelm.cli.flags import parse_duration

    v = p.get("timeout")
    if isinstance(v, int | float):
        return float(v)
    secs = parse_duration(str(v)) if v else None
    return 120.0 if secs is None else secs


def _read_password(p: Parsed) -> str:
    """``--password``, else stdin with ``--password-stdin``, else a prompt (a terminal only),
    when a user name is given: Helm's order."""
    password = p.get("password") or ""
    if not p.get("username") or password:
        return password
    if p.get("password-stdin"):
        data = sys.stdin.read()
        return data.removesuffix("\n").removesuffix("\r")
    sys.stdout.write("Password: ")
    sys.stdout.flush()
    try:
        if not sys.stdin.isatty():  # Go's term.ReadPassword on a pipe or file
            raise CommandError("inappropriate ioctl for device")
        import getpass

        return getpass.getpass("")
    finally:
        sys.stdout.write("\n")


def _add(cmd: Command, p: Parsed) -> None:
    from kelm.action.repo import AddOptions, RepoCommandError, add

    repo_file, repo_cache = _paths(p)
    opts = AddOptions(
        name=p.args[0], url=p.args[1], repo_file=repo_file, repo_cache=repo_cache,
        username=p.get("username") or "", password=_read_password(p),
        pass_credentials=bool(p.get("pass-credentials")), cert_file=p.get("cert-file") or "",
        key_file=p.get("key-file") or "", ca_file=p.get("ca-file") or "",
        insecure_skip_tls_verify=bool(p.get("insecure-skip-tls-verify")),
        force_update=bool(p.get("force-update")),
        allow_deprecated_repos=bool(p.get("allow-deprecated-repos")),
        timeout=timeout_seconds(p),
    )
    try:
        add(opts, sys.stdout)
    except RepoCommandError as e:
        raise CommandError(str(e)) from None


def _list(cmd: Command, p: Parsed) -> None:
    from kelm.action.repo import RepoCommandError, configured, list_json, list_table, list_yaml

    repo_file, _ = _paths(p)
    try:
        repos = configured(repo_file)
    except RepoCommandError as e:
        raise CommandError(str(e)) from None
    fmt = p.get("output")
    if not repos and fmt == "table":
        sys.stderr.write("no repositories to show\n")
        return
    if fmt == "json":
        sys.stdout.write(list_json(repos))
    elif fmt == "yaml":
        sys.stdout.write(list_yaml(repos))
    else:
        sys.stdout.write(list_table(repos, headers=not p.get("no-headers")))


def _remove(cmd: Command, p: Parsed) -> None:
    from kelm.action.repo import RepoCommandError, remove_repos

    repo_file, repo_cache = _paths(p)
    try:
        remove_repos(p.args, repo_file, repo_cache, sys.stdout)
    except RepoCommandError as e:
        raise CommandError(str(e)) from None


class _TerminalProgress:
    """A one-line count of finished downloads on stderr, redrawn in place (terminals only);
    stdout keeps Helm's lines."""

    def __init__(self) -> None:
        self.total = 0
        self.done_count = 0
        self.failed = 0

    def _draw(self) -> None:
        bad = f", {self.failed} failed" if self.failed else ""
        sys.stderr.write(f"\r\x1b[2K{self.done_count}/{self.total} repositories updated{bad}")
        sys.stderr.flush()

    def start(self, names: list[str]) -> None:
        self.total = len(names)
        self._draw()

    def done(self, name: str, ok: bool) -> None:
        self.done_count += 1
        self.failed += not ok
        self._draw()

    def stop(self) -> None:
        sys.stderr.write("\r\x1b[2K")
        sys.stderr.flush()


def _update(cmd: Command, p: Parsed) -> None:
    from kelm.action.repo import RepoCommandError, update_repos

    repo_file, repo_cache = _paths(p)
    progress = _TerminalProgress() if sys.stderr.isatty() and sys.stdout.isatty() else None
    try:
        update_repos(p.args, repo_file, repo_cache, sys.stdout, timeout_seconds(p), progress)
    except RepoCommandError as e:
        raise CommandError(str(e)) from None


def _index(cmd: Command, p: Parsed) -> None:
    from kelm.action.repo import RepoCommandError, index

    try:
        index(os.path.normpath(p.args[0]), p.get("url") or "", p.get("merge") or "",
              bool(p.get("json")))
    except RepoCommandError as e:
        raise CommandError(str(e)) from None
    except OSError as e:
        raise CommandError(f"{e.strerror}: {e.filename}") from None


def _timeout_flag() -> Flag:
    return Flag("timeout", "duration", default="2m0s",
                help="time to wait for the index file download to complete")


ADD_FLAGS = [
    Flag("allow-deprecated-repos", "bool", default=False,
         help="by default, this command will not allow adding official repos that have been "
              "permanently deleted. This disables that behavior"),
    Flag("ca-file", "string", default="",
         help="verify certificates of HTTPS-enabled servers using this CA bundle"),
    Flag("cert-file", "string", default="",
         help="identify HTTPS client using this SSL certificate file"),
    Flag("force-update", "bool", default=False,
         help="replace (overwrite) the repo if it already exists"),
    Flag("insecure-skip-tls-verify", "bool", default=False,
         help="skip tls certificate checks for the repository"),
    Flag("key-file", "string", default="", help="identify HTTPS client using this SSL key file"),
    Flag("pass-credentials", "bool", default=False, help="pass credentials to all domains"),
    Flag("password", "string", default="", help="chart repository password"),
    Flag("password-stdin", "bool", default=False,
         help="read chart repository password from stdin"),
    _timeout_flag(),
    Flag("username", "string", default="", help="chart repository username"),
]

COMMAND = Command(
    "repo add|remove|list|index|update [ARGS]",
    short="add, list, remove, update, and index chart repositories",
    long="""
This command consists of multiple subcommands to interact with chart repositories.

It can be used to add, remove, list, and index chart repositories.
""",
    subcommands=[
        Command("add [NAME] [URL]", short="add a chart repository", flags=ADD_FLAGS,
                args=("exact", 2), run=_add),
        Command(
            "index [DIR]",
            short="generate an index file given a directory containing packaged charts",
            long="""
Read the current directory, generate an index file based on the charts found
and write the result to 'index.yaml' in the current directory.

This tool is used for creating an 'index.yaml' file for a chart repository. To
set an absolute URL to the charts, use '--url' flag.

To merge the generated index with an existing index file, use the '--merge'
flag. In this case, the charts found in the current directory will be merged
into the index passed in with --merge, with local charts taking priority over
existing charts.
""",
            flags=[
                Flag("json", "bool", default=False, help="output in JSON format"),
                Flag("merge", "string", default="",
                     help="merge the generated index into the given index"),
                Flag("url", "string", default="", help="url of chart repository"),
            ],
            args=("exact", 1), run=_index,
        ),
        Command(
            "list", short="list chart repositories", aliases=("ls",),
            flags=[
                Flag("no-headers", "bool", default=False, help="suppress headers in the output"),
                output_flag(),
            ],
            args=("none",), run=_list,
        ),
        Command("remove [REPO1 [REPO2 ...]]", short="remove one or more chart repositories",
                aliases=("rm",), args=("min", 1), run=_remove),
        Command(
            "update [REPO1 [REPO2 ...]]",
            short="update information of available charts locally from chart repositories",
            aliases=("up",),
            long="""
Update gets the latest information about charts from the respective chart repositories.
Information is cached locally, where it is used by commands like 'kelm search'.

You can optionally specify a list of repositories you want to update.
	$ kelm repo update <repo_name> ...
To update all the repositories, use 'kelm repo update'.
""",
            flags=[_timeout_flag()], run=_update,
        ),
    ],
)

__all__ = ["COMMAND", "timeout_seconds"]
