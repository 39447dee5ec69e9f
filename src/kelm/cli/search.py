"""``kelm search repo [KEYWORD]``: ``helm search repo`` (``search hub`` needs Artifact Hub on
the internet and is refused)."""

from __future__ import annotations

import sys

from kelm.cli.command import Command, CommandError
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import output_flag


def _max_width_check(v: str) -> str:
    return "" if v.isdigit() else f'strconv.ParseUint: parsing "{v}": invalid syntax'


def _table_flags() -> list[Flag]:
    return [
        Flag("max-col-width", "uint", default=50, check=_max_width_check,
             help="maximum column width for output table"),
        output_flag(),
    ]


def _repo(cmd: Command, p: Parsed) -> None:
    from kelm.action.search import SearchError, SearchOptions, render, search
    from kelm.cli.envinfo import settings_value

    o = SearchOptions(
        repo_file=settings_value("repository-config", p),
        repo_cache=settings_value("repository-cache", p), terms=tuple(p.args),
        regexp=bool(p.get("regexp")), versions=bool(p.get("versions")),
        devel=bool(p.get("devel")), version=p.get("version") or "",
        max_col_width=int(p.get("max-col-width")),
        fail_on_no_result=bool(p.get("fail-on-no-result")),
    )
    try:
        results = search(o, sys.stderr)
        text = render(results, p.get("output"), o.max_col_width, o.fail_on_no_result)
    except SearchError as e:
        raise CommandError(str(e)) from None
    sys.stdout.write(text)


def _hub(cmd: Command, p: Parsed) -> None:
    endpoint = p.get("endpoint") or "https://hub.helm.sh"
    raise CommandError(f'unable to perform search against "{endpoint}": kelm does not search '
                       "Artifact Hub (it needs the internet); add the repository and use "
                       "'kelm search repo'")


REPO_LONG = """
Search reads through all of the repositories configured on the system, and
looks for matches. Search of these repositories uses the metadata stored on
the system.

It will display the latest stable versions of the charts found. If you
specify the --devel flag, the output will include pre-release versions.
If you want to search using a version constraint, use --version.

Examples:

    # Search for stable release versions matching the keyword "nginx"
    $ kelm search repo nginx

    # Search for release versions matching the keyword "nginx", including pre-release versions
    $ kelm search repo nginx --devel

    # Search for the latest stable release for nginx-ingress with a major version of 1
    $ kelm search repo nginx-ingress --version ^1.0.0

Repositories are managed with 'kelm repo' commands.
"""

COMMAND = Command(
    "search [keyword]", short="search for a keyword in charts",
    long="""
Search provides the ability to search for Helm charts in the various places
they can be stored including the Artifact Hub and repositories you have added.
Use search subcommands to search different locations for charts.
""",
    subcommands=[
        Command(
            "hub [KEYWORD]",
            short="search for charts in the Artifact Hub or your own hub instance",
            long="""
Search for Helm charts in the Artifact Hub or your own instance of Monocular.

kelm does not contact Artifact Hub (it needs the internet): this command is
refused with an error. Add the repository you want with 'kelm repo add' and
use 'kelm search repo'.
""",
            flags=[
                Flag("endpoint", "string", default="https://hub.helm.sh",
                     help="Hub instance to query for charts"),
                Flag("fail-on-no-result", "bool", default=False,
                     help="search fails if no results are found"),
                Flag("list-repo-url", "bool", default=False,
                     help="print charts repository URL"),
                *_table_flags(),
            ],
            run=_hub,
        ),
        Command(
            "repo [keyword]", short="search repositories for a keyword in charts",
            long=REPO_LONG,
            flags=[
                Flag("devel", "bool", default=False,
                     help="use development versions (alpha, beta, and release candidate "
                          "releases), too. Equivalent to version '>0.0.0-0'. If --version is "
                          "set, this is ignored"),
                Flag("fail-on-no-result", "bool", default=False,
                     help="search fails if no results are found"),
                *_table_flags(),
                Flag("regexp", "bool", "r", False,
                     help="use regular expressions for searching repositories you have added"),
                Flag("version", "string", default="",
                     help="search using semantic versioning constraints on repositories you "
                          "have added"),
                Flag("versions", "bool", "l", False,
                     help="show the long listing, with each version of each chart on its own "
                          "line, for repositories you have added"),
            ],
            run=_repo,
        ),
    ],
)

__all__ = ["COMMAND"]
