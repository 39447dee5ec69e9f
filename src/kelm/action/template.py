"""``kelm template``'s output: the rendered release as one YAML stream, or files under
``--output-dir`` (Helm's ``template`` command after the client-only install).

Hooks follow the manifests unless ``no_hooks``; ``skip_tests`` drops test hooks;
``show_only`` keeps the documents of the named templates (glob patterns, Go's ``path.Match``);
``release_name_dir`` puts the files under ``DIR/RELEASE``.
"""

from __future__ import annotations

import os

from kelm._slots import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class TemplateOutputError(Exception):
    """A ``--show-only`` template that rendered nothing; ``str()`` is Helm's message."""


class TemplateOutput(Record):
    """How the rendered release is printed or written."""

    __slots__ = ("output_dir", "release_name_dir", "no_hooks", "skip_tests", "show_only",
                 "include_crds")

    def __init__(self, output_dir: str = "", release_name_dir: bool = False,
                 no_hooks: bool = False, skip_tests: bool = False,
                 show_only: list[str] | None = None, include_crds: bool = False) -> None:
        self.output_dir = output_dir
        self.release_name_dir = release_name_dir
        self.no_hooks = no_hooks
        self.skip_tests = skip_tests
        self.show_only: list[str] = [] if show_only is None else show_only
        self.include_crds = include_crds


def write_template_output(rel: Any, opts: TemplateOutput, write: Callable[[str], Any]) -> None:
    """Print (``write``) or write to files what ``helm template`` produces for ``rel``."""
    from kelm.render.manifests import GO_SPACE

    out_dir = opts.output_dir
    buf = ["" if out_dir else rel.manifest.strip(GO_SPACE), "\n"]
    if out_dir:
        _write_manifests_to_dir(rel, opts, write)
    if not opts.no_hooks:
        written: set[str] = set()
        base = os.path.join(out_dir, rel.name) if out_dir and opts.release_name_dir else out_dir
        for h in rel.hooks:
            if opts.skip_tests and "test" in h.events:
                continue
            if not out_dir:
                buf.append(f"---\n# Source: {h.path}\n{h.manifest}\n")
                continue
            target = os.path.join(base, h.path)
            append = h.path in written or os.path.exists(target)
            _write_file(base, h.path, h.manifest, append, write)
            written.add(h.path)
    manifests = "".join(buf)
    if opts.show_only:
        write(select_templates(manifests, opts.show_only))
    else:
        write(manifests)


def select_templates(manifests: str, patterns: list[str]) -> str:
    """``--show-only``: the documents rendered from templates matching ``patterns``."""
    import re

    from kelm.chart.ignore import go_match
    from kelm.render.manifests import split_manifests

    docs = split_manifests(manifests)
    name_re = re.compile(r"# Source: [^/]+/(.+)")
    selected = []
    for f in patterns:
        f = f.replace(os.sep, "/")
        missing = True
        for d in docs:
            m = name_re.search(d)
            if m is None:
                continue
            try:
                ok = go_match(f, m.group(1))
            except Exception:  # noqa: BLE001 - a bad pattern matches nothing, as in Go
                ok = False
            if ok:
                selected.append(d)
                missing = False
        if missing:
            raise TemplateOutputError(f"could not find template {f} in chart")
    return "".join(f"---\n{d}\n" for d in selected)


def _write_manifests_to_dir(rel: Any, opts: TemplateOutput, write: Callable[[str], Any]) -> None:
    out_dir = opts.output_dir
    base = os.path.join(out_dir, rel.name) if opts.release_name_dir else out_dir
    written: set[str] = set()
    if opts.include_crds:
        for filename, f in rel.chart.crd_objects():
            _write_file(out_dir, filename, f.data.decode("utf-8", "replace"), filename in written,
                        write)
            written.add(filename)
    for m in rel.manifests:
        _write_file(base, m.name, m.content, m.name in written, write)
        written.add(m.name)


def _write_file(out_dir: str, name: str, data: str, append: bool,
                write: Callable[[str], Any]) -> None:
    target = out_dir + os.sep + name
    parent = os.path.dirname(target)
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as e:  # Go's MkdirAll: stat first, then mkdir
        import errno

        verb = "stat" if e.errno in (errno.ENOTDIR, errno.EEXIST) else "mkdir"
        raise TemplateOutputError(f"{verb} {parent}: not a directory{_DEBUG_HINT}"
                                  if verb == "stat" else
                                  f"mkdir {e.filename or parent}: "
                                  f"{(e.strerror or '').lower()}{_DEBUG_HINT}") from None
    try:
        with open(target, "a" if append else "w", encoding="utf-8") as fh:
            fh.write(f"---\n# Source: {name}\n{data}\n")
    except OSError as e:
        raise TemplateOutputError(f"open {target}: {(e.strerror or '').lower()}"
                                  f"{_DEBUG_HINT}") from None
    write(f"wrote {target}\n")


# helm template ends a failure to write its output with this hint, as a render error
_DEBUG_HINT = "\n\nUse --debug flag to render out invalid YAML"


__all__ = ["TemplateOutput", "TemplateOutputError", "select_templates", "write_template_output"]
