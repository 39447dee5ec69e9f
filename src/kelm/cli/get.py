"""``kelm get values|manifest|hooks|notes|metadata|all RELEASE``: parts of a stored release,
as ``helm get`` prints them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kelm.cli.command import Command
from kelm.cli.flags import Flag, Parsed
from kelm.cli.flagsets import output_flag
from kelm.cli.status import revision_flag, with_storage

if TYPE_CHECKING:
    from collections.abc import Callable


def _revision_command(show: Callable[[Any, Parsed], str]) -> Callable[[Command, Parsed], None]:
    """A run function: load the revision ``--revision`` names, print ``show(rel, p)``."""

    def run(cmd: Command, p: Parsed) -> None:
        from kelm.action.getinfo import get_revision

        def work(client: Any, storage: Any) -> str:
            return show(get_revision(client, storage, p.args[0], int(p.get("revision"))), p)

        with_storage(p, work)

    return run


def _values(rel: Any, p: Parsed) -> str:
    from kelm.action.getinfo import release_values, values_text

    every = bool(p.get("all"))
    return values_text(release_values(rel, every), p.get("output"), every)


def _manifest(rel: Any, p: Parsed) -> str:
    from kelm.action.getinfo import manifest_text

    return manifest_text(rel)


def _hooks(rel: Any, p: Parsed) -> str:
    from kelm.action.getinfo import hooks_text

    return hooks_text(rel)


def _notes(rel: Any, p: Parsed) -> str:
    from kelm.action.getinfo import notes_text

    return notes_text(rel)


def _metadata(rel: Any, p: Parsed) -> str:
    from kelm.action.getinfo import metadata_text, release_metadata

    return metadata_text(release_metadata(rel), p.get("output"))


def _all(rel: Any, p: Parsed) -> str:
    template = p.get("template") or ""
    if template:
        from kelm.action.getinfo import template_text

        return template_text(rel, template)
    from kelm.action.status import status_report
    from kelm.cli.root import use_color

    return status_report(rel, color=use_color(p), debug=True, show_metadata=True)


def _sub(use: str, short: str, long: str, show: Callable[[Any, Parsed], str],
         flags: list[Flag] | None = None) -> Command:
    return Command(use, short=short, long=long, flags=[revision_flag(), *(flags or [])],
                   args=("exact", 1), run=_revision_command(show))


COMMAND = Command(
    "get", short="download extended information of a named release",
    long="""
The subcommands print what a release stores, for its newest revision or the
one '--revision' names:

- the values it was installed or upgraded with (or all computed values)
- the manifest rendered from its chart
- its hooks and the notes of its chart
- its metadata (chart, version, labels, status, apply method)
""",
    args=("none",),
    subcommands=[
        _sub("all RELEASE_NAME", "download all information for a named release", """
This command prints everything a release stores in one report: its status, chart
and versions, the user-supplied and computed values, its hooks, its manifest
and the notes of its chart. '--template' prints a Go template over the release
instead.
""", _all, [Flag("template", "string", default="",
                 help="go template for formatting the output, eg: {{.Release.Name}}")]),
        _sub("values RELEASE_NAME", "download the values file for a named release", """
This command prints the values a release was installed or upgraded with;
'--all' prints them coalesced over the chart's defaults.
""", _values, [Flag("all", "bool", "a", False, help="dump all (computed) values"),
               output_flag()]),
        _sub("manifest RELEASE_NAME", "download the manifest for a named release", """
This command prints the manifest of a release: the Kubernetes objects rendered
from its chart and subcharts, as YAML documents.
""", _manifest),
        _sub("hooks RELEASE_NAME", "download all hooks for a named release", """
This command prints the hooks of a release as YAML documents, each after a
'---' line and a comment naming its template.
""", _hooks),
        _sub("notes RELEASE_NAME", "download the notes for a named release", """
This command prints the notes the chart of a release rendered.
""", _notes),
        Command("metadata RELEASE_NAME", short="This command fetches metadata for a given release",
                flags=[revision_flag("specify release revision"), output_flag()],
                args=("exact", 1), run=_revision_command(_metadata)),
    ],
)

__all__ = ["COMMAND"]
