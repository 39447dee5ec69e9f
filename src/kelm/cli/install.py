"""``kelm install NAME CHART --dry-run[=client] [--debug]``: Helm's release preview, offline.

Prints the report ``helm install --dry-run`` prints (NAME, LAST DEPLOYED, NAMESPACE, STATUS,
REVISION, DESCRIPTION, TEST SUITE, with ``--debug`` USER-SUPPLIED and COMPUTED VALUES, HOOKS,
MANIFEST, NOTES).  A real install needs a cluster, which kelm does not reach yet: without a
client dry run it fails like Helm does when no cluster answers.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from kelm.cli.template import (
    GLOBAL_FLAGS,
    INSTALL_FLAGS,
    CommandError,
    Flag,
    FlagError,
    cluster_unreachable,
    dry_run_strategy,
    fail,
    make_command,
    parse_flags,
    prepare,
    write_stderr_lines,
)

INSTALL_ONLY_FLAGS = INSTALL_FLAGS + [
    Flag("hide-secret", "bool", default=False),
    Flag("dry-run", "opt", default="none", no_opt="unset"),
    Flag("output", "string", "o", "table"),
]


def _encode_yaml(v: Any) -> str:
    from kelm.yaml import dump_v2

    return dump_v2(v)


def release_report(rel: Any, debug: bool, hide_notes: bool, now: float | None = None) -> str:
    """Helm's ``statusPrinter.WriteTable`` for a dry-run release."""
    from kelm.values.coalesce import coalesce_values

    t = time.localtime(now if now is not None else time.time())
    out = [f"NAME: {rel.name}\n"]
    out.append("LAST DEPLOYED: " + time.strftime("%a %b ", t) + f"{t.tm_mday:2d}"
               + time.strftime(" %H:%M:%S %Y", t) + "\n")
    out.append(f"NAMESPACE: {rel.namespace}\n")
    out.append(f"STATUS: {rel.status}\n")
    out.append(f"REVISION: {rel.version}\n")
    out.append(f"DESCRIPTION: {rel.description}\n")
    tests = [h for h in rel.hooks if "test" in h.events]
    if not tests:
        out.append("TEST SUITE: None\n")
    if debug:
        out.append("USER-SUPPLIED VALUES:\n")
        out.append(_encode_yaml(rel.config))
        out.append("\n")
        out.append("COMPUTED VALUES:\n")
        out.append(_encode_yaml(coalesce_values(rel.chart, rel.config)))
        out.append("\n")
    if rel.description.lower() == "dry run complete" or debug:
        out.append("HOOKS:\n")
        for h in rel.hooks:
            out.append(f"---\n# Source: {h.path}\n{h.manifest}\n")
        out.append(f"MANIFEST:\n{rel.manifest}\n")
    if not hide_notes and rel.notes:
        from kelm.render.manifests import go_trim

        out.append(f"NOTES:\n{go_trim(rel.notes)}\n")
    return "".join(out)


def run_install(argv: list[str]) -> None:
    from kelm.render.action import ActionError, render_chart

    try:
        p = parse_flags(argv, INSTALL_ONLY_FLAGS + GLOBAL_FLAGS)
    except FlagError as e:
        fail(str(e))
        return
    if p.get("help"):
        print(__doc__)
        return
    if not p.args:
        fail('"helm install" requires at least 1 argument\n\nUsage:  helm install [NAME] '
             "[CHART] [flags]")
    debug = bool(p.get("debug"))
    try:
        strategy = dry_run_strategy(p, False)
    except CommandError as e:
        fail(str(e))
        return
    if strategy != "client":
        msg = "cluster reachability check failed: " + cluster_unreachable(p)
        sys.stderr.write('level=ERROR msg="' + msg.replace('"', '\\"') + '"\n')
        fail(f"INSTALLATION FAILED: {msg}")
    try:
        chart, vals, opts, logs = prepare(p, "install", "")
    except CommandError as e:
        fail(f"INSTALLATION FAILED: {e}")
        return
    opts.hide_secret = bool(p.get("hide-secret"))
    write_stderr_lines(logs)
    try:
        rel = render_chart(chart, vals, opts)
    except ActionError as e:
        if e.release is not None:
            write_stderr_lines(e.release.logs)
        fail(f"INSTALLATION FAILED: {e}")
        return
    write_stderr_lines(rel.logs)
    sys.stdout.write(release_report(rel, debug, bool(p.get("hide-notes"))))
    sys.stdout.flush()


def __getattr__(name: str) -> Any:
    if name == "install":
        cmd = make_command(
            "install", run_install,
            "Preview a release (helm install --dry-run); a real install needs a cluster.",
        )
        globals()["install"] = cmd
        return cmd
    raise AttributeError(name)
