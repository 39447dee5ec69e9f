"""Help texts in cobra's layout (``Usage:``, ``Aliases:``, ``Available Commands:``,
``Flags:``, ``Global Flags:``) and the unknown-command error with suggestions.

Imported only when help or an unknown command is printed, so commands start without it.
"""

from __future__ import annotations

from typing import Any

from kelm.cli.flags import TYPE_NAMES, Flag

# a kelm.cli.command.Command (not imported: command imports this module when help is asked)
Command = Any

MIN_NAME_PADDING = 11


def render_help(cmd: Command) -> str:
    """``kelm CMD --help``: the long (or short) description, then the usage block."""
    text = (cmd.long or cmd.short).rstrip()
    return (text + "\n\n" if text else "") + usage(cmd)


def usage(cmd: Command) -> str:
    """cobra's usage template."""
    subs = [s for s in cmd.subcommands() if not s.hidden]
    out = ["Usage:"]
    if cmd.run is not None:
        out.append(f"\n  {cmd.use_line()}")
    if subs:
        out.append(f"\n  {cmd.path()} [command]")
    if cmd.aliases:
        out.append("\n\nAliases:\n  " + ", ".join((cmd.name, *cmd.aliases)))
    if cmd.example:
        out.append("\n\nExamples:\n" + cmd.example.rstrip("\n"))
    if subs:
        pad = max([MIN_NAME_PADDING, *(len(s.name) for s in cmd.subcommands())])
        out.append("\n\nAvailable Commands:")
        for s in sorted(subs, key=lambda c: c.name):
            out.append(f"\n  {s.name.ljust(pad)} {s.short}")
    local = [f for f in cmd.local_flags() if not f.hidden]
    if local:
        out.append("\n\nFlags:\n" + flag_usages(local).rstrip())
    inherited = [f for f in cmd.inherited_flags() if not f.hidden]
    if inherited:
        out.append("\n\nGlobal Flags:\n" + flag_usages(inherited).rstrip())
    if subs:
        out.append(f'\n\nUse "{cmd.path()} [command] --help" for more information about a '
                   "command.")
    out.append("\n")
    return "".join(out)


def _default_text(f: Flag) -> str:
    if callable(f.default_text):
        return f.default_text()
    if f.default_text is not None:
        return f.default_text
    d = f.default
    if f.kind == "bool":
        return "true" if d else ""
    if f.kind in ("string", "opt"):
        return f'"{d}"' if d else ""
    if f.kind in ("int", "uint", "float"):
        return str(d) if d not in (None, 0, "0", 0.0) else ""
    if f.kind == "duration":
        return str(d) if d not in (None, "", "0s") else ""
    return ""


def flag_usages(flags: list[Flag]) -> str:
    """pflag's ``FlagUsages``: one aligned line per flag, sorted by name."""
    rows = []
    for f in sorted(flags, key=lambda f: f.name):
        line = f"  -{f.short}, --{f.name}" if f.short else f"      --{f.name}"
        type_name = f.type_name or TYPE_NAMES.get(f.kind, "")
        if type_name:
            line += " " + type_name
        if f.no_opt is not None:
            line += f'[="{f.no_opt}"]' if type_name == "string" else f"[={f.no_opt}]"
        text = f.help
        default = _default_text(f)
        if default:
            text += f" (default {default})"
        rows.append((line, text))
    width = max(len(line) for line, _ in rows) + 1
    return "".join(f"{line.ljust(width)}  {text}\n" for line, text in rows)


def _levenshtein(a: str, b: str) -> int:
    a, b = a.lower(), b.lower()
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggestions(cmd: Command, typed: str) -> list[str]:
    """cobra's ``SuggestionsFor``: commands within edit distance 2 or starting with it."""
    out = []
    for s in cmd.subcommands():
        if s.hidden:
            continue
        if _levenshtein(typed, s.name) <= 2 or s.name.lower().startswith(typed.lower()):
            out.append(s.name)
    return out


def unknown_command(cmd: Command, typed: str) -> str:
    msg = f'unknown command "{typed}" for "{cmd.path()}"'
    found = suggestions(cmd, typed)
    if found:
        msg += "\n\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in found)
    return msg + f"\nRun '{cmd.path()} --help' for usage."


__all__ = ["flag_usages", "render_help", "suggestions", "unknown_command", "usage"]
